"""The audit log (perfeval.auth.audit_log): entries appended as JSON lines and on disk before `record` returns,
a process killed right after it keeps its entry, rotation by size and by day loses nothing, two processes
writing at once interleave no line, and the reader's filters."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap

import pytest

from perfeval.auth import audit_log
from perfeval.auth.audit_log import AuditLogError, Rotation

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UTC = dt.timezone.utc


def rec(path, action="page_view", user="alice", **kw):
    kw.setdefault("role", "admin")
    return audit_log.record(action, user=user, path=path, **kw)


def lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_an_entry_is_one_json_line_with_every_field(tmp_path):
    log = tmp_path / "audit" / "audit.jsonl"
    e = rec(log, "import", role="district", params={"file": "福田.xlsx", "batch": "b1"},
            rows={"projects": 3, "budget": 12}, client="10.0.0.7")
    rec(log, "withdraw", params={"batch": "b1"}, outcome="refused", message="其他行依赖本批次")
    got = lines(log)
    assert len(got) == 2
    assert got[0] == e
    assert list(got[0]) == list(audit_log.FIELDS)
    assert got[0]["params"] == {"file": "福田.xlsx", "batch": "b1"}
    assert got[0]["rows"] == {"projects": 3, "budget": 12}
    assert (got[0]["user"], got[0]["role"], got[0]["client"], got[0]["outcome"]) == ("alice", "district",
                                                                                      "10.0.0.7", "ok")
    when = dt.datetime.fromisoformat(got[0]["time"])
    assert when.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(UTC) - when) < dt.timedelta(minutes=1)
    assert (got[1]["action"], got[1]["outcome"], got[1]["message"]) == ("withdraw", "refused", "其他行依赖本批次")
    assert "福田" in log.read_text(encoding="utf-8")  # Chinese kept readable, not \u-escaped


def test_unknown_action_or_outcome_is_refused(tmp_path):
    log = tmp_path / "a.jsonl"
    with pytest.raises(ValueError, match="unknown audit action"):
        rec(log, "delete_everything")
    with pytest.raises(ValueError, match="unknown audit outcome"):
        rec(log, outcome="maybe")
    assert not log.exists()


def test_params_are_made_json_and_long_texts_cut(tmp_path):
    log = tmp_path / "a.jsonl"
    e = rec(log, "cli", params={"command": "sql", "argv": ("sql", "x" * 5000), "path": tmp_path,
                                "on": dt.date(2026, 1, 2), "set": {"b", "a"}})
    assert e["params"]["argv"][1].startswith("x" * audit_log.MAX_TEXT) and e["params"]["argv"][1].endswith("(+1000)")
    assert e["params"]["path"] == str(tmp_path)
    assert e["params"]["on"] == "2026-01-02"
    assert e["params"]["set"] == ["a", "b"]
    assert lines(log) == [e]


def test_written_with_o_append_and_fsynced_before_record_returns(tmp_path, monkeypatch):
    log = tmp_path / "a.jsonl"
    calls = []
    real_open, real_fsync, real_write = os.open, os.fsync, os.write
    fds, opened = {}, []  # descriptor → the file it is open on now; every open's (file, flags)

    def spy_open(p, flags, *a, **k):
        fd = real_open(p, flags, *a, **k)
        fds[fd] = (str(p), flags)
        opened.append((str(p), flags))
        return fd

    def spy_write(fd, data):
        calls.append(("write", fds.get(fd, ("?",))[0]))
        return real_write(fd, data)

    def spy_fsync(fd):
        calls.append(("fsync", fds.get(fd, ("?",))[0]))
        return real_fsync(fd)

    monkeypatch.setattr(audit_log.os, "open", spy_open)
    monkeypatch.setattr(audit_log.os, "write", spy_write)
    monkeypatch.setattr(audit_log.os, "fsync", spy_fsync)
    rec(log)
    flags = [f for p, f in opened if p == str(log)]
    assert flags and all(f & os.O_APPEND for f in flags)
    # the line, then the file's fsync; the folder's fsync too, since the file was new
    assert calls[:2] == [("write", str(log)), ("fsync", str(log))]
    assert ("fsync", str(tmp_path)) in calls
    calls.clear()
    rec(log)
    assert calls == [("write", str(log)), ("fsync", str(log))]


def test_a_process_killed_right_after_record_keeps_its_entry(tmp_path):
    log = tmp_path / "audit.jsonl"
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {ROOT!r})
        from perfeval.auth import audit_log
        e = audit_log.record("import", user="bob", role="district", params={{"batch": "b7"}},
                             rows={{"projects": 1}}, path={str(log)!r})
        print(e["id"], flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        entry_id = proc.stdout.readline().strip()
        os.kill(proc.pid, signal.SIGKILL)  # the instant record has returned
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert entry_id
    got = audit_log.read(log)
    assert [(e["id"], e["action"], e["user"], e["rows"]) for e in got] == [(entry_id, "import", "bob",
                                                                             {"projects": 1})]


def test_rotation_by_size_keeps_every_entry(tmp_path):
    log = tmp_path / "audit.jsonl"
    small = Rotation(max_bytes=1200, daily=False)
    written = [audit_log.record("page_view", user=f"u{i}", role="viewer", params={"page": "overview", "i": i},
                                path=log, rotation=small)["id"] for i in range(40)]
    files = audit_log.files(log)
    assert len(files) > 5 and files[-1] == log
    for f in files:
        assert f.stat().st_size <= 1200
    for f in files[:-1]:
        assert f.name.startswith("audit.") and f.name.endswith("Z.jsonl")
        assert not f.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # kept as it is
    got = audit_log.read(log)
    assert [e["id"] for e in got] == written
    assert [e["params"]["i"] for e in got] == list(range(40))
    # the rotated files hold the oldest entries, the current file the newest
    assert lines(log)[-1]["id"] == written[-1]


def test_rotation_by_day(tmp_path):
    log = tmp_path / "audit.jsonl"
    first = rec(log)["id"]
    yesterday = (dt.datetime.now(UTC) - dt.timedelta(days=1)).timestamp()
    os.utime(log, (yesterday, yesterday))  # its last entry was written yesterday
    second = rec(log)["id"]
    third = rec(log)["id"]
    files = audit_log.files(log)
    assert len(files) == 2
    assert [e["id"] for e in lines(files[0])] == [first]
    assert [e["id"] for e in lines(log)] == [second, third]
    assert [e["id"] for e in audit_log.read(log)] == [first, second, third]


def test_rotate_never_overwrites_an_old_file(tmp_path, monkeypatch):
    log = tmp_path / "audit.jsonl"
    fixed = dt.datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    monkeypatch.setattr(audit_log, "now_utc", lambda: fixed)  # two rotations in the same microsecond
    rec(log, user="a")
    audit_log.rotate(log)
    rec(log, user="b")
    audit_log.rotate(log)
    rec(log, user="c")
    assert len(audit_log.files(log)) == 3
    assert [e["user"] for e in audit_log.read(log)] == ["a", "b", "c"]


def test_a_torn_line_is_closed_and_reported_not_hidden(tmp_path):
    log = tmp_path / "audit.jsonl"
    a = rec(log)["id"]
    with open(log, "ab") as f:  # what a crash in the middle of a write would leave
        f.write(b'{"id":"x","time":"2026-')
    b = rec(log)["id"]
    damaged = []
    got = audit_log.read(log, damaged=damaged)
    assert [e["id"] for e in got] == [a, b]
    assert len(damaged) == 1 and damaged[0][0] == str(log) and damaged[0][1] == 2


def test_filters(tmp_path):
    log = tmp_path / "audit.jsonl"
    t0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    plan = [("alice", "sign_in", 0), ("alice", "page_view", 1), ("bob", "sign_in_failed", 2),
            ("bob", "import", 3), ("carol", "download", 4), ("alice", "withdraw", 5)]
    for user, action, h in plan:
        audit_log.record(action, user=user, role="admin", path=log, now=t0 + dt.timedelta(hours=h),
                         rotation=Rotation(daily=False))

    def got(**kw):
        return [(e["user"], e["action"]) for e in audit_log.read(log, **kw)]

    assert len(got()) == 6
    assert got(user="alice") == [("alice", "sign_in"), ("alice", "page_view"), ("alice", "withdraw")]
    assert got(action="sign_in_failed") == [("bob", "sign_in_failed")]
    assert got(action=["import", "withdraw"]) == [("bob", "import"), ("alice", "withdraw")]
    assert got(since=t0 + dt.timedelta(hours=3)) == [("bob", "import"), ("carol", "download"), ("alice", "withdraw")]
    assert got(until="2026-12-01T10:00:00Z") == [("alice", "sign_in"), ("alice", "page_view")]
    assert got(since="2026-12-01T09:00:00", until=t0 + dt.timedelta(hours=4), user="bob") == [
        ("bob", "sign_in_failed"), ("bob", "import")]
    assert got(since=dt.date(2026, 12, 2)) == []
    assert got(user="nobody") == []
    df = audit_log.read_frame(log, user="bob")
    assert list(df.columns) == list(audit_log.FIELDS)
    assert list(df["action"]) == ["sign_in_failed", "import"]
    assert str(df["time"].dt.tz) == "UTC"


def test_since_skips_files_rotated_before_it_without_losing_entries(tmp_path):
    log = tmp_path / "audit.jsonl"
    rec(log, user="old")
    old_file = audit_log.rotate(log)
    cut = dt.datetime.now(UTC)
    rec(log, user="new")
    assert old_file and old_file.exists()
    assert [e["user"] for e in audit_log.read(log, since=cut)] == ["new"]
    assert [e["user"] for e in audit_log.read(log)] == ["old", "new"]


WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from perfeval.auth import audit_log
    rot = audit_log.Rotation(max_bytes=6000, daily=False)
    for i in range({n}):
        audit_log.record("cli", user={who!r}, role="admin", params={{"command": "summary", "i": i, "pad": "x" * (i % 50)}},
                         path={log!r}, rotation=rot)
""")


def test_two_processes_writing_at_once_lose_and_mix_nothing(tmp_path):
    log = tmp_path / "audit.jsonl"
    n = 150
    procs = [subprocess.Popen([sys.executable, "-c", WRITER.format(root=ROOT, n=n, who=who, log=str(log))])
             for who in ("p1", "p2")]
    for p in procs:
        assert p.wait(timeout=120) == 0
    damaged = []
    got = audit_log.read(log, damaged=damaged)
    assert damaged == []
    assert len(got) == 2 * n and len({e["id"] for e in got}) == 2 * n
    for who in ("p1", "p2"):
        assert [e["params"]["i"] for e in got if e["user"] == who] == list(range(n))
    assert len(audit_log.files(log)) > 3  # they rotated while the other was writing
    for f in audit_log.files(log):
        for raw in f.read_text(encoding="utf-8").splitlines():
            json.loads(raw)  # every line whole


def test_an_unwritable_log_raises_naming_the_file(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    log = blocker / "audit.jsonl"
    with pytest.raises(AuditLogError, match="审计日志无法写入 / the audit log cannot be written") as info:
        rec(log)
    assert str(log) in str(info.value)
    with pytest.raises(AuditLogError):
        audit_log.check_writable(log)


def test_check_writable_writes_no_entry(tmp_path):
    log = tmp_path / "x" / "audit.jsonl"
    assert audit_log.check_writable(log) == log
    assert audit_log.read(log) == []


def test_default_path(tmp_path, monkeypatch):
    monkeypatch.delenv("PERFEVAL_AUTH", raising=False)  # no auth settings: local mode
    monkeypatch.setenv(audit_log.ENV, str(tmp_path / "elsewhere.jsonl"))
    assert audit_log.default_path() == tmp_path / "elsewhere.jsonl"
    monkeypatch.delenv(audit_log.ENV)
    lake = tmp_path / "srv" / "lake"
    assert audit_log.default_path(lake) == tmp_path / "srv" / "audit" / "audit.jsonl"  # beside the lake, not in it
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    assert audit_log.default_path() == tmp_path / "srv" / "audit" / "audit.jsonl"


def test_the_auth_settings_say_where_the_log_is(tmp_path, monkeypatch):
    from perfeval.auth.settings import parse_settings

    settings = parse_settings('audit_log = "logs/audit.log"\n', tmp_path / "auth.toml")
    monkeypatch.setenv(audit_log.ENV, str(tmp_path / "elsewhere.jsonl"))
    assert audit_log.default_path(settings=settings) == tmp_path / "logs" / "audit.log"
    (tmp_path / "auth.toml").write_text('audit_log = "logs/audit.log"\n', encoding="utf-8")
    monkeypatch.setenv("PERFEVAL_AUTH", str(tmp_path / "auth.toml"))
    assert audit_log.default_path() == tmp_path / "logs" / "audit.log"
    # any suffix: the rotated files keep it
    log = audit_log.default_path()
    rec(log, user="a")
    old = audit_log.rotate(log)
    rec(log, user="b")
    assert old.suffix == ".log" and old.name.startswith("audit.")
    assert [e["user"] for e in audit_log.read(log)] == ["a", "b"]
