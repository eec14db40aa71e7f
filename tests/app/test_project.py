"""Project page: the ?project= deep link, facts, level-1 breakdown, 未披露 for what a report omits."""
import pytest

from tests.app.helpers import metric, run_page, texts

TJ = "tj-2022-fraud-ops"
FT = "ft-2021-2023-anti-fraud-service"
TS = "ts-2021-security-informatization"


def test_deep_link_opens_tianjin():
    at = run_page("project", project=TJ)
    assert not at.exception
    assert at.title[0].value == "2022年电诈运行保障经费"
    assert metric(at, "报告总分") == "91.5"
    assert metric(at, "预算执行率") == "71.72%"
    assert "资金数据截至 2023-06-30" in texts(at)
    l1 = at.dataframe[0].value
    assert list(l1["score_s"]) == ["15", "19.15", "37", "20.35"]
    assert list(l1["rate_s"]) == ["88.24%", "83.26%", "97.37%", "92.50%"]


def test_futian_level1_is_summed_from_level3_and_marked():
    at = run_page("project", project=FT)
    l1 = at.dataframe[0].value
    assert list(l1["weight_s"]) == ["21*", "19*", "30*", "30*"]
    assert list(l1["score_s"]) == ["21*", "17.94*", "30*", "30*"]
    assert "计算值" in texts(at)


def test_tianshui_has_no_breakdown_and_says_so():
    at = run_page("project", project=TS)
    assert metric(at, "报告总分") == "82.06"
    assert metric(at, "预算（万元）") == "未披露"
    assert "未披露" in texts(at)
    # no level-1 table, and no zeros (the tables there are the report's outputs and other figures, issue 18)
    frames = [d.value for d in at.dataframe]
    assert not [f for f in frames if "score_s" in f.columns or "reported" in f.columns]


def test_unknown_project_is_an_error_message_not_a_crash():
    at = run_page("project", project="no-such-project")
    assert not at.exception
    assert any("no-such-project" in e.value for e in at.error)


@pytest.mark.parametrize("pid", [TJ, FT, TS])
def test_url_keeps_the_project(pid):
    at = run_page("project", project=pid)
    assert pid in str(at.query_params["project"])


def test_a_real_project_shows_no_demo_badge_even_with_demo_data_on():
    at = run_page("project", project=FT)
    assert not any("示例数据" in w.value for w in at.warning)


def test_a_demo_project_shows_the_badge_and_is_hidden_by_the_switch(tables):
    demo = tables("projects")
    pid = demo.loc[demo["data_kind"] == "demo", "project_id"].iloc[0]
    at = run_page("project", project=pid)
    assert not at.exception
    assert any("示例数据" in w.value for w in at.warning)
    at = run_page("project", project=pid, demo="0")
    assert any(pid in e.value for e in at.error)  # not found: demo rows are out of reach
    assert not any("示例数据" in w.value for w in at.warning)


def test_picking_another_project_sticks():
    at = run_page("project", project=TJ, demo="0")
    at.selectbox(key="w_project").set_value(FT).run()
    assert at.title[0].value == "福田区反诈骗服务项目"
    assert FT in str(at.query_params["project"])
    at.run()  # a further rerun keeps the choice
    assert at.title[0].value == "福田区反诈骗服务项目"


def test_every_project_is_listed_by_name_and_there_is_no_search_box(tables):
    # fewer projects than a picker lists (perfeval.views.picker.MAX_OPTIONS): all of them, real ones first, by name
    p = tables("projects")
    expected = [*sorted(p.loc[p["data_kind"] != "demo", "name"]), *sorted(p.loc[p["data_kind"] == "demo", "name"])]
    at = run_page("project", project=TJ)
    assert at.selectbox(key="w_project").options == expected
    assert not at.text_input
    assert "未列出" not in texts(at)
