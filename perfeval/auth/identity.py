"""Which user a request is: the one decision every sign-in mode ends in (docs/security.md).

`identify(settings, users, oidc_user=, headers=, remote_ip=)` is pure (no Streamlit): the UI layer hands it
what Streamlit knows about the connection and gets a `User` or None (nobody: sees nothing).

- ``local``: no sign-in; the person at the machine is the local administrator 本机 (the app refuses to be
  bound to any address but a loopback one in this mode; perfeval.auth.settings).
- ``oidc``: Streamlit's ``st.login`` has verified the identity provider's ID token; ``oidc_user`` is
  ``st.user`` as a dict. The claim named by the settings (``[oidc] user_claim``: ``preferred_username``,
  ``email`` or ``sub``) names a user of the users file; or, with ``[oidc] role_claim``, the provider's claims
  give the role, regions and projects themselves. Request headers are never read in this mode, so a
  client-sent identity header changes nothing.
- ``proxy``: nginx has signed the person in and names them in the header of the settings
  (``X-Perfeval-User``), which it sets itself and strips from clients (deploy/nginx). The header is believed
  only from a connection whose peer address is one of ``[proxy] trusted``; from any other address it is
  ignored, and the name must be in the users file.

A connection's peer address: Streamlit's ``st.context.ip_address`` is None for a loopback peer (127.0.0.1,
::1) and the address otherwise; `peer_address` turns that back into the peer. The app's server (uvicorn)
replaces the peer by the last address of an ``X-Forwarded-For`` header when the peer is 127.0.0.1, so the
documented nginx sends no ``X-Forwarded-For`` (it strips a client's): the peer the app sees is the proxy,
and the client's address is the proxy's ``X-Real-IP`` (`client_address`).

`secret_file_problems(paths)` says why the app must not use a secrets file (Streamlit's ``secrets.toml``, which
holds the cookie secret and the OIDC client secret): readable or writable by other users, writable by its group,
or inside the repository's checkout (secrets live outside git).

`SignInLimiter` slows down failed identity resolutions per client address (a name nginx or the identity
provider vouched for but the users file does not know, an untrusted identity header): after
``max_failures`` within ``window`` seconds an address gets nobody for ``lockout`` seconds.
"""
from __future__ import annotations

import os
import pathlib
import stat
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from perfeval import config
from perfeval.auth.settings import AuthSettings
from perfeval.auth.users import LOCAL_ADMIN, ROLES, User, user_from_entry

# the most privileged first: a person in several mapped groups gets the most privileged role they map to
_ROLE_ORDER = ("admin", "leader", "district", "viewer")
_MAX_NAME = 200


def header(headers: Mapping[str, str] | Iterable[tuple[str, str]] | None, name: str) -> list[str]:
    """Every value of header ``name`` (case-insensitive) in ``headers``: a dict, Streamlit's ``st.context.headers``
    (its ``get_all``) or (name, value) pairs."""
    if not headers:
        return []
    get_all = getattr(headers, "get_all", None)
    if callable(get_all):
        return [v for v in get_all(name) if v is not None]
    items = headers.items() if isinstance(headers, Mapping) else headers
    wanted = name.lower()
    return [v for k, v in items if str(k).lower() == wanted and v is not None]


def _header_text(value: str) -> str:
    """A header value as text. HTTP servers decode header bytes as Latin-1; nginx passes a user name such as
    福田区 as its UTF-8 bytes, so those are read back as UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _clean_name(value) -> str | None:
    """A user name as given by a claim or a header, or None when it cannot be one (empty, too long, control
    characters)."""
    if not isinstance(value, str):
        return None
    name = unicodedata.normalize("NFC", value.strip())
    if not name or len(name) > _MAX_NAME or any(unicodedata.category(c).startswith("C") for c in name):
        return None
    return name


def peer_address(ip_address: str | None, headers) -> str | None:
    """The connection's peer from Streamlit's ``st.context.ip_address`` (None for a loopback peer) and
    ``st.context.headers`` (empty when there is no connection, as in AppTest): a connection with headers and
    no address came from the loopback interface."""
    if ip_address:
        return ip_address
    return "127.0.0.1" if headers else None


def client_address(settings: AuthSettings, headers, remote_ip: str | None) -> str | None:
    """The person's address, for the audit log and the limiter: the trusted proxy's ``X-Real-IP`` when the
    peer is a trusted proxy (in proxy mode, or any mode behind the documented nginx), else the peer."""
    if settings.trusts(remote_ip):
        real = [v.strip() for v in header(headers, "X-Real-IP") if v.strip()]
        if len(real) == 1:
            return real[0]
    return remote_ip


def _claim_values(claims: Mapping, key: str | None) -> list[str]:
    if not key:
        return []
    value = claims.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in (value.split(",") if "," in value else [value]) if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None and str(v).strip()]
    return [str(value)]


def _user_from_claims(settings: AuthSettings, name: str, claims: Mapping) -> User | None:
    """The user the provider's claims describe (``[oidc] role_claim`` set), or None when they name no role."""
    m = settings.claims
    table = dict(m.roles)
    roles = set()
    for value in _claim_values(claims, m.role):
        value = value.strip()
        role = table.get(value) if table else value
        if role in ROLES:
            roles.add(role)
    role = next((r for r in _ROLE_ORDER if r in roles), None)
    if role is None:
        return None
    display = claims.get(m.display) if m.display else None
    return user_from_entry({"name": name, "role": role,
                            "regions": [v.strip() for v in _claim_values(claims, m.regions)],
                            "projects": [v.strip() for v in _claim_values(claims, m.projects)],
                            "display": display if isinstance(display, str) else ""})


def _oidc(settings: AuthSettings, users: Mapping[str, User], oidc_user: Mapping | None) -> User | None:
    if not oidc_user or not oidc_user.get("is_logged_in", False):
        return None
    name = _clean_name(oidc_user.get(settings.claims.user))
    if name is None:
        return None
    if settings.claims.maps_roles:
        user = _user_from_claims(settings, name, oidc_user)
        if user is not None:
            return user
    return users.get(name)


def _proxy(settings: AuthSettings, users: Mapping[str, User], headers, remote_ip: str | None) -> User | None:
    if not settings.trusts(remote_ip):
        return None
    values = header(headers, settings.proxy_header)
    if len(values) != 1:  # none, or a client's copy beside the proxy's: believe neither
        return None
    name = _clean_name(_header_text(values[0]))
    return users.get(name) if name else None


def identify(settings: AuthSettings, users: Mapping[str, User], *, oidc_user: Mapping | None,
             headers, remote_ip: str | None) -> User | None:
    """The signed-in user, or None (nobody: sees nothing and is told so). See the module docstring."""
    if settings.mode == "local":
        return LOCAL_ADMIN
    if settings.mode == "oidc":
        return _oidc(settings, users, oidc_user)
    if settings.mode == "proxy":
        return _proxy(settings, users, headers, remote_ip)
    return None  # an unknown mode signs nobody in


def claimed_name(settings: AuthSettings, *, oidc_user: Mapping | None, headers, remote_ip: str | None) -> str | None:
    """The name the sign-in offered, whether or not it resolves to a user (for the audit log's failed sign-ins):
    the OIDC claim, or the proxy's header (from a trusted proxy; an untrusted one's is reported as
    ``untrusted:<name>``)."""
    if settings.mode == "oidc":
        if oidc_user and oidc_user.get("is_logged_in", False):
            return _clean_name(oidc_user.get(settings.claims.user))
        return None
    if settings.mode == "proxy":
        values = header(headers, settings.proxy_header)
        if not values:
            return None
        name = _clean_name(_header_text(values[0])) or "?"
        return name if settings.trusts(remote_ip) and len(values) == 1 else f"untrusted:{name}"
    return None


@dataclass
class _Record:
    failures: list[float]
    locked_until: float = 0.0


class SignInLimiter:
    """Failed identity resolutions per client address: after ``max_failures`` within ``window`` seconds, the
    address is refused for ``lockout`` seconds (`allowed` is False), whatever it sends. Thread-safe (one per
    process, shared by every session); ``clock`` is injectable for tests."""

    def __init__(self, max_failures: int = 10, window: float = 60.0, lockout: float = 300.0,
                 clock: Callable[[], float] = time.monotonic, max_addresses: int = 10_000):
        self.max_failures, self.window, self.lockout = max_failures, window, lockout
        self.clock = clock
        self.max_addresses = max_addresses
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(address: str | None) -> str:
        return address or "?"

    def allowed(self, address: str | None) -> bool:
        """False while ``address`` is locked out."""
        with self._lock:
            rec = self._records.get(self._key(address))
            return rec is None or rec.locked_until <= self.clock()

    def failed(self, address: str | None) -> bool:
        """Count a failed resolution from ``address``; True when it is now locked out."""
        now = self.clock()
        with self._lock:
            key = self._key(address)
            rec = self._records.get(key)
            if rec is None:
                if len(self._records) >= self.max_addresses:
                    self._forget(now)
                rec = self._records[key] = _Record([])
            rec.failures = [t for t in rec.failures if now - t < self.window] + [now]
            if len(rec.failures) >= self.max_failures:
                rec.locked_until = now + self.lockout
                rec.failures = []
            return rec.locked_until > now

    def succeeded(self, address: str | None) -> None:
        """A resolution from ``address`` found its user: its failures are forgotten (a lockout stays)."""
        with self._lock:
            rec = self._records.get(self._key(address))
            if rec is not None:
                rec.failures = []

    def _forget(self, now: float) -> None:
        stale = [k for k, r in self._records.items()
                 if r.locked_until <= now and all(now - t >= self.window for t in r.failures)]
        for k in stale:
            del self._records[k]
        if len(self._records) >= self.max_addresses:  # still full of live records: drop the oldest
            for k in list(self._records)[: len(self._records) // 2]:
                del self._records[k]


def _inside(path: pathlib.Path, folder: pathlib.Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def secret_file_problems(paths: Iterable[str | os.PathLike], repository: pathlib.Path | None = None) -> list[str]:
    """Why each existing file of ``paths`` (Streamlit's ``secrets.files``: TOML files, or folders of
    Kubernetes-style secret files) must not be used, in Chinese and English; [] when every one is private.

    A secrets file must not be readable, writable or executable by other users (mode ``o-rwx``), nor writable by
    its group, and must not lie inside the repository's checkout (``repository``, default the checkout this code
    runs from): secrets are kept outside git (docs/security.md). Files that do not exist are not a problem
    (Streamlit skips them)."""
    repo = (repository or config.ROOT).resolve()
    out = []
    for entry in paths:
        p = pathlib.Path(entry).expanduser()
        if not p.exists():
            continue
        files = [p] if p.is_file() else [p, *sorted(f for f in p.rglob("*"))]
        for f in files:
            real = f.resolve()
            mode = stat.S_IMODE(real.stat().st_mode)
            if mode & 0o007:
                out.append(f"密钥文件 {f} 其他用户可访问（权限 {mode:04o}），拒绝使用：请 chmod o-rwx（如 0600）/ the secrets "
                           f"file {f} is accessible to other users (mode {mode:04o}); refusing it: chmod o-rwx "
                           "(e.g. 0600)")
            elif mode & 0o020:
                out.append(f"密钥文件 {f} 同组用户可写（权限 {mode:04o}），拒绝使用：请 chmod g-w / the secrets file {f} "
                           f"is writable by its group (mode {mode:04o}); refusing it: chmod g-w")
            if real.is_file() and _inside(real, repo):
                out.append(f"密钥文件 {f} 在代码仓库 {repo} 之内，拒绝使用：请放在仓库之外（如 /etc/perfeval/secrets.toml，"
                           f"以 STREAMLIT_SECRETS_FILES 指定）/ the secrets file {f} is inside the repository {repo}; "
                           "refusing it: keep it outside (e.g. /etc/perfeval/secrets.toml, named by "
                           "STREAMLIT_SECRETS_FILES)")
    return out
