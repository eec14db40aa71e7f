"""Check data files against perfeval.data.schema and say exactly what is wrong, in Chinese and English.

Everything here is driven by the table declarations of ``perfeval.data.schema``; a table appended there is
checked with no change here. The checks, in order:

1. the file: bytes decode as UTF-8 (with or without BOM) or GB18030/GBK — anything else is rejected;
   CSV syntax; Parquet readable; the table is known from the file name (``<table>.csv``,
   ``<table>.parquet`` or a Parquet file under a ``<table>/`` folder, as perfeval.data.lake.Lake reads them);
2. the header: unknown columns (the lake would drop them silently), missing required columns,
   repeated names;
3. each cell: required and empty, type (number, integer, ISO date, boolean — accepted only where
   DuckDB's cast in the views accepts the same text), allowed values, min / max, ``source`` of the form
   ``<kind>:<name>`` with a kind of ``schema.DATA_KINDS``, a few column patterns;
4. rows together: duplicate keys within a file and across the lake, references (project_id,
   subproject_id, indicator_code, metric_key, source → documents), outcome units equal to the metric
   catalogue's, and the rules of single tables (RULES below: budget per sub-project *or* whole
   project, indicator parents, figure scopes, document kinds).

Every problem is a `Problem` with the file, the row as a person sees it in Excel (the header is row 1,
the first data row is row 2; the same numbering for Parquet), the column, the value and a message in
both languages. Nothing is ever written: the functions read bytes and DataFrames and return problems,
so that the upload page can reuse `validate_bytes` on what a person uploads.
"""
from __future__ import annotations

import csv
import io
import math
import os
import pathlib
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Callable, Iterable

import pandas as pd

from perfeval.data import schema

INT32 = (-(2**31), 2**31 - 1)
# [0-9], not \d: \d also matches full-width and other Unicode digits, which DuckDB does not cast.
_NUMBER = r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*"
_INTEGER = r"\s*[+-]?[0-9]+(?:\.0*)?\s*"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_BOOLEAN = {"true": True, "false": False, "1": True, "0": False}
_SOURCE = re.compile(r"^([a-z]+):(\S.*)$")

# Text patterns of single columns that the schema's types cannot express.
PATTERNS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("projects", "region_code"): (r"[0-9]{6}", "6 位数字的行政区划代码（GB/T 2260），如 440304",
                                  "a six-digit region code (GB/T 2260), e.g. 440304"),
}


@dataclass(frozen=True)
class Reference:
    """Values of ``column`` must exist in ``target.target_column`` (within the same project if
    ``same_project``). ``table`` None: every table that has ``column`` (except the target itself)."""

    column: str
    target: str
    target_column: str
    same_project: bool
    table: str | None = None


REFERENCES: tuple[Reference, ...] = (
    Reference("project_id", "projects", "project_id", False),
    Reference("subproject_id", "subprojects", "subproject_id", True),
    Reference("indicator_code", "indicators", "code", True),
    Reference("metric_key", "metrics", "metric_key", False),
    Reference("source", "documents", "source", False),
    Reference("code", "indicators", "code", True, table="indicator_rules"),
)

# Parts a figures.scope may have ("total" alone, or "dim:value;dim:value") and where a value must exist.
SCOPE_DIMENSIONS: dict[str, tuple[str, str] | None] = {
    "year": None, "level": None,
    "subproject": ("subprojects", "subproject_id"),
    "indicator": ("indicators", "code"),
    "metric": ("metrics", "metric_key"),
    "survey": ("surveys", "survey_id"),
    "output_group": ("outputs", "group_name"),
    "target": ("targets", "target_id"),
}


# -------------------------------------------------------------------------------------- problems
@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file. ``row`` is the row in Excel (header = 1), None for the whole file
    or its header; ``column`` None when the problem is not about one column."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    message_zh: str
    message_en: str
    table: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def location(self) -> str:
        """``file:row [column]`` for people and terminals."""
        text = self.file + (f":{self.row}" if self.row is not None else "")
        return text + (f" [{self.column}]" if self.column else "")


# code → (Chinese, English) templates, formatted with the details of each problem.
MESSAGES: dict[str, tuple[str, str]] = {
    "decode": ("无法识别文件编码（不是 UTF-8，也不是 GB18030/GBK），请另存为 UTF-8 编码的 CSV",
               "cannot decode the file: it is neither UTF-8 nor GB18030/GBK; save it as UTF-8 CSV"),
    "encoding_not_utf8": ("数据湖中的 CSV 必须是 UTF-8 编码（本文件是 GB18030/GBK），请另存为 UTF-8",
                          "CSV files in the lake must be UTF-8 (this one is GB18030/GBK); save it as UTF-8"),
    "empty_file": ("文件为空，缺少表头行", "the file is empty: no header row"),
    "csv_syntax": ("CSV 格式错误：{detail}", "malformed CSV: {detail}"),
    "parquet_unreadable": ("无法读取 Parquet 文件：{detail}", "cannot read the Parquet file: {detail}"),
    "unknown_table": ("无法从文件名判断是哪张表：应为 <表名>.csv、<表名>.parquet 或 <表名>/ 目录下的 Parquet，"
                      "表名为：{tables}",
                      "cannot tell the table from the file name: use <table>.csv, <table>.parquet or a "
                      "Parquet file under a <table>/ folder, with a table among: {tables}"),
    "unknown_column": ("表 {table} 没有列「{value}」（该列不会被读取，数据会丢失）；应为：{columns}",
                       "table {table} has no column “{value}” (it would not be read: data lost); "
                       "expected: {columns}"),
    "missing_column": ("缺少必填列：{column_zh}", "required column {column_en} is missing"),
    "duplicate_column": ("表头中列「{value}」出现了不止一次", "column “{value}” appears more than once in the header"),
    "field_count": ("此行有 {found} 个字段，表头有 {expected} 个", "this row has {found} fields, the header {expected}"),
    "required_empty": ("「{column_zh}」为必填项，不能为空", "{column_en} is required and is empty"),
    "not_number": ("「{column_zh}」应为数字，实际为「{value}」{hint_zh}",
                   "{column_en} must be a number, got “{value}”{hint_en}"),
    "not_integer": ("「{column_zh}」应为整数，实际为「{value}」", "{column_en} must be a whole number, got “{value}”"),
    "not_date": ("「{column_zh}」应为 YYYY-MM-DD 格式的日期（如 2023-06-30），实际为「{value}」",
                 "{column_en} must be a date written YYYY-MM-DD (e.g. 2023-06-30), got “{value}”"),
    "not_boolean": ("「{column_zh}」应为 true 或 false，实际为「{value}」",
                    "{column_en} must be true or false, got “{value}”"),
    "not_allowed": ("「{column_zh}」不能为「{value}」，允许的值：{allowed}",
                    "{column_en} cannot be “{value}”; allowed: {allowed}"),
    "below_min": ("「{column_zh}」为 {value}，小于下限 {limit}{hint_zh}",
                  "{column_en} is {value}, below the minimum {limit}{hint_en}"),
    "above_max": ("「{column_zh}」为 {value}，大于上限 {limit}{hint_zh}",
                  "{column_en} is {value}, above the maximum {limit}{hint_en}"),
    "pattern": ("「{column_zh}」应为{what_zh}，实际为「{value}」", "{column_en} must be {what_en}, got “{value}”"),
    "bad_source": ("数据来源应写作「类型:名称」，类型为 {kinds} 之一（如 report:tianjin-2022），实际为「{value}」",
                   "source must read “kind:name” with a kind among {kinds} (e.g. report:tianjin-2022), "
                   "got “{value}”"),
    "duplicate_key": ("键（{key}）= {value} 重复，与第 {other_row} 行相同",
                      "key ({key}) = {value} repeats row {other_row}"),
    "duplicate_key_lake": ("键（{key}）= {value} 已在 {other_file} 第 {other_row} 行出现",
                           "key ({key}) = {value} already appears in {other_file} row {other_row}"),
    "unknown_reference": ("「{column_zh}」为「{value}」，但{scope_zh}表 {target} 中没有 {target_column} = 「{value}」",
                          "{column_en} is “{value}” but table {target} has no {target_column} = “{value}”"
                          "{scope_en}"),
    "unit_mismatch": ("单位「{value}」与成效指标目录中 {metric} 的单位「{expected}」不一致",
                      "unit “{value}” differs from the catalogue's unit of {metric}, “{expected}”"),
    "budget_both": ("{year} 年的「{measure_zh}」既按子项目（{subprojects}）填写，又按整个项目填写；"
                    "同一项目同一年度的同一金额只能二选一，否则合计会重复",
                    "{measure_en} for {year} is given both per sub-project ({subprojects}) and for the "
                    "whole project; give it one way only, or totals count it twice"),
    "parent_missing": ("上级编码「{value}」在项目 {project} 的指标中不存在",
                       "parent code “{value}” is not an indicator of project {project}"),
    "parent_level": ("上级指标「{value}」为第 {parent_level} 级，本指标为第 {level} 级（应相差 1 级）",
                     "parent “{value}” is level {parent_level}, this indicator level {level} (must differ by 1)"),
    "parent_required": ("第 {level} 级指标必须填写上级编码", "a level-{level} indicator needs a parent code"),
    "parent_forbidden": ("一级指标不能有上级编码", "a level-1 indicator cannot have a parent code"),
    "bad_scope": ("范围「{value}」无效：{detail_zh}。应为 total，或以分号连接的「维度:值」，维度为 {dims}",
                  "scope “{value}” is invalid: {detail_en}. Use total, or “dim:value” parts joined by “;” "
                  "with dims among {dims}"),
    "document_kind": ("类型「{value}」与数据来源「{source}」的前缀不一致", "kind “{value}” differs from the prefix of "
                      "source “{source}”"),
    "period_order": ("「{column_zh}」{value} 早于「{start_zh}」{start}", "{column_en} {value} is before {start_en} {start}"),
    # -- uploads (perfeval.data.ingest) --
    "unknown_format": ("无法导入「{value}」：只接受 Excel 工作簿（.xlsx）、CSV（.csv）或 Parquet（.parquet）文件",
                       "cannot import “{value}”: only an Excel workbook (.xlsx), a CSV (.csv) or a Parquet "
                       "(.parquet) file is accepted"),
    "workbook_unreadable": ("无法读取 Excel 工作簿：{detail}", "cannot read the Excel workbook: {detail}"),
    "unknown_sheet": ("工作表「{value}」不是可导入的表，其中的数据不会被导入；工作表名应为：{sheets}"
                      "（或中文表名：{sheets_zh}）；说明页「{help}」会被忽略",
                      "sheet “{value}” is not a table that can be imported, and its rows would be lost; "
                      "name sheets among: {sheets} (or their Chinese names); a help sheet “{help}” is ignored"),
    "not_importable": ("表 {table}（{table_zh}）是统一维护的目录，不能通过导入修改；可导入的表：{tables}",
                       "table {table} ({table_en}) is a catalogue maintained centrally and cannot be "
                       "imported; tables that can: {tables}"),
    "duplicate_sheet": ("工作表「{value}」与工作表「{other}」都是表 {table}，请把两者的行放在同一个工作表中",
                        "sheets “{value}” and “{other}” are both table {table}; put their rows in one sheet"),
    "no_header": ("第 1 行（表头）为空：第 1 行应为列名，如 {columns}",
                  "row 1 (the header) is empty: row 1 must hold the column names, e.g. {columns}"),
    "unnamed_column": ("第 {letter} 列有数据，但第 1 行没有列名（该列不会被读取，数据会丢失）",
                       "column {letter} holds data but has no name in row 1 (it would not be read: data lost)"),
    "no_rows": ("没有可导入的数据：各表表头以下都是空的", "nothing to import: there are no data rows below the headers"),
    "batch_exists": ("导入批次 {value} 已存在于数据湖中", "import batch {value} already exists in the lake"),
}


def _problem(file: str, row, column, value, code: str, table: str | None = None, **details) -> Problem:
    """A Problem with its messages formatted from MESSAGES[code]; a tuple detail is a list, joined
    with 、 in Chinese and , in English."""
    zh, en = MESSAGES[code]
    details.setdefault("value", "" if value is None else value)
    details.setdefault("table", table)
    details.setdefault("hint_zh", "")
    details.setdefault("hint_en", "")
    as_zh = {k: "、".join(map(str, d)) if isinstance(d, tuple) else d for k, d in details.items()}
    as_en = {k: ", ".join(map(str, d)) if isinstance(d, tuple) else d for k, d in details.items()}
    return Problem(file, None if row is None else int(row), column,
                   None if value is None else str(value), code,
                   zh.format(**as_zh), en.format(**as_en), table)


def _col_details(c: schema.Column) -> dict:
    """A column named for messages: its description without the bracketed details, then its name
    (「数据来源（source）」 rather than 「数据来源（report:/import:/…）（source）」)."""
    zh = c.zh.split("（")[0] or c.zh
    en = c.en.split(" (")[0] or c.en
    return {"column_zh": f"{zh}（{c.name}）", "column_en": f"{en} ({c.name})"}


# -------------------------------------------------------------------------------------- reading
def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of CSV bytes: strict UTF-8 (a BOM is dropped), else strict GB18030.

    Raises UnicodeDecodeError when neither reads every byte: the file is rejected, never guessed.
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def table_of(path: str | os.PathLike) -> schema.Table | None:
    """The table a file holds, from its name the way perfeval.data.lake.Lake reads it, or None.

    ``budget.csv`` → budget; ``budget.parquet`` → budget; ``lake/budget/year=2022/b1.parquet`` → budget
    (the nearest folder named after a table).
    """
    p = pathlib.PurePath(os.fspath(path).replace("\\", "/"))
    suffix = p.suffix.lower()
    if p.stem in schema.TABLE_BY_NAME and suffix in (".csv", ".parquet"):
        return schema.TABLE_BY_NAME[p.stem]
    if suffix == ".parquet":
        for folder in reversed(p.parts[:-1]):
            if folder in schema.TABLE_BY_NAME:
                return schema.TABLE_BY_NAME[folder]
    return None


def _read_csv(file: str, data: bytes, utf8_only: bool) -> tuple[pd.DataFrame | None, list[int], list[Problem]]:
    """Cells as text ('' for empty), the Excel row of each record, and file-level problems."""
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError:
        return None, [], [_problem(file, None, None, None, "decode")]
    problems = []
    if utf8_only and encoding != "utf-8":
        problems.append(_problem(file, None, None, encoding, "encoding_not_utf8"))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        return None, [], problems + [_problem(file, None, None, None, "csv_syntax", detail=str(e))]
    if not records or not any(f.strip() for f in records[0]):
        return None, [], problems + [_problem(file, None, None, None, "empty_file")]
    header = list(records[0])  # not stripped: DuckDB would not strip " year" either
    rows, excel_rows = [], []
    for i, rec in enumerate(records[1:], start=2):
        if not any(f.strip() for f in rec):
            continue  # a blank line: nothing to check, nothing the lake reads
        if len(rec) != len(header):
            problems.append(_problem(file, i, None, None, "field_count", found=len(rec), expected=len(header)))
            rec = (rec + [""] * len(header))[: len(header)]
        rows.append(rec)
        excel_rows.append(i)
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.append(_problem(file, 1, h, h, "duplicate_column"))
        seen.add(h)
    df = pd.DataFrame(rows, columns=range(len(header)), dtype=object)
    df.columns = header
    df = df.loc[:, ~pd.Index(header).duplicated()]
    return df, excel_rows, problems


def _read_parquet(file: str, data: bytes) -> tuple[pd.DataFrame | None, list[int], list[Problem]]:
    import pyarrow.parquet as pq

    try:
        df = pq.read_table(io.BytesIO(data)).to_pandas()
    except Exception as e:  # pyarrow raises several types for a broken file
        return None, [], [_problem(file, None, None, None, "parquet_unreadable", detail=str(e)[:200])]
    return df.reset_index(drop=True), list(range(2, len(df) + 2)), []


def read_bytes(filename: str, data: bytes, utf8_only: bool = False):
    """(raw DataFrame or None, Excel row numbers, problems) of a CSV or Parquet file's bytes."""
    if str(filename).lower().endswith(".parquet"):
        return _read_parquet(filename, data)
    return _read_csv(filename, data, utf8_only)


# -------------------------------------------------------------------------------------- one column
def _text(series: pd.Series) -> pd.Series:
    """Cells as text with '' for missing (CSV cells already are; Parquet values are converted)."""
    def one(v):
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        if isinstance(v, pd.Timestamp):
            return v.date().isoformat() if v == v.normalize() else v.isoformat(sep=" ")
        if hasattr(v, "isoformat"):
            return v.isoformat()
        return str(v)
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=False) == "string":
        return series
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:  # Arrow / "str" strings
        return pd.Series(series.astype(object).where(series.notna(), "").tolist(), index=series.index,
                         dtype=object)
    return pd.Series([one(v) for v in series.tolist()], index=series.index, dtype=object)


def _parse(series: pd.Series, c: schema.Column) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """(text, empty mask, bad-type mask, typed values) of one column."""
    text = _text(series)
    stripped = text.str.strip()
    empty = stripped == ""
    if c.type == "DOUBLE":
        ok = text.str.fullmatch(_NUMBER)
        typed = pd.to_numeric(stripped.where(ok & ~empty), errors="coerce").astype("float64")
    elif c.type == "INTEGER":
        ok = text.str.fullmatch(_INTEGER)
        num = pd.to_numeric(stripped.where(ok & ~empty), errors="coerce")
        ok = ok & ((num >= INT32[0]) & (num <= INT32[1]) | num.isna())
        typed = num.where(ok).round().astype("Int64")
    elif c.type == "DATE":
        typed = pd.to_datetime(text.where(text.str.fullmatch(_DATE) & ~empty), format="%Y-%m-%d",
                               errors="coerce")
        ok = typed.notna()
    elif c.type == "BOOLEAN":
        low = text.str.lower()
        ok = low.isin(list(_BOOLEAN))
        typed = low.map(_BOOLEAN).astype("boolean")
    else:
        ok = pd.Series(True, index=text.index)
        typed = text.where(~empty, None).astype(object)
    bad = ~empty & ~ok.fillna(False).astype(bool)
    if c.type != "VARCHAR":
        typed = typed.where(~bad)
    return text, empty, bad, typed


def _limit_hint(c: schema.Column, value: float) -> tuple[str, str]:
    if c.max == 1 and value > 1:
        return (f"；比率请填小数，如 {value:g}% 写作 {value / 100:g}",
                f"; give rates as fractions: {value:g}% is {value / 100:g}")
    return "", ""


def check_frame(t: schema.Table, raw: pd.DataFrame, file: str,
                rows: Iterable[int] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Header and cell checks of one file's rows of table ``t``.

    Returns the typed frame (schema columns in schema order, missing optional columns empty, a bad
    cell empty; plus ``row_``, the Excel row) and the problems. Pure: ``raw`` is not modified.
    """
    problems: list[Problem] = []
    known = set(t.column_names)
    for name in raw.columns:
        if name not in known:
            problems.append(_problem(file, 1, str(name), str(name), "unknown_column", t.name,
                                     columns=tuple(t.column_names)))
    for c in t.columns:
        if c.required and c.name not in raw.columns:
            problems.append(_problem(file, 1, c.name, None, "missing_column", t.name, **_col_details(c)))
    excel = pd.Series(list(rows) if rows is not None else range(2, len(raw) + 2), index=raw.index, dtype="int64")
    typed: dict[str, pd.Series] = {}
    cell: list[tuple[int, int, Problem]] = []  # (row, column position, problem) sorted at the end

    def add(mask: pd.Series, pos: int, make: Callable[[int, str], Problem]):
        for idx in mask[mask].index:
            cell.append((int(excel[idx]), pos, make(int(excel[idx]), idx)))

    for pos, c in enumerate(t.columns):
        d = _col_details(c)
        if c.name not in raw.columns:
            typed[c.name] = pd.Series([None] * len(raw), index=raw.index, dtype=object)
            continue
        text, empty, bad, values = _parse(raw[c.name], c)
        typed[c.name] = values
        if c.required:
            add(empty, pos, lambda r, i, d=d: _problem(file, r, c.name, text[i], "required_empty", t.name, **d))
        if bad.any():
            code = {"DOUBLE": "not_number", "INTEGER": "not_integer", "DATE": "not_date",
                    "BOOLEAN": "not_boolean"}[c.type]

            def type_problem(r, i, code=code, d=d):
                v = text[i]
                hz, he = "", ""
                if code == "not_number" and v.strip().endswith("%"):
                    hz, he = "；比率请填小数，如 71.72% 写作 0.7172", "; give rates as fractions: 71.72% is 0.7172"
                elif code == "not_number" and "," in v:
                    hz, he = "；数字中不要用千位分隔符", "; write numbers without thousands separators"
                return _problem(file, r, c.name, v, code, t.name, hint_zh=hz, hint_en=he, **d)
            add(bad, pos, type_problem)
        if c.allowed:
            out = ~empty & ~text.isin(list(c.allowed))
            add(out, pos, lambda r, i, d=d: _problem(file, r, c.name, text[i], "not_allowed", t.name,
                                                     allowed=tuple(c.allowed), **d))
        if c.type in ("DOUBLE", "INTEGER"):
            num = values.astype("float64")
            for limit, code, cmp in ((c.min, "below_min", num.lt), (c.max, "above_max", num.gt)):
                if limit is not None:
                    add(cmp(limit).fillna(False).astype(bool), pos,
                        lambda r, i, limit=limit, code=code, d=d: _problem(
                            file, r, c.name, text[i].strip(), code, t.name, limit=f"{limit:g}",
                            **dict(zip(("hint_zh", "hint_en"), _limit_hint(c, num[i]))), **d))
        if c.name == "source":
            ok = text.map(lambda v: bool(_SOURCE.match(v)) and schema.data_kind(v) in schema.DATA_KINDS)
            add(~empty & ~ok.astype(bool), pos, lambda r, i: _problem(
                file, r, c.name, text[i], "bad_source", t.name, kinds=tuple(schema.DATA_KINDS)))
        if (t.name, c.name) in PATTERNS:
            pattern, what_zh, what_en = PATTERNS[(t.name, c.name)]
            add(~empty & ~text.str.fullmatch(pattern).astype(bool), pos, lambda r, i, d=d: _problem(
                file, r, c.name, text[i], "pattern", t.name, what_zh=what_zh, what_en=what_en, **d))
        if c.type == "DATE" and c.name.endswith("_end"):
            start = c.name[: -len("_end")] + "_start"
            if start in t.column_names and start in raw.columns:
                sc = t.column(start)
                early = (values < typed[start]).fillna(False).astype(bool)
                add(early, pos, lambda r, i, d=d, sc=sc: _problem(
                    file, r, c.name, text[i], "period_order", t.name, start=typed[start][i].date().isoformat(),
                    start_zh=f"{sc.zh}（{sc.name}）", start_en=f"{sc.en} ({sc.name})", **d))
    # duplicate keys within the file
    typed = pd.DataFrame(typed, index=raw.index)
    # (a key column left out of the file is empty on every row: still part of the key)
    if len(raw) and all(k in raw.columns for k in t.key if t.column(k).required):
        keys = _key_strings(typed, t)
        first = {}
        for k, row in zip(keys.tolist(), excel.tolist()):  # lists: a Series lookup per row is slow
            if k in first:
                cell.append((row, 0, _problem(
                    file, row, ",".join(t.key), k, "duplicate_key", t.name,
                    key=", ".join(t.key), other_row=first[k])))
            else:
                first[k] = row
    cell.sort(key=lambda x: (x[0], x[1]))
    typed["row_"] = excel
    return typed, problems + [p for _, _, p in cell]


def _key_strings(typed: pd.DataFrame, t: schema.Table) -> pd.Series:
    """One text per row for the table's key, the same for a CSV and a Parquet row with equal values."""
    parts = []
    for k in t.key:
        s = typed[k]
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d")
        parts.append(s.astype(object).map(lambda v: "∅" if v is None or v is pd.NA or v != v else str(v)))
    out = parts[0]
    for p in parts[1:]:
        out = out + " | " + p
    return out


# -------------------------------------------------------------------------------------- the lake
@dataclass
class Checked:
    """One file's rows of one table, typed, with ``row_`` (Excel row)."""

    table: schema.Table
    file: str
    frame: pd.DataFrame


class LakeIndex:
    """The rows of a lake folder, read lazily table by table, as context for checking other files.

    ``exclude``: files not to read (the file being checked, when it lies inside the lake).
    """

    def __init__(self, root: str | os.PathLike, exclude: Iterable[str | os.PathLike] = ()):
        self.root = pathlib.Path(root)
        self.exclude = {pathlib.Path(p).resolve() for p in exclude}
        self._cache: dict[str, list[Checked]] = {}
        self._files: list[pathlib.Path] | None = None

    def files(self) -> list[pathlib.Path]:
        if self._files is None:
            self._files = [p for p in lake_files(self.root) if p.resolve() not in self.exclude]
        return self._files

    def checked(self, table: str) -> list[Checked]:
        if table not in self._cache:
            out = []
            for p in self.files():
                t = table_of(p.relative_to(self.root.resolve()))
                if t is not None and t.name == table:
                    c, _ = _check_file(p, display_path(p), utf8_only=False, table=t)
                    if c is not None:
                        out.append(c)
            self._cache[table] = out
        return self._cache[table]


def display_path(path: str | os.PathLike) -> str:
    """A path as people read it: relative to the working folder when inside it."""
    try:
        return str(pathlib.Path(path).resolve().relative_to(pathlib.Path.cwd().resolve()))
    except ValueError:
        return str(path)


def lake_files(root: str | os.PathLike) -> list[pathlib.Path]:
    """Every data file of a lake folder, as perfeval.data.lake.Lake lists them (hidden and _ names skipped)."""
    from perfeval.data.lake import Lake

    return Lake(root).data_files()


class _Rows:
    """Rows of each table for the cross checks: the files being checked (``target_``) + context."""

    def __init__(self, targets: list[Checked], context: LakeIndex | None):
        self.targets = targets
        self.context = context
        self._cache: dict[str, pd.DataFrame | None] = {}

    def known(self, table: str) -> bool:
        """Whether we know every row of ``table`` (a lake is given, or a target file holds it)."""
        return self.context is not None or any(c.table.name == table for c in self.targets)

    def get(self, table: str) -> pd.DataFrame | None:
        if table not in self._cache:
            parts = []
            for c in self.targets:
                if c.table.name == table:
                    parts.append(c.frame.assign(file_=c.file, target_=True))
            if self.context is not None and table in schema.TABLE_BY_NAME:
                for c in self.context.checked(table):
                    parts.append(c.frame.assign(file_=c.file, target_=False))
            if parts:
                df = pd.concat(parts, ignore_index=True)
            elif self.known(table) and table in schema.TABLE_BY_NAME:
                df = pd.DataFrame(columns=schema.table(table).column_names + ["row_", "file_", "target_"])
            else:
                df = None
            self._cache[table] = df
        return self._cache[table]


def _present(v) -> bool:
    return not (v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == "")


def _cross_duplicates(rows: _Rows, t: schema.Table) -> list[Problem]:
    df = rows.get(t.name)
    if df is None or not len(df):
        return []
    df = df.assign(key_=_key_strings(df, t).values)
    # context rows first: a file being checked repeats what the lake already holds
    df = df.sort_values(["target_", "file_", "row_"], kind="stable")
    df = df.drop_duplicates(["file_", "key_"])  # repeats within a file are reported by check_frame
    out = []
    first: dict[str, tuple[str, int]] = {}
    columns = (df[c].tolist() for c in ("key_", "file_", "row_", "target_"))  # lists: fast on 300 000 rows
    for key, file, row, target in zip(*columns):
        if key not in first:
            first[key] = (file, row)
        elif target:
            f, other = first[key]
            out.append(_problem(file, row, ",".join(t.key), key, "duplicate_key_lake", t.name,
                                key=", ".join(t.key), other_file=f, other_row=other))
    return out


def _cross_references(rows: _Rows, t: schema.Table) -> list[Problem]:
    out = []
    for ref in REFERENCES:
        if ref.table not in (None, t.name) or ref.column not in t.column_names or ref.target == t.name:
            continue
        if ref.target not in schema.TABLE_BY_NAME or not rows.known(ref.target):
            continue
        if ref.same_project and "project_id" not in t.column_names:
            continue
        df, target = rows.get(t.name), rows.get(ref.target)
        if df is None or target is None:
            continue
        mine = df[df["target_"] & df[ref.column].map(_present)]
        if ref.same_project:
            have = set(zip(target["project_id"], target[ref.target_column]))
            missing = [not (p, v) in have for p, v in zip(mine["project_id"], mine[ref.column])]
        else:
            have = set(target[ref.target_column])
            missing = [v not in have for v in mine[ref.column]]
        c = t.column(ref.column)
        # only the rows whose reference is missing (a tuple per row of 300 000 is slow)
        for r in mine[pd.Series(missing, index=mine.index, dtype=bool)].itertuples(index=False):
            pid = getattr(r, "project_id", "")
            out.append(_problem(
                r.file_, r.row_, ref.column, getattr(r, ref.column), "unknown_reference", t.name,
                target=ref.target, target_column=ref.target_column,
                scope_zh=f"项目 {pid} 的" if ref.same_project else "",
                scope_en=f" for project {pid}" if ref.same_project else "", **_col_details(c)))
    return out


def _cross_units(rows: _Rows, t: schema.Table) -> list[Problem]:
    if not {"metric_key", "unit"} <= set(t.column_names) or t.name == "metrics" or not rows.known("metrics"):
        return []
    df, metrics = rows.get(t.name), rows.get("metrics")
    unit_of = dict(zip(metrics["metric_key"], metrics["unit"]))
    out = []
    for r in df[df["target_"]].itertuples(index=False):
        expected = unit_of.get(r.metric_key)
        if expected is not None and _present(r.unit) and r.unit != expected:
            out.append(_problem(r.file_, r.row_, "unit", r.unit, "unit_mismatch", t.name,
                                metric=r.metric_key, expected=expected))
    return out


# -- rules of single tables -----------------------------------------------------------------------
def _rule_budget(rows: _Rows, t: schema.Table) -> list[Problem]:
    """Per project × year, each amount is given per sub-project or for the whole project, never both."""
    df = rows.get(t.name)
    measures = [c for c in t.columns if c.unit == "万元"]
    out = []
    if not len(df):
        return out
    # Only groups holding a measure both ways need the row-by-row look below: find them in one pass
    # (a group per project × year made 300 000 budget rows of an import take 25 s). Whole groups are
    # kept, so they come in the same order as over all rows.
    whole = ~df["subproject_id"].map(_present).astype(bool)
    key = df.groupby(["project_id", "year"], dropna=False, sort=False).ngroup()
    suspect = pd.Series(False, index=df.index)
    for c in measures:
        has = df[c.name].notna()
        suspect |= ((has & ~whole).groupby(key).transform("any")
                    & (has & whole).groupby(key).transform("any"))
    df = df[suspect]
    for (pid, year), g in df.groupby(["project_id", "year"], dropna=False, sort=False):
        whole = ~g["subproject_id"].map(_present)
        for c in measures:
            has = g[c.name].notna()
            parts, total = g[has & ~whole], g[has & whole]
            if len(parts) and len(total):
                blamed = total[total["target_"]]
                if not len(blamed):
                    blamed = parts[parts["target_"]]
                subs = tuple(sorted(set(map(str, parts["subproject_id"]))))
                for r in blamed.itertuples(index=False):
                    out.append(_problem(r.file_, r.row_, c.name, _fmt(getattr(r, c.name)), "budget_both",
                                        t.name, year=year, measure_zh=c.zh, measure_en=c.en, subprojects=subs))
    return out


def _rule_indicators(rows: _Rows, t: schema.Table) -> list[Problem]:
    """A parent exists in the same project, one level up; level 1 has none, deeper levels have one."""
    df = rows.get(t.name)
    level_of = {(p, c): lv for p, c, lv in zip(df["project_id"].tolist(), df["code"].tolist(),
                                                df["level"].tolist())}
    out = []
    mine = df[df["target_"]]
    columns = (mine[c].tolist() for c in ("file_", "row_", "project_id", "parent_code", "level"))
    for file, row, project, parent, level in zip(*columns):  # lists: fast on 300 000 rows
        lv = None if level is pd.NA or level is None else int(level)
        has_parent = _present(parent)
        if lv == 1 and has_parent:
            out.append(_problem(file, row, "parent_code", parent, "parent_forbidden", t.name))
        elif lv is not None and lv > 1 and not has_parent:
            out.append(_problem(file, row, "parent_code", "", "parent_required", t.name, level=lv))
        elif has_parent:
            key = (project, parent)
            if key not in level_of:
                out.append(_problem(file, row, "parent_code", parent, "parent_missing", t.name,
                                    project=project))
            elif lv is not None and level_of[key] is not pd.NA and int(level_of[key]) != lv - 1:
                out.append(_problem(file, row, "parent_code", parent, "parent_level", t.name,
                                    parent_level=int(level_of[key]), level=lv))
    return out


def parse_scope(scope: str) -> tuple[dict[str, str], tuple[str, str] | None]:
    """({dimension: value}, None) of a figures.scope, or ({}, (reason_zh, reason_en)) if malformed.

    ``total`` → {}; ``year:2022;metric:campaigns_held`` → {"year": "2022", "metric": "campaigns_held"}.
    """
    scope = scope.strip()
    if scope == "total":
        return {}, None
    parts: dict[str, str] = {}
    for part in scope.split(";"):
        dim, sep, value = (x.strip() for x in part.partition(":"))
        if not sep or not dim or not value:
            return {}, (f"「{part}」不是「维度:值」", f"“{part}” is not dim:value")
        if dim not in SCOPE_DIMENSIONS:
            return {}, (f"未知维度「{dim}」", f"unknown dimension “{dim}”")
        if dim in parts:
            return {}, (f"维度「{dim}」出现两次", f"dimension “{dim}” given twice")
        if dim == "year" and not re.fullmatch(r"[0-9]{4}", value):
            return {}, (f"年份「{value}」不是四位数字", f"year “{value}” is not a four-digit year")
        if dim == "level" and value not in ("1", "2", "3"):
            return {}, (f"层级「{value}」不是 1、2 或 3", f"level “{value}” is not 1, 2 or 3")
        parts[dim] = value
    return parts, None


def _rule_figures(rows: _Rows, t: schema.Table) -> list[Problem]:
    """A figure's scope is ``total`` or ``dim:value`` parts joined by ``;`` (see `SCOPE_DIMENSIONS`), and what
    it names (a sub-project, indicator, metric, survey, output group, target) exists in the project."""
    df = rows.get(t.name)
    dims = tuple(SCOPE_DIMENSIONS)
    out = []
    for r in df[df["target_"]].itertuples(index=False):
        if not _present(r.scope):
            continue
        parts, reason = parse_scope(r.scope)
        for dim, value in parts.items():
            target = SCOPE_DIMENSIONS[dim]
            if reason is not None or target is None or not rows.known(target[0]):
                continue
            tdf = rows.get(target[0])
            if tdf is None or target[1] not in tdf.columns:
                continue
            match = tdf[target[1]] == value
            if "project_id" in tdf.columns:
                match &= tdf["project_id"] == r.project_id
            if not match.any():
                reason = (f"本项目的 {target[0]} 中没有 {target[1]} =「{value}」",
                          f"{target[0]} of this project has no {target[1]} = “{value}”")
        if reason:
            out.append(_problem(r.file_, r.row_, "scope", r.scope, "bad_scope", t.name,
                                detail_zh=reason[0], detail_en=reason[1], dims=dims))
    return out


def _rule_documents(rows: _Rows, t: schema.Table) -> list[Problem]:
    """A document's kind is the prefix of its source (report:… is a report)."""
    df = rows.get(t.name)
    out = []
    for r in df[df["target_"]].itertuples(index=False):
        if _present(r.kind) and _present(r.source) and schema.data_kind(r.source) != r.kind:
            out.append(_problem(r.file_, r.row_, "kind", r.kind, "document_kind", t.name, source=r.source))
    return out


RULES: dict[str, list[Callable[[_Rows, schema.Table], list[Problem]]]] = {
    "budget": [_rule_budget],
    "indicators": [_rule_indicators],
    "figures": [_rule_figures],
    "documents": [_rule_documents],
}
RULE_DOCS: dict[str, list[str]] = {
    name: [f.__doc__.strip() for f in fs] for name, fs in RULES.items()
}


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _new(found: list[Problem], more: list[Problem]) -> list[Problem]:
    """The problems of ``more`` on a cell that ``found`` does not already report (a source written
    wrongly is not also an unknown source)."""
    seen = {(p.file, p.row, p.column) for p in found}
    return [p for p in more if (p.file, p.row, p.column) not in seen]


def cross_check(targets: list[Checked], context: LakeIndex | None = None) -> list[Problem]:
    """The checks across rows and files, reported on the rows of ``targets`` only.

    ``context`` (the rest of the lake) adds the rows the targets are checked against; without it,
    references to tables the targets do not hold are not checked.
    """
    rows = _Rows(targets, context)
    out: list[Problem] = []
    for name in dict.fromkeys(c.table.name for c in targets):
        t = schema.table(name)
        if all(c.name in rows.get(name).columns for c in t.columns):
            out += _cross_duplicates(rows, t)
            out += _cross_references(rows, t)
            out += _cross_units(rows, t)
            for rule in RULES.get(name, []):
                out += rule(rows, t)
    return out


# -------------------------------------------------------------------------------------- entry points
@dataclass
class Report:
    """What a validation found: the problems, and how much was checked."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.row or 0))


def _check_bytes(filename: str, data: bytes, utf8_only: bool, table: schema.Table | None
                 ) -> tuple[Checked | None, list[Problem]]:
    t = table or table_of(filename)
    if t is None:
        return None, [_problem(filename, None, None, None, "unknown_table",
                               tables=tuple(schema.TABLE_BY_NAME))]
    raw, excel_rows, problems = read_bytes(filename, data, utf8_only)
    if raw is None:
        return None, [replace(p, table=t.name) for p in problems]
    typed, more = check_frame(t, raw, filename, excel_rows)
    problems = [replace(p, table=t.name) for p in problems] + more
    return Checked(t, filename, typed), problems


def _check_file(path: pathlib.Path, shown: str, utf8_only: bool, table: schema.Table | None = None):
    return _check_bytes(shown, path.read_bytes(), utf8_only, table)


def validate_bytes(filename: str, data: bytes, *, table: str | None = None,
                   context: LakeIndex | None = None, utf8_only: bool = False
                   ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Check one uploaded file's bytes (CSV in UTF-8 or GB18030, or Parquet).

    ``table``: the table, if not to be told from ``filename``. ``context``: the lake the file is to
    join (duplicate keys, references, units are then checked against it). ``utf8_only``: reject a
    GB18030 CSV (for files that DuckDB reads directly from the lake).

    Returns (typed DataFrame with the schema's columns, or None if the file could not be read at all;
    the problems). The frame is returned even when there are problems, for a preview: store it only
    when the list is empty. Its ``attrs["rows"]`` are the Excel row numbers of its rows.
    """
    checked, problems = _check_bytes(filename, data, utf8_only, schema.table(table) if table else None)
    if checked is None:
        return None, problems
    problems += _new(problems, cross_check([checked], context))
    df = checked.frame.drop(columns="row_").reset_index(drop=True)
    df.attrs["rows"] = list(checked.frame["row_"])
    return df, _sorted(problems)


def validate_folder(folder: str | os.PathLike, lake: str | os.PathLike | None = None,
                    shown: str | None = None) -> Report:
    """Check every data file under ``folder``, each alone and all together. Reads only.

    ``lake``: the lake folder ``folder`` is part of (e.g. data/ for data/seed/tianjin-2022): the files
    are then also checked against the rest of it (catalogue, projects, keys). Default: ``folder`` is
    a whole lake. ``shown``: how to write ``folder`` in problems' file names (default: as given).
    """
    folder = pathlib.Path(folder)
    base = pathlib.PurePath(shown) if shown is not None else folder
    whole = lake is None or pathlib.Path(lake).resolve() == folder.resolve()
    report, checked, paths = Report(), [], []
    for p in lake_files(folder):
        rel = p.relative_to(folder.resolve())
        table = table_of(rel) if whole else table_of(p.resolve().relative_to(pathlib.Path(lake).resolve()))
        c, problems = _check_bytes(str(base / rel), p.read_bytes(), True, table)
        report.files += 1
        report.problems += problems
        paths.append(p)
        if c is not None:
            checked.append(c)
            report.rows += len(c.frame)
    context = _EmptyContext() if whole else LakeIndex(lake, exclude=paths)
    report.problems += _new(report.problems, cross_check(checked, context))
    report.problems = _sorted(report.problems)
    return report


class _EmptyContext(LakeIndex):
    """A whole lake is being checked: every table's rows are among the targets."""

    def __init__(self):
        super().__init__(".")

    def checked(self, table: str) -> list[Checked]:
        return []


def validate_file(path: str | os.PathLike, lake: str | os.PathLike | None = None,
                  shown: str | None = None, table: str | None = None) -> Report:
    """Check one file; with ``lake``, also against the rest of that lake folder. Reads only.

    A CSV inside ``lake`` must be UTF-8 (DuckDB reads it as is); one outside may be GB18030 (an
    import re-encodes it). ``table``: the table, if not to be told from the file name.
    """
    path = pathlib.Path(path)
    inside = lake is not None and _is_within(path, pathlib.Path(lake))
    context = LakeIndex(lake, exclude=[path]) if lake is not None else None
    t = schema.table(table) if table else None
    if inside and t is None:
        t = table_of(path.resolve().relative_to(pathlib.Path(lake).resolve()))
    checked, problems = _check_bytes(shown or str(path), path.read_bytes(), inside, t)
    report = Report(problems=problems, files=1)
    if checked is not None:
        report.rows = len(checked.frame)
        report.problems += _new(report.problems, cross_check([checked], context))
    report.problems = _sorted(report.problems)
    return report


def _is_within(path: pathlib.Path, folder: pathlib.Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False
