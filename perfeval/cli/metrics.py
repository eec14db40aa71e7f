"""``python -m perfeval metrics [WORD] [--category C] [--json]``: the outcome-metric catalogue, so that a metric key
is found without SQL (queries/metrics_catalogue.sql through the data gate): key, Chinese and English names,
unit, category, direction (higher / lower is better), the document it came from and how many outcome figures
of the visible projects use it. The same list is the 指标目录 sheet of the import template."""
from __future__ import annotations

import argparse
import json

from perfeval.cli.common import cli_scope, gate, records, render_table
from perfeval.data import schema

DIRECTION = {"higher": "越高越好 higher", "lower": "越低越好 lower"}


def add_metrics_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("metrics", help="the outcome-metric catalogue / 成效指标目录",
                       description="List the outcome metrics (key, names, unit, category, direction) to find "
                                   "a metric key for an import: 列出成效指标目录，查找导入所用的指标键。")
    p.add_argument("search", nargs="?", default=None,
                   help="a word in the key, the names, the unit or the note (e.g. 劝阻, frozen)")
    p.add_argument("--category", choices=schema.table("metrics").column("category").allowed,
                   help="one category only / 只列某一类别")
    p.add_argument("--json", action="store_true", help="JSON list of objects")
    return p


def metrics_command(args: argparse.Namespace) -> int:
    df = gate(args).query("metrics_catalogue", cli_scope(args), search=args.search or None,
                          category=args.category)
    if args.json:
        print(json.dumps(records(df), ensure_ascii=False, indent=2))
        return 0
    rows = [[r.metric_key, r.name_zh, r.name_en, r.unit, r.category, DIRECTION.get(r.direction, r.direction),
             str(int(r.n_outcomes))] for r in df.itertuples(index=False)]
    headers = ["指标键 metric_key", "中文名称", "English name", "单位 unit", "类别", "方向 direction", "使用 used"]
    print(render_table(headers, rows, max_width=40, right={6}))
    print(f"\n{len(rows)} 个指标 / metrics · 使用 = 引用该指标的成效数据条数 / outcome figures using it"
          "\n目录中没有的指标：在导入模板的「新增成效指标 metrics」工作表中登记 / a metric not listed: add it on "
          "the template's metrics sheet")
    return 0
