"""What the commands share (perfeval.cli): the lake folder and the data gate from ``--data``, the command
line's scope, cells and rows as JSON, plain text tables aligned for CJK text, and validation problems printed
in Chinese and English."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import pathlib
import unicodedata

import pandas as pd

from perfeval import config
from perfeval.auth.settings import AuthSettingsError, load_settings
from perfeval.auth.users import LOCAL_ADMIN, User, UsersFileError, load_users, problems, scope_for
from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake


def data_path(value: str | None = None) -> pathlib.Path:
    """The lake folder: ``value`` (from --data), else $PERFEVAL_DATA, else the bundled data/."""
    return config.data_dir(value)


def gate(args: argparse.Namespace) -> DataGate:
    """The data gate over ``args.data``. What it shows is limited by `cli_scope`."""
    return DataGate(Lake(args.data))


class CliUserError(Exception):
    """``--as USER`` names nobody the users file knows, or is missing where sign-in is configured; the message
    says so in Chinese and English."""


# commands by who may run them: READ by every known user (within the user's scope), WRITE by an admin or a
# district (within its regions), the rest by an admin only (a command not listed: admin only, fail closed)
# (batches: the batches of the user's scope; import, withdraw and restore: perfeval.data.imports refuses, writing
# nothing, any project outside the user's import_scope)
READ_COMMANDS = frozenset({"summary", "sql", "audit", "deck", "dictionary", "template", "validate", "metrics",
                           "batches"})
WRITE_COMMANDS = frozenset({"import", "withdraw", "restore"})


def command_user(name: str | None) -> User:
    """The user a command runs as: ``--as NAME`` looked up in the users file of the auth settings
    ($PERFEVAL_AUTH, the app's own); without it, in local mode (no sign-in), the local administrator, as on
    one machine. Raises CliUserError for a name the users file does not have, a user whose role or regions give
    nothing, or no ``--as`` where sign-in is configured."""
    try:
        settings = load_settings()
        if name is None:
            if settings.sign_in:
                raise CliUserError(
                    f"已启用登录（{settings.mode}）：请用 --as 用户名 指明身份 / sign-in is configured ({settings.mode}): "
                    "say who you are with --as USER before the command")
            return LOCAL_ADMIN
        known = load_users(settings.users_file)
    except (AuthSettingsError, UsersFileError) as e:
        raise CliUserError(str(e)) from e
    where = settings.users_file or "—"
    user = known.get(name.strip())
    if user is None:
        raise CliUserError(f"未知用户 {name!r}（用户文件 {where}），不显示任何数据 / unknown user {name!r} (users file "
                           f"{where}): nothing is shown")
    bad = problems(user)
    if scope_for(user).is_nothing:
        raise CliUserError(f"用户 {name!r} 看不到任何数据：{'；'.join(bad)} / user {name!r} sees nothing: "
                           + "; ".join(bad))
    return user


def permitted(command: str, user: User) -> str | None:
    """None if ``user`` may run ``command``, else why not (zh / en). (compact, demo, log and any command not
    listed: administrators only.)"""
    if user.role == "admin" or command in READ_COMMANDS:
        return None
    if command in WRITE_COMMANDS and user.role == "district":
        return None
    return (f"{user.label('zh')} 无权运行 {command} / {user.label('en')} may not run {command}"
            + ("（仅管理员与区县）/ (administrators and districts only)" if command in WRITE_COMMANDS
               else "（仅管理员）/ (administrators only)"))


def cli_user(args: argparse.Namespace | None) -> User:
    """The user the command runs as (set by perfeval.cli.main from ``--as``; resolved here for a caller that
    built its own arguments)."""
    user = getattr(args, "user", None)
    return user if isinstance(user, User) else command_user(getattr(args, "as_user", None))


def cli_scope(args: argparse.Namespace | None = None) -> Scope:
    """What the command's user may read (perfeval.auth.users.scope_for); demo rows unless ``--no-demo`` (they
    are marked by ``data_kind`` anyway). Local mode without ``--as``: every region, as on one machine."""
    return scope_for(cli_user(args), include_demo=not getattr(args, "no_demo", False))


def jsonable(value):
    """A cell as JSON: dates ISO (2023-06-30), NaN / NA / NaT → None, numpy scalars → Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return float(f"{value:.12g}")  # 3715.2799999999997 (a float sum) → 3715.28
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "tolist"):
        return jsonable(value.tolist())
    return value


def records(df: pd.DataFrame) -> list[dict]:
    """Rows of ``df`` as JSON-ready dicts (see `jsonable`)."""
    cols = list(df.columns)
    return [{c: jsonable(v) for c, v in zip(cols, row)} for row in df.itertuples(index=False, name=None)]


def _width(text: str) -> int:
    """Columns a text takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    if limit <= 0 or _width(text) <= limit:
        return text
    out, w = "", 0
    for ch in text:
        cw = _width(ch)
        if w + cw > limit - 1:
            break
        out, w = out + ch, w + cw
    return out + "…"


def render_table(headers: list[str], rows: list[list[str]], max_width: int = 0,
                 right: set[int] = frozenset()) -> str:
    """A plain text table aligned for CJK text; ``right``: indexes of right-aligned columns."""
    rows = [[_clip(c, max_width) for c in r] for r in rows]
    headers = [_clip(h, max_width) for h in headers]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            pad = " " * (widths[i] - _width(c))
            out.append(pad + c if i in right else c + pad)
        return "  ".join(out).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep] + [line(r) for r in rows])


def print_problems(problems, limit: int = 0) -> None:
    """Each problems.Problem as ``location 值/value="…"`` and its Chinese and English message; at most
    ``limit`` of them (0 = all), then how many were left out."""
    shown = problems[:limit] if limit > 0 else problems
    for p in shown:
        value = "" if p.value is None else f" 值/value={json.dumps(p.value, ensure_ascii=False)}"
        print(f"{p.location()}{value}\n    {p.message_zh}\n    {p.message_en}")
    if len(shown) < len(problems):
        print(f"… 另有 {len(problems) - len(shown)} 个问题未列出 / {len(problems) - len(shown)} more not shown")
