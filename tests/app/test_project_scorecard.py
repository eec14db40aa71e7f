"""The scorecard on the Project page (each seed) and on the Overview: tree, table, points lost, audit."""
import base64
import json

import numpy as np
import pytest

from tests.app.helpers import chart_specs, run_page, texts

FT = "ft-2021-2023-anti-fraud-service"
TJ = "tj-2022-fraud-ops"
TS = "ts-2021-security-informatization"


def charts(at):
    """The figures of the page as plotly JSON dicts."""
    return [json.loads(s) for s in chart_specs(at)]


def values(array):
    """A plotly JSON array, decoding typed arrays ({"dtype", "bdata"})."""
    if isinstance(array, dict) and "bdata" in array:
        return list(np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])))
    return list(array)


def chart_with(at, trace_type, title_word):
    for spec in charts(at):
        title = (spec.get("layout", {}).get("title") or {}).get("text", "")
        if spec["data"] and spec["data"][0]["type"] == trace_type and title_word in title:
            return spec
    raise AssertionError(f"no {trace_type} chart titled …{title_word}…")


def scorecard_table(at):
    for df in (d.value for d in at.dataframe):
        if {"recomputed", "reason"} <= set(df.columns):
            return df
    return None


def test_futian_scorecard_recomputes_every_indicator():
    at = run_page("project", project=FT)
    assert not at.exception
    table = scorecard_table(at).set_index("code")
    leaves = [c for c in table.index if len(c) == 3]
    assert len(leaves) == 19 and (table.loc[leaves, "check"] == "✓").all()
    assert table.loc["B12", "reported"] == "4.94" and table.loc["B12", "recomputed"] == "4.94"
    assert table.loc["B12", "reason"] == "预算执行率 = 3,674.16 / 3,715.28 = 98.89% × 权重 5 = 4.94"
    assert table.loc["B", "weight"] == "19*" and table.loc["B", "reported"] == "17.94*"  # summed, marked
    assert "推断" in table.loc["B22", "basis"]
    tree = chart_with(at, "treemap", "指标体系")["data"][0]
    assert "B22" in tree["ids"] and "98.94" in tree["labels"][0]
    lost = chart_with(at, "bar", "失分在哪里")["data"][0]
    assert lost["y"][-1].startswith("B22") and values(lost["x"])[-1] == pytest.approx(1.0)
    text = texts(at)
    assert "19 个末级指标中 19 个按评分规则和报告数据重算" in text
    assert "🔴 错误 7" in text and "18个" in text and "T11-2022" in text  # the report's own inconsistencies


def test_tianjin_scorecard_is_manual_and_says_so():
    at = run_page("project", project=TJ)
    assert not at.exception
    table = scorecard_table(at)
    assert list(table["code"]) == ["A", "B", "C", "D"]
    assert list(table["reported"]) == ["15", "19.15", "37", "20.35"]
    assert set(table["method"]) == {"人工评分（沿用报告）"} and set(table["check"]) == {""}
    text = texts(at)
    assert "4 个指标为人工评分" in text
    assert "未发现不一致" in "\n".join(str(e.value) for e in at.success)


def test_tianshui_has_only_a_total_not_a_zero_tree():
    at = run_page("project", project=TS)
    assert not at.exception
    frames = [d.value for d in at.dataframe]  # outputs, other figures (issue 18)
    assert scorecard_table(at) is None and not [f for f in frames if "score_s" in f.columns]
    tree = chart_with(at, "treemap", "指标体系")["data"][0]
    assert tree["ids"] == ["__total__"] and "报告未披露指标明细" in tree["labels"][0]
    lost = [s for s in charts(at) if "失分在哪里" in (s["layout"].get("title") or {}).get("text", "")]
    assert len(lost) == 1 and not lost[0]["data"]  # no bars (no zeros): a note instead
    assert "报告未披露指标得分" in lost[0]["layout"]["annotations"][0]["text"]
    text = texts(at)
    assert "报告只给出总分" in text
    assert "支出与到位资金" in text and "866.47" in text  # spent more than received


def test_project_scorecard_in_english():
    at = run_page("project", project=FT, lang="en")
    assert not at.exception
    table = scorecard_table(at).set_index("code")
    assert table.loc["B12", "reason"] == "budget execution rate = 3,674.16 / 3,715.28 = 98.89% × weight 5 = 4.94"
    assert table.loc["B12", "name"].strip() == "Budget execution rate"
    assert "Audit of the report's numbers" in texts(at)


def test_overview_shows_findings_per_project_and_where_points_are_lost():
    at = run_page("overview")
    assert not at.exception
    ranked = at.dataframe[0].value
    audit = dict(zip(ranked["name"], ranked["audit"]))
    assert audit["福田区反诈骗服务项目"] == "🔴7 🟠2 🔵1"
    assert audit["2022年电诈运行保障经费"] == "✓"
    l1 = chart_with(at, "bar", "各一级指标平均失分")["data"][0]
    assert "过程" in l1["x"] and all(v >= 0 for v in values(l1["y"]))
    ind = chart_with(at, "bar", "失分最多的指标")["data"][0]
    assert ind["y"]
    assert "只披露总分" in texts(at)  # 天水 (and demo projects without a tree) are named, not counted as 0
