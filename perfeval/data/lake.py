"""The data lake: a folder of CSV and Parquet files seen as typed DuckDB views.

Layout of a lake folder (see docs/data-model.md):

    catalog/<table>.csv                      reference tables (metric catalogue, documents)
    seed/<report>/<table>.csv                the real reports, hand-encoded
    demo/<table>.parquet                     the demonstration portfolio (generated, committed)
    lake/<table>/**/<batch>.parquet          imported or generated batches (hive partitions allowed)
    lake/<table>/compacted-<stamp>.parquet   batches merged by perfeval.data.compact (they replace the
                                             files they list in their metadata, which are ignored)

`Lake` turns those files into typed DuckDB views (one per table of perfeval.data.schema, plus the
scoped views of queries/_views.sql), rebuilt when the files change, and derives the indicator roll-up
(``_derived/indicator_nodes-<hash>.parquet``). Every read goes through perfeval.data.gate.DataGate,
which limits the views to the viewer's Scope; `arrow_to_pandas` turns a query's Arrow result into the
DataFrame it returns.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import pathlib
import re
import tempfile
import threading
import time
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from perfeval import config
from perfeval.data import schema

if TYPE_CHECKING:
    from perfeval.data.gate import Scope

DEFAULT_DATA = config.BUNDLED_DATA
QUERIES = config.QUERIES
_DATA_SUFFIXES = (".csv", ".parquet")
COMPACTED_PREFIX = "compacted-"          # perfeval.data.compact writes <table dir>/compacted-<stamp>.parquet
SUPERSEDES_KEY = "perfeval_supersedes"   # its Parquet metadata: the files (relative paths) it replaces
_supersedes_cache: dict[tuple[str, int, int], tuple[str, ...]] = {}
NODES_SQL = QUERIES / "_indicator_nodes.sql"  # the indicator roll-up Lake derives per version of the files
DERIVED_DIR = "_derived"                     # <lake>/_derived/: derived files (not data: never read as such)
NODES_PREFIX = "indicator_nodes-"
NODES_ROWS_PER_PART = 500_000                # rows of base_indicators per part of the roll-up's build
DERIVED_GRACE = 600.0                        # seconds an outdated derived file is kept for readers


def sql_literal(text: str) -> str:
    """A SQL string literal for a path we found on disk ourselves (never a user's value)."""
    return "'" + text.replace("'", "''") + "'"


# Tables with no project_id, and so no region link: reference data every viewer reads (documents: only those
# the viewer's rows cite, queries/_views.sql). Any other table must carry project_id, or the lake refuses to open.
REFERENCE_TABLES = ("documents", "metrics", "vendor_aliases", "grade_bands")


class RegionLinkError(RuntimeError):
    """A schema table without ``project_id`` that is not a declared reference table: its rows could not be
    limited to a viewer's regions, so the lake is not opened rather than serving them to everyone."""


def check_region_links(tables=None) -> None:
    """Raise `RegionLinkError` for a table of the schema that lacks its region link (``project_id``)."""
    lacking = [t.name for t in (schema.TABLES if tables is None else tables)
               if "project_id" not in t.column_names and t.name not in REFERENCE_TABLES]
    if lacking:
        raise RegionLinkError(
            f"表 {', '.join(lacking)} 没有 project_id，无法按地区限定可见范围 / table(s) {', '.join(lacking)} have no "
            "project_id: their rows cannot be limited to a viewer's regions (add project_id, or declare the table "
            "in perfeval.data.lake.REFERENCE_TABLES if it is reference data every viewer may read)")


def _is_identifier(name: str) -> bool:
    return re.fullmatch(r"[a-z_][a-z0-9_]*", name) is not None


class Lake:
    """A folder of CSV and Parquet files seen as typed DuckDB views."""

    VERSION_TTL = 1.0  # seconds

    def __init__(self, root: str | os.PathLike = DEFAULT_DATA):
        self.root = pathlib.Path(root).resolve()
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._version: str | None = None
        self._version_seen: tuple[float, str] | None = None
        self._nodes: pathlib.Path | None = None  # the derived indicator roll-up the views read (_build)

    # -- files -------------------------------------------------------------------------------
    def data_files(self) -> list[pathlib.Path]:
        """Every data file of the lake (sorted)."""
        out = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
            for f in filenames:
                if f.endswith(_DATA_SUFFIXES) and not f.startswith((".", "_")):
                    out.append(pathlib.Path(dirpath) / f)
        return sorted(out)

    def live_files(self) -> list[pathlib.Path]:
        """The data files that hold rows: every data file but those a compacted file replaces.

        A compacted file (perfeval.data.compact) lists the files it replaces in its Parquet metadata; it
        is placed with one rename, so a reader sees the old files or the new one, never both, even
        if the old files have not been moved to the archive yet.
        """
        files = self.data_files()
        replaced: set[str] = set()
        for p in files:
            if p.suffix == ".parquet" and p.name.startswith(COMPACTED_PREFIX):
                replaced.update(supersedes(p))
        if not replaced:
            return files
        return [p for p in files if p.relative_to(self.root).as_posix() not in replaced]

    def table_files(self, table: str, files: list[pathlib.Path] | None = None
                    ) -> tuple[list[pathlib.Path], list[pathlib.Path]]:
        """(csv files, parquet files) holding rows of ``table`` (among ``files``, else the live files)."""
        csvs, parquets = [], []
        for p in self.live_files() if files is None else files:
            rel = p.relative_to(self.root).parts
            if p.suffix == ".csv" and p.stem == table:
                csvs.append(p)
            elif p.suffix == ".parquet" and (p.stem == table or table in rel[:-1]):
                parquets.append(p)
        return csvs, parquets

    def version(self) -> str:
        """A short hash of the lake's file list, sizes and modification times.

        Re-read at most every ``VERSION_TTL`` seconds: a page makes several queries per rerun and
        each asks for the version (it is part of every cache key), but a new batch only needs to be
        seen within a second or so.
        """
        now = time.monotonic()
        if self._version_seen is not None and now - self._version_seen[0] < self.VERSION_TTL:
            return self._version_seen[1]
        h = hashlib.sha1()
        for p in self.data_files():
            st = p.stat()
            h.update(f"{p.relative_to(self.root)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
        version = h.hexdigest()[:16]
        self._version_seen = (now, version)
        return version

    def changed(self) -> None:
        """This process has just changed the lake's files (an import): read the version anew on the next
        call rather than up to ``VERSION_TTL`` seconds later."""
        self._version_seen = None

    # -- connection --------------------------------------------------------------------------
    def connection(self) -> tuple[duckdb.DuckDBPyConnection, str]:
        """The base connection for the current files (rebuilt when they change) and its version."""
        version = self.version()
        with self._lock:
            # the derived roll-up is a cache: if someone deleted it, build it (and the views) again
            if self._con is None or version != self._version or not (self._nodes and self._nodes.exists()):
                old = self._con
                self._con = self._build()
                self._version = version
                if old is not None:
                    old.close()
            return self._con, self._version

    def _build(self) -> duckdb.DuckDBPyConnection:
        check_region_links()
        con = duckdb.connect(":memory:")
        files = self.live_files()
        views = {t.name: self._base_view_sql(con, t, files) for t in schema.TABLES}
        for view in views.values():
            con.execute(view)
        nodes = self._nodes = self.indicator_nodes_file(con, files, views["indicators"])
        con.execute("CREATE VIEW base_indicator_nodes AS SELECT * FROM read_parquet(" + sql_literal(str(nodes)) + ")")
        # DuckDB's own parser splits the file (a ';' inside a string or a comment is no end of statement)
        for statement in duckdb.extract_statements((QUERIES / "_views.sql").read_text(encoding="utf-8")):
            con.execute(statement)
            if statement.query.startswith("CREATE VIEW projects "):
                # every table keyed by project sees only the rows of the projects in scope
                keyed = [t.name for t in schema.TABLES if "project_id" in t.column_names]
                for name in keyed + ["indicator_nodes"]:
                    if name != "projects":
                        con.execute("CREATE VIEW " + name + " AS SELECT * FROM base_" + name
                                    + " WHERE project_id IN (SELECT project_id FROM projects)")
        allowed = [str(self.root)] + ([str(nodes.parent)] if not nodes.is_relative_to(self.root) else [])
        con.execute("SET allowed_directories=[" + ", ".join(sql_literal(d) for d in allowed) + "]")
        con.execute("SET enable_external_access=false")
        con.execute("SET lock_configuration=true")
        return con

    # -- the derived indicator roll-up ---------------------------------------------------------
    def indicator_nodes_file(self, con: duckdb.DuckDBPyConnection, files: list[pathlib.Path],
                             view_sql: str) -> pathlib.Path:
        """The Parquet file of queries/_indicator_nodes.sql over the lake's indicator files: every node
        of every tree with its figures summed up the tree, its leaf flag and its level-1 dimension.

        The tree queries (compare, districts, points lost) read it as the view ``indicator_nodes``
        instead of summing 3.4 M rows up the tree at 100 000 projects on every call (docs/performance.md,
        finding 14). Its name holds a hash of what it is made from (the indicator files' names, sizes
        and modification times, their typed view ``view_sql`` as _build made it, and the roll-up's
        SQL; ``con`` has the base views), so it is built once per version of those files and shared
        by every process over the lake: under ``<lake>/_derived/``
        (ignored as data, like every ``_`` folder), else, where the lake is read-only, under the
        system's temporary folder. Built in parts of ``NODES_ROWS_PER_PART`` rows to bound memory,
        written under a temporary name and placed with one rename; two processes building at once
        write the same rows. Files of earlier versions are removed once superseded for ``DERIVED_GRACE``
        seconds (``_prune_derived``); a Lake whose file was deleted builds it again on its next query.
        """
        h = hashlib.sha1(NODES_SQL.read_bytes())
        h.update(view_sql.encode())
        csvs, parquets = self.table_files("indicators", files)
        for p in csvs + parquets:
            st = p.stat()
            h.update(f"{p}|{st.st_size}|{st.st_mtime_ns}\n".encode())
        name = NODES_PREFIX + h.hexdigest()[:16] + ".parquet"
        shared = self.root / DERIVED_DIR
        private = pathlib.Path(tempfile.gettempdir()) / ("perfeval-" + hashlib.sha1(str(self.root).encode()).hexdigest()[:12])
        for folder in (shared, private):
            target = folder / name
            if target.exists():
                return target
            try:
                folder.mkdir(exist_ok=True)
                self._write_nodes(con, target)
            except OSError:
                continue
            _prune_derived(folder, keep=target)
            return target
        raise OSError(f"cannot write the indicator roll-up under {shared} or {private}")

    @staticmethod
    def _write_nodes(con: duckdb.DuckDBPyConnection, target: pathlib.Path) -> None:
        sql = NODES_SQL.read_text(encoding="utf-8")
        rows = con.sql("SELECT count(*) FROM base_indicators").fetchall()[0][0]
        parts = max(1, math.ceil(rows / NODES_ROWS_PER_PART))
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        writer = None
        try:
            for part in range(parts):
                table = con.sql(sql, params={"part": part, "parts": parts}).to_arrow_table()
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema)
                writer.write_table(table)
            writer.close()
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                tmp.unlink()

    def _base_view_sql(self, con: duckdb.DuckDBPyConnection, t: schema.Table,
                       files: list[pathlib.Path] | None = None) -> str:
        """CREATE VIEW base_<table>: the files of one table, cast once to the schema's types.

        Identifiers come from perfeval.data.schema (checked), file paths from our own directory listing.
        """
        assert _is_identifier(t.name) and all(_is_identifier(c) for c in t.column_names)
        csvs, parquets = self.table_files(t.name, files)
        parts = []
        if csvs:
            src = ("read_csv([" + ", ".join(sql_literal(str(p)) for p in csvs) + "], header=true, "
                   "all_varchar=true, union_by_name=true, auto_detect=true)")
            parts.append(self._select_cast(con, t, src))
        if parquets:
            src = ("read_parquet([" + ", ".join(sql_literal(str(p)) for p in parquets) + "], "
                   "union_by_name=true, hive_partitioning=false)")
            parts.append(self._select_cast(con, t, src))
        if not parts:
            cols = ", ".join("CAST(NULL AS " + c.type + ") AS " + c.name for c in t.columns)
            parts.append("SELECT " + cols + " WHERE false")
        body = "\nUNION ALL\n".join(parts)
        kind = "split_part(source, ':', 1) AS data_kind" if "source" in t.column_names else "NULL AS data_kind"
        return "CREATE VIEW base_" + t.name + " AS SELECT *, " + kind + " FROM (\n" + body + "\n)"

    @staticmethod
    def _select_cast(con: duckdb.DuckDBPyConnection, t: schema.Table, src: str) -> str:
        present = {r[0] for r in con.execute("DESCRIBE SELECT * FROM " + src).fetchall()}
        cols = []
        for c in t.columns:
            if c.name in present:
                cols.append("CAST(" + c.name + " AS " + c.type + ") AS " + c.name)
            else:
                cols.append("CAST(NULL AS " + c.type + ") AS " + c.name)
        return "SELECT " + ", ".join(cols) + " FROM " + src

    def read_table(self, name: str, scope: Scope | None = None) -> pd.DataFrame:
        """Every visible row of one table (through the gate), for tests, the CLI and exports."""
        # imported here: the gate reads through a Lake (perfeval.data.gate imports this module)
        from perfeval.data.gate import DataGate, Scope

        return DataGate(self).table(name, scope or Scope.everything())


_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(),
             pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype(), pa.bool_(): pd.BooleanDtype()}


def _plain(t: pa.DataType) -> bool:
    """A type arrow_to_pandas converts itself (every other goes through DuckDB's own conversion)."""
    return (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t)
            or pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t)
            or pa.types.is_date(t) or pa.types.is_decimal(t)
            or (pa.types.is_timestamp(t) and t.tz is None))


def _unique_names(names: list[str]) -> list[str]:
    """Column names as DuckDB's ``.df()`` gives them: a repeated name (in any case) gets _1, _2 …"""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        key = name.lower()
        if key in seen:
            out.append(f"{name}_{seen[key]}")
            seen[key] += 1
        else:
            out.append(name)
            seen[key] = 1
    return out


def arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    """A query's Arrow result as the DataFrame DuckDB's ``.df()`` gives, column types included, in a
    third of the time where there are many strings (100 000 overview rows: 0.2 s instead of 0.6 s).

    DuckDB's own conversion builds its frame value by value; Arrow hands pandas its string buffers
    whole. The types follow ``.df()``: integers and booleans with a NULL become pandas' nullable types,
    DATE and TIMESTAMP datetime64[us], DECIMAL float64, a text column with no value at all object
    (None); repeated names are numbered. A result with any other type (lists, intervals …) is left to
    DuckDB's conversion. tests/unit/test_gate_frames.py holds every query to ``.df()``.
    """
    if not all(_plain(f.type) for f in table.schema):
        return duckdb.from_arrow(table).df()
    cols = {}
    for i, (field, col) in enumerate(zip(table.schema, table.columns)):
        t = field.type
        if col.null_count == len(col) and (pa.types.is_string(t) or pa.types.is_large_string(t)
                                           or pa.types.is_null(t)):
            cols[i] = pd.Series([None] * len(col), dtype=object)
        elif pa.types.is_date(t) or pa.types.is_timestamp(t):
            cols[i] = col.to_pandas(date_as_object=False).astype("datetime64[us]")
        elif pa.types.is_decimal(t):
            cols[i] = col.cast(pa.float64()).to_pandas()
        elif t in _NULLABLE and col.null_count:
            cols[i] = col.to_pandas(types_mapper=_NULLABLE.get)
        else:
            cols[i] = col.to_pandas()
    df = pd.DataFrame(cols, index=pd.RangeIndex(table.num_rows))
    df.columns = _unique_names(table.column_names)
    return df


def supersedes(path: pathlib.Path) -> tuple[str, ...]:
    """The files a compacted Parquet file replaces (its ``perfeval_supersedes`` metadata), cached by
    path, size and modification time (a compacted file is never rewritten)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _supersedes_cache:
        meta = pq.read_metadata(path).metadata or {}
        raw = meta.get(SUPERSEDES_KEY.encode())
        _supersedes_cache[key] = tuple(json.loads(raw)) if raw else ()
    return _supersedes_cache[key]


def _prune_derived(folder: pathlib.Path, keep: pathlib.Path) -> None:
    """Remove the roll-ups of earlier versions once a newer one has existed for ``DERIVED_GRACE``
    seconds (a process still on an earlier version reads its file until it sees the new files, within
    ``Lake.VERSION_TTL``), and temporary files abandoned that long ago."""
    now = time.time()
    built: list[tuple[float, pathlib.Path]] = []
    for p in folder.glob("*" + NODES_PREFIX + "*"):
        try:
            mtime = p.stat().st_mtime
            if p.name.startswith(".") and now - mtime > DERIVED_GRACE:
                p.unlink()
            elif not p.name.startswith("."):
                built.append((mtime, p))
        except OSError:
            pass
    for mtime, p in built:
        superseded = any(m > mtime and now - m > DERIVED_GRACE for m, q in built if q != p)
        if p != keep and superseded:
            with contextlib.suppress(OSError):
                p.unlink()
