"""The audit log on the command line: every call of ``python -m perfeval`` writes its entry (who, role, command,
arguments, exit status), a call that cannot be logged does not run, and ``log`` reads and filters the log for
administrators only."""
from __future__ import annotations

import datetime as dt
import json
import pathlib
import subprocess
import sys

import pytest

from perfeval import cli
from perfeval.auth import audit_log

ROOT = pathlib.Path(__file__).resolve().parents[2]
UTC = dt.timezone.utc


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture()
def log(tmp_path, monkeypatch):
    path = tmp_path / "audit" / "audit.jsonl"
    monkeypatch.setenv(audit_log.ENV, str(path))
    monkeypatch.delenv("PERFEVAL_AUTH", raising=False)  # local mode: no --as, the local administrator
    return path


@pytest.fixture()
def signed(tmp_path, monkeypatch, log):
    """Sign-in configured (mode proxy): the CLI needs --as, from the users file."""
    (tmp_path / "users.toml").write_text(
        '[[users]]\nname = "boss"\nrole = "admin"\n\n[[users]]\nname = "futian"\nrole = "district"\n'
        'regions = ["440304"]\n', encoding="utf-8")
    (tmp_path / "auth.toml").write_text('mode = "proxy"\nusers_file = "users.toml"\n', encoding="utf-8")
    monkeypatch.setenv("PERFEVAL_AUTH", str(tmp_path / "auth.toml"))
    return log


def test_every_call_writes_its_entry(capsys, log):
    code, out, _ = run(capsys, "summary", "--json")
    assert code == 0 and json.loads(out)
    [e] = audit_log.read(log)
    assert (e["action"], e["user"], e["role"], e["outcome"]) == ("cli", "本机", "admin", "ok")
    assert e["params"]["command"] == "summary" and e["params"]["argv"] == ["summary", "--json"]
    assert e["params"]["exit"] == 0 and e["client"].startswith("cli@")
    code, _, _ = run(capsys, "validate", str(ROOT / "no-such-folder"))
    assert code != 0
    last = audit_log.read(log)[-1]
    assert last["params"]["command"] == "validate" and last["params"]["exit"] == code and last["outcome"] != "ok"


def test_a_refused_user_is_logged(capsys, signed):
    code, out, err = run(capsys, "--as", "mallory", "summary")
    assert code == 2 and out == "" and "mallory" in err
    code, _, _ = run(capsys, "--as", "futian", "compact", "--dry-run")  # a district may not compact
    assert code == 2
    got = [(e["user"], e["role"], e["params"]["command"], e["outcome"]) for e in audit_log.read(signed)]
    assert got == [("mallory", None, "summary", "refused"), ("futian", "district", "compact", "refused")]
    assert audit_log.read(signed)[0]["params"]["argv"] == ["--as", "mallory", "summary"]


def test_a_call_that_cannot_be_logged_does_not_run(capsys, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(audit_log.ENV, str(blocker / "audit.jsonl"))
    monkeypatch.delenv("PERFEVAL_AUTH", raising=False)
    code, out, err = run(capsys, "summary", "--json")
    assert code == 3 and out == ""
    assert "审计日志无法写入" in err and str(blocker / "audit.jsonl") in err


def test_an_error_is_logged_and_raised(capsys, log, monkeypatch):
    import perfeval.cli.read as read

    def broken(args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(read, "summary_command", broken)
    with pytest.raises(RuntimeError):
        cli.main(["summary"])
    [e] = audit_log.read(log)
    assert e["outcome"] == "failed" and "disk on fire" in e["message"]


def _plant(log):
    t0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    for h, (action, user) in enumerate([("sign_in", "futian"), ("import", "futian"), ("download", "bureau"),
                                        ("sign_in_failed", "mallory")]):
        audit_log.record(action, user=user, role="district" if user == "futian" else None, path=log,
                         now=t0 + dt.timedelta(days=h), params={"n": h}, rotation=audit_log.Rotation(daily=False))


def test_log_reads_and_filters(capsys, log):
    _plant(log)
    code, out, _ = run(capsys, "log", "--json", "--until", "2026-12-04")
    assert code == 0
    got = json.loads(out)
    assert [(e["action"], e["user"]) for e in got] == [("sign_in", "futian"), ("import", "futian"),
                                                        ("download", "bureau"), ("sign_in_failed", "mallory")]
    code, out, _ = run(capsys, "log", "--json", "--user", "futian", "--since", "2026-12-02", "--until", "2026-12-05")
    assert [e["action"] for e in json.loads(out)] == ["import"]
    code, out, _ = run(capsys, "log", "--json", "--action", "download", "--action", "sign_in_failed")
    assert [e["user"] for e in json.loads(out)] == ["bureau", "mallory"]
    code, out, _ = run(capsys, "log", "--json", "--limit", "1", "--until", "2026-12-05")
    assert [e["user"] for e in json.loads(out)] == ["mallory"]
    # the calls of this test are entries too (today, after the planted ones)
    code, out, _ = run(capsys, "log", "--json", "--action", "cli")
    assert [e["params"]["argv"][:2] for e in json.loads(out)] == [["log", "--json"]] * 4
    # text: oldest first, in words
    code, out, _ = run(capsys, "log", "--lang", "en", "--until", "2026-12-05")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Time", "(UTC)", "User"]
    body = "\n".join(lines[2:])
    assert body.index("Sign-in") < body.index("Import") < body.index("Download") < body.index("Failed sign-in")
    assert "4 entries" in lines[-1]
    code, _, err = run(capsys, "log", "--since", "yesterday")
    assert code == 2 and "--since" in err


def test_log_is_for_administrators_only(capsys, signed):
    _plant(signed)
    code, out, err = run(capsys, "--as", "futian", "log", "--json")
    assert code == 2 and out == "" and "futian" in err
    code, out, _ = run(capsys, "--as", "boss", "log", "--json", "--user", "futian")
    # futian's refused call is futian's entry too
    assert code == 0 and [e["action"] for e in json.loads(out)] == ["sign_in", "import", "cli"]
    calls = audit_log.read(signed, action="cli")
    assert [(e["user"], e["outcome"]) for e in calls] == [("futian", "refused"), ("boss", "ok")]


def test_python_m_perfeval_logs_its_call(log):
    done = subprocess.run([sys.executable, "-m", "perfeval", "log", "--json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    [e] = audit_log.read(log)
    assert e["params"]["argv"] == ["log", "--json"] and e["params"]["command"] == "log"
