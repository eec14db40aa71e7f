"""Each queries/*.sql on a tiny lake written here, plus the rules every query file follows.

The fixture lake is a few CSV rows per table, written with the schema's columns; expected results are
worked out by hand from those rows (see the comments), not taken from the queries.
"""
from __future__ import annotations

import datetime as dt
import functools
import pathlib
import re

import pandas as pd
import pytest

from perfeval.data.gate import DataGate, Scope, query_parameters
from perfeval.data.lake import QUERIES, Lake
from perfeval.data.validation import validate as v
from tests.lakes import write_table

ROOT = pathlib.Path(__file__).resolve().parents[2]
QUERY_FILES = sorted(p for p in QUERIES.glob("*.sql") if not p.name.startswith("_"))  # _*.sql: the lake's own
NONE_FILTERS = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)
ALL = Scope.everything()




def project(pid, region_code, province, city, district, category, evaluator_type, start, end, score, grade,
            depth, source="report:fx"):
    return dict(project_id=pid, name=f"{pid} 项目", short_name=pid, category=category, province=province,
                city=city, district=district, region_code=region_code, implementing_unit="单位",
                evaluator="机构", evaluator_type=evaluator_type, period_start=start, period_end=end,
                reported_total_score=score, reported_grade=grade, tree_depth=depth, source=source)


def ind(pid, code, parent, level, weight=None, score=None, order=None, source="report:fx"):
    return dict(project_id=pid, code=code, parent_code=parent, level=level, name=f"指标{code}", weight=weight,
                reported_score=score, sort_order=order, source=source)


@pytest.fixture(scope="module")
def lake_root(tmp_path_factory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("lake") / "data"
    write_table(root, "catalog/documents.csv", "documents", [
        dict(source="report:fx", kind="report", title="示例报告 fx"),
        dict(source="demo:x", kind="demo", title="演示数据 x"),
    ])
    write_table(root, "catalog/metrics.csv", "metrics", [
        dict(metric_key="calls", name_zh="拦截涉诈通话", name_en="calls", unit="条", category="拦截",
             direction="higher", source="report:fx")])
    write_table(root, "seed/fx/projects.csv", "projects", [
        project("p-a", "440304", "广东省", "深圳市", "福田区", "反诈", "第三方评价", "2021-01-01", "2021-12-31",
                95, "优", 3),
        project("p-b", "440305", "广东省", "深圳市", "南山区", "治安防控", "自评", "2022-01-01", "2022-12-31",
                85, "良", 1),
        project("p-c", "120000", "天津市", "天津市", None, "反诈", "财政重点评价", "2022-01-01", "2023-06-30",
                None, None, 0),
    ])
    write_table(root, "demo/x/projects.csv", "projects", [
        project("p-d", "990101", "示例省", "示例市", "示例区", "反诈", "第三方评价", "2023-01-01", "2023-12-31",
                70, "中", 1, source="demo:x")])
    write_table(root, "seed/fx/subprojects.csv", "subprojects", [
        dict(project_id="p-b", subproject_id="S1", name="一", source="report:fx"),
        dict(project_id="p-b", subproject_id="S2", name="二", source="report:fx")])
    write_table(root, "seed/fx/budget.csv", "budget", [
        # p-a: one whole-project row; budget = adjusted 120
        dict(project_id="p-a", year=2021, initial_budget=100, adjusted_budget=120, received=110, spent=99,
             source="report:fx"),
        # p-b: initial per sub-project (50 + 30), received / spent for the whole project
        dict(project_id="p-b", year=2022, subproject_id="S1", initial_budget=50, source="report:fx"),
        dict(project_id="p-b", year=2022, subproject_id="S2", initial_budget=30, source="report:fx"),
        dict(project_id="p-b", year=2022, received=80, spent=60, as_of="2023-06-30", source="report:fx"),
        # p-c: none
    ])
    write_table(root, "demo/x/budget.csv", "budget", [
        dict(project_id="p-d", year=2023, initial_budget=10, received=10, spent=5, source="demo:x")])
    write_table(root, "seed/fx/indicators.csv", "indicators", [
        # p-a: weights and scores on level 3 only under A; B1 states its own
        ind("p-a", "A", None, 1, order=1), ind("p-a", "A1", "A", 2),
        ind("p-a", "A11", "A1", 3, 10, 9), ind("p-a", "A12", "A1", 3, 10, 8),
        ind("p-a", "B", None, 1, order=2), ind("p-a", "B1", "B", 2, 80, 70), ind("p-a", "B11", "B1", 3, 80, 70),
        # p-b: level 1 only, B before A in the report's order
        ind("p-b", "A", None, 1, 40, 30, order=2), ind("p-b", "B", None, 1, 60, 55, order=1),
    ])
    write_table(root, "seed/fx/outcomes.csv", "outcomes", [
        dict(project_id="p-a", outcome_id="O1", metric_key="calls", year=2021, value=26000000, unit="条",
             qualifier="over", source="report:fx")])
    return root


@pytest.fixture(scope="module")
def gate(lake_root) -> DataGate:
    return DataGate(Lake(lake_root))


def test_the_fixture_lake_is_valid(lake_root):
    assert v.validate_folder(lake_root).problems == []


# ---------------------------------------------------------------------------------------- overview_projects
def test_overview_projects_money_rates_and_order(gate):
    df = gate.query("overview_projects", ALL, **NONE_FILTERS).set_index("project_id")
    assert list(df.index) == ["p-a", "p-b", "p-d", "p-c"]  # by score, unscored last
    a, b, c = df.loc["p-a"], df.loc["p-b"], df.loc["p-c"]
    assert (a.budget, a.received, a.spent) == (120, 110, 99)
    assert a.arrival_rate == pytest.approx(110 / 120) and a.execution_rate == pytest.approx(99 / 110)
    assert b.budget == 80 and b.arrival_rate == pytest.approx(1.0) and b.execution_rate == pytest.approx(0.75)
    assert pd.isna(c.budget) and pd.isna(c.arrival_rate) and pd.isna(c.execution_rate)
    assert df.loc["p-d", "data_kind"] == "demo" and a.data_kind == "report"


@pytest.mark.parametrize("filters, expected", [
    (dict(region="44"), ["p-a", "p-b"]),
    (dict(region="440305"), ["p-b"]),
    (dict(region="12"), ["p-c"]),
    (dict(year_from=2023), ["p-d", "p-c"]),          # periods reaching into 2023
    (dict(year_to=2021), ["p-a"]),
    (dict(year_from=2022, year_to=2022), ["p-b", "p-c"]),
    (dict(category="治安防控"), ["p-b"]),
    (dict(evaluator_type="第三方评价"), ["p-a", "p-d"]),
    (dict(region="44", category="反诈"), ["p-a"]),
    (dict(region="99", evaluator_type="自评"), []),
])
def test_overview_projects_filters(gate, filters, expected):
    df = gate.query("overview_projects", ALL, **{**NONE_FILTERS, **filters})
    assert list(df["project_id"]) == expected


def test_overview_projects_scope(gate):
    no_demo = gate.query("overview_projects", Scope.everything(include_demo=False), **NONE_FILTERS)
    assert "p-d" not in set(no_demo["project_id"])
    shenzhen = gate.query("overview_projects", Scope(("440300",)), **NONE_FILTERS)
    assert set(shenzhen["project_id"]) == {"p-a", "p-b"}


# ---------------------------------------------------------------------------------------- project_facts
def test_project_facts(gate):
    df = gate.query("project_facts", ALL, project_id="p-b")
    assert len(df) == 1
    r = df.iloc[0]
    assert r.document_title == "示例报告 fx" and r.document_kind == "report"
    assert (r.initial_budget, r.budget, r.received, r.spent) == (80, 80, 80, 60)
    assert pd.isna(r.adjusted_budget)
    assert pd.Timestamp(r.as_of).date() == dt.date(2023, 6, 30)
    assert r.execution_rate == pytest.approx(0.75)


def test_project_facts_unknown_or_out_of_scope(gate):
    assert gate.query("project_facts", ALL, project_id="nope").empty
    assert gate.query("project_facts", Scope(("120000",)), project_id="p-a").empty
    assert len(gate.query("project_facts", Scope(("120000",)), project_id="p-c")) == 1


# ---------------------------------------------------------------------------------------- project_level1
def test_project_level1_sums_leaves_where_levels_are_not_stated(gate):
    df = gate.query("project_level1", ALL, project_id="p-a").set_index("code")
    assert list(df.index) == ["A", "B"]
    # A: A1 has no weight → leaves 10 + 10, scores 9 + 8
    assert (df.loc["A", "weight"], df.loc["A", "reported_score"]) == (20, 17)
    assert df.loc["A", "score_rate"] == pytest.approx(0.85) and bool(df.loc["A", "derived"])
    # B: B1 states 80 / 70 itself
    assert (df.loc["B", "weight"], df.loc["B", "reported_score"]) == (80, 70)
    assert df.loc["B", "score_rate"] == pytest.approx(0.875) and bool(df.loc["B", "derived"])


def test_project_level1_as_stated_in_the_reports_order(gate):
    df = gate.query("project_level1", ALL, project_id="p-b")
    assert list(df["code"]) == ["B", "A"]
    assert list(df["weight"]) == [60, 40] and list(df["reported_score"]) == [55, 30]
    assert not df["derived"].any()
    assert gate.query("project_level1", ALL, project_id="p-c").empty   # no tree: nothing, not zeros


# ---------------------------------------------------------------------------------------- lists
def test_filter_options(gate):
    df = gate.query("filter_options", ALL).set_index("region_code")
    assert list(df.index) == ["120000", "440304", "440305", "990101"]
    assert (df.loc["120000", "year_min"], df.loc["120000", "year_max"]) == (2022, 2023)
    assert df.loc["440305", "category"] == "治安防控" and df.loc["440305", "evaluator_type"] == "自评"
    assert df["has_demo"].tolist() == [False, False, False, True]
    assert "990101" not in set(gate.query("filter_options", Scope.everything(False))["region_code"])


def test_project_list(gate):
    df = gate.query("project_list", ALL)
    assert list(df["project_id"]) == ["p-a", "p-b", "p-c", "p-d"]  # by name, demo last
    assert list(gate.query("project_list", Scope(("44",)))["project_id"]) == ["p-a", "p-b"]


# ---------------------------------------------------------------------------------------- every query file
@functools.cache
def _code_text() -> str:
    parts = []
    for folder in ("perfeval", "app_pages", "bench", "deploy"):
        parts += [p.read_text(encoding="utf-8") for p in (ROOT / folder).rglob("*.py")]
    parts.append((ROOT / "app.py").read_text(encoding="utf-8"))
    return "\n".join(parts)


def test_there_are_query_files():
    assert {"overview_projects", "project_facts", "project_level1", "filter_options", "project_list"} <= {
        p.stem for p in QUERY_FILES}


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_file_has_a_header_comment(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    header = []
    for line in lines:
        if not line.startswith("--"):
            break
        header.append(line)
    assert len(header) >= 2, f"{path.name}: open with a comment saying what it answers, its parameters, one row per what"
    assert "?" in "\n".join(header), f"{path.name}: the header asks the question the query answers"
    params = query_parameters(path.read_text(encoding="utf-8"))
    text = "\n".join(header).lower()
    assert "parameter" in text, f"{path.name}: the header names its parameters (or says none)"
    for p in params:
        assert p.lower() in text, f"{path.name}: parameter ${p} is not described in the header"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_file_is_used_by_code(path):
    used = re.search(r"[\"']" + re.escape(path.stem) + r"[\"']", _code_text()) is not None
    assert used, f"queries/{path.name} is not referenced from perfeval/, app_pages/, bench/, deploy/ or app.py"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_file_reads_the_scoped_views_only(path):
    sql = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
    assert not re.search(r"\bbase_\w+", sql), f"{path.name} reads base_* (unscoped) views"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_file_runs_on_the_fixture_lake(gate, path):
    """With every parameter NULL ("no filter" / nothing chosen) a query runs without an error."""
    params = {p: None for p in query_parameters(path.read_text(encoding="utf-8"))}
    gate.query(path.stem, ALL, **params)
