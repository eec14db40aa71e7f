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


def measure(lake: pathlib.Path, n: int, project_id: str, log=print) -> list[Entry]:
    run_dir = pathlib.Path(tempfile.mkdtemp(prefix=f"perfeval-bench-memory-{n}-"))
    app = AppProcess(data=lake, log_dir=run_dir, memory_limit=APP_MEMORY_LIMIT)
    hello = AppProcess(script=ROOT / "bench" / "hello_app.py", log_dir=run_dir)
    try:
        app.start()
        hello.start()
        t0 = time.perf_counter()
        failed = visit_every_page(app.url, project_id, log=log)
        seconds = time.perf_counter() - t0
        probe.run_page(hello.url, "")
        peak, hello_peak = app.memory()["peak"] / 2**20, hello.memory()["peak"] / 2**20
    finally:
        app.stop()
        hello.stop()
    visits = len(page_paths(project_id))
    log(f"  app peak RSS {peak:.0f} MB after {visits} page visits in {seconds:.0f} s "
        f"(hello world {hello_peak:.0f} MB)" + (f"; FAILED: {failed}" if failed else ""))
    return [Entry("app_peak_memory", n, peak, "MB", "hello-world server peak", hello_peak,
                  target=TARGET, met=peak <= TARGET_MB and not failed,
                  note=f"VmHWM of one app process after one visit of each of the {visits} pages and variants "
                       f"(deploy/probe.py, no browser; {seconds:.0f} s)"
                       + (f"; not run cleanly: {', '.join(failed)}" if failed else ""))]
