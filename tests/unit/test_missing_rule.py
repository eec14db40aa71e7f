"""Issue 18: one rule for a missing value (fmt), what a report discloses of its score (domain.disclosure), the
project page's outputs / findings / conclusion / other figures (views.project_sections) and the budget page's
payments by status and fund source (views.payments), on the bundled lake and on a partly disclosed one
(tests/partial_lake.py). Each fixed case of the issue has a test here."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perfeval.charts import compare as charts_compare
from perfeval.domain import disclosure, scoring
from perfeval.text import fmt
from perfeval.text.i18n import Translator
from tests import partial_lake as pl

TJ, TS = "tj-2022-fraud-ops", "ts-2021-security-informatization"


@pytest.fixture(scope="module")
def pq(tmp_path_factory):
    """A page model's q over the bundled lake with tests/partial_lake.py's workbook imported."""
    from perfeval.data.gate import DataGate, Scope
    from perfeval.data.lake import Lake

    gate = DataGate(Lake(pl.make_lake(tmp_path_factory.mktemp("partial"))))
    return lambda name, **params: gate.query(name, Scope.everything(), **params)


# -- fmt: the one rule ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, "", "  "])
def test_a_missing_text_is_not_reported(value):
    assert fmt.text(value) == "未披露" and fmt.text(value, "en") == "not reported"
    assert fmt.is_not_reported(fmt.text(value)) and fmt.missing_css(fmt.text(value, "en")) == fmt.MISSING_CSS


def test_a_given_text_and_zero_are_kept():
    assert fmt.text(" 良 ") == "良" and fmt.scores([0.0, None]) == ["0", "未披露"]
    assert fmt.missing_css("0") == "" and not fmt.is_not_reported(0)


# -- disclosure: wording by what a project has ---------------------------------------------------------------

def test_no_tree_wording_follows_whether_there_is_a_total():
    assert disclosure.no_tree_text(82.06, "zh") == "报告只给出总分 82.06，未列出指标得分（未披露）。"
    nothing = disclosure.no_tree_text(None, "zh")
    assert "既未给出总分" in nothing and "只给出总分" not in nothing
    assert disclosure.kind(None, False) == "nothing" and disclosure.kind(80, False) == "total"
    assert disclosure.kind(None, True) == "tree"


def test_not_broken_down_line_separates_total_only_from_nothing():
    nb = pd.DataFrame({"short_name": ["天水", "丙"], "reported_total_score": [82.06, None],
                       "points_lost": [17.94, None]})
    line = disclosure.not_broken_down_line(nb, "zh")
    assert line.startswith("1 个项目只披露总分、未披露分项（天水），不计入上图；其失分合计 17.94 分。")
    assert "1 个项目既未披露总分也未披露分项（丙）" in line
    assert "give neither a total nor a breakdown (丙)" in disclosure.not_broken_down_line(nb, "en", where="图中")


def _tree(rows):
    cols = ["project_id", "code", "parent_code", "level", "name", "weight", "reported_score", "sort_order"]
    return scoring.score_tree(pd.DataFrame(rows, columns=cols))


PARTIAL = [["p", "C", None, 1, "产出", 50, None, 1], ["p", "C1", "C", 2, "数量", 20, 18, 2],
           ["p", "C2", "C", 2, "质量", 20, 20, 3], ["p", "D", None, 1, "效益", 30, 27, 4]]


def test_an_elided_branch_is_not_summed_into_its_parent():
    tree = _tree(PARTIAL).set_index("code")
    assert fmt.is_missing(tree.loc["C", "reported_effective"])  # not 38 (the 10 points left out as zero)
    assert fmt.is_missing(tree.loc["C", "recomputed_score"]) and "未全部列出" in tree.loc["C", "reason_zh"]
    # a parent whose children fill its weight is still their sum
    full = _tree([["p", "C", None, 1, "产出", 40, None, 1], ["p", "C1", "C", 2, "数量", 20, 18, 2],
                  ["p", "C2", "C", 2, "质量", 20, 20, 3]]).set_index("code")
    assert full.loc["C", "reported_effective"] == pytest.approx(38)


def test_a_partial_tree_says_it_is_partial():
    cov = disclosure.coverage(_tree(PARTIAL))
    assert cov.partial and cov.listed == 4 and cov.top_weight == 80 and cov.elided == [("C", 10.0)]
    text = disclosure.partial_text(cov, "zh")
    assert text.startswith("部分披露：列出 4 项指标") and "另 20 分的指标未列出" in text
    assert disclosure.partial_text(disclosure.coverage(_tree(PARTIAL)), "en").startswith(
        "Partly disclosed: 4 indicators listed")
    whole = _tree([["p", "A", None, 1, "决策", 60, 50, 1], ["p", "B", None, 1, "产出", 40, 40, 2]])
    assert disclosure.partial_text(disclosure.coverage(whole), "zh") is None


def test_level1_of_a_partial_tree_leaves_the_elided_parent_unscored(pq):
    from perfeval.views import project

    l1 = project.facts(pq, project_id=pl.TREE, lang="zh")["level1"]
    table = l1["table"].set_index("code")
    assert table.loc["C", "score_s"] == "未披露" and table.loc["C", "rate_s"] == "未披露"
    assert table.loc["D", "score_s"] == "27"
    assert l1["partial"].startswith("部分披露：列出 2 项一级指标")


def test_project_without_total_or_tree_is_worded_as_such(pq):
    from perfeval.views import project

    v = project.facts(pq, project_id=pl.NOTHING, lang="zh")
    assert "既未给出总分" in v["level1"]["info"]
    sc = project.scorecard_section(pq, project_id=pl.NOTHING, lang="zh")
    assert "只给出总分" not in sc["only_total"] and "人工评分" not in sc["only_total"]
    assert "只给出总分 86.5" in project.scorecard_section(pq, project_id=pl.TOTAL, lang="zh")["only_total"]


# -- the project page's tabs -----------------------------------------------------------------------------------

def test_outputs_findings_conclusion_and_fact_figures(pq):
    from perfeval.views import project_sections

    v = project_sections.build(pq, project_id=pl.TREE, lang="zh")
    out = v["outputs"]["table"].set_index("output_id")
    assert list(out.loc["O1", ["item_s", "planned_s", "actual_s", "done_s", "status_s"]]) == [
        pl.OUTPUT_ITEM, "120", "118", "98.3%", "已完工"]
    assert list(out.loc["O2", ["actual_s", "done_s", "status_s"]]) == ["未披露"] * 3
    groups = dict(v["findings"]["groups"])
    assert pl.PROBLEM in groups["问题（1）"][0] and pl.RECOMMENDATION in groups["建议（1）"][0]
    assert pl.PRACTICE in groups["经验做法（1）"][0]
    items = dict(v["conclusion"]["items"])
    assert items["报告总分"] == "未披露" and items["评价等级"] == "未披露" and items["评价方式"] == "自评"
    facts = v["facts"]["table"]
    assert list(facts["label_s"]) == [pl.FACT_LABEL] and list(facts["value_s"]) == ["1,234 路"]
    assert v["tabs"] == ["产出（2）", "问题与建议（3）", "报告结论", "其他数据（1）"]


def test_seed_tabs_keep_the_reports_rows(q, tables):
    from perfeval.views import project_sections

    v = project_sections.build(q, project_id=TJ, lang="zh")
    assert v["outputs"]["n"] == len(tables("outputs", TJ)) and v["findings"]["n"] == len(tables("findings", TJ))
    facts = tables("figures", TJ)
    assert v["facts"]["n"] == int((facts["kind"] == "fact").sum())
    assert dict(v["conclusion"]["items"])["报告总分"] == "91.5"
    empty = project_sections.build(q, project_id=TS, lang="en")
    assert empty["outputs"]["n"] == len(tables("outputs", TS))


# -- payments by status and fund source --------------------------------------------------------------------

def test_payments_by_status_and_fund_source(pq):
    from perfeval.views import payments
    from perfeval.views.common import Filters

    v = payments.build(pq, filters=Filters(), lang="zh", project_id=pl.TREE)
    assert list(v["by_status"]["status_s"]) == ["已支付", "待支付"]
    assert list(v["by_status"]["amount_s"]) == ["60.5", "39.5"]
    src = v["by_source"].set_index("source_s")
    assert src.loc[pl.FUND_CENTRAL, "paid_s"] == "60.5" and src.loc[pl.FUND_LOCAL, "pending_s"] == "39.5"
    assert src.loc[pl.FUND_CENTRAL, "pending_s"] == "—"  # none pending from that source, not 0, not 未披露


def test_seed_payments_without_a_status_read_not_reported(q, tables):
    from perfeval.views import payments
    from perfeval.views.common import Filters

    v = payments.build(q, filters=Filters(), lang="zh", project_id=TJ)
    assert list(v["by_status"]["status_s"]) == ["未披露"]
    assert v["by_status"]["amount_s"].iloc[0] == fmt.number(tables("payments", TJ)["amount"].sum(), 2)
    assert payments.build(q, filters=Filters(), lang="zh", project_id="ft-2021-2023-anti-fraud-service")["info"]


# -- tables and charts ------------------------------------------------------------------------------------

def test_overview_table_prints_not_reported_for_missing_score_grade_category(pq):
    from perfeval.views import overview
    from perfeval.views.common import Filters, Links

    table = overview.ranked(pq, filters=Filters(), lang="zh", links=Links())["table"]
    row = table[table["name"] == pl.NAMES[pl.NOTHING]].iloc[0]
    assert row["score_s"] == "未披露" and row["grade_s"] == "未披露"
    assert not table.isna().any().any()


def test_heatmap_draws_a_not_reported_cell_grey_never_in_a_colour():
    df = pd.DataFrame({"unit_label": ["甲", "甲", "乙", "乙"], "measure_label": ["得分", "执行率"] * 2,
                       # 乙's execution has a percentile but its value is not reported: it must not be coloured
                       "percentile": [100.0, np.nan, 0.0, 50.0], "outlier": [None] * 4,
                       "value_text": ["90", "未披露", "80", "未披露"]})
    grey, main = charts_compare.percentile_heatmap(df, Translator("zh")).data
    assert grey.colorscale[0][1] == charts_compare.MISSING_FILL and grey.showscale is False
    z, gaps = np.array(main.z, dtype=float), np.array(grey.z, dtype=float)
    assert np.isnan(z[0][1]) and np.isnan(z[1][1]) and z[0][0] == 100  # no percentile colour for 未披露
    assert gaps[0][1] == 1 and gaps[1][1] == 1 and np.isnan(gaps[0][0])  # grey under exactly those cells
    assert main.text[1][1] == "未披露"


def test_compare_of_partial_projects_says_what_they_share(pq):
    from perfeval.views import compare
    from perfeval.views.common import Filters, Links

    v = compare.build(pq, filters=Filters(), lang="zh", links=Links(), mode="projects", year=None, metric=None,
                      level=1, show_all=False, style="bars", chosen=(pl.TREE, pl.TOTAL))
    assert "测试乙 未披露" in v["shared_note"] and "测试甲 未披露：总分" in v["shared_note"]
    assert "所选对象均未披露" in v["shared_note"]
    assert set(v["ranking"]["reported_grade"]) == {"未披露"}


# -- decks ----------------------------------------------------------------------------------------------------

def _deck_text(data: bytes) -> str:
    import io

    from pptx import Presentation

    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                out += [c.text for r in shape.table.rows for c in r.cells]
            if getattr(shape, "has_chart", False) and shape.has_chart:
                out += [str(c) for p in shape.chart.plots for c in p.categories]
    return "\n".join(out)


@pytest.mark.parametrize("pid", [pl.TREE, pl.TOTAL, pl.NOTHING])
def test_project_deck_of_a_partial_project_has_no_literal_missing(pq, pid):
    import re

    from perfeval.decks.project import project_deck

    text = _deck_text(project_deck(pq, pid, "zh"))
    assert not re.findall(r"(?<![A-Za-z])(None|nan|NaN)(?![A-Za-z])", text)
    if pid == pl.TREE:
        assert "部分披露：列出 4 项指标" in text
    if pid == pl.NOTHING:
        assert "报告既未给出总分，也未列出指标得分" in text and "只给出总分" not in text


# -- a 自评表 as published, with rows left out (the form reader of issue 18's item 1) ----------------------------

def test_a_selfeval_form_with_elided_rows_reads_as_partial_and_a_full_one_does_not(tmp_path):
    from tests.unit.test_selfeval_import import INDICATORS, imported, q_of, workbook

    from perfeval.views import project

    for name, rows, partial in (("full", None, False),
                                ("elided", INDICATORS[:2] + (("", "", "……", None, None, None, None, None),), True)):
        lake = tmp_path / name
        lake.mkdir()
        _, table = imported(lake, "x.xlsx", workbook(("S", [dict(indicators=rows)] if rows else [{}])))
        q, pid = q_of(lake), table("projects")["project_id"].iloc[0]
        captions = project.scorecard_section(q, project_id=pid, lang="zh")["captions"]
        assert any(c.startswith("部分披露") for c in captions) == partial, captions
