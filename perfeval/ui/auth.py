"""Who the viewer is, from what the server knows, and what the viewer may see (docs/security.md).

`current_user()` resolves the signed-in user with perfeval.auth.identity.identify from facts the client cannot
set: Streamlit's ``st.user`` (mode ``oidc``: the identity provider's verified ID token, signed in with
``st.login``), the headers of the connection and its peer address (mode ``proxy``: the header nginx sets, from a
trusted proxy only), or nothing at all (mode ``local``: the person at the machine, 本机). Never from the URL, a
widget or session state. The settings and users files are read anew when they change (cached by modification
time), so a user removed from the users file loses access on the next rerun; a sign-in is written to the audit
log once per session, a failed one once per session and name, and an address that keeps failing is locked out
for a while (perfeval.auth.identity.SignInLimiter).

`scope()` is the user's `Scope` (perfeval.auth.users.scope_for): nobody, an unknown user or role →
`Scope.nothing()`. `stop_unless_signed_in()` (app.py, before any page runs) stops the run with a clear message
when nobody may see anything, and when the app is bound to a non-loopback address without sign-in
(perfeval.auth.settings.binding_refusal). `sidebar()` shows who is signed in, and the sign-in / sign-out
buttons in mode ``oidc``.
"""
from __future__ import annotations

import functools
import pathlib
import sys

import streamlit as st

from perfeval import config
from perfeval.auth import identity
from perfeval.auth.settings import AuthSettings, AuthSettingsError, binding_refusal, load_settings
from perfeval.auth.users import User, UsersFileError, import_scope, load_users, scope_for
from perfeval.data.gate import Scope
from perfeval.text.i18n import Translator

LOCAL_MODE = ("本机模式（未启用登录）", "Local mode (no sign-in)")
_limiter = identity.SignInLimiter()
_SESSION = "_auth_seen"  # session_state: the (name, outcome) this session last wrote to the audit log


def _stamp(path: pathlib.Path | None) -> tuple:
    if path is None:
        return (None,)
    try:
        st_ = path.stat()
        return (str(path), st_.st_mtime_ns, st_.st_size)
    except OSError:
        return (str(path), None, None)


@functools.lru_cache(maxsize=8)
def _settings(stamp: tuple) -> AuthSettings:
    return load_settings(stamp[0]) if stamp[0] else AuthSettings()


@functools.lru_cache(maxsize=8)
def _users(stamp: tuple) -> dict[str, User]:
    return load_users(stamp[0]) if stamp[0] else {}


def _settings_path() -> pathlib.Path | None:
    p = config.auth_settings_path()
    return p.expanduser().resolve() if p else None


def settings() -> AuthSettings:
    """The auth settings ($PERFEVAL_AUTH; none: local mode), re-read when the file changes. Raises
    AuthSettingsError for a broken file (`stop_unless_signed_in` shows it)."""
    return _settings(_stamp(_settings_path()))


def _connection() -> tuple[dict, object, str | None]:
    """(st.user as a dict, the connection's headers, its peer address) as the server saw them."""
    headers = st.context.headers
    ip = st.context.ip_address
    peer = identity.peer_address(ip if isinstance(ip, str) else None, headers)
    return st.user.to_dict(), headers, peer


def _resolve() -> tuple[User | None, str | None]:
    """(the user, why there is none)."""
    try:
        s = settings()
        if s.mode == "local":
            return identity.identify(s, {}, oidc_user=None, headers={}, remote_ip=None), None
        known = _users(_stamp(s.users_file))
    except (AuthSettingsError, UsersFileError) as e:
        return None, str(e)
    oidc_user, headers, peer = _connection()
    client = identity.client_address(s, headers, peer)
    if not _limiter.allowed(client):
        return None, "locked"
    user = identity.identify(s, known, oidc_user=oidc_user if s.mode == "oidc" else None, headers=headers,
                             remote_ip=peer)
    claimed = identity.claimed_name(s, oidc_user=oidc_user if s.mode == "oidc" else None, headers=headers,
                                    remote_ip=peer)
    if user is not None:
        _limiter.succeeded(client)
        _log(user.name, "ok", user=user)
        return user, None
    if claimed is None:
        return None, "signed_out"
    reason = "untrusted" if claimed.startswith("untrusted:") else "unknown"
    if _log(claimed, reason):
        _limiter.failed(client)
    return None, reason


def _log(name: str, outcome: str, user: User | None = None, reason: str = "") -> bool:
    """Write a sign-in (or a failed one) to the audit log once per session and name; True if it is new."""
    seen = (name, outcome)
    if st.session_state.get(_SESSION) == seen:
        return False
    st.session_state[_SESSION] = seen
    try:
        from perfeval.ui import audit  # the audit log's UI side (written beside this module)
    except ImportError:
        return True
    try:
        if user is not None:
            audit.signed_in(user)
        else:
            audit.sign_in_failed(name, outcome)
    except OSError as e:  # an audit log that cannot be written is said, not hidden
        print(f"perfeval: audit log: {e}", file=sys.stderr)
    return True


def current_user() -> User | None:
    """The signed-in user, or None: nobody is signed in, the name is not in the users file, the identity header
    came from an address that is not a trusted proxy, or the settings cannot be read."""
    return _resolve()[0]


def scope(include_demo: bool = True) -> Scope:
    """What the signed-in user may read; nobody (or an unknown role): `Scope.nothing()`."""
    return scope_for(current_user(), include_demo)


def writable_scope() -> Scope:
    """The regions the signed-in user may import into and withdraw from (perfeval.auth.users.import_scope)."""
    return import_scope(current_user())


def _address() -> str | None:
    return st.get_option("server.address")


def stop_unless_signed_in(t: Translator) -> User:
    """Stop the run, with a message, unless a user who may see something is signed in (and the app is not
    bound to a non-loopback address without sign-in); returns the user."""
    try:
        s = settings()
    except AuthSettingsError as e:
        st.error(t("登录设置有误，看不到任何数据：", "The sign-in settings are broken; nothing is shown: ") + str(e))
        st.stop()
    refusal = binding_refusal(s, _address())
    if refusal:
        print(f"perfeval: {refusal}", file=sys.stderr)
        st.error(refusal)
        st.stop()
    # secrets (cookie and client secret) only from private files outside the checkout (docs/security.md)
    unsafe = identity.secret_file_problems(st.get_option("secrets.files") or [])
    if unsafe:
        print("perfeval: " + "\nperfeval: ".join(unsafe), file=sys.stderr)
        st.error("\n\n".join(unsafe))
        st.stop()
    user, why = _resolve()
    if user is not None and not scope_for(user).is_nothing:
        return user
    if why == "locked":
        st.error(t("登录失败次数过多，请稍后再试。", "Too many failed sign-ins; try again later."))
    elif user is not None:
        st.error(t(f"用户 {user.name} 的角色或地区无效（{user.role or '—'}），看不到任何数据。请联系管理员。",
                   f"User {user.name} has no valid role or region ({user.role or '—'}): nothing is shown. Ask an "
                   "administrator."))
    elif why in ("unknown", "untrusted"):
        st.error(t("未授权的用户：用户文件中没有此用户，看不到任何数据。请联系管理员。",
                   "Not authorised: this user is not in the users file, and nothing is shown. Ask an administrator."))
    elif why and why != "signed_out":
        st.error(t("无法读取用户设置，看不到任何数据：", "The users cannot be read; nothing is shown: ") + why)
    else:
        st.info(t("请先登录。未登录看不到任何数据。", "Please sign in. Nothing is shown before you sign in."))
    if s.mode == "oidc":
        if st.user.is_logged_in:
            st.button(t("退出登录", "Sign out"), on_click=st.logout, key="auth_logout")
        else:
            st.button(t("登录", "Sign in"), on_click=st.login, key="auth_login", type="primary")
    st.stop()


def sidebar(t: Translator) -> None:
    """Who is signed in (or 本机模式 in local mode), and the sign-out button in mode oidc."""
    try:
        s = settings()
    except AuthSettingsError:
        return
    user = current_user()
    sb = st.sidebar
    if s.mode == "local":
        sb.caption("👤 " + t(*LOCAL_MODE))
        return
    if user is None:
        return
    sb.caption("👤 " + t("当前用户：", "Signed in: ") + user.label(t.lang))
    if s.mode == "oidc":
        sb.button(t("退出登录", "Sign out"), on_click=st.logout, key="auth_sidebar_logout")
