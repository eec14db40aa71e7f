"""Compaction: a table's many Parquet batches rewritten as one file, losing nothing.

Imports land as immutable batches, and a lake partitioned by province × year holds hundreds of small
files per table. Every query opens every file of the tables it reads, so at 100 000 projects the file
count, not the rows, sets the time (docs/performance.md). ``python -m perfeval compact`` rewrites the
Parquet files of each table that has several in one top-level folder of the lake (``lake/``, ``demo/`` …;
rows never move between those folders) into one file, ``<table dir>/compacted-<stamp>.parquet``:

- the rows and columns are exactly those of the files it replaces (checked before anything moves: the
  row count and an order-independent sum of row hashes must match), sorted by project so that a
  per-project query skips most of the file;
- the new file names the files it replaces in its Parquet metadata (``perfeval_supersedes``), and the
  lake ignores a file that a present compacted file supersedes. Placing the new file is one rename, so
  an app reading the lake at that moment sees either the old files or the new one, never both;
- the replaced files are then moved, byte-identical, to ``_archive/compact-<stamp>/`` under the lake
  (folders starting with ``_`` are not read). Nothing is deleted; moving them back and removing the
  compacted file restores the previous layout.

CSV files (the hand-encoded seed data and catalogue) are never rewritten. Two compactions of one lake
cannot run at once (a lock file, ``_compact.lock``).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import pathlib
import uuid
from dataclasses import dataclass
from typing import Callable

import duckdb

from perfeval.data import schema
from perfeval.data.lake import COMPACTED_PREFIX, SUPERSEDES_KEY, Lake, sql_literal

ROW_GROUP_SIZE = 122_880  # DuckDB's default; row groups are the unit a per-project filter skips


class CompactionError(RuntimeError):
    """A compaction that could not be completed; the lake is left as it was."""


@dataclass(frozen=True)
class Compacted:
    table: str
    files: int                 # files replaced
    rows: int
    path: pathlib.Path         # the new file
    archive: pathlib.Path      # where the replaced files went


def plan(lake: Lake, min_files: int = 2) -> list[tuple[str, list[pathlib.Path]]]:
    """(table, its live Parquet files) for each group of ``min_files`` or more to merge.

    Files are grouped by table and by the lake's top-level folder they are in (``lake/``, ``demo/`` …):
    a compaction never moves rows from one such folder to another, so the committed demonstration
    portfolio stays in ``demo/`` whatever is imported beside it.
    """
    out = []
    for t in schema.TABLES:
        _, parquets = lake.table_files(t.name)
        groups: dict[str, list[pathlib.Path]] = {}
        for p in parquets:
            parts = p.relative_to(lake.root).parts
            groups.setdefault(parts[0] if len(parts) > 1 else "", []).append(p)
        out += [(t.name, files) for _, files in sorted(groups.items()) if len(files) >= min_files]
    return out


def target_dir(root: pathlib.Path, table: str, files: list[pathlib.Path]) -> pathlib.Path:
    """Where the compacted file of ``table`` goes: the files' common folder if it is named after the
    table (``lake/<table>/province=…/…``), else a folder ``<table>`` in it, so that the lake's rule
    "a Parquet file below a folder named after the table" keeps finding it."""
    common = pathlib.Path(os.path.commonpath([str(p.parent) for p in files]))
    try:
        rel = common.relative_to(root).parts
    except ValueError:
        raise CompactionError(f"{table}: files outside the lake {root}") from None
    if table in rel:
        return root.joinpath(*rel[:rel.index(table) + 1])
    return common / table


@contextlib.contextmanager
def _locked(root: pathlib.Path):
    with open(root / "_compact.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CompactionError(f"另一个压缩正在进行 / another compaction of {root} is running") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _fingerprint(con: duckdb.DuckDBPyConnection, src: str) -> tuple[int, int]:
    """(rows, sum of row hashes): equal for the same multiset of rows, whatever their order."""
    rows, total = con.execute(
        "SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM " + src + " AS t").fetchone()
    return int(rows), int(total)


def compact_table(root: pathlib.Path, table: str, files: list[pathlib.Path], stamp: str) -> Compacted:
    """Rewrite ``files`` (the live Parquet files of ``table``) as one file; see the module docstring."""
    rels = [p.relative_to(root).as_posix() for p in files]
    listing = "[" + ", ".join(sql_literal(str(p)) for p in files) + "]"
    src = "read_parquet(" + listing + ", union_by_name=true, hive_partitioning=false)"
    staging = root / "_staging" / stamp
    staging.mkdir(parents=True, exist_ok=True)
    name = COMPACTED_PREFIX + stamp + ".parquet"
    tmp = staging / name
    dest_dir = target_dir(root, table, files)
    dest = dest_dir / name
    con = duckdb.connect(":memory:")
    try:
        columns = [r[0] for r in con.execute("DESCRIBE SELECT * FROM " + src).fetchall()]
        order = (["project_id"] if "project_id" in columns else []) + ["filename", "file_row_number"]
        meta = sql_literal(json.dumps(rels, ensure_ascii=False))
        con.execute(
            "COPY (SELECT * EXCLUDE (filename, file_row_number) FROM read_parquet(" + listing
            + ", union_by_name=true, hive_partitioning=false, filename=true, file_row_number=true)"
            + " ORDER BY " + ", ".join(order) + ") TO " + sql_literal(str(tmp))
            + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE " + str(ROW_GROUP_SIZE)
            + ", KV_METADATA {" + SUPERSEDES_KEY + ": " + meta + "})")
        before = _fingerprint(con, src)
        after = _fingerprint(con, "read_parquet(" + sql_literal(str(tmp)) + ")")
        new_columns = [r[0] for r in con.execute(
            "DESCRIBE SELECT * FROM read_parquet(" + sql_literal(str(tmp)) + ")").fetchall()]
    finally:
        con.close()
    if before != after or new_columns != columns:
        tmp.unlink(missing_ok=True)
        raise CompactionError(f"{table}: the rewritten file differs from its {len(files)} files "
                              f"(rows/hash {before} vs {after}); nothing was changed")
    dest_dir.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, dest)  # from here on the lake reads the new file and ignores the old ones
    archive = root / "_archive" / ("compact-" + stamp)
    for p, rel in zip(files, rels):
        moved = archive / rel
        moved.parent.mkdir(parents=True, exist_ok=True)
        os.replace(p, moved)
        _remove_empty_parents(p.parent, stop=root)
    with contextlib.suppress(OSError):
        staging.rmdir()
        staging.parent.rmdir()
    return Compacted(table, len(files), before[0], dest, archive)


def _remove_empty_parents(folder: pathlib.Path, stop: pathlib.Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def compact(root: str | os.PathLike, tables: list[str] | None = None, min_files: int = 2,
            log: Callable[[str], None] | None = None) -> list[Compacted]:
    """Compact every table (or ``tables``) of the lake at ``root`` that has ``min_files`` or more
    live Parquet files. Returns what was done, table by table."""
    root = pathlib.Path(root).resolve()
    lake = Lake(root)
    done = []
    with _locked(root):
        todo = plan(lake, min_files)
        for table, files in todo:
            if tables and table not in tables:
                continue
            stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
            result = compact_table(root, table, files, stamp)
            done.append(result)
            if log:
                log(f"{table}: {result.files} 个文件 → 1（{result.rows:,} 行） / {result.files} files → 1 "
                    f"({result.rows:,} rows): {result.path.relative_to(root)}")
    return done
