"""The documented reverse proxy (deploy/nginx): health check, gzip, WebSocket upgrade over HTTP and
TLS, sticky sessions across the replicas. Skipped where nginx is not installed."""
from __future__ import annotations

import pathlib
import re
import ssl
import urllib.parse
import urllib.request
import uuid

import pytest
import streamlit

from deploy import probe
from deploy.cluster import http_get
from tests.browser import ui
from tests.browser.pages import TJ
from tests.conftest import ROOT

STATIC = pathlib.Path(streamlit.__file__).parent / "static"
PLOTLY_JS = "/app/static/plotly-perfeval.min.js"  # the app's own plotly.js (perfeval/ui/plot.py)
MAIN_CSS = "/static/css/" + next((STATIC / "static" / "css").glob("index.*.css")).name


def test_health_check_through_the_proxy_over_http_and_tls(proxy):
    assert http_get(proxy.url + "/_stcore/health")[::2] == (200, b"ok")
    ctx = ssl.create_default_context(cafile=str(proxy.run_dir / "tls" / "perfeval.crt"))
    with urllib.request.urlopen(proxy.https_url + "/_stcore/health", context=ctx, timeout=10) as r:
        assert (r.status, r.read()) == (200, b"ok")


@pytest.mark.parametrize("path", [PLOTLY_JS, MAIN_CSS, "/project"])
def test_js_css_and_html_are_compressed_by_the_proxy(proxy, replicas, path):
    gz = {"Accept-Encoding": "gzip"}
    status, direct_headers, direct = http_get(replicas[0].url + path, headers=gz, timeout=30)
    assert status == 200
    status, headers, body = http_get(proxy.url + path, headers=gz, timeout=30)
    assert status == 200
    assert headers.get("content-encoding") == "gzip"
    if path.startswith("/static/"):
        assert "content-encoding" not in direct_headers  # why the proxy is needed
        assert len(body) < 0.4 * len(direct)
    if path == PLOTLY_JS:  # the app's static/ folder: Streamlit compresses it itself, the proxy too
        assert direct_headers.get("content-encoding") == "gzip"
        assert len(body) < 0.4 * (ROOT / "static" / "plotly-perfeval.min.js").stat().st_size


@pytest.mark.parametrize("page", ["/", "/project", "/compare"])
def test_the_proxy_adds_a_preload_of_the_plotly_bundle_to_every_page(proxy, replicas, page):
    """The browser fetches and compiles the app's plotly.js while the page script runs instead of after
    the first chart's data arrives (docs/deployment.md). The hint resolves, from the page's path, to
    the bundle itself, served as JavaScript (a module script is refused under any other type)."""
    _, _, direct = http_get(replicas[0].url + page, timeout=30)
    _, _, body = http_get(proxy.url + page, timeout=30)
    html = body.decode()
    links = re.findall(r'<link rel="modulepreload" href="([^"]+)"></head>', html)
    assert links == ["." + PLOTLY_JS]
    assert html.replace(f'<link rel="modulepreload" href=".{PLOTLY_JS}">', "") == direct.decode()
    target = urllib.parse.urljoin(proxy.url + page, links[0])
    status, headers, js = http_get(target, timeout=30)
    assert status == 200 and headers.get("content-type", "").split(";")[0] in ("application/javascript",
                                                                               "text/javascript")
    assert js == (ROOT / "static" / "plotly-perfeval.min.js").read_bytes()


def test_pages_run_over_the_proxied_websocket_http_and_https(proxy):
    for base in (proxy.url, proxy.https_url):
        run = probe.run_page(base, f"project?project={TJ}")
        assert run.finished == "FINISHED_SUCCESSFULLY" and not run.exceptions
        assert "2022年电诈运行保障经费" in run.texts and "91.5" in run.texts


def _upstreams(proxy, node: str) -> set[str]:
    log = (proxy.run_dir / "logs" / "access.log").read_text()
    return set(re.findall(r"upstream=(\S+) node=" + re.escape(node) + r" ", log)) - {"-"}  # "-": a cache hit


def test_sticky_sessions(proxy, replicas):
    # a first visit gets a key in a cookie ...
    _, headers, _ = http_get(proxy.url + "/project")
    cookie = re.search(r"perfeval_node=(\w+)", headers.get("set-cookie", ""))
    assert cookie, headers
    key = cookie.group(1)
    # ... and every later request carrying it, HTTP or WebSocket, reaches the same replica
    for path in ("/_stcore/host-config", "/project", "/overview", MAIN_CSS):
        http_get(proxy.url + path, headers={"Cookie": f"perfeval_node={key}"})
    probe.run_page(proxy.url, "project", headers={"Cookie": f"perfeval_node={key}"})
    assert len(_upstreams(proxy, key)) == 1
    # while different browsers are spread over both replicas
    seen = set()
    for _ in range(24):
        other = uuid.uuid4().hex
        http_get(proxy.url + "/_stcore/host-config", headers={"Cookie": f"perfeval_node={other}"})
        seen |= _upstreams(proxy, other)
    assert seen == {f"127.0.0.1:{a.port}" for a in replicas}


@pytest.mark.browser
def test_a_browser_through_the_tls_proxy(browser, proxy, request_log, request):
    ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 1000})
    test = request.node.nodeid
    ctx.on("request", lambda r: request_log.add(test, "request", r.url))
    try:
        page = ctx.new_page()
        ui.open_page(page, f"{proxy.https_url}/project?project={TJ}")
        assert ui.errors(page) == []
        assert ui.metrics(page)["报告总分"] == "91.5"
        assert ui.chart(page, "一级指标").count() == 1
        cookies = {c["name"] for c in ctx.cookies()}
        assert "perfeval_node" in cookies
    finally:
        ctx.close()
    assert request_log.outside(test) == []
    assert any(u.startswith(proxy.https_url) for t, _, u in request_log.entries if t == test)
