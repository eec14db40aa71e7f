"""AppTest helpers: run the real entry point (app.py) on a page, with URL parameters."""
from __future__ import annotations

import pathlib

from streamlit.testing.v1 import AppTest

APP = str(pathlib.Path(__file__).resolve().parents[2] / "app.py")


def run_page(page: str | None = None, timeout: float = 60, **query) -> AppTest:
    """Run app.py, switch to app_pages/<page>.py (if given) with ``query`` as URL parameters."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py")
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
    return at


def texts(at: AppTest) -> str:
    """All the visible text of markdown, captions, titles, headers and metrics, joined."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise KeyError(f"no metric {label!r}; have {[m.label for m in at.metric]}")


def chart_specs(at: AppTest) -> list[str]:
    """The figure JSON of each chart on the page, in page order (perfeval.ui.plot draws every chart as a
    components-v2 element: an AppTest sees a ``bidi_component`` whose data carries the figure)."""
    import json

    from perfeval.ui.plot import COMPONENT

    out = []
    for el in at.get("bidi_component"):
        if el.proto.component_name.endswith(COMPONENT):
            out.append(json.loads(el.proto.json)["spec"])
    return out
