"""The one data gate every read passes through, and the viewer's scope.

`DataGate.query(name, scope, **params)` runs ``queries/<name>.sql`` with bound ``$parameters`` on a
fresh cursor of the Lake's connection whose views are limited to the viewer's `Scope` (region-code
prefixes, demo rows shown or not). `DataGate.run_sql` runs one SELECT a person wrote (the CLI's
``sql``), refused when it could read around the scoped views. Every query is one SELECT statement.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from perfeval.data import schema
from perfeval.data.lake import QUERIES, Lake, arrow_to_pandas

_QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"(?<![:$\w])\$([A-Za-z_][A-Za-z0-9_]*)")


_REGION_CODE = re.compile(r"^[0-9]{2,12}$")


@dataclass(frozen=True)
class Scope:
    """What a viewer may see: region-code prefixes (None = every region), whether demo rows show, and an
    allow-list of project ids (None = no list; a viewer 访客 reads a named set of projects).

    Region codes follow GB/T 2260: ``44`` a province, ``4403`` a city, ``440304`` a district. A scope
    of ``("440300",)`` is normalised to the prefix ``4403`` and so covers every district of 深圳市.
    A code that is not 2–12 digits covers nothing (it is dropped, never read as "every region"), so a
    scope built from a mistyped users file fails closed. ``Scope.nothing()`` (no region, no project) is
    what an unknown viewer gets: every view is empty.
    """

    regions: tuple[str, ...] | None = None
    include_demo: bool = True
    projects: tuple[str, ...] | None = None

    @staticmethod
    def everything(include_demo: bool = True) -> "Scope":
        return Scope(None, include_demo)

    @staticmethod
    def nothing() -> "Scope":
        """The default: no region and no project (an unknown or missing viewer, an unknown role)."""
        return Scope((), False, ())

    @property
    def unrestricted(self) -> bool:
        """Every region and every project (demo rows aside)."""
        return self.regions is None and self.projects is None

    @property
    def is_nothing(self) -> bool:
        """Sees no project at all, whatever the lake holds."""
        return (self.regions is not None and not self.prefixes) or self.projects == ()

    @property
    def prefixes(self) -> list[str]:
        if self.regions is None:
            return []
        out = []
        for code in self.regions:
            code = str(code).strip()
            if not _REGION_CODE.match(code):
                continue  # fail closed: '' or a name would otherwise be a prefix of everything
            while len(code) > 2 and code.endswith("00"):
                code = code[:-2]
            out.append(code)
        return sorted(set(out))

    def covers_region(self, region_code: str | None) -> bool:
        """Whether a project of ``region_code`` is inside this scope's regions (the project list aside)."""
        if self.regions is None:
            return True
        code = "" if region_code is None else str(region_code).strip()
        return bool(code) and any(code.startswith(p) for p in self.prefixes)

    def key(self) -> tuple:
        """A hashable key for caches: everything that changes what this viewer sees."""
        return (None if self.regions is None else tuple(self.prefixes), self.include_demo,
                None if self.projects is None else tuple(sorted(set(self.projects))))


class QueryError(ValueError):
    """A query that does not exist or was called with the wrong parameters."""


def query_text(name: str) -> str:
    """The SQL text of queries/<name>.sql. Only plain names are accepted."""
    if not _QUERY_NAME.match(name):
        raise QueryError(f"bad query name: {name!r}")
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no query file queries/{name}.sql")
    return path.read_text(encoding="utf-8")


def query_parameters(sql: str) -> list[str]:
    """The ``$names`` a SQL text uses, in order of first use (comments and strings excluded)."""
    stripped = re.sub(r"--[^\n]*", "", sql)
    stripped = re.sub(r"'(?:[^']|'')*'", "''", stripped)
    seen: list[str] = []
    for m in _PARAM.finditer(stripped):
        if m.group(1) not in seen:
            seen.append(m.group(1))
    return seen


_FILE_FUNCTIONS = re.compile(
    r"\b(read_\w+|\w+_scan|glob|sniff_csv|query|query_table|parquet_\w+|iceberg_\w+|delta_\w+)\s*\(",
    re.IGNORECASE)
_FROM_LITERAL = re.compile(r"\b(FROM|JOIN)\s+['\"]", re.IGNORECASE)


def _check_free_sql(sql: str, label: str) -> None:
    """Refuse free SQL that could read around the scoped views (see DataGate.run_sql)."""
    code = re.sub(r"'(?:[^']|'')*'", "''", re.sub(r"--[^\n]*", "", sql))
    if _FILE_FUNCTIONS.search(code) or _FROM_LITERAL.search(sql):
        raise QueryError(f"{label}: only the views may be read (no file functions or file names)")
    if re.search(r"\bbase_\w+", code, re.IGNORECASE):
        raise QueryError(f"{label}: base_* views are not in any scope; read the views instead")


class DataGate:
    """The one path to the data. Every read names the viewer's scope."""

    def __init__(self, lake: Lake):
        self.lake = lake

    def _cursor(self, scope: Scope) -> tuple[duckdb.DuckDBPyConnection, str]:
        con, version = self.lake.connection()
        cur = con.cursor()
        # queries/_views.sql reads these; a cursor without them (NULL) sees no project: default deny
        cur.execute("SET VARIABLE scope_all = ?", [scope.unrestricted])
        cur.execute("SET VARIABLE scope_regions_all = ?", [scope.regions is None])
        cur.execute("SET VARIABLE scope_prefixes = ?::VARCHAR[]", [scope.prefixes])
        cur.execute("SET VARIABLE scope_by_project = ?", [scope.projects is not None])
        cur.execute("SET VARIABLE scope_projects = ?::VARCHAR[]", [sorted(set(scope.projects or ()))])
        cur.execute("SET VARIABLE include_demo = ?", [scope.include_demo])
        return cur, version

    def version(self) -> str:
        return self.lake.version()

    def query(self, name: str, scope: Scope, **params) -> pd.DataFrame:
        """Run queries/<name>.sql with ``params`` bound as $parameters, limited to ``scope``."""
        return self._run(query_text(name), scope, params, label=name)

    def run_sql(self, sql: str, scope: Scope, params: dict | None = None, label: str = "sql") -> pd.DataFrame:
        """Run one read-only SELECT written by a person (the CLI's ``sql``) within ``scope``.

        Besides the checks every query gets, free SQL may read only the scoped views: the unscoped
        base_* views, file-reading table functions (read_parquet, glob, query_table …) and file
        names in FROM would all step around the viewer's scope, and are refused.
        """
        _check_free_sql(sql, label)
        return self._run(sql, scope, params, label)

    def _run(self, sql: str, scope: Scope, params: dict | None, label: str) -> pd.DataFrame:
        if not isinstance(scope, Scope):  # no scope is not "every region": fail closed
            raise QueryError(f"{label}: a query needs the viewer's Scope, got {scope!r}")
        params = dict(params or {})
        wanted = query_parameters(sql)
        missing = [p for p in wanted if p not in params]
        extra = [p for p in params if p not in wanted]
        if missing or extra:
            raise QueryError(f"{label}: missing parameters {missing}, unexpected {extra}")
        statements = duckdb.extract_statements(sql)
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            raise QueryError(f"{label}: only one SELECT statement may be run")
        for attempt in (1, 2):
            cur, _ = self._cursor(scope)
            try:
                rel = cur.sql(sql, params=params) if params else cur.sql(sql)
                return arrow_to_pandas(rel.to_arrow_table())
            except duckdb.IOException as e:
                # another process (a withdraw, a supersede, a compaction) moved a file away within the
                # lake's version TTL: the views still name it. Read the file list anew and try once more.
                if attempt == 2 or "No files found" not in str(e):
                    raise
                self.lake.changed()
            finally:
                cur.close()
        raise AssertionError("unreachable")  # pragma: no cover

    def table(self, name: str, scope: Scope) -> pd.DataFrame:
        """Every visible row of table ``name`` (a schema table), in a stable order."""
        t = schema.table(name)
        order = ", ".join(t.key)
        return self._run("SELECT * FROM " + t.name + " ORDER BY " + order, scope, None, label=name)
