"""Every audited action of the import page writes its entries (perfeval.ui.upload's import, supersede,
withdraw and restore through perfeval.ui.audit.audited; the problems CSV download): a 'started' entry before
the action and its result after, with the file, the batch and the row counts; an import that cannot be logged
does not happen."""
from __future__ import annotations

import pytest

from perfeval.auth import audit_log
from tests.app.helpers import run_page
from tests.app.test_import_page import _active, _committed, _lake, _upload, workbook


@pytest.fixture()
def lake(tmp_path, monkeypatch):
    lake = _lake(tmp_path)
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    monkeypatch.setenv(audit_log.ENV, str(tmp_path / "audit" / "audit.jsonl"))
    monkeypatch.delenv("PERFEVAL_AUTH", raising=False)  # local mode: the local administrator 本机
    return lake


def acts(log_path) -> list[tuple]:
    return [(e["action"], e["outcome"]) for e in audit_log.read(log_path)
            if e["action"] not in ("page_view", "sign_in")]


def test_import_and_withdraw_write_their_entries(lake, tmp_path):
    log = tmp_path / "audit" / "audit.jsonl"
    at = _upload(run_page("import"), "南山.xlsx", workbook())
    at.button(key="commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [batch] = _active(lake)
    assert acts(log) == [("import", "started"), ("import", "ok")]
    started, done = audit_log.read(log, action="import")
    assert started["params"]["staged"] == "南山.xlsx" and started["rows"] is None
    assert done["params"]["batch"] == batch and done["params"]["started"] == started["id"]
    assert done["rows"]["projects"] == 1 and done["rows"]["budget"] == 1
    assert (done["user"], done["role"]) == ("本机", "admin")

    at.button(key="withdraw").click().run()
    assert not at.exception
    w = audit_log.read(log, action="withdraw")
    assert [(e["outcome"], e["params"]["batch_id"]) for e in w] == [("started", batch), ("ok", batch)]


def test_supersede_and_restore_write_their_entries(lake, tmp_path):
    log = tmp_path / "audit" / "audit.jsonl"
    old = _committed(lake)
    at = _upload(run_page("import"), "南山-更正.xlsx", workbook(score="91"))
    at.button(key="supersede").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [new] = _active(lake)
    s = audit_log.read(log, action="supersede")
    assert [e["outcome"] for e in s] == ["started", "ok"]
    assert s[1]["params"]["supersede"] == {"batches": [old.id]} and s[1]["params"]["batch"] == new
    assert s[1]["params"]["staged"] == "南山-更正.xlsx" and s[1]["rows"]["projects"] == 1

    # a refused restore (the project is in the new batch) is logged refused, with why
    at.selectbox(key="w_batch").set_value(old.id).run()
    at.button(key="batch_restore").click().run()
    r = audit_log.read(log, action="restore")
    assert [e["outcome"] for e in r] == ["started", "refused"] and new in r[1]["message"]
    at.selectbox(key="w_batch").set_value(new).run()
    at.button(key="batch_withdraw").click().run()
    at.selectbox(key="w_batch").set_value(old.id).run()
    at.button(key="batch_restore").click().run()
    assert not at.exception and _active(lake) == [old.id]
    assert acts(log)[-4:] == [("withdraw", "started"), ("withdraw", "ok"), ("restore", "started"), ("restore", "ok")]


def test_an_import_that_cannot_be_logged_does_not_happen(lake, tmp_path, monkeypatch):
    at = _upload(run_page("import"), "南山.xlsx", workbook())
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv(audit_log.ENV, str(blocker / "audit.jsonl"))  # the log cannot be written from now on
    at.button(key="commit").click().run()
    assert not at.exception
    assert any("审计日志无法写入" in e.value for e in at.error)  # said, not "imported"
    assert not any("已导入" in s.value for s in at.success)
    assert not (lake / "imports").exists() or _active(lake) == []


def test_the_problems_csv_download_is_logged(lake, tmp_path):
    log = tmp_path / "audit" / "audit.jsonl"
    at = _upload(run_page("import"), "南山.xlsx", workbook(score="八十八"))
    [button] = [b for b in at.get("download_button") if b.proto.label.startswith("⬇️ 下载问题清单")]
    assert not audit_log.read(log, action="download")
    button.click().run()
    [e] = audit_log.read(log, action="download")
    assert e["params"]["kind"] == "problems_csv" and e["params"]["file"].endswith(".csv")
