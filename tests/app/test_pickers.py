"""The project pickers on a lake with more projects than a select box lists (perfeval.views.picker.MAX_OPTIONS):
a capped list with a caption, a search box by name or id, deep links to projects the list leaves out.

The lake: the bundled catalogue and seed reports plus EXTRA generated projects written here; what the
pickers should list is worked out from those rows (ids and names), not read from the page.
"""
from __future__ import annotations

import shutil

import pytest

from perfeval.ui.project_focus import ALL
from perfeval.views.picker import MAX_OPTIONS
from tests.app.helpers import metric, run_page, texts
from tests.conftest import DATA
from tests.lakes import write_table

TJ = "tj-2022-fraud-ops"
FT = "ft-2021-2023-anti-fraud-service"
TS = "ts-2021-security-informatization"
SEED_NAMES = {TJ: "2022年电诈运行保障经费", FT: "福田区反诈骗服务项目", TS: "天水市公安局2021年社会治安防控体系信息化建设项目"}
EXTRA = MAX_OPTIONS + 50
TOTAL = EXTRA + 3
FOCUS = {"budget": "w_budget_project", "outcomes": "w_outcomes_project", "satisfaction": "w_satisfaction_project"}


def _extra(i: int) -> dict:
    return dict(project_id=f"many-{i:03d}", name=f"批量项目{i:03d}", short_name=f"批量{i:03d}",
                name_en=f"Batch project {i:03d}", category="反诈" if i % 2 else "治安防控",
                province="广东省", city="深圳市", district="福田区", region_code="440304",
                implementing_unit="单位", evaluator="机构", evaluator_type="第三方评价",
                period_start="2022-01-01", period_end="2022-12-31", source="report:many")


@pytest.fixture(scope="module")
def big_lake(tmp_path_factory):
    root = tmp_path_factory.mktemp("pickers") / "data"
    shutil.copytree(DATA / "catalog", root / "catalog")
    shutil.copytree(DATA / "seed", root / "seed")
    write_table(root, "seed/many/documents.csv", "documents", [dict(source="report:many", kind="report", title="批量")])
    write_table(root, "seed/many/projects.csv", "projects", [_extra(i) for i in range(EXTRA)])
    return root


@pytest.fixture(autouse=True)
def _on_big_lake(big_lake, monkeypatch):
    monkeypatch.setenv("PERFEVAL_DATA", str(big_lake))


# the orders the pickers list in: by id (budget_projects) on the focus pages, by name on the project page
BY_ID = sorted([TJ, FT, TS] + [f"many-{i:03d}" for i in range(EXTRA)])
NAMES = {**SEED_NAMES, **{f"many-{i:03d}": f"批量项目{i:03d}" for i in range(EXTRA)}}
BY_NAME = sorted(NAMES, key=NAMES.get)


def _options(at, key):
    return list(at.selectbox(key=key).options)


# ---------------------------------------------------------------------------------------- focus pages
@pytest.mark.parametrize("page", FOCUS)
def test_focus_picker_lists_the_first_projects_and_says_how_many_more(page):
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    opts = _options(at, FOCUS[page])
    assert len(opts) == MAX_OPTIONS + 1
    assert opts[0] == f"全部所选项目（{TOTAL} 个）"
    assert opts[1:] == [NAMES[p] for p in BY_ID[:MAX_OPTIONS]]
    assert f"共 {TOTAL:,} 个，另有 {TOTAL - MAX_OPTIONS:,} 个未列出" in texts(at)
    assert at.text_input(key=FOCUS[page] + "_search").value == ""


@pytest.mark.parametrize("page", FOCUS)
def test_a_deep_link_beyond_the_list_is_offered_and_shown(page):
    assert BY_ID.index(TS) >= MAX_OPTIONS                 # the lake puts the Tianshui report past the cap
    at = run_page(page, project=TS)
    assert not at.exception
    sb = at.selectbox(key=FOCUS[page])
    assert sb.value == TS
    assert sb.options[:2] == [f"全部所选项目（{TOTAL} 个）", SEED_NAMES[TS]]
    assert len(sb.options) == MAX_OPTIONS + 2
    assert SEED_NAMES[TS] in at.title[0].value
    assert not at.warning or not any(TS in w.value for w in at.warning)


def test_budget_figures_of_a_project_beyond_the_list():
    at = run_page("budget", project=TJ)
    assert metric(at, "预算执行率") == "71.72%"
    assert TJ in str(at.query_params["project"])


@pytest.mark.parametrize("page", FOCUS)
def test_search_lists_the_matches_and_a_pick_sticks(page):
    key = FOCUS[page]
    at = run_page(page)
    at.text_input(key=key + "_search").input("批量 项目24").run()        # both words: 批量项目240 … 批量项目249
    assert not at.exception
    sb = at.selectbox(key=key)
    assert sb.value == ALL                                               # a search alone chooses nothing
    assert sb.options[1:] == [f"批量项目{i}" for i in range(240, 250)]
    assert "找到 10 个名称或编号包含“批量 项目24”的项目" in texts(at)
    sb.set_value("many-245").run()
    assert not at.exception
    assert "批量项目245" in at.title[0].value
    assert "many-245" in str(at.query_params["project"])
    at.text_input(key=key + "_search").input("").run()                 # the search cleared: still focused
    sb = at.selectbox(key=key)
    assert sb.value == "many-245" and sb.options[1] == "批量项目245"
    assert len(sb.options) == MAX_OPTIONS + 2
    assert "批量项目245" in at.title[0].value


def test_search_by_id_without_a_match_says_so():
    at = run_page("outcomes")
    at.text_input(key="w_outcomes_project_search").input("no-such-thing").run()
    assert not at.exception
    assert at.selectbox(key="w_outcomes_project").options == [f"全部所选项目（{TOTAL} 个）"]
    assert "没有名称或编号包含“no-such-thing”的项目。" in texts(at)


def test_search_follows_the_sidebar_filters(tables):
    at = run_page("budget", category="反诈", year_from="2022", year_to="2022")
    seeds = tables("projects")
    seeds = seeds[(seeds["data_kind"] == "report") & (seeds["category"] == "反诈")
                  & (seeds["period_start"].dt.year <= 2022) & (seeds["period_end"].dt.year >= 2022)]
    expected = sorted([*seeds["project_id"], *(f"many-{i:03d}" for i in range(EXTRA) if i % 2)])
    assert len(expected) < MAX_OPTIONS
    # fewer projects than the cap are selected: every one is listed, in order, and there is no search box
    assert _options(at, "w_budget_project") == [f"全部所选项目（{len(expected)} 个）", *(NAMES[p] for p in expected)]
    assert not at.text_input
    assert "未列出" not in texts(at)


def test_english_caption_and_search_box():
    at = run_page("satisfaction", lang="en")
    assert at.text_input(key="w_satisfaction_project_search").label == "Find a project"
    assert f"The list shows the first {MAX_OPTIONS} of {TOTAL} projects ({TOTAL - MAX_OPTIONS} more)" in texts(at)


# ---------------------------------------------------------------------------------------- project page
def test_project_picker_lists_the_first_projects_by_name():
    at = run_page("project")
    assert not at.exception
    sb = at.selectbox(key="w_project")
    assert len(sb.options) == MAX_OPTIONS
    assert sb.value == BY_NAME[0]
    assert at.title[0].value == SEED_NAMES[BY_NAME[0]]
    assert f"共 {TOTAL:,} 个，另有 {TOTAL - MAX_OPTIONS:,} 个未列出" in texts(at)


def test_project_deep_link_beyond_the_list():
    assert BY_NAME.index(FT) >= MAX_OPTIONS
    at = run_page("project", project=FT)
    assert not at.exception
    sb = at.selectbox(key="w_project")
    assert sb.value == FT and sb.options[0] == SEED_NAMES[FT] and len(sb.options) == MAX_OPTIONS + 1
    assert at.title[0].value == SEED_NAMES[FT]
    assert metric(at, "报告总分") == "98.94"


def test_project_search_and_pick():
    at = run_page("project", project=TJ)
    at.text_input(key="w_project_search").input("Batch PROJECT 249").run()   # the English name, any case
    assert not at.exception
    sb = at.selectbox(key="w_project")
    assert sb.value == TJ                                                  # still the linked project …
    assert sb.options == [SEED_NAMES[TJ], "批量项目249"]                   # … offered with the one match
    sb.set_value("many-249").run()
    assert at.title[0].value == "批量项目249"
    assert "many-249" in str(at.query_params["project"])
    at.run()                                                               # a further rerun keeps the choice
    assert at.title[0].value == "批量项目249"


def test_project_unknown_link_is_an_error_on_a_big_lake_too():
    at = run_page("project", project="many-999")
    assert not at.exception
    assert any("many-999" in e.value for e in at.error)
    assert at.title[0].value == SEED_NAMES[BY_NAME[0]]
