"""What a check found: `Problem` (file, Excel row, column, value, message in Chinese and English), the
catalogue of messages (`MESSAGES`, one template pair per problem code) and `problem`, which makes one.

Shared by the checks of data files (perfeval.data.validation.checks, perfeval.data.validation.cross, perfeval.data.validation.validate)
and of uploads (perfeval.data.imports.ingest).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from perfeval.data import schema


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file. ``row`` is the row in Excel (header = 1), None for the whole file
    or its header; ``column`` None when the problem is not about one column. ``severity``: ``error``
    (the file is refused) or ``warning`` (something that looks wrong but may be right: shown beside
    the errors, never blocks; see `warning`)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    message_zh: str
    message_en: str
    table: str | None = None
    severity: str = "error"

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def as_dict(self) -> dict:
        return asdict(self)

    def location(self) -> str:
        """``file:row [column]`` for people and terminals."""
        text = self.file + (f":{self.row}" if self.row is not None else "")
        return text + (f" [{self.column}]" if self.column else "")


# code → (Chinese, English) templates, formatted with the details of each problem.
MESSAGES: dict[str, tuple[str, str]] = {
    "decode": ("无法识别文件编码（不是 UTF-8，也不是 GB18030/GBK），请另存为 UTF-8 编码的 CSV",
               "cannot decode the file: it is neither UTF-8 nor GB18030/GBK; save it as UTF-8 CSV"),
    "encoding_not_utf8": ("数据湖中的 CSV 必须是 UTF-8 编码（本文件是 GB18030/GBK），请另存为 UTF-8",
                          "CSV files in the lake must be UTF-8 (this one is GB18030/GBK); save it as UTF-8"),
    "empty_file": ("文件为空，缺少表头行", "the file is empty: no header row"),
    "csv_syntax": ("CSV 格式错误：{detail}", "malformed CSV: {detail}"),
    "parquet_unreadable": ("无法读取 Parquet 文件：{detail}", "cannot read the Parquet file: {detail}"),
    "unknown_table": ("无法从文件名判断是哪张表：应为 <表名>.csv、<表名>.parquet 或 <表名>/ 目录下的 Parquet，"
                      "表名为：{tables}",
                      "cannot tell the table from the file name: use <table>.csv, <table>.parquet or a "
                      "Parquet file under a <table>/ folder, with a table among: {tables}"),
    "unknown_column": ("表 {table} 没有列「{value}」（该列不会被读取，数据会丢失）；应为：{columns}",
                       "table {table} has no column “{value}” (it would not be read: data lost); "
                       "expected: {columns}"),
    "missing_column": ("缺少必填列：{column_zh}", "required column {column_en} is missing"),
    "duplicate_column": ("表头中列「{value}」出现了不止一次", "column “{value}” appears more than once in the header"),
    "field_count": ("此行有 {found} 个字段，表头有 {expected} 个", "this row has {found} fields, the header {expected}"),
    "required_empty": ("「{column_zh}」为必填项，不能为空", "{column_en} is required and is empty"),
    "not_number": ("「{column_zh}」应为数字，实际为「{value}」{hint_zh}",
                   "{column_en} must be a number, got “{value}”{hint_en}"),
    "not_integer": ("「{column_zh}」应为整数，实际为「{value}」", "{column_en} must be a whole number, got “{value}”"),
    "not_date": ("「{column_zh}」应为 YYYY-MM-DD 格式的日期（如 2023-06-30），实际为「{value}」",
                 "{column_en} must be a date written YYYY-MM-DD (e.g. 2023-06-30), got “{value}”"),
    "not_boolean": ("「{column_zh}」应为 true 或 false，实际为「{value}」",
                    "{column_en} must be true or false, got “{value}”"),
    "not_allowed": ("「{column_zh}」不能为「{value}」，允许的值：{allowed}",
                    "{column_en} cannot be “{value}”; allowed: {allowed}"),
    "below_min": ("「{column_zh}」为 {value}，小于下限 {limit}{hint_zh}",
                  "{column_en} is {value}, below the minimum {limit}{hint_en}"),
    "above_max": ("「{column_zh}」为 {value}，大于上限 {limit}{hint_zh}",
                  "{column_en} is {value}, above the maximum {limit}{hint_en}"),
    "pattern": ("「{column_zh}」应为{what_zh}，实际为「{value}」", "{column_en} must be {what_en}, got “{value}”"),
    "bad_source": ("数据来源应写作「类型:名称」，类型为 {kinds} 之一（如 report:tianjin-2022），实际为「{value}」",
                   "source must read “kind:name” with a kind among {kinds} (e.g. report:tianjin-2022), "
                   "got “{value}”"),
    "duplicate_key": ("键（{key}）= {value} 重复，与第 {other_row} 行相同",
                      "key ({key}) = {value} repeats row {other_row}"),
    "duplicate_key_lake": ("键（{key}）= {value} 已在 {other_file} 第 {other_row} 行出现",
                           "key ({key}) = {value} already appears in {other_file} row {other_row}"),
    "unknown_reference": ("「{column_zh}」为「{value}」，但{scope_zh}表 {target} 中没有 {target_column} = 「{value}」",
                          "{column_en} is “{value}” but table {target} has no {target_column} = “{value}”"
                          "{scope_en}"),
    "unit_mismatch": ("单位「{value}」与成效指标目录中 {metric} 的单位「{expected}」不一致",
                      "unit “{value}” differs from the catalogue's unit of {metric}, “{expected}”"),
    "budget_both": ("{year} 年的「{measure_zh}」既按子项目（{subprojects}）填写，又按整个项目填写；"
                    "同一项目同一年度的同一金额只能二选一，否则合计会重复",
                    "{measure_en} for {year} is given both per sub-project ({subprojects}) and for the "
                    "whole project; give it one way only, or totals count it twice"),
    "parent_missing": ("上级编码「{value}」在项目 {project} 的指标中不存在",
                       "parent code “{value}” is not an indicator of project {project}"),
    "parent_level": ("上级指标「{value}」为第 {parent_level} 级，本指标为第 {level} 级（应相差 1 级）",
                     "parent “{value}” is level {parent_level}, this indicator level {level} (must differ by 1)"),
    "parent_required": ("第 {level} 级指标必须填写上级编码", "a level-{level} indicator needs a parent code"),
    "parent_forbidden": ("一级指标不能有上级编码", "a level-1 indicator cannot have a parent code"),
    "bad_scope": ("范围「{value}」无效：{detail_zh}。应为 total，或以分号连接的「维度:值」，维度为 {dims}",
                  "scope “{value}” is invalid: {detail_en}. Use total, or “dim:value” parts joined by “;” "
                  "with dims among {dims}"),
    "document_kind": ("类型「{value}」与数据来源「{source}」的前缀不一致", "kind “{value}” differs from the prefix of "
                      "source “{source}”"),
    "period_order": ("「{column_zh}」{value} 早于「{start_zh}」{start}", "{column_en} {value} is before {start_en} {start}"),
    # -- uploads (perfeval.data.imports.ingest) --
    "unknown_format": ("无法导入「{value}」：只接受 Excel 工作簿（.xlsx）、CSV（.csv）或 Parquet（.parquet）文件",
                       "cannot import “{value}”: only an Excel workbook (.xlsx), a CSV (.csv) or a Parquet "
                       "(.parquet) file is accepted"),
    "workbook_unreadable": ("无法读取 Excel 工作簿：{detail}", "cannot read the Excel workbook: {detail}"),
    "unknown_sheet": ("工作表「{value}」不是可导入的表，其中的数据不会被导入；工作表名应为：{sheets}"
                      "（或中文表名：{sheets_zh}）；说明页「{help}」会被忽略",
                      "sheet “{value}” is not a table that can be imported, and its rows would be lost; "
                      "name sheets among: {sheets} (or their Chinese names); a help sheet “{help}” is ignored"),
    "not_importable": ("表 {table}（{table_zh}）是统一维护的目录，不能通过导入修改；可导入的表：{tables}",
                       "table {table} ({table_en}) is a catalogue maintained centrally and cannot be "
                       "imported; tables that can: {tables}"),
    "duplicate_sheet": ("工作表「{value}」与工作表「{other}」都是表 {table}，请把两者的行放在同一个工作表中",
                        "sheets “{value}” and “{other}” are both table {table}; put their rows in one sheet"),
    "no_header": ("第 1 行（表头）为空：第 1 行应为列名，如 {columns}",
                  "row 1 (the header) is empty: row 1 must hold the column names, e.g. {columns}"),
    "unnamed_column": ("第 {letter} 列有数据，但第 1 行没有列名（该列不会被读取，数据会丢失）",
                       "column {letter} holds data but has no name in row 1 (it would not be read: data lost)"),
    "no_rows": ("没有可导入的数据：各表表头以下都是空的", "nothing to import: there are no data rows below the headers"),
    "batch_exists": ("导入批次 {value} 已存在于数据湖中", "import batch {value} already exists in the lake"),
    # -- warnings (severity "warning": shown, never blocking; perfeval.data.validation.warnings) --
    "amount_in_yuan": ("「{column_zh}」为 {value} 万元，{reason_zh}：是否按元填写了？万元 = 元 ÷ 10000"
                       "（如 {value} 元应写作 {as_wan}）。如确为万元，请忽略本提示",
                       "{column_en} is {value} (10k CNY), {reason_en}: was it typed in yuan? 10k CNY = "
                       "yuan ÷ 10,000 ({value} yuan is {as_wan}). If it really is in 10k CNY, ignore this"),
    "rate_as_percent": ("「{column_zh}」为 {value}，单位为 %：比率应填小数（{value}% 写作 {fraction}）。"
                        "如比率确实超过 100%，请忽略本提示",
                        "{column_en} is {value} with unit %: rates are fractions ({value}% is {fraction}). "
                        "If the rate really is above 100%, ignore this"),
    "region_unknown": ("行政区划代码 {value} 不在内置的 GB/T 2260 代码表中（{source}）；请核对代码",
                       "region code {value} is not in the bundled GB/T 2260 list ({source}); check the code"),
    "region_name": ("「{column_zh}」为「{value}」，而行政区划代码 {region} 在 GB/T 2260 中为「{expected}」",
                    "{column_en} is “{value}” but region code {region} is “{expected}” in GB/T 2260"),
}


def problem(file: str, row, column, value, code: str, table: str | None = None, **details) -> Problem:
    """A Problem with its messages formatted from MESSAGES[code]; a tuple detail is a list, joined
    with 、 in Chinese and , in English."""
    zh, en = MESSAGES[code]
    details.setdefault("value", "" if value is None else value)
    details.setdefault("table", table)
    details.setdefault("hint_zh", "")
    details.setdefault("hint_en", "")
    as_zh = {k: "、".join(map(str, d)) if isinstance(d, tuple) else d for k, d in details.items()}
    as_en = {k: ", ".join(map(str, d)) if isinstance(d, tuple) else d for k, d in details.items()}
    return Problem(file, None if row is None else int(row), column,
                   None if value is None else str(value), code,
                   zh.format(**as_zh), en.format(**as_en), table)


def warning(file: str, row, column, value, code: str, table: str | None = None, **details) -> Problem:
    """A `problem` of severity ``warning``: something that looks wrong but may be right."""
    return replace(problem(file, row, column, value, code, table, **details), severity="warning")


def errors(found: list[Problem]) -> list[Problem]:
    """The problems that block (severity ``error``)."""
    return [p for p in found if not p.is_warning]


def column_details(c: schema.Column) -> dict:
    """A column named for messages: its description without the bracketed details, then its name
    (「数据来源（source）」 rather than 「数据来源（report:/import:/…）（source）」)."""
    zh = c.zh.split("（")[0] or c.zh
    en = c.en.split(" (")[0] or c.en
    return {"column_zh": f"{zh}（{c.name}）", "column_en": f"{en} ({c.name})"}


def new_problems(found: list[Problem], more: list[Problem]) -> list[Problem]:
    """The problems of ``more`` on a cell that ``found`` does not already report (a source written
    wrongly is not also an unknown source)."""
    seen = {(p.file, p.row, p.column) for p in found}
    return [p for p in more if (p.file, p.row, p.column) not in seen]
