"""No request leaves 127.0.0.1: a police intranet has no internet, a dashboard that calls out is broken.

Each browser test already fails if its pages asked another host (tests/browser/conftest.py); this file
visits every page with the widgets a person touches, checks the log of the whole session, and shows
that the recorder does catch an outside request.
"""
from __future__ import annotations

import pytest

from tests.browser import ui
from tests.browser.conftest import is_local
from tests.browser.pages import FT, routed_pages

pytestmark = pytest.mark.browser


def test_is_local():
    assert is_local("http://127.0.0.1:8501/static/js/x.js")
    assert is_local("ws://127.0.0.1:8501/_stcore/stream")
    assert is_local("data:image/png;base64,AAAA")
    assert is_local("blob:http://127.0.0.1:8501/0b1c")
    assert not is_local("https://fonts.gstatic.com/s/materialsymbols.woff2")
    assert not is_local("http://localhost.example.com/")
    assert not is_local("http://127.0.0.2/")


def test_every_page_and_widget_stays_on_localhost(page, app_url, request_log, request):
    for pg in routed_pages():
        ui.open_page(page, f"{app_url}/{pg.url}?project={FT}")
        # what a person touches: hover a chart (the plotly mode bar), open an expander and a select box
        chart = page.locator(ui.CHART)
        if chart.count():
            chart.first.hover()
            page.wait_for_timeout(300)
        exp = page.locator('[data-testid="stExpander"] summary')
        if exp.count():
            exp.first.click()
        if pg.has_filters:   # the import page's sidebar has the language switch only
            page.locator('[data-testid="stSidebar"] [role="combobox"]').first.click()
            page.keyboard.press("Escape")
            ui.wait_ready(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').get_by_text("English").click()
    ui.wait_ready(page)
    mine = [e for e in request_log.entries if e[0] == request.node.nodeid]
    assert any(kind == "websocket" for _, kind, _ in mine), "the WebSocket was recorded too"
    assert len(mine) > 50
    assert request_log.outside() == []


def test_the_recorder_catches_an_outside_request(browser, app_url):
    """The check can fail: a page that fetches another host is recorded as outside."""
    from tests.browser.conftest import RequestLog

    log = RequestLog()
    ctx = browser.new_context()
    try:
        ctx.on("request", lambda r: log.add("probe", "request", r.url))
        pg = ctx.new_page()
        pg.goto(f"{app_url}/_stcore/health")
        pg.evaluate("() => fetch('http://example.invalid/x').catch(() => null)")
        pg.wait_for_timeout(200)
    finally:
        ctx.close()
    assert [u for _, _, u in log.outside()] == ["http://example.invalid/x"]
