"""Pure helpers: formatting, region options, portfolio KPIs."""
import math

import pandas as pd
import pytest

from perfeval.domain.portfolio import portfolio_kpis, sources_note
from perfeval.domain.regions import prefix_of, region_label, region_options
from perfeval.text import fmt


@pytest.mark.parametrize("value,expected", [
    (824.81, "824.81 万元"), (12345, "12,345 万元"), (3715.28, "3,715.28 万元"),
    (None, "未披露"), (float("nan"), "未披露"), (0, "0 万元"),
])
def test_wan(value, expected):
    assert fmt.wan(value) == expected


@pytest.mark.parametrize("rate,expected", [
    (0.7172, "71.72%"), (1.0, "100.00%"), (0.988932, "98.89%"), (1.0830875, "108.31%"),
    (None, "未披露"), (0.0, "0.00%"),
])
def test_pct(rate, expected):
    assert fmt.pct(rate) == expected


def test_pandas_na_is_missing():
    import pandas as pd
    assert fmt.is_missing(pd.NA) and fmt.is_missing(pd.NaT)
    assert fmt.number(pd.NA) == "未披露"
    assert not fmt.is_missing([1, 2])


def test_not_reported_in_english():
    assert fmt.wan(None, "en") == "not reported"
    assert fmt.pct(math.nan, "en") == "not reported"


@pytest.mark.parametrize("value,unit,q,expected", [
    (26000000, "条", "over", "2,600万余条"),
    (12000000, "人次", "nearly", "近1,200万人次"),
    (4300000, "个", "over", "430万余个"),
    (600, "宗", "over", "600余宗"),
    (60000, "个", "over", "6万余个"),
    (600, "人", "nearly", "近600人"),
    (1386, "场", "exact", "1,386场"),
    (95, "分", "greater_than", "大于95分"),
])
def test_big_count_keeps_qualifiers(value, unit, q, expected):
    assert fmt.big_count(value, unit, "zh", q) == expected


def test_prefix_of():
    assert prefix_of("440304") == "440304"
    assert prefix_of("440300") == "4403"
    assert prefix_of("120000") == "12"


def test_region_options_and_labels():
    rows = pd.DataFrame([
        {"province": "广东省", "city": "深圳市", "district": "福田区", "region_code": "440304"},
        {"province": "天津市", "city": "天津市", "district": None, "region_code": "120000"},
        {"province": "甘肃省", "city": "天水市", "district": None, "region_code": "620500"},
    ])
    opts = region_options(rows)
    assert opts == {"12": "天津市", "44": "广东省", "4403": "广东省 / 深圳市",
                    "440304": "广东省 / 深圳市 / 福田区", "62": "甘肃省", "6205": "甘肃省 / 天水市"}
    assert region_label(rows.iloc[1].to_dict()) == "天津市"
    assert region_label(rows.iloc[0].to_dict()) == "广东省 深圳市 福田区"


def test_portfolio_kpis_weight_by_money_and_count_missing():
    df = pd.DataFrame({
        "budget": [100.0, None, 50.0], "received": [100.0, 80.0, None], "spent": [50.0, 80.0, 10.0],
        "reported_total_score": [90.0, 80.0, None], "reported_grade": ["优", "良", None],
        "data_kind": ["report", "report", "demo"],
    })
    k = portfolio_kpis(df)
    assert k.projects == 3
    assert k.budget == 150.0 and k.spent == 140.0
    assert k.execution_rate == pytest.approx((50 + 80) / (100 + 80))   # third has no received
    assert k.arrival_rate == pytest.approx(100 / 100)                  # only the first reports both
    assert k.mean_score == 85.0
    assert k.grade_counts == {"优": 1, "良": 1, "中": 0, "差": 0}
    assert k.not_reported["budget"] == 1 and k.not_reported["reported_total_score"] == 1


def test_portfolio_kpis_of_nothing_are_not_zero():
    df = pd.DataFrame({c: pd.Series(dtype="float64") for c in
                       ["budget", "received", "spent", "reported_total_score"]})
    df["reported_grade"] = pd.Series(dtype="object")
    k = portfolio_kpis(df)
    assert k.budget is None and k.execution_rate is None and k.mean_score is None


def test_sources_note_names_non_real_data():
    df = pd.DataFrame({"data_kind": ["report", "report", "demo"]})
    assert sources_note(df) == "数据来源：2 份评价报告（真实数据）；1 个示例项目（非真实数据）"
    assert "demonstration projects (not real)" in sources_note(df, "en")


def test_scatter_names_dots_only_while_readable():
    from perfeval.charts import base as charts
    from perfeval.text.i18n import Translator

    def frame(n):
        return pd.DataFrame({"reported_total_score": [90.0] * n, "execution_rate": [0.9] * n,
                             "reported_grade": ["优"] * n, "short_name": [f"P{i}" for i in range(n)],
                             "name": [f"项目{i}" for i in range(n)]})
    assert charts.score_vs_execution(frame(3), Translator()).data[0].mode == "markers+text"
    assert charts.score_vs_execution(frame(40), Translator()).data[0].mode == "markers"


# ------------------------------------------------------------------ the sidebar's region options in SQL
# The sidebar reads queries/region_options.sql; region_options() over queries/filter_options.sql is the
# definition it replaces, and both must give the same options, labels and order.
def _both(gate, scope):
    from perfeval.domain.regions import region_options as python_options
    old = python_options(gate.query("filter_options", scope))
    rows = gate.query("region_options", scope)
    return list(old.items()), list(zip(rows["prefix"], rows["label"]))


@pytest.mark.parametrize("include_demo", [True, False])
def test_region_options_sql_is_the_python_definition_on_the_bundled_lake(include_demo):
    from perfeval.data.gate import DataGate, Scope
    from perfeval.data.lake import Lake
    from tests.conftest import DATA

    old, new = _both(DataGate(Lake(DATA)), Scope.everything(include_demo=include_demo))
    assert len(old) > 3
    assert new == old


def test_region_options_sql_is_the_python_definition_on_awkward_rows(tmp_path):
    from perfeval.data.gate import DataGate, Scope
    from perfeval.data.lake import Lake
    from tests.lakes import write_table

    def p(pid, code, province, city, district, category="反诈", evaluator_type="第三方评价"):
        return dict(project_id=pid, name=pid, short_name=pid, category=category, province=province, city=city,
                    district=district, region_code=code, implementing_unit="单位", evaluator="机构",
                    evaluator_type=evaluator_type, period_start="2022-01-01", period_end="2022-12-31",
                    source="report:x")
    rows = [
        p("a", "120000", "天津市", "天津市", None),             # a municipality: no city, no district option
        p("b", "120101", "天津市", "天津市", "和平区"),          # its district: the city is not repeated
        p("c", "440300", "广东省", "深圳市", None),              # a city-level project
        p("d", "440304", "广东省", "深圳市", "福田区"),
        p("e", "440399", "广东省", None, "某区"),                # a district without a city name
        p("f", "440500", "广东省", None, None),                  # a city code without a city name: no option
        # one code, two spellings: the first row by category (治安防控 sorts after 反诈) gives the label
        p("g", "620502", "甘肃省", "天水市", "秦州区", category="治安防控"),
        p("h", "620502", "甘肃省", "天水市", "秦州", category="反诈"),
        p("i", "620502", "甘肃省", "天水市", "秦州区", category="反诈", evaluator_type="自评"),
    ]
    root = tmp_path / "data"
    write_table(root, "catalog/documents.csv", "documents", [dict(source="report:x", kind="report", title="x")])
    write_table(root, "seed/x/projects.csv", "projects", rows)
    old, new = _both(DataGate(Lake(root)), Scope.everything())
    assert new == old
    assert dict(new)["120101"] == "天津市 / 和平区" and "4405" not in dict(new)
    assert dict(new)["440399"] == "广东省 / 某区"
    assert dict(new)["620502"] == "甘肃省 / 天水市 / 秦州"      # row h: 反诈 before 治安防控, 第三方评价 before 自评


@pytest.mark.parametrize("n", [1000, 10000])
def test_region_options_sql_is_the_python_definition_on_a_bench_lake(n):
    """On a generated lake (bench/lake/<n>, made by python -m bench; skipped where there is none)."""
    import pathlib

    from perfeval.data.gate import DataGate, Scope
    from perfeval.data.lake import Lake

    lake = pathlib.Path(__file__).resolve().parents[2] / "bench" / "lake" / str(n)
    if not (lake / "lake").is_dir():
        pytest.skip(f"no generated lake at {lake}")
    old, new = _both(DataGate(Lake(lake)), Scope.everything())
    assert len(old) > 1000
    assert new == old


def test_metric_cards_per_row_shrink_only_when_a_value_would_not_fit():
    from perfeval.text import fmt

    national = ["42,100,709.06", "42,855,738.72", "39,767,476.52", "3,088,262.67"]
    assert fmt.cards_per_row(national, 4) == 3            # 13 characters do not fit four to a row
    assert fmt.cards_per_row(national[3:], 4) == 4        # 12 do
    assert fmt.cards_per_row(["4,865.28", "5,365.44", "91.5", "3"], 4) == 4
    assert fmt.cards_per_row(["1" * 20], 4) == 2          # never fewer than two …
    assert fmt.cards_per_row(["x"], 1) == 1               # … unless one was asked for
    assert fmt.display_width("未披露") == 6 and fmt.display_width("12.5%") == 5
