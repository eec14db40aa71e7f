"""Users, their roles and what each may see: the users file and `scope_for`.

Four roles (docs/security.md):

| role | 中文 | reads | imports and withdraws |
|---|---|---|---|
| ``admin`` | 管理员 | everything | for any region |
| ``leader`` | 领导 | its regions and everything under them (a province ``44``, a city ``440300``, or ``*``: all) | nothing |
| ``district`` | 区县 | its region codes (and what lies under them) | only for its region codes |
| ``viewer`` | 访客 | a named set of projects | nothing |

The users file is TOML, kept outside git with restricted permissions (its path is in the auth settings,
perfeval.auth.settings; ``deploy/users.example.toml`` is an example)::

    [[users]]
    name = "futian"            # what the sign-in gives: the OIDC claim, or the proxy's header
    role = "district"
    regions = ["440304"]
    display = "福田区公安分局"

Default deny: a name that is not in the file, a role that is not one of the four, a leader or district
without a valid region code, a viewer without projects: each gets `Scope.nothing()` and sees nothing.
Nothing here comes from the request but the name, and the name is the identity provider's or the proxy's.
"""
from __future__ import annotations

import os
import pathlib
import re
import tomllib
from dataclasses import dataclass

from perfeval.data.gate import Scope

# role → (中文, English)
ROLES: dict[str, tuple[str, str]] = {
    "admin": ("管理员", "administrator"),
    "leader": ("领导", "leader"),
    "district": ("区县", "district"),
    "viewer": ("访客", "viewer"),
}
ALL_REGIONS = "*"  # a leader's regions = ["*"]: every region
_CODE = re.compile(r"^[0-9]{2,12}$")
_NAME = re.compile(r"^\S(.{0,198}\S)?$")


class UsersFileError(ValueError):
    """The users file cannot be read, or names a user twice; the message says where, in Chinese and English."""


@dataclass(frozen=True)
class User:
    """A signed-in person: the name the sign-in gave, the role from the users file (or the identity
    provider's mapped claims), the region codes (GB/T 2260) and project ids the role reads, and a name to show."""

    name: str
    role: str
    regions: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    display: str = ""

    @property
    def known_role(self) -> bool:
        return self.role in ROLES

    def role_label(self, lang: str = "zh") -> str:
        zh, en = ROLES.get(self.role, ("未知角色", "unknown role"))
        return zh if lang == "zh" else en

    def label(self, lang: str = "zh") -> str:
        """``福田区公安分局（区县）`` / ``futian (district)``: who is signed in, for the sidebar and the CLI."""
        who = self.display or self.name
        return f"{who}（{self.role_label('zh')}）" if lang == "zh" else f"{who} ({self.role_label('en')})"


# the local machine's own user (mode "local": no sign-in, as on one machine the person at it sees everything)
LOCAL_ADMIN = User("本机", "admin", (), (), "本机")


def _codes(values) -> tuple[str, ...]:
    return tuple(str(v).strip() for v in (values or ()))


def user_from_entry(entry: dict, where: str = "") -> User:
    """One ``[[users]]`` entry (or a mapped set of claims) as a User; raises UsersFileError without a name."""
    name = str(entry.get("name") or "").strip()
    if not name or not _NAME.match(name):
        raise UsersFileError(f"{where}：用户缺少名称 name / {where}: a user without a name")
    regions = entry.get("regions", ())
    projects = entry.get("projects", ())
    if isinstance(regions, str):
        regions = [regions]
    if isinstance(projects, str):
        projects = [projects]
    return User(name=name, role=str(entry.get("role") or "").strip(), regions=_codes(regions),
                projects=_codes(projects), display=str(entry.get("display") or "").strip())


def parse_users(text: str, source: str = "users") -> dict[str, User]:
    """The users of a users file's text, by name (see the module docstring)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise UsersFileError(f"{source}：不是有效的 TOML（{e}）/ {source}: not valid TOML ({e})") from e
    entries = doc.get("users", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise UsersFileError(f"{source}：users 应写作 [[users]] 表 / {source}: users must be [[users]] tables")
    out: dict[str, User] = {}
    for i, entry in enumerate(entries, start=1):
        user = user_from_entry(entry, f"{source} [[users]] #{i}")
        if user.name in out:
            raise UsersFileError(f"{source} [[users]] #{i}：用户 {user.name} 重复 / {source} [[users]] #{i}: "
                                 f"user {user.name} is listed twice")
        out[user.name] = user
    return out


def load_users(path: str | os.PathLike | None) -> dict[str, User]:
    """The users of the file at ``path``, by name; no path: nobody (every name is unknown)."""
    if path is None:
        return {}
    p = pathlib.Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        mode = p.stat().st_mode
    except OSError as e:
        raise UsersFileError(f"无法读取用户文件 {p}（{e.strerror}）/ cannot read the users file {p} ({e.strerror})") from e
    if mode & 0o002:  # anyone on the machine could make themselves an admin
        raise UsersFileError(f"用户文件 {p} 任何人都可写入，拒绝使用（chmod o-w）/ the users file {p} is writable by "
                             "anyone: refused (chmod o-w)")
    return parse_users(text, str(p))


def problems(user: User) -> list[str]:
    """What makes ``user`` see nothing or less than its entry says (for `perfeval users` and the logs)."""
    out = []
    if not user.known_role:
        out.append(f"未知角色 {user.role!r} / unknown role {user.role!r}")
    bad = [c for c in user.regions if c != ALL_REGIONS and not _CODE.match(c)]
    if bad:
        out.append(f"无效的行政区划代码 {bad} / invalid region codes {bad}")
    if ALL_REGIONS in user.regions and user.role != "leader":
        out.append(f"只有领导可用 {ALL_REGIONS}（全部地区）/ only a leader may have {ALL_REGIONS} (every region)")
    if user.role in ("leader", "district") and not any(c == ALL_REGIONS or _CODE.match(c) for c in user.regions):
        out.append("没有地区，看不到任何数据 / no region: sees nothing")
    if user.role == "viewer" and not user.projects:
        out.append("没有项目，看不到任何数据 / no project: sees nothing")
    return out


def scope_for(user: User | None, include_demo: bool = True) -> Scope:
    """What ``user`` may read. None (nobody signed in, or a name not in the users file), an unknown role, or a
    role without the regions or projects it needs: `Scope.nothing()`."""
    if user is None or not user.known_role:
        return Scope.nothing()
    if user.role == "admin":
        return Scope.everything(include_demo)
    if user.role == "viewer":
        projects = tuple(sorted({p for p in user.projects if p}))
        return Scope(None, include_demo, projects) if projects else Scope.nothing()
    if user.role == "leader" and ALL_REGIONS in user.regions:
        return Scope.everything(include_demo)
    codes = tuple(c for c in user.regions if _CODE.match(c))
    scope = Scope(codes, include_demo)
    return Scope.nothing() if scope.is_nothing else scope


def import_scope(user: User | None) -> Scope:
    """The regions ``user`` may import into and withdraw from: an admin any, a district its region codes, every
    other role (and nobody) none."""
    if user is None or user.role not in ("admin", "district"):
        return Scope.nothing()
    if user.role == "admin":
        return Scope.everything()
    scope = Scope(tuple(c for c in user.regions if _CODE.match(c)))
    return Scope.nothing() if scope.is_nothing else scope
