"""The three heaviest page computations done the way a typical Streamlit app does them (pandas over
DataFrames read from the Parquet files), against ours (queries/*.sql through the data gate).

- overview_projects: every selected project with its money totals and rates (总览);
- compare_indicators (level 1): each project's level-1 scores rolled up from its tree (地区对比);
- district_summary: per region, projects, scores, grades, money, outcome per 万元, satisfaction (地区对比, 总览).

pandas warm: the DataFrames already in memory (a typical app caches the load with st.cache_data) and only
the computation timed; pandas cold: read_parquet + computation. Ours warm: the query on a built Lake
(DuckDB reads the Parquet each time). Each pandas result is checked against ours (same rows, same sums),
so the two do the same work. Memory: the resident size the loaded DataFrames add.
"""
from __future__ import annotations

import gc
import pathlib
import statistics
import time

import numpy as np
import pandas as pd

from bench.results import Entry
from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake

FILTERS = {"region": None, "year_from": None, "year_to": None, "category": None, "evaluator_type": None}
TARGET = 3.0


def _rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def load(lake: pathlib.Path) -> dict[str, pd.DataFrame]:
    """The tables the three computations read, as one DataFrame each (all Parquet files of the table)."""
    out = {}
    for t in ("projects", "budget", "indicators", "outcomes", "surveys"):
        files = sorted((lake / "lake" / t).rglob("*.parquet"))
        out[t] = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    return out


def overview_projects(d: dict) -> pd.DataFrame:
    b = d["budget"]
    m = b.groupby("project_id").agg(initial_budget=("initial_budget", "sum"),
                                    adjusted_budget=("adjusted_budget", lambda s: s.sum(min_count=1)),
                                    received=("received", "sum"), spent=("spent", "sum"))
    m["budget"] = m["adjusted_budget"].fillna(m["initial_budget"])
    p = d["projects"].merge(m, left_on="project_id", right_index=True, how="left")
    p["arrival_rate"] = p["received"] / p["budget"].replace(0, np.nan)
    p["execution_rate"] = p["spent"] / p["received"].replace(0, np.nan)
    return p.sort_values(["reported_total_score", "project_id"], ascending=[False, True])


def compare_indicators_level1(d: dict) -> pd.DataFrame:
    tree = d["indicators"]
    l3 = tree[tree["level"] == 3]
    kids3 = l3.groupby(["project_id", "parent_code"]).agg(w3=("weight", "sum"), s3=("reported_score", "sum"))
    l2 = tree[tree["level"] == 2].merge(kids3, left_on=["project_id", "code"], right_index=True, how="left")
    l2 = l2.assign(weight=l2["weight"].fillna(l2["w3"]), score=l2["reported_score"].fillna(l2["s3"]))
    kids2 = l2.groupby(["project_id", "parent_code"]).agg(w2=("weight", "sum"), s2=("score", "sum"))
    l1 = tree[tree["level"] == 1].merge(kids2, left_on=["project_id", "code"], right_index=True, how="left")
    l1 = l1.assign(weight=l1["weight"].fillna(l1["w2"]), score=l1["reported_score"].fillna(l1["s2"]))
    l1["score_rate"] = l1["score"] / l1["weight"].replace(0, np.nan)
    l1["indicator_key"] = l1["name"].str.replace(r"^项目", "", regex=True)
    return l1.sort_values(["project_id", "sort_order", "code"])


def district_summary(d: dict, metric_key: str) -> pd.DataFrame:
    p = overview_projects(d)
    o = d["outcomes"]
    o = o[o["metric_key"] == metric_key].groupby(["project_id", "year"], dropna=False)["value"].max()
    o = o.groupby(level=0).sum().rename("outcome_value")
    s = d["surveys"]
    s = s.assign(sat=s["satisfaction_rate"].fillna(s.get("satisfaction_score", np.nan) / 100))
    s = s.groupby("project_id")["sat"].mean().rename("satisfaction")
    pr = p.join(o, on="project_id").join(s, on="project_id")
    both = pr["received"].gt(0) & pr["spent"].notna()
    spent_pos = pr["spent"].gt(0)
    pr = pr.assign(rec_both=pr["received"].where(both), spent_both=pr["spent"].where(both),
                   out_pos=pr["outcome_value"].where(spent_pos),
                   spent_out=pr["spent"].where(spent_pos & pr["outcome_value"].notna()))
    for g in ("优", "良", "中", "差"):
        pr["g_" + g] = (pr["reported_grade"] == g).astype(int)
    g = pr.groupby("region_code").agg(
        projects=("project_id", "size"), scored=("reported_total_score", "count"),
        mean_score=("reported_total_score", "mean"), min_score=("reported_total_score", "min"),
        max_score=("reported_total_score", "max"), grade_you=("g_优", "sum"), grade_liang=("g_良", "sum"),
        grade_zhong=("g_中", "sum"), grade_cha=("g_差", "sum"), budget=("budget", "sum"),
        received=("received", "sum"), spent=("spent", "sum"), rec_both=("rec_both", "sum"),
        spent_both=("spent_both", "sum"), out_pos=("out_pos", "sum"), spent_out=("spent_out", "sum"),
        outcome_value=("outcome_value", "sum"), satisfaction=("satisfaction", "mean"),
        surveyed=("satisfaction", "count"))
    g["execution_rate"] = g["spent_both"] / g["rec_both"].replace(0, np.nan)
    g["outcome_per_wan"] = g["out_pos"] / g["spent_out"].replace(0, np.nan)
    return g.sort_values("mean_score", ascending=False)


def _median_time(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def measure(lake: pathlib.Path, n: int, runs: int = 3, log=print) -> list[Entry]:
    gate = DataGate(Lake(lake))
    sc = Scope.everything()
    metric = gate.run_sql("SELECT metric_key, count(*) AS n FROM outcomes GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1",
                          sc).metric_key[0]
    gc.collect()
    rss0 = _rss()
    t0 = time.perf_counter()
    frames = load(lake)
    load_s = time.perf_counter() - t0
    mem_mb = (_rss() - rss0) / 2**20
    cases = [
        ("overview_projects", lambda: overview_projects(frames),
         lambda: gate.query("overview_projects", sc, **FILTERS), "spent"),
        ("compare_indicators_level1", lambda: compare_indicators_level1(frames),
         lambda: gate.query("compare_indicators", sc, level=1, **FILTERS), "score"),
        ("district_summary", lambda: district_summary(frames, metric),
         lambda: gate.query("district_summary", sc, year=None, metric_key=metric, **FILTERS), "spent"),
    ]
    out = []
    for name, pandas_fn, ours_fn, check_col in cases:
        ours_fn()  # warm the Lake
        ours, ours_df = _median_time(ours_fn, runs)
        pw, pandas_df = _median_time(pandas_fn, runs)
        same = len(pandas_df) == len(ours_df) and np.isclose(pandas_df[check_col].sum(), ours_df[check_col].sum())
        note = "" if same else f"RESULTS DIFFER: pandas {len(pandas_df)} rows, ours {len(ours_df)}"
        out.append(Entry(f"pandas_warm:{name}", n, pw, "s", "ours (DuckDB query, warm)", ours,
                         target=f"≥ {TARGET:g} × ours", met=(pw / ours >= TARGET) and same,
                         note=note or "DataFrames in memory, computation only"))
        out.append(Entry(f"pandas_cold:{name}", n, pw + load_s, "s", "ours (DuckDB query, warm)", ours,
                         note="read_parquet of the tables + computation"))
        log(f"  {name:28s} pandas {pw:7.3f} s (+ load {load_s:.2f} s)  ours {ours:7.3f} s  "
            f"× {pw / ours:5.2f}  {'' if same else 'DIFFERENT RESULTS'}")
    out.append(Entry("pandas_memory", n, mem_mb, "MB", None, None,
                     note="resident memory added by the DataFrames of projects, budget, indicators, outcomes, surveys"))
    del frames
    gc.collect()
    return out
