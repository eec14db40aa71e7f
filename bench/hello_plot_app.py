"""A hello-world page with one small chart drawn the app's way (perfeval.ui.plot: the app's own plotly.js
build), beside hello_chart_app.py (the same chart by st.plotly_chart). bench/static links to the app's
static/ folder, which Streamlit serves beside the main script."""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import plotly.graph_objects as go  # noqa: E402
import streamlit as st  # noqa: E402

from perfeval.ui import plot  # noqa: E402

st.title("Hello chart")
plot.chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])))
