"""The app's own plotly.js build (static/plotly-perfeval.min.js, from frontend/plotly/) can draw every chart
the app makes, and the app serves it.

The bundle registers only the trace types listed in frontend/plotly/entry.js; a chart of another type would
draw nothing in the browser. These tests fail when a chart function starts using a trace type the bundle
lacks (rebuild it: ``make plotly-bundle``), and check the figures the chart functions really build.
"""
from __future__ import annotations

import re
import tomllib

import plotly.graph_objects as go

from tests.conftest import ROOT

ENTRY = ROOT / "frontend" / "plotly" / "entry.js"
BUNDLE = ROOT / "static" / "plotly-perfeval.min.js"
CORE = {"scatter"}  # plotly.js/lib/core registers scatter itself


def registered() -> set[str]:
    modules = set(re.findall(r"require\('plotly\.js/lib/(\w+)'\)", ENTRY.read_text(encoding="utf-8")))
    return CORE | (modules - {"core"})


def test_entry_registers_the_trace_types_the_chart_modules_construct():
    used = set()
    for path in (ROOT / "perfeval" / "charts").glob("*.py"):
        for cls in re.findall(r"\bgo\.([A-Z]\w*)\(", path.read_text(encoding="utf-8")):
            if cls not in ("Figure",):
                used.add(cls.lower())
    assert used, "no trace constructors found: the scan is broken"
    assert used <= registered(), f"not in the bundle: {sorted(used - registered())}"


def _traces(fig: go.Figure) -> set[str]:
    return {tr.type for tr in fig.data}


def test_the_figures_built_from_the_bundled_data_use_only_bundled_types():
    """Every figure the app's pages draw on the bundled data (caught as they are drawn by an AppTest)."""
    from streamlit.testing.v1 import AppTest

    from perfeval.charts import base
    from perfeval.ui import plot, state
    from tests.browser.pages import routed_pages

    seen: set[str] = set()
    original = base.spec

    def spy(fig):
        seen.update(_traces(fig) if isinstance(fig, go.Figure) else {t.get("type", "scatter") for t in fig["data"]})
        return original(fig)

    plot.spec = base.spec = spy
    state._model.clear()  # page models make their figures' specs once: make them again, through the spy
    try:
        for pg in routed_pages():
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            if pg.takes_project:
                at.query_params["project"] = "ft-2021-2023-anti-fraud-service"
            at.switch_page(pg.file)
            at.run()
            assert not at.exception, (pg.url, [e.value for e in at.exception])
    finally:
        plot.spec = base.spec = original
    assert {"bar", "indicator", "treemap", "waterfall"} <= seen
    assert seen <= registered(), f"not in the bundle: {sorted(seen - registered())}"


def test_the_bundle_is_an_es_module_with_each_registered_type():
    text = BUNDLE.read_text(encoding="utf-8")
    assert re.search(r"export\s*\{[^}]*\bas default\b[^}]*\}\s*;?\s*$", text), "no default export at the end"
    for name in registered():
        assert f'"{name}"' in text, name
    assert 1_000_000 < len(text.encode()) < 2_500_000  # a partial build, not the full 4.8 MB plotly.js
    assert (ROOT / "static" / "plotly-perfeval.LICENSE.txt").read_text(encoding="utf-8").startswith(
        "MIT License")


def test_the_app_serves_its_static_folder():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    from perfeval.ui.plot import BUNDLE as URL_PATH
    assert URL_PATH == "app/static/" + BUNDLE.name


def test_the_bundle_names_no_outside_host_it_would_call():
    """plotly.js carries a few outside addresses. The only CDN one is the map data (topojson) of geo
    traces, which this build does not register; the Chart Studio links are off unless a figure's config
    turns them on, and perfeval/ui/plot.py turns them off explicitly. (tests/browser/test_offline.py
    records every request a browser makes on every page.)"""
    text = BUNDLE.read_text(encoding="utf-8")
    cdn = set(re.findall(r"https?://(?:fonts\.googleapis|fonts\.gstatic|cdn\.|unpkg|cdnjs)[^\"'\s)]*", text))
    assert cdn == {"https://cdn.plot.ly/un/"}
    assert not {"geo", "choropleth", "scattergeo", "scattermapbox", "scattermap"} & registered()
    from perfeval.ui.plot import JS
    for off in ("showLink: false", "showEditInChartStudio: false", "showSendToCloud: false"):
        assert off in JS, off
