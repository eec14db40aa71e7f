"""A page's elements with none of its work: what Streamlit alone costs a page of that shape.

Draws the shape saved at $BENCH_SHAPE (a pickle written by bench/shapes.py from a page's AppTest run:
bench/out/shapes/<page>@<projects>.pkl) with the same Streamlit calls the page made (bench/shape_draw.py):
headings, texts, alerts, metric cards, tables (the page's DataFrames and column configurations), charts
(perfeval.ui.plot.chart with the page's figure JSON), widgets with the page's labels, options, values and
keys, in the same columns, expanders, containers and sidebar, under the same navigation menu (st.navigation
over perfeval.pages, as app.py draws it on every page). The shape is loaded once per process
(``st.cache_resource``, no copy on a hit) and nothing is queried or computed, so a rerun is only
Streamlit building, serialising and (in a browser) drawing those elements: the floor the bench measures
each page against (bench/measure_pages.py). bench/static links to the app's static/ folder, which
Streamlit serves beside the main script (the charts' plotly.js build).
"""
import os
import pathlib
import sys

ROOT = str(pathlib.Path(__file__).resolve().parents[1])
if ROOT not in sys.path:  # once: the script runs again on every rerun
    sys.path.insert(0, ROOT)

import streamlit as st  # noqa: E402

from bench import shape_draw, shapes  # noqa: E402

from perfeval.pages import PAGES, SECTIONS  # noqa: E402

st.set_page_config(page_title="shape", layout="wide")  # as app.py
path = pathlib.Path(os.environ.get(shapes.ENV, shapes.path_of("overview", 100_000)))


def replay() -> None:
    shape_draw.draw(shape_draw.loaded(str(path), path.stat().st_mtime))


# the navigation menu is part of every page of the app: the same sections and entries as app.py draws
# (perfeval.pages), each running the replay; the app's own work around it (the URL's filters, the sidebar's
# options) is not here
nav: dict[str, list] = {zh: [] for zh, _ in SECTIONS.values()}
for pg in PAGES:
    nav[SECTIONS[pg.section][0]].append(st.Page(replay, title=pg.zh, icon=pg.icon, url_path=pg.url,
                                                default=pg.default))
st.navigation(nav).run()
