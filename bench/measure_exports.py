"""The import of a workbook and the slide-deck export.

- ``import_workbook`` (10 000 projects only, as the issue sets it): the generated lake's projects with
  their indicators, budget, targets, outcomes and surveys written as one import workbook (one sheet per
  table, the rows' ``generated:`` source and its documents row kept, so they stay marked as generated
  data), then ``perfeval.data.imports.ingest.stage`` + ``commit`` into a fresh copy of the bundled data/. Baseline: the
  same workbook read with ``pandas.read_excel(sheet_name=None)`` (openpyxl), what a typical Streamlit app
  does with an upload, without any check or write. Target: ≤ 15 s.
- ``pptx_export_warm``: the overview's 10-slide deck (``perfeval.decks.portfolio.portfolio_deck``, every project,
  zh) with its queries already answered (the page's query cache; here a dict), median of 3. Baseline: the
  same deck with its queries run (``pptx_export_cold``, a new Lake whose roll-up exists). Target: ≤ 5 s.
  ``pptx_project_warm``: one project's deck the same way (no target; for the record).
"""
from __future__ import annotations

import pathlib
import shutil
import statistics
import tempfile
import time

import openpyxl
import pyarrow.parquet as pq

from bench.results import Entry
from perfeval.data import schema
from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake

ROOT = pathlib.Path(__file__).resolve().parents[1]
IMPORT_N = 10_000
IMPORT_TARGET_S = 15.0
DECK_TARGET_S = 5.0
SHEETS = ("documents", "projects", "indicators", "budget", "targets", "outcomes", "surveys")
FILTERS = {"region": None, "year_from": None, "year_to": None, "category": None, "evaluator_type": None}


def workbook(lake: pathlib.Path) -> pathlib.Path:
    """The generated lake as an import workbook (made once, kept beside the lake as ``import.xlsx``)."""
    out = lake / "import.xlsx"
    if out.exists():
        return out
    wb = openpyxl.Workbook(write_only=True)
    for name in SHEETS:
        files = sorted((lake / "lake" / name).rglob("*.parquet"))
        present = set(pq.read_schema(files[0]).names) if files else set()
        cols = [c for c in schema.table(name).column_names if c in present]
        ws = wb.create_sheet(name)
        ws.append(cols)
        for f in files:
            t = pq.read_table(f, columns=cols)
            for row in zip(*(t.column(c).to_pylist() for c in cols)):
                ws.append(row)
    tmp = out.with_name(".import.xlsx.tmp")
    wb.save(tmp)
    tmp.replace(out)
    return out


def measure_import(lake: pathlib.Path, n: int, log=print) -> list[Entry]:
    import pandas as pd

    from perfeval.data.imports import ingest

    t0 = time.perf_counter()
    book = workbook(lake)
    log(f"  workbook {book.stat().st_size / 2**20:.1f} MB (made or found in {time.perf_counter() - t0:.0f} s)")
    data = book.read_bytes()
    with tempfile.TemporaryDirectory(prefix="perfeval-import-") as tmp:
        target = pathlib.Path(tmp) / "data"
        shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("_derived"))
        t0 = time.perf_counter()
        staged = ingest.stage(book.name, data, target)
        t_stage = time.perf_counter() - t0
        if not staged.ok:
            return [Entry("import_workbook", n, None, "s", None, None, target=f"≤ {IMPORT_TARGET_S:g} s", met=False,
                          note=f"FAILED: {len(staged.problems)} problems, first {staged.problems[0].location()} "
                               f"{staged.problems[0].message_en}")]
        batch = ingest.commit(staged, target)
        total = time.perf_counter() - t0
    rows = sum(batch.rows.values())
    log(f"  import: stage {t_stage:.1f} s, total {total:.1f} s, {rows:,} rows")
    t0 = time.perf_counter()
    frames = pd.read_excel(book, sheet_name=None, engine="openpyxl")
    base = time.perf_counter() - t0
    log(f"  pandas.read_excel (openpyxl): {base:.1f} s, {sum(len(f) for f in frames.values()):,} rows")
    return [Entry("import_workbook", n, total, "s", "pandas.read_excel (openpyxl), no checks", base,
                  target=f"≤ {IMPORT_TARGET_S:g} s", met=total <= IMPORT_TARGET_S,
                  note=f"{rows:,} rows in {len(batch.rows)} tables ({book.stat().st_size / 2**20:.1f} MB); "
                       f"checks {t_stage:.1f} s, write {total - t_stage:.1f} s; into a copy of data/")]


def _memo(gate: DataGate):
    """q(name, **params) through the gate, each answer kept (as the pages' query cache keeps it)."""
    scope, seen = Scope.everything(), {}

    def q(name, **params):
        key = (name, tuple(sorted(params.items())))
        if key not in seen:
            seen[key] = gate.query(name, scope, **params)
        return seen[key]
    return q


def measure_decks(lake: pathlib.Path, n: int, project_id: str, log=print, runs: int = 3) -> list[Entry]:
    from perfeval.decks.portfolio import portfolio_deck
    from perfeval.decks.project import project_deck

    Lake(lake).connection()  # the roll-up exists (the app's warmer or first visitor made it)

    def cold_warm(make) -> tuple[bytes, float, float]:
        """make(q) on a new gate (queries run), then the median of ``runs`` more with them answered."""
        q = _memo(DataGate(Lake(lake)))
        t0 = time.perf_counter()
        data = make(q)
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(runs):
            t0 = time.perf_counter()
            make(q)
            warm.append(time.perf_counter() - t0)
        return data, cold, statistics.median(warm)

    slides, cold, w = cold_warm(lambda q: portfolio_deck(q, FILTERS, "zh"))
    _, p_cold, pw = cold_warm(lambda q: project_deck(q, project_id, "zh"))
    log(f"  portfolio deck: cold {cold:.2f} s, warm {w:.2f} s ({len(slides) / 1024:.0f} KB); "
        f"project deck: cold {p_cold:.2f} s, warm {pw:.2f} s")
    return [
        Entry("pptx_export_warm", n, w, "s", "pptx_export_cold (queries run)", cold, target=f"≤ {DECK_TARGET_S:g} s",
              met=w <= DECK_TARGET_S, note=f"10 slides, every project, zh; median of {runs}; {len(slides) / 1024:.0f} KB"),
        Entry("pptx_export_cold", n, cold, "s", None, None,
              note="the same deck with its queries run on a new Lake (roll-up built)"),
        Entry("pptx_project_warm", n, pw, "s", "pptx_project_cold (queries run)", p_cold,
              note=f"one project's deck ({project_id}), zh; median of {runs}"),
    ]
