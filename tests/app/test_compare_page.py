"""地区对比 Compare: deep links, the like-for-like guard, ranking, percentiles, outliers, 同比, drill-down links.

Expected values are computed here from the lake's own tables (the tables fixture), not copied from the page.
"""
import json

import pandas as pd
import pytest

from tests.app.helpers import chart_specs, run_page, texts

D1, D7, D9 = "990101", "990107", "990109"


def frame_with(at, column):
    for d in at.dataframe:
        if column in d.value.columns:
            return d.value
    raise AssertionError(f"no dataframe with column {column!r}")


def first_chart(at):
    charts = chart_specs(at)
    assert charts, "no chart"
    return json.loads(charts[0])


def badge(at) -> bool:
    return any("示例数据" in w.value for w in at.warning)


def qp(at, key):
    v = at.query_params.get(key)
    return v[0] if isinstance(v, list) else v


@pytest.fixture(scope="module")
def projects(tables):
    p = tables("projects")
    return p.assign(year=p["period_start"].dt.year)


def test_districts_deep_link(projects):
    at = run_page("compare", districts=f"{D1},{D7},{D9}", year="2024")
    assert not at.exception
    assert at.multiselect(key="w_cmp_units_districts").value == [D1, D7, D9]
    assert badge(at)
    ranking = frame_with(at, "unit_label")
    # ranked by the mean reported score of each district's 2024 projects
    y24 = projects[(projects["year"] == 2024) & projects["region_code"].isin([D1, D7, D9])]
    means = y24.groupby("district")["reported_total_score"].mean().sort_values(ascending=False)
    assert list(ranking["unit_label"]) == list(means.index)
    assert list(ranking["mean_score"]) == pytest.approx(list(means))
    assert list(ranking["projects"]) == list(y24.groupby("district").size()[means.index])
    # the URL carries what is shown
    assert qp(at, "districts") == f"{D1},{D7},{D9}" and qp(at, "year") == "2024"


def test_district_rank_links_drill_down_to_its_projects_keeping_filters(projects):
    at = run_page("compare", districts=f"{D1},{D7}", year="2024", lang="en")
    ranking = frame_with(at, "unit_label")
    link = ranking.loc[ranking["unit_label"] == "示例一区", "link"].iloc[0]
    ids = sorted(projects.loc[(projects["region_code"] == D1) & (projects["year"] == 2024), "project_id"])
    assert link.startswith("compare?projects=" + "%2C".join(ids)) and "lang=en" in link
    # drill-down: every project of the district (all years), each linked to its scorecard
    drill = frame_with(at, "category")
    mine = projects[projects["region_code"] == D1]
    assert sorted(drill["display_name"]) == sorted(mine["name_en"])  # English names in English
    assert all(u.startswith("project?project=demo-990101-") and u.endswith("lang=en") for u in drill["link"])
    assert "compare?projects=" in texts(at)           # "compare this district's projects" link


def test_projects_deep_link_across_years_gives_year_on_year(projects):
    a, b = "demo-990101-team-2023", "demo-990101-team-2024"
    at = run_page("compare", projects=f"{a},{b}")
    assert not at.exception
    assert at.radio(key="w_cmp_mode").value == "projects"
    assert at.multiselect(key="w_cmp_units_projects").value == [a, b]
    ranking = frame_with(at, "reported_grade")
    assert len(ranking) == 2
    p = projects.set_index("project_id")
    yoy = frame_with(at, "change_reported_total_score")
    row = yoy[yoy["year"] == 2024].iloc[0]
    assert row["change_reported_total_score"] == pytest.approx(p.loc[b, "reported_total_score"]
                                                               - p.loc[a, "reported_total_score"])
    assert row["link"].startswith(f"project?project={b}")
    assert ranking["link"].str.startswith("project?project=demo-990101-team-202").all()


def test_like_for_like_guard_frameworks_differ_shared_indicators_by_default():
    # a 福田-like team tree (决策 21 …) against a 天津-like level-1 framework (项目决策 17 …)
    at = run_page("compare", projects="demo-990101-team-2024,demo-990101-tech-2024")
    assert any("指标体系不同" in w.value for w in at.warning)
    # 项目决策 and 决策 are the same dimension: the four level-1 dimensions are shared
    assert first_chart(at)["data"][0]["x"] == ["决策", "过程", "产出", "效益"]


def test_like_for_like_guard_categories_and_the_show_all_toggle():
    pids = "demo-990101-team-2023,demo-990102-build-2023"  # the build adds a fifth dimension, 满意度
    at = run_page("compare", projects=pids)
    warnings = " ".join(w.value for w in at.warning)
    assert "项目类别不同" in warnings and "评价方式不同" in warnings
    assert first_chart(at)["data"][0]["x"] == ["决策", "过程", "产出", "效益"]
    assert "仅显示共有指标 4 项（共 5 项）" in texts(at)
    at.toggle(key="w_cmp_all").set_value(True).run()
    assert first_chart(at)["data"][0]["x"] == ["决策", "过程", "产出", "效益", "满意度"]
    assert qp(at, "all") == "1"


def test_real_reports_only_no_badge_and_the_reports_figures():
    at = run_page("compare", districts="440304,120000", demo="0", year="all")
    assert not at.exception
    assert not badge(at)
    ranking = frame_with(at, "unit_label").set_index("unit_label")
    assert ranking.loc["福田区", "mean_score"] == pytest.approx(98.94)
    assert ranking.loc["天津市", "mean_score"] == pytest.approx(91.5)
    assert ranking.loc["天津市", "exec_pct"] == "71.72%"          # 824.81 / 1150, the report's figure
    assert list(ranking.index) == ["福田区", "天津市"]


def test_unknown_ids_in_a_link_are_named_not_a_crash():
    at = run_page("compare", districts=f"{D1},123456")
    assert not at.exception
    assert any("123456" in w.value for w in at.warning)
    assert any("至少选择 2 个" in i.value for i in at.info)


def test_outliers_are_flagged_with_fences(projects):
    # 示例七区 spends markedly less of its funds than the other districts (a trait of the demo data)
    at = run_page("compare", districts=",".join(f"9901{i:02d}" for i in (1, 2, 3, 5, 7, 8)), year="2024")
    notes = "\n".join(m.value for m in at.markdown)
    assert "▼ 示例七区 · 预算执行率" in notes and "低于下限" in notes
    assert "12 个地区" in texts(at)                     # percentiles among all districts of the year, not 6


def test_choosing_units_rewrites_the_url():
    at = run_page("compare", districts=f"{D1},{D7}", year="2024")
    at.multiselect(key="w_cmp_units_districts").set_value([D1, D7, D9]).run()
    assert qp(at, "districts") == f"{D1},{D7},{D9}"
    assert len(frame_with(at, "unit_label")) == 3
    at.radio(key="w_cmp_mode").set_value("projects").run()
    assert qp(at, "projects") and qp(at, "districts") is None


def test_defaults_without_a_link_compare_districts_of_one_city():
    at = run_page("compare")
    chosen = at.multiselect(key="w_cmp_units_districts").value
    assert 2 <= len(chosen) <= 8 and all(c.startswith("9901") for c in chosen)
    at = run_page("compare", demo="0")
    assert set(at.multiselect(key="w_cmp_units_districts").value) == {"120000", "440304", "620500"}
    assert qp(at, "year") == "all"                       # no single year has the three reports
    assert pd.api.types.is_numeric_dtype(frame_with(at, "unit_label")["mean_score"])
