"""Issue 18, "nothing imported is invisible": one row of each importable table imported into a temporary lake
(tests/partial_lake.py: outputs, findings of each kind, a plain figure, payments paid and pending with fund
sources, a partial indicator tree) is found on screen, and a missing value reads 未披露, never None / nan."""
from __future__ import annotations

import pandas as pd
import pytest

from tests import partial_lake as pl
from tests.app.helpers import run_page, texts


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return pl.make_lake(tmp_path_factory.mktemp("partial"))


@pytest.fixture
def on_lake(lake, monkeypatch):
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    from perfeval.ui import state
    state._model.clear()  # a restarted app starts with an empty cache of page models
    return lake


def _cells(at) -> list[str]:
    """Every cell of every table on the page, as text."""
    out = []
    for df in at.dataframe:
        value = df.value
        frame = value if isinstance(value, pd.DataFrame) else value.data  # a Styler holds its frame in .data
        out += [str(c) for c in frame.astype(str).to_numpy().ravel()]
    return out


def _tab_texts(at) -> str:
    parts = [texts(at)]
    for tab in at.tabs:
        parts += [str(m.value) for m in tab.markdown] + [str(c.value) for c in tab.caption]
        parts += [str(i.value) for i in tab.info]
    return "\n".join(parts)


def _no_literal_missing(at) -> None:
    shown = _cells(at) + _tab_texts(at).split()
    for word in ("None", "nan", "NaN", "<NA>"):
        assert word not in shown, f"{word!r} on screen"


def test_project_page_shows_outputs_findings_figures_and_partial_tree(on_lake):
    at = run_page("project", project=pl.TREE)
    assert not at.exception, [e.value for e in at.exception]
    cells, text = _cells(at), _tab_texts(at)
    assert pl.OUTPUT_ITEM in cells and "118" in cells and "98.3%" in cells          # 产出: planned, actual, done
    assert "未披露" in cells                                                         # the output without an actual
    for words in (pl.PROBLEM, pl.RECOMMENDATION, pl.PRACTICE):                       # findings of each kind
        assert words in text
    assert pl.FACT_LABEL in cells and "1,234 路" in cells                            # a plain figure (kind fact)
    assert "部分披露：列出 4 项指标" in text and "C 下另有 10 分的下级指标未列出" in text  # the partial tree
    assert [t.label for t in at.tabs][:4] == ["产出（2）", "问题与建议（3）", "报告结论", "其他数据（1）"]
    _no_literal_missing(at)


def test_project_with_nothing_says_so(on_lake):
    at = run_page("project", project=pl.NOTHING)
    assert not at.exception
    text = _tab_texts(at)
    assert "报告既未给出总分，也未列出指标得分" in text and "只给出总分" not in text
    assert "报告未列出产出（未披露）。" in text
    _no_literal_missing(at)


def test_budget_page_shows_payments_paid_and_pending_by_fund_source(on_lake):
    at = run_page("budget", project=pl.TREE)
    assert not at.exception, [e.value for e in at.exception]
    cells = _cells(at)
    assert {"已支付", "待支付", pl.FUND_CENTRAL, pl.FUND_LOCAL} <= set(cells)
    assert "60.5" in cells and "39.5" in cells
    assert "支付状态与资金来源" in texts(at)


def test_overview_names_projects_without_a_total_as_such(on_lake):
    at = run_page("overview")
    assert not at.exception
    text = texts(at)
    assert "既未披露总分也未披露分项" in text and pl.SHORT[pl.NOTHING] in text
    table = _cells(at)
    assert "None" not in table and "nan" not in table


def test_compare_two_partial_projects_says_what_they_share(on_lake):
    at = run_page("compare", projects=f"{pl.TREE},{pl.TOTAL}")
    assert not at.exception, [e.value for e in at.exception]
    text = texts(at)
    assert "未披露：" in text and (f"{pl.SHORT[pl.TOTAL]} 未披露" in text or f"{pl.SHORT[pl.TREE]} 未披露" in text)
    assert "None" not in _cells(at)
