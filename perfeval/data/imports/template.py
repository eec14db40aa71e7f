"""The import template (``python -m perfeval template``, the upload page's download): an .xlsx that helps the
person filling it (`template_workbook`):

- a help sheet in both languages (说明, or Help first in English);
- one sheet per importable table, named in Chinese first and by the table second (``评价项目 projects``; in
  English first ``projects 评价项目``), its header cells likewise (``项目编号 project_id``), each with a comment
  saying what the column holds, its type, unit, whether it is required and its allowed values. The reader
  (perfeval.data.imports.reading) takes these names, the bare table and column names of older templates and
  the Chinese names alone;
- drop-down lists (Excel data validation, never refusing what is typed: the checks on import say what is
  wrong) for comparison operators (≥ ≤ …), yes / no (是 / 否), qualifiers (约 / 近 / 余 / 大于), the columns with
  allowed values (evaluator types, grades, kinds, source types, metric categories, directions …), project
  categories, region codes and metric keys. Long lists live on a hidden sheet 列表: the GB/T 2260 codes with
  their names (perfeval.data.gbt2260; ``440304 广东省深圳市福田区``, read back as ``440304`` with the names filled
  in) and the catalogue's metric keys;
- a 指标目录 sheet listing the outcome-metric catalogue (key, names, unit, category, direction), so that a
  metric key is found without SQL; a metric that is not there goes on the 新增成效指标 metrics sheet.

Both reference sheets (指标目录, 列表) are ignored on import (reading.REFERENCE_SHEETS).
"""
from __future__ import annotations

import io

import pandas as pd

from perfeval import config
from perfeval.data import gbt2260, schema
from perfeval.data.imports.reading import HELP_SHEETS, IMPORT_TABLES, REFERENCE_SHEETS, column_letter

CATALOGUE_SHEET = ("指标目录", "Metric catalogue")
LISTS_SHEET = ("列表", "Lists")
assert CATALOGUE_SHEET[0] in REFERENCE_SHEETS and LISTS_SHEET[0] in REFERENCE_SHEETS
# suggestions for projects.category (free text: other categories are accepted)
PROJECT_CATEGORIES = ("反诈", "治安防控", "雪亮工程", "禁毒", "辅警经费", "信息化建设", "执法办案", "其他")
OPERATOR_CHOICES = ("≥", "≤", "=", ">", "<", ">=", "<=")
BOOLEAN_CHOICES = ("是", "否")
QUALIFIER_CHOICES = ("约", "近", "余", "大于") + schema.QUALIFIERS
DIRECTION_CHOICES = ("higher", "lower", "越高越好", "越低越好")
SHEET_NAMES = {"metrics": ("新增成效指标", "new metrics")}


def sheet_name(table: str, lang: str = "zh") -> str:
    """The template's sheet of ``table``: ``评价项目 projects`` (``projects 评价项目`` in English first)."""
    t = schema.table(table)
    zh = SHEET_NAMES.get(table, (t.zh,))[0]
    return f"{zh} {t.name}" if lang == "zh" else f"{t.name} {zh}"


def header(c: schema.Column, lang: str = "zh") -> str:
    """A header cell: ``项目编号 project_id`` (``project_id 项目编号`` in English first)."""
    zh = c.zh.split("（")[0].strip() or c.zh
    return f"{zh} {c.name}" if lang == "zh" else f"{c.name} {zh}"


def _comment(c: schema.Column) -> str:
    """A header cell's comment: what the column holds, in both languages, with its rules."""
    lines = [f"{c.zh}", c.en, ""]
    kind = {"VARCHAR": ("文本", "text"), "DOUBLE": ("数字", "number"), "INTEGER": ("整数", "whole number"),
            "DATE": ("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
            "BOOLEAN": ("是 / 否（true / false）", "yes / no (是 / 否, true / false)")}[c.type]
    lines.append(f"类型 type: {kind[0]} / {kind[1]}")
    lines.append("必填 / required" if c.required else "可留空 / may be left empty")
    if c.unit:
        lines.append(f"单位 unit: {c.unit}")
    if c.allowed:
        lines.append("允许的值 allowed: " + ", ".join(c.allowed))
    if c.allowed == schema.OPERATORS:
        lines.append("也可写 ≥ ≤ ＞ ＜ 不低于 不高于 / ≥ ≤ and 不低于 (at least) 不高于 (at most) are accepted")
    if c.allowed == schema.QUALIFIERS:
        lines.append("也可写 约 近 余 大于 / 约 近 余 大于 are accepted")
    if c.name == "source_type":
        lines.append("也可写中文：" + "、".join(zh for zh, _ in schema.SOURCE_TYPES.values()))
    if c.name == "region_code":
        lines.append("可从下拉列表选择（GB/T 2260）；省、市、区（县）留空时按代码自动填写 / pick from the list "
                     "(GB/T 2260); empty province, city and district names are filled from the code")
    if c.name == "metric_key":
        lines.append("见「指标目录」工作表；目录中没有的指标，在「新增成效指标」工作表登记 / see the 指标目录 "
                     "sheet; a metric not listed there goes on the new-metrics sheet")
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
    "1. 每张表一个工作表，工作表名为「中文表名 表名」（如 评价项目 projects；只写 projects 或 评价项目 也可以）。"
    "用不到的工作表留空即可。",
    "2. 第 1 行是列名（如 项目编号 project_id），不要修改；把鼠标移到列名上可看到说明、单位、是否必填和允许的值。"
    "带下拉箭头的单元格可从列表中选择（比较符号、是/否、数值限定、类别、行政区划代码、指标键等）。",
    "3. 从第 2 行起每行一条事实（如一个项目、一个指标、一个年度的一笔预算）；空行会被跳过。",
    "4. 金额以万元为单位（824.81）；比率填小数（71.72% 写作 0.7172；设置为百分比格式的单元格也可以）；"
    "年份填整数（2022）；日期写作 YYYY-MM-DD（2023-06-30）。",
    "5. 报告没有给出的数字留空（显示为未披露），不要填 0。",
    "6. 数据来源（source）可以留空：导入时填为 import:<批次编号>，并自动登记一条来源文档（标题为文件名）。"
    "如数据取自某份报告，可填 report:<名称>，并在「来源文档 documents」工作表中登记该报告及其来源类型"
    "（第三方评价报告、自评、部门/财政评价、审计、新闻发布、统计发布）：新闻发布和统计发布的数字只作展示，不计入评价得分。",
    "7. 编号（project_id 等）在整个数据湖中唯一；其他表中的 project_id 必须是本工作簿或数据湖中已有的项目。",
    "8. 比较符号可写 ≥ ≤ ＞ ＜（或 >= <=、不低于、不高于），是否可写 是 / 否，数值限定可写 约 / 近 / 余 / 大于：导入时统一转换。"
    "行政区划代码从下拉列表选择或直接填 6 位代码，省、市、区（县）留空时按代码自动填写。",
    "9. 导入前会检查全部内容；只要有一个问题就不会写入任何数据，并逐条说明工作表、行号、列和值。"
    "看起来可能有误但也可能正确的内容（如万元列中像是按元填写的金额、单位为 % 却大于 1 的比率）列为「提示」，不阻止导入。",
    "10. 成效指标键见「指标目录」工作表。目录中没有的指标，在「新增成效指标 metrics」工作表中登记（中英文名称、单位、"
    "类别、方向：higher 越高越好 / lower 越低越好），导入时列出供核对。评价等级划分（grade_bands）统一维护，不能导入。",
    "本说明页、「指标目录」和隐藏的「列表」工作表在导入时被忽略。",
]
HELP_EN = [
    "Performance-evaluation data: import template",
    "",
    "How to fill it in:",
    "1. One sheet per table, named by the table (e.g. projects 评价项目; projects or 评价项目 alone are fine too). "
    "Leave unused sheets empty.",
    "2. Row 1 holds the column names (e.g. project_id 项目编号): keep them; hover over a name for its "
    "description, unit, whether it is required and its allowed values. Cells with a drop-down arrow offer "
    "their values (operators, yes/no, qualifiers, categories, region codes, metric keys …).",
    "3. From row 2 on, one fact per row (a project, an indicator, one year's budget line); blank rows are skipped.",
    "4. Amounts in 万元 (10,000 CNY, 824.81); rates as fractions (71.72% is 0.7172; a cell formatted as a "
    "percentage is fine); years as whole numbers (2022); dates as YYYY-MM-DD (2023-06-30).",
    "5. Leave a figure the report does not give empty (shown as not reported), never 0.",
    "6. source may be left empty: the import fills in import:<batch id> and registers a document titled with "
    "the file's name. For data taken from a report, write report:<name> and add the report and its source type "
    "(evaluation report, self-evaluation, department/finance evaluation, audit, press release, statistics "
    "release) on the documents sheet: figures of press and statistics releases are shown, never scored.",
    "7. Ids (project_id …) are unique across the lake; a project_id in other sheets must be a project of this "
    "workbook or of the lake.",
    "8. Operators may be written ≥ ≤ ＞ ＜ (or >= <=, 不低于, 不高于), yes/no as 是 / 否, qualifiers as 约 / 近 / 余 / "
    "大于: they are converted on import. Pick a region code from the list or type its six digits; empty "
    "province, city and district names are filled from it.",
    "9. Everything is checked first: with a single problem nothing is written, and each problem names the "
    "sheet, row, column and value. What looks wrong but may be right (an amount that looks like yuan in a "
    "10k CNY column, a rate above 1 with unit %) is listed as a warning and does not block the import.",
    "10. Metric keys are on the 指标目录 (metric catalogue) sheet. A metric not there goes on the metrics sheet "
    "(names in Chinese and English, unit, category, direction higher/lower); the import lists it for review. "
    "The grade bands (grade_bands) are maintained centrally and cannot be imported.",
    "This help sheet, the 指标目录 sheet and the hidden 列表 (lists) sheet are ignored on import.",
]


def catalogue() -> pd.DataFrame:
    """The bundled outcome-metric catalogue (data/catalog/metrics.csv), in key order."""
    df = pd.read_csv(config.BUNDLED_DATA / "catalog" / "metrics.csv", dtype=str, keep_default_na=False)
    return df.sort_values(["category", "metric_key"], kind="stable").reset_index(drop=True)


def _choices(t: schema.Table, c: schema.Column) -> tuple[str, ...] | None:
    """The short drop-down list of a column (written in the validation itself), or None."""
    if c.allowed == schema.OPERATORS:
        return OPERATOR_CHOICES
    if c.type == "BOOLEAN":
        return BOOLEAN_CHOICES
    if c.allowed == schema.QUALIFIERS:
        return QUALIFIER_CHOICES
    if c.name == "source_type":
        return tuple(zh for zh, _ in schema.SOURCE_TYPES.values())
    if t.name == "metrics" and c.name == "direction":
        return DIRECTION_CHOICES
    if t.name == "projects" and c.name == "category":
        return PROJECT_CATEGORIES
    return c.allowed or None


def template_workbook(lang: str = "zh", metrics: pd.DataFrame | None = None) -> bytes:
    """An .xlsx to fill in (see the module docstring). ``lang``: zh (Chinese first) or en (English first).
    ``metrics``: the outcome-metric catalogue to list (default: the bundled one, `catalogue`)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be zh or en, not {lang!r}")
    metrics = catalogue() if metrics is None else metrics
    bold = Font(bold=True)
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
        help_ws.append([sheet_name(name, lang), t.zh, t.en, t.row, ", ".join(t.key),
                        ", ".join(c.name for c in t.columns if c.required and c.name != "source")])
    for cell in help_ws[1] + help_ws[head]:
        cell.font = bold
    help_ws.column_dimensions["A"].width = 24
    for col, width in zip("BCDEF", (16, 26, 60, 30, 40)):
        help_ws.column_dimensions[col].width = width

    # the long lists, on a hidden sheet
    regions = [f"{r.code} {r.label}" for r in gbt2260.regions().values()]
    keys = metrics["metric_key"].tolist()
    lists = {"region_code": ("行政区划代码 GB/T 2260 region code", regions),
             "metric_key": ("指标键 metric key", keys)}
    list_ref: dict[str, str] = {}

    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for name in IMPORT_TABLES:
        t = schema.table(name)
        ws = wb.create_sheet(sheet_name(name, lang))
        for j, c in enumerate(t.columns, start=1):
            text = header(c, lang)
            cell = ws.cell(row=1, column=j, value=text)
            note = _comment(c)
            cell.comment = Comment(note, "perfeval", width=340, height=30 + 16 * note.count("\n"))
            cell.font = bold
            cell.alignment = Alignment(horizontal="center")
            if c.required and c.name != "source":
                cell.fill = required_fill
            letter = column_letter(j - 1)
            ws.column_dimensions[letter].width = max(12, len(text) + 6)
            if c.type == "VARCHAR":
                ws.column_dimensions[letter].number_format = "@"
            formula = None
            if c.name in lists and t.name != "metrics":
                formula = c.name  # resolved below, once the list sheet exists
            else:
                choices = _choices(t, c)
                if choices:
                    formula = '"' + ",".join(choices) + '"'
            if formula:
                dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
                dv.add(f"{letter}2:{letter}1048576")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"

    # the catalogue, to read
    cat = wb.create_sheet(CATALOGUE_SHEET[0] if lang == "zh" else CATALOGUE_SHEET[1])
    columns = ("metric_key", "name_zh", "name_en", "unit", "category", "direction", "note")
    labels = [header(schema.table("metrics").column(c), lang) if c in schema.table("metrics").column_names else c
              for c in columns]
    cat.append(labels)
    for r in metrics.itertuples(index=False):
        cat.append([getattr(r, c, "") for c in columns])
    for cell in cat[1]:
        cell.font = bold
    for letter, width in zip("ABCDEFG", (34, 26, 44, 10, 12, 12, 40)):
        cat.column_dimensions[letter].width = width
    cat.freeze_panes = "A2"

    hidden = wb.create_sheet(LISTS_SHEET[0] if lang == "zh" else LISTS_SHEET[1])
    for j, (key, (title, values)) in enumerate(lists.items(), start=1):
        letter = column_letter(j - 1)
        hidden.cell(row=1, column=j, value=title)
        for i, v in enumerate(values, start=2):
            hidden.cell(row=i, column=j, value=v)
        list_ref[key] = f"'{hidden.title}'!${letter}$2:${letter}${len(values) + 1}"
    hidden.sheet_state = "hidden"
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            if dv.formula1 in list_ref:
                dv.formula1 = list_ref[dv.formula1]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
