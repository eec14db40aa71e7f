"""The audit-log page's model (app_pages/audit_log.py), as pure functions of the log's entries (the dicts
perfeval.auth.audit_log.read gives): the filters' options, and the entries as a table in words, newest
first, with what was asked and how it ended.

The entries are handed in (the UI reads them from the log: perfeval.ui.audit.read); nothing here reads or
writes the log.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

import pandas as pd

from perfeval.text.i18n import Translator

# action → (中文, English); the actions of perfeval.auth.audit_log.ACTIONS (a test holds them equal)
ACTIONS: dict[str, tuple[str, str]] = {
    "sign_in": ("登录", "Sign-in"),
    "sign_in_failed": ("登录失败", "Failed sign-in"),
    "sign_out": ("退出登录", "Sign-out"),
    "page_view": ("访问页面", "Page view"),
    "import": ("导入", "Import"),
    "supersede": ("替换", "Supersede"),
    "withdraw": ("撤回", "Withdraw"),
    "restore": ("恢复", "Restore"),
    "download": ("下载", "Download"),
    "cli": ("命令行", "Command line"),
}
OUTCOMES: dict[str, tuple[str, str]] = {"ok": ("完成", "Done"), "refused": ("被拒绝", "Refused"),
                                        "failed": ("失败", "Failed"), "started": ("开始", "Started")}
# role → (中文, English): perfeval.auth.users.ROLES (a test holds them equal)
ROLES: dict[str, tuple[str, str]] = {"admin": ("管理员", "administrator"), "leader": ("领导", "leader"),
                                     "district": ("区县", "district"), "viewer": ("访客", "viewer")}
COLUMNS = (("time", "时间（UTC）", "Time (UTC)"), ("user", "用户", "User"), ("role", "角色", "Role"),
           ("action", "操作", "Action"), ("params", "参数", "Parameters"), ("rows", "行数", "Rows"),
           ("client", "客户端地址", "Client address"), ("outcome", "结果", "Outcome"),
           ("message", "说明", "Message"))
MAX_ROWS = 1000  # the newest entries shown; the caption says how many more match


def _label(table: dict[str, tuple[str, str]], key, t: Translator) -> str:
    if key in table:
        return t(*table[key])
    return "" if key is None else str(key)


def _text(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return "" if value is None else str(value)


def _params(e: dict) -> str:
    """What was asked: a page view's page and filters (region=4403 · year_from=2021), a CLI call's command line,
    any other action's arguments."""
    p = dict(e.get("params") or {})
    if e.get("action") == "page_view":
        filters = p.pop("filters", None) or {}
        head = p.pop("page", "")
        parts = [str(head)] + [f"{k}={_text(v)}" for k, v in filters.items()] + [f"{k}={_text(v)}" for k, v in p.items()]
        return " · ".join(x for x in parts if x)
    if e.get("action") == "cli" and isinstance(p.get("argv"), list):
        rest = {k: v for k, v in p.items() if k not in ("argv", "command")}
        return " ".join(["perfeval", *map(str, p["argv"])] + [f"({_text(rest)})" if rest else ""]).strip()
    return " · ".join(f"{k}={_text(v)}" for k, v in p.items())


def _rows(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return "" if value is None else str(value)


def options(entries: Iterable[dict], lang: str) -> dict:
    """The filters' choices: the users in ``entries`` (by name), and every action with its label."""
    t = Translator(lang)
    users = sorted({e.get("user") for e in entries if e.get("user")})
    return {"users": users, "actions": {k: t(*v) for k, v in ACTIONS.items()}}


def table(entries: list[dict], *, lang: str, user: str | None = None, actions: tuple[str, ...] = (),
          max_rows: int = MAX_ROWS) -> dict:
    """The entries of ``user`` (None: everyone) and of ``actions`` (empty: all), newest first, as a table in
    ``lang`` (at most ``max_rows`` rows); ``caption`` counts them, by action; ``empty`` is said when none is."""
    t = Translator(lang)
    chosen = [e for e in entries if (user is None or e.get("user") == user) and (not actions or e.get("action") in actions)]
    chosen.sort(key=lambda e: e.get("time") or "", reverse=True)
    shown = chosen[:max_rows]
    nobody, unknown = t("（未登录）", "(not signed in)"), t("（未知）", "(unknown)")
    rows = [{
        "time": pd.Timestamp(e["time"]).tz_convert("UTC").strftime("%Y-%m-%d %H:%M:%S"),
        "user": e.get("user") or nobody,
        "role": _label(ROLES, e.get("role"), t),
        "action": _label(ACTIONS, e.get("action"), t),
        "params": _params(e),
        "rows": _rows(e.get("rows")),
        "client": e.get("client") or unknown,
        "outcome": _label(OUTCOMES, e.get("outcome"), t),
        "message": e.get("message") or "",
    } for e in shown]
    df = pd.DataFrame(rows, columns=[k for k, _, _ in COLUMNS])
    counts = Counter(e.get("action") for e in chosen)
    by_action = t("、", ", ").join(f"{_label(ACTIONS, a, t)} {n}" for a, n in counts.most_common())
    caption = t(f"共 {len(chosen)} 条", f"{len(chosen)} entries") + (f"（{by_action}）" if lang == "zh" and by_action
                                                                   else f" ({by_action})" if by_action else "")
    if len(chosen) > len(shown):
        caption += t(f"；显示最新 {len(shown)} 条，请缩小日期范围或按用户、操作筛选查看其余条目。",
                     f"; the newest {len(shown)} are shown: narrow the dates, or filter by user or action, "
                     "to see the others.")
    else:
        caption += t("。", ".")
    return {"table": df, "caption": caption, "columns": {k: t(zh, en) for k, zh, en in COLUMNS},
            "empty": t("所选时间内没有符合条件的记录。", "No entry matches in the dates chosen.")}


def damaged(lines: list[tuple[str, int, str]], lang: str) -> str | None:
    """What the page says of log lines that are not entries (torn by a crash), or None when there are none."""
    if not lines:
        return None
    t = Translator(lang)
    where = t("、", ", ").join(f"{f}:{n}" for f, n, _ in lines[:5]) + ("…" if len(lines) > 5 else "")
    return t(f"⚠️ 日志中有 {len(lines)} 行无法读取（可能是写入时进程中断）：{where}。这些行未显示，文件未作改动。",
             f"⚠️ {len(lines)} line(s) of the log cannot be read (a process may have stopped while writing): "
             f"{where}. They are not shown; the files are left as they are.")
