"""Reading one block of a 项目支出绩效自评表 from a sheet's cells (perfeval.data.imports.selfeval_cells.Grid).

`find_blocks`: where the form's blocks are. A block starts at a 项目名称 cell and runs to the next one (or the
sheet's end); it is the form when enough of its labels are there (`LABELS`, at least `MIN_LABELS`, with
项目名称 and either 全年执行数 or 三级指标), compared without spaces, line breaks, colons or the
difference of full- and half-width brackets, wherever they stand and in whatever column order.
`read_block`: the block's values (`Block`), each with its Excel row and column, and the problems found
(`problem`: file and sheet, row, column, value; Chinese and English).
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
    is_blank,
    measure,
    norm,
    rate,
    score,
    shown,
)
from perfeval.data.validation.problems import Problem

try:  # the bundled GB/T 2260 list (perfeval/data/gbt2260.py)
    from perfeval.data import gbt2260
except ImportError:  # pragma: no cover - an older tree without it: regions only where a code is stated
    gbt2260 = None

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
}
_PREFIX = {"deviation": "偏差原因", "funds": "项目资金", "goal": "年度总体目标"}
FORM_KEYS = tuple(k for k in LABELS if k not in ("region_code", "category"))
MIN_LABELS = 10
_EN = {"项目名称": "project name", "主管部门": "supervising department", "实施单位": "implementing unit",
       "年初预算数": "initial budget", "全年预算数": "full-year budget", "全年执行数": "full-year spending",
       "分值": "weight", "执行率": "execution rate", "得分": "score", "年度指标值": "target for the year",
       "实际完成值": "actual value", "总分": "total score", "行政区划代码": "region code",
       "项目类别": "category", "年度总体目标": "overall goal"}


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
def find_blocks(grid: Grid) -> list[Span]:
    """The blocks of the form in a sheet, top to bottom."""
    cached = getattr(grid, "_blocks", None)
    if cached is not None:
        return cached
    cells: dict[str, list[tuple[int, int]]] = {}
    for (r, c) in sorted(grid.values):
        if grid.is_first(r, c):
            k = key_of(grid.label(r, c))
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


def _right_of(grid: Grid, r: int, c: int) -> tuple[int, int] | None:
    """The first cell right of the label at (r, c) holding a value that is not a label of the form."""
    j = grid.span_end(r, c) + 1
    while j <= grid.max_col:
        if (r, j) in grid.values:
            if key_of(grid.label(r, j)) is not None:
                return None
            return grid.anchor(r, j)
        j = grid.span_end(r, j) + 1
    return None


def _on_row(span: Span, key: str, row: int) -> int | None:
    """The column of label ``key`` on ``row``, or None."""
    return next((c for r, c in span.labels.get(key, []) if r == row), None)


def _first(span: Span, key: str, after: int = 0) -> tuple[int, int] | None:
    return next(((r, c) for r, c in span.labels.get(key, []) if r > after), None)


# ------------------------------------------------------------------------------------------ reading a block
_YEAR_TITLE = re.compile(r"(20\d{2})\s*年度")
_YEAR = re.compile(r"(20\d{2})\s*年")


def read_block(grid: Grid, span: Span, file: str, filename: str) -> tuple[Block | None, list[Problem]]:
    """The block's values and the problems found; None (and a problem) when it names no project."""
    problems: list[Problem] = []
    r0, c0 = span.first, span.col
    b = Block(grid.sheet, (r0, c0))
    cell = _right_of(grid, r0, c0)
    if cell is None:
        return None, [problem(file, r0, c0, "", "selfeval_name", "项目名称")]
    b.name, b.name_cell = grid.text(*cell), cell
    for key in ("supervising", "implementing"):
        at = _first(span, key)
        v = _right_of(grid, *at) if at else None
        setattr(b, key, grid.text(*v) if v else "")
    b.year = _year(grid, span, b.name, filename)
    if b.year is None:
        problems.append(problem(file, r0, c0, b.name, "selfeval_year", "项目名称"))
    _region(grid, span, b, file, problems)
    _category(grid, span, b, file, problems)
    _budget(grid, span, b, file, problems)
    _goals(grid, span, b)
    _indicators(grid, span, b, file, problems)
    return b, problems


def _year(grid: Grid, span: Span, name: str, filename: str) -> int | None:
    title = [grid.text(r, c) for r in range(max(1, span.first - 5), span.first)
             for c in range(1, grid.max_col + 1) if (r, c) in grid.values and grid.is_first(r, c)]
    for texts, pattern in ((title, _YEAR_TITLE), (title, _YEAR), ([grid.sheet, name, filename], _YEAR)):
        for t in texts:
            m = pattern.search(t)
            if m:
                return int(m.group(1))
    return None


def _region(grid: Grid, span: Span, b: Block, file: str, problems: list[Problem]) -> None:
    at = _first(span, "region_code")
    if at is not None:
        v = _right_of(grid, *at)
        text = norm(grid.text(*v)) if v else ""
        region = gbt2260.lookup(text) if gbt2260 is not None and re.fullmatch(r"\d{6}", text) else None
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
    if not text or gbt2260 is None:
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


def _category(grid: Grid, span: Span, b: Block, file: str, problems: list[Problem]) -> None:
    at = _first(span, "category")
    v = _right_of(grid, *at) if at else None
    if v is not None:
        b.category = grid.text(*v)
        return
    b.category = next((cat for cat, words in CATEGORY_WORDS if any(w in b.name for w in words)), "")
    if not b.category:
        problems.append(problem(file, span.first, b.name_cell[1] if b.name_cell else span.col, b.name,
                                "selfeval_category", "项目名称"))


def _parse(grid: Grid, r: int, c: int | None, how: str, label: str, file: str, problems: list[Problem]
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


def _budget(grid: Grid, span: Span, b: Block, file: str, problems: list[Problem]) -> None:
    at = _first(span, "spent") or _first(span, "adjusted") or _first(span, "initial")
    if at is None:
        return
    h = at[0]
    cols = {k: _on_row(span, k, h) for k in ("initial", "adjusted", "spent", "rate", "weight", "score")}
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
                v = _parse(grid, r, c, how, zh, file, problems)
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
    cell = f"{sheet}!{column_letter(total.initial.col if total.initial else 1)}{total.row}"
    if by_source:
        b.budget_rows = stated
        for m, figure, zh in (("initial", "budget_total", "年初预算数"), ("adjusted", "adjusted_budget_total", "全年预算数"),
                              ("spent", "spent_total", "全年执行数")):
            v = getattr(total, m)
            if v is not None:
                b.figures.append(Figure(figure, "derived", f"{total.label or '年度资金总额'} {zh}", v.value, "万元",
                                        v.row, v.col, f"{zh} {v.text}", cell))
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
                                f"执行率 {v.text}", "执行率 = 全年执行数 ÷ 全年预算数（自评表，无到位资金）"))
    for x in parts:
        if x.rate is not None:
            b.figures.append(Figure("fund_execution_rate", "fact", f"{x.label} 执行率", x.rate.value, "%",
                                    x.rate.row, x.rate.col, f"{x.label} 执行率 {x.rate.text}",
                                    "执行率 = 全年执行数 ÷ 全年预算数"))
    if total.weight is not None or total.score is not None:
        b.indicators.append(Node("0", None, 1, "预算执行率", total.row, 0, total.weight, total.score, total.where))


def _goals(grid: Grid, span: Span, b: Block) -> None:
    stop = min([r for k in ("indicators", "l1") for r, _ in span.labels.get(k, [])
                if r > span.first] + [span.last + 1])
    for key, attr in (("expected", "goal"), ("achieved", "goal_result")):
        at = _first(span, key)
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
        at = _first(span, "goal")
        v = _right_of(grid, *at) if at else None
        if v is not None:
            b.goal = Value(grid.text(*v), v[0], v[1], grid.text(*v))


_NO_DEVIATION = {"无", "无偏差", "不适用", "已完成", "完成", "达到预期", "无差异", "正常", "按计划完成", "未发生偏差"}
_MEASURES = re.compile(r"(?:改进措施|整改措施|下一步|改进建议)[:：]?")
_RECOMMEND = re.compile(r"^(?:建议|加强|进一步|下一步|将|继续|持续|今后|拟)")


def _indicators(grid: Grid, span: Span, b: Block, file: str, problems: list[Problem]) -> None:
    at = _first(span, "l1")
    if at is None:
        return
    h = at[0]
    cols = {k: _on_row(span, k, h) for k in ("l1", "l2", "l3", "target", "actual", "weight", "score", "deviation")}
    total = _first(span, "total", h)
    end = total[0] if total else span.last + 1
    l1s: dict[str, str] = {}
    l2s: dict[tuple[str, str], str] = {}
    order = len(b.indicators)

    def text(r, key):
        c = cols[key]
        return grid.text(r, c).strip() if c is not None and (r, c) in grid.values else ""

    last1 = last2 = ""
    for r in range(h + 1, end):
        n1, n2 = _indicator_name(text(r, "l1")), _indicator_name(text(r, "l2"))
        n3 = _indicator_name(re.sub(r"^指标\s*\d+\s*[:：]\s*", "", text(r, "l3")))
        if any(key_of(norm(x)) in ("l1", "l2", "l3") for x in (n1, n2, n3) if x):
            continue
        # a table copied from a web page loses its merged cells: an empty 一级 / 二级 cell is the one above
        if not n1 and last1:
            n1, n2 = last1, n2 or last2
        last1, last2 = n1 or last1, n2 or last2
        tc, ac = cols["target"], cols["actual"]
        tv = grid.value(r, tc) if tc else None
        av = grid.value(r, ac) if ac else None
        w = _parse(grid, r, cols["weight"], "score", "分值", file, problems) \
            if cols["weight"] and grid.is_first(r, cols["weight"]) else None
        s = _parse(grid, r, cols["score"], "score", "得分", file, problems) \
            if cols["score"] and grid.is_first(r, cols["score"]) else None
        if not (n3 or not is_blank(tv) or not is_blank(av) or w or s):
            continue
        n1 = n1 or "（未写一级指标）"
        n2 = n2 or n1
        n3 = n3 or n2
        where = f"{grid.sheet}!{column_letter(span.col)}{r}"
        if n1 not in l1s:
            order += 1
            l1s[n1] = str(len(l1s) + 1)
            name, points = _points(n1, r, cols["l1"])
            b.indicators.append(Node(l1s[n1], None, 1, name, r, order, points, where=where))
        if (n1, n2) not in l2s:
            order += 1
            l2s[(n1, n2)] = f"{l1s[n1]}.{sum(1 for k in l2s if k[0] == n1) + 1}"
            name, points = _points(n2, r, cols["l2"])
            b.indicators.append(Node(l2s[(n1, n2)], l1s[n1], 2, name, r, order, points, where=where))
        order += 1
        parent = l2s[(n1, n2)]
        code = f"{parent}.{sum(1 for n in b.indicators if n.parent == parent) + 1}"
        b.indicators.append(Node(code, parent, 3, n3, r, order, w, s, where))
        if not is_blank(tv) or not is_blank(av):
            t = measure(tv) if not is_blank(tv) else None
            a = measure(av) if not is_blank(av) else None
            if t is not None and tc is not None and grid.is_percent(r, tc) and t.operator is None and t.value is not None:
                t = Measure(t.text, None, t.value, "%")
            b.targets.append(Target(n3, f"{_points(n1, r, 0)[0]}/{_points(n2, r, 0)[0]}", code, r, t,
                                    _comparable(t, a), tc or 0, ac or 0, where))
        dc = cols["deviation"]
        if dc is not None and (r, dc) in grid.values and grid.is_first(r, dc):
            _deviation(grid.text(r, dc), code, n3, r, f"{grid.sheet}!{column_letter(dc)}{r}", b)
    if total is not None:
        tr = total[0]
        b.total_weight = _parse(grid, tr, cols["weight"], "score", "分值", file, problems)
        b.total_score = _parse(grid, tr, cols["score"], "score", "得分", file, problems)


_POINTS = re.compile(r"^(.*?)\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$")


def _indicator_name(text: str) -> str:
    """An indicator's name as written; '' for a placeholder row (……, 指标1：)."""
    s = text.strip()
    return "" if not re.sub(r"[.…。、\s]", "", s) else s


def _points(name: str, row: int, col: int) -> tuple[str, Value | None]:
    """「产出指标（50分）」 → (产出指标, 50 as the node's 分值); a name without points as it is."""
    m = _POINTS.match(name)
    if not m:
        return name, None
    return m.group(1), Value(float(m.group(2)), row, col, name)


def _comparable(t: Measure | None, a: Measure | None) -> Measure | None:
    """The 实际完成值 with its number kept only where it compares with the 年度指标值: a bare number against a
    % target is a percentage (96 → 0.96); 是 / 完成 only against a yes/no target; another unit than the
    target's keeps the text alone."""
    if a is None or a.value is None or t is None or t.value is None:
        return a
    yes_no = a.operator == "=" and a.unit == "" and a.value in (0.0, 1.0) and not re.search(r"\d", a.text)
    if yes_no:
        return a if t.unit == "" and t.operator == "=" and t.value in (0.0, 1.0) else Measure(a.text)
    if t.unit == "%" and a.unit == "":
        return Measure(a.text, a.operator, round(a.value / 100, 10) if a.value > 1.5 else a.value, "%")
    if a.unit and t.unit and a.unit != t.unit:
        return Measure(a.text)
    return a


def _deviation(text: str, code: str, name: str, row: int, where: str, b: Block) -> None:
    s = text.strip()
    if norm(s) in _NO_DEVIATION or is_blank(s):
        return
    pieces = _MEASURES.split(s, maxsplit=1)
    cause = re.sub(r"^(?:偏差原因(?:分析)?)[:：]?", "", pieces[0]).strip(" ；;。\n")
    remedy = pieces[1].strip(" ；;。\n") if len(pieces) > 1 else ""
    if cause and not remedy and _RECOMMEND.match(cause):
        cause, remedy = "", cause
    for kind, body in (("problem", cause), ("recommendation", remedy)):
        if body and norm(body) not in _NO_DEVIATION:
            title = re.split(r"[，。；;,\n]", body, maxsplit=1)[0][:40]
            b.findings.append(Finding(kind, f"{name}：{title}", body, code, row, where))
