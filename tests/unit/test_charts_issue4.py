"""Chart builders of the budget, outcomes and satisfaction pages: pure, honest about missing figures."""
import pandas as pd
import plotly.graph_objects as go
import pytest

from perfeval.charts import budget as charts_budget
from perfeval.charts import outcomes as charts_outcomes
from perfeval.charts import survey as charts_survey
from perfeval.domain import budget, outcomes, survey
from perfeval.text.i18n import Translator

ZH, EN = Translator("zh"), Translator("en")


# ---------------------------------------------------------------------------------------------- budget
def test_gauge_shows_the_rate_the_target_and_the_interim_colour():
    r = budget.gauge_reading(824.81 / 1150, 1.0, "2023-06-30", ceiling=budget.EXECUTION_CEILING)
    fig = charts_budget.rate_gauge(r, "预算执行率", ZH, subtitle="截至 2023-06-30")
    ind = fig.data[0]
    assert isinstance(ind, go.Indicator)
    assert round(ind.value, 2) == 71.72
    assert ind.gauge.threshold.value == 100
    assert ind.gauge.bar.color == budget.STATUS_COLORS["interim"] != budget.STATUS_COLORS["below"]
    assert "截至 2023-06-30" in fig.layout.title.text
    # the bands follow the configured target
    r90 = budget.gauge_reading(0.7172, 0.9)
    fig90 = charts_budget.rate_gauge(r90, "x", ZH)
    assert fig90.data[0].gauge.threshold.value == pytest.approx(90)
    assert fig90.data[0].gauge.steps[1].range == pytest.approx((72, 90))


def test_gauge_without_a_value_says_not_reported():
    fig = charts_budget.rate_gauge(budget.gauge_reading(None), "资金到位率", ZH)
    assert fig.data[0].mode == "gauge"  # no number drawn
    assert any(a.text == "未披露" for a in fig.layout.annotations)
    fig = charts_budget.rate_gauge(budget.gauge_reading(None), "arrival", EN)
    assert any(a.text == "not reported" for a in fig.layout.annotations)


def _projects():
    return pd.DataFrame({
        "short_name": ["天津", "福田", "天水"],
        "arrival_rate": [1.0, 1.0, None],
        "execution_rate": [0.7172, 0.9889, 1.0831],
        "as_of": [pd.Timestamp("2023-06-30"), pd.NaT, pd.NaT],
    })


def test_rate_dots_name_missing_rates_instead_of_zero():
    fig = charts_budget.rate_dots(_projects(), ZH)
    arrival, execution = fig.data
    assert list(arrival.y) == ["天津", "福田"]          # 天水 left out, not drawn as 0
    assert "天水（资金到位率）" in fig.layout.title.text
    assert list(execution.x) == pytest.approx([71.72, 98.89, 108.31])
    colors = list(execution.marker.color)
    assert colors == [budget.STATUS_COLORS[s] for s in ("interim", "near", "over")]


def test_waterfall_follows_the_money_steps():
    fig = charts_budget.money_waterfall(budget.money_steps(None, 800, 866.47), ZH)
    w = fig.data[0]
    assert list(w.x) == ["到位资金", "实际支出", "超支（支出多于到位）"]
    assert list(w.measure) == ["absolute", "relative", "total"]
    assert list(w.y) == pytest.approx([800, -866.47, -66.47])


def test_year_bars_leave_out_unreported_measures():
    df = pd.DataFrame({"project_id": ["ft"] * 3, "short_name": ["福田"] * 3, "year": [2021, 2022, 2023],
                       "initial_budget": [1232.0] * 3, "adjusted_budget": [1251.28, 1232, 1232],
                       "received": [1251.28, 1232, 1232], "spent": [1242.66, 1208.99, 1222.51]})
    fig = charts_budget.year_bars(df, ZH)
    assert [tr.name for tr in fig.data] == ["年初预算", "调整预算", "到位资金", "实际支出"]
    assert list(fig.data[0].x) == ["2021", "2022", "2023"]
    fig = charts_budget.year_bars(df.assign(adjusted_budget=None), ZH)
    assert "调整预算" not in [tr.name for tr in fig.data]
    assert "未披露：调整预算" in fig.layout.title.text


def test_subproject_bars_show_payment_sums():
    df = pd.DataFrame({"subproject_id": ["S1", "S2", None], "subproject_name": ["甲", "乙", None],
                       "budget": [500.0, 190.0, None], "estimated_investment": [None, None, None],
                       "received": [None, None, 1150.0], "spent": [None, None, 824.81], "paid": [358.98, 54.78, None]})
    fig = charts_budget.subproject_bars(df, ZH)
    names = [tr.name for tr in fig.data]
    assert names == ["预算", "支付明细合计"]  # the whole-project row is not a sub-project
    assert list(fig.data[1].y) == ["S1 甲", "S2 乙"]


def test_vendor_bars_mark_respelled_vendors_and_unnamed_payments():
    df = pd.DataFrame({"project_id": ["tj", "tj", "tj"], "short_name": ["天津"] * 3,
                       "vendor": ["陕西卓正会计师事务所有限公司", "浙江百应科技有限公司", None],
                       "amount": [185.05, 94.0, 18.92], "n_spellings": [1, 1, 0], "n_known_spellings": [2, 1, 1]})
    fig = charts_budget.vendor_bars(df, ZH)
    assert list(fig.data[0].y) == ["陕西卓正会计师事务所有限公司 *", "浙江百应科技有限公司", "（未注明单位）"]
    assert "多种写法" in fig.layout.title.text


# ---------------------------------------------------------------------------------------------- outcomes
def _trend_rows():
    return pd.DataFrame({
        "project_id": ["ft"] * 6, "short_name": ["福田"] * 6,
        "metric_key": ["fraud_reports_yoy_decline"] * 3 + ["app_install_rank"] * 3,
        "name_zh": ["接报诈骗警情同比下降率"] * 3 + ["APP安装率全市排名"] * 3,
        "name_en": ["Fraud reports decline"] * 3 + ["App rank"] * 3,
        "unit": ["%"] * 3 + ["名"] * 3, "direction": ["higher"] * 3 + ["lower"] * 3,
        "year": [2021, 2022, 2023] * 2, "value": [0.274, 0.0776, 0.3241, 1, 3, 3], "qualifier": [None] * 6,
    })


def test_trend_grid_colours_changes_by_direction():
    fig = charts_outcomes.trend_grid(_trend_rows(), ZH)
    decline, rank = fig.data
    assert list(decline.y) == pytest.approx([27.40, 7.76, 32.41])
    assert list(decline.text) == ["27.40%", "7.76%", "32.41%"]
    c = outcomes.CHANGE_COLORS
    assert list(decline.marker.color) == [c["unknown"], c["bad"], c["good"]]
    assert list(rank.marker.color) == [c["unknown"], c["bad"], c["flat"]]   # 1st → 3rd is worse
    assert list(rank.text) == ["第1名", "第3名", "第3名"]
    assert fig.layout.yaxis2.range[0] > fig.layout.yaxis2.range[1]          # rank 1 drawn on top
    assert [a.text for a in fig.layout.annotations] == ["接报诈骗警情同比下降率", "APP安装率全市排名"]


def test_targets_chart_colours_met_and_not_met():
    df = pd.DataFrame({"name": ["人员数", "人员数", "执行率"], "year": [2021, 2022, None], "unit": ["人", "人", "%"],
                       "operator": [">=", ">=", "="], "target_value": [110, 110, 1.0],
                       "actual_value": [111, 108, 0.9889], "stated_met": [True, True, False],
                       "target_text": [None] * 3, "actual_text": [None] * 3})
    fig = charts_outcomes.targets_chart(df, ZH)
    bar = fig.data[0]
    assert list(bar.y) == ["人员数 2021", "人员数 2022", "执行率"]
    assert list(bar.x) == pytest.approx([111 / 110 * 100, 108 / 110 * 100, 98.89])
    m = outcomes.MET_COLORS
    assert list(bar.marker.color) == [m[True], m[False], m[False]]


def test_targets_chart_skips_targets_without_numbers():
    df = pd.DataFrame({"name": ["时效指标"], "year": [2022], "unit": [None], "operator": [None],
                       "target_value": [None], "actual_value": [None], "stated_met": [None],
                       "target_text": ["全年开展"], "actual_text": [None]})
    assert len(charts_outcomes.targets_chart(df, ZH).data[0].y or []) == 0


def test_normalised_bars_count_what_cannot_be_normalised():
    df = pd.DataFrame({"name_zh": ["宣传场数", "安装率"], "name_en": ["a", "b"], "short_name": ["福田"] * 2,
                       "year": [2021, 2021], "per_wan": [1386 / 1242.66, None]})
    fig = charts_outcomes.normalised_bars(df, "per_wan", ZH, "每万元")
    assert list(fig.data[0].y) == ["宣传场数 · 福田 2021"]
    assert "1 项无法折算" in fig.layout.title.text


# ---------------------------------------------------------------------------------------------- survey
def test_survey_comparison_has_error_bars_and_names_the_rest():
    views = [
        survey.survey_view({"survey_id": "SV1", "issued": 330, "valid": 323, "awareness_rate": 0.5959,
                            "satisfaction_rate": 0.5139}),
        survey.survey_view({"survey_id": "SV1", "satisfaction_score": 95, "score_qualifier": "greater_than"}),
        survey.survey_view({"survey_id": "SV1", "level_text": "一致认为…"}),
        survey.survey_view({"survey_id": None}),
    ]
    fig = charts_survey.satisfaction_comparison(["天水", "天津", "福田", "某区"], views, ZH)
    sat = fig.data[0]
    assert list(sat.x) == ["天水"]
    assert sat.y[0] == pytest.approx(51.39)
    assert sat.error_y.array[0] == pytest.approx(survey.margin_of_error(0.5139, 323) * 100)
    title = fig.layout.title.text
    assert "天津：大于95分" in title and "福田：仅文字结论" in title and "某区：未开展 / 未披露" in title
    assert "正态近似" in title


def test_survey_comparison_with_no_rates_says_so():
    fig = charts_survey.satisfaction_comparison(["天津"], [survey.survey_view({"survey_id": None})], EN)
    assert len(fig.data) == 0
    assert any("No selected project" in a.text for a in fig.layout.annotations)


def test_distribution_bar_in_percent():
    counts = {"n_very_satisfied": 40, "n_satisfied": 30, "n_neutral": 20, "n_dissatisfied": 6, "n_very_dissatisfied": 4}
    fig = charts_survey.distribution_bar(counts, ZH)
    assert [tr.name for tr in fig.data] == ["很满意", "较满意", "一般", "不太满意", "不满意"]
    assert [tr.x[0] for tr in fig.data] == pytest.approx([40, 30, 20, 6, 4])
    table = charts_survey.distribution_table(counts, EN)
    assert list(table["answers"]) == [40, 30, 20, 6, 4]


def test_survey_comparison_names_at_most_a_few_projects_without_rates():
    views = [survey.survey_view({"survey_id": None})] * 9
    fig = charts_survey.satisfaction_comparison([f"区{i}" for i in range(9)], views, ZH)
    title = fig.layout.title.text
    assert "区4：未开展 / 未披露" in title and "区5" not in title and "另 4 个项目无满意度比例" in title
    # plotly does not wrap a title: the names go a few to a line, and the top margin grows with the lines
    lines = title.split("<br>")[1:]
    assert [line.count("：未开展") for line in lines] == [charts_survey.NAMED_PER_LINE, 5 - charts_survey.NAMED_PER_LINE]
    assert fig.layout.margin.t == 50 + 16 * len(lines)
    # the legend sits at the foot of the figure, below the slanted project names, not over them
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0


def test_targets_chart_names_projects_and_puts_misses_first_when_too_many():
    df = pd.DataFrame({"project_id": ["a", "b", "c"], "short_name": ["甲", "乙", "丙"], "name": ["人员数"] * 3,
                       "year": [2022] * 3, "unit": ["人"] * 3, "operator": [">="] * 3, "target_value": [10] * 3,
                       "actual_value": [12, 8, 11], "stated_met": [None] * 3, "target_text": [None] * 3,
                       "actual_text": [None] * 3})
    fig = charts_outcomes.targets_chart(df, ZH)
    assert list(fig.data[0].y) == ["甲 · 人员数 2022", "乙 · 人员数 2022", "丙 · 人员数 2022"]
    fig = charts_outcomes.targets_chart(df, ZH, max_rows=2)
    assert list(fig.data[0].y) == ["乙 · 人员数 2022", "甲 · 人员数 2022"]
    assert "另有 1 项目标未画出" in fig.layout.title.text


def test_trend_grid_names_the_project_when_asked():
    fig = charts_outcomes.trend_grid(_trend_rows(), ZH, with_project=True)
    assert fig.layout.annotations[0].text == "接报诈骗警情同比下降率（福田）"


def test_vendor_totals_bars_name_vendors_not_projects_and_say_how_many_are_drawn():
    df = pd.DataFrame({"vendor": ["浙江百应科技有限公司", "陕西卓正会计师事务所有限公司", None],
                       "amount": [94.0, 185.05, 18.92], "projects": [3, 1, 2], "payment_lines": [4, 1, 2],
                       "n_spellings": [1, 2, 0], "n_known_spellings": [1, 2, 1]})
    fig = charts_budget.vendor_totals_bars(df, ZH, vendors=2000)
    bar = fig.data[0]
    assert list(bar.y) == ["陕西卓正会计师事务所有限公司 *", "浙江百应科技有限公司", "（未注明单位）"]
    assert list(bar.x) == [185.05, 94.0, 18.92] and list(bar.customdata) == [1, 3, 2]
    assert "支付金额最大的 3 家（共 2,000 家）" in fig.layout.title.text and "多种写法" in fig.layout.title.text
    fig = charts_budget.vendor_totals_bars(df.iloc[:2], EN, vendors=2)
    assert "largest" not in fig.layout.title.text                   # every vendor is drawn


def test_targets_chart_counts_the_targets_a_query_left_out():
    # the page at national scale passes the 2 targets a query put first, of 50 with numbers, from many projects
    df = pd.DataFrame({"project_id": ["a", "a"], "short_name": ["甲", "甲"], "name": ["人员数", "场数"],
                       "year": [2022] * 2, "unit": ["人", "场"], "operator": [">="] * 2, "target_value": [10, 10],
                       "actual_value": [8, 9], "stated_met": [None] * 2, "target_text": [None] * 2,
                       "actual_text": [None] * 2})
    fig = charts_outcomes.targets_chart(df, ZH, numeric_total=50, several=True)
    assert list(fig.data[0].y) == ["甲 · 人员数 2022", "甲 · 场数 2022"]
    assert "另有 48 项目标未画出" in fig.layout.title.text
    fig = charts_outcomes.targets_chart(df, ZH)
    assert list(fig.data[0].y) == ["人员数 2022", "场数 2022"] and "未画出" not in fig.layout.title.text
