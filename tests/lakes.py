"""Tiny lakes for tests: CSV files written with the schema's columns (empty cell = not reported)."""
from __future__ import annotations

import csv
import pathlib

from perfeval.data import schema


def write_table(root: pathlib.Path, rel: str, table: str, rows: list[dict]) -> None:
    """Write ``rows`` as root/rel, a CSV of table ``table`` with every schema column in order."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    cols = schema.table(table).column_names
    unknown = {k for r in rows for k in r} - set(cols)
    assert not unknown, f"{table}: {unknown}"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for r in rows:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in cols])
