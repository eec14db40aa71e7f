"""What a person waits for: a cold browser's time to the first chart of each page, against a hello-world
page, served directly and behind the documented deployment (deploy/: nginx with gzip); the app's peak
memory after the browser's visits and a visit of every page; 20 browser sessions at once.

cold: a new browser context (empty cache, no cookies) per visit, timed from navigation to the first drawn
Plotly chart (hello world: to its title). Each visit also reports the bytes the page transferred and the
JavaScript time Chromium spent (Performance.getMetrics ScriptDuration). Loopback is ~free bandwidth, so
the same visits are repeated with the network throttled to an intranet link (``INTRANET``): what gzip
changes shows there.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from bench import shapes
from bench.measure_memory import visit_every_page
from bench.results import Entry
from deploy.cluster import AppProcess, Nginx
from perfeval.pages import PAGES
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHART = '.pe-chart .main-svg'  # a chart drawn by perfeval.ui.plot
ST_CHART = '[data-testid="stPlotlyChart"] .main-svg'  # one drawn by st.plotly_chart
HELLO_READY = 'h1:has-text("Hello")'
# 20 Mbit/s down, 10 Mbit/s up, 20 ms round trip: a modest link between a station and the data centre
INTRANET = {"offline": False, "latency": 20, "downloadThroughput": 20e6 / 8, "uploadThroughput": 10e6 / 8}
TARGET_RATIO = 2.0
# visited like a page in every mode, each with the element its first chart is drawn in
REFERENCES = [("hello_chart", ST_CHART, "one small chart by st.plotly_chart"),
              ("hello_plot", CHART, "the same chart by perfeval.ui.plot"),
              ("overview_shape", CHART, "the overview's elements with no query (bench/shape_app.py drawing the "
                                        "overview's shape at this size)")]
APP_MEMORY_LIMIT = 8 * 2**30  # an app process that needs more fails instead of taking the machine down


def _overview_shape(lake: pathlib.Path, n: int, project_id: str, log=print) -> pathlib.Path | None:
    """The overview's shape at ``n`` projects, as the pages measure saved it; captured now (one AppTest
    run of the overview, in a process of its own) if no pages measure has run at this size."""
    path = shapes.path_of("overview", n)
    if not path.exists():
        r = subprocess.run([sys.executable, "-m", "bench.measure_pages", str(lake), str(n), "overview", project_id,
                            "--capture"], cwd=ROOT, capture_output=True, text=True, timeout=600)
        if r.returncode != 0 or not path.exists():
            log(f"  overview_shape: no shape ({r.stderr[-300:]}); not visited")
            return None
        log(f"  overview_shape: captured {json.loads(r.stdout.strip().splitlines()[-1])['shape']}")
    return path


def _reference_app(name: str, shape: pathlib.Path | None, run: pathlib.Path) -> AppProcess:
    if name == "overview_shape":
        return AppProcess(script=shapes.SHAPE_APP, log_dir=run, extra_env={shapes.ENV: str(shape)})
    return AppProcess(script=ROOT / "bench" / f"{name}_app.py", log_dir=run)


def _visit(browser, url: str, ready: str, network: dict | None, limit_s: float) -> dict:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        cdp.send("Performance.enable")
        if network:
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", network)
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=limit_s * 1000)
        try:
            page.wait_for_selector(ready, state="visible", timeout=limit_s * 1000)
            seconds = time.perf_counter() - t0
        except Exception:
            seconds = None
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        transferred = page.evaluate(
            "() => performance.getEntriesByType('resource').reduce((a, e) => a + (e.transferSize || 0), 0)")
        return {"seconds": seconds, "script_s": metrics.get("ScriptDuration"), "bytes": transferred}
    finally:
        ctx.close()


def _median(runs: list[dict]) -> dict:
    ok = [r for r in runs if r["seconds"] is not None]
    if not ok:
        return {"seconds": None, "script_s": None, "bytes": None}
    return {k: statistics.median(r[k] for r in ok if r[k] is not None) for k in ("seconds", "script_s", "bytes")}


def _paired(browser, hello_url: str, url: str, ready: str, network, rounds: int, limit_s: float,
            hellos: list[dict]) -> tuple[dict, dict, list[dict]]:
    """``rounds`` × (hello world, then ``url``): the median of the hello visits (the baseline), the
    median of the page's visits and the page's visits themselves. The machine is shared and its load
    moves within a run: a baseline timed right next to each visit follows it, one timed per mode does
    not. Every hello visit is also appended to ``hellos``."""
    hs, runs = [], []
    for _ in range(rounds):
        hs.append(_visit(browser, hello_url, HELLO_READY, network, limit_s))
        runs.append(_visit(browser, url, ready, network, limit_s))
    hellos += hs
    return _median(hs), _median(runs), runs


def _seconds(runs: list[dict]) -> str:
    return ", ".join("—" if r["seconds"] is None else f"{r['seconds']:.2f}" for r in runs)


async def _concurrent(url: str, sessions: int, limit_s: float) -> list[float | None]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        async def one():
            ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
            page = await ctx.new_page()
            t0 = time.perf_counter()
            try:
                await page.goto(url, wait_until="commit", timeout=limit_s * 1000)
                await page.wait_for_selector(CHART, state="visible", timeout=limit_s * 1000)
                return time.perf_counter() - t0
            except Exception:
                return None
            finally:
                await ctx.close()

        try:
            return await asyncio.gather(*(one() for _ in range(sessions)))
        finally:
            await browser.close()


def _in_thread(fn, *args):
    """Run ``fn`` in a thread of its own (the async Playwright next to the sync one)."""
    box = {}
    th = threading.Thread(target=lambda: box.setdefault("r", fn(*args)))
    th.start()
    th.join()
    return box["r"]


THROTTLED_PAGES = ("project", "budget")  # the throttled visits show what gzip changes; two pages suffice


def measure(lake: pathlib.Path, n: int, project_id: str, rounds: int = 3, limit_s: float = 90,
            sessions: int = 20, throttle: bool = True, skip: frozenset = frozenset(), log=print) -> list[Entry]:
    """``rounds``: visits per page and mode, each right after a hello-world visit; ``skip``: pages not
    visited (their AppTest run already exceeded its limit at this size)."""
    from playwright.sync_api import sync_playwright

    run = pathlib.Path(tempfile.mkdtemp(prefix=f"perfeval-bench-{n}-"))
    shape = _overview_shape(lake, n, project_id, log)
    references = [r for r in REFERENCES if r[0] != "overview_shape" or shape is not None]
    apps = {"app": AppProcess(data=lake, log_dir=run, memory_limit=APP_MEMORY_LIMIT),
            "hello": AppProcess(script=ROOT / "bench" / "hello_app.py", log_dir=run),
            **{name: _reference_app(name, shape, run) for name, _, _ in references}}
    proxies = {}
    out: list[Entry] = []
    try:
        for a in apps.values():
            a.start()
        if Nginx.available():
            for k, a in apps.items():
                proxies[k] = Nginx([a.port], run / f"nginx-{k}").start()
        modes = [("direct", None)] + ([("nginx", None)] if proxies else [])
        if throttle:
            modes += [("direct+intranet", INTRANET)] + ([("nginx+intranet", INTRANET)] if proxies else [])
        pages = [pg for pg in PAGES if pg.draws_charts]
        peak_before = 0  # the app's peak before a restart (after a page that drew no chart in time)

        def page_url(base_app: str, pg) -> str:
            return f"{base_app}/{pg.url}" + (f"?project={project_id}" if pg.takes_project else "")

        def restart_if_stuck(visits: list[dict]) -> None:
            nonlocal peak_before
            if any(v["seconds"] is None for v in visits):  # the page's script may still be running
                peak_before = max(peak_before, apps["app"].memory()["peak"])
                apps["app"].stop()
                apps["app"].start()

        def page_entry(pg, mode: str, hello: dict, r: dict, visits: list[dict], what: str) -> Entry:
            ok = r["seconds"] is not None and hello["seconds"]
            return Entry(
                f"browser_first_chart:{pg.url}:{mode}", n, r["seconds"], "s", "hello world", hello["seconds"],
                target=f"≤ {TARGET_RATIO:g} × hello world",
                met=bool(ok and r["seconds"] / hello["seconds"] <= TARGET_RATIO),
                note=(f"{what} ({_seconds(visits)} s), "
                      + ("right after a hello world; " if len(visits) == 1 else "each right after a hello world; ")
                      + (f"{r['bytes'] or 0:,.0f} bytes, JS {r['script_s'] or 0:.2f} s" if r["seconds"]
                         else f"no chart within {limit_s:.0f} s")))

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # The first visit of each page while the app's query cache is empty, as after new data lands:
            # once, served directly. Every visit after it (all the modes below) finds the page's queries
            # cached, so direct and nginx are compared on the same footing.
            for pg in pages:
                if pg.url in skip:
                    out.append(Entry(f"browser_first_chart:{pg.url}:direct+server_cold", n, None, "s",
                                     "hello world", None, target=f"≤ {TARGET_RATIO:g} × hello world", met=False,
                                     note="not visited: its server-side run exceeded the AppTest limit"))
                    continue
                hello, r, visits = _paired(browser, apps["hello"].url + "/", page_url(apps["app"].url, pg), CHART,
                                           None, 1, limit_s, [])
                restart_if_stuck(visits)
                out.append(page_entry(pg, "direct+server_cold", hello, r, visits, "one visit, the app's cache empty"))
                log(f"  [direct, server cold] {pg.url:14s} first chart {r['seconds'] and round(r['seconds'], 2)} s "
                    f"(hello world {hello['seconds'] and round(hello['seconds'], 2)} s)")
            for mode, network in modes:
                base = {k: (proxies[k].url if mode.startswith("nginx") else a.url) for k, a in apps.items()}
                hello_url = base["hello"] + "/"
                hellos: list[dict] = []
                for name, ready, what in references:  # pages with no target of their own, beside hello world
                    h, ref, _ = _paired(browser, hello_url, base[name] + "/", ready, network, rounds, limit_s, hellos)
                    out.append(Entry(f"browser_first_chart:{name}:{mode}", n, ref["seconds"], "s", "hello world",
                                     h["seconds"], note=f"{what}; {ref['bytes'] or 0:,.0f} bytes, "
                                                        f"JS {ref['script_s'] or 0:.2f} s"))
                    log(f"  [{mode}] {name} {ref['seconds']} s ({(ref['bytes'] or 0) / 1e6:.1f} MB; "
                        f"hello {h['seconds']} s)")
                for pg in pages:
                    if network and pg.url not in THROTTLED_PAGES:
                        continue
                    if pg.url in skip:
                        out.append(Entry(f"browser_first_chart:{pg.url}:{mode}", n, None, "s", "hello world",
                                         None, target=f"≤ {TARGET_RATIO:g} × hello world", met=False,
                                         note="not visited: its server-side run exceeded the AppTest limit"))
                        continue
                    hello, r, visits = _paired(browser, hello_url, page_url(base["app"], pg), CHART, network, rounds,
                                               limit_s, hellos)
                    restart_if_stuck(visits)
                    out.append(page_entry(pg, mode, hello, r, visits, f"median of {rounds} visits"))
                    log(f"  [{mode}] {pg.url:14s} first chart {r['seconds'] and round(r['seconds'], 2)} s "
                        f"({_seconds(visits)}; hello world {hello['seconds'] and round(hello['seconds'], 2)} s; "
                        f"{(r['bytes'] or 0) / 1e6:.1f} MB, JS {r['script_s'] or 0:.2f} s)")
                h = _median(hellos)
                hs = [v["seconds"] for v in hellos if v["seconds"] is not None]
                out.append(Entry(f"browser_first_view:hello_world:{mode}", n, h["seconds"], "s", None, None,
                                 note=f"median of its {len(hellos)} visits, one before each other visit"
                                      + (f" ({min(hs):.2f}–{max(hs):.2f} s)" if hs else "")
                                      + f"; {h['bytes'] or 0:,.0f} bytes, JS {h['script_s'] or 0:.2f} s"))
                log(f"  [{mode}] hello world: {_seconds(hellos)} s")
            browser.close()
        # the browser visits leave out the pages without charts and the pages' variants before a project
        # is picked: every page and variant is opened once more (no browser), so the peak covers them all
        failed = visit_every_page(apps["app"].url, project_id, log=lambda _: None)
        peak = max(peak_before, apps["app"].memory()["peak"])
        hmem = apps["hello"].memory()
        out.append(Entry("app_peak_memory_browser", n, peak / 2**20, "MB", "hello-world server peak",
                         hmem["peak"] / 2**20,
                         note="VmHWM of the app process after the browser visits above and one visit of every "
                              "page and variant (deploy/probe.py)"
                         + (" (the largest over its restarts)" if peak_before else "")
                         + (f"; not run cleanly: {', '.join(failed)}" if failed else "")))
        log(f"  app peak RSS {peak / 2**20:.0f} MB after the browser visits and every page "
            f"(hello world {hmem['peak'] / 2**20:.0f} MB)")
    finally:
        for px in proxies.values():
            px.stop()
        for a in apps.values():
            a.stop()

    # 20 sessions at once, through the documented deployment: nginx in front of two replicas
    if sessions:
        out += measure_concurrent(lake, n, project_id, sessions, limit_s * 2, run, log)
    return out


def measure_concurrent(lake, n, project_id, sessions, limit_s, run, log=print) -> list[Entry]:
    replicas = [AppProcess(data=lake, log_dir=run, memory_limit=APP_MEMORY_LIMIT) for _ in range(2)]
    px = None
    try:
        for r in replicas:
            r.start()
        url_base = replicas[0].url
        if Nginx.available():
            px = Nginx([r.port for r in replicas], run / "nginx-replicas").start()
            url_base = px.url
        url = f"{url_base}/project?project={project_id}"
        single = _in_thread(lambda: asyncio.run(_concurrent(url, 1, limit_s)))[0]
        times = _in_thread(lambda: asyncio.run(_concurrent(url, sessions, limit_s)))
        # the same sessions without browsers (Streamlit's WebSocket, deploy/probe.py): the server's share
        from deploy import probe
        with concurrent.futures.ThreadPoolExecutor(sessions) as pool:
            t0 = time.perf_counter()
            runs = list(pool.map(lambda _: probe.run_page(url_base, f"project?project={project_id}",
                                                          timeout=limit_s), range(sessions)))
            server_all = time.perf_counter() - t0
        server_each = statistics.median(r.seconds for r in runs)
        ok = sorted(t for t in times if t is not None)
        mem = sum(r.memory()["peak"] for r in replicas) / 2**20
        where = "nginx + 2 replicas" if px else "1 app (no nginx)"
        out = [
            Entry(f"concurrent{sessions}_first_chart_median", n, statistics.median(ok) if ok else None, "s",
                  "one session alone", single, note=f"{len(ok)}/{sessions} drew a chart; {where}; project page"),
            Entry(f"concurrent{sessions}_first_chart_max", n, ok[-1] if ok else None, "s", "one session alone",
                  single, note=where),
            Entry(f"concurrent{sessions}_memory", n, mem, "MB", None, None,
                  note=f"sum of the replicas' peak RSS ({where})"),
            Entry(f"concurrent{sessions}_server_only_median", n, server_each, "s", "one session alone", single,
                  note=f"{sessions} WebSocket sessions without browsers (deploy/probe.py), all done in "
                       f"{server_all:.1f} s: the server's share of the wait"),
        ]
        log(f"  {sessions} sessions: median {out[0].value} s, max {out[1].value} s (alone {single}); "
            f"replicas' peak RSS {mem:.0f} MB; server only: median {server_each:.2f} s, all in {server_all:.1f} s")
        return out
    finally:
        if px:
            px.stop()
        for r in replicas:
            r.stop()
