"""Each queries/*.sql over a lake, cold and warm, through the data gate (as the pages run them).

Each variant runs in a child process with a memory and a time limit (a query that would take the machine
down is reported as failed). First the lake's indicator roll-up is built from nothing, timed apart
(``indicator_rollup_build``: a new Lake's build less the build of one that finds the file). cold: a new Lake
(its views built first, timed apart as ``lake_build``), then the query's first run;
warm: the median of the next runs on the same Lake. Parameters: the sidebar's "everything" (NULL
filters) and, where a query takes them, a project of the lake, its year, level 1 and an outcome metric
it has. A query whose header says ``$project_id (NULL = every selected project)`` is also run for every
project (``:all``), as its page does before a project is picked.
"""
from __future__ import annotations

import pathlib
import re
import shutil
import statistics
import time

from bench.results import Entry
from perfeval.data.gate import DataGate, Scope, query_parameters, query_text
from perfeval.data.lake import DERIVED_DIR, QUERIES, Lake

COLD_TARGET_S = 0.5


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.sql") if not p.name.startswith("_"))


def sample_params(lake: pathlib.Path) -> dict:
    """Sensible parameter values taken from the lake itself (through the gate)."""
    g = DataGate(Lake(lake))
    sc = Scope.everything()
    # a project with money, outcomes and a survey, so that every project page has something to draw
    # (30 % of the generated projects have no survey: their satisfaction page says 未开展 and has no chart)
    row = g.run_sql("SELECT p.project_id, year(p.period_start) AS year FROM projects p "
                    "JOIN project_money m USING (project_id) "
                    "WHERE p.project_id IN (SELECT project_id FROM surveys) "
                    "AND p.project_id IN (SELECT project_id FROM outcomes) ORDER BY p.project_id LIMIT 1", sc)
    metric = g.run_sql("SELECT metric_key, count(*) AS n FROM outcomes GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1", sc)
    # list parameters as the compare page passes them: the projects of its 8 largest districts (a few
    # hundred ids), and those districts
    top = g.run_sql("SELECT region_code FROM projects GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 8", sc)
    codes = [str(c) for c in top.region_code]
    ids = g.run_sql("SELECT project_id FROM projects WHERE list_contains($codes, region_code) ORDER BY 1", sc,
                    {"codes": codes})
    return {"project_id": str(row.project_id[0]), "year": int(row.year[0]), "level": 1,
            "project_ids": [str(i) for i in ids.project_id], "region_codes": codes, "limit": 200, "search": None,
            "metric_key": str(metric.metric_key[0]) if len(metric) else None,
            "region": None, "year_from": None, "year_to": None, "category": None, "evaluator_type": None}


def variants(name: str, sample: dict) -> list[tuple[str, dict]]:
    sql = query_text(name)
    params = {p: sample.get(p) for p in query_parameters(sql)}
    out = [(name, params)]
    if "project_id" in params and re.search(r"\$project_id\s*\(NULL", sql):
        out.append((name + ":all", {**params, "project_id": None}))
    return out


MEMORY_LIMIT = 6 * 2**30  # per query process: a query that needs more fails instead of the machine
TIME_LIMIT_S = 120


def _one(lake: str, name: str, params: dict, warm_runs: int) -> dict:
    """Time one query variant in this process (run by measure in a child process)."""
    t0 = time.perf_counter()
    l = Lake(lake)
    l.connection()
    build = time.perf_counter() - t0
    g = DataGate(l)
    sc = Scope.everything()
    t0 = time.perf_counter()
    df = g.query(name, sc, **params)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(warm_runs):
        t0 = time.perf_counter()
        g.query(name, sc, **params)
        warm.append(time.perf_counter() - t0)
    return {"build": build, "cold": cold, "warm": statistics.median(warm), "rows": len(df)}


def _rollup(lake: str) -> dict:
    """Build the lake's indicator roll-up from nothing (perfeval.data.lake.Lake.indicator_nodes_file): the time a
    new Lake takes over what it takes once the file exists, and this process's peak memory."""
    import resource

    t0 = time.perf_counter()
    Lake(lake).connection()
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    Lake(lake).connection()
    again = time.perf_counter() - t0
    return {"build": first - again, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child(lake, name, params, warm_runs, conn):
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    try:
        conn.send(_rollup(lake) if name is None else _one(lake, name, params, warm_runs))
    except BaseException as e:  # noqa: BLE001 - reported, not raised
        conn.send({"error": f"{type(e).__name__}: {' '.join(str(e).split())[:120]}"})


def _in_child(ctx, lake: str, name: str | None, params: dict | None, warm_runs: int) -> dict:
    """_child's answer (a query variant, or the roll-up's build for name None), or an error after
    TIME_LIMIT_S."""
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(lake, name, params, warm_runs, send))
    proc.start()
    r = recv.recv() if recv.poll(TIME_LIMIT_S) else {"error": f"no result within {TIME_LIMIT_S} s"}
    proc.kill() if proc.is_alive() else None
    proc.join()
    return r


def measure(lake: pathlib.Path, n: int, warm_runs: int = 3, log=print) -> list[Entry]:
    """Each query variant in a child process with a memory and a time limit."""
    import multiprocessing as mp

    sample = sample_params(lake)
    entries: list[Entry] = []
    builds = []
    # children forked from a clean server process: forked from this one, they would inherit its address
    # space (a lake generated in this run is gigabytes of it) and meet the RLIMIT_AS limit early
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["perfeval.data.lake", "bench.measure_queries"])
    # the indicator roll-up, built once per version of the indicator files and kept under _derived/
    # (every cold query below finds it, as every process after the first does)
    shutil.rmtree(lake / DERIVED_DIR, ignore_errors=True)
    r = _in_child(ctx, str(lake), None, None, 0)
    if "error" in r:
        entries.append(Entry("indicator_rollup_build", n, None, "s", None, None, note=f"FAILED ({r['error']})"))
    else:
        entries.append(Entry("indicator_rollup_build", n, r["build"], "s", None, None,
                             note=f"peak memory of the building process {r['rss_mb']:,.0f} MB"))
    log(f"  indicator roll-up built: {r}")
    for name in query_names():
        for label, params in variants(name, sample):
            r = _in_child(ctx, str(lake), name, params, warm_runs)
            if "error" in r:
                note = f"FAILED ({r['error']}; limits {MEMORY_LIMIT / 2**30:.0f} GB, {TIME_LIMIT_S} s)"
                entries.append(Entry(f"query_cold:{label}", n, None, "s", "same query warm", None,
                                     target=f"≤ {COLD_TARGET_S} s", met=False, note=note))
                log(f"  {label:34s} {note}")
                continue
            builds.append(r["build"])
            entries.append(Entry(f"query_cold:{label}", n, r["cold"], "s", "same query warm", r["warm"],
                                 target=f"≤ {COLD_TARGET_S} s", met=r["cold"] <= COLD_TARGET_S,
                                 note=f"{r['rows']} rows"))
            entries.append(Entry(f"query_warm:{label}", n, r["warm"], "s", None, None, note=f"{r['rows']} rows"))
            log(f"  {label:34s} cold {r['cold']:7.3f} s  warm {r['warm']:7.3f} s  rows {r['rows']}")
    entries.append(Entry("lake_build", n, statistics.median(builds), "s", None, None,
                         note=f"new Lake + views, median of {len(builds)}; files: {len(Lake(lake).data_files())}"))
    return entries
