"""Reading one data file: its bytes decoded (UTF-8 or GB18030), parsed as CSV or Parquet into text
cells with the Excel row of each record, and the table it holds told from its name; paths as people read them.

File-level problems (encoding, CSV syntax, an unreadable Parquet file) come back as `Problem`s.
"""
from __future__ import annotations

import csv
import io
import os
import pathlib

import pandas as pd

from perfeval.data import schema
from perfeval.data.validation.problems import Problem, problem


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
        return None, [], [problem(file, None, None, None, "decode")]
    problems = []
    if utf8_only and encoding != "utf-8":
        problems.append(problem(file, None, None, encoding, "encoding_not_utf8"))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        return None, [], problems + [problem(file, None, None, None, "csv_syntax", detail=str(e))]
    if not records or not any(f.strip() for f in records[0]):
        return None, [], problems + [problem(file, None, None, None, "empty_file")]
    header = list(records[0])  # not stripped: DuckDB would not strip " year" either
    rows, excel_rows = [], []
    for i, rec in enumerate(records[1:], start=2):
        if not any(f.strip() for f in rec):
            continue  # a blank line: nothing to check, nothing the lake reads
        if len(rec) != len(header):
            problems.append(problem(file, i, None, None, "field_count", found=len(rec), expected=len(header)))
            rec = (rec + [""] * len(header))[: len(header)]
        rows.append(rec)
        excel_rows.append(i)
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.append(problem(file, 1, h, h, "duplicate_column"))
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
        return None, [], [problem(file, None, None, None, "parquet_unreadable", detail=str(e)[:200])]
    return df.reset_index(drop=True), list(range(2, len(df) + 2)), []


def read_bytes(filename: str, data: bytes, utf8_only: bool = False):
    """(raw DataFrame or None, Excel row numbers, problems) of a CSV or Parquet file's bytes."""
    if str(filename).lower().endswith(".parquet"):
        return _read_parquet(filename, data)
    return _read_csv(filename, data, utf8_only)


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


def is_within(path: pathlib.Path, folder: pathlib.Path) -> bool:
    """Whether ``path`` lies inside ``folder`` (both resolved)."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False
