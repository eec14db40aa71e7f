"""Browser tests: Debian's Chromium (no browser download) against the app served on 127.0.0.1.

Every request any page makes is recorded; a test whose pages asked any other host fails in its
teardown, and test_offline.py checks the log of the whole session.
"""
from __future__ import annotations

import os
import pathlib
import urllib.parse

import pytest

from deploy.cluster import AppProcess

CHROMIUM = os.environ.get("PERFEVAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"data", "blob", "about"}
ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def is_local(url: str) -> bool:
    """True for a request that stays on this machine's app: 127.0.0.1, or data:/blob:/about:."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


class RequestLog:
    """Every URL the browser asked for (HTTP requests and WebSockets), with the test that asked."""

    def __init__(self):
        self.entries: list[tuple[str, str, str]] = []  # (test id, kind, url)

    def add(self, test: str, kind: str, url: str) -> None:
        self.entries.append((test, kind, url))

    def outside(self, test: str | None = None) -> list[tuple[str, str, str]]:
        return [e for e in self.entries if (test is None or e[0] == test) and not is_local(e[2])]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: `make system-deps` installs Debian's chromium "
                    "(never `playwright install`)", pytrace=False)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}, "locale": "zh-CN",
            "timezone_id": "Asia/Shanghai"}


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """The app on the bundled data/, served on a free port for the whole session."""
    app = AppProcess(log_dir=tmp_path_factory.mktemp("streamlit"))
    app.start()
    yield app
    app.stop()


@pytest.fixture(scope="session")
def app_url(app_server) -> str:
    return app_server.url


@pytest.fixture(scope="session")
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture
def context(context, request_log, request):
    """pytest-playwright's context, with every request and WebSocket of every page recorded."""
    test = request.node.nodeid
    context.on("request", lambda r: request_log.add(test, "request", r.url))
    context.on("page", lambda p: p.on("websocket", lambda ws: request_log.add(test, "websocket", ws.url)))
    yield context
    outside = request_log.outside(test)
    if outside:
        pytest.fail("requests to hosts other than 127.0.0.1:\n" + "\n".join(u for _, _, u in outside),
                    pytrace=False)


@pytest.fixture(scope="session")
def screenshots() -> pathlib.Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
