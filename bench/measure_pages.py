"""Each page's AppTest rerun time over a lake, against a hello-world page in the same process.

Each page runs in a process of its own (``python -m bench.measure_pages LAKE N PAGE``, JSON on stdout),
with a time limit, so that Streamlit's caches and PERFEVAL_DATA belong to that lake and page alone. The app is the real app.py, switched to
each page; a page that takes a project is measured twice: on one project (``?project=``) and, as
``<page>:all``, before a project is picked (every selected project). first: the page's first run in the session
(its queries not yet cached); warm: the median of the next reruns, what every click costs.
A page over the target is profiled (cProfile, one warm rerun) into bench/out/profiles/.
"""
from __future__ import annotations

import cProfile
import io
import json
import os
import pathlib
import pstats
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
PROFILES = ROOT / "bench" / "out" / "profiles"
HELLO = """
import streamlit as st
st.title("Hello world")
st.write("hello")
"""
TARGET_RATIO = 2.0
# the overview's elements with none of its work (bench/overview_shape_app.py): Streamlit's floor for a page
# of that shape, timed beside the hello world like a page, with no target of its own
SHAPE = "overview_shape"


def _timed_run(at) -> float:
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def _profile(at, path: pathlib.Path) -> str:
    """Profile one rerun; write the top of it to ``path``; return the heaviest lines of our own code.

    AppTest runs the script in a thread of its own, so the profiler is started inside that thread,
    around ScriptRunner._run_script."""
    from streamlit.runtime.scriptrunner import script_runner

    prof = cProfile.Profile()
    original = script_runner.ScriptRunner._run_script

    def profiled(self, rerun_data):
        prof.enable()
        try:
            return original(self, rerun_data)
        finally:
            prof.disable()

    script_runner.ScriptRunner._run_script = profiled
    try:
        at.run()
    finally:
        script_runner.ScriptRunner._run_script = original
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf).sort_stats("cumulative")
    st.print_stats(60)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")
    ours = []
    for (file, line, func), (cc, nc, tt, ct, callers) in sorted(st.stats.items(), key=lambda kv: -kv[1][3]):
        if (any(part in file for part in ("/perfeval/", "/app_pages/")) and "<" not in func
                and func not in ("<module>",)):
            ours.append(f"{pathlib.Path(file).name}:{func} {ct:.2f}s")
        if len(ours) >= 6:
            break
    return "; ".join(ours)


def measure_page(lake: str, n: int, url: str, reruns: int = 3) -> list[dict]:
    """The entries of one page (and the hello-world floor measured in the same process)."""
    os.environ["PERFEVAL_DATA"] = str(lake)
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    from bench.results import Entry
    from tests.browser.pages import routed_pages

    hello = AppTest.from_string(HELLO, default_timeout=600)
    hello.run()
    floor = statistics.median(_timed_run(hello) for _ in range(max(reruns, 5)))

    if url == SHAPE:
        at = AppTest.from_file(str(ROOT / "bench" / "overview_shape_app.py"), default_timeout=600)
        at.run()
        errors = [e.value for e in at.exception]
        warm = statistics.median(_timed_run(at) for _ in range(max(reruns, 5)))
        return [Entry(f"page_rerun:{SHAPE}", n, warm, "s", "hello-world rerun", floor,
                      note=("EXCEPTION: " + str(errors)[:200] + "; " if errors else "")
                      + "the overview's elements made once, no query and no computation: Streamlit's "
                        "floor for a page of the overview's shape").as_dict()]

    # "budget" = the page on one project (?project=), "budget:all" = the same page before a project is
    # picked: every selected project (what a person sees first)
    page_url, _, variant = url.partition(":")
    pg = next(p for p in routed_pages() if p.url == page_url)
    with_project = pg.takes_project and variant != "all"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=3600)
    if with_project:
        from bench.measure_queries import sample_params
        at.query_params["project"] = sample_params(pathlib.Path(lake))["project_id"]
    # before the first run a page is found by its file name, which is its url path here: the session's
    # first run is this page's (as for a browser that opens its link), not the overview's
    at.switch_page(pg.file)
    first = _timed_run(at)
    if with_project:
        at.query_params["project"] = sample_params(pathlib.Path(lake))["project_id"]
    errors = [e.value for e in at.exception]
    warm = statistics.median(_timed_run(at) for _ in range(reruns))
    ratio = warm / floor
    note = ("EXCEPTION: " + str(errors)[:200]) if errors else ""
    if ratio > TARGET_RATIO:
        note += ("; " if note else "") + "profile: " + _profile(at, PROFILES / f"page_{url.replace(':', '_')}_{n}.txt")
    out = [Entry(f"page_rerun:{url}", n, warm, "s", "hello-world rerun", floor,
                 target=f"≤ {TARGET_RATIO:g} × hello world", met=ratio <= TARGET_RATIO and not errors, note=note),
           Entry(f"page_first_run:{url}", n, first, "s", "hello-world rerun", floor,
                 note="first run in the session (queries not cached)")]
    return [e.as_dict() for e in out]


def measure(lake: pathlib.Path, n: int, limit_s: float = 240, log=print) -> list:
    """Every routed page, each in a process of its own with a time limit (a page that takes longer
    is recorded as not met, with the limit as a lower bound)."""
    import subprocess

    from bench.results import Entry
    from tests.browser.pages import routed_pages

    entries = []
    floor = None
    urls = [u for pg in routed_pages() for u in ([pg.url, pg.url + ":all"] if pg.takes_project else [pg.url])]
    urls.append(SHAPE)
    for url in urls:
        t0 = time.perf_counter()
        try:
            r = subprocess.run([sys.executable, "-m", "bench.measure_pages", str(lake), str(n), url],
                               cwd=ROOT, capture_output=True, text=True, timeout=limit_s)
            rows = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else None
            err = r.stderr[-300:]
        except subprocess.TimeoutExpired:
            rows, err = None, f"timed out after {limit_s:.0f} s"
        if rows:
            floor = rows[0]["baseline_value"]
            for d in rows:
                entries.append(Entry(d["name"], n, d["value"], d["unit"], d["baseline_name"], d["baseline_value"],
                                     d["target"], d["met"], d["note"]))
            first = f"first {rows[1]['value']:8.3f} s  " if len(rows) > 1 else ""
            log(f"  page {url:14s} warm {rows[0]['value']:8.3f} s  {first}"
                f"× hello {rows[0]['ratio']}  {rows[0]['note'][:160]}")
        else:
            target = None if url == SHAPE else f"≤ {TARGET_RATIO:g} × hello world"
            entries.append(Entry(f"page_rerun:{url}", n, None, "s", "hello-world rerun", floor,
                                 target=target, met=None if url == SHAPE else False,
                                 note=f"no result: {err} (wall {time.perf_counter() - t0:.0f} s for first run + reruns)"))
            log(f"  page {url:14s} NO RESULT: {err}")
    if floor is not None:
        entries.insert(0, Entry("page_rerun:hello_world", n, floor, "s", None, None, note="st.title + st.write"))
    return entries


if __name__ == "__main__":
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (8 * 2**30, 8 * 2**30))  # fail rather than take the machine down
    lake, n, url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    print(json.dumps(measure_page(lake, n, url)))
