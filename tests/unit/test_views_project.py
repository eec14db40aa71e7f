"""The project page's models (perfeval.views.project) over the bundled lake: the facts and KPIs of a report,
the level-1 breakdown (or the note that a report gives only a total), the scorecard, the audit, the links."""
from __future__ import annotations

import json

from perfeval.views import project as view

TJ = "tj-2022-fraud-ops"
FT = "ft-2021-2023-anti-fraud-service"
TS = "ts-2021-security-informatization"


def test_tianjin_facts_score_grade_and_money(q):
    v = view.facts(q, project_id=TJ, lang="zh")
    assert v["title"] == "2022年电诈运行保障经费"
    kpis = dict(v["kpis"])
    assert kpis["报告总分"] == "91.5" and kpis["评价等级"] == "优"
    assert kpis["预算执行率"] == "71.72%" and kpis["实际支出（万元）"] == "824.81"
    assert v["as_of"] == "资金数据截至 2023-06-30"
    assert v["kinds"] == {"report": 1}
    facts = dict(v["facts"])
    assert facts["地区"] == "天津市" and facts["类别"] == "反诈"
    assert all(isinstance(value, str) and value for value in facts.values())  # nothing left blank or None


def test_tianjin_level1_chart_and_table(q):
    l1 = view.facts(q, project_id=TJ, lang="zh")["level1"]
    assert not l1["empty"] and l1["derived"] is None
    assert list(l1["table"].columns) == ["code", "name", "weight_s", "score_s", "rate_s"]
    assert list(l1["table"]["score_s"]) == ["15", "19.15", "37", "20.35"]
    assert list(l1["table"]["rate_s"]) == ["88.24%", "83.26%", "97.37%", "92.50%"]
    chart = json.loads(l1["chart"])
    assert chart["layout"]["title"]["text"] == "一级指标：分值与得分"
    assert [tr["name"] for tr in chart["data"]] == ["分值", "得分"]


def test_futian_level1_is_summed_and_marked(q):
    l1 = view.facts(q, project_id=FT, lang="zh")["level1"]
    assert list(l1["table"]["weight_s"]) == ["21*", "19*", "30*", "30*"]
    assert "计算值" in l1["derived"]


def test_a_project_that_gives_only_a_total_says_so_instead_of_a_chart(q):
    v = view.facts(q, project_id=TS, lang="zh")
    assert dict(v["kpis"])["报告总分"] == "82.06" and dict(v["kpis"])["预算（万元）"] == "未披露"
    assert v["level1"] == {"empty": True, "info": "报告只给出总分 82.06，未列出指标得分（未披露）。"}
    sc = view.scorecard_section(q, project_id=TS, lang="zh")
    assert "报告只给出总分" in sc["only_total"]
    assert sc["table"] is None and sc["captions"] == []
    tree = json.loads(sc["treemap"])["data"][0]
    assert tree["ids"] == ["__total__"] and "报告未披露指标明细" in tree["labels"][0]
    lost = json.loads(sc["points_lost"])
    assert not lost["data"] and "报告未披露指标得分" in lost["layout"]["annotations"][0]["text"]
    # the audit still reads the report's money: it spent more than it received
    assert sc["clean"] is None and "🟠 警告 1" in sc["severities"]
    assert any("866.47" in line for line in sc["findings"])


def test_futian_scorecard_recomputes_and_the_audit_lists_the_reports_inconsistencies(q):
    sc = view.scorecard_section(q, project_id=FT, lang="zh")
    assert sc["only_total"] is None
    assert sc["captions"][0].startswith("19 个末级指标中 19 个按评分规则和报告数据重算，其中 19 个与报告得分一致")
    table = sc["table"].set_index("code")
    assert table.loc["B12", "reason"] == "预算执行率 = 3,674.16 / 3,715.28 = 98.89% × 权重 5 = 4.94"
    assert table.loc["B", "weight"] == "19*"
    assert sc["star_note"].startswith("“*”")
    assert sc["table_height"] == 38 + 35 * min(len(table), 40)
    assert sc["severities"].startswith("🔴 错误 7")
    assert len(sc["findings"]) == 10 and all(line.startswith(("🔴", "🟠", "🔵")) for line in sc["findings"])
    tree = json.loads(sc["treemap"])["data"][0]
    assert "B22" in tree["ids"] and "98.94" in tree["labels"][0]


def test_tianjin_scorecard_is_manual_and_clean(q):
    sc = view.scorecard_section(q, project_id=TJ, lang="zh")
    assert sc["captions"] == ["4 个指标为人工评分：报告未公开其评分细则，得分按报告沿用，不重算。"]
    assert list(sc["table"]["reported"]) == ["15", "19.15", "37", "20.35"]
    assert sc["clean"].startswith("未发现不一致") and sc["findings"] == [] and sc["severities"] is None
    assert sc["unchecked"] is None


def test_links_to_the_projects_other_pages(q):
    zh = view.facts(q, project_id=TJ, lang="zh")["related"]
    assert zh == [("app_pages/budget.py", "💰 预算执行"), ("app_pages/outcomes.py", "🎯 成效指标"),
                  ("app_pages/satisfaction.py", "🙂 满意度")]
    en = view.facts(q, project_id=TJ, lang="en")["related"]
    assert [label for _, label in en] == ["💰 Budget", "🎯 Outcomes", "🙂 Satisfaction"]


def test_the_english_model_speaks_english(q):
    v = view.facts(q, project_id=FT, lang="en")
    assert [label for label, _ in v["kpis"]][:2] == ["Reported score", "Grade"]
    assert v["level1"]["derived"].startswith("The report states no level-1 weights")
    assert json.loads(v["level1"]["chart"])["layout"]["title"]["text"] == "Level-1 indicators: weight and score"
    sc = view.scorecard_section(q, project_id=FT, lang="en")
    assert sc["captions"][0].startswith("19 of 19 leaf indicators recomputed")
    table = sc["table"].set_index("code")
    assert table.loc["B12", "name"].strip() == "Budget execution rate"
    assert sc["severities"].startswith("🔴 error 7")
    assert not any("。" in text for text in [sc["star_note"], *sc["captions"]])
    ts = view.facts(q, project_id=TS, lang="en")
    assert dict(ts["kpis"])["Budget (10k CNY)"] == "not reported"
    assert ts["level1"]["info"].startswith("The report gives only the total score, 82.06")


def test_a_demo_project_counts_as_demo_data(q, tables):
    p = tables("projects")
    pid = p.loc[p["data_kind"] == "demo", "project_id"].iloc[0]
    assert view.facts(q, project_id=pid, lang="zh")["kinds"] == {"demo": 1}
