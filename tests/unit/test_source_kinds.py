"""Source kinds (documents.source_type): every outcome view says which kind of document a figure came from, and
figures of press and statistics releases never feed an evaluation's scores or audit (queries/_views.sql
scored_source, used by the audit_* and scorecard_* queries)."""
from __future__ import annotations

import io
import re
import shutil

import openpyxl
import pandas as pd
import pytest

from perfeval import config
from perfeval.data import schema
from perfeval.data.gate import DataGate, Scope
from perfeval.data.imports import ingest
from perfeval.data.lake import Lake
from perfeval.domain.audit import findings_frame, run_audit
from perfeval.views import outcomes as outcomes_view
from perfeval.views.common import Filters
from tests.conftest import DATA

FT = "ft-2021-2023-anti-fraud-service"
AUDIT_QUERIES = ("audit_figures", "audit_targets", "audit_spending", "audit_budget_values", "audit_payment_values",
                 "audit_indicator_values", "audit_output_values", "audit_outcome_values", "audit_survey_values",
                 "audit_target_values", "scorecard_indicators")


def test_the_bundled_reports_say_their_kind():
    kinds = {}
    for path in sorted((DATA / "seed").glob("*/documents.csv")) + [DATA / "catalog" / "documents.csv"]:
        df = pd.read_csv(path, dtype=str)
        kinds.update(dict(zip(df["source"], df["source_type"])))
    assert kinds["report:tianjin-2022"] == "finance_evaluation"        # 财政重点绩效评价
    assert kinds["report:futian-2021-2023"] == "self_evaluation"       # “我局…进行了绩效评价”
    assert kinds["report:tianshui-2021"] == "evaluation_report"        # 甘肃禾兴会计师事务所
    assert {kinds["report:catalog"], kinds["report:catalog-public"]} == {"catalog"}
    assert set(kinds.values()) <= set(schema.SOURCE_TYPES)


def test_the_sql_list_of_evaluation_kinds_is_the_schemas():
    sql = (config.QUERIES / "_views.sql").read_text(encoding="utf-8")
    macro = sql[sql.index("CREATE MACRO scored_source"):]
    macro = macro[:macro.index(";")]
    assert tuple(re.findall(r"'([a-z_]+)'", macro)) == schema.EVALUATION_SOURCE_TYPES
    for name in AUDIT_QUERIES:
        assert "scored_source(" in (config.QUERIES / f"{name}.sql").read_text(encoding="utf-8"), name


@pytest.fixture(scope="module")
def lakes(tmp_path_factory):
    """The bundled reports (no demonstration data) before and after importing a press release about the 福田
    project: outcome figures for the same metric and years as the evaluation's, a stated figure with the same
    key and scope as an audited one, and a target."""
    before = tmp_path_factory.mktemp("before") / "data"
    shutil.copytree(DATA, before, ignore=shutil.ignore_patterns("_derived", "demo"))
    after = tmp_path_factory.mktemp("after") / "data"
    shutil.copytree(before, after)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    rows = {
        "来源文档 documents": [["数据来源 source", "类型 kind", "标题 title", "来源类型 source_type"],
                           ["report:ft-press-2024", "report", "福田公安反诈工作新闻发布会", "新闻发布"]],
        "成效数据 outcomes": [["项目编号 project_id", "编号 outcome_id", "指标键 metric_key", "年度 year", "数值 value",
                           "单位 unit", "数据来源 source"],
                          [FT, "PR1", "staff_on_post", 2021, 150, "人", "report:ft-press-2024"],
                          [FT, "PR2", "staff_on_post", 2022, 150, "人", "report:ft-press-2024"],
                          [FT, "PR3", "suspects_arrested", 2023, 321, "人", "report:ft-press-2024"]],
        "报告陈述数值 figures": [["项目编号 project_id", "编号 figure_id", "类型 kind", "数值键 figure", "范围 scope",
                              "报告中的名称 label", "数值 value", "单位 unit", "数据来源 source"],
                             [FT, "PR-F1", "derived", "spent_total", "total", "实际使用", 9999, "万元",
                              "report:ft-press-2024"]],
        "绩效目标 targets": [["项目编号 project_id", "目标编号 target_id", "年度 year", "指标 name", "单位 unit",
                          "比较 operator", "目标值 target_value", "实际完成值 actual_value", "是否达成 stated_met",
                          "数据来源 source"],
                         [FT, "PR-T1", 2023, "抓获犯罪嫌疑人", "人", "≥", 100, 321, "是", "report:ft-press-2024"]],
    }
    for name, data in rows.items():
        ws = wb.create_sheet(name)
        for r in data:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    staged = ingest.stage("新闻发布.xlsx", buf.getvalue(), after)
    assert staged.ok, [p.message_en for p in staged.problems]
    assert staged.frames["documents"]["source_type"].tolist() == ["press_release"]   # 新闻发布, normalised
    ingest.commit(staged, after)
    return DataGate(Lake(before)), DataGate(Lake(after))


def _frame(gate, name, **params):
    df = gate.query(name, Scope.everything(), **params)
    return df.sort_values(list(df.columns[:3])).reset_index(drop=True)


@pytest.mark.parametrize("name", AUDIT_QUERIES)
def test_press_figures_are_not_read_by_the_scoring_and_audit_queries(lakes, name):
    before, after = lakes
    pd.testing.assert_frame_equal(_frame(before, name, project_id=FT), _frame(after, name, project_id=FT))


def test_the_audit_of_the_evaluation_is_the_same_with_a_press_release_in_the_lake(lakes):
    before, after = lakes
    got = [findings_frame(run_audit(g, Scope.everything(), FT)) for g in (before, after)]
    pd.testing.assert_frame_equal(got[0], got[1])
    assert len(got[0])  # the audit found something to compare


def test_the_press_figures_are_shown_with_their_kind(lakes):
    _, after = lakes

    def q(name, **params):
        return after.query(name, Scope.everything(), **params)

    values = q("outcomes_values", **Filters().params(), project_id=FT, categories=None, limit=None)
    kinds = dict(zip(values["outcome_id"], values["source_type"]))
    assert kinds["PR3"] == "press_release" and kinds["OC01"] == "self_evaluation"
    v = outcomes_view.figures(q, filters=Filters(), project_id=FT, categories=("打击", "队伍"), lang="zh",
                              max_rows=100)
    assert set(v["table"]["source_s"]) == {"新闻发布", "自评"}
    cards = [card for _, rows in v["card_groups"] for row in rows for card in row]
    staff = [c for c in cards if c["metric_key"] == "staff_on_post"]
    # the evaluation's figures and the press release's never share a card (nor its trend)
    assert sorted(c["period"].split(" · ")[-1] for c in staff) == ["新闻发布", "自评"]
    assert any(c["metric_key"] == "suspects_arrested" and c["period"].endswith("新闻发布") for c in cards)
    en = outcomes_view.figures(q, filters=Filters(), project_id=FT, categories=("打击",), lang="en", max_rows=100)
    assert set(en["table"]["source_s"]) == {"press release"}
