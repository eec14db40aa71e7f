"""The auth settings file: how people sign in, where the users file and the audit log are, whom to trust.

Its path is ``$PERFEVAL_AUTH`` (perfeval.config.auth_settings_path); without it the app runs in local mode, as
on one machine. TOML, kept outside git (``deploy/auth.example.toml`` is an example)::

    mode = "proxy"                       # "local" | "oidc" | "proxy"
    users_file = "users.toml"            # relative to this file's folder
    audit_log = "/var/log/perfeval/audit.log"

    [proxy]                              # mode "proxy": nginx signs people in and names them in a header
    header = "X-Perfeval-User"           # nginx sets it itself and strips it from clients
    trusted = ["127.0.0.1", "::1"]       # addresses (or networks) the header is believed from

    [oidc]                               # mode "oidc": Streamlit's st.login (.streamlit/secrets.toml [auth])
    user_claim = "preferred_username"    # the claim that names the user in the users file
    # optional: take role, regions and projects from the identity provider's claims instead of the users file
    role_claim = "perfeval_role"
    regions_claim = "perfeval_regions"
    projects_claim = "perfeval_projects"
    display_claim = "name"
    [oidc.roles]                         # a claim's value → our role (e.g. a group name)
    "perfeval-admins" = "admin"

Modes: ``local`` (no sign-in: the app must be bound to a loopback address, and the person at the machine is
the local administrator 本机); ``oidc``; ``proxy``. Which user a request is, from these settings, is
perfeval.auth.identity's; what the user may see is perfeval.auth.users'.
"""
from __future__ import annotations

import ipaddress
import os
import pathlib
import tomllib
from dataclasses import dataclass, field

from perfeval import config

MODES = ("local", "oidc", "proxy")
DEFAULT_HEADER = "X-Perfeval-User"
LOOPBACK = ("127.0.0.1", "::1")


class AuthSettingsError(ValueError):
    """The settings file cannot be read or says something impossible; the message names the file and the key,
    in Chinese and English."""


@dataclass(frozen=True)
class ClaimMapping:
    """How an identity provider's claims name a user (``user``), and optionally say its role, regions, projects
    and name to show (then the users file is not needed for that user). ``roles``: a claim value → a role."""

    user: str = "preferred_username"
    role: str | None = None
    regions: str | None = None
    projects: str | None = None
    display: str | None = "name"
    roles: tuple[tuple[str, str], ...] = ()

    @property
    def maps_roles(self) -> bool:
        return self.role is not None


@dataclass(frozen=True)
class AuthSettings:
    mode: str = "local"
    users_file: pathlib.Path | None = None
    audit_log: pathlib.Path | None = None
    proxy_header: str = DEFAULT_HEADER
    trusted_proxies: tuple[str, ...] = LOOPBACK
    claims: ClaimMapping = field(default_factory=ClaimMapping)
    source: pathlib.Path | None = None  # the file read (None: no file, local mode)

    @property
    def sign_in(self) -> bool:
        """Whether people sign in (oidc or proxy); local mode has no sign-in."""
        return self.mode != "local"

    def trusts(self, address: str | None) -> bool:
        """Whether ``address`` (the connecting client's) is one of the trusted proxies (an address or a network)."""
        if not address:
            return False
        try:
            ip = ipaddress.ip_address(address.strip().strip("[]"))
        except ValueError:
            return False
        for entry in self.trusted_proxies:
            try:
                if ip in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        return False


def _str(doc: dict, key: str, where: str, default=None):
    value = doc.get(key, default)
    if value is not None and not isinstance(value, str):
        raise AuthSettingsError(f"{where}：{key} 应为文字 / {where}: {key} must be a string")
    return value


def parse_settings(text: str, source: pathlib.Path | None = None) -> AuthSettings:
    """The settings of a settings file's text (paths in it relative to ``source``'s folder)."""
    where = str(source or "auth settings")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise AuthSettingsError(f"{where}：不是有效的 TOML（{e}）/ {where}: not valid TOML ({e})") from e
    mode = _str(doc, "mode", where, "local")
    if mode not in MODES:
        raise AuthSettingsError(f"{where}：mode = {mode!r} 无效，应为 {' / '.join(MODES)} / {where}: mode = {mode!r} "
                                f"is not one of {', '.join(MODES)}")
    base = source.parent if source else pathlib.Path.cwd()

    def path(key):
        value = _str(doc, key, where)
        return None if not value else (base / os.path.expanduser(value)).resolve()

    proxy = doc.get("proxy", {}) or {}
    oidc = doc.get("oidc", {}) or {}
    if not isinstance(proxy, dict) or not isinstance(oidc, dict):
        raise AuthSettingsError(f"{where}：[proxy] 与 [oidc] 应为表 / {where}: [proxy] and [oidc] must be tables")
    header = _str(proxy, "header", where + " [proxy]", DEFAULT_HEADER)
    trusted = proxy.get("trusted", list(LOOPBACK))
    if isinstance(trusted, str):
        trusted = [trusted]
    for entry in trusted:
        try:
            ipaddress.ip_network(str(entry), strict=False)
        except ValueError as e:
            raise AuthSettingsError(f"{where} [proxy]：trusted 中的 {entry!r} 不是地址或网段 / {where} [proxy]: "
                                    f"trusted entry {entry!r} is not an address or network") from e
    roles = oidc.get("roles", {}) or {}
    if not isinstance(roles, dict):
        raise AuthSettingsError(f"{where} [oidc.roles] 应为表 / {where}: [oidc.roles] must be a table")
    claims = ClaimMapping(
        user=_str(oidc, "user_claim", where + " [oidc]", "preferred_username"),
        role=_str(oidc, "role_claim", where + " [oidc]"),
        regions=_str(oidc, "regions_claim", where + " [oidc]"),
        projects=_str(oidc, "projects_claim", where + " [oidc]"),
        display=_str(oidc, "display_claim", where + " [oidc]", "name"),
        roles=tuple(sorted((str(k), str(v)) for k, v in roles.items())))
    settings = AuthSettings(mode=mode, users_file=path("users_file"), audit_log=path("audit_log"),
                            proxy_header=header, trusted_proxies=tuple(str(t) for t in trusted), claims=claims,
                            source=source)
    if mode == "proxy" and not settings.users_file:
        raise AuthSettingsError(f"{where}：proxy 模式需要 users_file / {where}: mode proxy needs users_file")
    if mode == "oidc" and not settings.users_file and not claims.maps_roles:
        raise AuthSettingsError(f"{where}：oidc 模式需要 users_file 或 [oidc] role_claim / {where}: mode oidc needs "
                                "users_file or an [oidc] role_claim")
    return settings


def load_settings(path: str | os.PathLike | None = None) -> AuthSettings:
    """The settings at ``path``, else at $PERFEVAL_AUTH; neither: local mode (no sign-in)."""
    p = pathlib.Path(path) if path else config.auth_settings_path()
    if p is None:
        return AuthSettings()
    p = p.expanduser().resolve()
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise AuthSettingsError(f"无法读取登录设置文件 {p}（{e.strerror}）/ cannot read the auth settings file {p} "
                                f"({e.strerror})") from e
    return parse_settings(text, p)


def is_loopback(address: str | None) -> bool:
    """Whether a server bound to ``address`` is reachable from this machine only (127.0.0.0/8, ::1,
    ``localhost``). Unset or empty means every interface: not loopback."""
    if not address or not address.strip():
        return False
    address = address.strip().strip("[]")
    if address.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def binding_refusal(settings: AuthSettings, address: str | None) -> str | None:
    """Why the app must not serve bound to ``address`` (Streamlit's ``server.address``) with ``settings``, or
    None: without sign-in (local mode) only a loopback address is allowed, since anyone who reaches the port
    would be the local administrator."""
    if settings.sign_in or is_loopback(address):
        return None
    shown = address or "（全部网络接口 / every interface）"
    return (f"未配置登录（本机模式），但服务绑定在 {shown}：拒绝启动。请绑定 127.0.0.1（--server.address 127.0.0.1），"
            f"或在登录设置文件（$PERFEVAL_AUTH）中配置 mode = \"oidc\" 或 \"proxy\"。 / No sign-in is configured (local "
            f"mode) but the server is bound to {address or 'every interface'}: refusing to serve. Bind to 127.0.0.1 "
            "(--server.address 127.0.0.1), or configure mode = \"oidc\" or \"proxy\" in the auth settings file "
            "($PERFEVAL_AUTH).")
