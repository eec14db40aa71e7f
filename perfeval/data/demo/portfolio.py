"""The demonstration portfolio: one fictional city, twelve districts, three years, three kinds of project.

Three real reports cannot show how districts compare, so the product ships a clearly marked, made-up
portfolio beside them (docs/demo-data.md). Everything here is fictional and says so:

- the place is 示例省 / 示例市 / 示例一区 … 示例十二区, region codes 99xxxx (no real province uses 99);
- every unit, vendor and evaluator name starts with 示例;
- every row's ``source`` is ``demo:example-city`` and a ``documents`` row of kind ``demo`` describes it,
  so the views mark the rows ``data_kind = 'demo'`` and the sidebar switch can hide them.

The projects are shaped like the seeds: a 福田-like 蓝马甲 propaganda team with the full three-level
tree and the seeds' rule types (rules written to ``indicator_rules`` in the scoring engine's format), a
天津-like technical anti-fraud service with sub-projects and vendor payments (level 1, sometimes level 2),
and a 天水-like informatization build with build items (total only, or five level-1 dimensions).
Quality varies on purpose: weak execution, missing surveys, partial trees, and a few inconsistencies an
audit should catch (listed in `PLANTED` and docs/demo-data.md).

`generate()` is a pure function of the seed: the same seed gives the same rows. The generated Parquet
files are committed under data/demo/, so running the app needs no generation step; a test regenerates
them and compares. Regenerate with ``python -m perfeval demo [--out data/demo]`` (perfeval.cli.imports).

Which module holds what:

- ``perfeval.data.demo.places``  the place, its districts (`DISTRICTS`), `SOURCE`, `YEARS`, the rounding and the
                                 helpers that draw from a project's seeded generator;
- ``perfeval.data.demo.rows``    `Rows` and the rows every kind of project adds (project row, money figures,
                                 findings);
- ``perfeval.data.demo.team``, ``tech``, ``build``  each kind of project's rows;
- ``perfeval.data.demo.portfolio``         `PLANTED`, one seeded generator per district, year and kind (`generate_arrow`,
                                 `generate`) and the Parquet files (`arrow_schema`, `write_demo`).
"""
from __future__ import annotations

import os
import pathlib
import tempfile

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from perfeval import config
from perfeval.data import schema
from perfeval.data.demo.build import build_project
from perfeval.data.demo.places import DISTRICTS, SOURCE, YEARS
from perfeval.data.demo.rows import TABLES, Rows
from perfeval.data.demo.team import team_project
from perfeval.data.demo.tech import tech_project

__all__ = ["SEED", "SOURCE", "DEFAULT_DIR", "YEARS", "TABLES", "DISTRICTS", "PLANTED", "arrow_schema",
           "generate_arrow", "generate", "write_demo"]

SEED = 20240917
DEFAULT_DIR = config.BUNDLED_DATA / "demo"

# Inconsistencies put in on purpose, for the audit to find: (project_id, what, where).
PLANTED: tuple[tuple[str, str, str], ...] = (
    ("demo-990105-team-2023", "indicator score above its rule: B12 预算执行率 reported 5, the rule gives rate × 5",
     "indicators / indicator_rules B12"),
    ("demo-990108-team-2024", "reported total differs from the sum of the level-1 scores (digits swapped)",
     "projects.reported_total_score"),
    ("demo-990106-team-2023", "reported grade 优 for a total below 90", "projects.reported_grade"),
    ("demo-990106-tech-2023", "payments add up to more than the spending (one payment entered twice)",
     "payments"),
    ("demo-990102-team-2024", "stated satisfaction rate differs from the 5-level counts", "surveys"),
    ("demo-990103-tech-2023", "stated execution rate differs from spent / received", "figures execution_rate"),
    ("demo-990107-team-2022", "a veto item holds: funds diverted (挪用), B13 scores 0", "indicator_rules B13"),
)


def _arrow_type(t: str) -> pa.DataType:
    return {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "INTEGER": pa.int32(), "DATE": pa.date32(),
            "BOOLEAN": pa.bool_()}[t]


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a lake table, from perfeval.data.schema (the types the Parquet files carry)."""
    return pa.schema([pa.field(c.name, _arrow_type(c.type)) for c in schema.table(table).columns])


def generate_arrow(seed: int = SEED) -> dict[str, pa.Table]:
    """Every demo table as an Arrow table with the schema's types (same seed → same rows)."""
    rows = Rows()
    rows.add("documents", source=SOURCE, kind="demo", title="示例市反诈与治安防控项目绩效评价示例数据（虚构）",
             file="perfeval/data/demo/portfolio.py", author="perfeval 示例数据生成器",
             note=f"虚构城市（示例省/示例市，区划代码 99xxxx）的演示数据，随机种子 {seed}；不是真实评价结果。")
    kinds = {"team": 0, "tech": 1, "build": 2}
    for d in DISTRICTS:
        for year in YEARS:
            team_project(rows, d, year, np.random.default_rng([seed, d.index, year, kinds["team"]]))
            if d.tech and not (d.index == 12 and year == 2022):
                tech_project(rows, d, year, np.random.default_rng([seed, d.index, year, kinds["tech"]]))
            if d.build_year == year:
                build_project(rows, d, year, np.random.default_rng([seed, d.index, year, kinds["build"]]))
    return {name: pa.Table.from_pylist(rows.rows[name], schema=arrow_schema(name)) for name in TABLES}


def generate(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Every demo table as a DataFrame (columns in the schema's order)."""
    return {name: t.to_pandas() for name, t in generate_arrow(seed).items()}


def write_demo(path: str | os.PathLike = DEFAULT_DIR, seed: int = SEED) -> list[pathlib.Path]:
    """Write one ``<table>.parquet`` per table into ``path`` (each file replaced atomically)."""
    out = pathlib.Path(path)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in generate_arrow(seed).items():
        target = out / f"{name}.parquet"
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
        os.close(fd)
        pq.write_table(table, tmp, compression="zstd")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        written.append(target)
    return written
