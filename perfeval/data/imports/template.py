"""The import template (``python -m perfeval template``, the upload page's download): an .xlsx with a help
sheet in both languages, then one sheet per importable table whose header cells say, in a comment, what
each column holds, its type, unit, whether it is required and its allowed values (`template_workbook`).
"""
from __future__ import annotations

import io

from perfeval.data import schema
from perfeval.data.imports.reading import HELP_SHEETS, IMPORT_TABLES, column_letter


def _comment(c: schema.Column) -> str:
    """A header cell's comment: what the column holds, in both languages, with its rules."""
    lines = [f"{c.zh}", c.en, ""]
    kind = {"VARCHAR": ("文本", "text"), "DOUBLE": ("数字", "number"), "INTEGER": ("整数", "whole number"),
            "DATE": ("日期 YYYY-MM-DD", "date YYYY-MM-DD"), "BOOLEAN": ("true / false", "true / false")}[c.type]
    lines.append(f"类型 type: {kind[0]} / {kind[1]}")
    lines.append("必填 / required" if c.required else "可留空 / may be left empty")
    if c.unit:
        lines.append(f"单位 unit: {c.unit}")
    if c.allowed:
        lines.append("允许的值 allowed: " + ", ".join(c.allowed))
    if c.min is not None and c.max is not None:
        lines.append(f"范围 range: {c.min:g} – {c.max:g}")
    elif c.min is not None:
        lines.append(f"范围 range: ≥ {c.min:g}")
    elif c.max is not None:
        lines.append(f"范围 range: ≤ {c.max:g}")
    if c.type == "DOUBLE" and c.max == 1:
        lines.append("比率填小数：71.72% 写作 0.7172 / a rate as a fraction: 71.72% is 0.7172")
    if c.name == "source":
        lines.append("可留空：导入时填为 import:<批次> / may be left empty: filled with import:<batch>")
    return "\n".join(lines)


HELP_ZH = [
    "绩效评价数据导入模板",
    "",
    "怎么填：",
    "1. 每张表一个工作表，工作表名为表名（如 projects，也可改为中文表名，如 评价项目）。用不到的工作表留空即可。",
    "2. 第 1 行是列名，不要修改（也可写作列的中文名称）；把鼠标移到列名上可看到说明、单位、是否必填和允许的值。",
    "3. 从第 2 行起每行一条事实（如一个项目、一个指标、一个年度的一笔预算）；空行会被跳过。",
    "4. 金额以万元为单位（824.81）；比率填小数（71.72% 写作 0.7172；设置为百分比格式的单元格也可以）；"
    "年份填整数（2022）；日期写作 YYYY-MM-DD（2023-06-30）。",
    "5. 报告没有给出的数字留空（显示为未披露），不要填 0。",
    "6. 数据来源（source）可以留空：导入时填为 import:<批次编号>，并自动登记一条来源文档（标题为文件名）。"
    "如数据取自某份报告，可填 report:<名称>，并在 documents 工作表中登记该报告。",
    "7. 编号（project_id 等）在整个数据湖中唯一；其他表中的 project_id 必须是本工作簿或数据湖中已有的项目。",
    "8. 导入前会检查全部内容；只要有一个问题就不会写入任何数据，并逐条说明工作表、行号、列和值。",
    "9. 成效指标目录（metrics）和评价等级划分（grade_bands）统一维护，不能通过导入修改。",
    "本说明页在导入时被忽略。",
]
HELP_EN = [
    "Performance-evaluation data: import template",
    "",
    "How to fill it in:",
    "1. One sheet per table, named by the table (e.g. projects, or its Chinese name). Leave unused sheets empty.",
    "2. Row 1 holds the column names: keep them (the columns' Chinese labels are accepted too); hover over a "
    "name for its description, unit, whether it is required and its allowed values.",
    "3. From row 2 on, one fact per row (a project, an indicator, one year's budget line); blank rows are skipped.",
    "4. Amounts in 万元 (10,000 CNY, 824.81); rates as fractions (71.72% is 0.7172; a cell formatted as a "
    "percentage is fine); years as whole numbers (2022); dates as YYYY-MM-DD (2023-06-30).",
    "5. Leave a figure the report does not give empty (shown as not reported), never 0.",
    "6. source may be left empty: the import fills in import:<batch id> and registers a document titled with "
    "the file's name. For data taken from a report, write report:<name> and add the report on the documents sheet.",
    "7. Ids (project_id …) are unique across the lake; a project_id in other sheets must be a project of this "
    "workbook or of the lake.",
    "8. Everything is checked first: with a single problem nothing is written, and each problem names the "
    "sheet, row, column and value.",
    "9. The outcome-metric catalogue (metrics) and the grade bands (grade_bands) are maintained centrally "
    "and cannot be imported.",
    "This help sheet is ignored on import.",
]


def template_workbook(lang: str = "zh") -> bytes:
    """An .xlsx to fill in: a help sheet (说明 in Chinese first, or Help in English first), then one
    sheet per table of `IMPORT_TABLES` with its column names in row 1 (frozen), each with a comment
    saying what it holds (Chinese and English), its type, unit, whether it is required and its allowed
    values; text columns are formatted as text (so 001 or 2021-05 stay as typed) and columns with
    allowed values offer them in a drop-down list."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be zh or en, not {lang!r}")
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = HELP_SHEETS[0] if lang == "zh" else HELP_SHEETS[1]
    lines = HELP_ZH + [""] + HELP_EN if lang == "zh" else HELP_EN + [""] + HELP_ZH
    for line in lines:
        help_ws.append([line])
    help_ws.append([])
    help_ws.append(["工作表 sheet", "中文名", "table", "每行是 / one row is", "键 key", "必填列 required"])
    head = help_ws.max_row
    for name in IMPORT_TABLES:
        t = schema.table(name)
        help_ws.append([t.name, t.zh, t.en, t.row, ", ".join(t.key),
                        ", ".join(c.name for c in t.columns if c.required and c.name != "source")])
    for cell in help_ws[1] + help_ws[head]:
        cell.font = Font(bold=True)
    help_ws.column_dimensions["A"].width = 18
    for col, width in zip("BCDEF", (16, 26, 60, 30, 40)):
        help_ws.column_dimensions[col].width = width

    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for name in IMPORT_TABLES:
        t = schema.table(name)
        ws = wb.create_sheet(t.name)
        for j, c in enumerate(t.columns, start=1):
            cell = ws.cell(row=1, column=j, value=c.name)
            text = _comment(c)
            cell.comment = Comment(text, "perfeval", width=320, height=30 + 16 * text.count("\n"))
            cell.font = bold
            cell.alignment = Alignment(horizontal="center")
            if c.required and c.name != "source":
                cell.fill = required_fill
            letter = column_letter(j - 1)
            ws.column_dimensions[letter].width = max(12, len(c.name) + 4)
            if c.type == "VARCHAR":
                ws.column_dimensions[letter].number_format = "@"
            if c.allowed:
                dv = DataValidation(type="list", formula1='"' + ",".join(c.allowed) + '"', allow_blank=True,
                                    showErrorMessage=False)
                dv.add(f"{letter}2:{letter}1048576")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
