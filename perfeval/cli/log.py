"""The audit log on the command line (perfeval.auth.audit_log): ``python -m perfeval log`` reads it, and
`log_call` writes one entry for every command run.

    log [--since T] [--until T] [--user NAME] [--action A ...] [--limit N] [--json] [--lang zh|en]

``--since`` / ``--until``: a date (2026-12-01; ``--until`` a date takes that whole day) or an ISO time
(2026-12-01T08:00, UTC unless it says otherwise). Administrators only (perfeval.cli.common.permitted: a
command not listed for readers). Text: one line per entry, oldest first; ``--json``: the entries as they are
stored.

Every command is logged by `log_call` (called once, in perfeval.cli.main): the command, its arguments, the
exit status, who ran it (the ``--as`` user and role; without ``--as`` in local mode, the local
administrator 本机) and the operating-system account. Nothing runs unless the log can be written (exit 3,
saying why), and a command whose entry cannot be written afterwards exits 3 too, never 0.
"""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import socket
import sys
from typing import Callable

from perfeval.auth import audit_log
from perfeval.auth.audit_log import AuditLogError
from perfeval.cli.common import render_table
from perfeval.views import audit_log as view

AUDIT_FAILED = 3  # the exit status when the audit log cannot be written


def _bound(text: str | None, end: bool = False):
    """A --since / --until value: a date (for --until, the day after it: the whole day is in) or an ISO time."""
    if not text:
        return None
    try:
        if len(text.strip()) == 10:
            day = dt.date.fromisoformat(text.strip())
            return day + dt.timedelta(days=1) if end else day
        return text.strip()
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def add_log_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("log", help="read the audit log (administrators) / 查看审计日志（仅管理员）",
                       description="The audit log's entries, oldest first: who did what, when, from where, "
                                   "and how it ended. Administrators only.")
    p.add_argument("--since", default=None, metavar="TIME", help="from this date or ISO time (UTC)")
    p.add_argument("--until", default=None, metavar="TIME", help="up to this date (the whole day) or before this time")
    p.add_argument("--user", dest="log_user", default=None, help="only this user's entries")
    p.add_argument("--action", action="append", choices=audit_log.ACTIONS, default=None,
                   help="only these actions (repeat the option for several)")
    p.add_argument("--limit", type=int, default=0, metavar="N", help="only the newest N entries")
    p.add_argument("--json", action="store_true", help="the entries as stored (a JSON array)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    return p


def log_command(args: argparse.Namespace) -> int:
    try:
        since, until = _bound(args.since), _bound(args.until, end=True)
        damaged: list = []
        entries = audit_log.read(audit_log.default_path(args.data), since=since, until=until, user=args.log_user,
                                 action=args.action, damaged=damaged)
    except (ValueError, argparse.ArgumentTypeError) as e:
        print(f"错误 / error: --since / --until: {e}", file=sys.stderr)
        return 2
    if args.limit and args.limit > 0:
        entries = entries[-args.limit:]
    for f, n, _ in damaged:
        print(f"警告 / warning: {f}:{n} 不是日志条目 / is not an entry", file=sys.stderr)
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=1))
        return 0
    v = view.table(entries, lang=args.lang, max_rows=max(len(entries), 1))
    df = v["table"].iloc[::-1]  # oldest first, as a log reads
    if df.empty:
        print(v["empty"])
        return 0
    keys = list(df.columns)
    print(render_table([v["columns"][k] for k in keys], [[str(x) for x in row] for row in df.itertuples(index=False)],
                       max_width=60))
    print(v["caption"])
    return 0


def _who(args: argparse.Namespace) -> tuple[str | None, str | None]:
    user = getattr(args, "user", None)
    if hasattr(user, "role"):
        return user.name, user.role
    return getattr(args, "as_user", None), None  # --as named nobody the users file knows


def log_call(args: argparse.Namespace, argv: list[str] | None, run: Callable[[argparse.Namespace], int]) -> int:
    """Run the command (``run(args)``) and write its entry (action ``cli``): refuse to run when the log
    cannot be written, and exit `AUDIT_FAILED` when the entry of a command that ran cannot be written."""
    argv = list(sys.argv[1:] if argv is None else argv)
    path = audit_log.default_path(args.data)
    try:
        audit_log.check_writable(path)
    except AuditLogError as e:
        print(f"错误 / error: {e}；命令未运行 / the command did not run", file=sys.stderr)
        return AUDIT_FAILED
    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):
        os_user = None
    params = {"command": args.command, "argv": argv, "os_user": os_user}
    client = f"cli@{socket.gethostname()}"
    try:
        status = int(run(args) or 0)
    except BaseException as e:  # an error, or Ctrl-C: logged, then raised as before
        user, role = _who(args)
        try:
            audit_log.record("cli", user=user, role=role, client=client, params={**params, "exit": None},
                             outcome="failed", message=f"{type(e).__name__}: {e}", path=path)
        except AuditLogError as err:
            print(f"错误 / error: {err}", file=sys.stderr)
        raise
    user, role = _who(args)
    outcome = "ok" if status == 0 else "refused" if status in (1, 2) else "failed"  # 1: problems, 2: not allowed
    try:
        audit_log.record("cli", user=user, role=role, client=client, params={**params, "exit": status},
                         outcome=outcome, path=path)
    except AuditLogError as e:
        print(f"错误 / error: {e}", file=sys.stderr)
        return AUDIT_FAILED
    return status
