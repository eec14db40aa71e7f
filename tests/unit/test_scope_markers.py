"""Who sees what, through every path that reaches the data but the pages (those: tests/app/test_scope_pages.py).

A lake of marker projects (tests/scope_markers.py: 福田区 and 南山区 of 深圳市, 天河区 of 广州市, 秦州区 of 甘肃省
天水市, each with its token in every free text): for every query file with every parameter set (each marker's
project id forged in turn), every view read with free SQL, the slide decks, and every CLI command, each user of
the users file sees exactly its own markers' tokens, a leader those under its region, an unknown user or role
nothing. Then the lock-down escape attempts through every entry to SQL.
"""
from __future__ import annotations

import contextlib
import io
import json
import pathlib
import re
import zipfile

import pandas as pd
import pytest

from perfeval import config
from perfeval.auth.users import load_users, scope_for
from perfeval.cli import main
from perfeval.data import schema
from perfeval.data.gate import DataGate, QueryError, Scope, query_parameters, query_text
from perfeval.data.lake import QUERIES, Lake
from perfeval.decks.portfolio import portfolio_deck
from perfeval.decks.project import project_deck
from tests import scope_markers as sm

QUERY_NAMES = sorted(p.stem for p in QUERIES.glob("*.sql") if not p.name.startswith("_"))
IDS = [sm.project_id(c) for c in sm.MARKERS]
USERS = [u for u in sm.SEES if u is not None]
VIEWS = [t.name for t in schema.TABLES] + ["indicator_nodes", "project_money", "project_satisfaction"]


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> pathlib.Path:
    return sm.build(tmp_path_factory.mktemp("markers") / "lake")


@pytest.fixture(scope="module")
def auth_file(tmp_path_factory) -> pathlib.Path:
    return sm.write_auth(tmp_path_factory.mktemp("auth"), mode="proxy")


@pytest.fixture(scope="module")
def gate(lake) -> DataGate:
    return DataGate(Lake(lake))


@pytest.fixture(scope="module")
def scopes(auth_file) -> dict:
    known = load_users(auth_file.parent / "users.toml")
    return {u: scope_for(known.get(u) if u else None) for u in sm.SEES}


def _text(df: pd.DataFrame) -> str:
    return df.to_csv(index=False)


def _param_sets(name: str) -> list[dict]:
    """Parameter sets for one query: each marker's id forged in turn (and none: every project), the filter's
    regions, all ids and codes."""
    wanted = query_parameters(query_text(name))
    base = {"project_id": None, "project_ids": IDS, "region_codes": list(sm.MARKERS), "region": None,
            "year_from": None, "year_to": None, "category": None, "evaluator_type": None, "level": 1, "year": 2022,
            "limit": 500, "search": None, "metric_key": "calls_intercepted", "categories": None,
            "numeric_only": False}
    sets = [{}]
    if "project_id" in wanted:
        sets = [{"project_id": pid} for pid in IDS + [None]]
    if "region" in wanted:
        sets = [{**s, "region": r} for s in sets
                for r in ((None, "44", "4403", "62") if s.get("project_id") is None else (None,))]
    if "search" in wanted:
        sets = [{**s, "search": w} for s in sets for w in (None, "MK", "mk-4403")]
    if "level" in wanted:
        sets = [{**s, "level": lv} for s in sets for lv in (1, 2, 3)]
    out = []
    for s in sets:
        params = {**base, **s}
        missing = [p for p in wanted if p not in params]
        assert not missing, f"{name}: no test value for {missing}"
        out.append({p: params[p] for p in wanted})
    return out


def test_the_marker_lake(gate):
    df = gate.run_sql("SELECT project_id, region_code, name FROM projects ORDER BY 1", Scope.everything())
    assert list(df.project_id) == sorted(IDS)
    assert sm.seen(_text(df)) == set(sm.MARKERS)


SWEEP_USERS = ["admin", "futian", "shenzhen", "guangdong", "gansu", "guest", "typo", "stranger"]


@pytest.mark.parametrize("user", SWEEP_USERS)
def test_every_query_shows_only_the_users_markers(gate, scopes, user):
    scope, allowed = scopes[user], sm.SEES[user]
    seen: set[str] = set()
    for name in QUERY_NAMES:
        for params in _param_sets(name):
            try:
                got = sm.seen(_text(gate.query(name, scope, **params)))
            except Exception as e:  # a query that cannot run on these parameters says nothing either way
                pytest.fail(f"{name} {params}: {e}")
            assert got <= allowed, f"{user} sees {got - allowed} through {name} {params}"
            seen |= got
    assert seen == allowed  # and everything of its own somewhere


@pytest.mark.parametrize("user", USERS)
def test_every_view_read_with_free_sql(gate, scopes, user):
    scope, allowed = scopes[user], sm.SEES[user]
    seen = set()
    for view in VIEWS:
        got = sm.seen(_text(gate.run_sql(f"SELECT * FROM {view}", scope)))
        assert got <= allowed, f"{user} sees {got - allowed} in {view}"
        seen |= got
    assert seen == allowed


def test_reference_tables_are_the_only_unscoped_ones(gate):
    """Nothing but the declared reference tables is readable by a viewer who sees nothing."""
    for view in VIEWS:
        n = gate.run_sql(f"SELECT count(*) AS n FROM {view}", Scope.nothing())["n"][0]
        assert n == 0 or view in ("metrics", "vendor_aliases", "grade_bands"), view


def _pptx_text(data: bytes) -> str:
    """Every XML part of a deck, and of the workbooks embedded for its charts, as one text."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for n in z.namelist():
            blob = z.read(n)
            if n.endswith(".xml"):
                parts.append(blob.decode("utf-8", "replace"))
            elif n.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(blob)) as x:
                    parts += [x.read(m).decode("utf-8", "replace") for m in x.namelist() if m.endswith(".xml")]
    return "\n".join(parts)


@pytest.mark.parametrize("user", ["futian", "shenzhen", "gansu", "guest", "typo", "stranger"])
def test_decks(gate, scopes, user):
    scope, allowed = scopes[user], sm.SEES[user]

    def q(name, **params):
        return gate.query(name, scope, **params)

    filters = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)
    text = _pptx_text(portfolio_deck(q, filters, "zh"))
    assert sm.seen(text) == allowed, user
    for pid, code in zip(IDS, sm.MARKERS):
        got = sm.seen(_pptx_text(project_deck(q, pid, "zh")))
        assert got == ({code} & allowed), f"{user}: the deck of {pid} shows {got}"


# ------------------------------------------------------------------------------------------------- CLI
def _cli(monkeypatch, lake, auth_file, *argv) -> tuple[int, str]:
    monkeypatch.setenv(config.AUTH_ENV, str(auth_file))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data", str(lake), *argv])
    return code, out.getvalue() + err.getvalue()


# every view in one SELECT (each as a list of its rows), so that one command reads them all
EVERY_VIEW = "SELECT " + ", ".join(f"(SELECT list(t)::VARCHAR FROM {v} t) AS {v}" for v in VIEWS)
CLI_READS = [
    ["summary", "--json"],
    ["summary"],
    ["audit", "--json"],
    ["sql", EVERY_VIEW, "--json"],
    *[["audit", "--project", pid, "--json"] for pid in IDS],
]
CLI_USERS = ["admin", "futian", "shenzhen", "guangdong", "gansu", "guest", "typo", "noregion", "stranger"]


@pytest.mark.parametrize("user", CLI_USERS)
def test_cli_reads(monkeypatch, lake, auth_file, tmp_path, user):
    allowed = sm.SEES[user]
    seen = set()
    for argv in CLI_READS + [["deck", str(tmp_path / "p.pptx")]] + [
            ["deck", str(tmp_path / f"{pid}.pptx"), "--project", pid] for pid in IDS]:
        code, out = _cli(monkeypatch, lake, auth_file, "--as", user, *argv)
        if not allowed:
            assert code == 2 and ("unknown user" in out or "sees nothing" in out), (user, argv, out)
            assert "未知用户" in out or "看不到任何数据" in out
            assert not sm.seen(out)
            continue
        if argv[0] == "audit" and "--project" in argv and argv[-2] not in {sm.project_id(c) for c in allowed}:
            assert code == 2 and "no such project" in out and not sm.seen(out), (user, argv, out)
            continue
        assert code == 0, (user, argv, out)
        if argv[0] == "deck":
            out += _pptx_text(pathlib.Path(argv[1]).read_bytes())
        got = sm.seen(out)
        assert got <= allowed, f"{user} sees {got - allowed} through {argv}"
        seen |= got
    assert seen == allowed


def test_cli_unknown_user_and_missing_as(monkeypatch, lake, auth_file):
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "stranger", "summary")
    assert code == 2 and "未知用户 'stranger'" in out and "unknown user 'stranger'" in out
    code, out = _cli(monkeypatch, lake, auth_file, "summary")  # sign-in configured: --as required
    assert code == 2 and "--as" in out and not sm.seen(out)
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "typo", "summary")
    assert code == 2 and "distrct" in out


def test_cli_local_mode_without_as_is_the_local_admin(monkeypatch, lake):
    monkeypatch.delenv(config.AUTH_ENV, raising=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--data", str(lake), "summary", "--json"]) == 0
    assert sm.seen(out.getvalue()) == set(sm.MARKERS)


@pytest.mark.parametrize("user, argv", [
    ("shenzhen", ["compact", "--dry-run"]),
    ("futian", ["compact"]),
    ("guest", ["demo", "--out", "x"]),
    ("shenzhen", ["withdraw", "20260101-000000-abcdef"]),
    ("gansu", ["restore", "20260101-000000-abcdef"]),
    ("guest", ["import", "x.xlsx"]),
    ("futian", ["log"]),
])
def test_cli_commands_by_role(monkeypatch, lake, auth_file, user, argv):
    before = sorted(p.relative_to(lake) for p in lake.rglob("*"))
    code, out = _cli(monkeypatch, lake, auth_file, "--as", user, *argv)
    assert code == 2 and "may not run" in out and "无权运行" in out
    assert sorted(p.relative_to(lake) for p in lake.rglob("*")) == before


def test_cli_validate_of_the_lake_is_for_admins(monkeypatch, lake, auth_file):
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "futian", "validate")
    assert code == 2 and "only an administrator" in out and not sm.seen(out)
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "admin", "validate", "--json")
    assert code in (0, 1)


# ------------------------------------------------------------------------------------------------- escapes
ESCAPES = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM base_projects",
    "COPY projects TO '/tmp/perfeval-escape.csv'",
    "COPY (SELECT * FROM projects) TO '/tmp/perfeval-escape.csv'",
    "ATTACH '/tmp/perfeval-escape.db' AS x",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SET VARIABLE scope_all = true",
    "RESET VARIABLE scope_prefixes",
    "SELECT 1; SET VARIABLE scope_all = true",
    "SET VARIABLE scope_all = true; SELECT * FROM projects",
    "SELECT * FROM projects; SELECT * FROM base_projects",
    "PRAGMA database_list",
    "CALL duckdb_settings()",
    "CREATE TABLE x AS SELECT * FROM projects",
    "SELECT * FROM query('SELECT * FROM base_projects')",
    "SELECT * FROM query_table('base_projects')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM duckdb_views()",
]


@pytest.mark.parametrize("sql", ESCAPES)
def test_escape_attempts_through_the_gate(gate, scopes, sql):
    for user in ("futian", "stranger"):
        try:
            df = gate.run_sql(sql, scopes[user])
        except Exception as e:  # refused by the gate's checks or by the locked connection
            assert not sm.seen(str(e)) - sm.SEES[user]
            continue
        # what runs at all shows nothing outside the scope, and no file
        assert not sm.seen(_text(df)) - sm.SEES[user], sql
        assert "root:" not in _text(df)
    assert not pathlib.Path("/tmp/perfeval-escape.csv").exists()
    assert not pathlib.Path("/tmp/perfeval-escape.db").exists()


@pytest.mark.parametrize("sql", ESCAPES)
def test_escape_attempts_through_the_cli(monkeypatch, lake, auth_file, sql):
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "futian", "sql", sql, "--csv")
    assert not sm.seen(out) - {"440304"}, sql
    assert "root:" not in out
    assert not pathlib.Path("/tmp/perfeval-escape.csv").exists()


def test_duckdb_views_lists_no_data(gate, scopes):
    """duckdb_views() names the views (and shows their SQL: no data, no path outside the lake's)."""
    df = gate.run_sql("SELECT sql FROM duckdb_views()", scopes["futian"])
    assert not sm.seen(_text(df))


@pytest.mark.parametrize("value", ["' OR '1'='1", "mk-440305' --", "mk-440305", "%", "4403", "", "*"])
def test_bound_parameters_cannot_widen(gate, scopes, value):
    """A value a person types (a URL's ?project=, a picker's search, a region) is bound, never SQL."""
    futian = scopes["futian"]
    for name, params in [("project_facts", {"project_id": value}),
                         ("project_search", None),
                         ("overview_projects", {"region": value, "year_from": None, "year_to": None,
                                                "category": None, "evaluator_type": None})]:
        if params is None:
            wanted = query_parameters(query_text(name))
            params = {p: ({"search": value}.get(p, _param_sets(name)[0][p])) for p in wanted}
        got = sm.seen(_text(gate.query(name, futian, **params)))
        assert got <= {"440304"}, (name, value)


def test_an_unset_scope_sees_nothing(gate):
    """A cursor of the lake on which the gate set no scope (a future path that forgets it) sees no project."""
    con, _ = gate.lake.connection()
    cur = con.cursor()
    try:
        for view in ("projects", "budget", "indicators", "documents", "indicator_nodes"):
            assert cur.sql(f"SELECT count(*) FROM {view}").fetchall()[0][0] == 0, view
    finally:
        cur.close()
    with pytest.raises(QueryError, match="Scope"):
        gate.query("project_list", None)


def test_a_table_without_region_link_is_refused(monkeypatch, tmp_path):
    from perfeval.data import lake as lake_module

    extra = schema.Table("secrets", "秘密", "secrets", ("key",), (schema.Column("key", "VARCHAR", "键", "key"),))
    monkeypatch.setattr(schema, "TABLES", schema.TABLES + (extra,))
    with pytest.raises(lake_module.RegionLinkError, match="secrets"):
        Lake(tmp_path).connection()
    lake_module.check_region_links(schema.TABLES[:-1])  # the real schema passes


def test_scope_key_differs_for_every_user(scopes):
    """The caches key on Scope.key(): users who see different things never share a key."""
    by_key: dict = {}
    for user, scope in scopes.items():
        by_key.setdefault(scope.key(), set()).add(frozenset(sm.SEES[user]))
    assert all(len(v) == 1 for v in by_key.values())


def test_json_is_valid(monkeypatch, lake, auth_file):
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "shenzhen", "summary", "--json")
    assert code == 0
    rows = json.loads(out)
    assert sorted(r["project_id"] for r in rows) == ["mk-440304", "mk-440305"]
    assert re.search("MK440304", out)


NEW_PROJECT = ("project_id,name,short_name,category,province,city,district,region_code,implementing_unit,evaluator,"
               "evaluator_type,period_start,period_end\n"
               "new-{code},新项目 NEW{code},新项目,反诈,广东省,深圳市,某区,{code},某分局,某机构,自评,2023-01-01,2023-12-31\n")


def _files(lake: pathlib.Path) -> dict[str, bytes]:
    return {str(p.relative_to(lake)): p.read_bytes() for p in sorted(lake.rglob("*"))
            if p.is_file() and "_derived" not in p.parts}


def test_imports_and_withdrawals_stay_in_the_users_regions(monkeypatch, tmp_path, auth_file):
    """A district imports, withdraws and restores only its own regions' projects; anything else is refused,
    says why in both languages, and changes no file; the batch list shows each user only its own batches."""
    lake = sm.build(tmp_path / "lake")
    upload = tmp_path / "projects.csv"
    upload.write_text(NEW_PROJECT.format(code="440305"), encoding="utf-8")
    before = _files(lake)
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "futian", "import", str(upload))
    assert code == 1 and "440305" in out and "outside your scope" in out and "不在您的权限范围" in out
    assert _files(lake) == before
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "nanshan", "import", str(upload), "--json")
    assert code == 0, out
    batch = json.loads(out)["batch"]
    manifest = json.loads((lake / "imports" / batch / "batch.json").read_text(encoding="utf-8"))
    assert manifest.get("who") == "nanshan"
    for user, listed in (("futian", False), ("shenzhen", True), ("nanshan", True), ("admin", True),
                         ("gansu", False)):
        code, out = _cli(monkeypatch, lake, auth_file, "--as", user, "batches", "--json")
        assert code == 0 and (batch in out) is listed, (user, out)
    after_import = _files(lake)
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "futian", "withdraw", batch)
    assert code == 1 and _files(lake) == after_import
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "nanshan", "withdraw", batch)
    assert code == 0, out
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "futian", "restore", batch)
    assert code == 1 and not (lake / "imports" / batch).exists()
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "nanshan", "restore", batch)
    assert code == 0 and (lake / "imports" / batch).is_dir()


def test_an_upload_names_nothing_of_other_regions(monkeypatch, tmp_path, auth_file):
    """The checks against the lake (keys present, the files holding them, batches to supersede) are shown only
    for an upload inside the user's regions: another region's project id, even under the user's own region
    code, gets one problem that names no file, no source and no marker."""
    lake = sm.build(tmp_path / "lake")
    upload = tmp_path / "projects.csv"
    upload.write_text(NEW_PROJECT.format(code="440304").replace("new-440304", "mk-440305"), encoding="utf-8")
    before = _files(lake)
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "futian", "import", str(upload), "--json")
    result = json.loads(out)
    assert code == 1 and [p["code"] for p in result["problems"]] == ["out_of_scope"]
    assert result["supersede"] is None and "markers" not in out and "report:mk" not in out and not sm.seen(out)
    assert _files(lake) == before
    code, out = _cli(monkeypatch, lake, auth_file, "--as", "admin", "import", str(upload), "--json")
    assert code == 1 and "out_of_scope" not in out and "markers/projects.parquet" in out  # an admin sees why
