"""The commands that manage the data: ``import`` (check a workbook, CSV or Parquet file and write it as a new batch,
perfeval.data.imports.ingest), ``template`` (the workbook to fill in, perfeval.data.imports.template), ``batches`` and
``withdraw`` (list the imported batches, move one to ``_archive/imports/``, perfeval.data.imports.batches), ``compact``
(merge each table's Parquet files, perfeval.data.compact) and ``demo`` (rewrite the demonstration portfolio's
Parquet files, perfeval.data.demo.portfolio). The three that change the lake (import, withdraw, compact) change or delete
no file: they add a batch folder, or move files to ``_archive/``."""
from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time

from perfeval.cli.common import print_problems
from perfeval.data import compact
from perfeval.data.demo import portfolio as demo
from perfeval.data.imports.batches import WithdrawRefused, list_batches, withdraw
from perfeval.data.imports.ingest import ImportRefused, commit
from perfeval.data.imports.reading import IMPORT_TABLES
from perfeval.data.imports.staging import stage
from perfeval.data.imports.template import template_workbook
from perfeval.data.lake import Lake


# ------------------------------------------------------------------------------------------ import, template
def add_import_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("import", help="import a workbook, CSV or Parquet file as a new batch / 导入数据",
                       description="Check an Excel workbook (.xlsx), CSV or Parquet file against the schema and "
                                   "the lake and, when nothing is wrong, write it as a new batch "
                                   "<lake>/imports/<id>/. Prints every problem; exit status 1 if there is any "
                                   "(nothing is written then).")
    p.add_argument("file", help="the file to import")
    p.add_argument("--table", help="the table of a CSV/Parquet file whose name does not say (e.g. 预算.csv)")
    p.add_argument("--dry-run", action="store_true", help="check only, write nothing / 只检查，不写入")
    p.add_argument("--json", action="store_true", help="the result as one JSON object")
    p.add_argument("--limit", type=int, default=0, help="print at most N problems (0 = all)")
    return p


def import_command(args: argparse.Namespace) -> int:
    path = pathlib.Path(args.file)
    if not path.is_file():
        print(f"找不到 / not found: {path}", file=sys.stderr)
        return 2
    if args.table and args.table not in IMPORT_TABLES:
        print(f"不能导入表 / cannot import table {args.table!r}; 可导入 / importable: {', '.join(IMPORT_TABLES)}",
              file=sys.stderr)
        return 2
    staged = stage(path.name, path.read_bytes(), args.data, table=args.table)
    problems, batch = list(staged.problems), None
    if staged.ok and not args.dry_run:
        try:
            batch = commit(staged, args.data)
        except ImportRefused as e:
            problems = e.problems
    rows = batch.rows if batch else staged.rows
    if args.json:
        print(json.dumps({
            "file": staged.filename, "ok": not problems, "dry_run": bool(args.dry_run),
            "batch": batch.id if batch else None, "folder": str(batch.folder) if batch else None,
            "rows": rows, "problems": [p.as_dict() for p in problems],
        }, ensure_ascii=False, indent=2))
        return 1 if problems else 0
    if problems:
        print_problems(problems, args.limit)
        print(f"\n✗ {len(problems)} 个问题，未导入任何数据 / {len(problems)} problems: nothing was imported")
        return 1
    counts = "、".join(f"{name} {n} 行" for name, n in rows.items())
    counts_en = ", ".join(f"{name} {n}" for name, n in rows.items())
    if batch is None:
        print(f"✓ 检查通过，未写入（--dry-run）：{counts} / checked, nothing written (--dry-run): {counts_en} rows")
    else:
        print(f"✓ 已导入批次 {batch.id}：{counts} / imported batch {batch.id}: {counts_en} rows\n  {batch.folder}")
    return 0


def add_template_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("template", help="write the import template (.xlsx) / 生成导入模板",
                       description="Write an Excel workbook to fill in for `import`: a help sheet and one sheet "
                                   "per importable table, each column explained in its header's comment.")
    p.add_argument("output", help="the .xlsx file to write")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the help sheet first")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    return p


def template_command(args: argparse.Namespace) -> int:
    out = pathlib.Path(args.output)
    if out.exists() and not args.force:
        print(f"文件已存在（用 --force 覆盖）/ exists (use --force to overwrite): {out}", file=sys.stderr)
        return 2
    out.write_bytes(template_workbook(args.lang))
    print(f"已写入 / written: {out}")
    return 0


# ------------------------------------------------------------------------------------------ batches, withdraw
def add_batches_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("batches", help="list the imported batches / 已导入的批次",
                       description="List the lake's imported batches, newest first.")
    p.add_argument("--withdrawn", action="store_true", help="the withdrawn ones (under _archive/imports/)")
    p.add_argument("--json", action="store_true")
    return p


def batches_command(args: argparse.Namespace) -> int:
    found = list_batches(args.data, withdrawn=args.withdrawn)
    if args.json:
        print(json.dumps([{"id": b.id, "rows": b.rows, "uploads": b.uploads} for b in found],
                         ensure_ascii=False, indent=2))
        return 0
    for b in found:
        tables = ", ".join(f"{t} {n:,}" for t, n in b.rows.items())
        print(f"{b.id}  {'、'.join(b.uploads) or '—'}  {tables}")
    if not found:
        print("没有批次 / no batches")
    return 0


def add_withdraw_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("withdraw", help="withdraw an imported batch (moved to _archive) / 撤回批次",
                       description="Move an imported batch to _archive/imports/ (it can be moved back).")
    p.add_argument("batch", help="the batch id (python -m perfeval batches)")
    return p


def withdraw_command(args: argparse.Namespace) -> int:
    try:
        target = withdraw(args.data, args.batch)
    except (WithdrawRefused, ValueError) as e:
        print(f"错误 / error: {e}")
        return 1
    print(f"已撤回，移至 / withdrawn, moved to: {target}")
    return 0


# ------------------------------------------------------------------------------------------ compact
def add_compact_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("compact", help="merge each table's Parquet batches into one file / 合并数据文件",
                       description=compact.__doc__.split("\n\n")[0])
    p.add_argument("--table", action="append", help="only this table (repeatable)")
    p.add_argument("--min-files", type=int, default=2, help="compact a table with at least this many files")
    p.add_argument("--dry-run", action="store_true", help="list what would be compacted, change nothing")
    return p


def compact_command(args: argparse.Namespace) -> int:
    if args.dry_run:
        todo = compact.plan(Lake(args.data), args.min_files)
        for table, files in todo:
            if not args.table or table in args.table:
                where = files[0].relative_to(pathlib.Path(args.data).resolve()).parts[0]
                print(f"{table}: {len(files)} 个文件 / files ({where}/)")
        if not todo:
            print("无需压缩 / nothing to compact")
        return 0
    try:
        done = compact.compact(args.data, args.table, args.min_files, log=print)
    except compact.CompactionError as e:
        print(f"错误 / error: {e}")
        return 1
    if not done:
        print("无需压缩 / nothing to compact")
    elif any(r.table == "indicators" for r in done):
        # the indicator files changed: derive their roll-up now rather than on the app's first query
        t0 = time.perf_counter()
        Lake(args.data).connection()
        print(f"指标汇总已生成 / indicator roll-up derived ({time.perf_counter() - t0:.1f} s)")
    return 0


# ------------------------------------------------------------------------------------------ demo
def add_demo_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("demo", help="regenerate the demonstration portfolio / 重新生成示例数据",
                       description="Write the demonstration portfolio (fictional 示例市) as one Parquet file per "
                                   "table; the same seed gives the same rows (docs/demo-data.md).")
    p.add_argument("--out", default=str(demo.DEFAULT_DIR),
                   help="folder to write <table>.parquet into (default: the bundled data/demo, whatever --data says)")
    p.add_argument("--seed", type=int, default=demo.SEED)
    return p


def demo_command(args: argparse.Namespace) -> int:
    for p in demo.write_demo(args.out, args.seed):
        print(p)
    return 0
