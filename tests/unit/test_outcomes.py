"""Outcome metrics: formatting with qualifiers, normalisation, direction-aware changes, targets met."""
import pandas as pd
import pytest

from perfeval.domain import outcomes


@pytest.mark.parametrize("value,unit,qualifier,lang,text", [
    (26_000_000, "条", "over", "zh", "2,600万余条"),        # "累计拦截涉诈通话 2600 余万条"
    (12_000_000, "人次", "nearly", "zh", "近1,200万人次"),   # "成功劝阻潜在受骗人近 1200 万人次"
    (5800, "万元", "over", "zh", "5,800余万元"),            # "拦截止付资金 5800 余万元"
    (4900, "万元", "nearly", "zh", "近4,900万元"),          # "被骗资金近 4900 万元"
    (125, "万人", "over", "zh", "125万余人"),               # "安装量达到 125 万余人"
    (0.8635, "%", None, "zh", "86.35%"),
    (0.274, "%", None, "zh", "27.40%"),
    (1, "名", None, "zh", "第1名"),
    (600, "宗", "over", "zh", "600余宗"),
    (700, "个", "nearly", "zh", "近700个"),
    (26_000_000, "条", "over", "en", "over 26 million records"),
    (600, "宗", "over", "en", "over 600 cases"),
    (4_300_000, "个", "over", "en", "over 4.3 million"),
    (125, "万人", "over", "en", "over 1.25 million people"),
    (3, "名", None, "en", "No. 3"),
    (None, "条", None, "zh", "未披露"),
    (pd.NA, "%", None, "en", "not reported"),
])
def test_format_value_keeps_qualifiers(value, unit, qualifier, lang, text):
    assert outcomes.format_value(value, unit, qualifier, lang) == text


def test_normalisation_only_for_quantities():
    assert outcomes.per_wan_spent(1386, 1242.66, "场") == pytest.approx(1386 / 1242.66)
    assert outcomes.per_wan_spent(0.81, 1242.66, "%") is None       # a rate does not scale with money
    assert outcomes.per_wan_spent(3, 1242.66, "名") is None         # nor a rank
    assert outcomes.per_wan_spent(1386, None, "场") is None
    assert outcomes.per_wan_spent(1386, 0, "场") is None
    # population in 万人: 1 200万 dissuasions over 1 363.0 万 residents → per 10 000 residents
    assert outcomes.per_10k_residents(12_000_000, 1363.0, "人次") == pytest.approx(12_000_000 / 1363.0)
    assert outcomes.per_10k_residents(12_000_000, None, "人次") is None
    assert outcomes.per_10k_residents(12_000_000, pd.NA, "人次") is None


@pytest.mark.parametrize("prev,cur,direction,quality", [
    (1386, 1540, "higher", "good"),      # more campaigns
    (1386, 1150, "higher", "bad"),
    (0.274, 0.0776, "higher", "bad"),    # a smaller decline of fraud reports is bad news
    (0.0776, 0.3241, "higher", "good"),
    (1, 3, "lower", "bad"),              # rank 1 → 3 is worse
    (30, 0, "lower", "good"),            # a falling case count is good
    (3, 3, "lower", "flat"),
    (None, 3, "lower", "unknown"),
])
def test_change_quality_respects_direction(prev, cur, direction, quality):
    assert outcomes.change_quality(prev, cur, direction) == quality


def test_change_quality_rejects_unknown_direction():
    with pytest.raises(ValueError):
        outcomes.change_quality(1, 2, "up")


def test_delta_color():
    assert outcomes.delta_color("higher") == "normal"
    assert outcomes.delta_color("lower") == "inverse"


def _frame():
    return pd.DataFrame({
        "project_id": ["ft"] * 5 + ["tj"] * 3,
        "metric_key": ["campaigns_held"] * 3 + ["app_install_rank"] * 2 + ["blocked_fraud_domains"] * 2 + ["x"],
        "year": [2023, 2021, 2022, 2021, 2022, None, None, None],
        "value": [1540, 1386, 1150, 1, 3, 4_300_000, 4_400_000, 7],
    })


def test_trend_metrics_need_two_years():
    assert outcomes.trend_metrics(_frame()) == [("ft", "campaigns_held"), ("ft", "app_install_rank")]


def test_with_changes_sorts_by_year():
    s = outcomes.with_changes(_frame().iloc[:3], "higher")
    assert list(s["year"]) == [2021, 2022, 2023]
    assert list(s["quality"]) == ["unknown", "bad", "good"]
    assert list(s["change"].iloc[1:]) == [-236, 390]


def test_multiple_statements_finds_two_values_for_one_period():
    c = outcomes.multiple_statements(_frame())
    assert list(c["value"]) == [4_300_000, 4_400_000]


@pytest.mark.parametrize("actual,op,target,met", [
    (111, ">=", 110, True), (108, ">=", 110, False), (0.9889, "=", 1.0, False), (1.0, "=", 1.0, True),
    (5, "<=", 10, True), (11, "<=", 10, False), (10, ">", 10, False), (9, "<", 10, True),
    (None, ">=", 110, None), (111, None, 110, None), (111, ">=", pd.NA, None),
])
def test_target_met(actual, op, target, met):
    assert outcomes.target_met(actual, op, target) is met


def test_target_verdict_flags_disagreement_with_the_report():
    # 福田 2022: 实际到岗 108 against a plan of 110, yet the report says the target was reached
    v = outcomes.target_verdict({"actual_value": 108, "operator": ">=", "target_value": 110, "stated_met": True})
    assert v == {"computed": False, "stated": True, "met": False, "disagree": True}
    assert outcomes.verdict_text(v) == "未达成（报告结论：达成）"
    # no figures: the report's word is all there is
    v = outcomes.target_verdict({"actual_value": None, "operator": "=", "target_value": 1.0, "stated_met": False})
    assert v["met"] is False and not v["disagree"]
    assert outcomes.verdict_text(v, "en") == "not met (report's conclusion)"
    v = outcomes.target_verdict({"actual_value": None, "operator": None, "target_value": None, "stated_met": pd.NA})
    assert v["met"] is None and outcomes.verdict_text(v) == "未披露"


def test_target_and_actual_texts():
    row = {"operator": ">=", "target_value": 0.8, "unit": "%", "actual_value": 0.8635}
    assert outcomes.target_text(row) == "≥ 80.00%"
    assert outcomes.actual_text(row) == "86.35%"
    row = {"operator": None, "target_value": None, "target_text": "全年开展", "unit": None}
    assert outcomes.target_text(row) == "全年开展"
    assert outcomes.actual_text(row) == "未披露"


def _values():
    return pd.DataFrame({
        "project_id": ["ft"] * 3 + ["tj"] * 3,
        "short_name": ["福田"] * 3 + ["天津"] * 3,
        "metric_key": ["campaigns_held"] * 3 + ["blocked_fraud_domains", "blocked_fraud_domains", "app_install_rank"],
        "name_zh": ["开展集中宣传场数"] * 3 + ["封堵涉诈域名网址"] * 2 + ["APP安装率全市排名"],
        "name_en": ["Campaigns"] * 3 + ["Blocked domains"] * 2 + ["App rank"],
        "category": ["宣传"] * 3 + ["拦截"] * 2 + ["宣传"],
        "direction": ["higher"] * 5 + ["lower"],
        "year": [2021, 2022, 2023, None, None, None],
        "period_label": ["2021年", "2022年", "2023年", "效益部分", "经验做法部分", None],
        "value": [1386, 1150, 1540, 4_300_000, 4_400_000, 3],
        "unit": ["场"] * 3 + ["个", "个", "名"],
        "qualifier": [None, None, None, "over", "nearly", None],
        "quote": ["2021 年共开展集中宣传 1386 场", "q2", "q3", "封堵涉诈域名网址 430 余万个", "近440万个", None],
        "population": [None] * 6,
        "spent_total": [3674.16] * 3 + [824.81] * 3,
        "spent_year": [1242.66, 1208.99, 1222.51, None, None, None],
    })


def test_cards_latest_year_with_direction_aware_delta():
    cs = outcomes.cards(_values())
    assert [c["category"] for c in cs] == ["拦截", "拦截", "宣传", "宣传"]  # catalogue order, then data order
    campaigns = next(c for c in cs if c["metric_key"] == "campaigns_held")
    assert (campaigns["label"], campaigns["period"]) == ("开展集中宣传场数", "2023年")
    assert campaigns["value"] == "1,540场"
    assert campaigns["delta"] == "+390 场（较2022年）"
    assert campaigns["delta_color"] == "green"
    rank = next(c for c in cs if c["metric_key"] == "app_install_rank")
    assert rank["value"] == "第3名" and rank["delta"] is None


def test_cards_keep_each_statement_of_one_period():
    cs = [c for c in outcomes.cards(_values()) if c["metric_key"] == "blocked_fraud_domains"]
    assert [c["value"] for c in cs] == ["430万余个", "近440万个"]
    assert [c["period"] for c in cs] == ["效益部分", "经验做法部分"]
    assert {c["label"] for c in cs} == {"封堵涉诈域名网址"}
    assert cs[0]["help"] == "封堵涉诈域名网址 430 余万个"


def test_cards_in_english_with_project_names():
    cs = outcomes.cards(_values(), "en", with_project=True)
    campaigns = next(c for c in cs if c["metric_key"] == "campaigns_held")
    assert (campaigns["label"], campaigns["period"]) == ("Campaigns (福田)", "2023")
    assert campaigns["delta"] == "+390 events vs 2022"


def test_cards_for_a_lower_is_better_series():
    df = _values().iloc[[5]].assign(year=2022)
    df = pd.concat([df, df.assign(year=2023, value=1)])
    (card,) = outcomes.cards(df)
    assert card["delta"] == "-2 名（较2022年）" and card["delta_color"] == "green"  # rank 3 → 1 is good news


def test_normalise_uses_the_years_spending_for_yearly_figures():
    n = outcomes.normalise(_values())
    assert n["per_wan"][0] == pytest.approx(1386 / 1242.66)
    assert n["spent_basis"][0] == "year"
    assert n["per_wan"][3] == pytest.approx(4_300_000 / 824.81)
    assert n["spent_basis"][3] == "total"
    assert pd.isna(n["per_wan"][5]) and pd.isna(n["spent_basis"][5])     # a rank is not normalised
    assert n["per_10k"].isna().all()                                      # no population: nothing invented
    with_pop = outcomes.normalise(_values().assign(population=150.0))
    assert with_pop["per_10k"][0] == pytest.approx(1386 / 150.0)


def test_cards_colour_a_smaller_decline_rate_red():
    df = pd.DataFrame({"project_id": ["ft"] * 2, "metric_key": ["fraud_reports_yoy_decline"] * 2,
                       "name_zh": ["接报诈骗警情同比下降率"] * 2, "name_en": ["x"] * 2, "category": ["案件"] * 2,
                       "direction": ["higher"] * 2, "year": [2021, 2022], "period_label": [None] * 2,
                       "value": [0.274, 0.0776], "unit": ["%"] * 2, "qualifier": [None] * 2, "quote": [None] * 2})
    (card,) = outcomes.cards(df)
    assert card["delta"] == "-19.64 个百分点（较2021年）" and card["delta_color"] == "red"
    (card,) = outcomes.cards(df.assign(value=[0.3, 0.3]))
    assert card["delta"] == "±0.00 个百分点（较2021年）" and card["delta_color"] == "gray"
    assert card["delta_arrow"] == "off" and card["series"] == [0.3, 0.3]


def test_normalised_text():
    assert outcomes.normalised_text(14548.81, "人次", "nearly") == "约14,548.81"
    assert outcomes.normalised_text(1386 / 1242.66, "场", None) == "1.12"
    assert outcomes.normalised_text(None, "场", None) == "未披露"
    assert outcomes.normalised_text(0.5, "%", None) == "—"
    assert outcomes.normalised_text(3.0, "条", "over", "en") == "about 3"


# ------------------------------------------------------------------------------------ the queries on a tiny lake

from perfeval.data.gate import DataGate, Scope  # noqa: E402
from perfeval.data.lake import Lake  # noqa: E402
from tests.lakes import write_table as _write  # noqa: E402

NO_FILTERS = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)



@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    root = tmp_path_factory.mktemp("outcomes_lake") / "data"
    _write(root, "catalog/documents.csv", "documents", [dict(source="report:a", kind="report", title="A")])
    _write(root, "catalog/metrics.csv", "metrics", [
        dict(metric_key="m_count", name_zh="宣传场数", name_en="Campaigns", unit="场", category="宣传",
             direction="higher", source="report:catalog")])
    _write(root, "seed/a/projects.csv", "projects", [dict(
        project_id="A", name="A 项目", short_name="甲", category="反诈", province="某省", region_code="990000",
        implementing_unit="单位", evaluator="机构", evaluator_type="自评", period_start="2021-01-01",
        period_end="2022-12-31", population=50, source="report:a")])
    _write(root, "seed/a/budget.csv", "budget", [
        dict(project_id="A", year=2022, received=100, spent=80, source="report:a")])
    _write(root, "seed/a/outcomes.csv", "outcomes", [
        dict(project_id="A", outcome_id="O1", metric_key="m_count", year=2021, value=10, unit="场", source="report:a"),
        dict(project_id="A", outcome_id="O2", metric_key="m_count", year=2022, value=12, unit="场",
             qualifier="over", quote="12 余场", source="report:a")])
    _write(root, "seed/a/targets.csv", "targets", [
        dict(project_id="A", target_id="T1", year=2022, name="场数", unit="场", operator=">=", target_value=11,
             actual_value=12, stated_met="true", source="report:a")])
    return DataGate(Lake(root))


def test_outcomes_values_query_joins_catalogue_and_spending(gate):
    df = gate.query("outcomes_values", Scope.everything(), **NO_FILTERS, project_id=None, categories=None, limit=None)
    assert list(df["outcome_id"]) == ["O1", "O2"]
    assert set(df["direction"]) == {"higher"} and set(df["name_zh"]) == {"宣传场数"}
    assert list(df["spent_total"]) == [80, 80]
    assert pd.isna(df["spent_year"][0]) and df["spent_year"][1] == 80   # no 2021 money: not 0
    assert df["qualifier"][1] == "over" and df["population"][0] == 50
    n = outcomes.normalise(df)
    assert n["per_wan"].tolist()[1] == pytest.approx(12 / 80) and n["spent_basis"].tolist()[1] == "year"
    assert n["spent_basis"].tolist()[0] == "total"
    assert n["per_10k"].tolist() == pytest.approx([10 / 50, 12 / 50])


def test_targets_list_query(gate):
    df = gate.query("targets_list", Scope.everything(), **NO_FILTERS, project_id="A")
    (row,) = df.to_dict("records")
    assert (row["operator"], row["target_value"], row["actual_value"], bool(row["stated_met"])) == (">=", 11, 12, True)
    assert outcomes.target_verdict(row) == {"computed": True, "stated": True, "met": True, "disagree": False}
    assert gate.query("targets_list", Scope.everything(), **NO_FILTERS, project_id="nobody").empty
