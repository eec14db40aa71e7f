"""The checks of one file's rows of one table: the header, each cell, and keys repeated within the file.

A cell's type is accepted only where DuckDB's cast in the lake's views accepts the same text (number,
integer, ISO date, boolean); then allowed values, min / max, ``source`` of the form ``<kind>:<name>``
and the column patterns of `PATTERNS`. `check_bytes` reads a file (perfeval.data.validation.files) and checks it:
a `Checked` (the typed rows) and the problems.
"""
from __future__ import annotations

import math
import pathlib
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable

import pandas as pd

from perfeval.data import schema
from perfeval.data.validation.files import read_bytes, table_of
from perfeval.data.validation.problems import Problem, column_details, problem

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


@dataclass
class Checked:
    """One file's rows of one table, typed, with ``row_`` (Excel row)."""

    table: schema.Table
    file: str
    frame: pd.DataFrame


def as_text(series: pd.Series) -> pd.Series:
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
    text = as_text(series)
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
            problems.append(problem(file, 1, str(name), str(name), "unknown_column", t.name,
                                    columns=tuple(t.column_names)))
    for c in t.columns:
        if c.required and c.name not in raw.columns:
            problems.append(problem(file, 1, c.name, None, "missing_column", t.name, **column_details(c)))
    excel = pd.Series(list(rows) if rows is not None else range(2, len(raw) + 2), index=raw.index, dtype="int64")
    typed: dict[str, pd.Series] = {}
    cell: list[tuple[int, int, Problem]] = []  # (row, column position, problem) sorted at the end

    def add(mask: pd.Series, pos: int, make: Callable[[int, str], Problem]):
        for idx in mask[mask].index:
            cell.append((int(excel[idx]), pos, make(int(excel[idx]), idx)))

    for pos, c in enumerate(t.columns):
        d = column_details(c)
        if c.name not in raw.columns:
            typed[c.name] = pd.Series([None] * len(raw), index=raw.index, dtype=object)
            continue
        text, empty, bad, values = _parse(raw[c.name], c)
        typed[c.name] = values
        if c.required:
            add(empty, pos, lambda r, i, d=d: problem(file, r, c.name, text[i], "required_empty", t.name, **d))
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
                return problem(file, r, c.name, v, code, t.name, hint_zh=hz, hint_en=he, **d)
            add(bad, pos, type_problem)
        if c.allowed:
            out = ~empty & ~text.isin(list(c.allowed))
            add(out, pos, lambda r, i, d=d: problem(file, r, c.name, text[i], "not_allowed", t.name,
                                                    allowed=tuple(c.allowed), **d))
        if c.type in ("DOUBLE", "INTEGER"):
            num = values.astype("float64")
            for limit, code, cmp in ((c.min, "below_min", num.lt), (c.max, "above_max", num.gt)):
                if limit is not None:
                    add(cmp(limit).fillna(False).astype(bool), pos,
                        lambda r, i, limit=limit, code=code, d=d: problem(
                            file, r, c.name, text[i].strip(), code, t.name, limit=f"{limit:g}",
                            **dict(zip(("hint_zh", "hint_en"), _limit_hint(c, num[i]))), **d))
        if c.name == "source":
            ok = text.map(lambda v: bool(_SOURCE.match(v)) and schema.data_kind(v) in schema.DATA_KINDS)
            add(~empty & ~ok.astype(bool), pos, lambda r, i: problem(
                file, r, c.name, text[i], "bad_source", t.name, kinds=tuple(schema.DATA_KINDS)))
        if (t.name, c.name) in PATTERNS:
            pattern, what_zh, what_en = PATTERNS[(t.name, c.name)]
            add(~empty & ~text.str.fullmatch(pattern).astype(bool), pos, lambda r, i, d=d: problem(
                file, r, c.name, text[i], "pattern", t.name, what_zh=what_zh, what_en=what_en, **d))
        if c.type == "DATE" and c.name.endswith("_end"):
            start = c.name[: -len("_end")] + "_start"
            if start in t.column_names and start in raw.columns:
                sc = t.column(start)
                early = (values < typed[start]).fillna(False).astype(bool)
                add(early, pos, lambda r, i, d=d, sc=sc: problem(
                    file, r, c.name, text[i], "period_order", t.name, start=typed[start][i].date().isoformat(),
                    start_zh=f"{sc.zh}（{sc.name}）", start_en=f"{sc.en} ({sc.name})", **d))
    # duplicate keys within the file
    typed = pd.DataFrame(typed, index=raw.index)
    # (a key column left out of the file is empty on every row: still part of the key)
    if len(raw) and all(k in raw.columns for k in t.key if t.column(k).required):
        keys = key_strings(typed, t)
        first = {}
        for k, row in zip(keys.tolist(), excel.tolist()):  # lists: a Series lookup per row is slow
            if k in first:
                cell.append((row, 0, problem(
                    file, row, ",".join(t.key), k, "duplicate_key", t.name,
                    key=", ".join(t.key), other_row=first[k])))
            else:
                first[k] = row
    cell.sort(key=lambda x: (x[0], x[1]))
    typed["row_"] = excel
    return typed, problems + [p for _, _, p in cell]


def key_strings(typed: pd.DataFrame, t: schema.Table) -> pd.Series:
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


def check_bytes(filename: str, data: bytes, utf8_only: bool, table: schema.Table | None
                ) -> tuple[Checked | None, list[Problem]]:
    """(the typed rows, or None when the file cannot be read at all; the header and cell problems) of one
    file's bytes; ``table`` None: told from ``filename``. ``utf8_only``: a GB18030 CSV is a problem."""
    t = table or table_of(filename)
    if t is None:
        return None, [problem(filename, None, None, None, "unknown_table",
                              tables=tuple(schema.TABLE_BY_NAME))]
    raw, excel_rows, problems = read_bytes(filename, data, utf8_only)
    if raw is None:
        return None, [replace(p, table=t.name) for p in problems]
    typed, more = check_frame(t, raw, filename, excel_rows)
    problems = [replace(p, table=t.name) for p in problems] + more
    return Checked(t, filename, typed), problems


def check_file(path: pathlib.Path, shown: str, utf8_only: bool, table: schema.Table | None = None
               ) -> tuple[Checked | None, list[Problem]]:
    """`check_bytes` of the file at ``path``, named ``shown`` in its problems."""
    return check_bytes(shown, path.read_bytes(), utf8_only, table)
