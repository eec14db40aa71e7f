"""The app's audit entries (perfeval.ui.audit) outside a page: an action that changes the lake is logged before
it runs (and does not run when it cannot be) and after, with its result; a crash in the middle leaves the
first entry; a deferred download hands out its bytes only once its entry is written."""
from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass

import pytest

from perfeval.auth import audit_log
from perfeval.data.imports.batches import WithdrawRefused
from perfeval.ui import audit

ROOT = pathlib.Path(__file__).resolve().parents[2]


@dataclass
class Upload:
    filename: str


@dataclass
class Batch:
    id: str
    rows: dict


@pytest.fixture()
def log(tmp_path, monkeypatch):
    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv(audit_log.ENV, str(path))
    monkeypatch.delenv("PERFEVAL_AUTH", raising=False)  # local mode: the local administrator
    return path


def test_an_import_is_logged_before_and_after(log):
    calls = []

    @audit.audited("import")
    def commit(staged, note=None):
        calls.append(staged)
        assert [e["outcome"] for e in audit_log.read(log)] == ["started"]  # on disk before it runs
        return Batch("20261208-ab", {"projects": 2, "budget": 5})

    batch = commit(Upload("福田.xlsx"))
    assert batch.id == "20261208-ab" and len(calls) == 1
    started, done = audit_log.read(log)
    assert (started["action"], started["outcome"], started["params"]) == ("import", "started",
                                                                          {"staged": "福田.xlsx", "note": None})
    assert (done["outcome"], done["rows"], done["params"]["batch"]) == ("ok", {"projects": 2, "budget": 5},
                                                                        "20261208-ab")
    assert done["params"]["started"] == started["id"]
    assert (done["user"], done["role"]) == ("本机", "admin")


def test_a_refused_or_failed_action_is_logged_and_raised(log):
    @audit.audited("withdraw")
    def withdraw(batch_id):
        raise WithdrawRefused(f"rows depend on {batch_id}")

    with pytest.raises(WithdrawRefused):
        withdraw("b1")

    @audit.audited("restore")
    def restore(batch_id):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        restore("b2")
    got = [(e["action"], e["outcome"], e["params"]["batch_id"]) for e in audit_log.read(log)]
    assert got == [("withdraw", "started", "b1"), ("withdraw", "refused", "b1"),
                   ("restore", "started", "b2"), ("restore", "failed", "b2")]
    assert "rows depend on b1" in audit_log.read(log)[1]["message"]
    assert "RuntimeError: disk full" in audit_log.read(log)[3]["message"]


def test_an_action_that_cannot_be_logged_does_not_run(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(audit_log.ENV, str(blocker / "audit.jsonl"))
    monkeypatch.delenv("PERFEVAL_AUTH", raising=False)
    calls = []

    @audit.audited("import")
    def commit(staged):
        calls.append(staged)

    with pytest.raises(audit_log.AuditLogError):
        commit(Upload("a.xlsx"))
    assert calls == []


def test_an_action_whose_result_cannot_be_logged_is_not_reported_done(log):
    @audit.audited("import")
    def commit(staged):
        log.unlink()
        log.mkdir()  # the log cannot be appended to any more
        return Batch("b", {"projects": 1})

    with pytest.raises(audit_log.AuditLogError):
        commit(Upload("a.xlsx"))


def test_a_crash_right_after_an_import_leaves_its_entry(log, tmp_path):
    marker = tmp_path / "imported"
    script = textwrap.dedent(f"""
        import os, pathlib, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from perfeval.ui import audit

        @audit.audited("import")
        def commit(staged):
            pathlib.Path({str(marker)!r}).write_text("batch written")
            os.kill(os.getpid(), signal.SIGKILL)  # the process dies right after the import

        commit("福田.xlsx")
    """)
    done = subprocess.run([sys.executable, "-c", script], env={**os.environ, audit_log.ENV: str(log)},
                          capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL
    assert marker.read_text() == "batch written"
    [e] = audit_log.read(log)
    assert (e["action"], e["outcome"], e["params"]["staged"]) == ("import", "started", "福田.xlsx")


def test_a_deferred_download_is_logged_before_its_bytes(log):
    make = audit.download("deck_portfolio", lambda: b"PK-deck", file="d.pptx", filters={"region": "4403"})
    assert audit_log.read(log) == []  # nothing until the click
    assert make() == b"PK-deck"
    [e] = audit_log.read(log)
    assert e["params"] == {"kind": "deck_portfolio", "file": "d.pptx", "filters": {"region": "4403"}, "bytes": 7}

    def broken():
        raise ValueError("no slides")

    with pytest.raises(ValueError):
        audit.download("deck_project", broken, project="P1")()
    assert audit_log.read(log)[-1]["outcome"] == "failed"


def test_no_entry_no_bytes(tmp_path, monkeypatch):
    folder = tmp_path / "logs"
    monkeypatch.setenv(audit_log.ENV, str(folder / "audit.jsonl"))
    monkeypatch.delenv("PERFEVAL_AUTH", raising=False)
    make = audit.download("deck_portfolio", lambda: b"PK-deck")
    folder.write_text("")  # the log's folder cannot be made
    with pytest.raises(audit_log.AuditLogError):
        make()


def test_import_or_supersede_and_how_arguments_are_described(log):
    from perfeval.data.gate import Scope

    @dataclass(frozen=True)
    class Offer:
        batch_ids: tuple

    @audit.audited(lambda args: "supersede" if args["supersede"] is not None else "import")
    def commit(staged, *, supersede=None, scope=None, who="本机"):
        return Batch("new", {"projects": 1})

    commit(Upload("a.xlsx"))
    commit(Upload("b.xlsx"), supersede=Offer(("old1", "old2")), scope=Scope(("440304",), True, None))
    got = audit_log.read(log)
    assert [(e["action"], e["outcome"]) for e in got] == [("import", "started"), ("import", "ok"),
                                                          ("supersede", "started"), ("supersede", "ok")]
    p = got[3]["params"]
    assert p["staged"] == "b.xlsx" and p["supersede"] == {"batches": ["old1", "old2"]}
    assert p["scope"] == {"regions": ["440304"], "include_demo": True, "projects": None}
    assert p["who"] == "本机" and p["batch"] == "new"
