"""The national 项目支出绩效自评表 (财预〔2020〕10号) as an import: a workbook as finance bureaus and WPS users
fill and publish it, recognised by its layout (the form's labels), never by a sheet name or a flag.

`is_selfeval(filename, data)`: does any sheet hold a block of the form? `read_selfeval(filename, data)`:
(parts, problems) — every block of every sheet (several projects per sheet or one sheet per project, any
sheet names, a block starting anywhere) turned into the rows of the tables the template uses
(perfeval.data.imports.reading's `Part`), with every value's sheet and Excel cell kept, so a problem names
file, sheet, row, column and value in Chinese and English. `read_upload` is what
perfeval.data.imports.staging.stage calls for a workbook that holds such blocks (any table-named sheets of
the template beside them are read as usual).

What a block becomes (perfeval.data.imports.selfeval_form reads the block; this module writes the rows):
- projects: 项目名称, 主管部门 (supervising_unit), 实施单位 (implementing_unit, and the evaluator: the form is
  the unit's own evaluation, evaluator_type 自评), the year (the title's 「2022年度」, else the sheet's, the
  project's or the file's name) as the period, 总分 as reported_total_score, the 年度总体目标 (goal) and its
  实际完成情况 (goal_result); the region from a 行政区划代码 the block states or a place named in 主管部门 /
  实施单位 (GB/T 2260), the category from the project's name — else a problem asking for it;
- budget: 年初预算数 → initial_budget, 全年预算数 → adjusted_budget, 全年执行数 → spent, received empty (the
  form has no 到位); the 其中 rows (当年财政拨款 / 上年结转资金 / 其他资金) as rows by fund_source where they
  add up to 年度资金总额, else the total as one row and the 其中 rows as facts;
- figures: the stated 执行率 (execution_rate, kind derived: 全年执行数 ÷ 全年预算数, so the audit compares it)
  and the stated totals where the rows are by fund source;
- indicators: 一级 / 二级 / 三级 with codes 1, 1.1, 1.1.1 in the form's order, 分值 (weight) and 得分
  (reported_score) on the rows that state them; the budget-execution row is the level-1 indicator 0;
- targets: one per 三级指标 row: 年度指标值 → operator / target_value / unit with target_text verbatim,
  实际完成值 → actual_value with actual_text verbatim (perfeval.data.imports.selfeval_cells.measure);
- findings: 偏差原因分析及改进措施, the cause as a problem and the measures as a recommendation;
- documents: the batch's document, source_type self_evaluation.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field, replace

import pandas as pd

from perfeval.data import schema
from perfeval.data.imports import selfeval_form as form
from perfeval.data.imports.reading import HELP_SHEETS, Part, read_workbook, table_named
from perfeval.data.imports.selfeval_cells import SUFFIXES, calamine_grid, column_letter, read_grids
from perfeval.data.validation.problems import Problem

EVALUATION_TYPE = "项目支出绩效自评"
FRAMEWORK = "项目支出绩效自评表（财预〔2020〕10号）"
RATE_DEFINITION_ZH = "全年执行数 ÷ 全年预算数"
RATE_DEFINITION_EN = "spent ÷ full-year budget"


@dataclass
class FormPart(Part):
    """A `Part` of a 自评表 block; ``cells`` maps (Excel row, schema column) to the (Excel column, the
    form's label) the value came from, so that a check of the row names the form's cell."""

    cells: dict[tuple[int, str], tuple[int, str]] = field(default_factory=dict)
    # columns left empty because the form does not say (a problem already asks for them)
    explained: set[str] = field(default_factory=set)


# ------------------------------------------------------------------------------------------ entry points
def is_selfeval(filename: str, data: bytes) -> bool:
    """True when a sheet of the workbook holds a block laid out as the 项目支出绩效自评表.

    Cheap for the template's workbooks, which every upload of one passes here: read with python-calamine, and a
    help sheet or a sheet named after a table (a sheet of the template, however large) is not read at all."""
    if not str(filename).lower().endswith(SUFFIXES):
        return False
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in wb.sheet_names:
            if _is_help(name) or table_named(name) is not None:
                continue
            if form.find_blocks(calamine_grid(wb.get_sheet_by_name(name), name)):
                return True
    except Exception:  # a workbook calamine cannot read is no form; reading.read_workbook says what is wrong
        return False
    return False


def read_selfeval(filename: str, data: bytes) -> tuple[list[Part], list[Problem]]:
    """(parts, problems) of every 自评表 block of the workbook; sheets without a block are left out."""
    parts, problems, _ = _read(filename, data)
    return parts, problems


def read_upload(filename: str, data: bytes, table: str | None = None
                ) -> tuple[list[Part], list[Problem], list[str] | None]:
    """perfeval.data.imports.staging's reader for a workbook holding 自评表 blocks: the blocks' parts, and the
    template's sheets beside them read by reading.read_workbook; any other sheet with cells is a problem
    (``unknown_sheet``: its rows would be lost), a help sheet (说明 / Help / 填表说明) is ignored."""
    parts, problems, grids = _read(filename, data)
    if grids is None:
        return parts, problems, None
    files = [f"{filename}:{g.sheet}" for g in grids]
    with_blocks = {g.sheet for g in grids if form.find_blocks(g)}
    others = [g for g in grids if g.sheet not in with_blocks and g.values]
    if others:
        more_parts, more, _ = read_workbook(filename, data, None)
        keep = {f"{filename}:{g.sheet}" for g in others if table_named(g.sheet) is not None}
        parts += [p for p in more_parts if p.file in keep]
        problems += [p for p in more if p.file in keep]
    for g in others:
        if table_named(g.sheet) is None and not _is_help(g.sheet):
            problems.append(form.problem(f"{filename}:{g.sheet}", None, None, g.sheet, "unknown_sheet"))
    return parts, problems, files


def _is_help(sheet: str) -> bool:
    s = sheet.strip()
    return s.lower() in {h.lower() for h in HELP_SHEETS} or "说明" in s


def _read(filename: str, data: bytes):
    try:
        grids = read_grids(filename, data)
    except Exception as e:  # openpyxl / calamine raise their own types for a broken or encrypted file
        return [], [form.problem(filename, None, None, None, "workbook_unreadable", detail=str(e)[:200])], None
    rows: dict[str, list[tuple[str, dict, int, dict]]] = {}
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    read_blocks: list[form.Block] = []
    for g in grids:
        for block in form.find_blocks(g):
            file = f"{filename}:{g.sheet}"
            read, more = form.read_block(g, block, file, filename)
            problems += more
            if read is None:
                continue
            pid = _project_id(read)
            if pid in ids:
                problems.append(form.problem(file, read.anchor[0], read.anchor[1], read.name, "selfeval_twice",
                                             other=ids[pid]))
                continue
            ids[pid] = f"{g.sheet}!{column_letter(read.anchor[1])}{read.anchor[0]}"
            read_blocks.append(read)
            for table, raw, row, cells in _rows(read, pid, filename):
                rows.setdefault(file, []).append((table, raw, row, cells))
    if read_blocks:  # the batch's one document: the workbook
        first = read_blocks[0]
        units = {b.implementing or b.supervising for b in read_blocks}
        title = (f"{first.name}（项目支出绩效自评表）" if len(read_blocks) == 1
                 else f"{filename}（项目支出绩效自评表 {len(read_blocks)} 份）")
        rows[f"{filename}:{first.sheet}"].insert(0, ("documents", {
            "source": "", "kind": "", "title": title, "file": filename,
            "author": units.pop() if len(units) == 1 else "", "source_type": "self_evaluation",
            "note": "；".join(ids.values())}, first.anchor[0], {}))
    return _parts(rows), problems, grids


def _project_id(read: form.Block) -> str:
    """A stable id: the year and a hash of the units and the name (the same form imported twice is the
    same project, and the lake refuses the second)."""
    key = "|".join([str(read.year or ""), read.supervising or "", read.implementing or "", read.name or ""])
    return f"zp-{read.year or 0}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


def _parts(rows: dict[str, list[tuple[str, dict, int, dict]]]) -> list[Part]:
    """One FormPart per sheet and table, the rows in the order read."""
    out: list[Part] = []
    for file, items in rows.items():
        by_table: dict[str, list] = {}
        for item in items:
            by_table.setdefault(item[0], []).append(item)
        for name in [n for n in ("documents", "projects", "budget", "indicators", "targets", "figures",
                                 "findings") if n in by_table]:
            t = schema.table(name)
            items = by_table[name]
            cols = [c for c in t.column_names if any(c in raw for _, raw, _, _ in items)]
            raw = pd.DataFrame({c: pd.Series([r.get(c, "") for _, r, _, _ in items], dtype=object) for c in cols})
            cells: dict[tuple[int, str], tuple[int, str]] = {}
            for _, _, row, where in items:
                for col, cell in where.items():
                    cells.setdefault((row, col), cell)
            explained = set().union(*(r.get("_explained", set()) for _, r, _, _ in items))
            out.append(FormPart(t, file, raw, [row for _, _, row, _ in items], cells, explained))
    return out


def relocate(part: Part, problems: list[Problem]) -> list[Problem]:
    """The checks' problems on a FormPart's rows, naming the form's cell (column letter and label) the
    value came from rather than the schema column alone."""
    if not isinstance(part, FormPart):
        return problems
    out = []
    for p in problems:
        if p.code == "required_empty" and p.column in part.explained:
            continue  # the reader's problem already asks for it (region, category, year)
        cell = part.cells.get((p.row, p.column)) if p.row is not None and p.column else None
        if cell is None:
            out.append(p)
            continue
        letter, label = column_letter(cell[0]), cell[1]
        out.append(replace(p, column=f"{letter}（{label}）{p.column}",
                           message_zh=f"{letter} 列「{label}」：{p.message_zh}",
                           message_en=f"column {letter} ({form.label_en(label)}): {p.message_en}"))
    return out


# ------------------------------------------------------------------------------------------ rows
def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v)


def _rows(b: form.Block, pid: str, filename: str):
    """(table, raw row of text, Excel row, {schema column: (Excel column, label)}) of a block."""
    r0, c0 = b.anchor
    year = b.year
    region = b.region
    project = {
        "project_id": pid, "name": b.name, "short_name": b.name, "category": b.category or "",
        "province": region.province if region else "", "city": region.city if region else "",
        "district": region.district if region else "", "region_code": region.code if region else "",
        "implementing_unit": b.implementing or b.supervising or "", "supervising_unit": b.supervising or "",
        "evaluator": b.implementing or b.supervising or "", "evaluator_type": "自评",
        "evaluation_type": EVALUATION_TYPE, "framework": FRAMEWORK,
        "period_start": f"{year}-01-01" if year else "", "period_end": f"{year}-12-31" if year else "",
        "reported_total_score": _text(b.total_score.value) if b.total_score else "",
        "reported_grade": b.grade,
        "tree_depth": "3" if b.indicators else "0",
        "goal": b.goal.value if b.goal else "", "goal_result": b.goal_result.value if b.goal_result else "",
        "note": "；".join([f"自评表 {b.sheet}!{column_letter(c0)}{r0}"]
                         + [f"{label} {b.sheet}!{column_letter(v.col)}{v.row}" for label, v in
                            (("年度总体目标", b.goal), ("实际完成情况", b.goal_result), ("总分", b.total_score)) if v]
                        + ([f"指标表有省略行（……），只列出 {sum(1 for n in b.indicators if n.level == 3)} 项三级指标"]
                           if b.elided else [])),
    }
    where = {"name": (b.name_cell[1], "项目名称")} if b.name_cell else {}
    if b.total_score:
        where["reported_total_score"] = (b.total_score.col, "得分")
    explained = set()
    if region is None:
        explained |= {"province", "region_code"}
    if not b.category:
        explained.add("category")
    if not year:
        explained |= {"period_start", "period_end"}
    row = {k: v for k, v in project.items() if k in schema.table("projects").column_names}
    yield ("projects", dict(row, _explained=explained), r0, where)
    yield from _budget_rows(b, pid)
    for n in b.indicators:
        raw = {"project_id": pid, "code": n.code, "parent_code": n.parent or "", "level": str(n.level),
               "name": n.name, "weight": _text(n.weight.value) if n.weight else "",
               "reported_score": _text(n.score.value) if n.score else "", "sort_order": str(n.order),
               "note": n.where}
        cells = {}
        if n.weight:
            cells["weight"] = (n.weight.col, "分值")
        if n.score:
            cells["reported_score"] = (n.score.col, "得分")
        yield ("indicators", raw, n.row, cells)
    for i, tg in enumerate(b.targets, start=1):
        t, a = tg.target, tg.actual
        raw = {"project_id": pid, "target_id": f"T{i:02d}", "year": str(year or ""), "category": tg.category,
               "name": tg.name, "unit": t.unit if t else (a.unit if a else ""),
               "operator": (t.operator or "") if t else "", "target_value": _text(t.value) if t else "",
               "target_text": t.text if t else "", "actual_value": _text(a.value) if a else "",
               "actual_text": a.text if a else "", "indicator_code": tg.code, "note": tg.where}
        yield ("targets", raw, tg.row, {"target_value": (tg.target_col, "年度指标值"),
                                         "actual_value": (tg.actual_col, "实际完成值")})
    for i, f in enumerate(b.figures, start=1):
        raw = {"project_id": pid, "figure_id": f"F{i:02d}", "kind": f.kind, "figure": f.figure, "scope": "total",
               "label": f.label, "value": _text(f.value), "unit": f.unit, "quote": f.quote, "note": f.note}
        yield ("figures", raw, f.row, {"value": (f.col, f.label)})
    for i, f in enumerate(b.findings, start=1):
        raw = {"project_id": pid, "finding_id": f"D{i:02d}", "kind": f.kind, "title": f.title, "text": f.text,
               "indicator_code": f.code or "", "note": f.where}
        yield ("findings", raw, f.row, {})


def _budget_rows(b: form.Block, pid: str):
    for r in b.budget_rows:
        raw = {"project_id": pid, "year": str(b.year or ""), "fund_source": r.fund_source or "",
               "initial_budget": _text(r.initial.value) if r.initial else "",
               "adjusted_budget": _text(r.adjusted.value) if r.adjusted else "",
               "spent": _text(r.spent.value) if r.spent else "",
               "note": f"自评表 {r.where}；执行率 = {RATE_DEFINITION_ZH}，无到位资金"
                       + ("；原表金额以元填写，已换算为万元" if r.yuan else ""),
               "_explained": set() if b.year else {"year"}}
        cells = {}
        for col, v, label in (("initial_budget", r.initial, "年初预算数"), ("adjusted_budget", r.adjusted, "全年预算数"),
                              ("spent", r.spent, "全年执行数")):
            if v is not None:
                cells[col] = (v.col, label)
        yield ("budget", raw, r.row, cells)
