"""The cells of a 项目支出绩效自评表 workbook as perfeval.data.imports.selfeval reads them: every sheet as a `Grid`
(values by Excel row and column, a merged range's value in each of its cells), the labels of the form
normalised (`norm`: full-width to half-width, no spaces or line breaks, no colon), and the values the form's
cells hold parsed as written: amounts (``1,232.00``), rates (``98.5%``, a cell formatted as %, ``98.5``),
targets and results (``≥95%``, ``≤10个工作日``, ``100%``, ``是``, ``完成``).

.xlsx / .xlsm are read with openpyxl (merged ranges, number formats, the values Excel or WPS stored for
formulas; a formula with no stored value keeps its text, 「=512人」); .xls / .et with python-calamine (merged
ranges; no number formats).
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field

OPENPYXL_SUFFIXES = (".xlsx", ".xlsm")
CALAMINE_SUFFIXES = (".xls", ".et")
SUFFIXES = OPENPYXL_SUFFIXES + CALAMINE_SUFFIXES


def column_letter(j: int) -> str:
    """Excel's letter of 1-based column ``j`` (1 → A, 27 → AA)."""
    s = ""
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def norm(text) -> str:
    """A label as compared: NFKC (（）→ (), ：→ :), without any white space, colons or a trailing *."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"[\s:*]+", "", s)


def shown(value) -> str:
    """A cell's value as a person sees it (numbers without a trailing .0; dates ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


@dataclass
class Grid:
    """One sheet: ``values[(row, col)]`` (1-based, as Excel numbers them) of the non-empty cells, a merged
    range's value in every cell of the range; ``top[(row, col)]`` the top-left cell of the merged range a
    cell belongs to (absent for a cell that is not merged); ``percent`` the cells formatted as %."""

    sheet: str
    values: dict[tuple[int, int], object] = field(default_factory=dict)
    top: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    percent: set[tuple[int, int]] = field(default_factory=set)
    max_row: int = 0
    max_col: int = 0

    def value(self, r: int, c: int):
        return self.values.get((r, c))

    def text(self, r: int, c: int) -> str:
        return shown(self.values.get((r, c)))

    def label(self, r: int, c: int) -> str:
        return norm(self.text(r, c))

    def anchor(self, r: int, c: int) -> tuple[int, int]:
        return self.top.get((r, c), (r, c))

    def is_first(self, r: int, c: int) -> bool:
        """True for a cell that is not merged or is the top-left cell of its range."""
        return self.anchor(r, c) == (r, c)

    def is_percent(self, r: int, c: int) -> bool:
        return self.anchor(r, c) in self.percent

    def span_end(self, r: int, c: int) -> int:
        """The last column of the merged range of (r, c) on row r (c itself when not merged)."""
        a = self.anchor(r, c)
        while (r, c + 1) in self.top and self.top[(r, c + 1)] == a:
            c += 1
        return c

    @staticmethod
    def address(r: int, c: int) -> str:
        return f"{column_letter(c)}{r}"


def _filled(grid: Grid, ranges) -> Grid:
    """Give each cell of each merged range (r0, c0, r1, c1; 1-based, inclusive) the top-left cell's value."""
    for r0, c0, r1, c1 in ranges:
        v = grid.values.get((r0, c0))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    grid.top[(r, c)] = (r0, c0)
                    if v is not None:
                        grid.values[(r, c)] = v
                    else:
                        grid.values.pop((r, c), None)
        grid.max_row = max(grid.max_row, r1)
        grid.max_col = max(grid.max_col, c1)
    return grid


def read_grids(filename: str, data: bytes) -> list[Grid]:
    """Every sheet of the workbook, in workbook order. Raises on a file that cannot be read."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in CALAMINE_SUFFIXES:
        return _calamine(data)
    return _openpyxl(data)


def _openpyxl(data: bytes) -> list[Grid]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    out = []
    for ws in wb.worksheets:
        g = Grid(ws.title)
        # a formula with no stored result (a workbook written by a program, or 「=512人」 typed as text) keeps
        # its text, so that it is read as written or named in a problem, never dropped in silence
        for row in formulas[ws.title].iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str) and ws.cell(cell.row, cell.column).value is None:
                    g.values[(cell.row, cell.column)] = cell.value
                    g.max_row, g.max_col = max(g.max_row, cell.row), max(g.max_col, cell.column)
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                g.values[(cell.row, cell.column)] = v
                if "%" in (cell.number_format or ""):
                    g.percent.add((cell.row, cell.column))
                g.max_row, g.max_col = max(g.max_row, cell.row), max(g.max_col, cell.column)
        ranges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        out.append(_filled(g, ranges))
    return out


def _calamine(data: bytes) -> list[Grid]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [calamine_grid(wb.get_sheet_by_name(name), name) for name in wb.sheet_names]


def calamine_grid(sheet, name: str) -> Grid:
    """A python-calamine sheet as a `Grid` (merged ranges filled; no number formats)."""
    g = Grid(name)
    for i, row in enumerate(sheet.to_python(skip_empty_area=False), start=1):
        for j, v in enumerate(row, start=1):
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            g.values[(i, j)] = v
            g.max_row, g.max_col = max(g.max_row, i), max(g.max_col, j)
    ranges = [(a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in (sheet.merged_cell_ranges or [])]
    return _filled(g, ranges)


# ------------------------------------------------------------------------------------------ values
# cells that say "nothing here" on a published form
BLANKS = {"", "-", "--", "—", "——", "/", "\\", "无", "－", "_", "…", "不适用", "n/a", "na"}
_NUM = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+"
_AMOUNT = re.compile(rf"^({_NUM})(万元|万)?$")


class BadValue(ValueError):
    """A cell that should hold a number and does not."""


def is_blank(value) -> bool:
    return norm(shown(value)).lower() in BLANKS


def amount(value) -> float | None:
    """An amount in 万元 as the form writes it: a number, ``1,232.00``, ``1232万元``; None when blank
    (empty, —, /, 无). Raises BadValue otherwise."""
    if isinstance(value, bool):
        raise BadValue(shown(value))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value)
    if is_blank(value):
        return None
    m = _AMOUNT.match(norm(shown(value)))
    if not m:
        raise BadValue(shown(value))
    return float(m.group(1).replace(",", ""))


def rate(value, percent_format: bool = False) -> float | None:
    """A rate as a fraction: ``98.5%`` → 0.985; a number in a cell formatted as % is a fraction already;
    any other number is a fraction up to 1.5 (``1`` = 100 %) and a percentage above (``98.5`` → 0.985).
    None when blank; raises BadValue otherwise."""
    if isinstance(value, bool):
        raise BadValue(shown(value))
    if isinstance(value, (int, float)):
        v = float(value)
        return v if percent_format or abs(v) <= 1.5 else round(v / 100, 10)
    if is_blank(value):
        return None
    s = norm(shown(value))
    m = re.fullmatch(rf"({_NUM})%", s)
    if m:
        return round(float(m.group(1).replace(",", "")) / 100, 10)
    m = re.fullmatch(rf"({_NUM})", s)
    if m:
        v = float(m.group(1).replace(",", ""))
        return v if abs(v) <= 1.5 else round(v / 100, 10)
    raise BadValue(shown(value))


def score(value) -> float | None:
    """A 分值 or 得分: a number (``9.5``, ``9.5分``); None when blank; raises BadValue otherwise."""
    if isinstance(value, bool):
        raise BadValue(shown(value))
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    if is_blank(value):
        return None
    m = re.fullmatch(rf"({_NUM})分?", norm(shown(value)))
    if not m:
        raise BadValue(shown(value))
    return float(m.group(1).replace(",", ""))


_OPS = (("大于等于", ">="), ("小于等于", "<="), ("不低于", ">="), ("不少于", ">="), ("不小于", ">="),
        ("至少", ">="), ("不高于", "<="), ("不超过", "<="), ("不多于", "<="), ("不大于", "<="),
        ("最多", "<="), ("≥", ">="), (">=", ">="), ("≤", "<="), ("<=", "<="), ("≧", ">="), ("≦", "<="),
        ("大于", ">"), ("高于", ">"), ("超过", ">"), ("小于", "<"), ("低于", "<"), (">", ">"), ("<", "<"),
        ("=", "="), ("达到", ">="))
YES = ("是", "完成", "已完成", "全部完成", "按时完成", "达到", "已达到", "达标", "已达标", "合格", "满足", "符合", "有")
NO = ("否", "未完成", "未达到", "未达标", "不合格", "不满足", "不符合")
_MEASURE = re.compile(rf"^({_NUM})(%|‰)?(.*)$")


@dataclass(frozen=True)
class Measure:
    """What a 年度指标值 or 实际完成值 cell says: operator (None where the form writes none), value (a
    fraction for %, 1/0 for yes/no words), unit and the text as written."""

    text: str
    operator: str | None = None
    value: float | None = None
    unit: str = ""


def measure(raw) -> Measure:
    """``≥95%`` → (>=, 0.95, %); ``≤10个工作日`` → (<=, 10, 个工作日); ``100%`` → (=, 1.0, %); ``是`` /
    ``完成`` → (=, 1); ``否`` / ``未完成`` → (=, 0); a number → (None, n); anything else keeps its text
    only. A number typed in a cell formatted as % is a fraction already (see `rate`)."""
    text = shown(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return Measure(text, None, float(raw))
    s = norm(text).replace("％", "%")
    if s in YES:
        return Measure(text, "=", 1.0)
    if s in NO:
        return Measure(text, "=", 0.0)
    op = None
    for word, symbol in _OPS:
        if s.startswith(word):
            op, s = symbol, s[len(word):]
            break
    m = _MEASURE.match(s)
    if not m:
        return Measure(text)
    value = float(m.group(1).replace(",", ""))
    unit = (m.group(3) or "").strip()
    if len(unit) > 12 or re.search(r"\d", unit):
        return Measure(text)  # a sentence that starts with a number: kept as text only
    if m.group(2) and unit:
        return Measure(text)  # 30%投入: a percentage of something else, kept as text
    if m.group(2) == "%":
        value, unit = round(value / 100, 10), "%"
        if op is None and abs(value - 1.0) < 1e-9:
            op = "="
    elif m.group(2) == "‰":
        value, unit = round(value / 1000, 10), "%"
    return Measure(text, op, value, unit)
