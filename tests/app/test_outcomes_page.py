"""Outcomes page: cards keep the reports' qualifiers, trends respect direction, targets against actuals."""
import json

import pytest

from tests.app.helpers import chart_specs, run_page, texts

TJ = "tj-2022-fraud-ops"
FT = "ft-2021-2023-anti-fraud-service"
TS = "ts-2021-security-informatization"


def _cards(at):
    """{label: [metric, …]} of the metric cards (one metric can have several cards: one per statement)."""
    out = {}
    for m in at.metric:
        out.setdefault(m.label, []).append(m)
    return out


def _values(at, label):
    return sorted(m.value for m in _cards(at)[label])


def test_tianjin_cards_keep_qualifiers_and_both_statements():
    at = run_page("outcomes", project=TJ)
    assert not at.exception
    # "累计拦截涉诈通话 2600 余万条", "成功劝阻潜在受骗人近 1200 万人次", "拦截止付资金 5800 余万元"
    assert _values(at, "拦截涉诈通话") == ["2,600万余条"]
    assert _values(at, "成功劝阻潜在受骗人") == ["近1,200万人次"]
    assert _values(at, "紧急止付资金") == ["5,800余万元"]
    assert _values(at, "发还返还被骗资金") == ["近4,900万元"]
    # "430 余万个" and "近440万个": both shown, neither added to the other nor to the ETC/医保 subset "近700个"
    assert _values(at, "封堵涉诈域名网址") == sorted(["430万余个", "近440万个"])
    assert _values(at, "封堵涉诈域名网址（特定诈骗类型）") == ["近700个"]
    captions = [c.value for c in at.caption]
    # each card's period, then the kind of document it came from (天津: a 财政重点评价)
    assert "项目实施以来累计（效益部分） · 部门/财政评价" in captions and "累计（经验做法部分） · 部门/财政评价" in captions
    assert "不相加" in texts(at)
    assert "未披露人口" in texts(at)


def test_futian_trends_and_direction_aware_deltas():
    at = run_page("outcomes", project=FT)
    assert not at.exception
    cards = {k: v[0] for k, v in _cards(at).items()}
    assert "2023年 · 自评" in [c.value for c in at.caption]  # the period, then the kind of document (福田: 自评)
    campaigns = cards["开展集中宣传场数"]                           # "2023 年组织开展线下反诈宣传 1540 场"
    assert campaigns.value == "1,540场"
    assert campaigns.delta.startswith("+390")                       # 1540 − 1150
    rate = cards["国家反诈中心APP安装率"]                           # 81% → 83% → 86.35%
    assert rate.value == "86.35%" and rate.delta.startswith("+3.35")
    decline = cards["接报诈骗警情同比下降率"]                       # 27.40% → 7.76% → 32.41%
    assert decline.value == "32.41%"
    trend = next(json.loads(s) for s in chart_specs(at)
                 if "接报诈骗警情同比下降率" in json.dumps(json.loads(s)["layout"].get("annotations", []),
                                                       ensure_ascii=False))
    texts_by_trace = [tr.get("text") for tr in trend["data"]]
    assert ["27.40%", "7.76%", "32.41%"] in texts_by_trace
    assert ["1,386场", "1,150场", "1,540场"] in texts_by_trace
    # a smaller decline (27.40% → 7.76%) is bad news: red; then good news: green
    decline_trace = trend["data"][texts_by_trace.index(["27.40%", "7.76%", "32.41%"])]
    assert decline_trace["marker"]["color"] == ["#8b949e", "#cf222e", "#1a7f37"]


def test_futian_targets_met_and_disagreements_with_the_report():
    at = run_page("outcomes", project=FT)
    targets = next(d.value for d in at.dataframe if "verdict_s" in d.value.columns)
    by = {(n, y): v for n, y, v in zip(targets["name"], targets["year_s"], targets["verdict_s"])}
    assert by[("开展集中宣传场数", "2021")].startswith("✅")           # 1386 ≥ 1000
    assert by[("预算执行率", "")].startswith("❌")                    # 98.89% against "100%": not met, as the report says
    # 表6: 2022 年 实际到岗 108 against 目标 110, yet "该项指标达到目标值": shown, not hidden
    assert by[("反诈骗蓝马甲人员数", "2022")] == "❌ 未达成（报告结论：达成） ⚠️"
    assert any("报告结论为达成" in w.value for w in at.warning)


def test_tianshui_case_declines_and_no_targets():
    at = run_page("outcomes", project=TS)
    assert not at.exception
    assert _values(at, "电诈案件发案数同比下降率") == ["53.50%"]    # "全市电诈案件发案数同比下降53.5%"
    assert _values(at, "电诈案件破案数同比上升率") == ["252.30%"]   # "破案数同比上升252.3%"
    assert _values(at, "命案同比下降率") == ["45.45%"]              # "命案同比下降45.45%"
    assert any("未披露绩效目标" in i.value for i in at.info)


def test_category_pills_narrow_the_cards():
    at = run_page("outcomes", project=TJ)
    n_all = len(at.metric)
    at.pills(key="w_outcomes_cats").set_value(["止付返还"]).run()
    assert not at.exception
    labels = {m.label for m in at.metric} - {"目标数", "达成", "未达成", "未披露结论", "与报告结论不一致"}
    assert labels == {"紧急止付资金", "发还返还被骗资金", "获发还返还的被害人"}
    assert len(at.metric) < n_all


def test_selection_of_the_three_reports():
    at = run_page("outcomes", demo="0")
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert any("（天津电诈运行保障经费）" in lbl for lbl in labels)
    assert any("（福田反诈骗服务 2021—2023）" in lbl for lbl in labels)


def test_english():
    at = run_page("outcomes", project=TJ, lang="en")
    assert not at.exception
    assert _values(at, "Intercepted fraud calls") == ["over 26 million records"]


@pytest.mark.parametrize("pid", [TJ, FT, TS])
def test_url_keeps_the_project(pid):
    at = run_page("outcomes", project=pid)
    assert pid in str(at.query_params["project"])


def test_a_selection_too_large_to_list_keeps_its_counts_and_lists_the_targets_not_met_first(tables, monkeypatch):
    """Beyond capped.MAX_ROWS rows (500; 5 here) the target counts still cover every target, the tables list
    5 rows (targets not met first) and captions say how many there are in all."""
    from perfeval.domain import outcomes
    from perfeval.views import capped

    full = run_page("outcomes")
    monkeypatch.setattr(capped, "MAX_ROWS", 5)
    at = run_page("outcomes")
    assert not at.exception
    assert [(m.label, m.value) for m in at.metric] == [(m.label, m.value) for m in full.metric]
    o = tables("outcomes").merge(tables("metrics")[["metric_key", "category"]], on="metric_key")
    n_figures = int(o["category"].isin(outcomes.CATEGORY_ORDER).sum())
    norm = next(d.value for d in at.dataframe if "per_wan_s" in d.value.columns)
    assert len(norm) == 5
    captions = "\n".join(c.value for c in at.caption)
    assert f"（共 {n_figures:,} 条成效数值）" in captions
    targets = next(d.value for d in at.dataframe if "verdict_s" in d.value.columns)
    n_targets = len(tables("targets"))
    assert len(targets) == 5 and all(v.startswith("❌") for v in targets["verdict_s"])
    assert f"（共 {n_targets:,} 项目标）" in captions
