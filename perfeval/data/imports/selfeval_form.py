"""Reading one block of a 项目支出绩效自评表 from a sheet's cells (perfeval.data.imports.selfeval_cells.Grid):
`read_block` gives the block's values (perfeval.data.imports.selfeval_layout.Block), each with its Excel row and
column, and the problems found: the project's name, units and year, its region (a GB/T 2260 place its units or
name state, `region_named`, or a 行政区划代码 row) and category (`CATEGORY_WORDS`, or a 项目类别 row), the money
rows (by fund source where the 其中 rows add up to 年度资金总额), the overall goal and what was achieved, and the
indicator table (perfeval.data.imports.selfeval_indicators). `find_blocks`, `problem`, `label_en` and `Block`
are perfeval.data.imports.selfeval_layout's, named here for perfeval.data.imports.selfeval.
"""
from __future__ import annotations

import re

from perfeval.data import gbt2260
from perfeval.data.imports.selfeval_cells import Grid, column_letter, norm
from perfeval.data.imports.selfeval_indicators import read_indicators
from perfeval.data.imports.selfeval_layout import (
    Block,
    BudgetRow,
    Figure,
    Node,
    Span,
    Value,
    find_blocks,
    first_label,
    key_of,
    label_en,
    labelled_value,
    on_row,
    parse_value,
    problem,
    right_of,
)
from perfeval.data.validation.problems import Problem


_YEAR_TITLE = re.compile(r"(20\d{2})\s*年度")
_YEAR = re.compile(r"(20\d{2})\s*年")


def read_block(grid: Grid, span: Span, file: str, filename: str) -> tuple[Block | None, list[Problem]]:
    """The block's values and the problems found; None (and a problem) when it names no project."""
    problems: list[Problem] = []
    r0, c0 = span.first, span.col
    b = Block(grid.sheet, (r0, c0))
    named = labelled_value(grid, (r0, c0))
    if named is None:
        return None, [problem(file, r0, c0, "", "selfeval_name", "项目名称")]
    b.name, b.name_cell = named
    for key in ("supervising", "implementing"):
        v = labelled_value(grid, first_label(span, key))
        setattr(b, key, v[0] if v else "")
    b.year = _year(grid, span, b.name, filename)
    if b.year is None:
        problems.append(problem(file, r0, c0, b.name, "selfeval_year", "项目名称"))
    _region(grid, span, b, file, problems)
    _category(grid, span, b, file, problems)
    _grade(grid, span, b, file, problems)
    _budget(grid, span, b, file, problems)
    _goals(grid, span, b)
    read_indicators(grid, span, b, file, problems)
    return b, problems


def _year(grid: Grid, span: Span, name: str, filename: str) -> int | None:
    """The year of the title (「（2022年度）」), else of the sheet's, the project's or the file's name; a date
    the form was filled in (填报日期：2023年3月) is not the year evaluated."""
    title = [grid.text(r, c) for r in range(max(1, span.first - 5), span.first)
             for c in range(1, grid.max_col + 1) if (r, c) in grid.values and grid.is_first(r, c)]
    title = [t for t in title if "日期" not in t and "填报" not in t and "时间" not in t]
    for texts, pattern in ((title, _YEAR_TITLE), (title, _YEAR), ([grid.sheet, name, filename], _YEAR)):
        for t in texts:
            m = pattern.search(t)
            if m:
                return int(m.group(1))
    return None


def _region(grid: Grid, span: Span, b: Block, file: str, problems: list[Problem]) -> None:
    at = first_label(span, "region_code")
    if at is not None:
        found = labelled_value(grid, at)
        v = found[1] if found else None
        text = norm(found[0]) if found else ""
        region = gbt2260.lookup(text) if re.fullmatch(r"\d{6}", text) else None
        if region is None:
            problems.append(problem(file, at[0], v[1] if v else at[1], text, "selfeval_region_code", "行政区划代码"))
        b.region = region
        return
    b.region = region_named(b.implementing) or region_named(b.supervising) or region_named(b.name)
    if b.region is None:
        problems.append(problem(file, span.first, span.col, b.name, "selfeval_region", "项目名称",
                                supervising=b.supervising, implementing=b.implementing))


def _name_index() -> dict[str, list]:
    index: dict[str, list] = {}
    for reg in gbt2260.regions().values():
        if len(reg.name) >= 3 or (len(reg.name) == 2 and not reg.name.endswith("区")):
            index.setdefault(reg.name, []).append(reg)
    return index


_INDEX: dict[str, list] | None = None


def region_named(text: str):
    """The one GB/T 2260 region a unit's name names (宣城市公安局 → 341800, 重庆市丰都县公安局 → 500230), the most
    specific where it names several levels; None where it names none, or a name several regions share."""
    global _INDEX
    if not text:
        return None
    if _INDEX is None:
        _INDEX = _name_index()
    found = [reg for name, regs in _INDEX.items() if name in text for reg in regs]
    if not found:
        return None
    names = {reg.name for reg in found}
    # a region whose province or city is also named beats a namesake elsewhere
    def support(reg) -> int:
        return (reg.province in names) + (bool(reg.city) and reg.city != reg.name and reg.city in names)
    # drop a province or city when a region below it is named too
    def below(reg) -> bool:
        prefix = reg.code
        while len(prefix) > 2 and prefix.endswith("00"):
            prefix = prefix[:-2]
        return any(o.code != reg.code and o.code.startswith(prefix) for o in found)
    specific = [reg for reg in found if not below(reg)]
    best = max(support(reg) for reg in specific)
    top = {reg.code: reg for reg in specific if support(reg) == best}
    return next(iter(top.values())) if len(top) == 1 else None


# the categories of the import template (perfeval.data.imports.template.PROJECT_CATEGORIES) and the words in a
# project's name that say them, the most specific first (a 雪亮工程 is also 视频监控)
CATEGORY_WORDS = (("反诈", ("诈骗", "反诈", "电诈", "涉诈", "断卡")),
                  ("禁毒", ("禁毒", "毒品", "缉毒")),
                  ("雪亮工程", ("雪亮",)),
                  ("辅警经费", ("辅警",)),
                  ("治安防控", ("治安", "防控", "天网", "视频监控", "监控")),
                  ("信息化建设", ("信息化", "信息系统", "系统维护", "大数据", "平台建设", "网络")),
                  ("执法办案", ("执法", "办案")))


GRADES = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中", "一般": "中", "差": "差",
          "较差": "差"}


def _grade(grid: Grid, span: Span, b: Block, file: str, problems: list[Problem]) -> None:
    """A 自评等级 / 评价等级 row some forms add: 优 / 良 / 中 / 差 (优秀, 良好, 中等 … as written)."""
    found = labelled_value(grid, first_label(span, "grade"))
    if found is None:
        return
    b.grade = GRADES.get(norm(found[0]), "")
    if not b.grade:
        problems.append(problem(file, found[1][0], found[1][1], found[0], "selfeval_grade", "自评等级"))


def _category(grid: Grid, span: Span, b: Block, file: str, problems: list[Problem]) -> None:
    found = labelled_value(grid, first_label(span, "category"))
    if found is not None:
        b.category = found[0]
        return
    b.category = next((cat for cat, words in CATEGORY_WORDS if any(w in b.name for w in words)), "")
    if not b.category:
        problems.append(problem(file, span.first, b.name_cell[1] if b.name_cell else span.col, b.name,
                                "selfeval_category", "项目名称"))


def _budget(grid: Grid, span: Span, b: Block, file: str, problems: list[Problem]) -> None:
    at = first_label(span, "spent") or first_label(span, "adjusted") or first_label(span, "initial")
    if at is None:
        return
    h = at[0]
    cols = {k: on_row(span, k, h) for k in ("initial", "adjusted", "spent", "rate", "weight", "score")}
    funds = next(((r, c) for r, c in span.labels.get("funds", []) if r <= h), None)
    in_yuan = funds is not None and "(元)" in grid.label(*funds)  # 项目资金（元）: amounts in 元, kept in 万元
    value_cols = [c for k, c in cols.items() if c is not None]
    end = min([r for k in ("goal", "indicators", "l1", "expected") for r, _ in span.labels.get(k, []) if r > h]
              + [span.last + 1])
    rows: list[BudgetRow] = []
    for r in range(h + 1, end):
        names = [grid.text(r, c) for c in range(span.col, min(value_cols)) if (r, c) in grid.values
                 and key_of(grid.label(r, c)) is None]
        label = names[-1] if names else ""
        row = BudgetRow(r, label, _fund_source(label), where=f"{grid.sheet}!{column_letter(span.col)}{r}",
                        yuan=in_yuan)
        for key, how, zh in (("initial", "amount", "年初预算数"), ("adjusted", "amount", "全年预算数"),
                             ("spent", "amount", "全年执行数"), ("rate", "rate", "执行率"),
                             ("weight", "score", "分值"), ("score", "score", "得分")):
            c = cols[key]
            if c is not None and grid.is_first(r, c):
                v = parse_value(grid, r, c, how, zh, file, problems)
                if v is not None and how == "amount" and in_yuan:
                    v = Value(round(v.value / 10000, 6), v.row, v.col, f"{v.text} 元")
                setattr(row, key, v)
        if any(getattr(row, k) is not None for k in ("initial", "adjusted", "spent", "rate", "weight", "score")):
            rows.append(row)
    if not rows:
        return
    total = next((x for x in rows if x.fund_source is None), rows[0])
    parts = [x for x in rows if x is not total]
    _budget_from(b, total, parts, grid.sheet)


def _fund_source(label: str) -> str | None:
    """None for the 年度资金总额 row; the fund source a 其中 row names."""
    s = norm(label)
    if not s or "总额" in s or "合计" in s or s in ("总计", "小计"):
        return None
    return re.sub(r"^其中[:：]?", "", s) or None


def _budget_from(b: Block, total: BudgetRow, parts: list[BudgetRow], sheet: str) -> None:
    """Budget rows by fund source where the 其中 rows add up to the total, else the total alone (and the 其中
    rows' amounts as facts); the stated 执行率 as a figure; the row's 分值 / 得分 as indicator 0."""
    measures = ("initial", "adjusted", "spent")
    stated = [x for x in parts if any(getattr(x, m) is not None for m in measures)]

    def adds_up(m: str) -> bool:
        t = getattr(total, m)
        vals = [getattr(x, m).value for x in stated if getattr(x, m) is not None]
        return t is None and not vals or (t is not None and bool(vals) and abs(sum(vals) - t.value) < 0.0051)

    by_source = bool(stated) and all(adds_up(m) for m in measures)
    if by_source:
        b.budget_rows = stated
        for m, figure, zh in (("initial", "budget_total", "年初预算数"), ("adjusted", "adjusted_budget_total", "全年预算数"),
                              ("spent", "spent_total", "全年执行数")):
            v = getattr(total, m)
            if v is not None:
                b.figures.append(Figure(figure, "derived", f"{total.label or '年度资金总额'} {zh}", v.value, "万元",
                                        v.row, v.col, f"{zh} {v.text}", f"{sheet}!{column_letter(v.col)}{v.row}"))
    else:
        total.fund_source = None
        b.budget_rows = [total]
        for x in stated:
            for m, figure, zh in (("initial", "fund_initial_budget", "年初预算数"),
                                  ("adjusted", "fund_adjusted_budget", "全年预算数"),
                                  ("spent", "fund_spent", "全年执行数")):
                v = getattr(x, m)
                if v is not None:
                    b.figures.append(Figure(figure, "fact", f"{x.label} {zh}", v.value, "万元", v.row, v.col,
                                            f"{x.label} {zh} {v.text}", f"{sheet}!{column_letter(v.col)}{v.row}"))
    if total.rate is not None:
        v = total.rate
        b.figures.append(Figure("execution_rate", "derived", "执行率", v.value, "%", v.row, v.col,
                                f"执行率 {v.text}", f"{sheet}!{column_letter(v.col)}{v.row}；执行率 = 全年执行数 ÷ "
                                                   "全年预算数（自评表，无到位资金）"))
    for x in parts:
        if x.rate is not None:
            b.figures.append(Figure("fund_execution_rate", "fact", f"{x.label} 执行率", x.rate.value, "%",
                                    x.rate.row, x.rate.col, f"{x.label} 执行率 {x.rate.text}",
                                    f"{sheet}!{column_letter(x.rate.col)}{x.rate.row}；执行率 = 全年执行数 ÷ 全年预算数"))
    if total.weight is not None or total.score is not None:
        b.indicators.append(Node("0", None, 1, "预算执行率", total.row, 0, total.weight, total.score, total.where))


def _goals(grid: Grid, span: Span, b: Block) -> None:
    stop = min([r for k in ("indicators", "l1") for r, _ in span.labels.get(k, [])
                if r > span.first] + [span.last + 1])
    for key, attr in (("expected", "goal"), ("achieved", "goal_result")):
        at = first_label(span, key)
        if at is None or at[0] >= stop:
            continue
        texts, first = [], None
        for r in range(at[0] + 1, stop):
            if (r, at[1]) in grid.values and grid.is_first(r, at[1]) and key_of(grid.label(r, at[1])) is None:
                texts.append(grid.text(r, at[1]))
                first = first or (r, at[1])
        if texts:
            setattr(b, attr, Value("\n".join(texts), first[0], first[1], "\n".join(texts)))
    if b.goal is None:
        at = first_label(span, "goal")
        v = right_of(grid, *at) if at else None
        if v is not None:
            b.goal = Value(grid.text(*v), v[0], v[1], grid.text(*v))



__all__ = ["Block", "find_blocks", "label_en", "problem", "read_block", "region_named"]
