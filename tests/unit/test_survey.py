"""Survey maths: valid rate, the 95 % margin of error (normal approximation), Wilson, 5-level scale."""
import math

import pandas as pd
import pytest

from perfeval.domain import survey


def test_margin_of_error_matches_the_textbook_formula():
    # 天水: 满意度 51.39% from 323 valid questionnaires; 1.96 · √(p(1−p)/n) by hand
    p, n = 0.5139, 323
    by_hand = 1.96 * math.sqrt(p * (1 - p) / n)
    assert survey.margin_of_error(p, n) == pytest.approx(by_hand, rel=1e-4)
    assert round(survey.margin_of_error(p, n) * 100, 2) == 5.45


@pytest.mark.parametrize("p,n,expected", [
    (0.5, 100, 0.098),      # the classic ±9.8 pp for n = 100
    (0.5, 1000, 0.031),     # ±3.1 pp for n = 1000
    (0.0, 50, 0.0),         # no spread at the edges under the normal approximation
    (1.0, 50, 0.0),
])
def test_margin_of_error_known_values(p, n, expected):
    assert survey.margin_of_error(p, n) == pytest.approx(expected, abs=5e-4)


def test_margin_shrinks_with_the_square_root_of_n():
    assert survey.margin_of_error(0.3, 400) == pytest.approx(survey.margin_of_error(0.3, 100) / 2)


@pytest.mark.parametrize("p,n", [(None, 300), (0.5, None), (float("nan"), 300), (0.5, pd.NA), (0.5, 0)])
def test_no_margin_without_inputs(p, n):
    assert survey.margin_of_error(p, n) is None
    assert survey.wilson_interval(p, n) is None
    assert survey.normal_interval(p, n) is None


def test_proportion_out_of_range_is_an_error():
    with pytest.raises(ValueError):
        survey.margin_of_error(51.39, 323)  # a percentage, not a fraction


def test_wilson_interval_contains_p_and_stays_in_bounds():
    lo, hi = survey.wilson_interval(0.5139, 323)
    assert lo < 0.5139 < hi
    # for p near 0.5 and n in the hundreds Wilson and Wald nearly agree
    assert (hi - lo) / 2 == pytest.approx(survey.margin_of_error(0.5139, 323), abs=5e-4)
    lo, hi = survey.wilson_interval(0.0, 10)
    assert lo == 0.0 and 0.2 < hi < 0.35  # Wald would give [0, 0]


def test_normal_interval_is_clipped():
    lo, hi = survey.normal_interval(0.98, 20)
    assert hi == 1.0 and lo < 0.98


def test_valid_rate():
    assert survey.valid_rate(323, 330) == pytest.approx(0.97879, abs=1e-5)
    assert survey.valid_rate(pd.NA, 330) is None
    assert survey.valid_rate(10, 0) is None


def test_distribution_needs_every_level():
    row = {"n_very_satisfied": 40, "n_satisfied": 30, "n_neutral": 20, "n_dissatisfied": 6, "n_very_dissatisfied": 4}
    d = survey.distribution(row)
    assert d == row
    assert survey.distribution_rate(d) == pytest.approx(0.70)
    assert survey.scale_score(d) == pytest.approx((40 * 1 + 30 * .8 + 20 * .6 + 6 * .4 + 4 * .2) / 100)
    assert survey.distribution({**row, "n_neutral": pd.NA}) is None


def _row(**kw):
    base = {"survey_id": "SV1", "issued": None, "valid": None, "awareness_rate": None, "satisfaction_rate": None,
            "satisfaction_score": None, "score_qualifier": None, "level_text": None}
    return {**base, **kw}


def test_view_of_a_survey_with_counts():
    v = survey.survey_view(_row(issued=330, valid=323, awareness_rate=0.5959, satisfaction_rate=0.5139))
    assert v.status == "figures" and v.n == 323
    assert v.valid_rate == pytest.approx(323 / 330)
    assert v.satisfaction_moe == pytest.approx(survey.margin_of_error(0.5139, 323))
    assert v.awareness_moe == pytest.approx(survey.margin_of_error(0.5959, 323))
    assert survey.no_interval_reason(v) is None


def test_view_of_a_score_without_sample_size_has_no_interval():
    v = survey.survey_view(_row(satisfaction_score=95, score_qualifier="greater_than"))
    assert v.status == "score" and v.satisfaction_moe is None
    assert "样本量" in survey.no_interval_reason(v)
    assert survey.score_text(95, "greater_than") == "大于95分"
    assert survey.score_text(95, "greater_than", "en") == "more than 95 points"


def test_view_of_words_only_and_of_no_survey():
    v = survey.survey_view(_row(level_text="群众一致认为…"))
    assert v.status == "conclusion" and v.satisfaction_rate is None
    assert "文字结论" in survey.no_interval_reason(v)
    none = survey.survey_view(_row(survey_id=None))
    assert none.status == "none"
    assert survey.status_label(none.status) == "未开展 / 未披露"
    assert survey.no_interval_reason(none) == "未开展 / 未披露调查"


def test_rate_from_distribution_when_no_rate_is_stated():
    v = survey.survey_view(_row(valid=100, n_very_satisfied=40, n_satisfied=30, n_neutral=20, n_dissatisfied=6,
                                n_very_dissatisfied=4))
    assert v.status == "figures" and v.satisfaction_rate == pytest.approx(0.7)


def test_rate_with_margin_text():
    assert survey.rate_with_margin(0.5139, 0.05450) == "51.39% ± 5.45 个百分点"
    assert survey.rate_with_margin(0.5139, 0.05450, "en") == "51.39% ± 5.45 pp"
    assert survey.rate_with_margin(0.5139, None) == "51.39%"
    assert survey.rate_with_margin(None, None) == "未披露"


def test_comparison_table_never_shows_zero_for_missing():
    df = pd.DataFrame([
        {"project_id": "ts", "short_name": "天水", "survey_id": "SV1", "issued": 330, "valid": 323,
         "awareness_rate": 0.5959, "satisfaction_rate": 0.5139, "stated_valid_rate": 0.9788},
        {"project_id": "tj", "short_name": "天津", "survey_id": "SV1", "issued": pd.NA, "valid": pd.NA,
         "satisfaction_score": 95.0, "score_qualifier": "greater_than", "stated_valid_rate": None},
        {"project_id": "xx", "short_name": "某区", "survey_id": None, "issued": pd.NA, "valid": pd.NA},
    ])
    table, views = survey.comparison_table(df)
    ts, tj, xx = table.to_dict("records")
    assert (ts["issued"], ts["valid"], ts["valid_rate"]) == ("330", "323", "97.88%")  # "有效率97.88%"
    assert ts["stated_valid_rate_check"] == "✅ 一致"
    assert ts["satisfaction"] == "51.39% ± 5.45 个百分点"
    lo, hi = survey.wilson_interval(0.5139, 323)
    assert ts["wilson"] == f"[{lo * 100:.2f}%, {hi * 100:.2f}%]"
    assert tj["score"] == "大于95分" and tj["issued"] == "未披露" and tj["satisfaction"] == "未披露"
    assert tj["wilson"] == "—"
    assert xx["status"] == "未开展 / 未披露" and xx["issued"] == "未开展 / 未披露"
    assert "0" not in (tj["issued"], xx["issued"], xx["valid"])
    assert [v.status for v in views] == ["figures", "score", "none"]


def test_comparison_table_flags_a_stated_valid_rate_that_does_not_match():
    df = pd.DataFrame([{"project_id": "a", "short_name": "甲", "survey_id": "S", "issued": 330, "valid": 323,
                        "stated_valid_rate": 0.9700}])
    table, _ = survey.comparison_table(df, "en")
    assert table["stated_valid_rate_check"][0] == "⚠️ differs"


# ------------------------------------------------------------------------------------ the query on a tiny lake

from perfeval.data.gate import DataGate, Scope  # noqa: E402
from perfeval.data.lake import Lake  # noqa: E402
from tests.lakes import write_table as _write  # noqa: E402

NO_FILTERS = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)



def _project(pid):
    return dict(project_id=pid, name=f"{pid} 项目", short_name=pid, category="反诈", province="某省",
                region_code="990000", implementing_unit="单位", evaluator="机构", evaluator_type="自评",
                period_start="2022-01-01", period_end="2022-12-31", source="report:a")


def test_survey_projects_query_keeps_projects_without_a_survey(tmp_path):
    root = tmp_path / "data"
    _write(root, "catalog/documents.csv", "documents", [dict(source="report:a", kind="report", title="A")])
    _write(root, "seed/a/projects.csv", "projects", [_project("A"), _project("B")])
    _write(root, "seed/a/surveys.csv", "surveys", [dict(project_id="A", survey_id="SV1", issued=200, valid=180,
                                                        satisfaction_rate=0.8, source="report:a")])
    _write(root, "seed/a/figures.csv", "figures", [dict(
        project_id="A", figure_id="F1", kind="derived", figure="valid_rate", scope="survey:SV1", label="有效率",
        value=0.9, unit="%", source="report:a")])
    gate = DataGate(Lake(root))
    df = gate.query("survey_projects", Scope.everything(), **NO_FILTERS, project_id=None)
    assert list(df["project_id"]) == ["A", "B"]
    a, b = df.to_dict("records")
    assert (a["issued"], a["valid"], a["stated_valid_rate"]) == (200, 180, 0.9)
    assert pd.isna(b["survey_id"]) and pd.isna(b["issued"])           # one row, no survey, no zeros
    table, views = survey.comparison_table(df)
    assert list(table["status"]) == ["有调查数据", "未开展 / 未披露"]
    assert table["stated_valid_rate_check"][0] == "✅ 一致"            # 180 / 200 = 0.9
    assert views[0].satisfaction_moe == pytest.approx(1.96 * math.sqrt(0.8 * 0.2 / 180), rel=1e-4)  # n = valid


def test_status_counts_fill_every_status_in_order():
    counts = pd.DataFrame({"status": ["none", "figures"], "surveys": [3, 2]})
    assert survey.status_counts(counts) == {"figures": 2, "score": 0, "conclusion": 0, "none": 3}
    assert list(survey.status_counts(counts)) == list(survey.STATUSES)
    with pytest.raises(ValueError):
        survey.status_counts(pd.DataFrame({"status": ["maybe"], "surveys": [1]}))
