"""Reading an upload: an Excel workbook's sheets, or a CSV or Parquet file, as the raw rows of the tables they
hold (`read_workbook`, `read_flat`: one `Part` per sheet or file), with the header's names mapped to columns
and the workbook's cells as text. No check of the values here: perfeval.data.imports.staging checks what is read.

Workbooks: one sheet per table, named by the table (``projects``), its Chinese name (``评价项目``) or both
as the template writes them (``评价项目 projects``); row 1 is the header (column names, the columns' Chinese
labels of perfeval.data.schema, or both: ``项目编号 project_id``, ``project_id 项目编号``), blank rows are
skipped and the rows keep their numbers. Cells come typed from the workbook (numbers, dates, booleans)
and are turned into the text `checks.as_text` makes of a Parquet cell (2022.0 → ``2022``, a date →
``2023-06-30``), so the same checks apply as to a CSV. The template's help sheet (说明 / Help), its reference
sheets (`REFERENCE_SHEETS`: the metric catalogue and the drop-down lists) and sheets with no cell at all are
ignored; any other sheet is a problem (``unknown_sheet``), never
dropped in silence. A CSV (UTF-8 or GB18030/GBK) or Parquet file holds the table its name says
(``budget.csv``, ``预算与资金.csv``) or the one given as ``table``.

Importable tables (`IMPORT_TABLES`): every table of perfeval.data.schema but ``grade_bands`` (the grade
thresholds the scorecard applies, kept centrally); an upload holding it is refused (``not_importable``).
The outcome-metric catalogue ``metrics`` is open: new metrics arrive with the data (a key the lake already
holds is a duplicate key), and the import lists them for review (`Staged.new_metrics`).
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import math
from dataclasses import dataclass, replace

import pandas as pd

from perfeval.data import schema
from perfeval.data.validation.files import read_bytes
from perfeval.data.validation.problems import Problem, problem

CATALOGUE_TABLES = ("grade_bands",)
# template / sheet order: what a person fills in first; documents last (only for an explicit source)
_ORDER = ("projects", "subprojects", "budget", "payments", "indicators", "indicator_rules", "targets",
          "outcomes", "metrics", "surveys", "outputs", "figures", "findings", "vendor_aliases", "documents")
IMPORT_TABLES: tuple[str, ...] = tuple(
    [n for n in _ORDER if n in schema.TABLE_BY_NAME]
    + [t.name for t in schema.TABLES if t.name not in _ORDER and t.name not in CATALOGUE_TABLES])


HELP_SHEETS = ("说明", "Help")
# the template's sheets for reading, not for import (perfeval.data.imports.template): ignored like the help
REFERENCE_SHEETS = ("指标目录", "Metric catalogue", "列表", "Lists")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
FLAT_SUFFIXES = (".csv", ".parquet")


# ------------------------------------------------------------------------------------------ names
def base_name(filename: str) -> str:
    """The file's own name, whatever path a browser or a person sent with it."""
    return str(filename).replace("\\", "/").rsplit("/", 1)[-1].strip()


def table_named(name: str) -> schema.Table | None:
    """The table a sheet or file stem names: its name (any case) or its Chinese name."""
    name = name.strip()
    t = schema.TABLE_BY_NAME.get(name.lower())
    if t is not None:
        return t
    t = next((t for t in schema.TABLES if t.zh == name), None)
    words = name.split()
    if t is None and len(words) > 1:  # 评价项目 projects, projects 评价项目
        t = table_named(words[-1]) or table_named(words[0])
    return t


def _is_help(sheet: str) -> bool:
    return sheet.strip().lower() in {h.lower() for h in HELP_SHEETS + REFERENCE_SHEETS}


def header_name(names: dict[str, str], header: str) -> str:
    """The column a header cell names (see `_header_names`), also written as label and name together
    (``项目编号 project_id`` as the template writes it, or ``project_id 项目编号``); else the text itself."""
    if header in names:
        return names[header]
    words = header.split()
    if len(words) > 1:
        for w in (words[-1], words[0]):
            if w in names and names[w] == w:  # a column's own name
                return w
    return header


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


def column_letter(j: int) -> str:
    """Excel's column letter of 0-based column ``j`` (0 → A, 26 → AA)."""
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


# ------------------------------------------------------------------------------------------ cells
def cell_text(v) -> str:
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


def column_text(values) -> list[str]:
    """`cell_text` of each cell; text and whole numbers (most cells) without a call per cell."""
    if all(type(v) is str for v in values):
        return list(values)
    return [v if type(v) is str else
            str(int(v)) if type(v) is float and v.is_integer() and -1e15 < v < 1e15 else
            cell_text(v) for v in values]


def _blank(row) -> bool:
    for v in row:
        if type(v) is not str or v.strip():
            return False
    return True


# ------------------------------------------------------------------------------------------ reading
@dataclass
class Part:
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
                problems.append(problem(file, 1, None, None, "unnamed_column", t.name, letter=column_letter(j)))
            continue
        name = header_name(names, h)
        if name in first:
            problems.append(problem(file, 1, name, h, "duplicate_column", t.name))
            continue
        first[name] = h
        data[name] = col
    n = len(columns[0]) if columns else 0
    raw = pd.DataFrame({k: (v if isinstance(v, pd.Series) else pd.Series(v, dtype=object))
                        for k, v in data.items()}, index=pd.RangeIndex(n))
    return raw, problems


def read_workbook(filename: str, data: bytes, table: str | None
                   ) -> tuple[list[Part], list[Problem], list[str] | None]:
    """(parts, problems, the file name of each sheet in workbook order — None if the workbook cannot
    be read) of an Excel workbook: one part per table sheet."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(wb.sheet_names)
    except Exception as e:  # calamine raises its own types for a broken or encrypted file
        return [], [problem(filename, None, None, None, "workbook_unreadable", detail=str(e)[:200])], None
    parts: list[Part] = []
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
        t = table_named(sheet)
        if t is None and table is not None and len(named) == 1:
            t = schema.table(table)
        if t is None:
            problems.append(problem(
                file, None, None, sheet, "unknown_sheet", sheets=IMPORT_TABLES,
                sheets_zh=tuple(schema.table(n).zh for n in IMPORT_TABLES), help=" / ".join(HELP_SHEETS)))
            continue
        if t.name not in IMPORT_TABLES:
            problems.append(not_importable(file, t))
            continue
        if t.name in seen:
            problems.append(problem(file, None, None, sheet, "duplicate_sheet", t.name, other=seen[t.name]))
            continue
        seen[t.name] = sheet
        width = max(len(r) for r in cells)
        header = [cell_text(v) for v in cells[0]] + [""] * (width - len(cells[0]))
        body, rows = [], []
        for i, r in enumerate(cells[1:], start=2):
            if not _blank(r):
                body.append(r if len(r) == width else list(r) + [""] * (width - len(r)))
                rows.append(i)
        if not any(h.strip() for h in header):
            problems.append(problem(file, 1, None, None, "no_header", t.name,
                                    columns=tuple(c.name for c in t.columns if c.required)[:4]))
            continue
        columns = [column_text(col) for col in zip(*body)] if body else [[] for _ in header]
        raw, more = _columns(t, header, columns, file)
        problems += more
        parts.append(Part(t, file, raw, rows))
    return parts, problems, [f"{filename}:{sheet}" for sheet in names]


def not_importable(file: str, t: schema.Table) -> Problem:
    return problem(file, None, None, t.name, "not_importable", t.name, table_zh=t.zh, table_en=t.en,
                   tables=IMPORT_TABLES)


def read_flat(filename: str, data: bytes, table: str | None
               ) -> tuple[list[Part], list[Problem], list[str] | None]:
    """(parts, problems, [filename] — None if the file cannot be read) of a CSV or Parquet file: one
    part, of the table its name says."""
    t = schema.TABLE_BY_NAME.get(table) if table else table_named(filename.rsplit(".", 1)[0])
    if t is None:
        return [], [problem(filename, None, None, table, "unknown_table", tables=IMPORT_TABLES)], None
    if t.name not in IMPORT_TABLES:
        return [], [not_importable(filename, t)], None
    raw, rows, problems = read_bytes(filename, data)
    problems = [replace(p, table=t.name) for p in problems]
    if raw is None:
        return [], problems, None
    raw, more = _columns(t, [str(c) for c in raw.columns], [raw.iloc[:, j] for j in range(raw.shape[1])],
                         filename)
    return [Part(t, filename, raw, list(rows))], problems + more, [filename]
