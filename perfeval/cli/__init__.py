"""The command line: ``python -m perfeval <command> ...``.

Commands (each takes ``--data PATH``, the lake folder; default $PERFEVAL_DATA, else the bundled data/):

    summary [--json]                 one row (or JSON object) per project: region, period, score, grade,
                                     budget / received / spent (万元), arrival and execution rates
    validate [PATH] [--json]         check the lake folder, a sub-folder or one file (--table if its
                                     name does not say); exit 1 on problems
    sql "SELECT ..." [--json|--csv]  read-only SQL over the scoped views (through the data gate)
    dictionary [--check]             regenerate docs/data-dictionary.md from perfeval.data.schema
    audit [--project ID] [--json]    the audit's checks (perfeval.domain.audit)
    compact [--dry-run]              merge each table's Parquet batches into one file; the replaced
                                     files move to _archive/ (perfeval.data.compact)
    import FILE [--table T] [--dry-run] [--json]
                                     check an .xlsx / CSV / Parquet upload against the schema and the
                                     lake and, if nothing is wrong, write it as the new batch
                                     imports/<id>/; exit 1 on problems (perfeval.data.ingest)
    template OUT.xlsx [--lang zh|en] the import template to fill in (perfeval.data.ingest)
    batches [--withdrawn] [--json]   the imported batches, newest first (perfeval.data.batches)
    withdraw ID                      move an imported batch to _archive/imports/ (refused while other
                                     rows depend on it)
    deck [OUT.pptx] [--project ID] [--lang] [filters]
                                     the overview's 10-slide deck, or one project's (perfeval.decks.export)

Every read of the lake goes through the data gate (`gate(args)`); ``validate`` reads files only and
writes nothing. Three commands change the lake, none by changing or deleting a file: ``compact``
merges files and moves the merged ones to ``_archive/``; ``import`` adds a new batch folder under
``imports/``; ``withdraw`` moves one such folder to ``_archive/imports/``. A command that reads the
lake may write its cache, the indicator roll-up under ``_derived/`` (not data; docs/data-model.md);
``compact`` writes the new one when it has merged indicator files.

Adding a command: write, in its own module, ``add_X_parser(subparsers)`` (calls
``subparsers.add_parser("X", help=...)``, adds its arguments and returns the parser) and
``X_command(args) -> int`` (the exit status; ``args.data`` is the lake folder as a Path, `gate(args)`
gives the data gate). Then register it with two lines in `_commands()` below::

    from perfeval.domain.audit import add_audit_parser, audit_command
    commands.append((add_audit_parser, audit_command))

The ``--data`` option is added to every command's parser for you.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import pathlib
import sys
import unicodedata
from typing import Callable

import pandas as pd

from perfeval import config
from perfeval.data import schema
from perfeval.data.gate import DataGate, QueryError, Scope
from perfeval.data.lake import Lake
from perfeval.text import fmt

Command = tuple[Callable[[argparse._SubParsersAction], argparse.ArgumentParser | None],
                Callable[[argparse.Namespace], int]]


# ------------------------------------------------------------------------------------ shared helpers
def data_path(value: str | None = None) -> pathlib.Path:
    """The lake folder: ``value`` (from --data), else $PERFEVAL_DATA, else the bundled data/."""
    return config.data_dir(value)


def gate(args: argparse.Namespace) -> DataGate:
    """The data gate over ``args.data``. The command line sees every region (and demo rows, marked
    by ``data_kind``)."""
    return DataGate(Lake(args.data))


def cli_scope(args: argparse.Namespace | None = None) -> Scope:
    """Every region; demo rows unless ``--no-demo`` (they are marked by ``data_kind`` anyway)."""
    return Scope.everything(include_demo=not getattr(args, "no_demo", False))


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


def _cell(value) -> str:
    v = jsonable(value)
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)


# ------------------------------------------------------------------------------------ summary
SUMMARY_FIELDS = ("project_id", "name", "short_name", "province", "city", "district", "region_code",
                  "category", "period_start", "period_end", "data_cutoff", "evaluator", "evaluator_type",
                  "reported_total_score", "grade", "budget", "funds_received", "spent", "arrival_rate",
                  "execution_rate", "tree_depth", "source", "data_kind")


def project_summaries(g: DataGate, scope: Scope) -> list[dict]:
    """One dict per visible project (queries/overview_projects.sql, no filter): amounts in 万元,
    rates as fractions (arrival = received / budget, execution = spent / received), None where a
    report gives no figure."""
    df = g.query("overview_projects", scope, region=None, year_from=None, year_to=None,
                 category=None, evaluator_type=None)
    df = df.rename(columns={"reported_grade": "grade", "received": "funds_received"})
    return records(df[[c for c in SUMMARY_FIELDS if c in df.columns]])


def add_summary_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("summary", help="one line per project / 每个项目一行",
                       description="Projects with score, grade, money and rates (amounts in 万元).")
    p.add_argument("--json", action="store_true", help="JSON list of objects")
    p.add_argument("--no-demo", action="store_true", help="leave out demonstration projects / 不含示例数据")
    return p


def summary_command(args) -> int:
    rows = project_summaries(gate(args), cli_scope(args))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    headers = ["项目 project", "地区 region", "类别", "评价期 period", "总分", "等级", "预算 万元",
               "到位 万元", "支出 万元", "到位率", "执行率", "来源 source"]
    table = []
    for r in rows:
        parts = [r["province"], r["city"], r["district"]]
        region = "".join(dict.fromkeys(x for x in parts if x))  # 天津市天津市 → 天津市
        table.append([
            r["short_name"] or r["name"], region, r["category"],
            f"{fmt.date(r['period_start'])}—{fmt.date(r['period_end'])}",
            fmt.score(r["reported_total_score"]), r["grade"] or fmt.not_reported(),
            fmt.number(r["budget"]), fmt.number(r["funds_received"]), fmt.number(r["spent"]),
            fmt.pct(r["arrival_rate"]), fmt.pct(r["execution_rate"]), r["source"],
        ])
    print(render_table(headers, table, max_width=32, right={4, 6, 7, 8, 9, 10}))
    print(f"\n{len(rows)} 个项目 / projects · 未披露 = not reported")
    return 0


# ------------------------------------------------------------------------------------ validate
def add_validate_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("validate", help="check data files / 校验数据文件",
                       description="Check the lake folder, a folder or one CSV/Parquet file against the "
                                   "schema. Prints every problem; exit status 1 if there is any. "
                                   "Reads only: nothing is changed on disk.")
    p.add_argument("path", nargs="?", help="a folder or file (default: the --data folder)")
    p.add_argument("--json", action="store_true", help="the problems as a JSON list")
    p.add_argument("--limit", type=int, default=0, help="print at most N problems (0 = all)")
    p.add_argument("--table", help="the table a single file holds, if its name does not say (e.g. 预算.csv)")
    return p


def print_problems(problems, limit: int = 0) -> None:
    """Each problems.Problem as ``location 值/value="…"`` and its Chinese and English message; at most
    ``limit`` of them (0 = all), then how many were left out."""
    shown = problems[:limit] if limit > 0 else problems
    for p in shown:
        value = "" if p.value is None else f" 值/value={json.dumps(p.value, ensure_ascii=False)}"
        print(f"{p.location()}{value}\n    {p.message_zh}\n    {p.message_en}")
    if len(shown) < len(problems):
        print(f"… 另有 {len(problems) - len(shown)} 个问题未列出 / {len(problems) - len(shown)} more not shown")


def validate_command(args) -> int:
    from perfeval.data import validate as v
    from perfeval.data.files import display_path, is_within

    target = pathlib.Path(args.path) if args.path else args.data
    if not target.exists():
        print(f"找不到 / not found: {target}", file=sys.stderr)
        return 2
    shown = display_path(target)
    lake = args.data if args.data.is_dir() and is_within(target, args.data) else None
    if target.is_dir():
        report = v.validate_folder(target, lake=lake, shown=shown)
    else:
        if args.table and args.table not in schema.TABLE_BY_NAME:
            print(f"没有表 / no table {args.table!r}: {', '.join(schema.TABLE_BY_NAME)}", file=sys.stderr)
            return 2
        report = v.validate_file(target, lake=args.data if args.data.is_dir() else None, shown=shown,
                                 table=args.table)
    problems = report.problems
    if args.json:
        print(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
        return 1 if problems else 0
    print_problems(problems, args.limit)
    files = len({p.file for p in problems})
    if problems:
        print(f"\n✗ {len(problems)} 个问题，涉及 {files} 个文件（共检查 {report.files} 个文件、{report.rows} 行）"
              f" / {len(problems)} problems in {files} files ({report.files} files, {report.rows} rows checked)")
        return 1
    print(f"✓ 未发现问题：{report.files} 个文件、{report.rows} 行 / no problems: {report.files} files, "
          f"{report.rows} rows")
    return 0


# ------------------------------------------------------------------------------------ sql
def add_sql_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("sql", help="read-only SQL over the views / 只读 SQL 查询",
                       description="Run one SELECT over the scoped views (projects, budget, indicators, …) "
                                   "through the data gate. Only a single SELECT is accepted.")
    p.add_argument("query", help='e.g. "SELECT project_id, reported_total_score FROM projects"')
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="JSON list of objects")
    out.add_argument("--csv", action="store_true", help="CSV with a header row")
    p.add_argument("--no-demo", action="store_true", help="hide demonstration rows / 不含示例数据")
    p.add_argument("--max-width", type=int, default=60, help="clip table cells to N columns (0 = no clip)")
    return p


def sql_command(args) -> int:
    import duckdb

    try:
        df = gate(args).run_sql(args.query, cli_scope(args))
    except (QueryError, duckdb.Error) as e:
        print(f"查询被拒绝或出错 / query refused or failed: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(records(df), ensure_ascii=False, indent=2))
    elif args.csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(df.columns)
        for row in records(df):
            w.writerow(["" if v is None else v for v in row.values()])
    else:
        rows = [[_cell(v) for v in r] for r in df.itertuples(index=False, name=None)]
        numeric = {i for i, c in enumerate(df.columns) if pd.api.types.is_numeric_dtype(df[c])
                   and not pd.api.types.is_bool_dtype(df[c])}
        print(render_table([str(c) for c in df.columns], rows, max_width=args.max_width, right=numeric))
        print(f"({len(df)} 行 / rows)")
    return 0


# ------------------------------------------------------------------------------------ dictionary
def add_dictionary_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("dictionary", help="regenerate docs/data-dictionary.md / 生成数据字典",
                       description="Write the data dictionary generated from perfeval/data/schema.py.")
    p.add_argument("--check", action="store_true", help="only check that the file is up to date (exit 1 if not)")
    p.add_argument("--output", help="where to write (default: docs/data-dictionary.md)")
    return p


def dictionary_command(args) -> int:
    from perfeval.data import dictionary

    path = pathlib.Path(args.output) if args.output else dictionary.DEFAULT_PATH
    if args.check:
        if dictionary.is_current(path):
            print(f"✓ {path} 与 schema 一致 / is up to date")
            return 0
        print(f"✗ {path} 已过期，请运行 python -m perfeval dictionary / is out of date", file=sys.stderr)
        return 1
    changed = dictionary.write(path)
    print(f"{'已更新 / written' if changed else '无变化 / unchanged'}: {path}")
    return 0


# ------------------------------------------------------------------------------------ wiring
def _commands() -> list[Command]:
    """Every subcommand as (add its parser, run it). Imported here, not at module level, so that a
    command module may import perfeval.cli for its helpers."""
    commands: list[Command] = [
        (add_summary_parser, summary_command),
        (add_validate_parser, validate_command),
        (add_sql_parser, sql_command),
        (add_dictionary_parser, dictionary_command),
    ]
    from perfeval.domain.audit import add_audit_parser, audit_command
    commands.append((add_audit_parser, audit_command))
    from perfeval.data.compact import add_compact_parser, compact_command
    commands.append((add_compact_parser, compact_command))
    from perfeval.data.ingest import add_import_parser, import_command
    commands.append((add_import_parser, import_command))
    from perfeval.data.ingest import add_template_parser, template_command
    commands.append((add_template_parser, template_command))
    from perfeval.data.batches import add_batches_parser, batches_command
    commands.append((add_batches_parser, batches_command))
    from perfeval.data.batches import add_withdraw_parser, withdraw_command
    commands.append((add_withdraw_parser, withdraw_command))
    from perfeval.decks.export import add_deck_parser, deck_command
    commands.append((add_deck_parser, deck_command))
    return commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m perfeval",
        description="绩效评价看板的命令行 / command line of the performance-evaluation dashboard")
    parser.add_argument("--data", default=None, metavar="PATH",
                        help="lake folder (default: $PERFEVAL_DATA, else the bundled data/)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for add, run in _commands():
        before = set(sub.choices)
        p = add(sub)
        if p is None:  # an add_X_parser that does not return its parser
            p = sub.choices[next(iter(set(sub.choices) - before))]
        p.set_defaults(func=run)
        # --data is also accepted after the command. A subcommand's default would overwrite a --data
        # given before the command (argparse copies sub-parser defaults over), hence SUPPRESS.
        if "--data" in p._option_string_actions:
            p._option_string_actions["--data"].default = argparse.SUPPRESS
        else:
            p.add_argument("--data", default=argparse.SUPPRESS, metavar="PATH",
                           help="lake folder (default: $PERFEVAL_DATA, else the bundled data/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.data = data_path(getattr(args, "data", None))
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # `... | head`
        return 0
