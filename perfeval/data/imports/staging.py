"""Staging an upload: `stage` reads it (perfeval.data.imports.reading) and checks everything perfeval.data.validation.validate
checks for a file (header, cells, keys, references, units, the rules of single tables), over all of the
upload's tables together (a workbook's indicators may reference its own projects) and against the lake the
batch would join (a key the lake already holds, a reference to a project, document or metric only the lake
holds); it writes nothing. Every problem is a `problems.Problem` naming the file and sheet
(``福田.xlsx:indicators``), the row as Excel numbers it, the column, the value, and what is wrong in Chinese
and English. The `Staged` upload is what perfeval.data.imports.ingest.commit writes.

Sources: every row has ``source`` (``<kind>:<name>``, a row of ``documents``). A missing ``source``
column or an empty cell is filled with ``import:<id>``; a documents row with an empty source is then
this batch's document (its empty ``kind`` becomes ``import``), and where the upload has no such row,
one is added: kind ``import``, title and file = the upload's file name (`batch_document`). A source a
person wrote (``report:xyz`` with its documents row, in the upload or the lake) is kept as given.

The lake as context: `cross.LakeIndex` reads and checks every file of a table with pandas — 34 s
for the 3.4 M indicator rows of a 100 000-project lake. The checks only ever compare the upload's rows
with lake rows of the same projects (keys, parents, budget rows of a project × year, a figure's scope)
or with the small reference tables (documents, metrics), so `ImportContext` gives them just those
rows: of each Parquet file it reads the ``project_id`` column, then only the row groups holding the
upload's projects, and checks those rows with `checks.check_frame` as LakeIndex does — the same
typed values, file names and Excel rows, hence the same problems (a test compares them), in well
under a second at 100 000 projects. It reads the files perfeval.data.lake.Lake reads (its live files), not
the Lake's DuckDB views: they do not carry a row's file and row, which a duplicate key's message
names, and building a Lake's connection would derive the indicator roll-up into ``_derived/`` — a
write a check must not make.
"""
from __future__ import annotations

import contextlib
import gc
import os
import pathlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from perfeval.data import schema
from perfeval.data.imports import selfeval
from perfeval.data.imports.folders import IMPORTS_DIR, new_batch_id
from perfeval.data.imports.normalise import normalise_frame
from perfeval.data.imports.reading import (
    FLAT_SUFFIXES,
    IMPORT_TABLES,
    WORKBOOK_SUFFIXES,
    Part,
    base_name,
    not_importable,
    read_flat,
    read_workbook,
)
from perfeval.data.validation.checks import Checked, as_text, check_file, check_frame
from perfeval.data.validation.cross import LakeIndex, cross_check
from perfeval.data.validation.files import display_path, table_of
from perfeval.data.validation.problems import Problem, new_problems, problem
from perfeval.data.validation.warnings import upload_warnings


@dataclass(frozen=True)
class Staged:
    """An upload, read and checked, not yet written.

    ``frames``: table → typed rows (schema columns in schema order, a row per data row of the upload,
    plus the documents row added for ``import:<batch>`` where one is needed); only tables with rows.
    ``problems``: sorted by sheet (in workbook order) and row; empty means it may be committed.
    ``batch``: the batch id the empty sources were filled with (`commit` writes under it unless told
    otherwise). ``lake`` / ``lake_version``: the lake checked against and its `Lake.version()` then.
    """

    filename: str
    data: bytes = field(repr=False)
    frames: dict[str, pd.DataFrame] = field(repr=False)
    problems: list[Problem]
    batch: str = ""
    lake: str = ""
    lake_version: str = ""
    # what commit needs to check again: the upload's rows with their files and Excel rows, and the
    # documents row added for the batch (None if none was needed)
    targets: tuple[Checked, ...] = field(default=(), repr=False, compare=False)
    document: Checked | None = field(default=None, repr=False, compare=False)
    # what looks wrong but may be right (problems of severity "warning", perfeval.data.validation.warnings):
    # shown beside the problems, never blocking
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new_metrics(self) -> pd.DataFrame:
        """The outcome metrics the upload adds to the catalogue (its ``metrics`` rows: a key the lake already
        holds is a problem), for review before the import; empty if none."""
        return self.frames.get("metrics", pd.DataFrame(columns=schema.table("metrics").column_names))

    @property
    def rows(self) -> dict[str, int]:
        """Table → number of rows to be written."""
        return {name: len(df) for name, df in self.frames.items()}


def _fill_source(part: Part, batch: str) -> int:
    """Fill the part's empty ``source`` cells (or a missing column) with ``import:<batch>``; a documents
    row whose source is filled and kind empty gets kind ``import``. Returns the cells filled."""
    raw = part.raw
    source = f"import:{batch}"
    if "source" in raw.columns:
        text = as_text(raw["source"])
        empty = text.str.strip() == ""
        raw["source"] = pd.Series(text.where(~empty, source).tolist(), index=raw.index, dtype=object)
    else:
        empty = pd.Series(True, index=raw.index)
        raw["source"] = pd.Series([source] * len(raw), index=raw.index, dtype=object)
    if part.table.name == "documents" and empty.any():
        kind = as_text(raw["kind"]) if "kind" in raw.columns else pd.Series("", index=raw.index)
        raw["kind"] = pd.Series(kind.where(~(empty & (kind.str.strip() == "")), "import").tolist(),
                                index=raw.index, dtype=object)
    return int(empty.sum())


def batch_document(filename: str, batch: str) -> Checked:
    """The documents row of an upload whose rows name no source: ``import:<batch>``, titled by the file."""
    t = schema.table("documents")
    raw = pd.DataFrame({"source": [f"import:{batch}"], "kind": ["import"], "title": [filename],
                        "file": [filename]}, dtype=object)
    typed, _ = check_frame(t, raw, filename, rows=[0])
    return Checked(t, filename, typed)


# ------------------------------------------------------------------------------------------ the lake
class ImportContext(LakeIndex):
    """The lake an upload is to join, as `cross.cross_check`'s context: for tables keyed by project,
    only the rows of ``project_ids`` (and rows with no project id); the other tables whole. The rows
    are checked as `cross.LakeIndex` checks them, so the cross checks find the same problems on
    the upload (see the module docstring). The files are the Lake's live files: a file that a
    compacted file replaces is left out, as the Lake leaves it out (LakeIndex, reading every data file,
    would see its rows twice in the moment between a compaction's rename and its archiving).
    ``extra``: rows to add per table (the batch's own documents row)."""

    def __init__(self, root: str | os.PathLike, project_ids, extra: dict[str, list[Checked]] | None = None):
        super().__init__(root)
        self.project_ids = frozenset(project_ids)
        self.extra = extra or {}
        self._ids: pa.Array | None = None

    def files(self) -> list[pathlib.Path]:
        from perfeval.data.lake import Lake

        if self._files is None:
            self._files = Lake(self.root).live_files() if self.root.is_dir() else []
        return self._files

    def checked(self, table: str) -> list[Checked]:
        return self.lake_rows(table) + self.extra.get(table, [])

    def lake_rows(self, table: str) -> list[Checked]:
        """The lake's rows of ``table`` that the checks can compare the upload with, file by file."""
        if table not in self._cache:
            t = schema.table(table)
            out = []
            for p in self.files():
                owner = table_of(p.relative_to(self.root.resolve()))
                if owner is None or owner.name != table:
                    continue
                c = None
                if "project_id" in t.column_names and p.suffix == ".parquet":
                    c = self._parquet_rows(p, t)
                if c is None:
                    c, _ = check_file(p, display_path(p), utf8_only=False, table=t)
                    if c is not None and "project_id" in t.column_names:
                        pid = c.frame["project_id"]
                        c = Checked(t, c.file, c.frame[pid.isin(self.project_ids) | pid.isna()])
                if c is not None and len(c.frame):
                    out.append(c)
            self._cache[table] = out
        return self._cache[table]

    def _parquet_rows(self, path: pathlib.Path, t: schema.Table) -> Checked | None:
        """The rows of one Parquet file whose project is one of ``project_ids`` (or missing), read
        row group by row group, checked as LakeIndex checks the whole file; None to fall back to it."""
        try:
            pf = pq.ParquetFile(path)
            if "project_id" not in pf.schema_arrow.names:
                return None
            if self._ids is None:
                self._ids = pa.array(sorted(self.project_ids), pa.string())
            pid = pf.read(columns=["project_id"]).column(0)
            mask = pc.or_kleene(pc.is_in(pid, value_set=self._ids), pc.is_null(pid))
            idx = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
            if not len(idx):
                return Checked(t, display_path(path), pd.DataFrame())
            md = pf.metadata
            sizes = [md.row_group(i).num_rows for i in range(md.num_row_groups)]
            bounds = np.cumsum([0] + sizes)
            groups = np.searchsorted(bounds, idx, side="right") - 1
            wanted = sorted(set(groups.tolist()))
            start = dict(zip(wanted, np.cumsum([0] + [sizes[g] for g in wanted])))
            local = [start[g] + i - bounds[g] for i, g in zip(idx.tolist(), groups.tolist())]
            raw = pf.read_row_groups(wanted).take(pa.array(local, pa.int64())).to_pandas()
        except Exception:  # a file pyarrow cannot read this way: LakeIndex's path says what it can
            return None
        typed, _ = check_frame(t, raw.reset_index(drop=True), display_path(path),
                               rows=(idx + 2).tolist())
        return Checked(t, display_path(path), typed)


def project_ids_of(targets) -> set[str]:
    ids: set[str] = set()
    for c in targets:
        if "project_id" in c.frame.columns:
            ids.update(v for v in c.frame["project_id"].tolist() if isinstance(v, str))
    return ids


def against_lake(targets, document: Checked | None, root: pathlib.Path, batch: str, filename: str
                  ) -> list[Problem]:
    """The cross-file checks of the upload's rows against each other and the lake, and whether the
    batch id is already taken (a folder imports/<id> or a documents row import:<id> in the lake)."""
    context = ImportContext(root, project_ids_of(targets),
                            {"documents": [document]} if document is not None else {})
    problems = cross_check(list(targets), context)
    taken = (root / IMPORTS_DIR / batch).exists() or any(
        f"import:{batch}" in set(c.frame["source"].dropna()) for c in context.lake_rows("documents"))
    if taken:
        problems.append(problem(filename, None, None, batch, "batch_exists"))
    return problems


def lake_version(root: pathlib.Path) -> str:
    from perfeval.data.lake import Lake

    return Lake(root).version() if root.is_dir() else ""


def sorted_problems(problems: list[Problem], order: list[str]) -> list[Problem]:
    """By sheet (workbook order; problems of the whole upload first), then row; stable otherwise."""
    rank = {f: i for i, f in enumerate(order)}
    return sorted(problems, key=lambda p: (rank.get(p.file, -1), p.row or 0))


# ------------------------------------------------------------------------------------------ stage
@contextlib.contextmanager
def _no_gc():
    """Python's cycle collector off while an upload is read and checked: it would walk the millions of
    cell objects of a large workbook again and again (a fifth of the time of 300 000 rows) and finds
    no cycles among them. Switched back on after (process-wide, so only for as long as that)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def stage(filename: str, data: bytes, lake: str | os.PathLike, *, table: str | None = None) -> Staged:
    """Read and check an upload against the lake at ``lake``; write nothing.

    ``filename``: as uploaded (its base name is kept). ``data``: the file's bytes. ``table``: the table
    of a CSV or Parquet file whose name does not say (or of a workbook's single sheet not named after
    a table). Returns a `Staged` whose ``problems`` say everything that is wrong.
    """
    with _no_gc():
        return _stage(filename, data, lake, table)


def _stage(filename: str, data: bytes, lake: str | os.PathLike, table: str | None) -> Staged:
    filename = base_name(filename)
    root = pathlib.Path(lake).resolve()
    batch = new_batch_id()
    suffix = pathlib.PurePath(filename).suffix.lower()
    form = suffix in selfeval.SUFFIXES and table is None and selfeval.is_selfeval(filename, data)
    if not filename or (suffix not in WORKBOOK_SUFFIXES + FLAT_SUFFIXES and not form):
        problems = [problem(filename, None, None, filename, "unknown_format")]
        return Staged(filename, data, {}, problems, batch, str(root))
    if table is not None and table not in schema.TABLE_BY_NAME:
        problems = [problem(filename, None, None, table, "unknown_table", tables=IMPORT_TABLES)]
        return Staged(filename, data, {}, problems, batch, str(root))
    if table is not None and table not in IMPORT_TABLES:
        return Staged(filename, data, {}, [not_importable(filename, schema.table(table))], batch, str(root))
    read = selfeval.read_upload if form else read_workbook if suffix in WORKBOOK_SUFFIXES else read_flat
    parts, problems, files = read(filename, data, table)

    targets: list[Checked] = []
    filled = 0
    for part in parts:
        part.raw = normalise_frame(part.table, part.raw)  # ≥ → >=, 是 → true, a region's names …
        filled += _fill_source(part, batch)
        typed, more = check_frame(part.table, part.raw, part.file, part.rows)
        problems += selfeval.relocate(part, more)
        targets.append(Checked(part.table, part.file, typed))
    own_document = any(c.table.name == "documents" and (c.frame["source"] == f"import:{batch}").any()
                       for c in targets)
    document = batch_document(filename, batch) if filled and not own_document else None
    n_rows = sum(len(c.frame) for c in targets)
    if files is not None and n_rows == 0:
        problems.append(problem(filename, None, None, None, "no_rows"))
    version = lake_version(root)
    if n_rows:
        problems += new_problems(problems, against_lake(targets, document, root, batch, filename))

    pieces: dict[str, list[pd.DataFrame]] = {}
    for c in targets + ([document] if document is not None else []):
        if len(c.frame):
            pieces.setdefault(c.table.name, []).append(c.frame.drop(columns="row_"))
    frames = {name: pd.concat(fs, ignore_index=True) if len(fs) > 1 else fs[0].reset_index(drop=True)
              for name, fs in pieces.items()}
    problems = sorted_problems(problems, files or [])
    warnings = sorted_problems(upload_warnings(targets, lake_regions(root, targets)), files or []) if n_rows else []
    return Staged(filename, data, frames, problems, batch, str(root), version, tuple(targets), document,
                  warnings)


def lake_regions(root: pathlib.Path, targets) -> dict[str, str]:
    """Project id → region code of the lake's projects that the upload's rows name (for the warnings)."""
    ids = project_ids_of(targets)
    if not ids:
        return {}
    out: dict[str, str] = {}
    for c in ImportContext(root, ids).lake_rows("projects"):
        out.update({p: code for p, code in zip(c.frame["project_id"], c.frame["region_code"])
                    if isinstance(p, str) and isinstance(code, str)})
    return out
