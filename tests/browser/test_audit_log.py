"""The audit log through a real server and Chromium: a visit writes its page views with their filters and the
client's address, a deck download writes its entry (before the file is handed out), and the administrator's
audit-log page lists them."""
from __future__ import annotations

import pytest

from deploy.cluster import AppProcess
from perfeval.auth import audit_log
from tests.browser import ui

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audited")
    log = folder / "audit" / "audit.jsonl"
    app = AppProcess(log_dir=folder, extra_env={audit_log.ENV: str(log), "PERFEVAL_AUTH": ""})
    app.start()
    yield app, log
    app.stop()


def test_views_and_a_download_are_logged(page, audited, tmp_path):
    app, log = audited
    ui.open_page(page, f"{app.url}/overview?region=4403&demo=0")
    assert ui.errors(page) == []
    views = audit_log.read(log, action="page_view")
    assert views, "the visit wrote no page view"
    first = views[0]
    assert first["params"]["page"] == "overview"
    assert first["params"]["filters"]["region"] == "4403" and first["params"]["filters"]["demo"] == "0"
    assert (first["user"], first["role"], first["client"]) == ("本机", "admin", "127.0.0.1")

    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="📑 下载汇报材料（PPTX）").click()
    d = info.value
    path = tmp_path / d.suggested_filename
    d.save_as(path)
    [e] = audit_log.read(log, action="download")
    assert e["params"]["kind"] == "deck_portfolio" and e["params"]["bytes"] == path.stat().st_size
    assert e["params"]["filters"]["region"] == "4403" and e["client"] == "127.0.0.1"

    ui.open_page(page, f"{app.url}/audit_log")
    assert ui.errors(page) == []
    assert ui.title(page) == "审计日志"
    assert "审计日志" in ui.nav_titles(page)
    text = ui.main_text(page)
    assert "下载 1" in text and "访问页面" in text  # the caption counts them by action
