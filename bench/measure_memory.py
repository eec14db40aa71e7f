"""The app's peak memory after every page has been visited, without a browser.

One ``streamlit run app.py`` over the lake (deploy/cluster.py AppProcess), and every page of
perfeval.pages.PAGES opened in a new session over Streamlit's WebSocket, as a browser's first visit
would (deploy/probe.py): each page that takes a project both on the bench's sample project
(``?project=``) and before a project is picked. The peak is the process's VmHWM after the last visit,
against a hello-world server's after one visit. ``python -m bench --only memory`` (≈ 20 s at
100 000 projects: the app's start and one run of each page).

The browser measure (bench/measure_browser.py) makes the same visits after its own, and reports its
app's peak beside this one (``app_peak_memory_browser``): what the browser visits add to the server's
peak.
"""
from __future__ import annotations

import pathlib
import subprocess
import tempfile
import time

from bench.results import Entry
from deploy import probe
from deploy.cluster import AppProcess
from perfeval.pages import PAGES

ROOT = pathlib.Path(__file__).resolve().parents[1]
APP_MEMORY_LIMIT = 8 * 2**30  # an app process that needs more fails instead of taking the machine down
TARGET_MB = 874               # 0.87 GB: the app's peak at 100 000 projects in the run of 2026-11-23
TARGET = "≤ 0.87 GB"
# the app as it was before the layout of issue 17 (page models, their cache): measured beside today's app in the
# same run, with the same visits, since the 0.87 GB above came from a measure that opened fewer pages
BASELINE_REV = "8c993af"


def page_paths(project_id: str) -> list[str]:
    """The URL path of every page and variant: ``overview``, ``project?project=<id>``, ``project``, …"""
    out = []
    for pg in PAGES:
        if pg.takes_project:
            out.append(f"{pg.url}?project={project_id}")
        out.append(pg.url)
    return out


def visit_every_page(url: str, project_id: str, timeout: float = 300, log=print) -> list[str]:
    """Open every page and variant once in a new session of the app at ``url``; return the paths whose
    run did not finish cleanly (with why)."""
    failed = []
    for path in page_paths(project_id):
        try:
            run = probe.run_page(url, path, timeout=timeout)
        except Exception as e:  # a page that never finishes: the peak is still read
            failed.append(f"{path} ({type(e).__name__})")
            continue
        if run.finished != "FINISHED_SUCCESSFULLY" or run.exceptions or run.page_not_found:
            failed.append(f"{path} ({run.finished}{'; ' + '; '.join(run.exceptions)[:200] if run.exceptions else ''}"
                          f"{', not found' if run.page_not_found else ''})")
        log(f"    {path:40s} {run.seconds:6.2f} s")
    return failed


def _peak_of(app: AppProcess, project_id: str, log) -> tuple[float, list[str], float]:
    """Start ``app``, visit every page once, stop it: (peak RSS in MB, pages not run cleanly, seconds)."""
    try:
        app.start()
        t0 = time.perf_counter()
        failed = visit_every_page(app.url, project_id, log=log)
        seconds = time.perf_counter() - t0
        return app.memory()["peak"] / 2**20, failed, seconds
    finally:
        app.stop()


def baseline_tree(rev: str = BASELINE_REV) -> pathlib.Path | None:
    """The repository's files at ``rev``, unpacked into a temporary folder (None where git cannot give them)."""
    out = pathlib.Path(tempfile.mkdtemp(prefix=f"perfeval-{rev}-"))
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True)
    if archive.returncode:
        return None
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive.stdout, check=True)
    return out


def measure(lake: pathlib.Path, n: int, project_id: str, log=print, baseline_rev: str | None = BASELINE_REV
            ) -> list[Entry]:
    run_dir = pathlib.Path(tempfile.mkdtemp(prefix=f"perfeval-bench-memory-{n}-"))
    hello = AppProcess(script=ROOT / "bench" / "hello_app.py", log_dir=run_dir)
    peak, failed, seconds = _peak_of(AppProcess(data=lake, log_dir=run_dir, memory_limit=APP_MEMORY_LIMIT),
                                     project_id, log)
    try:
        hello.start()
        probe.run_page(hello.url, "")
        hello_peak = hello.memory()["peak"] / 2**20
    finally:
        hello.stop()
    visits = len(page_paths(project_id))
    log(f"  app peak RSS {peak:.0f} MB after {visits} page visits in {seconds:.0f} s "
        f"(hello world {hello_peak:.0f} MB)" + (f"; FAILED: {failed}" if failed else ""))
    entries = [Entry("app_peak_memory", n, peak, "MB", "hello-world server peak", hello_peak,
                     target=TARGET, met=peak <= TARGET_MB and not failed,
                     note=f"VmHWM of one app process after one visit of each of the {visits} pages and variants "
                          f"(deploy/probe.py, no browser; {seconds:.0f} s)"
                          + (f"; not run cleanly: {', '.join(failed)}" if failed else ""))]
    tree = baseline_tree(baseline_rev) if baseline_rev else None
    if tree is not None:
        old, old_failed, _ = _peak_of(AppProcess(data=lake, script=tree / "app.py", log_dir=run_dir,
                                                 memory_limit=APP_MEMORY_LIMIT), project_id, log)
        log(f"  the app at {baseline_rev}: peak RSS {old:.0f} MB after the same visits"
            + (f"; FAILED: {old_failed}" if old_failed else ""))
        entries.append(Entry(f"app_peak_memory:at_{baseline_rev}", n, old, "MB", "hello-world server peak", hello_peak,
                             note=f"the app as of commit {baseline_rev} (before page models), the same visits in the "
                                  f"same run: the floor today's target was set against"
                                  + (f"; not run cleanly: {', '.join(old_failed)}" if old_failed else "")))
    return entries
