"""The bench's shape floor stands for each page's elements: bench/shapes.py captures what a page drew from
its AppTest tree, bench/shape_app.py draws it again with no work, and the bench times each page's rerun
against that replay (bench/measure_pages.py). For every page of perfeval.pages.PAGES (and, for a page that
takes a project, before a project is picked), on the bundled data, the replay must draw the same number
of elements of each kind as the page, in the same places, with the same content: if a page starts
drawing an element the replay does not know, this fails until bench/shapes.py and bench/shape_app.py
follow."""
import math

import pytest

from bench import shapes
from perfeval.pages import PAGES
from tests.app.helpers import run_page

PROJECT = "tj-2022-fraud-ops"  # a seed project with charts, tables, page links and a deck button
CASES = [pytest.param(pg.url, {"project": PROJECT} if pg.takes_project else {}, id=pg.url) for pg in PAGES] + [
    pytest.param(pg.url, {}, id=f"{pg.url}:all") for pg in PAGES if pg.takes_project]


def _differences(a, b, where="") -> list[str]:
    """Where two captured shapes differ (DataFrames compared by value)."""
    import pandas as pd

    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        same = isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame) and a.equals(b)
        return [] if same else [f"{where}: tables differ"]
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str) for d in _differences(a.get(k), b.get(k), f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} nodes against {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, f"{where}[{i}]")]
    if isinstance(a, float) and isinstance(b, float):  # column weights are normalised again by st.columns
        return [] if math.isclose(a, b, rel_tol=1e-9) else [f"{where}: {a} against {b}"]
    return [] if a == b else [f"{where}: {a!r:.80} against {b!r:.80}"]


def _comparable(nodes):
    """A shape without what the replay draws differently on purpose: a page link's target (the app's pages
    are not routed in the shape app, so its links point at the same paths as plain URLs)."""
    if isinstance(nodes, dict):
        drop = ("page", "external", "query_string") if nodes.get("kind") == "page_link" else ()
        return {k: v if k != "args" else {a: x for a, x in v.items() if a not in drop}
                for k, v in ((k, _comparable(v)) for k, v in nodes.items())}
    if isinstance(nodes, list):
        return [_comparable(n) for n in nodes]
    return nodes


@pytest.mark.parametrize("url, query", CASES)
def test_the_shape_app_draws_what_the_page_drew(url, query, tmp_path):
    page = run_page(url, **query)
    assert not page.exception
    shape = shapes.capture(page)
    assert not shape["unsupported"], f"elements the shape app cannot draw: {shape['unsupported']}"
    replay = shapes.replay(shapes.save(shape, tmp_path / "shape.pkl"))
    assert not replay.exception
    page_kinds = shapes.kinds(page)
    assert page_kinds["title"] + page_kinds["header"] >= 1 and sum(page_kinds.values()) > 5  # a page was captured
    assert shapes.kinds(replay) == page_kinds
    assert shapes.outline(replay) == shapes.outline(page)
    assert not _differences(_comparable(shapes.capture(replay)), _comparable(shape))
