"""A lake with partly disclosed projects, imported through the real import path (stage → commit), for the
tests of issue 18 ("nothing imported is invisible; missing is never None, 0 or green").

`workbook()` is what a district might upload: one row (at least) of every importable table —
outputs, findings of each kind, a plain figure (kind fact), payments paid and pending with fund sources,
an indicator tree that lists only part of the framework — for three projects that disclose differently:

- `TREE`: a partial indicator tree (level 1 and some leaves, an elided branch), no total score, no grade;
- `TOTAL`: a total score only (no tree, no grade, no category-specific data);
- `NOTHING`: neither a total nor a tree.

`make_lake(tmp)` copies the bundled data and imports the workbook into it; the texts each test looks for
on screen are the module's constants.
"""
from __future__ import annotations

import io
import pathlib
import shutil

import openpyxl

from tests.conftest import DATA

TREE = "part-2024-tree"
TOTAL = "part-2024-total"
NOTHING = "part-2024-none"
NAMES = {TREE: "部分披露测试项目甲", TOTAL: "部分披露测试项目乙", NOTHING: "部分披露测试项目丙"}
SHORT = {TREE: "测试甲", TOTAL: "测试乙", NOTHING: "测试丙"}

OUTPUT_ITEM = "新建高清视频监控点位"
PROBLEM = "部分点位建成后未及时验收"
RECOMMENDATION = "建立点位验收台账并按月通报"
PRACTICE = "视频巡防与网格员联动"
FACT_LABEL = "接入公安视频专网的社会视频数"
FACT_VALUE = 1234.0
VENDOR_PAID = "测试甲科技有限公司"
VENDOR_PENDING = "测试乙网络有限公司"
FUND_CENTRAL = "中央转移支付"
FUND_LOCAL = "县级财政资金"
PAID_AMOUNT = 60.5
PENDING_AMOUNT = 39.5

PROJECT_COLUMNS = ["project_id", "name", "short_name", "category", "province", "city", "district",
                   "region_code", "implementing_unit", "evaluator", "evaluator_type", "period_start", "period_end",
                   "reported_total_score", "reported_grade"]


def _sheet(wb, name: str, header: list[str], rows: list[list]) -> None:
    ws = wb.create_sheet(name)
    ws.append(header)
    for r in rows:
        ws.append(r)


def workbook(total_score=None) -> bytes:
    """The upload: three projects (see the module's docstring) and one row or more of every table.
    ``total_score``: TOTAL's reported total (None: 86.5)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    common = ["治安防控", "安徽省", "宣城市", "宣州区", "341802", "宣州区公安分局", "宣州区财政局", "自评",
              "2024-01-01", "2024-12-31"]
    _sheet(wb, "projects", PROJECT_COLUMNS, [
        [TREE, NAMES[TREE], SHORT[TREE], *common, None, None],
        [TOTAL, NAMES[TOTAL], SHORT[TOTAL], *common, 86.5 if total_score is None else total_score, None],
        [NOTHING, NAMES[NOTHING], SHORT[NOTHING], *common, None, None],
    ])
    # the tree lists 产出 (weight 50) with two of its leaves (20 + 20: a 10-point branch left out) and 效益
    # (weight 30) without any leaf; 决策 and 过程 (20 points) are not listed at all
    _sheet(wb, "indicators", ["project_id", "code", "parent_code", "level", "name", "weight", "reported_score",
                              "sort_order"], [
        [TREE, "C", None, 1, "产出", 50, None, 1],
        [TREE, "C1", "C", 2, "数量指标", 20, 18, 2],
        [TREE, "C2", "C", 2, "质量指标", 20, 20, 3],
        [TREE, "D", None, 1, "效益", 30, 27, 4],
    ])
    _sheet(wb, "outputs", ["project_id", "output_id", "group_name", "item", "unit", "planned", "actual", "status"], [
        [TREE, "O1", "建设内容", OUTPUT_ITEM, "个", 120, 118, "已完工"],
        [TREE, "O2", "建设内容", "视频专网扩容", "项", 1, None, None],
    ])
    _sheet(wb, "findings", ["project_id", "finding_id", "kind", "title", "text"], [
        [TREE, "F1", "problem", PROBLEM, "2 个点位建成后三个月未验收。"],
        [TREE, "F2", "recommendation", RECOMMENDATION, None],
        [TREE, "F3", "practice", PRACTICE, "巡防发现问题当日推送网格员处置。"],
    ])
    _sheet(wb, "figures", ["project_id", "figure_id", "kind", "figure", "scope", "label", "value", "unit"], [
        [TREE, "G1", "fact", "video_connected", "total", FACT_LABEL, FACT_VALUE, "路"],
    ])
    _sheet(wb, "payments", ["project_id", "payment_id", "item", "vendor", "amount", "status", "fund_source"], [
        [TREE, "P1", "前端点位建设", VENDOR_PAID, PAID_AMOUNT, "paid", FUND_CENTRAL],
        [TREE, "P2", "专网扩容", VENDOR_PENDING, PENDING_AMOUNT, "pending", FUND_LOCAL],
    ])
    _sheet(wb, "budget", ["project_id", "year", "fund_source", "initial_budget", "received", "spent"], [
        [TREE, 2024, FUND_CENTRAL, 100, 100, 60.5],
    ])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_lake(tmp: pathlib.Path) -> pathlib.Path:
    """A copy of the bundled data with `workbook()` imported as one batch (stage → commit); its folder."""
    from perfeval.data.imports.ingest import commit
    from perfeval.data.imports.staging import stage

    lake = tmp / "data"
    shutil.copytree(DATA, lake, ignore=shutil.ignore_patterns("_derived"))
    staged = stage("部分披露测试.xlsx", workbook(), lake)
    assert staged.ok, [p.__dict__ for p in staged.problems][:5]
    commit(staged, lake)
    return lake
