"""The Compare page's models (perfeval.views.compare) over the bundled lake: the widgets' options, the pool and
its defaults, the ranking's order and links, the like-for-like warnings, percentiles and outliers, 同比 and the
drill-down. Expected values come from the lake's own query results, not from the model."""
from __future__ import annotations

import json

import pytest

from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.views import compare as view
from perfeval.views.common import Filters, Links
from tests.conftest import DATA

ALL = Filters()
D1, D7, D9 = "990101", "990107", "990109"
TJ, FT, TS = "tj-2022-fraud-ops", "ft-2021-2023-anti-fraud-service", "ts-2021-security-informatization"
METRIC = "dissuaded_persons"


@pytest.fixture(scope="module")
def q():
    gate = DataGate(Lake(DATA))
    seen = {}  # the page caches its queries too (state.query): each is run once here

    def run(name, **params):
        key = (name, repr(sorted(params.items())))
        if key not in seen:
            seen[key] = gate.query(name, Scope.everything(), **params)
        return seen[key].copy()

    return run


@pytest.fixture(scope="module")
def projects(q):
    return q("compare_projects", metric_key=METRIC, region_codes=None, **ALL.params()).set_index("project_id")


def build(q, chosen, mode="districts", year=None, lang="zh", links=Links(), level=1, show_all=False,
          style="bars", metric=METRIC, filters=ALL):
    return view.build(q, filters=filters, lang=lang, links=links, mode=mode, year=year, metric=metric,
                      level=level, show_all=show_all, style=style, chosen=tuple(chosen))


def evaluator_warnings(v) -> list[str]:
    return [w for w in v["warnings"] if "评价方式不同" in w or "evaluator types differ" in w]


# -- the widgets' options and the pool ------------------------------------------------------------------

def test_options_offer_the_metrics_and_the_years_and_say_when_nothing_matches(q):
    o = view.options(q, filters=ALL, lang="en")
    assert o["default_metric"] == METRIC and o["metrics"][0] == METRIC
    assert o["metric_names"][METRIC] != METRIC and o["metric_units"][METRIC]
    assert o["years"] == sorted(o["years"]) and {2021, 2024} <= set(o["years"])
    assert o["default_year"] == 2024 and not o["empty"]
    none = view.options(q, filters=Filters(category="没有这个类别"), lang="zh")
    assert none["empty"] and none["years"] == [] and none["default_year"] is None


def test_the_districts_pool_of_a_year_and_its_default_choice(q):
    p = view.pool(q, filters=ALL, lang="zh", mode="districts", year=2024, metric=METRIC)
    summary = q("district_summary", year=2024, metric_key=METRIC, **ALL.params())
    assert list(p["labels"]) == list(summary["region_code"])
    assert p["labels"][D1] == "示例一区"
    # the city with the most districts, first eight by code
    assert p["defaults"] == sorted(p["defaults"]) and len(p["defaults"]) == 8
    assert all(c.startswith("9901") for c in p["defaults"])
    assert p["kinds"] == {"demo": len(summary)}
    assert p["choose"] == "选择 2–8 个地区" and f"共 {len(summary)} 个" in p["too_few"]


def test_the_projects_pool_holds_the_years_projects_with_english_labels(q, projects):
    p = view.pool(q, filters=ALL, lang="en", mode="projects", year=2024, metric=METRIC)
    assert set(p["labels"]) == set(projects.index[projects["year"] == 2024])
    assert p["labels"]["demo-990101-team-2024"] == projects.loc["demo-990101-team-2024", "name_en"]
    assert set(p["defaults"]) <= set(p["labels"]) and 2 <= len(p["defaults"]) <= 6
    assert p["choose"] == "Choose 2–8 projects"


def test_a_links_ignored_ids_are_named():
    assert "123456、abc" in view.rejected_warning(("123456", "abc"), "zh")
    assert view.rejected_warning(("123456",), "en").startswith("123456 from the link")


# -- ranking ----------------------------------------------------------------------------------------------

def test_districts_ranking_has_one_row_per_chosen_district_in_ranking_order(q, projects):
    v = build(q, [D7, D1, D9], year=2024, links=Links((("lang", "en"),)))
    r = v["ranking"]
    y24 = projects[(projects["year"] == 2024) & projects["region_code"].isin([D1, D7, D9])]
    means = y24.groupby("district")["reported_total_score"].mean().sort_values(ascending=False)
    assert list(r["unit_label"]) == list(means.index)
    assert list(r["mean_score"]) == pytest.approx(list(means))
    assert list(r["rank"]) == [1, 2, 3]
    # each district's row links to Compare with its projects of the year, keeping the URL's parameters
    first = y24[y24["district"] == means.index[0]].index
    assert r["link"].iloc[0] == "compare?projects=" + "%2C".join(sorted(first)) + "&lang=en"
    assert v["per_wan"].endswith("/万元）")


def test_projects_ranking_by_score_with_texts_for_rates_and_scorecard_links(q, projects):
    ids = ["demo-990101-team-2024", "demo-990102-team-2024", "demo-990103-team-2024"]
    r = build(q, ids, mode="projects", year=2024)["ranking"]
    expected = projects.loc[ids, "reported_total_score"].sort_values(ascending=False)
    assert list(r["display_name"]) == list(projects.loc[expected.index, "name"])
    assert list(r["link"]) == [f"project?project={pid}" for pid in expected.index]
    assert r["exec_pct"].str.endswith("%").all() and r["score"].iloc[0] == f"{expected.iloc[0]:.2f}"


def test_a_real_reports_missing_outcome_reads_not_reported(q):
    r = build(q, ["440304", "120000"])["ranking"].set_index("unit_label")
    assert r.loc["天津市", "exec_pct"] == "71.72%"  # 824.81 / 1150, the report's figure
    assert r.loc["天津市", "mean_score"] == pytest.approx(91.5)
    assert "None" not in r.to_string() and "nan" not in r.to_string()


# -- like for like ------------------------------------------------------------------------------------------

def test_like_for_like_warnings_name_the_mixed_evaluator_types(q, projects):
    v = build(q, [TJ, TS], mode="projects")
    (w,) = evaluator_warnings(v)
    assert w.startswith("⚖️ 评价方式不同")
    for pid in (TJ, TS):
        assert projects.loc[pid, "evaluator_type"] in w
    (w_en,) = evaluator_warnings(build(q, [TJ, TS], mode="projects", lang="en"))
    assert "The evaluator types differ" in w_en and projects.loc[TJ, "evaluator_type"] in w_en
    assert any("评价年度不同（2021、2022）" in x for x in v["warnings"])


def test_same_evaluator_types_and_districts_mixes_give_no_evaluator_warning(q, projects):
    team = projects[projects.index.str.endswith("team-2024")]
    common = team["evaluator_type"].mode()[0]
    pair = list(team.index[team["evaluator_type"] == common][:2])
    assert len(pair) == 2
    assert not evaluator_warnings(build(q, pair, mode="projects"))
    # a district's mix of self- and third-party evaluations is what is compared, not a reason to refuse it
    assert projects.loc[[FT, TJ], "evaluator_type"].nunique() == 2
    assert not evaluator_warnings(build(q, ["440304", "120000"]))


def test_shared_indicators_by_default_and_all_with_show_all(q):
    pids = ["demo-990101-team-2023", "demo-990102-build-2023"]  # the build adds a fifth dimension, 满意度
    v = build(q, pids, mode="projects")
    assert json.loads(v["rates_chart"])["data"][0]["x"] == ["决策", "过程", "产出", "效益"]
    assert v["rates_note"] == "仅显示共有指标 4 项（共 5 项）。"
    assert v["rates_title"] == "一级指标得分率对比"
    v = build(q, pids, mode="projects", show_all=True)
    assert json.loads(v["rates_chart"])["data"][0]["x"] == ["决策", "过程", "产出", "效益", "满意度"]
    assert v["rates_note"] is None


def test_units_sharing_no_indicator_get_no_chart_and_the_reason(q):
    # 天津's and 天水's level-2 indicators have nothing in common: no chart, the page says why
    v = build(q, [TJ, TS], mode="projects", level=2)
    assert v["rates_chart"] is None and "没有共有的分项指标" in v["rates_info"]
    assert v["rates_title"] == "二级指标得分率对比"


# -- percentiles and outliers ----------------------------------------------------------------------------------

def test_outliers_are_named_with_their_fence_and_percentiles_among_all_peers(q):
    v = build(q, [f"9901{i:02d}" for i in (1, 2, 3, 5, 7, 8)], year=2024)
    assert "- ▼ 示例七区 · 预算执行率" in v["outliers"] and "低于下限" in v["outliers"]
    assert "（2024年）的 12 个地区中" in v["percentiles_note"]  # all districts of the year, not the 6 chosen
    heat = json.loads(v["percentiles"])
    assert heat["data"][0]["type"] == "heatmap"


def test_outliers_above_and_below_and_none(q):
    # among every district (all years): 天津's execution lies below the lower fence, its outcome per 万元 above
    v = build(q, ["440304", "120000"])
    lines = v["outliers"].split("\n")
    assert "- ▼ 天津市 · 预算执行率 71.7%，低于下限 " in "\n".join(lines)
    assert any(x.startswith("- ▲ 天津市 · 成功劝阻潜在受骗人 （人次/万元）") and "高于上限" in x for x in lines)
    v = build(q, [D1, "990102"], year=2024)
    assert v["outliers"] == "" and v["outliers_note"] == "所选对象中没有离群值。"


# -- year on year ---------------------------------------------------------------------------------------------

def test_consecutive_years_of_a_project_give_its_change(q, projects):
    a, b = "demo-990101-team-2023", "demo-990101-team-2024"
    v = build(q, [a, b], mode="projects")
    # a row for each chosen project with a previous year: 2023 (after 2022) and 2024 (after the chosen 2023)
    assert list(v["yoy"]["year"]) == [2023, 2024]
    row = v["yoy"].to_dict("records")[1]
    assert row["link"] == f"project?project={b}"
    assert row["change_reported_total_score"] == pytest.approx(
        projects.loc[b, "reported_total_score"] - projects.loc[a, "reported_total_score"])
    assert row["exec_pct"] == pytest.approx(projects.loc[b, "execution_rate"] * 100)
    assert v["yoy_chart"] is not None and v["yoy_note"] is None


def test_a_project_without_a_previous_year_gives_no_year_on_year_row(q):
    # the real reports have no other year: no pair at all
    v = build(q, [TJ, TS], mode="projects")
    assert v["yoy"] is None and "没有可比的上年项目" in v["yoy_info"]
    # the demo's first year (2022) has no previous year: its districts give no row for 2022
    assert build(q, [D1, D7], year=2022)["yoy"] is None
    # a first-year project is no row of its own (its next year's row may name it as the previous one)
    first, later = "demo-990101-team-2022", "demo-990102-team-2024"
    links = list(build(q, [first, later], mode="projects")["yoy"]["link"])
    assert f"project?project={first}" not in links and f"project?project={later}" in links


# -- drill-down --------------------------------------------------------------------------------------------------

def test_drill_down_lists_every_year_of_each_chosen_district(q, projects):
    v = build(q, [D1, D9], year=2024, lang="en", links=Links((("lang", "en"),)))
    assert set(v["drill"]) == {D1, D9}
    mine = projects[projects["region_code"] == D9]
    drill = v["drill"][D9]
    assert sorted(drill["display_name"]) == sorted(mine["name_en"])        # English names in English
    assert list(drill["year"]) == sorted(drill["year"])                      # every year, oldest first
    assert all(u.startswith(f"project?project=demo-{D9}-") and u.endswith("lang=en") for u in drill["link"])
    assert v["drill_links"][D9].startswith("compare?projects=demo-990109-")


def test_a_district_with_one_project_has_no_compare_link(q):
    v = build(q, ["440304", "120000"])
    assert len(v["drill"]["120000"]) == 1 and v["drill_links"]["120000"] is None
    assert v["drill"] and build(q, ["demo-990101-team-2023", TJ], mode="projects")["drill"] == {}
