"""The audit log: who did what, when, from where, and how it ended, as one JSON object per line, appended
and on disk before the action is reported done; never changed or deleted by the app.

An entry::

    {"id": "9f1c…", "time": "2026-12-08T01:10:00.123456+00:00", "user": "futian", "role": "district",
     "action": "import", "params": {"file": "x.xlsx", "batch": "20261208-…"}, "rows": {"projects": 3},
     "client": "10.0.0.7", "outcome": "ok", "message": null}

``action`` is one of `ACTIONS`, ``outcome`` one of `OUTCOMES`; ``time`` is UTC, ISO 8601. ``params`` are the
action's arguments (a page view's filters, a download's kind and file, a CLI call's command and arguments);
``rows`` the row counts it touched, where it has some.

Durability (`record`): the line is written with one ``write`` on a descriptor opened ``O_APPEND`` and
``fsync``-ed (and the folder fsync-ed when the file is new) before `record` returns, so an action reported
done has its entry on disk, even if the process is killed the next instant. Writers take an exclusive
``flock`` on ``<log>.lock`` for the write, so entries of several processes never interleave; a line left
torn by a crash in the middle of a write is closed with a newline before the next entry, and `read` reports
it (``damaged``) instead of hiding it.

Rotation, under the same lock: before an entry is written, the current file is renamed (one atomic rename)
to ``<stem>.<UTC time of rotation>Z<suffix>`` (``audit.20261208T011000123456Z.jsonl``) when the entry would
take it past `Rotation.max_bytes` or when its last entry was written on an earlier UTC day
(`Rotation.daily`). Old files are kept (made read-only), never deleted or rewritten; `read` reads the
rotated files and the current one as one log.

The log's place: `default_path` (the auth settings' ``audit_log``, else $PERFEVAL_AUDIT_LOG, else
``audit/audit.jsonl`` beside the lake folder, outside it: the lake's version and its imports never see the
log). Nothing here edits or deletes an entry;
the app only appends and reads.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import fcntl
import json
import os
import pathlib
import re
import uuid
from contextlib import contextmanager
from typing import Iterable, Iterator

from perfeval import config
from perfeval.auth.settings import AuthSettings, load_settings

ENV = "PERFEVAL_AUDIT_LOG"

ACTIONS = ("sign_in", "sign_in_failed", "sign_out", "page_view", "import", "supersede", "withdraw", "restore",
           "download", "cli")
# ok: done; refused: the app said no (bad upload, out of scope, withdrawal refused); failed: it broke;
# started: an action that changes the lake, before it runs (its result follows in a second entry)
OUTCOMES = ("ok", "refused", "failed", "started")
FIELDS = ("id", "time", "user", "role", "action", "params", "rows", "client", "outcome", "message")

MAX_TEXT = 4000          # a longer text in params (a CLI's SQL, say) is cut, and says by how much
FILE_MODE = 0o640
DIR_MODE = 0o750


class AuditLogError(OSError):
    """An entry could not be written (the action it records must not be reported done)."""


@dataclasses.dataclass(frozen=True)
class Rotation:
    max_bytes: int | None = 10 * 2 ** 20   # rotate before a file passes this size (None: never by size)
    daily: bool = True                     # rotate at the first entry of a new UTC day


ROTATION = Rotation()


def default_path(lake: str | os.PathLike | None = None, settings: AuthSettings | None = None) -> pathlib.Path:
    """Where the log is: the auth settings' ``audit_log`` (``settings``, else the file at $PERFEVAL_AUTH,
    perfeval.auth.settings), else $PERFEVAL_AUDIT_LOG, else ``audit/audit.jsonl`` in the folder that holds
    the lake folder (``lake``, else `perfeval.config.data_dir`)."""
    if settings is None:
        settings = load_settings()
    if settings.audit_log:
        return pathlib.Path(settings.audit_log)
    env = os.environ.get(ENV)
    if env:
        return pathlib.Path(env)
    return config.data_dir(lake).resolve().parent / "audit" / "audit.jsonl"


# ------------------------------------------------------------------------------------------ writing
def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _clip(value):
    """``value`` as JSON-ready data: texts cut at MAX_TEXT, paths and dates as text, tuples and sets as lists."""
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else f"{value[:MAX_TEXT]}…(+{len(value) - MAX_TEXT})"
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): _clip(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [_clip(v) for v in items]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if type(value).__module__ == "numpy" and hasattr(value, "item"):  # numpy scalars
        try:
            return _clip(value.item())
        except (TypeError, ValueError):
            pass
    return _clip(str(value))


def _name(value) -> str | None:
    """A user, role or address as text (None stays None)."""
    return None if value is None else _clip(value if isinstance(value, str) else str(value))


def entry(action: str, *, user: str | None, role: str | None, params: dict | None = None,
          rows: dict | int | None = None, client: str | None = None, outcome: str = "ok",
          message: str | None = None, now: dt.datetime | None = None) -> dict:
    """The entry `record` writes (checked: a known action and outcome, a timezone-aware time)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r} (one of {', '.join(ACTIONS)})")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown audit outcome {outcome!r} (one of {', '.join(OUTCOMES)})")
    when = now or now_utc()
    if when.tzinfo is None:
        raise ValueError("an audit time must carry its time zone")
    return {"id": uuid.uuid4().hex, "time": when.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
            "user": _name(user), "role": _name(role), "action": action, "params": _clip(dict(params or {})),
            "rows": _clip(rows), "client": _name(client), "outcome": outcome,
            "message": _clip(message) if message is not None else None}


def record(action: str, *, user: str | None, role: str | None, params: dict | None = None,
           rows: dict | int | None = None, client: str | None = None, outcome: str = "ok",
           message: str | None = None, path: str | os.PathLike | None = None, rotation: Rotation = ROTATION,
           now: dt.datetime | None = None) -> dict:
    """Append one entry to the log at ``path`` (default `default_path`) and return it once it is on disk
    (written with O_APPEND, fsync-ed). Raises `AuditLogError` (naming the file, in Chinese and English)
    when it cannot be written: the caller must then not report its action done."""
    e = entry(action, user=user, role=role, params=params, rows=rows, client=client, outcome=outcome,
              message=message, now=now)
    line = (json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    target = pathlib.Path(path) if path is not None else default_path()
    try:
        _append(target, line, rotation)
    except OSError as err:
        raise AuditLogError(err.errno or errno.EIO,
                            f"审计日志无法写入 / the audit log cannot be written: {target}: "
                            f"{err.strerror or err}") from err
    return e


def check_writable(path: str | os.PathLike | None = None) -> pathlib.Path:
    """Raise `AuditLogError` unless an entry could be appended to the log now (its folder and file can be
    created and opened for appending); nothing is written. For an action that must not start unless its
    entry can be written (an import)."""
    target = pathlib.Path(path) if path is not None else default_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        with _locked(target):
            fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
            os.close(fd)
    except OSError as err:
        raise AuditLogError(err.errno or errno.EIO,
                            f"审计日志无法写入 / the audit log cannot be written: {target}: "
                            f"{err.strerror or err}") from err
    return target


def _lock_path(path: pathlib.Path) -> pathlib.Path:
    return path.with_name(path.name + ".lock")


@contextmanager
def _locked(path: pathlib.Path, shared: bool = False) -> Iterator[None]:
    fd = os.open(_lock_path(path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _fsync_dir(folder: pathlib.Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _append(path: pathlib.Path, line: bytes, rotation: Rotation) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    with _locked(path):
        _rotate_if_due(path, len(line), rotation)
        # read-write only to look at the last byte; every write goes to the end (O_APPEND)
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line  # a line torn by a crash is closed; the new entry starts on its own line
            view = memoryview(line)
            while view:  # one write in practice; the lock keeps a rare partial write from interleaving
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if size == 0:
            _fsync_dir(path.parent)  # the new file's name is durable too


def _archive_name(path: pathlib.Path, when: dt.datetime) -> pathlib.Path:
    stamp = when.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f") + "Z"
    candidate = path.with_name(f"{path.stem}.{stamp}{path.suffix}")
    n = 1
    while candidate.exists():  # never overwrite an old file (rename would)
        candidate = path.with_name(f"{path.stem}.{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def _rotate_if_due(path: pathlib.Path, incoming: int, rotation: Rotation) -> pathlib.Path | None:
    """Under the writers' lock: rename the current file aside if the next entry (``incoming`` bytes) is due
    in a new one. Returns the old file's new name, or None."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    if st.st_size == 0:
        return None
    now = now_utc()
    too_big = rotation.max_bytes is not None and st.st_size + incoming > rotation.max_bytes
    last_day = dt.datetime.fromtimestamp(st.st_mtime, dt.timezone.utc).date()
    new_day = rotation.daily and last_day < now.date()
    if not (too_big or new_day):
        return None
    target = _archive_name(path, now)
    os.rename(path, target)  # atomic: the entries are under one name or the other, never neither
    _fsync_dir(path.parent)
    try:
        os.chmod(target, 0o440)  # kept as it is
    except OSError:
        pass
    return target


def rotate(path: str | os.PathLike | None = None) -> pathlib.Path | None:
    """Rotate the log now (as a full file would be); returns the old file's new name (None if empty)."""
    target = pathlib.Path(path) if path is not None else default_path()
    with _locked(target):
        return _rotate_if_due(target, 0, Rotation(max_bytes=0, daily=False))


# ------------------------------------------------------------------------------------------ reading
def files(path: str | os.PathLike | None = None) -> list[pathlib.Path]:
    """The log's files, oldest first: the rotated ones by their time, then the current one."""
    target = pathlib.Path(path) if path is not None else default_path()
    pattern = re.compile(rf"^{re.escape(target.stem)}\.(\d{{8}}T\d{{12}}Z)(?:-(\d+))?{re.escape(target.suffix)}$")
    rotated = []
    if target.parent.is_dir():
        for p in target.parent.iterdir():
            m = pattern.match(p.name)
            if m:
                rotated.append(((m.group(1), int(m.group(2) or 0)), p))
    out = [p for _, p in sorted(rotated)]
    if target.exists():
        out.append(target)
    return out


def _time(value) -> dt.datetime | None:
    """A bound of `read` as an aware UTC datetime: a datetime (naive = UTC), a date (its start) or ISO text."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        value = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), dt.timezone.utc)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _rotated_at(p: pathlib.Path) -> dt.datetime | None:
    m = re.search(r"\.(\d{8}T\d{12})Z(?:-\d+)?\.[^.]*$", p.name)
    if not m:
        return None
    return dt.datetime.strptime(m.group(1), "%Y%m%dT%H%M%S%f").replace(tzinfo=dt.timezone.utc)


def _wanted(values) -> set | None:
    if values is None or values == "" or values == ():
        return None
    return {values} if isinstance(values, str) else set(values)


def read(path: str | os.PathLike | None = None, *, since=None, until=None, user: str | Iterable[str] | None = None,
         action: str | Iterable[str] | None = None, damaged: list | None = None) -> list[dict]:
    """The entries of the log (its rotated files and the current one), oldest first, once each: those at or
    after ``since`` and before ``until`` (datetimes, dates or ISO texts; a naive time is UTC), of ``user``
    and of ``action`` (a name or several). A line that is not an entry (torn by a crash) is left out and,
    when ``damaged`` is a list, added to it as (file, line number, text)."""
    lo, hi = _time(since), _time(until)
    if lo and hi and hi <= lo:
        return []
    users, actions = _wanted(user), _wanted(action)
    for _ in range(5):
        listed = files(path)
        out, bad, seen, moved = [], [], set(), False
        for p in listed:
            rotated_at = _rotated_at(p)
            if lo and rotated_at and rotated_at < lo:
                continue  # every entry of a file is older than the time it was rotated at
            try:
                text = p.read_bytes().decode("utf-8", errors="replace")
            except FileNotFoundError:
                moved = True  # rotated while being read: read the new listing
                break
            for n, raw in enumerate(text.splitlines(), 1):
                if not raw.strip():
                    continue
                try:
                    e = json.loads(raw)
                    when = _time(e["time"])
                    if not (isinstance(e["id"], str) and e["action"] in ACTIONS):
                        raise ValueError("not an entry")
                except (ValueError, KeyError, TypeError):
                    bad.append((str(p), n, raw))
                    continue
                if e["id"] in seen:
                    continue
                seen.add(e["id"])
                if (lo and when < lo) or (hi and when >= hi):
                    continue
                if (users is not None and e.get("user") not in users) or (actions is not None
                                                                          and e["action"] not in actions):
                    continue
                out.append(e)
        if not moved and files(path) == listed:
            break
    if damaged is not None:
        damaged.extend(bad)
    out.sort(key=lambda e: e["time"])
    return out


def read_frame(path: str | os.PathLike | None = None, **filters):
    """`read` as a DataFrame with the columns `FIELDS` (``time`` as UTC timestamps)."""
    import pandas as pd

    df = pd.DataFrame(read(path, **filters), columns=list(FIELDS))
    df["time"] = pd.to_datetime(df["time"], utc=True, format="ISO8601")
    return df
