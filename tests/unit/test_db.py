"""The lake and the data gate: typed views, scope, bound parameters, read-only, live reload."""
import shutil

import duckdb
import pandas as pd
import pytest

from perfeval.data.gate import DataGate, QueryError, Scope, query_parameters
from perfeval.data.lake import Lake
from tests.conftest import DATA

FT = "ft-2021-2023-anti-fraud-service"


@pytest.fixture()
def lake_copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst


def test_views_are_typed_from_the_schema():
    g = DataGate(Lake(DATA))
    df = g.table("budget", Scope.everything())
    assert str(df["year"].dtype).lower().startswith("int")
    assert df["spent"].dtype == "float64"
    p = g.table("projects", Scope.everything())
    assert pd.api.types.is_datetime64_any_dtype(p["period_start"])
    # the three real reports and the demonstration portfolio (data/demo, issue 5)
    assert set(p["data_kind"]) == {"report", "demo"}
    assert set(g.table("projects", Scope.everything(include_demo=False))["data_kind"]) == {"report"}


@pytest.mark.parametrize("regions,expected", [
    (None, 3),
    (("440304",), 1),      # 福田区
    (("440300",), 1),      # 深圳市 covers its districts
    (("44",), 1),          # 广东省
    (("120000",), 1),      # 天津市
    (("620500", "120000"), 2),
    (("110000",), 0),      # 北京: nothing
])
def test_scope_limits_every_table(regions, expected):
    g = DataGate(Lake(DATA))
    scope = Scope(regions, include_demo=False)  # the real reports (demo rows: test_demo.py)
    projects = g.table("projects", scope)
    assert len(projects) == expected
    visible = set(projects["project_id"])
    for name in ("budget", "indicators", "outcomes", "figures", "findings", "surveys"):
        assert set(g.table(name, scope)["project_id"]) <= visible


def test_scope_applies_to_raw_sql_too():
    g = DataGate(Lake(DATA))
    n = g.run_sql("SELECT count(*) AS n FROM budget", Scope(("440304",)))["n"][0]
    assert n == 3  # 福田's three years only


def test_parameters_are_bound_not_formatted():
    g = DataGate(Lake(DATA))
    evil = "x' OR '1'='1"
    df = g.query("project_facts", Scope.everything(), project_id=evil)
    assert df.empty
    df = g.query("project_facts", Scope.everything(), project_id=FT)
    assert df["reported_total_score"][0] == 98.94


def test_missing_or_extra_parameters_are_refused():
    g = DataGate(Lake(DATA))
    with pytest.raises(QueryError):
        g.query("project_facts", Scope.everything())
    with pytest.raises(QueryError):
        g.query("project_facts", Scope.everything(), project_id=FT, other=1)
    with pytest.raises(QueryError):
        g.query("../etc/passwd", Scope.everything())


@pytest.mark.parametrize("sql", [
    "COPY projects TO 'x.csv'",
    "CREATE TABLE t AS SELECT 1",
    "SELECT 1; SELECT 2",
    "ATTACH 'x.db'",
])
def test_only_single_selects_run(sql):
    with pytest.raises(QueryError):
        DataGate(Lake(DATA)).run_sql(sql, Scope.everything())


@pytest.mark.parametrize("sql", [
    "SELECT * FROM base_projects",
    "SELECT * FROM projects WHERE project_id IN (SELECT project_id FROM BASE_projects)",
    "SELECT * FROM read_parquet('data/demo/projects.parquet')",
    "SELECT * FROM 'data/seed/tianjin-2022/projects.csv'",
    "SELECT * FROM query_table('base_projects')",
    "SELECT * FROM glob('*')",
])
def test_free_sql_cannot_step_around_the_scope(sql):
    with pytest.raises(QueryError):
        DataGate(Lake(DATA)).run_sql(sql, Scope(("440304",)))


def test_free_sql_on_the_views_runs_in_scope():
    df = DataGate(Lake(DATA)).run_sql("SELECT 'read_csv(' AS s, count(*) AS n FROM projects", Scope(("440304",)))
    assert df["n"][0] == 1


def test_files_outside_the_lake_cannot_be_read():
    g = DataGate(Lake(DATA))
    with pytest.raises(duckdb.Error):
        g._run("SELECT * FROM read_csv('/etc/passwd')", Scope.everything(), None, "test")


def test_query_parameters_ignore_comments_and_strings():
    sql = "-- uses $nothing\nSELECT '$not' AS a WHERE x = $a AND y = $b OR z = $a"
    assert query_parameters(sql) == ["a", "b"]


def test_a_new_batch_is_seen_without_restart(lake_copy):
    lake = Lake(lake_copy)
    lake.VERSION_TTL = 0
    g = DataGate(lake)
    v1 = lake.version()
    real = Scope.everything(include_demo=False)  # the three reports; the demo portfolio is left out
    assert len(g.table("projects", real)) == 3
    proj = g.table("projects", real).iloc[[0]].drop(columns=["data_kind"])
    proj = proj.assign(project_id="import-1", source="import:batch-1", name="新导入项目")
    out = lake_copy / "lake" / "projects" / "batch-1.parquet"
    out.parent.mkdir(parents=True)
    proj.to_parquet(out)
    assert lake.version() != v1
    df = g.table("projects", real)
    assert len(df) == 4
    assert df.set_index("project_id").loc["import-1", "data_kind"] == "import"


def test_demo_rows_hidden_when_scope_says_so(lake_copy):
    lake = Lake(lake_copy)
    lake.VERSION_TTL = 0
    g = DataGate(lake)
    proj = g.table("projects", Scope.everything()).iloc[[0]].drop(columns=["data_kind"])
    proj = proj.assign(project_id="demo-x", source="demo:test", region_code="990101")
    (lake_copy / "lake" / "projects").mkdir(parents=True)
    proj.to_parquet(lake_copy / "lake" / "projects" / "demo.parquet")
    assert "demo-x" in set(g.table("projects", Scope.everything(True))["project_id"])
    assert "demo-x" not in set(g.table("projects", Scope.everything(False))["project_id"])


def test_changed_makes_the_next_version_read_the_files(tmp_path):
    """Lake.version() is re-read at most every VERSION_TTL seconds, unless the process says it changed
    the files (perfeval.ui.upload after an import)."""
    import shutil

    from perfeval.data.lake import Lake
    from tests.conftest import DATA

    shutil.copytree(DATA / "catalog", tmp_path / "catalog")
    lake = Lake(tmp_path)
    lake.VERSION_TTL = 3600
    before = lake.version()
    (tmp_path / "catalog" / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    assert lake.version() == before, "within the TTL the version is not re-read"
    lake.changed()
    assert lake.version() != before


def test_a_file_moved_away_by_another_process_within_the_ttl_is_read_anew(lake_copy):
    """Another process withdraws a batch (its folder moves to _archive) while this one still holds the
    version it read less than VERSION_TTL ago: the views name a file that is gone. The query reads the
    file list anew instead of failing the page with DuckDB's 'No files found'."""
    lake = Lake(lake_copy)
    lake.VERSION_TTL = 3600
    g = DataGate(lake)
    before = g.table("budget", Scope.everything())
    assert FT in set(before["project_id"])
    moved = lake_copy / "_moved_seed"
    (lake_copy / "seed" / "futian-2021-2023").rename(moved)  # as a withdraw moves a batch, in one step
    after = g.table("budget", Scope.everything())
    assert FT not in set(after["project_id"])
    assert len(after) == len(before) - int((before["project_id"] == FT).sum())
