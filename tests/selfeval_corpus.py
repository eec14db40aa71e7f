"""The corpus of 项目支出绩效自评表 workbooks (tests/data/selfeval/): each built from a plain-text (TOML)
transcription of a public document, laid out as finance bureaus publish the form of 财预〔2020〕10号 (title,
year, 项目名称 / 主管部门 / 实施单位, 项目资金 with 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 and its
其中 rows, 年度总体目标 预期目标 / 实际完成情况, the indicator table 一级 / 二级 / 三级指标 / 年度指标值 / 实际完成值 /
分值 / 得分 / 偏差原因分析及改进措施, 总分).

    tests/data/selfeval/sources/*.toml   transcriptions of real public documents (SOURCES.md says which)
    tests/data/selfeval/authored/*.toml  forms we wrote ourselves in their style (labelled, kept apart)

``python -m tests.selfeval_corpus`` writes the workbooks next to their transcriptions' folders (real ones in
tests/data/selfeval/, authored ones in tests/data/selfeval/authored/). Each form says its style:

- ``plain``: the published web page's table copied into a sheet: no merged cell, every value text;
- ``standard``: the national form's merged cells, amounts and points typed as numbers, a rate a %-formatted
  number (``100%`` → 1 shown as 100%);
- ``wps``: as WPS users fill it: a 填报单位 line above the table, merged labels, amounts as numbers with a
  thousands format, rates as text (``93.86%``).

`figures` lists every number the form's cells hold (where, what, as written): what the visibility measure
(bench/selfeval_visibility.py) looks for in the app after an import.
"""
from __future__ import annotations

import dataclasses
import io
import pathlib
import re
import sys
import tomllib

HERE = pathlib.Path(__file__).resolve().parent / "data" / "selfeval"
SOURCES = HERE / "sources"
AUTHORED = HERE / "authored"

NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
HAS_DIGIT = re.compile(r"\d")
POINTS_IN_LABEL = re.compile(r"[（(](\d+(?:\.\d+)?)分[)）]")


@dataclasses.dataclass(frozen=True)
class Document:
    """One transcription: its source (kind: form / report / authored) and its forms."""

    path: pathlib.Path
    source: dict
    forms: list[dict]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def real(self) -> bool:
        return self.source["kind"] != "authored"


@dataclasses.dataclass(frozen=True)
class Figure:
    """A number the form holds: the workbook, sheet and cell, what it is, the cell's text as written."""

    document: str
    workbook: str
    sheet: str
    cell: str
    kind: str    # budget_initial, budget_full, spent, fund_points, rate, fund_score, target, actual,
                 # points, score, weight, total_points, total_score
    row_label: str  # the fund row's label or the indicator's 三级指标
    text: str


def documents(real: bool | None = None) -> list[Document]:
    """The transcriptions (``real``: only the real ones, only the authored ones, or all)."""
    out = []
    for folder in (SOURCES, AUTHORED):
        for path in sorted(folder.glob("*.toml")):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            doc = Document(path, data["source"], data["form"])
            if real is None or doc.real == real:
                out.append(doc)
    return out


def workbook_path(doc: Document, form: dict) -> pathlib.Path:
    return (HERE if doc.real else AUTHORED) / form["workbook"]


# --------------------------------------------------------------------------------------------- layout
def _letter(j: int) -> str:
    s = ""
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


class _Sheet:
    """Writes one form on a sheet in the given style and records the figures it writes."""

    def __init__(self, ws, style: str, doc: Document, form: dict):
        self.ws, self.style, self.doc, self.form = ws, style, doc, form
        self.figures: list[Figure] = []

    def put(self, r: int, c: int, text: str, *, typed: bool = False, last_col: int | None = None,
            last_row: int | None = None, kind: str | None = None, label: str = "") -> None:
        """Write ``text`` at (r, c), merged to (last_row, last_col) unless the style is plain; a number
        cell is typed when ``typed`` and the style types numbers."""
        from openpyxl.styles import Alignment

        cell = self.ws.cell(row=r, column=c)
        value: object = text if text != "" else None
        if value is not None and typed and self.style != "plain":
            pct = PERCENT.match(text)
            if NUMBER.match(text):
                value = float(text) if "." in text else int(text)
                if self.style == "wps":
                    cell.number_format = "#,##0.00" if "." in text else "#,##0"
            elif pct and self.style == "standard":
                decimals = len(pct.group(1).partition(".")[2])
                value = round(float(pct.group(1)) / 100, decimals + 2)
                cell.number_format = "0%" if decimals == 0 else "0." + "0" * decimals + "%"
        if value is not None:
            cell.value = value
            if self.style == "plain" or isinstance(value, str):
                cell.number_format = "@"
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        merge_to = (last_row or r, last_col or c)
        if self.style != "plain" and merge_to != (r, c):
            self.ws.merge_cells(start_row=r, start_column=c, end_row=merge_to[0], end_column=merge_to[1])
        if kind and text and HAS_DIGIT.search(text):
            self.figures.append(Figure(self.doc.name, self.form["workbook"], self.form["sheet"],
                                       f"{_letter(c)}{r}", kind, label, text))

    def write(self) -> None:
        f, put = self.form, self.put
        r = 1
        put(r, 1, f["title"], last_col=10)
        r += 1
        put(r, 1, f["year"], last_col=10)
        r += 1
        if self.style == "wps":
            put(r, 1, "填报单位（盖章）：" + f["implementing"], last_col=6)
            put(r, 7, "填报日期：", last_col=10)
            r += 1
        put(r, 1, "项目名称", last_col=2)
        put(r, 3, f["project"], last_col=10)
        r += 1
        put(r, 1, "主管部门", last_col=2)
        put(r, 3, f["supervising"], last_col=6)
        put(r, 7, "实施单位")
        put(r, 8, f["implementing"], last_col=10)
        r += 1
        for label, value in f.get("extra", []):  # rows some forms add (项目类别, 行政区划代码 …)
            put(r, 1, label, last_col=2)
            put(r, 3, value, last_col=10)
            r += 1
        # 项目资金
        funds = f["funds"]
        put(r, 1, f["funds_label"], last_row=r + len(funds))
        put(r, 2, "", last_col=3)
        for j, head in enumerate(f["funds_header"]):
            put(r, 4 + j, head, last_col=10 if j == 5 else None)
        kinds = ("budget_initial", "budget_full", "spent", "fund_points", "rate", "fund_score")
        for row in funds:
            r += 1
            put(r, 2, row[0], last_col=3)
            for j, (text, kind) in enumerate(zip(row[1:], kinds)):
                put(r, 4 + j, text, typed=True, kind=kind, label=row[0], last_col=10 if j == 5 else None)
        r += 1
        # 年度总体目标
        put(r, 1, f["goal_label"], last_row=r + 1)
        put(r, 2, "预期目标", last_col=6)
        put(r, 7, "实际完成情况", last_col=10)
        put(r + 1, 2, f["goal_expected"], last_col=6)
        put(r + 1, 7, f["goal_actual"], last_col=10)
        r += 2
        # 绩效指标
        rows = f["indicators"]
        total = f.get("total")
        put(r, 1, f["indicators_label"], last_row=r + len(rows))
        for j, head in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")):
            put(r, 2 + j, head)
        put(r, 9, "偏差原因分析及改进措施", last_col=10)
        first = r + 1
        for i, row in enumerate(rows):
            rr = first + i
            for col, level in ((2, 0), (3, 1)):
                key = tuple(row[: level + 1])
                if i and tuple(rows[i - 1][: level + 1]) == key:
                    continue  # inside the merged group of the row above
                span = 1
                while i + span < len(rows) and tuple(rows[i + span][: level + 1]) == key:
                    span += 1
                weight = POINTS_IN_LABEL.search(row[level])
                put(rr, col, row[level], last_row=rr + span - 1,
                    kind="weight" if weight else None, label=row[level])
            put(rr, 4, row[2])
            for j, kind in enumerate(("target", "actual", "points", "score")):
                put(rr, 5 + j, row[3 + j], typed=kind in ("points", "score"), kind=kind, label=row[2])
            put(rr, 9, row[7], last_col=10)
        r = first + len(rows)
        if total:
            put(r, 1, total[0], last_col=6)
            put(r, 7, total[1], typed=True, kind="total_points", label=total[0])
            put(r, 8, total[2], typed=True, kind="total_score", label=total[0])
            put(r, 9, "", last_col=10)
        widths = {"A": 10, "B": 12, "C": 14, "D": 22, "E": 14, "F": 14, "G": 10, "H": 10, "I": 16, "J": 16}
        for col, w in widths.items():
            self.ws.column_dimensions[col].width = w


def build_workbook(forms: list[tuple[Document, dict]]) -> tuple[bytes, list[Figure]]:
    """One workbook holding ``forms`` (each on its own sheet, in order): its bytes and its figures."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    figures: list[Figure] = []
    for doc, form in forms:
        sheet = _Sheet(wb.create_sheet(form["sheet"]), form["style"], doc, form)
        sheet.write()
        figures += sheet.figures
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), figures


def workbooks(real: bool | None = None) -> dict[pathlib.Path, list[tuple[Document, dict]]]:
    """Workbook path → the (document, form) pairs it holds, in transcription order."""
    out: dict[pathlib.Path, list[tuple[Document, dict]]] = {}
    for doc in documents(real):
        for form in doc.forms:
            out.setdefault(workbook_path(doc, form), []).append((doc, form))
    return out


def figures(real: bool | None = None) -> dict[pathlib.Path, list[Figure]]:
    """Workbook path → every number its forms hold."""
    return {path: build_workbook(forms)[1] for path, forms in workbooks(real).items()}


def build(real: bool | None = None) -> list[pathlib.Path]:
    """Write the corpus's workbooks; returns their paths."""
    paths = []
    for path, forms in workbooks(real).items():
        data, _ = build_workbook(forms)
        path.write_bytes(data)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in build():
        print(p.relative_to(HERE.parents[2]))
    sys.exit(0)
