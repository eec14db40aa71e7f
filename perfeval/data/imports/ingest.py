"""Import a person's data — an Excel workbook, a CSV or a Parquet file — as a new batch of the lake.

District staff fill in the template (perfeval.data.imports.template, ``python -m perfeval template``) or bring
their own CSV / Parquet file. `stage` (perfeval.data.imports.staging) reads the upload (perfeval.data.imports.reading) and
checks it, over all of its tables together and against the lake the batch would join; `commit` (here)
writes an upload only when not a single problem was found:

    <lake>/imports/<id>/<table>.parquet   the typed rows of each table (schema columns and order, the
                                          DuckDB types of perfeval.data.schema)
    <lake>/imports/<id>/_upload/<file>    the upload, byte-identical (``_`` keeps it out of the data)

The batch is written into ``<lake>/imports/.<id>.tmp/`` and placed with one rename, so a reader of the
lake (which ignores names starting with ``.`` or ``_``) sees all of a batch or none of it. Nothing
outside ``<lake>/imports/`` is written and no existing file is changed; ``<id>`` is
``YYYYMMDD-HHMMSS-<6 hex>`` (local time, sortable), made by `stage` (perfeval.data.imports.folders).

Between `stage` and `commit` the lake may change (another batch lands). `commit` holds a lock
(``<lake>/imports/.lock``) while it re-checks and writes, and re-checks the upload against the lake
(the cross-file checks only; the cells do not change) when the lake's files changed since `stage`,
when committing into another lake, or under another batch id: what was checked is what is written.

Which module holds what:

- ``perfeval.data.imports.reading``        reading a workbook or a CSV / Parquet file, header names, `IMPORT_TABLES`;
- ``perfeval.data.imports.staging``       `stage`, `Staged`, the sources filled in, the checks against the lake
                                  (`ImportContext`);
- ``perfeval.data.imports.folders``  ``imports/<id>/``, batch ids, the lock;
- ``perfeval.data.imports.ingest``        `commit` (the typed Parquet files, fsync, the one rename), `ImportRefused`,
                                  `Batch`; the names callers use are re-exported here;
- ``perfeval.data.imports.template``      `template_workbook`.
"""
from __future__ import annotations

import os
import pathlib
import shutil
from dataclasses import dataclass, replace

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from perfeval.data import schema
from perfeval.data.imports.folders import (
    IMPORTS_DIR,
    UPLOAD_DIR,
    check_batch_id,
    locked,
    new_batch_id,
)
from perfeval.data.imports.reading import IMPORT_TABLES
from perfeval.data.imports.staging import (
    ImportContext,
    Staged,
    against_lake,
    batch_document,
    lake_version,
    sorted_problems,
    stage,
)
from perfeval.data.imports.template import template_workbook
from perfeval.data.validation.checks import Checked
from perfeval.data.validation.problems import Problem, problem

__all__ = ["IMPORTS_DIR", "UPLOAD_DIR", "IMPORT_TABLES", "ARROW_TYPES", "Batch", "ImportContext", "ImportRefused",
           "Staged", "arrow_table", "check_batch_id", "commit", "locked", "new_batch_id", "stage",
           "template_workbook"]

ARROW_TYPES = {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "INTEGER": pa.int32(), "DATE": pa.date32(),
               "BOOLEAN": pa.bool_()}


class ImportRefused(ValueError):
    """An upload with problems: nothing was written. ``problems``: what is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(f"导入被拒绝：发现 {n} 个问题，未写入任何数据 / import refused: {n} problem"
                         f"{'' if n == 1 else 's'} found, nothing was written")


@dataclass(frozen=True)
class Batch:
    """A batch written into the lake."""

    id: str
    folder: pathlib.Path
    rows: dict[str, int]


def _restamp(staged: Staged, batch: str) -> Staged:
    """The staged upload with its filled sources ``import:<old>`` renamed ``import:<batch>``."""
    old, new = f"import:{staged.batch}", f"import:{batch}"

    def frame(df: pd.DataFrame) -> pd.DataFrame:
        if "source" not in df.columns:
            return df
        df = df.copy()
        df["source"] = df["source"].where(df["source"] != old, new)
        return df

    targets = tuple(Checked(c.table, c.file, frame(c.frame)) for c in staged.targets)
    document = None if staged.document is None else batch_document(staged.filename, batch)
    frames = {name: frame(df) for name, df in staged.frames.items()}
    return replace(staged, frames=frames, batch=batch, targets=targets, document=document)


def arrow_table(frame: pd.DataFrame, table: str) -> pa.Table:
    """A typed frame (check_frame's, without ``row_``) as Arrow with the schema's DuckDB types."""
    t = schema.table(table)
    arrays = []
    for c in t.columns:
        s = frame[c.name]
        typ = ARROW_TYPES[c.type]
        if c.type == "VARCHAR":
            arr = pa.array(s.astype(object).where(s.notna(), None).tolist(), pa.string())
        elif c.type == "DATE":
            arr = pa.array(pd.to_datetime(s).dt.date.astype(object).where(s.notna(), None).tolist(), typ)
        elif c.type == "INTEGER":
            arr = pa.array([None if v is pd.NA else int(v) for v in s.astype("Int64").tolist()], typ)
        elif c.type == "BOOLEAN":
            arr = pa.array([None if v is pd.NA else bool(v) for v in s.astype("boolean").tolist()], typ)
        else:
            arr = pa.array(s.astype("float64").to_numpy(), typ, from_pandas=True)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, names=t.column_names)


def _fsync(path: pathlib.Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit(staged: Staged, lake: str | os.PathLike, *, batch: str | None = None) -> Batch:
    """Write a staged upload as the batch ``<lake>/imports/<id>`` (see the module docstring).

    ``batch``: another id than the one `stage` made (its filled sources follow). Raises
    `ImportRefused` if the upload has problems, or has them now against the lake as it is (re-checked
    if the lake's files changed since `stage`, if ``lake`` is another lake, or under another id);
    ValueError for a malformed id; FileNotFoundError if ``lake`` is not a folder.
    """
    if not staged.ok:
        raise ImportRefused(staged.problems)
    root = pathlib.Path(lake).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"没有数据湖目录 / no lake folder: {root}")
    batch = batch or staged.batch
    check_batch_id(batch)
    imports = root / IMPORTS_DIR
    imports.mkdir(exist_ok=True)
    with locked(imports):
        changed = batch != staged.batch or str(root) != staged.lake or lake_version(root) != staged.lake_version
        if batch != staged.batch:
            staged = _restamp(staged, batch)
        if changed:
            problems = against_lake(staged.targets, staged.document, root, batch, staged.filename)
            if problems:
                raise ImportRefused(sorted_problems(problems, [c.file for c in staged.targets]))
        final = imports / batch
        if final.exists():
            raise ImportRefused([problem(staged.filename, None, None, batch, "batch_exists")])
        tmp = imports / f".{batch}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)  # left by a commit of this id that crashed (we hold the lock)
        try:
            (tmp / UPLOAD_DIR).mkdir(parents=True)
            for name, frame in staged.frames.items():
                table = arrow_table(frame, name)
                path = tmp / f"{name}.parquet"
                pq.write_table(table, path, compression="zstd")
                if not pq.read_table(path).equals(table):
                    raise OSError(f"{path}: the rows read back differ from those written")
                _fsync(path)
            upload = tmp / UPLOAD_DIR / staged.filename
            upload.write_bytes(staged.data)
            _fsync(upload)
            _fsync(tmp / UPLOAD_DIR)
            _fsync(tmp)
            os.rename(tmp, final)  # the one step readers can see
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _fsync(imports)
    return Batch(batch, final, dict(staged.rows))
