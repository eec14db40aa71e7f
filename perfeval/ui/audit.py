"""The app's audit entries (perfeval.auth.audit_log): who (the signed-in user and role), from where (the
client's address) and what, filled in from the session.

- `record(action, **params)`: one entry, on disk when it returns; raises `AuditLogError` if it cannot be
  written, so an action logged this way is not reported done without its entry.
- `page_view(url)`: a page shown with its filters (the URL's parameters), once per page and set of filters
  in a session (a rerun that changes nothing writes nothing); a failure to log is shown on the page.
- `download(kind, make, **params)`: wraps a deferred download's ``make()`` so that the bytes are handed out
  only once their entry is written (the entry names the kind, the file and the size).
- `audited(action)`: decorates an action that changes the lake (import, supersede, withdraw, restore): an
  entry ``started`` before it runs (none written: it does not run), its result (ok, refused or failed, with
  the row counts) before it returns.
- `is_admin()`: whether the viewer may read the log (the audit-log page).

The log's place: perfeval.auth.audit_log.default_path (the auth settings' ``audit_log``, else
$PERFEVAL_AUDIT_LOG, else audit/ beside the lake).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import pathlib
from typing import Callable

import streamlit as st

from perfeval.auth import audit_log, identity
from perfeval.auth.audit_log import AuditLogError  # noqa: F401 - callers catch it as audit.AuditLogError
from perfeval.auth.settings import AuthSettings
from perfeval.auth.users import User
from perfeval.ui import auth, state

# what an action's refusal raises: a bad upload (ImportRefused), a withdrawal others depend on or a restore of
# projects imported again (WithdrawRefused, RestoreRefused), a region not the user's: all ValueErrors
REFUSALS: tuple[type[Exception], ...] = (ValueError, PermissionError)


@dataclasses.dataclass(frozen=True)
class Actor:
    """Who acts, as the log names them: captured during the page's run (a deferred download runs later)."""
    user: str | None
    role: str | None
    client: str | None


def settings() -> AuthSettings:
    """The auth settings (perfeval.ui.auth: $PERFEVAL_AUTH, re-read when the file changes)."""
    return auth.settings()


def log_path() -> pathlib.Path:
    """The audit log's file."""
    return audit_log.default_path(state.data_dir(), settings=settings())


def current_user() -> User | None:
    """The signed-in user (perfeval.ui.auth.current_user; in local mode the local administrator 本机)."""
    return auth.current_user()


def is_admin() -> bool:
    """Whether the viewer may read the audit log: an administrator (in local mode, the person at the machine)."""
    user = current_user()
    return user is not None and user.role == "admin"


def read(since: dt.date | None, until: dt.date | None) -> tuple[list[dict], list[tuple[str, int, str]]]:
    """The log's entries from the start of UTC day ``since`` to the end of UTC day ``until`` (None: no
    bound), and the lines that are not entries; for administrators only (PermissionError otherwise)."""
    if not is_admin():
        raise PermissionError("仅管理员可查看审计日志 / only administrators may read the audit log")
    damaged: list[tuple[str, int, str]] = []
    end = until + dt.timedelta(days=1) if until else None
    return audit_log.read(log_path(), since=since, until=end, damaged=damaged), damaged


def client() -> str | None:
    """The client's address (behind the trusted proxy, the proxy's X-Real-IP)."""
    headers = st.context.headers
    ip = st.context.ip_address
    peer = identity.peer_address(ip if isinstance(ip, str) else None, headers)  # AppTest has no connection
    address = identity.client_address(settings(), headers, peer)
    return address if isinstance(address, str) else None


def actor() -> Actor:
    user = current_user()
    return Actor(user.name if user else None, user.role if user else None, client())


def write(a: Actor, action: str, params: dict, rows=None, outcome: str = "ok", message: str | None = None,
          path: pathlib.Path | None = None) -> dict:
    return audit_log.record(action, user=a.user, role=a.role, client=a.client, params=params, rows=rows,
                            outcome=outcome, message=message, path=path or log_path())


def record(action: str, *, rows=None, outcome: str = "ok", message: str | None = None, **params) -> dict:
    """One entry for this session's user (see the module docstring); raises `AuditLogError`."""
    return write(actor(), action, params, rows, outcome, message)


def _page_filters() -> dict[str, str]:
    return {k: st.query_params.get(k) for k in sorted(st.query_params.keys())}


def page_view(url: str) -> None:
    """Log that page ``url`` is shown with the filters in the URL (the global ones and the page's own), unless
    this session logged the same page and filters last; a log that cannot be written is said on the page."""
    filters = _page_filters()
    key = (url, tuple(filters.items()))
    if st.session_state.get("_audit_viewed") == key:
        return
    try:
        record("page_view", page=url, filters=filters)
    except AuditLogError as e:
        t = state.tr()
        st.warning(t("⚠️ 本次访问未能记入审计日志：", "⚠️ This visit could not be written to the audit log: ") + str(e))
        return
    st.session_state["_audit_viewed"] = key


def download(kind: str, make: Callable[[], bytes], **params) -> Callable[[], bytes]:
    """``make`` for a deferred ``st.download_button(data=...)``: the bytes are made, their entry written
    (kind, ``params``, size), then handed out; an entry that cannot be written stops the download."""
    a, path = actor(), log_path()

    def run() -> bytes:
        try:
            data = make()
        except Exception as e:
            write(a, "download", {"kind": kind, **params}, outcome="failed", message=str(e), path=path)
            raise
        write(a, "download", {"kind": kind, **params, "bytes": len(data)}, path=path)
        return data

    return run


def on_download(kind: str, **params) -> Callable[[], None]:
    """An ``on_click`` for a download button whose data are made with the page: logs the click (the data are
    already on the page, so this cannot stop them; the deferred `download` can)."""
    a, path = actor(), log_path()
    return lambda: write(a, "download", {"kind": kind, **params}, path=path)


def _simple(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool)) or (
        isinstance(value, (tuple, list)) and all(_simple(v) for v in value))


def _describe(value):
    """A value as the log shows an action's argument: text and numbers as they are, an upload by its file name,
    a supersession by the batches it replaces, a small record (a Scope) by its fields."""
    if _simple(value):
        return value
    for attr in ("filename", "id", "name"):
        if isinstance(getattr(value, attr, None), str):
            return getattr(value, attr)
    if _simple(getattr(value, "batch_ids", ())) and hasattr(value, "batch_ids"):
        return {"batches": list(value.batch_ids)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        if all(_simple(v) for v in fields.values()):
            return fields
    return type(value).__name__


def audited(action: str | Callable[[dict], str]) -> Callable:
    """Decorate a function of the UI that changes the lake (``@audit.audited("withdraw")``; ``action`` may be a
    function of the call's arguments by name, for a function that does two: import or supersede). Two entries:
    before it runs, ``started`` with its arguments (an upload by its file name): if that cannot be written,
    it does not run (`AuditLogError`), and a crash during or right after it still leaves that entry; after
    it, the result, linked by ``params.started``: ``ok`` with the batch id and row counts of its result
    (``.id``, ``.rows``), ``refused`` for an exception of `REFUSALS`, ``failed`` for any other (re-raised).
    When the result cannot be written, `AuditLogError` is raised: the page reports an error, not the action
    done."""
    def wrap(fn):
        sig = inspect.signature(fn)

        @functools.wraps(fn)
        def run(*args, **kwargs):
            a, path = actor(), log_path()
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            name = action(dict(bound.arguments)) if callable(action) else action
            params = {k: _describe(v) for k, v in bound.arguments.items()}
            started = write(a, name, params, outcome="started", path=path)
            params = {**params, "started": started["id"]}
            try:
                result = fn(*args, **kwargs)
            except REFUSALS as e:
                write(a, name, params, outcome="refused", message=str(e), path=path)
                raise
            except Exception as e:
                write(a, name, params, outcome="failed", message=f"{type(e).__name__}: {e}", path=path)
                raise
            if isinstance(getattr(result, "id", None), str):
                params["batch"] = result.id
            rows = getattr(result, "rows", None)
            write(a, name, params, rows=dict(rows) if isinstance(rows, dict) else None, path=path)
            return result

        return run

    return wrap


def signed_in(user: User) -> None:
    """Log a sign-in (once per session: the caller calls it when the session first resolves its user)."""
    record("sign_in", display=user.display or None)


def sign_in_failed(claimed: str | None, reason: str) -> None:
    """Log a failed sign-in: the name offered (perfeval.auth.identity.claimed_name) and why it failed."""
    a = actor()
    write(Actor(claimed, None, a.client), "sign_in_failed", {"reason": reason}, outcome="refused")
