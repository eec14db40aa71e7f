"""A hello-world page with one small Plotly chart: what the Plotly bundle alone costs a cold browser."""
import plotly.graph_objects as go
import streamlit as st

st.title("Hello chart")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])))
