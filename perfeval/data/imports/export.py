"""The lake's rows written back as the import template (``template_workbook``'s layout): the exporter a
finance user asks for ("give me what you hold, in the form I fill in"), and the first half of the
round trip the tests make (lake → template → import into an empty lake → the same query results).

`template_from_tables` fills a fresh template (help sheet, header comments, drop-down lists kept) with
the rows given, one sheet per table in `IMPORT_TABLES` order, row 1 the column names; each cell is typed
as the schema says (numbers as numbers, dates as dates, true/false as booleans, text as text) and a value
the data do not hold stays an empty cell (never 0, never ``None``). `export_workbook` reads the rows
through the data gate, for the viewer's scope and, when given, a set of projects: their rows in every
table keyed by project, the documents their sources name and the vendor aliases their payments use.
The catalogues are never exported: the grade bands (an import refuses them) and the bundled outcome
metrics (only metrics a batch added are, on the template's 新增成效指标 sheet).
"""
from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping

import pandas as pd

from perfeval.data import schema
from perfeval.data.imports.reading import IMPORT_TABLES
from perfeval.data.imports.template import header, sheet_name, template_workbook


def _cell(value, kind: str):
    """A value of a schema column of type ``kind`` as the cell openpyxl writes (None = empty cell)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if kind == "VARCHAR":
        return str(value)
    if kind == "DOUBLE":
        return float(value)
    if kind == "INTEGER":
        return int(value)
    if kind == "BOOLEAN":
        return bool(value)
    if kind == "DATE":
        if isinstance(value, pd.Timestamp):
            return value.date()
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value)[:10])
    return value


def template_from_tables(tables: Mapping[str, pd.DataFrame], lang: str = "zh") -> bytes:
    """The import template (`template_workbook`) with the rows of ``tables`` (table name → rows with the
    schema's column names; other columns, such as the views' ``data_kind``, are left out) filled in
    from row 2 of each table's sheet. Tables not in `IMPORT_TABLES` raise ValueError."""
    from openpyxl import load_workbook

    unknown = sorted(set(tables) - set(IMPORT_TABLES))
    if unknown:
        raise ValueError(f"不可导入的表 / tables an import does not take: {', '.join(unknown)}")
    wb = load_workbook(io.BytesIO(template_workbook(lang)))
    for name in IMPORT_TABLES:
        df = tables.get(name)
        if df is None or df.empty:
            continue
        t = schema.table(name)
        ws = wb[sheet_name(name, lang)]
        heads = {cell.value: cell.column for cell in ws[1] if cell.value is not None}
        where = {c.name: heads[header(c, lang)] for c in t.columns if header(c, lang) in heads}
        cols = [c for c in t.columns if c.name in df.columns and c.name in where]
        for i, row in enumerate(df[[c.name for c in cols]].itertuples(index=False, name=None), start=2):
            for c, v in zip(cols, row):
                value = _cell(v, c.type)
                if value is not None:
                    cell = ws.cell(row=i, column=where[c.name], value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # text that starts with "=" (a note), not a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_tables(table, projects: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """The rows to export: ``table(name)`` gives a table's rows (e.g. ``lambda n: gate.table(n, scope)``);
    with ``projects``, only their rows and the vendor aliases of the vendors their payments name. The
    documents are those the exported rows' sources name."""
    wanted = None if projects is None else set(projects)
    out: dict[str, pd.DataFrame] = {}
    for name in IMPORT_TABLES:
        if name in ("documents", "vendor_aliases"):
            continue
        df = table(name)
        if wanted is not None and "project_id" in df.columns:
            df = df[df["project_id"].isin(wanted)]
        out[name] = df.reset_index(drop=True)
    aliases = table("vendor_aliases")
    docs = table("documents")
    if "metrics" in out:  # the catalogue's own metrics stay central: only those the lake's batches added
        catalogue = set(docs.loc[docs.get("source_type", pd.Series(dtype=str)) == "catalog", "source"])
        catalogue |= {s for s in out["metrics"]["source"].dropna() if str(s).startswith("report:catalog")}
        out["metrics"] = out["metrics"][~out["metrics"]["source"].isin(catalogue)].reset_index(drop=True)
    if wanted is not None:
        vendors = set(out["payments"]["vendor"].dropna()) if "payments" in out else set()
        aliases = aliases[aliases["vendor"].isin(vendors) | aliases["alias"].isin(vendors)]
    # the documents the exported rows name (not the catalogues' own, which an import refuses)
    sources = {s for df in out.values() if "source" in df.columns for s in df["source"].dropna()}
    sources |= set(aliases["source"].dropna())
    docs = docs[docs["source"].isin(sources)]
    out["vendor_aliases"] = aliases.reset_index(drop=True)
    out["documents"] = docs.reset_index(drop=True)
    return out


def export_workbook(gate, scope, projects: Iterable[str] | None = None, lang: str = "zh") -> bytes:
    """What the lake holds for ``scope`` (and ``projects``, when given) as a filled import template."""
    return template_from_tables(export_tables(lambda n: gate.table(n, scope), projects), lang)
