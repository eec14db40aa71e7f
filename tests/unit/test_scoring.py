"""The scoring engine: every rule type at its edges, references, fallbacks, grades and the tree."""
import math

import pandas as pd
import pytest

from perfeval.domain import scoring
from perfeval.domain.scoring import Rule, evaluate, rule_text


def ev(rule_type, params="", inputs="", weight=5, reported=None, facts=None, name="测试率"):
    return evaluate(Rule.from_texts(rule_type, params, inputs), weight, reported, facts, name, "test rate")


def assert_fallback(e, reported, word):
    """A rule that cannot apply keeps the reported score, says why, and is never a silent zero."""
    assert e.method == ("fallback" if reported is not None else "none")
    assert e.score == reported
    assert word in e.reason_en or word in e.reason_zh
    assert e.reason_zh.startswith("无法按规则重算") and e.note_zh


# -- ratio ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("inputs,expected", [
    ("rate=100%", 5.0),               # exactly full
    ("rate=0", 0.0),                  # 0 %
    ("rate=0%", 0.0),
    ("rate=1.2", 5.0),                # above 100 %: capped at the weight
    ("rate=98.89%", 4.94),            # 福田 B12: 98.89 % × 5 = 4.9445 → 4.94
    ("rate=0.9889", 4.94),
    ("rate=-0.1", 0.0),               # a negative rate counts as 0
    ("numerator=3674.16; denominator=3715.28", 4.94),
    ("numerator=3715.28; denominator=3715.28", 5.0),
])
def test_ratio(inputs, expected):
    e = ev("ratio", "label=预算执行率", inputs)
    assert e.method == "rule" and e.score == expected
    assert "× 权重 5" in e.reason_zh and "× weight 5" in e.reason_en


def test_ratio_reason_reads_like_the_report():
    e = ev("ratio", "label=预算执行率; label_en=budget execution rate", "rate=98.89%")
    assert e.reason_zh == "预算执行率 98.89% × 权重 5 = 4.94"
    assert e.reason_en == "budget execution rate 98.89% × weight 5 = 4.94"


def test_ratio_cap_parameter():
    assert ev("ratio", "cap=0.8", "rate=0.9").score == 4.0
    assert "按 80% 计" in ev("ratio", "cap=0.8", "rate=0.9").reason_zh


def test_ratio_share_of_values_meeting_a_target():
    e = ev("ratio", "target=80%", "values=2021:0.81, 2022:0.79, 2023:0.80", weight=10)
    assert e.score == pytest.approx(10 * 2 / 3, abs=0.005)  # 0.80 is exactly on the target: met
    assert "2/3" in e.reason_zh


@pytest.mark.parametrize("inputs,word", [
    ("", "rate"),                                  # nothing given
    ("numerator=5; denominator=0", "denominator"),  # a zero denominator is no rate
    ("numerator=5", "denominator"),
    ("rate=abc", "not a number"),
    ("rate=未披露", "rate"),
])
def test_ratio_missing_or_bad_input_falls_back(inputs, word):
    assert_fallback(ev("ratio", "", inputs, reported=4.5), 4.5, word)
    assert_fallback(ev("ratio", "", inputs, reported=None), None, word)


def test_missing_weight_falls_back():
    assert_fallback(ev("ratio", "", "rate=0.5", weight=None, reported=2.0), 2.0, "weight")


# -- ratio with step deductions and a floor ---------------------------------------------------------

ARRIVAL = "step=1%; deduction=5%; floor=80%; label=资金到位率"
TIMELY = "step=5%; deduction=5%; floor=60%; label=及时率"


@pytest.mark.parametrize("params,rate,weight,expected", [
    (ARRIVAL, "100%", 2, 2.0),
    (ARRIVAL, "101%", 2, 2.0),      # above 100 %
    (ARRIVAL, "99%", 2, 1.9),       # exactly one step: 5 % of the weight
    (ARRIVAL, "97%", 2, 1.7),
    (ARRIVAL, "93%", 2, 1.3),       # 7 steps (float 0.07/0.01 = 6.9999…)
    (ARRIVAL, "99.5%", 2, 2.0),     # part of a step does not count (partial=ignore)
    (ARRIVAL, "80%", 2, 0.0),       # exactly on the floor: 20 steps take the whole weight
    (ARRIVAL, "79.99%", 2, 0.0),    # below the floor
    (ARRIVAL, "0%", 2, 0.0),
    (TIMELY, "100%", 5, 5.0),
    (TIMELY, "95%", 5, 4.75),       # exactly one 5 % step
    (TIMELY, "90%", 5, 4.5),
    (TIMELY, "60%", 5, 3.0),        # on the floor: 8 steps × 5 % = 40 % off
    (TIMELY, "59.9%", 5, 0.0),      # below 60 %: nothing
])
def test_ratio_steps(params, rate, weight, expected):
    e = ev("ratio_steps", params, f"rate={rate}", weight=weight)
    assert e.method == "rule"
    assert e.score == pytest.approx(expected)


@pytest.mark.parametrize("partial,expected", [("ignore", 2.0), ("count", 1.9), ("prorate", 1.95)])
def test_ratio_steps_partial_step(partial, expected):
    assert ev("ratio_steps", ARRIVAL + f"; partial={partial}", "rate=99.5%", weight=2).score == pytest.approx(expected)


def test_ratio_steps_needs_its_parameters():
    assert_fallback(ev("ratio_steps", "deduction=5%", "rate=0.9", reported=1.0), 1.0, "step")
    assert_fallback(ev("ratio_steps", ARRIVAL + "; partial=sometimes", "rate=0.9", reported=1.0), 1.0, "partial")
    assert_fallback(ev("ratio_steps", ARRIVAL, "", reported=1.0), 1.0, "rate")


# -- checklist -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("params,inputs,expected", [
    ("points=1,1,1,1,1", "met=all", 5.0),
    ("points=1,1,1,1,1", "met=1,2,3,4", 4.0),
    ("points=1,1,1,1,1", "met=①②③", 3.0),          # circled numbers as in the report
    ("points=1,1,1,1,1", "met=none", 0.0),          # an explicit "none met" is a real 0
    ("points=1,1,1,2", "met=2,3,4", 4.0),           # 福田 B22: per-point weights
    ("points=1,1,1,2", "not_met=4", 3.0),
    ("points=1,1,1,1,1", "met_count=2", 2.0),
    ("n=4", "met=1,2", 2.5),                        # equal shares of the weight
    ("points=1,1; required=1", "met=2", 0.0),       # 福田 B21: failing point ① gives 0
    ("points=1,1; required=1", "met=1", 1.0),
    ("points=2,2,2", "met=all", 5.0),               # all met → the full weight
    ("points=2,2,2", "met=1,2,3", 5.0),
])
def test_checklist(params, inputs, expected):
    e = ev("checklist", params, inputs)
    assert e.method == "rule" and e.score == expected


def test_checklist_notes_points_that_do_not_add_up_to_the_weight():
    e = ev("checklist", "points=2,2,2", "met=1")
    assert e.score == 2.0 and "6" in e.note_zh


@pytest.mark.parametrize("inputs,word", [("", "met"), ("met=1,7", "7"), ("met=x", "not a number"),
                                         ("met_count=9", "met_count")])
def test_checklist_bad_input_falls_back(inputs, word):
    assert_fallback(ev("checklist", "points=1,1,1,1,1", inputs, reported=4), 4.0, word)


@pytest.mark.parametrize("inputs,expected", [
    ("veto=否; met=all", 5.0),
    ("veto=no; met=1,2", 3.0),
    ("veto=是; met=all", 0.0),    # a veto item holds: nothing, whatever else is met
    ("veto=yes", 0.0),
])
def test_checklist_veto(inputs, expected):
    e = ev("checklist_veto", "points=1,2,2; veto_label=截留、挤占、挪用、虚列支出", inputs)
    assert e.method == "rule" and e.score == expected
    assert "截留、挤占、挪用、虚列支出" in e.reason_zh


def test_checklist_veto_without_the_veto_answer_falls_back():
    assert_fallback(ev("checklist_veto", "points=1,2,2", "met=all", reported=5), 5.0, "veto")
    assert_fallback(ev("checklist_veto", "points=1,2,2", "veto=maybe; met=all", reported=5), 5.0, "yes/no")


# -- shortfall steps against a plan -------------------------------------------------------------------------

STAFF = "steps=10:4, 20:3, 30:2, 40:0"


@pytest.mark.parametrize("actual,expected", [
    ("111", 5.0),   # above plan
    ("110", 5.0),   # exactly on plan
    ("108", 5.0),   # short by 2: the rule is silent, full marks by default (as the 福田 evaluator did)
    ("100", 5.0),   # short by exactly 10: not "more than 10"
    ("99", 4.0),    # short by 11
    ("90", 4.0),    # short by exactly 20
    ("89", 3.0),
    ("79", 2.0),
    ("70", 2.0),    # short by exactly 40
    ("69", 0.0),    # short by more than 40
    ("0", 0.0),
])
def test_shortfall_steps(actual, expected):
    e = ev("shortfall_steps", STAFF, f"actual={actual}; plan=110")
    assert e.method == "rule" and e.score == expected


def test_shortfall_steps_worst_year_and_sum():
    inputs = "actual=2021:111, 2022:95, 2023:109; plan=110"
    worst = ev("shortfall_steps", STAFF, inputs)
    assert worst.score == 4.0 and "2022" in worst.reason_zh
    total = ev("shortfall_steps", STAFF + "; aggregate=sum", inputs)  # 330 − 315 = 15
    assert total.score == 4.0


def test_shortfall_steps_within_parameter_and_labelled_plans():
    assert ev("shortfall_steps", STAFF + "; within=4.5", "actual=108; plan=110").score == 4.5
    e = ev("shortfall_steps", STAFF, "actual=2021:111, 2022:108; plan=2021:110, 2022:120")
    assert e.score == 4.0  # 2022: 120 − 108 = 12


def test_shortfall_steps_missing_plan_falls_back():
    assert_fallback(ev("shortfall_steps", STAFF, "actual=2021:111; plan=2022:110", reported=5), 5.0, "plan")
    assert_fallback(ev("shortfall_steps", STAFF, "actual=111", reported=5), 5.0, "plan")
    assert_fallback(ev("shortfall_steps", "steps=10", "actual=1; plan=2", reported=5), 5.0, "threshold:points")


# -- sign of a saving ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("inputs,expected", [
    ("plan=3715.28; actual=3674.16", 5.0),   # 福田 C41: 1.11 % > 0
    ("plan=100; actual=100", 3.0),           # exactly 0
    ("plan=100; actual=100.01", 0.0),        # overspent
    ("rate=0", 3.0),
    ("rate=0.5%", 5.0),
    ("rate=-1%", 0.0),
])
def test_saving_sign(inputs, expected):
    e = ev("saving_sign", "zero=3", inputs)
    assert e.method == "rule" and e.score == expected


def test_saving_sign_edges_fall_back():
    assert_fallback(ev("saving_sign", "zero=3", "plan=0; actual=5", reported=5), 5.0, "plan")
    assert_fallback(ev("saving_sign", "", "rate=0", reported=5), 5.0, "zero")  # the rule must say what 0 earns


# -- per-year conditions -----------------------------------------------------------------------------------

YEARS = "points=2021:5, 2022:5, 2023:4; op=>=; threshold=0%"


@pytest.mark.parametrize("values,expected", [
    ("2021:27.40%, 2022:7.76%, 2023:32.41%", 14.0),   # 福田 D11
    ("2021:0, 2022:0, 2023:0", 14.0),                 # exactly on the threshold counts (≥ 0 %)
    ("2021:-0.01%, 2022:7.76%, 2023:32.41%", 9.0),
    ("2021:1%, 2022:2%, 2023:-3%", 10.0),
    ("2021:-1, 2022:-1, 2023:-1", 0.0),
])
def test_yearly_conditions(values, expected):
    e = ev("yearly_conditions", YEARS, f"values={values}", weight=14)
    assert e.method == "rule" and e.score == expected


def test_yearly_conditions_missing_year_falls_back():
    assert_fallback(ev("yearly_conditions", YEARS, "values=2021:1%, 2022:2%", weight=14, reported=14), 14.0, "2023")


# -- the 5-level scale -------------------------------------------------------------------------------------

@pytest.mark.parametrize("level,expected", [
    ("很满意", 10.0), ("较满意", 8.0), ("一般", 6.0), ("不太满意", 4.0), ("不满意", 2.0),
    ("1", 10.0), ("5", 2.0), ("satisfied", 8.0),
])
def test_scale5_levels(level, expected):
    e = ev("scale5", "", f"level={level}", weight=10)
    assert e.method == "rule" and e.score == expected


def test_scale5_custom_levels_and_counts():
    custom = "levels=很大,较大,一般,较小,很小"
    assert ev("scale5", custom, "level=较小", weight=6).score == pytest.approx(2.4)
    e = ev("scale5", "", "counts=100,20,5,1,0", weight=10)
    assert e.score == pytest.approx(10 * (100 + 16 + 3 + 0.4) / 126, abs=0.005)
    assert ev("scale5", "", "rate=96%", weight=10).score == 9.6
    assert ev("scale5", "", "rate=1.2", weight=10).score == 10.0


@pytest.mark.parametrize("inputs,word", [("level=还行", "level"), ("level=6", "1–5"), ("counts=1,2,3", "5"),
                                         ("counts=0,0,0,0,0", "counts"), ("", "level")])
def test_scale5_bad_input_falls_back(inputs, word):
    assert_fallback(ev("scale5", "", inputs, weight=10, reported=10), 10.0, word)


# -- manual and unknown rules ----------------------------------------------------------------------------------

def test_manual_keeps_the_evaluators_score():
    e = ev("manual", "", "", weight=17, reported=15)
    assert e.method == "manual" and e.score == 15 and not e.recomputed
    assert "人工评分" in e.reason_zh
    assert ev("manual", "", "score=16", weight=17, reported=15).score == 16
    none = ev("manual", "", "", weight=17, reported=None)
    assert none.score is None and none.method == "none" and "未披露" in none.reason_zh


@pytest.mark.parametrize("rule", [None, Rule.from_texts("", "", ""), Rule.from_texts("bogus", "", ""),
                                  Rule.from_texts("ratio", "label", "rate=1")])
def test_no_or_unreadable_rule_falls_back(rule):
    e = evaluate(rule, 5, 4.0)
    assert e.method == "fallback" and e.score == 4.0 and e.note_zh


# -- references ----------------------------------------------------------------------------------------------

def test_references_resolve_against_facts():
    facts = {("spent_total", "total"): 3674.16, ("received_total", "total"): 3715.28,
             ("outcome_value", "metric:x;year:2021"): 0.1}
    e = ev("ratio", "label=预算执行率", "numerator=@spent_total; denominator=@received_total", facts=facts)
    assert e.score == 4.94 and e.inputs["numerator"] == 3674.16
    y = ev("yearly_conditions", "points=2021:5", "values=2021:@outcome_value[year:2021;metric:x]", facts=facts)
    assert y.score == 5.0  # scope parts in any order


def test_a_reference_without_a_value_is_a_missing_input():
    e = ev("ratio", "", "numerator=@spent_total; denominator=@received_total", reported=4.94,
           facts={("received_total", "total"): 1.0})
    assert_fallback(e, 4.94, "@spent_total")


# -- rules_io ----------------------------------------------------------------------------------------------------

def test_parse_pairs_reads_what_people_type():
    assert rule_text.parse_pairs("a=1；b＝2，3\nc=x") == {"a": "1", "b": "2,3", "c": "x"}
    assert rule_text.parse_pairs("v=2021:@f[metric:x;year:2021], 2022:@f[metric:x;year:2022]; w=1") == {
        "v": "2021:@f[metric:x;year:2021], 2022:@f[metric:x;year:2022]", "w": "1"}
    assert rule_text.parse_pairs("op=>=") == {"op": ">="}
    assert rule_text.parse_pairs(None) == {} and rule_text.parse_pairs(float("nan")) == {}
    for bad in ("a", "a=1; a=2", "1x=2"):
        with pytest.raises(rule_text.RuleTextError):
            rule_text.parse_pairs(bad)


@pytest.mark.parametrize("text,value", [("98.89%", 0.9889), ("3,674.16", 3674.16), ("５", 5.0), ("-1%", -0.01),
                                        ("0.5", 0.5), (7, 7.0)])
def test_parse_number(text, value):
    assert rule_text.parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "1,2", "nan", ""])
def test_parse_number_refuses(text):
    with pytest.raises(rule_text.RuleTextError):
        rule_text.parse_number(text)


def test_scopes_and_lists():
    assert rule_text.normalise_scope("year:2021;metric:x") == rule_text.normalise_scope("metric:x; year:2021")
    assert rule_text.normalise_scope(None) == "total"
    assert rule_text.scope_parts("level:2;indicator:C") == {"level": "2", "indicator": "C"}
    assert rule_text.split_labelled("2021:5, 6") == [("2021", "5"), (None, "6")]
    assert rule_text.split_list("①②④") == ["1", "2", "4"]
    assert rule_text.parse_reference("@x[year:1]").key == ("x", "year:1")
    assert rule_text.parse_reference("5") is None


# -- grades ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("score,grade", [(100, "优"), (90, "优"), (89.99, "良"), (80, "良"), (79.99, "中"),
                                         (60, "中"), (59.99, "差"), (0, "差"), (None, None), (math.nan, None)])
def test_default_grade_bands(score, grade):
    assert scoring.grade_of(score) == grade


def test_grade_bands_are_data():
    df = pd.DataFrame({"band_set": ["strict"] * 3, "grade": ["A", "B", "C"], "min_score": [95, 75, 0],
                       "name_en": ["", "", ""]})
    bands = scoring.bands_from_frame(df, "strict")
    assert scoring.grade_of(94, bands) == "B" and scoring.grade_of(95, bands) == "A"
    assert scoring.band_range("B", bands) == (75, 95) and scoring.band_range("A", bands) == (95, None)
    assert scoring.bands_from_frame(df, "missing") == scoring.DEFAULT_BANDS
    assert scoring.bands_from_frame(None) == scoring.DEFAULT_BANDS


# -- the tree --------------------------------------------------------------------------------------------------

def _tree_rows():
    return pd.DataFrame([
        {"code": "A", "parent_code": None, "level": 1, "name": "决策", "weight": None, "reported_score": None, "sort_order": 1},
        {"code": "A1", "parent_code": "A", "level": 2, "name": "a1", "weight": 5, "reported_score": 4.94, "sort_order": 2},
        {"code": "A2", "parent_code": "A", "level": 2, "name": "a2", "weight": 3, "reported_score": 3, "sort_order": 3},
        {"code": "B", "parent_code": None, "level": 1, "name": "过程", "weight": 12, "reported_score": 10, "sort_order": 4},
    ])


def test_tree_recomputes_bottom_up():
    rules = {"A1": Rule.from_texts("ratio", "", "rate=98.89%"), "A2": Rule.from_texts("checklist", "n=3", "met=all"),
             "B": Rule.from_texts("manual", "", "")}
    t = scoring.score_tree(_tree_rows(), rules).set_index("code")
    assert t.loc["A1", "recomputed_score"] == 4.94 and t.loc["A1", "method"] == "rule"
    assert t.loc["A", "recomputed_score"] == pytest.approx(7.94) and t.loc["A", "method"] == "sum"
    assert t.loc["A", "weight_effective"] == 8 and t.loc["A", "reported_effective"] == pytest.approx(7.94)
    assert pd.isna(t.loc["A", "weight"])  # the report's own value stays "not reported"
    assert t.loc["B", "method"] == "manual" and t.loc["B", "points_lost"] == 2
    total = scoring.total_evaluation(t.reset_index(), 17.94)
    assert total.score == pytest.approx(17.94) and total.method == "sum"


def test_partial_tree_keeps_reported_scores_and_says_so():
    rows = _tree_rows()
    rows.loc[rows["code"] == "A", "reported_score"] = 7.5
    rows.loc[rows["code"] == "A1", "reported_score"] = None
    t = scoring.score_tree(rows, {}).set_index("code")
    # A1 has neither a rule nor a reported score: "not reported", never 0
    assert t.loc["A1", "recomputed_score"] is None or pd.isna(t.loc["A1", "recomputed_score"])
    assert t.loc["A1", "method"] == "none"
    assert t.loc["A", "method"] == "fallback" and t.loc["A", "recomputed_score"] == 7.5
    assert "A1" in t.loc["A", "reason_zh"]


def test_total_without_a_tree_is_the_reported_total_marked_manual():
    e = scoring.total_evaluation(pd.DataFrame(columns=scoring.TREE_COLUMNS), 82.06)
    assert e.score == 82.06 and e.method == "manual" and "只给出总分" in e.reason_zh
    assert scoring.total_evaluation(pd.DataFrame(), None).score is None


def test_tree_survives_a_cycle_and_an_empty_table():
    rows = pd.DataFrame([{"code": "X", "parent_code": "Y", "level": 1, "name": "x", "weight": 1, "reported_score": 1},
                         {"code": "Y", "parent_code": "X", "level": 1, "name": "y", "weight": 1, "reported_score": 1}])
    t = scoring.score_tree(rows, {})
    assert set(t["code"]) == {"X", "Y"}
    assert scoring.score_tree(pd.DataFrame(), {}).empty


def test_rule_types_match_the_schema():
    from perfeval.data import schema
    allowed = schema.table("indicator_rules").column("rule_type").allowed
    assert set(allowed) == set(scoring.RULE_TYPES)


def test_round_score_is_half_up():
    assert scoring.round_score(4.945) == 4.95 and scoring.round_score(4.9445) == 4.94
    assert scoring.round_score(2.675) == 2.68  # float 2.675 is 2.67499…: rounded as written
