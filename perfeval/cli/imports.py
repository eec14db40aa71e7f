"""The commands that manage the data: ``import`` (check a workbook, CSV or Parquet file and write it as a new batch,
perfeval.data.imports.ingest; ``--supersede`` replaces the batches holding projects it imports again), ``template`` (the
workbook to fill in, perfeval.data.imports.template), ``batches``, ``withdraw`` and ``restore`` (list the imported
batches, move one to ``_archive/imports/`` or back, perfeval.data.imports.batches), ``compact``
(merge each table's Parquet files, perfeval.data.compact) and ``demo`` (rewrite the demonstration portfolio's
Parquet files, perfeval.data.demo.portfolio). The four that change the lake (import, withdraw, restore, compact) change
or delete no data file: they add a batch folder, or move folders and files to ``_archive/`` and back."""
from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time

from perfeval.auth.users import import_scope
from perfeval.cli.common import cli_scope, cli_user, gate, print_problems
from perfeval.cli.review import print_review, review_json
from perfeval.data import compact
from perfeval.data.demo import portfolio as demo
from perfeval.data.imports.export import export_workbook
from perfeval.data.imports.batches import (
    RestoreRefused,
    WithdrawRefused,
    all_batches,
    list_batches,
    outside_scope,
    project_regions,
    restore,
    withdraw,
)
from perfeval.data.imports.ingest import ImportRefused, commit, restricted_to, supersede_offer
from perfeval.data.imports.reading import IMPORT_TABLES
from perfeval.data.imports.staging import stage
from perfeval.data.imports.template import template_workbook
from perfeval.data.gate import Scope
from perfeval.data.imports.folders import LOCAL_WHO
from perfeval.data.lake import Lake


def _who(args: argparse.Namespace) -> str:
    """The name a change records: the ``--as`` user's, else 本机/local."""
    user = getattr(args, "user", None)
    name = getattr(user, "name", None)
    return name if name and name != "本机" else LOCAL_WHO


def _scope(args: argparse.Namespace) -> Scope:
    """What the command's user may change: perfeval.auth.users.import_scope of the ``--as`` user (an admin any
    region, a district its own, other roles none; the local administrator on one machine: everything)."""
    return import_scope(cli_user(args))


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
    p.add_argument("--supersede", action="store_true",
                   help="the file corrects projects already imported: withdraw the batches that hold them (to the "
                        "archive, restorable) and import it in their place / 替代已导入的同一项目的批次")
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
    # an upload naming projects outside the user's regions shows only that (nothing of other regions' rows)
    staged = restricted_to(stage(path.name, path.read_bytes(), args.data, table=args.table), args.data, _scope(args))
    problems, batch = list(staged.problems), None
    outside = any(p.code == "out_of_scope" for p in problems)
    offer = None if staged.ok or outside else supersede_offer(staged, args.data)
    superseding = offer is not None and offer.ok and args.supersede
    if superseding:
        problems = []
    if (staged.ok or superseding) and not args.dry_run:
        try:
            batch = commit(staged, args.data, supersede=offer if superseding else None, scope=_scope(args),
                           who=_who(args))
        except ImportRefused as e:
            problems = e.problems
    rows = batch.rows if batch else staged.rows
    if args.json:
        print(json.dumps({
            "file": staged.filename, "ok": not problems, "dry_run": bool(args.dry_run),
            "batch": batch.id if batch else None, "folder": str(batch.folder) if batch else None,
            "rows": rows, "problems": [p.as_dict() for p in problems],
            "supersede": None if offer is None else {
                "possible": offer.ok, "done": bool(batch) and superseding, "batches": [
                    {"id": b.id, "file": b.file, "who": b.who, "when": b.when, "documents": [s for s, _ in b.documents],
                     "projects": [{"project_id": p.project_id, "name": p.name, "in_file": p.in_upload}
                                  for p in b.projects]} for b in offer.batches],
                "refused": [{"zh": zh, "en": en} for zh, en in offer.refusals]},
            **review_json(staged),
        }, ensure_ascii=False, indent=2))
        return 1 if problems else 0
    print_review(staged, args.limit)  # warnings (never blocking) and new metrics, beside the problems
    if problems:
        print_problems(problems, args.limit)
        print(f"\n✗ {len(problems)} 个问题，未导入任何数据 / {len(problems)} problems: nothing was imported")
        if offer is not None:
            print_offer(offer)
        return 1
    counts = "、".join(f"{name} {n} 行" for name, n in rows.items())
    counts_en = ", ".join(f"{name} {n}" for name, n in rows.items())
    if batch is None:
        print(f"✓ 检查通过，未写入（--dry-run）：{counts} / checked, nothing written (--dry-run): {counts_en} rows")
        if superseding:
            print_offer(offer, done=False)
    else:
        print(f"✓ 已导入批次 {batch.id}：{counts} / imported batch {batch.id}: {counts_en} rows\n  {batch.folder}")
        if superseding:
            print(f"  已替代并撤回（可恢复）/ superseded and withdrawn (restorable): {', '.join(offer.batch_ids)}")
    return 0


def print_offer(offer, done: bool = False) -> None:
    """What superseding would replace, or why it cannot."""
    for b in offer.batches:
        who = f"，{b.who}" if b.who else ""
        print(f"\n  批次 / batch {b.id}（{b.file or '—'}，{b.when or '—'}{who}）")
        for p in b.projects:
            mark = "" if p.in_upload else "  ← 新文件中没有，将一并撤回 / not in the new file: withdrawn too"
            print(f"    {p.project_id}  {p.name}{mark}")
    if offer.refusals:
        print("\n不能替代 / cannot supersede:")
        for zh, en in offer.refusals:
            print(f"  {zh}\n  {en}")
    elif offer.ok:
        print("\n这些项目已在数据湖中。加 --supersede 以本文件替代上列批次（旧批次移至归档，可恢复）/ these projects are "
              "already in the lake: add --supersede to import this file in place of the batches above (they move "
              "to the archive and can be restored)")


def add_template_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("template", help="write the import template (.xlsx) / 生成导入模板",
                       description="Write an Excel workbook to fill in for `import`: a help sheet and one sheet "
                                   "per importable table, each column explained in its header's comment.")
    p.add_argument("output", help="the .xlsx file to write")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the help sheet first")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument("--with-data", action="store_true",
                   help="fill it with what the lake holds (what you may read), to correct and import again")
    p.add_argument("--project", action="append", metavar="ID", help="with --with-data: only this project "
                                                                      "(repeatable)")
    p.add_argument("--no-demo", action="store_true", help="with --with-data: leave the demonstration data out")
    return p


def template_command(args: argparse.Namespace) -> int:
    out = pathlib.Path(args.output)
    if out.exists() and not args.force:
        print(f"文件已存在（用 --force 覆盖）/ exists (use --force to overwrite): {out}", file=sys.stderr)
        return 2
    if args.project and not args.with_data:
        print("--project 需要 --with-data / --project needs --with-data", file=sys.stderr)
        return 2
    if args.with_data:
        out.write_bytes(export_workbook(gate(args), cli_scope(args), args.project, args.lang))
    else:
        out.write_bytes(template_workbook(args.lang))
    print(f"已写入 / written: {out}")
    return 0


# ------------------------------------------------------------------------------------------ batches, withdraw
def add_batches_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("batches", help="list the imported batches / 已导入的批次",
                       description="List the lake's imported batches, newest first.")
    p.add_argument("--withdrawn", action="store_true", help="the withdrawn ones (under _archive/imports/)")
    p.add_argument("--all", action="store_true", help="active and withdrawn, with their status")
    p.add_argument("--json", action="store_true")
    return p


def batches_command(args: argparse.Namespace) -> int:
    found = all_batches(args.data) if args.all else list_batches(args.data, withdrawn=args.withdrawn)
    scope = cli_scope(args)
    if not scope.unrestricted:  # the folders are read around the data gate: only the batches of the user's scope
        root = pathlib.Path(args.data)
        found = [b for b in found if (regions := project_regions(root, b.folder)) and not outside_scope(scope, regions)]
    if args.json:
        print(json.dumps([{"id": b.id, "status": b.status, "who": b.who, "when": b.when, "file": b.file,
                           "rows": b.rows, "uploads": b.uploads, "supersedes": list(b.supersedes),
                           "superseded_by": b.superseded_by or None} for b in found],
                         ensure_ascii=False, indent=2))
        return 0
    for b in found:
        tables = ", ".join(f"{t} {n:,}" for t, n in b.rows.items())
        status = "" if b.status == "active" else f"  [{b.status}{' → ' + b.superseded_by if b.superseded_by else ''}]"
        print(f"{b.id}  {b.when or '—'}  {b.who or '—'}  {b.file or '—'}  {tables}{status}")
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
        target = withdraw(args.data, args.batch, scope=_scope(args), who=_who(args))
    except (WithdrawRefused, ValueError) as e:
        print(f"错误 / error: {e}")
        return 1
    print(f"已撤回，移至 / withdrawn, moved to: {target}")
    return 0


def add_restore_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("restore", help="restore a withdrawn batch (moved back from _archive) / 恢复批次",
                       description="Move a withdrawn batch back from _archive/imports/ into the lake; refused if its "
                                   "projects were imported again meanwhile.")
    p.add_argument("batch", help="the batch id (python -m perfeval batches --withdrawn)")
    return p


def restore_command(args: argparse.Namespace) -> int:
    try:
        target = restore(args.data, args.batch, scope=_scope(args), who=_who(args))
    except (RestoreRefused, ValueError) as e:
        print(f"错误 / error: {e}")
        return 1
    print(f"已恢复 / restored: {target}")
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
