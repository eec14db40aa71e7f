"""The layout of the 项目支出绩效自评表 (财预〔2020〕10号) as perfeval.data.imports.selfeval reads it: the form's labels
(`LABELS`, `key_of`: compared without spaces, line breaks, colons or the difference of full- and half-width
brackets), where its blocks are in a sheet (`find_blocks`: a block starts at a 项目名称 cell and runs to the next one
or the sheet's end; it is the form when at least `MIN_LABELS` of its labels are there, with 项目名称 and either
全年执行数 or 三级指标), the values read from a block (`Value`, `BudgetRow`, `Node`, `Target`, `Figure`, `Finding`,
`Block`) and the problems found (`problem`: file and sheet, row, column, value; Chinese and English).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from perfeval.data.imports.selfeval_cells import (
    BadValue,
    Grid,
    Measure,
    amount,
    column_letter,
    rate,
    score,
    shown,
)
from perfeval.data.validation.problems import Problem

# key → the labels (as `norm` makes them, a trailing "(A)" / "(B/A)" dropped) that name it
LABELS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称",), "supervising": ("主管部门",), "implementing": ("实施单位",),
    "funds": ("项目资金(万元)", "项目资金", "资金情况(万元)"),
    "initial": ("年初预算数", "年初预算"), "adjusted": ("全年预算数", "全年预算"),
    "spent": ("全年执行数", "全年执行"), "weight": ("分值",), "rate": ("执行率",), "score": ("得分",),
    "goal": ("年度总体目标", "总体目标"), "expected": ("预期目标",),
    "achieved": ("实际完成情况", "全年实际完成情况"),
    "indicators": ("绩效指标",), "l1": ("一级指标",), "l2": ("二级指标",), "l3": ("三级指标",),
    "target": ("年度指标值", "指标值"), "actual": ("实际完成值",),
    "deviation": ("偏差原因分析及改进措施",), "total": ("总分",),
    # not on the national form; read where a person adds them
    "region_code": ("行政区划代码", "区划代码", "地区代码"), "category": ("项目类别", "类别"),
    "grade": ("自评等级", "评价等级", "绩效等级", "自评结果等级"),
}
_PREFIX = {"deviation": "偏差原因", "funds": "项目资金", "goal": "年度总体目标"}
FORM_KEYS = tuple(k for k in LABELS if k not in ("region_code", "category", "grade"))
MIN_LABELS = 10
_EN = {"项目名称": "project name", "主管部门": "supervising department", "实施单位": "implementing unit",
       "年初预算数": "initial budget", "全年预算数": "full-year budget", "全年执行数": "full-year spending",
       "分值": "weight", "执行率": "execution rate", "得分": "score", "年度指标值": "target for the year",
       "实际完成值": "actual value", "总分": "total score", "行政区划代码": "region code",
       "项目类别": "category", "年度总体目标": "overall goal", "自评等级": "grade"}


def label_en(label: str) -> str:
    return _EN.get(label, label)


def key_of(label: str) -> str | None:
    """The form's label a normalised cell text is, or None."""
    if not label or len(label) > 24:
        return None
    s = re.sub(r"\([A-Za-z/+\-]*\)$", "", label)
    for key, names in LABELS.items():
        if s in names:
            return key
    for key, prefix in _PREFIX.items():
        if s.startswith(prefix):
            return key
    return None


# ------------------------------------------------------------------------------------------ problems
MESSAGES: dict[str, tuple[str, str]] = {
    "workbook_unreadable": ("无法读取 Excel 工作簿：{detail}", "cannot read the Excel workbook: {detail}"),
    "unknown_sheet": ("工作表「{value}」既不是项目支出绩效自评表，也不是可导入的表（以表名命名的工作表），其中的数据不会被"
                      "导入；请删除该工作表或按模板填写",
                      "sheet “{value}” is neither a 项目支出绩效自评表 (self-evaluation form) nor a table that can be "
                      "imported (a sheet named after a table): its rows would be lost; remove it or fill it as "
                      "the template says"),
    "selfeval_amount": ("第 {row} 行 {letter} 列「{label}」应为金额（万元），实际为「{value}」",
                        "row {row}, column {letter} ({label_en}) must be an amount in 10k CNY, got “{value}”"),
    "selfeval_rate": ("第 {row} 行 {letter} 列「{label}」应为比率（如 98.5% 或 0.985），实际为「{value}」",
                      "row {row}, column {letter} ({label_en}) must be a rate (e.g. 98.5% or 0.985), got “{value}”"),
    "selfeval_score": ("第 {row} 行 {letter} 列「{label}」应为分数（数字），实际为「{value}」",
                       "row {row}, column {letter} ({label_en}) must be a score (a number), got “{value}”"),
    "selfeval_name": ("第 {row} 行 {letter} 列「项目名称」右侧没有项目名称",
                      "row {row}, column {letter}: no project name to the right of 项目名称 (project name)"),
    "selfeval_year": ("无法确定自评表「{value}」的年度：标题（如「（2022年度）」）、工作表名、项目名称和文件名都没有写明；"
                      "请在表的标题中写明年度",
                      "cannot tell the year of the self-evaluation “{value}”: neither the title (e.g. “（2022年度）”) "
                      "nor the sheet's, the project's or the file's name states it; write the year in the title"),
    "selfeval_region": ("无法确定自评表「{value}」所属地区：主管部门「{supervising}」和实施单位「{implementing}」中没有可"
                        "识别的地名（GB/T 2260），表中也没有「行政区划代码」；请在表中加一行「行政区划代码」，右侧填写 6 位"
                        "代码（如 341800）",
                        "cannot tell the region of the self-evaluation “{value}”: neither the supervising department "
                        "“{supervising}” nor the implementing unit “{implementing}” names a place of GB/T 2260, and the "
                        "form states no 行政区划代码; add a row 行政区划代码 (region code) with the six-digit code to "
                        "its right (e.g. 341800)"),
    "selfeval_region_code": ("第 {row} 行 {letter} 列「行政区划代码」为「{value}」，不是内置 GB/T 2260 代码表中的 6 位代码",
                             "row {row}, column {letter} (region code) is “{value}”, not a six-digit code of the "
                             "bundled GB/T 2260 list"),
    "selfeval_category": ("无法从项目名称「{value}」判断项目类别；请在表中加一行「项目类别」，右侧填写类别（如 反诈、"
                          "治安防控、禁毒）",
                          "cannot tell the category of “{value}” from its name; add a row 项目类别 (category) with the "
                          "category to its right (e.g. 反诈 anti-fraud, 治安防控 public security, 禁毒 drug control)"),
    "selfeval_grade": ("第 {row} 行 {letter} 列「自评等级」为「{value}」，应为 优、良、中 或 差",
                       "row {row}, column {letter} (grade) is “{value}”; it must be 优, 良, 中 or 差 (excellent, good, "
                       "fair, poor)"),
    "selfeval_twice": ("自评表「{value}」在本工作簿中出现了两次（另见 {other}）",
                       "the self-evaluation “{value}” appears twice in this workbook (see also {other})"),
}


def problem(file: str, row: int | None, col: int | None, value, code: str, label: str = "",
            table: str | None = None, **details) -> Problem:
    """A Problem at a cell of the form: ``file`` is ``<file>:<sheet>``, ``col`` the 1-based column."""
    zh, en = MESSAGES[code]
    letter = column_letter(col) if col else ""
    details = dict(details, row=row, letter=letter, label=label, label_en=label_en(label),
                   value="" if value is None else value)
    column = (f"{letter}（{label}）" if label else letter) or None
    return Problem(file, row, column, None if value is None else str(value), code, zh.format(**details),
                   en.format(**details), table)


# ------------------------------------------------------------------------------------------ the values
@dataclass(frozen=True)
class Value:
    value: object
    row: int
    col: int
    text: str = ""


@dataclass
class BudgetRow:
    row: int
    label: str
    fund_source: str | None
    initial: Value | None = None
    adjusted: Value | None = None
    spent: Value | None = None
    rate: Value | None = None
    weight: Value | None = None
    score: Value | None = None
    where: str = ""
    yuan: bool = False  # the form wrote its amounts in 元 (项目资金（元）); the values here are 万元


@dataclass
class Node:
    code: str
    parent: str | None
    level: int
    name: str
    row: int
    order: int
    weight: Value | None = None
    score: Value | None = None
    where: str = ""


@dataclass
class Target:
    name: str
    category: str
    code: str
    row: int
    target: Measure | None
    actual: Measure | None
    target_col: int
    actual_col: int
    where: str = ""


@dataclass
class Figure:
    figure: str
    kind: str
    label: str
    value: float
    unit: str
    row: int
    col: int
    quote: str
    note: str = ""


@dataclass
class Finding:
    kind: str
    title: str
    text: str
    code: str | None
    row: int
    where: str


@dataclass
class Block:
    sheet: str
    anchor: tuple[int, int]
    name: str = ""
    name_cell: tuple[int, int] | None = None
    supervising: str = ""
    implementing: str = ""
    year: int | None = None
    region: object = None
    category: str = ""
    grade: str = ""
    elided: bool = False  # the indicator table has a 「……」 row: only part of it is published
    total_score: Value | None = None
    total_weight: Value | None = None
    goal: Value | None = None
    goal_result: Value | None = None
    budget_rows: list[BudgetRow] = field(default_factory=list)
    indicators: list[Node] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Span:
    """Where a block is: rows first..last, columns from ``col`` on; ``labels``: key → cells, in order."""

    first: int
    last: int
    col: int
    labels: dict


# ------------------------------------------------------------------------------------------ finding blocks
_INLINE = re.compile(r"^\s*(项目名称|主管部门|实施单位|行政区划代码|项目类别|自评等级)\s*[:：]\s*(\S.*?)\s*$", re.S)


def inline_value(text: str) -> tuple[str, str] | None:
    """A label and its value in one cell (「项目名称：XX项目」, as some forms write them): (key, value); None else."""
    m = _INLINE.match(text or "")
    return None if m is None else (key_of(m.group(1)), m.group(2))


def labelled_value(grid: Grid, at: tuple[int, int] | None) -> tuple[str, tuple[int, int]] | None:
    """The value of the label at ``at``: written in its own cell after a colon, else the first cell right of it
    that is no label (`right_of`); (text, cell) or None."""
    if at is None:
        return None
    inline = inline_value(grid.text(*at))
    if inline is not None:
        return inline[1], at
    cell = right_of(grid, *at)
    return None if cell is None else (grid.text(*cell), cell)


def find_blocks(grid: Grid) -> list[Span]:
    """The blocks of the form in a sheet, top to bottom."""
    cached = getattr(grid, "_blocks", None)
    if cached is not None:
        return cached
    cells: dict[str, list[tuple[int, int]]] = {}
    for (r, c) in sorted(grid.values):
        if grid.is_first(r, c):
            k = key_of(grid.label(r, c))
            if k is None and isinstance(grid.value(r, c), str):
                k = (inline_value(grid.text(r, c)) or (None,))[0]
            if k is not None:
                cells.setdefault(k, []).append((r, c))
    anchors = cells.get("name", [])
    out = []
    for i, (r, c) in enumerate(anchors):
        last = anchors[i + 1][0] - 1 if i + 1 < len(anchors) else grid.max_row
        if last < r:  # two on one row: not the form's layout
            continue
        labels = {k: [(rr, cc) for rr, cc in v if r <= rr <= last and cc >= c] for k, v in cells.items()}
        labels = {k: v for k, v in labels.items() if v}
        found = {k for k in labels if k in FORM_KEYS}
        if len(found) >= MIN_LABELS and ("spent" in found or "l3" in found):
            out.append(Span(r, last, c, labels))
    grid._blocks = out  # type: ignore[attr-defined]
    return out


def right_of(grid: Grid, r: int, c: int) -> tuple[int, int] | None:
    """The first cell right of the label at (r, c) holding a value that is not a label of the form."""
    j = grid.span_end(r, c) + 1
    while j <= grid.max_col:
        if (r, j) in grid.values:
            if key_of(grid.label(r, j)) is not None:
                return None
            return grid.anchor(r, j)
        j = grid.span_end(r, j) + 1
    return None


def on_row(span: Span, key: str, row: int) -> int | None:
    """The column of label ``key`` on ``row``, or None."""
    return next((c for r, c in span.labels.get(key, []) if r == row), None)


def first_label(span: Span, key: str, after: int = 0) -> tuple[int, int] | None:
    return next(((r, c) for r, c in span.labels.get(key, []) if r > after), None)


# ------------------------------------------------------------------------------------------ reading a block


def parse_value(grid: Grid, r: int, c: int | None, how: str, label: str, file: str, problems: list[Problem]
           ) -> Value | None:
    """The value of cell (r, c) as an amount, rate or score; None when blank; a problem when it is not one."""
    if c is None or (r, c) not in grid.values:
        return None
    raw = grid.value(r, c)
    try:
        if how == "amount":
            v = amount(raw)
        elif how == "rate":
            v = rate(raw, grid.is_percent(r, c))
        else:
            v = score(raw)
    except BadValue:
        problems.append(problem(file, r, c, shown(raw), f"selfeval_{how}", label))
        return None
    return None if v is None else Value(v, r, c, shown(raw))
