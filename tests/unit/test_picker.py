"""The project pickers' short list: the pure helpers (perfeval.views.picker) and the search queries
(queries/project_search.sql, queries/project_search_by_name.sql) on the bundled lake and a lake written here.

Expected lists come from the lake's other queries (budget_projects, project_list: the orders the pickers
showed before the short list) or from the rows written below, not from the search queries themselves.
"""
from __future__ import annotations

import pytest

from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.views import picker
from tests.conftest import DATA
from tests.lakes import write_table

NONE_FILTERS = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)
ALL = Scope.everything()


# ---------------------------------------------------------------------------------------- pure helpers
@pytest.mark.parametrize("text,expected", [
    (None, None), ("", None), ("   ", None), ("\t\n", None),
    ("福田", "福田"), ("  福田  反诈 ", "福田 反诈"), ("a\tb\nc", "a b c"),
    ("50%_off", "50%_off"),                          # kept as typed: the queries match it as plain text
    ("x" * 200, "x" * picker.MAX_SEARCH_CHARS),
    (123, None),
])
def test_normalise_search(text, expected):
    assert picker.normalise_search(text) == expected


def test_normalise_search_does_not_end_on_a_space_when_cut():
    text = "a" * (picker.MAX_SEARCH_CHARS - 1) + " bbb"
    assert picker.normalise_search(text) == "a" * (picker.MAX_SEARCH_CHARS - 1)


def test_options_put_a_linked_project_missing_from_the_list_first():
    assert picker.options(["a", "b"], None) == ["a", "b"]
    assert picker.options(["a", "b"], "b") == ["a", "b"]               # already listed: not twice
    assert picker.options(["a", "b"], "z") == ["z", "a", "b"]
    assert picker.options(["a", "b"], "z", first=["ALL"]) == ["ALL", "z", "a", "b"]
    assert picker.options(["a"], "ALL", first=["ALL"]) == ["ALL", "a"]
    assert picker.options([], "z", first=["ALL"]) == ["ALL", "z"]


def test_list_note_says_nothing_when_every_project_is_listed():
    assert picker.list_note(67, 67, 67, None) is None
    assert picker.list_note(67, 67, 67, None, "en") is None


def test_list_note_of_a_capped_list_counts_the_rest():
    zh = picker.list_note(200, 100_000, 100_000, None)
    assert "前 200 个" in zh and "共 100,000 个" in zh and "另有 99,800 个未列出" in zh and "查找" in zh
    en = picker.list_note(200, 100_000, 100_000, None, "en")
    assert "first 200 of 100,000" in en and "99,800 more" in en and "search" in en


def test_list_note_of_a_search():
    assert picker.list_note(0, 0, 5000, "福田") == "没有名称或编号包含“福田”的项目。"
    assert picker.list_note(0, 0, 5000, "x", "en") == "No project's name or id contains “x”."
    some = picker.list_note(12, 12, 5000, "福田")
    assert "找到 12 个" in some and "“福田”" in some and "共 5,000 个" in some
    many = picker.list_note(200, 1234, 5000, "反诈", "en")
    assert "1,234 projects match “反诈”" in many and "first 200" in many


# ---------------------------------------------------------------------------------------- the bundled lake
@pytest.fixture(scope="module")
def seed_gate() -> DataGate:
    return DataGate(Lake(DATA))


@pytest.mark.parametrize("scope", [ALL, Scope.everything(include_demo=False), Scope(("44",))],
                         ids=["all", "no-demo", "guangdong"])
def test_unsearched_short_lists_keep_the_pickers_orders(seed_gate, scope):
    """Without a search the short lists are the lists the pickers showed before (every project fits)."""
    budget = seed_gate.query("budget_projects", scope, **NONE_FILTERS, project_id=None)
    short = seed_gate.query("project_search", scope, **NONE_FILTERS, search=None, limit=picker.MAX_OPTIONS)
    assert list(short["project_id"]) == list(budget["project_id"])
    assert list(short["name"]) == list(budget["name"])
    assert set(short["matches"]) == {len(budget)}
    listed = seed_gate.query("project_list", scope)
    by_name = seed_gate.query("project_search_by_name", scope, search=None, limit=picker.MAX_OPTIONS)
    assert list(by_name["project_id"]) == list(listed["project_id"])
    assert set(by_name["matches"]) == {len(listed)}


@pytest.mark.parametrize("filters", [dict(category="反诈"), dict(year_from=2023), dict(region="4403"),
                                     dict(evaluator_type="自评")])
def test_project_search_follows_the_sidebar_filters(seed_gate, filters):
    f = {**NONE_FILTERS, **filters}
    budget = seed_gate.query("budget_projects", ALL, **f, project_id=None)
    short = seed_gate.query("project_search", ALL, **f, search=None, limit=picker.MAX_OPTIONS)
    assert list(short["project_id"]) == list(budget["project_id"])


def test_search_finds_a_seed_project_by_name_short_name_english_name_or_id(seed_gate):
    projects = seed_gate.query("project_list", Scope.everything(include_demo=False))
    for _, p in projects.iterrows():
        for text in (p["name"], p["short_name"], p["project_id"].upper(), p["name_en"].lower()):
            found = seed_gate.query("project_search_by_name", ALL, search=text, limit=picker.MAX_OPTIONS)
            assert found["project_id"].iloc[0] == p["project_id"], text   # the exact match comes first
            found = seed_gate.query("project_search", ALL, **NONE_FILTERS, search=text, limit=picker.MAX_OPTIONS)
            assert found["project_id"].iloc[0] == p["project_id"], text


# ---------------------------------------------------------------------------------------- a lake written here
N = 30


@pytest.fixture(scope="module")
def gate(tmp_path_factory) -> DataGate:
    root = tmp_path_factory.mktemp("picker") / "data"
    write_table(root, "catalog/documents.csv", "documents", [
        dict(source="report:many", kind="report", title="测试"), dict(source="demo:many", kind="demo", title="演示")])
    rows = []
    for i in range(N):
        rows.append(dict(
            project_id=f"p-{i:03d}", name=f"{'深圳' if i % 3 == 0 else '天津'}项目{i:03d}" + ("_50%" if i == 7 else ""),
            short_name=f"简称{i:03d}", name_en=f"Project {i:03d}" if i % 2 else None,
            category="反诈" if i % 2 else "治安防控", province="广东省" if i % 3 == 0 else "天津市",
            city="深圳市" if i % 3 == 0 else "天津市", district=None,
            region_code="440300" if i % 3 == 0 else "120000", implementing_unit="单位", evaluator="机构",
            evaluator_type="第三方评价", period_start="2022-01-01", period_end="2022-12-31",
            source="demo:many" if i >= N - 3 else "report:many"))
    write_table(root, "seed/many/projects.csv", "projects", rows[:N - 3])
    write_table(root, "demo/many/projects.csv", "projects", rows[N - 3:])
    return DataGate(Lake(root))


def _search(gate, search, limit=picker.MAX_OPTIONS, scope=ALL, **filters):
    return gate.query("project_search", scope, **{**NONE_FILTERS, **filters}, search=search, limit=limit)


def test_the_limit_caps_the_rows_and_matches_counts_them_all(gate):
    short = _search(gate, None, limit=10)
    assert list(short["project_id"]) == [f"p-{i:03d}" for i in range(10)]
    assert set(short["matches"]) == {N}
    by_name = gate.query("project_search_by_name", ALL, search=None, limit=10)
    assert len(by_name) == 10 and set(by_name["matches"]) == {N}
    assert list(by_name["name"]) == sorted(by_name["name"])        # by name …
    demo_last = gate.query("project_search_by_name", ALL, search=None, limit=N)
    assert list(demo_last["data_kind"]).index("demo") == N - 3     # … real projects before demo ones


def test_every_word_must_match_case_insensitively(gate):
    shenzhen = _search(gate, "深圳")
    assert set(shenzhen["project_id"]) == {f"p-{i:03d}" for i in range(N) if i % 3 == 0}
    both = _search(gate, "深圳 project")                 # words in different columns, any case
    assert set(both["project_id"]) == {f"p-{i:03d}" for i in range(N) if i % 3 == 0 and i % 2}
    assert set(both["matches"]) == {len(both)}
    assert _search(gate, "深圳 nothing-like-this").empty


def test_wildcards_are_plain_text(gate):
    assert list(_search(gate, "_50%")["project_id"]) == ["p-007"]
    assert _search(gate, "%").shape[0] == 1              # only the name that holds a "%"
    assert _search(gate, "项目_").shape[0] == 0          # "_" is not "any character"


def test_an_exact_id_comes_first(gate):
    found = _search(gate, "p-01")                         # p-010 … p-019 contain it; none is exactly it
    assert list(found["project_id"]) == [f"p-{i:03d}" for i in range(10, 20)]
    found = gate.query("project_search_by_name", ALL, search="P-012", limit=5)
    assert list(found["project_id"]) == ["p-012"]


def test_search_keeps_the_filters_and_the_scope(gate):
    assert set(_search(gate, "项目", category="反诈")["project_id"]) == {f"p-{i:03d}" for i in range(N) if i % 2}
    no_demo = _search(gate, "项目", scope=Scope.everything(include_demo=False))
    assert set(no_demo["project_id"]) == {f"p-{i:03d}" for i in range(N - 3)}
    tianjin = gate.query("project_search_by_name", Scope(("12",)), search="项目", limit=N)
    assert set(tianjin["project_id"]) == {f"p-{i:03d}" for i in range(N) if i % 3}
