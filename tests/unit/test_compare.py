"""Comparison maths on hand-made cases, the chart builders, and the district queries against the
project-level ones (sums that must hold)."""
import base64
import json

import numpy as np
import pandas as pd
import pytest

from perfeval.charts import compare as charts_compare
from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.domain import compare
from perfeval.text.i18n import Translator
from tests.conftest import DATA

ZH, EN = Translator("zh"), Translator("en")
NO_FILTERS = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)


# -- percentile rank --------------------------------------------------------------------------------------

@pytest.mark.parametrize("values,higher,expected", [
    ([10, 20, 30], True, [0, 50, 100]),
    ([30, 10, 20], True, [100, 0, 50]),
    ([10, 20, 30], False, [100, 50, 0]),           # lower is better
    ([5, 5, 9], True, [25, 25, 100]),              # a tie counts half
    ([7, 7], True, [50, 50]),
    ([1, 2, 3, 4, 5], True, [0, 25, 50, 75, 100]),
])
def test_percentile_rank(values, higher, expected):
    assert list(compare.percentile_rank(values, higher)) == pytest.approx(expected)


def test_percentile_rank_leaves_missing_values_out():
    out = compare.percentile_rank([10, np.nan, 30, 20])
    assert np.isnan(out[1])
    assert list(out[[0, 2, 3]]) == pytest.approx([0, 100, 50])  # three peers, the NaN is nobody's peer


def test_percentile_rank_of_a_lone_value_is_missing():
    assert compare.percentile_rank([42.0]).isna().all()
    assert compare.percentile_rank([np.nan, 3.0]).isna().all()


def test_percentile_rank_keeps_the_index():
    s = pd.Series([1.0, 3.0, 2.0], index=["a", "b", "c"])
    assert compare.percentile_rank(s).to_dict() == {"a": 0.0, "b": 100.0, "c": 50.0}


# -- Tukey fences -------------------------------------------------------------------------------------------

def test_iqr_fences_by_hand():
    # sorted 1..8, 100: Q1 at position 2 → 3, Q3 at position 6 → 7 (linear), IQR 4
    f = compare.iqr_fences([1, 2, 3, 4, 5, 6, 7, 8, 100])
    assert (f.q1, f.q3, f.iqr, f.low, f.high, f.n) == (3, 7, 4, -3, 13, 9)
    assert list(compare.outlier_flags([1, 2, 3, 4, 5, 6, 7, 8, 100])) == [None] * 8 + ["high"]


def test_iqr_fences_interpolate_between_values():
    # sorted [2, 10, 11, 12]: Q1 at 0.75 → 2 + 0.75 × 8 = 8, Q3 at 2.25 → 11.25; IQR 3.25
    f = compare.iqr_fences([10, 12, 11, 2])
    assert f.q1 == pytest.approx(8) and f.q3 == pytest.approx(11.25)
    assert f.low == pytest.approx(8 - 1.5 * 3.25) and f.high == pytest.approx(11.25 + 1.5 * 3.25)


def test_a_low_outlier_among_five():
    # sorted [2, 10, 11, 12, 13]: Q1 10, Q3 12, fences 7 and 15
    assert list(compare.outlier_flags([10, 12, 11, 13, 2])) == [None, None, None, None, "low"]


def test_values_on_the_fence_are_not_outliers():
    # [0, 4, 4, 4, 8]: Q1 = Q3 = 4, both fences 4, so 0 and 8 lie outside
    assert list(compare.outlier_flags([0, 4, 4, 4, 8])) == ["low", None, None, None, "high"]
    f = compare.iqr_fences([1, 2, 3, 4, 5])  # Q1 2, Q3 4, IQR 2: fences -1 and 7
    assert (f.low, f.high) == (-1, 7)
    # [1, 2, 3, 4, 7] has the same quartiles: 7 sits on the upper fence, which is not outside it
    assert compare.iqr_fences([1, 2, 3, 4, 7]).high == 7
    assert list(compare.outlier_flags([1, 2, 3, 4, 7])) == [None] * 5
    assert list(compare.outlier_flags([1, 2, 3, 4, 7.01])) == [None] * 4 + ["high"]


def test_no_fences_with_too_few_values():
    assert compare.iqr_fences([1, 2, 100]) is None
    assert list(compare.outlier_flags([1, 2, 100])) == [None, None, None]
    assert compare.iqr_fences([1, np.nan, 2, None, 3]) is None  # missing values do not count
    assert list(compare.outlier_flags([1, 2, 3, 50, np.nan])) == [None, None, None, "high", None]


def test_peer_positions_respect_direction_and_count_peers():
    long = pd.DataFrame({"unit": list("abcde") * 2, "measure": ["score"] * 5 + ["cost"] * 5,
                         "value": [90, 80, 70, 60, np.nan, 1, 2, 3, 4, 40]})
    pos = compare.peer_positions(long, {"cost": False}).set_index(["measure", "unit"])
    assert pos.loc[("score", "a"), "percentile"] == 100 and pos.loc[("score", "d"), "percentile"] == 0
    assert np.isnan(pos.loc[("score", "e"), "percentile"])
    assert pos.loc[("score", "a"), "peers"] == 4 and pos.loc[("score", "a"), "peer_median"] == 75
    assert pos.loc[("cost", "a"), "percentile"] == 100  # the cheapest is best
    assert pos.loc[("cost", "e"), "outlier"] == "high"


# -- lagging ------------------------------------------------------------------------------------------------

def test_lagging_names_the_unit_and_the_measure():
    long = pd.DataFrame({
        "unit": list("abcde") * 2,
        "measure": ["过程"] * 5 + ["效益"] * 5,
        "value": [0.95, 0.93, 0.94, 0.92, 0.70,     # e far behind on 过程
                  0.90, 0.91, 0.80, 0.92, 0.93],    # c 11 points behind the median 0.91 on 效益
    })
    lag = compare.lagging(long)
    assert list(zip(lag["unit"], lag["measure"])) == [("e", "过程"), ("c", "效益")]
    assert lag.iloc[0]["shortfall"] == pytest.approx(0.23) and lag.iloc[0]["outlier"] == "low"
    assert lag.iloc[1]["peer_median"] == pytest.approx(0.91)


def test_lagging_needs_enough_peers_and_a_real_gap():
    two = pd.DataFrame({"unit": ["a", "b"], "measure": "x", "value": [0.9, 0.5]})
    assert compare.lagging(two).empty                          # fewer than 3 peers
    close = pd.DataFrame({"unit": list("abc"), "measure": "x", "value": [0.90, 0.88, 0.86]})
    assert compare.lagging(close).empty                        # 2 points behind the median is no lag
    assert list(compare.lagging(close, gap=0.01)["unit"]) == ["c"]


def test_lagging_on_a_lower_is_better_measure():
    long = pd.DataFrame({"unit": list("abcd"), "measure": "cost", "value": [10, 11, 12, 30]})
    lag = compare.lagging(long, {"cost": False}, gap=1)
    assert list(lag["unit"]) == ["d"] and lag.iloc[0]["shortfall"] == pytest.approx(18.5)


def test_lagging_lines_text():
    summary = pd.DataFrame({"region_code": ["990101", "990102", "990103"], "unit_label": ["一区", "二区", "三区"],
                            "execution_rate": [0.95, 0.96, 0.70]})
    level1 = pd.DataFrame({"region_code": ["990101", "990102", "990103"], "indicator_key": ["过程"] * 3,
                           "name_en": ["Process"] * 3, "score_rate": [0.95, 0.80, 0.94]})
    lines = compare.lagging_lines(summary, level1, ZH, "zh")
    assert lines == ["**三区**：预算执行率 70.0%（中位数 95.0%，低 25.0 个百分点）",
                     "**二区**：过程得分率 80.0%（中位数 94.0%，低 14.0 个百分点）"]
    en = compare.lagging_lines(summary, level1, EN, "en")
    assert en[1] == "**二区**: Process score rate 80.0% (median 94.0%, 14.0 pp behind)"


# -- year over year --------------------------------------------------------------------------------------------

def test_series_key_ignores_the_year_and_keeps_the_rest():
    a = compare.series_key("示例一区2023年反诈骗蓝马甲宣传服务项目", "990101", "反诈")
    b = compare.series_key("示例一区2024年反诈骗蓝马甲宣传服务项目", "990101", "反诈")
    c = compare.series_key("示例一区2024年反电信网络诈骗技术服务项目", "990101", "反诈")
    d = compare.series_key("示例二区2024年反诈骗蓝马甲宣传服务项目", "990102", "反诈")
    assert a == b and a != c and b != d
    assert (compare.series_key("示例二区社会治安防控体系信息化建设项目（2023年）", "990102", "治安防控")
            == compare.series_key("示例二区社会治安防控体系信息化建设项目（2024年）", "990102", "治安防控"))
    assert compare.strip_years("2021年—2023年福田区反诈骗服务项目") == "福田区反诈骗服务项目"
    assert compare.strip_years("福田反诈骗服务 2021—2023") == "福田反诈骗服务"


def test_year_over_year_pairs_consecutive_years_only():
    df = pd.DataFrame({
        "project_id": ["a22", "a23", "a24", "b22", "b24", "c23", "c23x", "c24"],
        "series": ["A", "A", "A", "B", "B", "C", "C", "C"],
        "year": [2022, 2023, 2024, 2022, 2024, 2023, 2023, 2024],
        "score": [80.0, 85.5, np.nan, 90, 91, 70, 71, 72],
        "rate": [0.9, 0.8, 0.95, 1.0, 1.0, 0.5, 0.5, 0.5],
    })
    out = compare.year_over_year(df, ["score", "rate"])
    # B skips 2023 (no pair); C has two projects in 2023 (ambiguous: left out)
    assert list(out["project_id"]) == ["a23", "a24"]
    assert list(out["prev_project_id"]) == ["a22", "a23"]
    assert out.loc[0, "change_score"] == pytest.approx(5.5)
    assert np.isnan(out.loc[1, "change_score"])               # a missing score changes nothing
    assert out.loc[1, "change_rate"] == pytest.approx(0.15)


def test_year_over_year_of_nothing():
    empty = pd.DataFrame(columns=["project_id", "series", "year", "score"])
    assert compare.year_over_year(empty, ["score"]).empty


# -- like for like ----------------------------------------------------------------------------------------------

def _ind(rows):
    return pd.DataFrame(rows, columns=["unit", "indicator_key"])


def test_like_for_like_same_kind_no_warning():
    prof = pd.DataFrame({"unit": ["a", "b"], "category": ["反诈", "反诈"], "framework": ["决策/过程 (40/60)"] * 2,
                         "evaluator_type": ["自评", "自评"], "year": ["2024", "2024"]})
    ind = _ind([("a", "决策"), ("a", "过程"), ("b", "决策"), ("b", "过程")])
    c = compare.like_for_like(prof, ind)
    assert c.comparable and c.warnings == [] and c.shared == ["决策", "过程"] == c.all_keys


def test_like_for_like_warns_on_each_difference_and_keeps_shared_indicators():
    prof = pd.DataFrame({"unit": ["a", "b", "c"], "category": ["反诈", "治安防控", "反诈"],
                         "framework": ["决策/过程/效益 (20/40/40)", "决策/过程/满意度 (20/40/40)", ""],
                         "evaluator_type": ["自评", "第三方评价", "自评"], "year": ["2023", "2024", "2024"]})
    ind = _ind([("a", "决策"), ("a", "过程"), ("a", "效益"), ("b", "决策"), ("b", "过程"), ("b", "满意度")])
    c = compare.like_for_like(prof, ind)
    assert [w[0] for w in c.warnings] == ["category", "framework", "no_tree", "evaluator", "year"]
    assert c.shared == ["决策", "过程"]               # c gives no tree: it does not empty the shared set
    assert c.all_keys == ["决策", "过程", "效益", "满意度"]
    assert c.missing["a"] == ["满意度"] and c.missing["c"] == c.all_keys
    assert "反诈、治安防控" in c.warnings[0][1]


def test_like_for_like_joined_district_values():
    # a district's several categories are joined with 、; the same set in another order is no difference
    prof = pd.DataFrame({"unit": ["x", "y"], "category": ["反诈、治安防控", "治安防控、反诈"],
                         "framework": ["决策/过程", "决策/过程"]})
    assert compare.like_for_like(prof, _ind([("x", "决策"), ("y", "决策")])).warnings == []


def test_framework_signature():
    l1 = pd.DataFrame({"indicator_key": ["过程", "决策"], "weight": [19.0, 21.0], "sort_order": [11, 1]})
    assert compare.framework_signature(l1) == "决策/过程 (21/19)"
    assert compare.framework_signature(l1, with_weights=False) == "决策/过程"
    assert compare.framework_signature(l1.iloc[0:0]) == ""


def test_rates_long_pools_score_over_weight_and_marks_gaps():
    ind = pd.DataFrame({"unit": ["a", "a", "b"], "indicator_key": ["决策", "决策", "过程"],
                        "score": [15.0, 18.0, 9.0], "weight": [20.0, 20.0, 10.0], "score_rate": [0.75, 0.9, 0.9]})
    out = compare.rates_long(ind, ["a", "b"], ["决策", "过程"])
    assert list(out["unit"]) == ["a", "a", "b", "b"] and list(out["indicator_key"]) == ["决策", "过程"] * 2
    assert out.loc[0, "score_rate"] == pytest.approx(33 / 40)
    assert np.isnan(out.loc[1, "score_rate"]) and np.isnan(out.loc[2, "score_rate"])


# -- choosing units ------------------------------------------------------------------------------------------------

def test_parse_id_list():
    ids, rejected = compare.parse_id_list("a, b,a，zz,c", {"a", "b", "c"})
    assert ids == ["a", "b", "c"] and rejected == ["zz"]
    ids, rejected = compare.parse_id_list(",".join("abcdefghij"), set("abcdefghij"))
    assert ids == list("abcdefgh") and rejected == ["i", "j"]
    assert compare.parse_id_list(None, {"a"}) == ([], [])


def test_default_districts_prefer_the_city_with_most_districts():
    assert compare.default_districts(["120000", "990103", "440304", "990101", "990102"]) == ["990101", "990102",
                                                                                          "990103"]
    assert compare.default_districts(["620500", "120000", "440304"]) == ["120000", "440304", "620500"]
    assert len(compare.default_districts([f"9901{i:02d}" for i in range(1, 13)])) == 8


def test_default_year():
    yu = pd.DataFrame({"region_code": ["a", "b", "c", "a", "b", "a"], "year": [2022, 2022, 2022, 2023, 2023, 2024]})
    assert compare.default_year(yu) == 2022           # the latest year with 3 regions
    assert compare.default_year(yu, min_units=2) == 2023
    lone = pd.DataFrame({"region_code": ["a", "b", "c"], "year": [2021, 2022, 2023]})
    assert compare.default_year(lone) is None        # no year compares: every year


def test_default_projects_take_the_largest_like_group():
    pool = pd.DataFrame({"project_id": ["p1", "p2", "p3", "p4", "p5"], "category": ["反诈", "反诈", "反诈", "治安", "反诈"],
                         "year": [2023, 2023, 2024, 2024, 2024], "region_code": ["2", "1", "1", "1", "3"]})
    assert compare.default_projects(pool) == ["p3", "p5"]  # 2023 and 2024 both have two: the latest
    assert compare.default_projects(pool.iloc[[0, 3]]) == ["p4", "p1"]  # no like group: by region code


# -- charts ------------------------------------------------------------------------------------------------------------

def _arr(v):
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


def _spec(fig):
    return json.loads(fig.to_json())


def test_rates_bars_one_trace_per_unit_in_percent_with_gaps():
    df = pd.DataFrame({"unit_label": ["一区", "一区", "二区", "二区"], "indicator": ["决策", "过程"] * 2,
                       "score_rate": [0.9, 0.8, np.nan, 0.7]})
    fig = charts_compare.rates_bars(df, ZH)
    assert [tr.name for tr in fig.data] == ["一区", "二区"]
    assert list(fig.data[0].y) == pytest.approx([90, 80])
    assert np.isnan(fig.data[1].y[0])                 # not reported: no bar, not a zero
    assert list(fig.data[0].text) == ["90.0%", "80.0%"]
    assert fig.layout.barmode == "group"


def test_rates_radar_closes_the_line():
    df = pd.DataFrame({"unit_label": ["一区"] * 3, "indicator": ["决策", "过程", "产出"], "score_rate": [0.9, 0.8, 0.7]})
    fig = charts_compare.rates_radar(df, EN)
    assert list(fig.data[0].theta) == ["决策", "过程", "产出", "决策"]
    assert list(fig.data[0].r) == pytest.approx([90, 80, 70, 90])


def test_percentile_heatmap_marks_outliers_and_missing():
    df = pd.DataFrame({"unit_label": ["一区", "一区", "二区", "二区"], "measure_label": ["得分", "执行率"] * 2,
                       "percentile": [100, 0, 0, np.nan], "outlier": [None, "low", None, None],
                       "value_text": ["96", "60.0%", "80", "未披露"]})
    fig = charts_compare.percentile_heatmap(df, ZH)
    # the grey layer under the cells without a percentile comes first, the percentiles' trace on top of it
    grey, hm = fig.data[0], fig.data[-1]
    assert grey.text is None and [[v == 1 for v in row] for row in grey.z] == [[False, False], [False, True]]
    assert list(hm.y) == ["一区", "二区"] and list(hm.x) == ["得分", "执行率"]
    assert hm.text[0][1] == "P0 ▼<br>60.0%" and hm.text[1][1] == "未披露"
    assert (hm.zmin, hm.zmax) == (0, 100)


def test_grade_and_budget_charts():
    df = pd.DataFrame({"unit_label": ["一区", "二区"], "grade_you": [2, 0], "grade_liang": [1, 1], "grade_zhong": [0, 1],
                       "grade_cha": [0, 0], "budget": [100.0, np.nan], "spent": [90.0, 50.0],
                       "execution_rate": [0.9, np.nan]})
    g = _spec(charts_compare.grade_by_unit(df, ZH))
    assert [tr["name"] for tr in g["data"]] == ["优", "良", "中", "差"]
    assert _arr(g["data"][0]["x"]) == [2, 0] and g["layout"]["barmode"] == "stack"
    b = charts_compare.budget_vs_spent(df, ZH)
    assert list(b.data[1].text) == ["90.0%", ""]     # no execution rate: no label, never 0%
    assert list(b.data[1].x) == [90.0, 50.0]


def test_yoy_lines_leave_gaps():
    df = pd.DataFrame({"series_label": ["一区蓝马甲"] * 2 + ["二区蓝马甲"] * 3, "year": [2022, 2024, 2022, 2023, 2024],
                       "reported_total_score": [90, 92, 80, 82, 84]})
    fig = charts_compare.yoy_lines(df, ZH)
    assert list(fig.data[0].x) == ["2022", "2023", "2024"]
    assert np.isnan(fig.data[0].y[1]) and fig.data[0].connectgaps is False


# -- the district queries against the project queries ----------------------------------------------------------------

@pytest.fixture(scope="module")
def gate():
    return DataGate(Lake(DATA))


@pytest.mark.parametrize("year", [None, 2023])
def test_district_summary_adds_up_the_projects(gate, year):
    sc = Scope.everything()
    proj = gate.query("compare_projects", sc, metric_key="dissuaded_persons", region_codes=None, **NO_FILTERS)
    if year is not None:
        proj = proj[proj["year"] == year]
    dist = gate.query("district_summary", sc, year=year, metric_key="dissuaded_persons", **NO_FILTERS)
    dist = dist.set_index("region_code")
    assert set(dist.index) == set(proj["region_code"])
    for code, part in proj.groupby("region_code"):
        d = dist.loc[code]
        assert d["projects"] == len(part)
        assert d["mean_score"] == pytest.approx(part["reported_total_score"].mean())
        assert d["spent"] == pytest.approx(part["spent"].sum())
        both = part.dropna(subset=["spent", "received"])
        assert d["execution_rate"] == pytest.approx(both["spent"].sum() / both["received"].sum())
        grades = part["reported_grade"].value_counts()
        assert d["grade_you"] == grades.get("优", 0) and d["grade_liang"] == grades.get("良", 0)
        with_outcome = part.dropna(subset=["outcome_value", "spent"])
        if len(with_outcome):
            expected = with_outcome["outcome_value"].sum() / with_outcome["spent"].sum()
            assert d["outcome_per_wan"] == pytest.approx(expected)
        assert (d["data_kind"] == "demo") == bool((part["data_kind"] == "demo").any())


def test_district_indicators_pool_the_project_trees(gate):
    sc = Scope.everything()
    proj = gate.query("compare_projects", sc, metric_key=None, region_codes=None, **NO_FILTERS)
    proj = proj[["project_id", "region_code"]]
    ind = gate.query("compare_indicators", sc, level=1, **NO_FILTERS).merge(proj)
    dist = gate.query("district_indicators", sc, year=None, level=1, **NO_FILTERS)
    ind = ind.dropna(subset=["weight", "score"])
    expect = ind.groupby(["region_code", "indicator_key"])[["score", "weight"]].sum()
    got = dist.set_index(["region_code", "indicator_key"])
    assert set(got.index) == set(expect.index)
    assert np.allclose(got.loc[expect.index, "score_rate"], expect["score"] / expect["weight"])
    # 福田 gives level 3 only: its level 1 is summed from the leaves (the report's 98.94 in total)
    ft = got.loc["440304"]
    assert ft["score"].sum() == pytest.approx(98.94) and ft["weight"].sum() == pytest.approx(100)


def test_compare_projects_read_the_reports_as_stated(gate):
    sc = Scope.everything(include_demo=False)
    p = gate.query("compare_projects", sc, metric_key="dissuaded_persons", region_codes=None, **NO_FILTERS)
    p = p.set_index("project_id")
    tj = p.loc["tj-2022-fraud-ops"]
    assert tj["execution_rate"] == pytest.approx(824.81 / 1150)     # the report's 71.72 %
    assert tj["outcome_value"] == 12000000                            # 近1200万人次
    assert tj["satisfaction"] == pytest.approx(0.95) and tj["satisfaction_basis"] == "score"
    ts = p.loc["ts-2021-security-informatization"]
    assert ts["satisfaction"] == pytest.approx(0.5139) and ts["satisfaction_basis"] == "rate"
    assert ts["levels_given"] == 0 and pd.isna(ts["outcome_value"])  # no tree, no dissuasion figure
    assert set(p["data_kind"]) == {"report"}


def test_metric_options_are_counts_and_amounts(gate):
    opts = gate.query("compare_metric_options", Scope.everything(), **NO_FILTERS)
    assert "dissuaded_persons" in set(opts["metric_key"])
    assert not set(opts["unit"]) & {"%", "名", "个月", "天", "起"}
    assert opts["projects"].is_monotonic_decreasing


def test_region_labels_add_the_city_only_where_district_names_repeat():
    df = pd.DataFrame({
        "region_code": ["120103", "130103", "440304", "1201", "130203", "130303"],
        "province": ["天津市", "河北省", "广东省", "天津市", "河北省", "河北省"],
        "city": ["天津市", "石家庄市", "深圳市", "天津市", "唐山市", "唐山市"],
        "district": ["第03区", "第03区", "福田区", None, "路南区", "路南区"],
        "region_short": ["第03区", "第03区", "福田区", "天津市", "路南区", "路南区"]})
    labels = compare.unique_region_labels(df)
    assert labels[:4] == ["天津市第03区", "石家庄市第03区", "福田区", "天津市"]
    # same city and district name twice: the province does not help either, the code does
    assert labels[4:] == ["河北省唐山市路南区（130203）", "河北省唐山市路南区（130303）"]
    assert len(set(labels)) == len(labels)
    unique = df.iloc[[2, 3]]
    assert compare.unique_region_labels(unique) == ["福田区", "天津市"]
