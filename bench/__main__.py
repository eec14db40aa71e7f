"""The benchmarks: ``python -m bench`` (or ``make bench``). Not part of the test suite.

    python -m bench                       # 1 000, 10 000 and 100 000 projects (≈ 20 min on 2 cores)
    python -m bench --sizes 1000          # a quick run
    python -m bench --only queries,pages  # some of the measures
    python -m bench --sizes 100000 --only memory   # the app's peak memory after every page (≈ 20 s)

For each size: generate the lake if it is not there (bench/generate.py), compact it as an operator
would after loading batches (``python -m perfeval compact``; ``--no-compact`` measures the lake as
generated), then measure every query cold and warm, every page's rerun against its own shape floor (its
elements drawn with no work, bench/shape_app.py) and a new visitor's first run, the three heaviest
computations against pandas, the app's peak memory after every page, a cold browser's first chart per
page (direct and behind nginx) and 20 sessions at once. Writes bench/results.json (merged: sizes not run
keep their last entries) and the tables of docs/performance.md (between its bench markers; the text
around them is kept).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time

from bench import (
    generate,
    measure_browser,
    measure_exports,
    measure_memory,
    measure_pages,
    measure_pandas,
    measure_queries,
    report,
)
from bench.results import RESULTS, Entry, machine, write_json
from perfeval.data import compact
from perfeval.data.lake import Lake

MEASURES = ("queries", "pages", "pandas", "memory", "browser", "exports")
LAKE_MADE = ("generate_lake", "compact_lake")  # how a lake was made: measured only by the run that made it


def _log(msg: str) -> None:
    print(msg, flush=True)


def _kind(name: str) -> str:
    """The kind of a measure: its name up to the first colon (query_cold, browser_first_chart, …)."""
    return name.split(":", 1)[0]


def _without_old_methods(entries: list[dict]) -> list[dict]:
    """The entries without those of a measure made another way before, which the tables would show beside
    this one's as if alike: the pages' entries at a size whose pages were measured against the hello world
    and the hand-made overview shape (before each page had its own shape floor, bench/shape_app.py), and
    the app's peak memory from the browser visits that left pages unvisited."""
    floors = {e["n_projects"] for e in entries
              if e["name"].startswith("page_rerun:") and e.get("baseline_name") == measure_pages.FLOOR}
    return [e for e in entries
            if not (e["name"].startswith(("page_rerun:", "page_first_run")) and e["n_projects"] not in floors)
            and not (e["name"] == "app_peak_memory" and "probe" not in e.get("note", ""))]


def load_previous() -> tuple[list[dict], dict]:
    if not RESULTS.exists():
        return [], {}
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    return _without_old_methods(data.get("entries", [])), data.get("machine", {}).get("runs", {})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of projects")
    ap.add_argument("--only", default=",".join(MEASURES), help=f"comma-separated subset of {MEASURES}")
    ap.add_argument("--regenerate", action="store_true", help="regenerate the lakes even if present")
    ap.add_argument("--no-compact", action="store_true",
                    help="measure the lake as generated (province × year batches), without compacting it")
    ap.add_argument("--no-throttle", action="store_true", help="skip the throttled-network browser visits")
    a = ap.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",") if s]
    only = set(a.only.split(","))
    info = machine()
    t_start = time.perf_counter()
    _log(f"bench: sizes {sizes}, measures {sorted(only)}; {info['cores']} cores, {info['memory_gb']} GB, "
         f"load {info['load_average_at_start']}")

    previous, runs = load_previous()
    entries: list[Entry] = []
    for i, n in enumerate(sizes):
        t_n = time.perf_counter()
        lake = generate.LAKES / str(n)
        if a.regenerate or not (lake / "lake" / "projects").exists():
            t0 = time.perf_counter()
            generate.generate(n)
            entries.append(Entry("generate_lake", n, time.perf_counter() - t0, "s", None, None,
                                 note="bench/generate.py, vectorised"))
            _log(f"[{n}] lake generated in {entries[-1].value:.1f} s")
        stats = generate.rows_and_files(lake)
        files_note = f"{sum(f for _, f in stats.values())} Parquet files"
        if not a.no_compact and compact.plan(Lake(lake)):
            # what an operator does after loading batches (docs/deployment.md); the replaced files
            # move to <lake>/_archive, so the import layout can be put back by hand
            t0 = time.perf_counter()
            done = compact.compact(lake)
            entries.append(Entry("compact_lake", n, time.perf_counter() - t0, "s", None, None,
                                 note=f"python -m perfeval compact: {sum(d.files for d in done)} files "
                                      f"of {len(done)} tables → {len(done)}"))
            _log(f"[{n}] compacted in {entries[-1].value:.1f} s: {entries[-1].note}")
            stats = generate.rows_and_files(lake)
            files_note = f"{files_note} as generated, {sum(f for _, f in stats.values())} after compaction"
        elif not a.no_compact:
            files_note += " (compacted)"
        entries.append(Entry("lake_rows", n, float(sum(r for r, _ in stats.values())), "rows", None, None,
                             note=", ".join(f"{t} {r:,}" for t, (r, _) in stats.items()) + "; " + files_note))
        _log(f"[{n}] lake: {entries[-1].note}")
        sample = measure_queries.sample_params(lake)
        if "queries" in only:
            _log(f"[{n}] queries, cold and warm")
            entries += measure_queries.measure(lake, n, warm_runs=2, log=_log)
        if "pandas" in only:
            _log(f"[{n}] pandas-only against ours")
            entries += measure_pandas.measure(lake, n, log=_log)
        if "pages" in only:
            _log(f"[{n}] pages (AppTest): warm rerun against its shape floor, a new visitor's first run")
            entries += measure_pages.measure(lake, n, sample["project_id"], limit_s=180 if n >= 100_000 else 240,
                                             log=_log)
        if "memory" in only:
            _log(f"[{n}] the app's peak memory after every page (no browser)")
            entries += measure_memory.measure(lake, n, sample["project_id"], log=_log)
        if "exports" in only:
            _log(f"[{n}] slide decks" + (", import of a workbook" if n == measure_exports.IMPORT_N else ""))
            entries += measure_exports.measure_decks(lake, n, sample["project_id"], log=_log)
            if n == measure_exports.IMPORT_N:
                entries += measure_exports.measure_import(lake, n, log=_log)
        if "browser" in only:
            _log(f"[{n}] cold browser, first chart; peak memory; 20 sessions")
            too_slow = frozenset(e.name.split(":", 1)[1] for e in entries
                                 if e.n_projects == n and e.name.startswith("page_rerun:") and e.value is None)
            entries += measure_browser.measure(lake, n, sample["project_id"], rounds=3,
                                               limit_s=60 if n >= 100_000 else 90,
                                               throttle=(i == 0 and not a.no_throttle), skip=too_slow, log=_log)
        run = {"date": dt.datetime.now().isoformat(timespec="seconds"), "seconds": round(time.perf_counter() - t_n, 1)}
        if only >= set(MEASURES):
            runs[str(n)] = run
        else:  # a run of some measures: the full run's date stays, this one is listed beside it
            runs.setdefault(str(n), {}).setdefault("partial", {})[",".join(sorted(only))] = run
        _log(f"[{n}] done in {time.perf_counter() - t_n:.0f} s")
        # write as we go: a long run that is stopped keeps what it measured
        # replace what this run measured, keep the previous results of the rest: of the sizes it did not
        # run, and of the kinds of measure it did not make at a size (--only). A measure of a kind this run
        # made at a size, but not this measure (such as the throttled visits beyond the first size), is
        # dropped: it would be from another run and another method. How the lake on disk was made
        # (generated and compacted by an earlier run when this one found it there) is kept.
        made = {(_kind(e.name), e.n_projects) for e in entries if e.name not in ("lake_rows", *LAKE_MADE)}
        measured = {(e.name, e.n_projects) for e in entries}
        kept = [e for e in previous if (e["name"], e["n_projects"]) not in measured
                and (e["name"] in LAKE_MADE or e["name"] == "lake_rows"
                     or (_kind(e["name"]), e["n_projects"]) not in made)]
        all_entries = [Entry(**{k: v for k, v in d.items() if k != "ratio"}) for d in kept] + entries
        info["runs"] = runs
        write_json(all_entries, info)
        report.write(all_entries, info)
    _log(f"bench: {time.perf_counter() - t_start:.0f} s in all; wrote bench/results.json and docs/performance.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
