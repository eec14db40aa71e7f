"""Warm the app processes' caches when new data lands, so that the first person after an import does
not wait for it.

    python -m deploy.warm --data /srv/perfeval/lake http://127.0.0.1:8501 http://127.0.0.1:8502
    python -m deploy.warm --data /srv/perfeval/lake --once http://127.0.0.1:8501    # warm now, then exit

Each app process caches every query's result per version of the lake's files (perfeval.ui.state), and
the first query after the files change builds the lake's views and, if the indicator files changed,
their roll-up (perfeval.data.lake.Lake). So the first visit to a page after an import pays for its queries
(docs/performance.md: the browser's `direct+server_cold` visits against `direct`, and finding 15).
This watches the lake's version (``Lake.version()``: names, sizes and times of its files) and, once
it has stayed the same for ``--settle`` seconds (an import writes several tables, one after another),
opens every routed page once on every app process, over Streamlit's WebSocket as a browser's first
visit would (deploy/probe.py): no filters, the default language, no project picked. A process whose pages did
not all run is tried again on the next round, at most ``--tries`` times per version.

The processes are addressed directly (their own ports, not the proxy): each has its own cache. It warms
what a first visitor sees; a visit with other filters still runs its queries the first time. Run by
deploy/cluster.py (unless ``--no-warm``) and in production by deploy/perfeval-warm.service.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

from deploy.probe import PageRun, run_page
from perfeval.pages import routed_pages


def page_paths() -> list[str]:
    """The URL path of every routed page as a first visitor opens it ("" = the overview, the root)."""
    pages = routed_pages()
    return [""] + [p.url for p in pages[1:]]


def ok(run: PageRun) -> bool:
    return run.finished == "FINISHED_SUCCESSFULLY" and not run.exceptions and not run.page_not_found


@dataclass
class Warmer:
    """One round (``step``) at a time, so that the rules can be tested without processes or clocks."""

    urls: list[str]
    paths: list[str]
    version: Callable[[], str]                         # the lake's version now
    probe: Callable[[str, str], PageRun] = run_page    # (app url, page path) -> what the page did
    settle: float = 5.0                                # seconds the version must stay the same
    tries: int = 3                                     # rounds per process and version
    clock: Callable[[], float] = time.monotonic
    log: Callable[[str], None] = print
    _seen: tuple[str, float] | None = None             # (version, since when)
    _done: dict[str, tuple[str, int, bool]] = field(default_factory=dict)  # url -> (version, tries, warmed)

    def step(self) -> dict[str, list[tuple[str, PageRun]]]:
        """Warm the processes not yet warm for the current version, once it has settled.
        Returns what was run, per process url (empty when there was nothing to do)."""
        v, now = self.version(), self.clock()
        if self._seen is None or self._seen[0] != v:
            self._seen = (v, now)
        if now - self._seen[1] < self.settle:
            return {}
        out = {}
        for url in self.urls:
            version, tried, warmed = self._done.get(url, (None, 0, False))
            if version != v:
                tried, warmed = 0, False
            if warmed or tried >= self.tries:
                continue
            t0 = time.perf_counter()
            runs = [(path, self._probe(url, path)) for path in self.paths]
            good = all(ok(r) for _, r in runs)
            self._done[url] = (v, tried + 1, good)
            out[url] = runs
            failed = [f"/{path} ({r.finished}{', ' + '; '.join(r.exceptions) if r.exceptions else ''})"
                      for path, r in runs if not ok(r)]
            self.log(f"warm {url} data {v}: {len(runs)} pages in {time.perf_counter() - t0:.1f} s"
                     + (f"; not run: {', '.join(failed)} (try {tried + 1} of {self.tries})" if failed else ""))
        return out

    def _probe(self, url: str, path: str) -> PageRun:
        try:
            return self.probe(url, path)
        except Exception as e:  # noqa: BLE001 - a process that is down or restarting: tried next round
            return PageRun(exceptions=[f"{type(e).__name__}: {e}"])

    def warm(self, url: str) -> bool:
        """Whether ``url``'s pages all ran for the version seen last."""
        version, _, warmed = self._done.get(url, (None, 0, False))
        return self._seen is not None and version == self._seen[0] and warmed


def watch(warmer: Warmer, interval: float, stopped: Callable[[], bool] = lambda: False) -> None:
    """Rounds every ``interval`` seconds until ``stopped()``."""
    while not stopped():
        warmer.step()
        time.sleep(interval)


def main(argv: list[str] | None = None) -> int:
    from perfeval.data.lake import Lake
    from perfeval.ui.state import data_dir

    ap = argparse.ArgumentParser(prog="python -m deploy.warm", description=__doc__.split("\n\n")[0])
    ap.add_argument("urls", nargs="+", help="each app process, e.g. http://127.0.0.1:8501")
    ap.add_argument("--data", help="the lake folder the processes serve (default: $PERFEVAL_DATA, else data/)")
    ap.add_argument("--interval", type=float, default=5.0, help="seconds between looks at the lake")
    ap.add_argument("--settle", type=float, default=5.0, help="seconds the files must stay unchanged")
    ap.add_argument("--tries", type=int, default=3, help="rounds per process and version")
    ap.add_argument("--once", action="store_true", help="warm every process now and exit (1 if a page failed)")
    a = ap.parse_args(argv)
    lake = Lake(a.data or data_dir())
    warmer = Warmer(a.urls, page_paths(), lake.version, settle=0.0 if a.once else a.settle, tries=a.tries,
                    log=lambda s: print(s, flush=True))
    if a.once:
        warmer.step()
        return 0 if all(warmer.warm(u) for u in a.urls) else 1
    watch(warmer, a.interval)
    return 0


if __name__ == "__main__":
    sys.exit(main())
