"""Each page's AppTest runs over a lake, against its own shape floor measured in the same process.

Each page runs in a process of its own (``python -m bench.measure_pages LAKE N PAGE PROJECT``, JSON on
stdout), with a time limit, so that Streamlit's caches and PERFEVAL_DATA belong to that lake and page
alone. The pages are perfeval.pages.PAGES; the app is the real app.py, switched to each page; a page that
takes a project is measured twice: on one project (``?project=``) and, as ``<page>:all``, before a project
is picked (every selected project). In that process, in this order:

1. a hello-world script's reruns (``page_rerun:hello_world``, for reference);
2. the page's first run in its session, its queries not yet cached (``page_first_run``), and a rerun;
3. what the page drew is captured from the AppTest tree (bench/shapes.py, saved to
   bench/out/shapes/<page>@<N>.pkl) and drawn again by bench/shape_app.py, with the same Streamlit calls
   and no work; then the page's warm reruns, each followed by one of the shape's: the median of the
   page's is what every click costs (``page_rerun``), the median of the shape's the page's shape floor,
   its baseline (target ≤ 1.3 × the floor);
4. new sessions' first runs of the page, its queries and page models cached by the first session
   (``page_first_run_cached``, a new visitor's wait on the server: target ≤ 0.1 s), each followed by a
   new session's first run of the shape (its baseline).

The AppTests of the process share the scripts' compiled code and the component registry, as a server's
sessions do (``as_one_server``).
A page over a target is profiled (cProfile of one warm rerun, or of a new session's first run) into
bench/out/profiles/.
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
RERUN_RATIO = 1.3         # a page's warm rerun ≤ 1.3 × its shape floor
FIRST_RUN_CACHED_S = 0.1  # a new visitor's first run, the queries cached by an earlier session
RERUNS = 7                # warm reruns of the page, each followed by one of its shape (medians)
NEW_SESSIONS = 3          # new sessions whose first runs are timed (median)
FLOOR = "shape floor (its elements, no work)"


def _timed_run(at) -> float:
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def _profile(run, path: pathlib.Path) -> str:
    """Profile ``run()`` (one AppTest run); write the top of it to ``path``; return the heaviest lines
    of our own code.

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
        run()
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


def as_one_server() -> None:
    """Make this process's AppTests share what a server's Runtime shares between its sessions: the
    scripts' compiled code (one ScriptCache) and the registry of custom components. AppTest makes both
    anew for each AppTest (the cache for each run), so each rerun would parse, rewrite for "magic" and
    compile app.py and the page's file again, and each new session would scan the installed packages for
    components (≈ 0.2 s): costs no click and no new visitor pays on a running server."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    scripts = ScriptCache()
    components = app_test.BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    components.discover_and_register_components = lambda **_: None  # found once, for every session
    app_test.ScriptCache = lambda: scripts
    app_test.BidiComponentManager = lambda: components


def _errors(at) -> list[str]:
    return [str(e.value) for e in at.exception]


def variants() -> list[str]:
    """Every page's url, and ``<url>:all`` beside each page that takes a project (perfeval.pages.PAGES)."""
    from perfeval.pages import PAGES

    return [u for pg in PAGES for u in ([pg.url, pg.url + ":all"] if pg.takes_project else [pg.url])]


def measure_page(lake: str, n: int, url: str, project_id: str | None, reruns: int = RERUNS) -> dict:
    """The entries of one page (or ``<page>:all``), and the hello-world rerun measured in the same process."""
    os.environ["PERFEVAL_DATA"] = str(lake)
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    from bench import shapes
    from bench.results import Entry
    from perfeval.pages import page

    as_one_server()
    hello = AppTest.from_string(HELLO, default_timeout=600)
    hello.run()
    hello_s = statistics.median(_timed_run(hello) for _ in range(max(reruns, 5)))

    # "budget" = the page on one project (?project=), "budget:all" = the same page before a project is
    # picked: every selected project (what a person sees first)
    page_url, _, variant = url.partition(":")
    pg = page(page_url)
    with_project = pg.takes_project and variant != "all"

    def session() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=3600)
        if with_project:
            at.query_params["project"] = project_id
        # before the first run a page is found by its file name, which is its url path here: the session's
        # first run is this page's (as for a browser that opens its link), not the overview's
        at.switch_page(pg.file)
        return at

    at = session()
    first = _timed_run(at)
    if with_project:
        at.query_params["project"] = project_id
    _timed_run(at)  # a warm rerun: what the page draws once its session has started
    errors = _errors(at)

    # the page's shape, drawn again with no work by the shape app in this process; each of its reruns
    # right after one of the page's, so that the floor and the page share the machine's state (the
    # machine is shared, and its load moves within a run)
    shape = shapes.capture(at)
    shape_path = shapes.save(shape, shapes.path_of(url, n))
    with shapes.drawing(shape_path):
        sat = shapes.app_test(shape_path)
        sat.run()
        pairs = [(_timed_run(at), _timed_run(sat)) for _ in range(reruns)]
        warm, floor = (statistics.median(p[i] for p in pairs) for i in (0, 1))
        errors, shape_errors = _errors(at) or errors, _errors(sat)
        differs = shapes.kinds(sat) != shapes.kinds(at)
        # new visitors: new sessions after the first one ran the page (its queries and models cached),
        # each beside a new session of the shape (what Streamlit alone costs a new visitor of these elements)
        news = [(_timed_run(session()), _timed_run(shapes.app_test(shape_path))) for _ in range(NEW_SESSIONS)]
        first_cached, shape_first = (statistics.median(p[i] for p in news) for i in (0, 1))

    shape_note = (f"shape: {sum(shapes.kinds(at).values())} elements"
                  + (f", not replayed: {sorted(set(shape['unsupported']))}" if shape["unsupported"] else "")
                  + ("; THE REPLAY DIFFERS from the page" if differs else "")
                  + (f"; SHAPE EXCEPTION: {str(shape_errors)[:200]}" if shape_errors else ""))
    exc = ("EXCEPTION: " + str(errors)[:200] + "; ") if errors else ""
    ratio = warm / floor
    note = f"{exc}{warm / hello_s:.1f} × hello world; {shape_note}"
    if ratio > RERUN_RATIO:
        note += "; profile: " + _profile(at.run, PROFILES / f"page_{url.replace(':', '_')}_{n}.txt")
    first_note = (f"{exc}median of {NEW_SESSIONS} new sessions ({', '.join(f'{p[0]:.3f}' for p in news)} s), "
                  f"each after a first session ran the page")
    if first_cached > FIRST_RUN_CACHED_S:
        first_note += "; profile: " + _profile(session().run, PROFILES / f"page_{url.replace(':', '_')}_{n}_first.txt")
    out = [Entry(f"page_rerun:{url}", n, warm, "s", FLOOR, floor, target=f"≤ {RERUN_RATIO:g} × shape floor",
                 met=ratio <= RERUN_RATIO and not errors, note=note),
           Entry(f"page_first_run_cached:{url}", n, first_cached, "s", "the shape's first run in new sessions",
                 shape_first, target=f"≤ {FIRST_RUN_CACHED_S:g} s", met=first_cached <= FIRST_RUN_CACHED_S and not errors,
                 note=first_note),
           Entry(f"page_first_run:{url}", n, first, "s", None, None,
                 note="the first session's first run (its queries not cached)")]
    return {"hello": hello_s, "entries": [e.as_dict() for e in out]}


def measure(lake: pathlib.Path, n: int, project_id: str | None = None, limit_s: float = 240, log=print) -> list:
    """Every page and variant, each in a process of its own with a time limit (a page that takes longer
    is recorded as not met, with no value)."""
    import subprocess

    from bench.results import Entry

    if project_id is None:
        from bench.measure_queries import sample_params
        project_id = sample_params(lake)["project_id"]
    entries, hellos = [], []
    for url in variants():
        t0 = time.perf_counter()
        try:
            r = subprocess.run([sys.executable, "-m", "bench.measure_pages", str(lake), str(n), url, project_id],
                               cwd=ROOT, capture_output=True, text=True, timeout=limit_s)
            got = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else None
            err = r.stderr[-300:]
        except subprocess.TimeoutExpired:
            got, err = None, f"timed out after {limit_s:.0f} s"
        if got:
            hellos.append(got["hello"])
            rows = {d["name"].split(":", 1)[0]: d for d in got["entries"]}
            for d in got["entries"]:
                entries.append(Entry(d["name"], n, d["value"], d["unit"], d["baseline_name"], d["baseline_value"],
                                     d["target"], d["met"], d["note"]))
            rr, fc, fr = rows["page_rerun"], rows["page_first_run_cached"], rows["page_first_run"]
            log(f"  page {url:18s} warm {rr['value']:7.3f} s  floor {rr['baseline_value']:7.3f} s  "
                f"({rr['ratio']:.2f} ×)  new visitor {fc['value']:6.3f} s  first {fr['value']:6.3f} s  "
                f"{rr['note'][:140]}")
        else:
            note = f"no result: {err} (wall {time.perf_counter() - t0:.0f} s)"
            entries.append(Entry(f"page_rerun:{url}", n, None, "s", FLOOR, None,
                                 target=f"≤ {RERUN_RATIO:g} × shape floor", met=False, note=note))
            entries.append(Entry(f"page_first_run_cached:{url}", n, None, "s", None, None,
                                 target=f"≤ {FIRST_RUN_CACHED_S:g} s", met=False, note=note))
            log(f"  page {url:18s} NO RESULT: {err}")
    if hellos:
        entries.insert(0, Entry("page_rerun:hello_world", n, statistics.median(hellos), "s", None, None,
                                note=f"st.title + st.write; median over the {len(hellos)} page processes"))
    return entries


def capture_only(lake: str, n: int, url: str, project_id: str | None) -> pathlib.Path:
    """Run the page (first run and one rerun) and save its shape, without timing anything: for the browser
    measure's reference page when no pages run has left the shape at this size."""
    os.environ["PERFEVAL_DATA"] = str(lake)
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    from bench import shapes
    from perfeval.pages import page

    page_url, _, variant = url.partition(":")
    pg = page(page_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=3600)
    if pg.takes_project and variant != "all":
        at.query_params["project"] = project_id
    at.switch_page(pg.file)
    at.run()
    at.run()
    return shapes.save(shapes.capture(at), shapes.path_of(url, n))


if __name__ == "__main__":
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (8 * 2**30, 8 * 2**30))  # fail rather than take the machine down
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    lake, n, url = args[0], int(args[1]), args[2]
    project = args[3] if len(args) > 3 else None
    if "--capture" in sys.argv:
        print(json.dumps({"shape": str(capture_only(lake, n, url, project))}))
    else:
        print(json.dumps(measure_page(lake, n, url, project)))
