"""Check data files against perfeval.data.schema and say exactly what is wrong, in Chinese and English.

Everything is driven by the table declarations of ``perfeval.data.schema``; a table appended there is
checked with no change here. The checks, in order, and the module that holds each:

1. the file (perfeval.data.validation.files): bytes decode as UTF-8 (with or without BOM) or GB18030/GBK —
   anything else is rejected; CSV syntax; Parquet readable; the table is known from the file name
   (``<table>.csv``, ``<table>.parquet`` or a Parquet file under a ``<table>/`` folder, as
   perfeval.data.lake.Lake reads them);
2. the header (perfeval.data.validation.checks): unknown columns (the lake would drop them silently), missing
   required columns, repeated names;
3. each cell (perfeval.data.validation.checks): required and empty, type (number, integer, ISO date, boolean —
   accepted only where DuckDB's cast in the views accepts the same text), allowed values, min / max,
   ``source`` of the form ``<kind>:<name>`` with a kind of ``schema.DATA_KINDS``, a few column patterns;
4. rows together (perfeval.data.validation.cross): duplicate keys within a file and across the lake, references
   (project_id, subproject_id, indicator_code, metric_key, source → documents), outcome units equal
   to the metric catalogue's, and the rules of single tables (``cross.RULES``: budget per sub-project
   *or* whole project, indicator parents, figure scopes, document kinds).

Every problem is a `Problem` (perfeval.data.validation.problems) with the file, the row as a person sees it in
Excel (the header is row 1, the first data row is row 2; the same numbering for Parquet), the column,
the value and a message in both languages. This module holds the entry points: `validate_bytes` (one
uploaded file), `validate_file`, `validate_folder`, and their `Report`. Nothing is ever written: the
functions read bytes and DataFrames and return problems, so that the upload page can reuse
`validate_bytes` on what a person uploads.
"""
from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass, field

import pandas as pd

from perfeval.data import schema
from perfeval.data.validation.checks import Checked, check_bytes
from perfeval.data.validation.cross import LakeIndex, cross_check
from perfeval.data.validation.files import is_within, lake_files, table_of
from perfeval.data.validation.problems import Problem, new_problems


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
    checked, problems = check_bytes(filename, data, utf8_only, schema.table(table) if table else None)
    if checked is None:
        return None, problems
    problems += new_problems(problems, cross_check([checked], context))
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
        c, problems = check_bytes(str(base / rel), p.read_bytes(), True, table)
        report.files += 1
        report.problems += problems
        paths.append(p)
        if c is not None:
            checked.append(c)
            report.rows += len(c.frame)
    context = _EmptyContext() if whole else LakeIndex(lake, exclude=paths)
    report.problems += new_problems(report.problems, cross_check(checked, context))
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
    inside = lake is not None and is_within(path, pathlib.Path(lake))
    context = LakeIndex(lake, exclude=[path]) if lake is not None else None
    t = schema.table(table) if table else None
    if inside and t is None:
        t = table_of(path.resolve().relative_to(pathlib.Path(lake).resolve()))
    checked, problems = check_bytes(shown or str(path), path.read_bytes(), inside, t)
    report = Report(problems=problems, files=1)
    if checked is not None:
        report.rows = len(checked.frame)
        report.problems += new_problems(report.problems, cross_check([checked], context))
    report.problems = _sorted(report.problems)
    return report
