"""Import a person's data — an Excel workbook, a CSV or a Parquet file — as a new batch of the lake.

District staff fill in the template (`template_workbook`, ``python -m perfeval template``) or bring
their own CSV / Parquet file. `stage` reads the upload and checks everything perfeval.data.validate checks
for a file (header, cells, keys, references, units, the rules of single tables), over all of the
upload's tables together (a workbook's indicators may reference its own projects) and against the
lake the batch would join (a key the lake already holds, a reference to a project, document or metric
only the lake holds). Every problem is a `problems.Problem` naming the file and sheet
(``福田.xlsx:indicators``), the row as Excel numbers it, the column, the value, and what is wrong in
Chinese and English. `commit` writes an upload only when not a single problem was found:

    <lake>/imports/<id>/<table>.parquet   the typed rows of each table (schema columns and order, the
                                          DuckDB types of perfeval.data.schema)
    <lake>/imports/<id>/_upload/<file>    the upload, byte-identical (``_`` keeps it out of the data)

The batch is written into ``<lake>/imports/.<id>.tmp/`` and placed with one rename, so a reader of the
lake (which ignores names starting with ``.`` or ``_``) sees all of a batch or none of it. Nothing
outside ``<lake>/imports/`` is written and no existing file is changed; ``<id>`` is
``YYYYMMDD-HHMMSS-<6 hex>`` (local time, sortable), made by `stage`.

Workbooks: one sheet per table, named by the table (``projects``) or its Chinese name (``评价项目``);
row 1 is the header (column names, or the columns' Chinese labels of perfeval.data.schema), blank rows are
skipped and the rows keep their numbers. Cells come typed from the workbook (numbers, dates, booleans)
and are turned into the text `checks.as_text` makes of a Parquet cell (2022.0 → ``2022``, a date →
``2023-06-30``), so the same checks apply as to a CSV. The template's help sheet (说明 / Help) and
sheets with no cell at all are ignored; any other sheet is a problem (``unknown_sheet``), never
dropped in silence. A CSV (UTF-8 or GB18030/GBK) or Parquet file holds the table its name says
(``budget.csv``, ``预算与资金.csv``) or the one given as ``table``.

Importable tables (`IMPORT_TABLES`): every table of perfeval.data.schema but the two catalogues kept
centrally, ``metrics`` (the outcome-metric catalogue: a unit and a direction per metric, the same for
every district, so that outcomes compare) and ``grade_bands`` (the grade thresholds the scorecard
applies). A district's rows reference them; an upload holding them is refused (``not_importable``).

Sources: every row has ``source`` (``<kind>:<name>``, a row of ``documents``). A missing ``source``
column or an empty cell is filled with ``import:<id>``; a documents row with an empty source is then
this batch's document (its empty ``kind`` becomes ``import``), and where the upload has no such row,
one is added: kind ``import``, title and file = the upload's file name. A source a person wrote
(``report:xyz`` with its documents row, in the upload or the lake) is kept as given.

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

Between `stage` and `commit` the lake may change (another batch lands). `commit` holds a lock
(``<lake>/imports/.lock``) while it re-checks and writes, and re-checks the upload against the lake
(the cross-file checks only; the cells do not change) when the lake's files changed since `stage`,
when committing into another lake, or under another batch id: what was checked is what is written.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import gc
import io
import math
import os
import pathlib
import re
import secrets
import shutil
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from perfeval.data import schema
from perfeval.data.checks import Checked, as_text, check_file, check_frame
from perfeval.data.cross import LakeIndex, cross_check
from perfeval.data.files import display_path, read_bytes, table_of
from perfeval.data.problems import Problem, new_problems, problem

CATALOGUE_TABLES = ("metrics", "grade_bands")
# template / sheet order: what a person fills in first; documents last (only for an explicit source)
_ORDER = ("projects", "subprojects", "budget", "payments", "indicators", "indicator_rules", "targets",
          "outcomes", "surveys", "outputs", "figures", "findings", "vendor_aliases", "documents")
IMPORT_TABLES: tuple[str, ...] = tuple(
    [n for n in _ORDER if n in schema.TABLE_BY_NAME]
    + [t.name for t in schema.TABLES if t.name not in _ORDER and t.name not in CATALOGUE_TABLES])

IMPORTS_DIR = "imports"
UPLOAD_DIR = "_upload"
HELP_SHEETS = ("说明", "Help")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
FLAT_SUFFIXES = (".csv", ".parquet")
_BATCH_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")
ARROW_TYPES = {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "INTEGER": pa.int32(), "DATE": pa.date32(),
               "BOOLEAN": pa.bool_()}


# ------------------------------------------------------------------------------------------ results
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

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> dict[str, int]:
        """Table → number of rows to be written."""
        return {name: len(df) for name, df in self.frames.items()}


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


def new_batch_id(now: dt.datetime | None = None) -> str:
    """``YYYYMMDD-HHMMSS-<6 hex>``: sortable by time, unique by its random part."""
    return (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


def check_batch_id(batch: str) -> None:
    """A batch id names a folder the lake reads: letters, digits, ``. _ -``, not starting with ``.`` or
    ``_`` (the lake would ignore it) and not a table's name (the lake would read every file below it
    as that table)."""
    if not _BATCH_ID.match(batch or "") or batch in schema.TABLE_BY_NAME:
        raise ValueError(f"批次编号无效 / bad batch id {batch!r}: letters, digits, . _ - only, not starting "
                         "with . or _, not a table's name")


# ------------------------------------------------------------------------------------------ names
def _base_name(filename: str) -> str:
    """The file's own name, whatever path a browser or a person sent with it."""
    return str(filename).replace("\\", "/").rsplit("/", 1)[-1].strip()


def _table_named(name: str) -> schema.Table | None:
    """The table a sheet or file stem names: its name (any case) or its Chinese name."""
    name = name.strip()
    t = schema.TABLE_BY_NAME.get(name.lower())
    if t is not None:
        return t
    return next((t for t in schema.TABLES if t.zh == name), None)


def _is_help(sheet: str) -> bool:
    return sheet.strip().lower() in {h.lower() for h in HELP_SHEETS}


@functools.cache
def _header_names(table: str) -> dict[str, str]:
    """Header text → column name: the name itself, the Chinese label as the schema (and the template's
    comments) write it, and that label without its bracketed details where no other column shares it."""
    t = schema.table(table)
    out: dict[str, str] = {}
    short: dict[str, list[str]] = {}
    for c in t.columns:
        short.setdefault(c.zh.split("（")[0].strip(), []).append(c.name)
    for c in t.columns:
        out.setdefault(c.zh.strip(), c.name)
    for label, names in short.items():
        if len(names) == 1:
            out.setdefault(label, names[0])
    for c in t.columns:
        out[c.name] = c.name
    return out


def _letter(j: int) -> str:
    """Excel's column letter of 0-based column ``j`` (0 → A, 26 → AA)."""
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


# ------------------------------------------------------------------------------------------ cells
def _cell_text(v) -> str:
    """A workbook cell as the text checks.as_text makes of the same value in a Parquet file."""
    if type(v) is str:
        return v
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else str(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) and v.tzinfo is None else v.isoformat(sep=" ")
    if hasattr(v, "isoformat"):  # date, time
        return v.isoformat()
    return str(v)


def _column_text(values) -> list[str]:
    """`_cell_text` of each cell; text and whole numbers (most cells) without a call per cell."""
    if all(type(v) is str for v in values):
        return list(values)
    return [v if type(v) is str else
            str(int(v)) if type(v) is float and v.is_integer() and -1e15 < v < 1e15 else
            _cell_text(v) for v in values]


def _blank(row) -> bool:
    for v in row:
        if type(v) is not str or v.strip():
            return False
    return True


# ------------------------------------------------------------------------------------------ reading
@dataclass
class _Part:
    """One sheet or file of an upload: rows of one table, as text (or Parquet's own types)."""

    table: schema.Table
    file: str
    raw: pd.DataFrame
    rows: list[int]


def _columns(t: schema.Table, header: list[str], columns: list, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The raw frame of a sheet or file with its header cells mapped to column names (see
    `_header_names`): a column with no name but data, or a name given twice, is a problem; a column
    with neither name nor data (trailing cells) is dropped; unknown names are kept for check_frame."""
    names = _header_names(t.name)
    data: dict[str, object] = {}
    first: dict[str, str] = {}
    problems = []
    for j, (h, col) in enumerate(zip(header, columns)):
        h = "" if h is None else str(h).strip()
        if not h:
            if not all(type(v) is str and not v.strip() for v in col if v is not None):
                problems.append(problem(file, 1, None, None, "unnamed_column", t.name, letter=_letter(j)))
            continue
        name = names.get(h, h)
        if name in first:
            problems.append(problem(file, 1, name, h, "duplicate_column", t.name))
            continue
        first[name] = h
        data[name] = col
    n = len(columns[0]) if columns else 0
    raw = pd.DataFrame({k: (v if isinstance(v, pd.Series) else pd.Series(v, dtype=object))
                        for k, v in data.items()}, index=pd.RangeIndex(n))
    return raw, problems


def _read_workbook(filename: str, data: bytes, table: str | None
                   ) -> tuple[list[_Part], list[Problem], list[str] | None]:
    """(parts, problems, the file name of each sheet in workbook order — None if the workbook cannot
    be read) of an Excel workbook: one part per table sheet."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(wb.sheet_names)
    except Exception as e:  # calamine raises its own types for a broken or encrypted file
        return [], [problem(filename, None, None, None, "workbook_unreadable", detail=str(e)[:200])], None
    parts: list[_Part] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    named = [n for n in names if not _is_help(n)]
    for sheet in named:
        file = f"{filename}:{sheet}"
        try:
            cells = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as e:
            problems.append(problem(file, None, None, None, "workbook_unreadable", detail=str(e)[:200]))
            continue
        if not cells or all(_blank(r) for r in cells):
            continue  # no cell at all (an empty Sheet1): nothing that could be lost
        t = _table_named(sheet)
        if t is None and table is not None and len(named) == 1:
            t = schema.table(table)
        if t is None:
            problems.append(problem(
                file, None, None, sheet, "unknown_sheet", sheets=IMPORT_TABLES,
                sheets_zh=tuple(schema.table(n).zh for n in IMPORT_TABLES), help=" / ".join(HELP_SHEETS)))
            continue
        if t.name not in IMPORT_TABLES:
            problems.append(_not_importable(file, t))
            continue
        if t.name in seen:
            problems.append(problem(file, None, None, sheet, "duplicate_sheet", t.name, other=seen[t.name]))
            continue
        seen[t.name] = sheet
        width = max(len(r) for r in cells)
        header = [_cell_text(v) for v in cells[0]] + [""] * (width - len(cells[0]))
        body, rows = [], []
        for i, r in enumerate(cells[1:], start=2):
            if not _blank(r):
                body.append(r if len(r) == width else list(r) + [""] * (width - len(r)))
                rows.append(i)
        if not any(h.strip() for h in header):
            problems.append(problem(file, 1, None, None, "no_header", t.name,
                                    columns=tuple(c.name for c in t.columns if c.required)[:4]))
            continue
        columns = [_column_text(col) for col in zip(*body)] if body else [[] for _ in header]
        raw, more = _columns(t, header, columns, file)
        problems += more
        parts.append(_Part(t, file, raw, rows))
    return parts, problems, [f"{filename}:{sheet}" for sheet in names]


def _not_importable(file: str, t: schema.Table) -> Problem:
    return problem(file, None, None, t.name, "not_importable", t.name, table_zh=t.zh, table_en=t.en,
                   tables=IMPORT_TABLES)


def _read_flat(filename: str, data: bytes, table: str | None
               ) -> tuple[list[_Part], list[Problem], list[str] | None]:
    """(parts, problems, [filename] — None if the file cannot be read) of a CSV or Parquet file: one
    part, of the table its name says."""
    t = schema.TABLE_BY_NAME.get(table) if table else _table_named(filename.rsplit(".", 1)[0])
    if t is None:
        return [], [problem(filename, None, None, table, "unknown_table", tables=IMPORT_TABLES)], None
    if t.name not in IMPORT_TABLES:
        return [], [_not_importable(filename, t)], None
    raw, rows, problems = read_bytes(filename, data)
    problems = [replace(p, table=t.name) for p in problems]
    if raw is None:
        return [], problems, None
    raw, more = _columns(t, [str(c) for c in raw.columns], [raw.iloc[:, j] for j in range(raw.shape[1])],
                         filename)
    return [_Part(t, filename, raw, list(rows))], problems + more, [filename]


def _fill_source(part: _Part, batch: str) -> int:
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


def _document(filename: str, batch: str) -> Checked:
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


def _project_ids(targets) -> set[str]:
    ids: set[str] = set()
    for c in targets:
        if "project_id" in c.frame.columns:
            ids.update(v for v in c.frame["project_id"].tolist() if isinstance(v, str))
    return ids


def _against_lake(targets, document: Checked | None, root: pathlib.Path, batch: str, filename: str
                  ) -> list[Problem]:
    """The cross-file checks of the upload's rows against each other and the lake, and whether the
    batch id is already taken (a folder imports/<id> or a documents row import:<id> in the lake)."""
    context = ImportContext(root, _project_ids(targets),
                            {"documents": [document]} if document is not None else {})
    problems = cross_check(list(targets), context)
    taken = (root / IMPORTS_DIR / batch).exists() or any(
        f"import:{batch}" in set(c.frame["source"].dropna()) for c in context.lake_rows("documents"))
    if taken:
        problems.append(problem(filename, None, None, batch, "batch_exists"))
    return problems


def _lake_version(root: pathlib.Path) -> str:
    from perfeval.data.lake import Lake

    return Lake(root).version() if root.is_dir() else ""


def _sorted(problems: list[Problem], order: list[str]) -> list[Problem]:
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
    filename = _base_name(filename)
    root = pathlib.Path(lake).resolve()
    batch = new_batch_id()
    suffix = pathlib.PurePath(filename).suffix.lower()
    if not filename or suffix not in WORKBOOK_SUFFIXES + FLAT_SUFFIXES:
        problems = [problem(filename, None, None, filename, "unknown_format")]
        return Staged(filename, data, {}, problems, batch, str(root))
    if table is not None and table not in schema.TABLE_BY_NAME:
        problems = [problem(filename, None, None, table, "unknown_table", tables=IMPORT_TABLES)]
        return Staged(filename, data, {}, problems, batch, str(root))
    if table is not None and table not in IMPORT_TABLES:
        return Staged(filename, data, {}, [_not_importable(filename, schema.table(table))], batch, str(root))
    read = _read_workbook if suffix in WORKBOOK_SUFFIXES else _read_flat
    parts, problems, files = read(filename, data, table)

    targets: list[Checked] = []
    filled = 0
    for part in parts:
        filled += _fill_source(part, batch)
        typed, more = check_frame(part.table, part.raw, part.file, part.rows)
        problems += more
        targets.append(Checked(part.table, part.file, typed))
    own_document = any(c.table.name == "documents" and (c.frame["source"] == f"import:{batch}").any()
                       for c in targets)
    document = _document(filename, batch) if filled and not own_document else None
    n_rows = sum(len(c.frame) for c in targets)
    if files is not None and n_rows == 0:
        problems.append(problem(filename, None, None, None, "no_rows"))
    version = _lake_version(root)
    if n_rows:
        problems += new_problems(problems, _against_lake(targets, document, root, batch, filename))

    pieces: dict[str, list[pd.DataFrame]] = {}
    for c in targets + ([document] if document is not None else []):
        if len(c.frame):
            pieces.setdefault(c.table.name, []).append(c.frame.drop(columns="row_"))
    frames = {name: pd.concat(fs, ignore_index=True) if len(fs) > 1 else fs[0].reset_index(drop=True)
              for name, fs in pieces.items()}
    problems = _sorted(problems, files or [])
    return Staged(filename, data, frames, problems, batch, str(root), version, tuple(targets), document)


# ------------------------------------------------------------------------------------------ commit
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
    document = None if staged.document is None else _document(staged.filename, batch)
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


@contextlib.contextmanager
def locked(imports: pathlib.Path):
    """One commit at a time per lake (``imports/.lock``): the re-check and the rename go together."""
    with open(imports / ".lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


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
        changed = batch != staged.batch or str(root) != staged.lake or _lake_version(root) != staged.lake_version
        if batch != staged.batch:
            staged = _restamp(staged, batch)
        if changed:
            problems = _against_lake(staged.targets, staged.document, root, batch, staged.filename)
            if problems:
                raise ImportRefused(_sorted(problems, [c.file for c in staged.targets]))
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


# ------------------------------------------------------------------------------------------ template
def _comment(c: schema.Column) -> str:
    """A header cell's comment: what the column holds, in both languages, with its rules."""
    lines = [f"{c.zh}", c.en, ""]
    kind = {"VARCHAR": ("文本", "text"), "DOUBLE": ("数字", "number"), "INTEGER": ("整数", "whole number"),
            "DATE": ("日期 YYYY-MM-DD", "date YYYY-MM-DD"), "BOOLEAN": ("true / false", "true / false")}[c.type]
    lines.append(f"类型 type: {kind[0]} / {kind[1]}")
    lines.append("必填 / required" if c.required else "可留空 / may be left empty")
    if c.unit:
        lines.append(f"单位 unit: {c.unit}")
    if c.allowed:
        lines.append("允许的值 allowed: " + ", ".join(c.allowed))
    if c.min is not None and c.max is not None:
        lines.append(f"范围 range: {c.min:g} – {c.max:g}")
    elif c.min is not None:
        lines.append(f"范围 range: ≥ {c.min:g}")
    elif c.max is not None:
        lines.append(f"范围 range: ≤ {c.max:g}")
    if c.type == "DOUBLE" and c.max == 1:
        lines.append("比率填小数：71.72% 写作 0.7172 / a rate as a fraction: 71.72% is 0.7172")
    if c.name == "source":
        lines.append("可留空：导入时填为 import:<批次> / may be left empty: filled with import:<batch>")
    return "\n".join(lines)


HELP_ZH = [
    "绩效评价数据导入模板",
    "",
    "怎么填：",
    "1. 每张表一个工作表，工作表名为表名（如 projects，也可改为中文表名，如 评价项目）。用不到的工作表留空即可。",
    "2. 第 1 行是列名，不要修改（也可写作列的中文名称）；把鼠标移到列名上可看到说明、单位、是否必填和允许的值。",
    "3. 从第 2 行起每行一条事实（如一个项目、一个指标、一个年度的一笔预算）；空行会被跳过。",
    "4. 金额以万元为单位（824.81）；比率填小数（71.72% 写作 0.7172；设置为百分比格式的单元格也可以）；"
    "年份填整数（2022）；日期写作 YYYY-MM-DD（2023-06-30）。",
    "5. 报告没有给出的数字留空（显示为未披露），不要填 0。",
    "6. 数据来源（source）可以留空：导入时填为 import:<批次编号>，并自动登记一条来源文档（标题为文件名）。"
    "如数据取自某份报告，可填 report:<名称>，并在 documents 工作表中登记该报告。",
    "7. 编号（project_id 等）在整个数据湖中唯一；其他表中的 project_id 必须是本工作簿或数据湖中已有的项目。",
    "8. 导入前会检查全部内容；只要有一个问题就不会写入任何数据，并逐条说明工作表、行号、列和值。",
    "9. 成效指标目录（metrics）和评价等级划分（grade_bands）统一维护，不能通过导入修改。",
    "本说明页在导入时被忽略。",
]
HELP_EN = [
    "Performance-evaluation data: import template",
    "",
    "How to fill it in:",
    "1. One sheet per table, named by the table (e.g. projects, or its Chinese name). Leave unused sheets empty.",
    "2. Row 1 holds the column names: keep them (the columns' Chinese labels are accepted too); hover over a "
    "name for its description, unit, whether it is required and its allowed values.",
    "3. From row 2 on, one fact per row (a project, an indicator, one year's budget line); blank rows are skipped.",
    "4. Amounts in 万元 (10,000 CNY, 824.81); rates as fractions (71.72% is 0.7172; a cell formatted as a "
    "percentage is fine); years as whole numbers (2022); dates as YYYY-MM-DD (2023-06-30).",
    "5. Leave a figure the report does not give empty (shown as not reported), never 0.",
    "6. source may be left empty: the import fills in import:<batch id> and registers a document titled with "
    "the file's name. For data taken from a report, write report:<name> and add the report on the documents sheet.",
    "7. Ids (project_id …) are unique across the lake; a project_id in other sheets must be a project of this "
    "workbook or of the lake.",
    "8. Everything is checked first: with a single problem nothing is written, and each problem names the "
    "sheet, row, column and value.",
    "9. The outcome-metric catalogue (metrics) and the grade bands (grade_bands) are maintained centrally "
    "and cannot be imported.",
    "This help sheet is ignored on import.",
]


def template_workbook(lang: str = "zh") -> bytes:
    """An .xlsx to fill in: a help sheet (说明 in Chinese first, or Help in English first), then one
    sheet per table of `IMPORT_TABLES` with its column names in row 1 (frozen), each with a comment
    saying what it holds (Chinese and English), its type, unit, whether it is required and its allowed
    values; text columns are formatted as text (so 001 or 2021-05 stay as typed) and columns with
    allowed values offer them in a drop-down list."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be zh or en, not {lang!r}")
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = HELP_SHEETS[0] if lang == "zh" else HELP_SHEETS[1]
    lines = HELP_ZH + [""] + HELP_EN if lang == "zh" else HELP_EN + [""] + HELP_ZH
    for line in lines:
        help_ws.append([line])
    help_ws.append([])
    help_ws.append(["工作表 sheet", "中文名", "table", "每行是 / one row is", "键 key", "必填列 required"])
    head = help_ws.max_row
    for name in IMPORT_TABLES:
        t = schema.table(name)
        help_ws.append([t.name, t.zh, t.en, t.row, ", ".join(t.key),
                        ", ".join(c.name for c in t.columns if c.required and c.name != "source")])
    for cell in help_ws[1] + help_ws[head]:
        cell.font = Font(bold=True)
    help_ws.column_dimensions["A"].width = 18
    for col, width in zip("BCDEF", (16, 26, 60, 30, 40)):
        help_ws.column_dimensions[col].width = width

    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for name in IMPORT_TABLES:
        t = schema.table(name)
        ws = wb.create_sheet(t.name)
        for j, c in enumerate(t.columns, start=1):
            cell = ws.cell(row=1, column=j, value=c.name)
            text = _comment(c)
            cell.comment = Comment(text, "perfeval", width=320, height=30 + 16 * text.count("\n"))
            cell.font = bold
            cell.alignment = Alignment(horizontal="center")
            if c.required and c.name != "source":
                cell.fill = required_fill
            letter = _letter(j - 1)
            ws.column_dimensions[letter].width = max(12, len(c.name) + 4)
            if c.type == "VARCHAR":
                ws.column_dimensions[letter].number_format = "@"
            if c.allowed:
                dv = DataValidation(type="list", formula1='"' + ",".join(c.allowed) + '"', allow_blank=True,
                                    showErrorMessage=False)
                dv.add(f"{letter}2:{letter}1048576")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
