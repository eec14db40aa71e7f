"""Issue 18, "missing is never None": Streamlit draws a null cell of a table as the word None (a browser's
accessible grid text leaves it blank, so tests/browser/test_no_none.py cannot see it): on every page, on the
bundled data and on a lake with partly disclosed projects (tests/partial_lake.py), no table holds a null
(None / NaN / NaT / <NA>) and no text says None or nan; a missing value is formatted as 未披露."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from perfeval.pages import routed_pages
from tests import partial_lake as pl
from tests.app.helpers import run_page, texts
from tests.conftest import DATA

PAGES = [p.url for p in routed_pages() if p.url not in ("import", "audit_log")]  # no project data shown there
LITERAL = re.compile(r"(?<![A-Za-z])(None|nan|NaN|<NA>)(?![A-Za-z])")


@pytest.fixture(scope="module")
def partial(tmp_path_factory):
    return pl.make_lake(tmp_path_factory.mktemp("partial"))


def _problems(at) -> list[str]:
    out = [f"exception: {e.value}" for e in at.exception]
    for i, df in enumerate(at.dataframe):
        frame = df.value if isinstance(df.value, pd.DataFrame) else df.value.data  # a Styler holds its frame
        nulls = frame.isna()
        for col in frame.columns[nulls.any().to_numpy()]:
            rows = list(frame.index[nulls[col]])[:3]
            out.append(f"table {i}, column {col!r}: null in rows {rows}")
    shown = texts(at) + "\n" + "\n".join(str(m.value) for tab in at.tabs for m in tab.markdown)
    out += [f"text: {m.group(0)}" for m in LITERAL.finditer(shown)]
    return out


def _run(monkeypatch, lake, page, **query):
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    from perfeval.ui import state
    state._model.clear()
    return run_page(page, **query)


@pytest.mark.parametrize("page", PAGES)
def test_bundled_page_has_no_null_cell(monkeypatch, page):
    assert _problems(_run(monkeypatch, DATA, page)) == []


@pytest.mark.parametrize("pid", [pl.TREE, pl.TOTAL, pl.NOTHING])
@pytest.mark.parametrize("page", [p.url for p in routed_pages() if p.takes_project])
def test_partial_project_page_has_no_null_cell(monkeypatch, partial, page, pid):
    assert _problems(_run(monkeypatch, partial, page, project=pid)) == []


@pytest.mark.parametrize("query", [{}, {"region": "34"},
                                   {"page": "compare", "projects": f"{pl.TREE},{pl.TOTAL},{pl.NOTHING}"}])
def test_partial_lake_overview_and_compare_have_no_null_cell(monkeypatch, partial, query):
    query = dict(query)
    page = query.pop("page", "overview")
    assert _problems(_run(monkeypatch, partial, page, **query)) == []
