"""The project pickers' models (perfeval.views.focus) over the bundled lake: what the focus picker lists and
says of a link, what the project page's picker can show, and a focus page's title and data kinds."""
from __future__ import annotations

import pytest

from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.views import focus as view
from perfeval.views.common import Filters
from tests.conftest import DATA

TJ = "tj-2022-fraud-ops"
FT = "ft-2021-2023-anti-fraud-service"
ALL = Filters()


@pytest.fixture(scope="module")
def gate():
    return DataGate(Lake(DATA))


@pytest.fixture(scope="module")
def q(gate):
    return lambda name, **params: gate.query(name, Scope.everything(), **params)


def test_focus_picker_lists_every_selected_project_by_id(q):
    projects = view.selected(q, filters=ALL)
    v = view.picker_view(q, filters=ALL, wanted=None, search=None, lang="zh")
    assert v["options"] == [view.ALL, *projects["project_id"]]
    assert v["names"][TJ] == "2022年电诈运行保障经费"
    assert v["label_all"] == f"全部所选项目（{len(projects)} 个）"
    assert not v["capped"] and v["note"] is None and v["warning"] is None


def test_a_link_to_a_project_the_filters_leave_out_is_reported(q):
    v = view.picker_view(q, filters=Filters(region="12"), wanted=FT, search=None, lang="zh")
    assert v["wanted"] is None and FT not in v["options"]
    assert v["warning"].startswith(f"项目 “{FT}” 不存在、不在您的查看范围内或不符合当前筛选条件")
    en = view.picker_view(q, filters=ALL, wanted="no-such", search=None, lang="en")
    assert en["warning"].startswith("Project “no-such” does not exist") and en["label_all"].startswith("All selected")
    ok = view.picker_view(q, filters=ALL, wanted=TJ, search=None, lang="zh")
    assert ok["wanted"] == TJ and ok["warning"] is None


def test_a_search_lists_the_matches(q):
    v = view.picker_view(q, filters=ALL, wanted=None, search="福田", lang="zh")
    assert v["options"][0] == view.ALL and FT in v["options"]
    assert all("福田" in v["names"][p] or "福田" in p for p in v["options"][1:])


def test_project_page_picker_names_the_visible_ids_only(q, gate):
    v = view.project_choices(q, search=None, ids=(TJ, "no-such", None), lang="zh")
    assert not v["empty"] and v["labels"][TJ] == "2022年电诈运行保障经费" and "no-such" not in v["labels"]
    assert v["short"][0] == v["first"] and len(v["short"]) == v["total"] and v["note"] is None
    real = view.project_choices(lambda name, **p: gate.query(name, Scope.everything(include_demo=False), **p),
                                search=None, ids=(), lang="zh")
    assert real["total"] == 3


def test_header_names_the_focused_project_and_its_data_kind(q):
    h = view.header(q, filters=ALL, project_id=TJ, title_zh="满意度", title_en="Satisfaction", lang="zh")
    assert h == {"title": "满意度 · 2022年电诈运行保障经费", "kinds": {"report": 1}}
    every = view.header(q, filters=ALL, project_id=None, title_zh="满意度", title_en="Satisfaction", lang="en")
    assert every["title"] == "Satisfaction" and every["kinds"]["report"] == 3 and every["kinds"]["demo"] > 0
