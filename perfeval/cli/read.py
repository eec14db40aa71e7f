"""The commands that read: ``summary`` (one line per project), ``validate`` (check data files against the
schema), ``sql`` (read-only SQL over the scoped views) and ``dictionary`` (regenerate docs/data-dictionary.md).

None of them changes the lake (``dictionary`` writes the docs file only); the reads go through the data gate.
"""
from __future__ import annotations

import argparse
import csv
import json
import pathlib
import sys

import pandas as pd

from perfeval.cli.common import (
    cli_scope,
    cli_user,
    gate,
    jsonable,
    print_problems,
    records,
    render_table,
)
from perfeval.data import schema
from perfeval.data.gate import DataGate, QueryError, Scope
from perfeval.domain import budget
from perfeval.text import fmt

# ------------------------------------------------------------------------------------ summary
SUMMARY_FIELDS = ("project_id", "name", "short_name", "province", "city", "district", "region_code",
                  "category", "period_start", "period_end", "data_cutoff", "evaluator", "evaluator_type",
                  "reported_total_score", "grade", "budget", "funds_received", "spent", "arrival_rate",
                  "execution_rate", "execution_basis", "execution_definition", "execution_definition_en",
                  "execution_stated", "execution_rate_stated", "tree_depth", "source", "data_kind")


def project_summaries(g: DataGate, scope: Scope) -> list[dict]:
    """One dict per visible project (queries/overview_projects.sql, no filter): amounts in 万元,
    rates as fractions (arrival = received / budget; execution = spent / received, or for a self-evaluation
    without receipts 全年执行数 / 全年预算数, or the rate the document states: execution_basis, its
    execution_definition in Chinese and English and execution_stated say which; execution_rate_stated: the
    rate the document states, beside the one recomputed), None where a report gives no figure."""
    df = g.query("overview_projects", scope, region=None, year_from=None, year_to=None,
                 category=None, evaluator_type=None)
    df = df.rename(columns={"reported_grade": "grade", "received": "funds_received"})
    if "execution_basis" in df.columns:
        pairs = list(zip(df["execution_basis"], df["execution_stated"]))
        df["execution_definition"] = [budget.execution_definition(b, s, "zh") or None for b, s in pairs]
        df["execution_definition_en"] = [budget.execution_definition(b, s, "en") or None for b, s in pairs]
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
            fmt.pct(r["arrival_rate"]),
            budget.execution_text(r["execution_rate"], r.get("execution_basis"), r.get("execution_stated")),
            r["source"],
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


def validate_command(args) -> int:
    from perfeval.data.validation import validate as v
    from perfeval.data.validation.files import display_path, is_within

    target = pathlib.Path(args.path) if args.path else args.data
    if not target.exists():
        print(f"找不到 / not found: {target}", file=sys.stderr)
        return 2
    admin = cli_user(args).role == "admin"
    if not admin and args.data.is_dir() and is_within(target, args.data):
        # the lake's files hold every region's rows: only an admin reads them unscoped
        print(f"错误 / error: 只有管理员可校验数据湖中的文件 / only an administrator may validate the lake's files: "
              f"{display_path(target)}", file=sys.stderr)
        return 2
    shown = display_path(target)
    lake = args.data if args.data.is_dir() and is_within(target, args.data) else None
    if target.is_dir():
        report = v.validate_folder(target, lake=lake, shown=shown)
    else:
        if args.table and args.table not in schema.TABLE_BY_NAME:
            print(f"没有表 / no table {args.table!r}: {', '.join(schema.TABLE_BY_NAME)}", file=sys.stderr)
            return 2
        # checked against the lake's rows only for an admin: the problems name other regions' keys
        report = v.validate_file(target, lake=args.data if admin and args.data.is_dir() else None, shown=shown,
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


def _cell(value) -> str:
    """A cell as the text table prints it: NULL, true / false, floats to 10 significant digits."""
    v = jsonable(value)
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)


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
