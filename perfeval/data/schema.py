"""The tables of the data lake, declared once.

This module is the single source for: the typed DuckDB views (perfeval.data.lake), the validator
(perfeval.data.validation.validate), the import templates and the generated data dictionary
(docs/data-dictionary.md, kept in sync by a test).

Conventions (see docs/data-model.md):
- amounts in 万元, rates as fractions (0.7172), years as integers;
- every row carries ``source``: ``report:<slug>`` for the real evaluation reports,
  ``import:<batch>`` for uploads, ``demo:<name>`` for the demonstration portfolio and
  ``generated:<name>`` for benchmark data. The part before the colon is the row's data kind;
- a figure a report states that can be derived from other figures (a rate, a total, a 得分率)
  is kept in ``figures`` beside the inputs it is derived from, so the audit can compare them;
- a vague figure keeps its number and a ``qualifier`` (约 / 近 / 余 / 大于).
"""
from __future__ import annotations

from dataclasses import dataclass, field

DATA_KINDS = ("report", "import", "demo", "generated")
QUALIFIERS = ("exact", "about", "nearly", "over", "greater_than")
QUALIFIER_ZH = {"exact": "", "about": "约", "nearly": "近", "over": "余", "greater_than": "大于"}
QUALIFIER_EN = {"exact": "", "about": "about", "nearly": "nearly", "over": "over",
                "greater_than": "more than"}
OPERATORS = (">=", "<=", "=", ">", "<")
# What kind of document a row's source is (documents.source_type): (Chinese, English). Only the
# evaluation kinds feed an evaluation's scores and audit (EVALUATION_SOURCE_TYPES; a document that does not
# say is taken as one, as the demonstration, generated and older imported data are); press and statistics
# releases, audits and the catalogue are shown with their kind and never scored.
SOURCE_TYPES: dict[str, tuple[str, str]] = {
    "evaluation_report": ("第三方评价报告", "evaluation report (third party)"),
    "self_evaluation": ("自评", "self-evaluation"),
    "finance_evaluation": ("部门/财政评价", "department / finance evaluation"),
    "audit": ("审计", "audit"),
    "press_release": ("新闻发布", "press release"),
    "statistics_release": ("统计发布", "statistics release"),
    "catalog": ("目录", "catalogue"),
}
EVALUATION_SOURCE_TYPES = ("evaluation_report", "self_evaluation", "finance_evaluation")
PAYMENT_STATUSES = ("paid", "pending")  # a payment made, or contracted and still to be paid


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type: VARCHAR, DOUBLE, INTEGER, DATE, BOOLEAN
    zh: str
    en: str
    required: bool = False
    unit: str = ""
    allowed: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    row: str = ""  # what one row is
    checks: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name}.{name}")


def _c(name, type_, zh, en, **kw) -> Column:
    return Column(name, type_, zh, en, **kw)


PROJECT_ID = _c("project_id", "VARCHAR", "项目编号", "project id", required=True)
SOURCE = _c("source", "VARCHAR", "数据来源（report:/import:/demo:/generated:）",
            "where the row came from (report:/import:/demo:/generated:)", required=True)
NOTE = _c("note", "VARCHAR", "备注", "note")
QUALIFIER = _c("qualifier", "VARCHAR", "数值限定（约/近/余/大于）",
               "qualifier of a vague figure (about/nearly/over/greater_than)",
               allowed=QUALIFIERS)
QUOTE = _c("quote", "VARCHAR", "报告原文", "the report's own words")

TABLES: tuple[Table, ...] = (
    Table(
        "documents", "来源文档", "source documents", ("source",),
        row="one source document, import batch or generated set",
        columns=(
            SOURCE,
            _c("kind", "VARCHAR", "类型", "kind", required=True, allowed=DATA_KINDS),
            _c("title", "VARCHAR", "标题", "title", required=True),
            _c("file", "VARCHAR", "文件", "file the data was taken from"),
            _c("author", "VARCHAR", "编写单位", "author"),
            _c("source_type", "VARCHAR", "来源类型（评价报告/自评/审计/新闻发布…）",
               "source type (evaluation report / self-evaluation / audit / press release …)",
               allowed=tuple(SOURCE_TYPES)),
            NOTE,
        ),
    ),
    Table(
        "projects", "评价项目", "evaluated projects", ("project_id",),
        row="one evaluated project",
        columns=(
            PROJECT_ID,
            _c("name", "VARCHAR", "项目名称", "project name", required=True),
            _c("short_name", "VARCHAR", "简称", "short name", required=True),
            _c("name_en", "VARCHAR", "英文名称", "name in English"),
            _c("category", "VARCHAR", "项目类别", "category", required=True),
            _c("province", "VARCHAR", "省（区、市）", "province", required=True),
            _c("city", "VARCHAR", "市", "city"),
            _c("district", "VARCHAR", "区（县）", "district"),
            _c("region_code", "VARCHAR", "行政区划代码（GB/T 2260）", "region code (GB/T 2260)",
               required=True),
            _c("implementing_unit", "VARCHAR", "实施单位", "implementing unit", required=True),
            _c("supervising_unit", "VARCHAR", "主管单位", "supervising unit"),
            _c("evaluator", "VARCHAR", "评价机构", "evaluator", required=True),
            _c("evaluator_type", "VARCHAR", "评价方式", "evaluator type", required=True,
               allowed=("第三方评价", "自评", "财政重点评价")),
            _c("evaluation_type", "VARCHAR", "评价类型", "evaluation type"),
            _c("framework", "VARCHAR", "指标体系", "indicator framework"),
            _c("period_start", "DATE", "评价期起", "period start", required=True),
            _c("period_end", "DATE", "评价期止", "period end", required=True),
            _c("evaluation_start", "DATE", "评价工作起", "evaluation work start"),
            _c("evaluation_end", "DATE", "评价工作止", "evaluation work end"),
            _c("data_cutoff", "DATE", "数据截至", "data cutoff"),
            _c("reported_total_score", "DOUBLE", "报告总分", "reported total score",
               min=0, max=100),
            _c("reported_grade", "VARCHAR", "报告等级", "reported grade",
               allowed=("优", "良", "中", "差")),
            _c("population", "DOUBLE", "常住/实有人口", "population", unit="万人", min=0),
            _c("tree_depth", "INTEGER", "报告披露的指标层级", "indicator levels the report gives",
               min=0, max=3),
            _c("goal", "VARCHAR", "年度总体目标（预期）", "overall goal for the period, as planned"),
            _c("goal_result", "VARCHAR", "总体目标实际完成情况", "overall goal: what was achieved, as stated"),
            SOURCE, NOTE,
        ),
    ),
    Table(
        "subprojects", "子项目", "sub-projects", ("project_id", "subproject_id"),
        row="one sub-project (or phase) of a project",
        columns=(
            PROJECT_ID,
            _c("subproject_id", "VARCHAR", "子项目编号", "sub-project id", required=True),
            _c("name", "VARCHAR", "子项目名称", "sub-project name", required=True),
            _c("content", "VARCHAR", "主要内容", "content"),
            _c("procurement", "VARCHAR", "采购方式", "procurement method"),
            _c("procurement_date", "VARCHAR", "采购时间", "procurement date (month)"),
            _c("contractor", "VARCHAR", "中标/承办单位", "contractor"),
            _c("service_period", "VARCHAR", "服务期", "service period"),
            _c("status", "VARCHAR", "实施状态", "status"),
            _c("acceptance", "VARCHAR", "验收情况", "acceptance"),
            _c("goal", "VARCHAR", "绩效目标", "performance goal"),
            SOURCE, NOTE,
        ),
    ),
    Table(
        "budget", "预算与资金", "budget and funds", ("project_id", "year", "subproject_id", "fund_source"),
        row="one project (or sub-project) × year × fund source; a measure is given either per "
            "sub-project or for the whole project, never both, so sums are project totals",
        columns=(
            PROJECT_ID,
            _c("year", "INTEGER", "年度", "year", required=True, min=1990, max=2100),
            _c("subproject_id", "VARCHAR", "子项目编号（空=整个项目）", "sub-project id (empty = whole project)"),
            _c("fund_source", "VARCHAR", "资金来源", "fund source"),
            _c("estimated_investment", "DOUBLE", "估算总投资", "estimated investment", unit="万元", min=0),
            _c("initial_budget", "DOUBLE", "年初预算", "initial budget", unit="万元", min=0),
            _c("adjusted_budget", "DOUBLE", "调整（指标）预算", "adjusted budget", unit="万元", min=0),
            _c("received", "DOUBLE", "到位资金", "funds received", unit="万元", min=0),
            _c("spent", "DOUBLE", "实际支出", "spent", unit="万元", min=0),
            _c("as_of", "DATE", "数据截至", "figures as of"),
            SOURCE, NOTE,
        ),
    ),
    Table(
        "payments", "资金支付", "payments to vendors", ("project_id", "payment_id"),
        row="one payment (or payment line of a report's table) to a vendor",
        columns=(
            PROJECT_ID,
            _c("payment_id", "VARCHAR", "支付编号", "payment id", required=True),
            _c("subproject_id", "VARCHAR", "子项目编号", "sub-project id"),
            _c("item", "VARCHAR", "具体项目/用途", "service or purpose"),
            _c("vendor", "VARCHAR", "承办单位（报告原文写法）", "vendor as spelled in the report"),
            _c("amount", "DOUBLE", "金额", "amount", unit="万元", required=True, min=0),
            _c("status", "VARCHAR", "支付状态（paid 已支付 / pending 待支付；空=未披露）",
               "payment status (paid / pending; empty = not reported)", allowed=PAYMENT_STATUSES),
            _c("fund_source", "VARCHAR", "资金来源", "fund source"),
            _c("as_of", "DATE", "数据截至", "as of"),
            SOURCE, NOTE,
        ),
    ),
    Table(
        "vendor_aliases", "单位名称写法", "vendor spellings", ("alias",),
        row="one spelling of a vendor's name and the canonical name it stands for",
        columns=(
            _c("alias", "VARCHAR", "写法", "spelling", required=True),
            _c("vendor", "VARCHAR", "统一名称", "canonical name", required=True),
            SOURCE, NOTE,
        ),
    ),
    Table(
        "indicators", "评价指标", "indicator tree", ("project_id", "code"),
        row="one node of a project's indicator tree (level 1–3)",
        columns=(
            PROJECT_ID,
            _c("code", "VARCHAR", "指标编码", "code", required=True),
            _c("parent_code", "VARCHAR", "上级编码", "parent code"),
            _c("level", "INTEGER", "层级", "level", required=True, min=1, max=3),
            _c("name", "VARCHAR", "指标名称", "name", required=True),
            _c("name_en", "VARCHAR", "英文名称", "name in English"),
            _c("weight", "DOUBLE", "分值（权重）", "weight (max points)", unit="分", min=0, max=100),
            _c("reported_score", "DOUBLE", "报告得分", "reported score", unit="分", min=0, max=100),
            _c("definition", "VARCHAR", "指标解释", "definition"),
            _c("explanation", "VARCHAR", "指标说明 / 评价要点", "explanation / evaluation points"),
            _c("rule_text", "VARCHAR", "评分标准（原文）", "scoring rule (report's text)"),
            _c("sort_order", "INTEGER", "排序", "sort order"),
            SOURCE, NOTE,
        ),
    ),
    Table(
        "targets", "绩效目标", "performance targets", ("project_id", "target_id"),
        row="one performance target × year with its actual value",
        columns=(
            PROJECT_ID,
            _c("target_id", "VARCHAR", "目标编号", "target id", required=True),
            _c("subproject_id", "VARCHAR", "子项目编号", "sub-project id"),
            _c("year", "INTEGER", "年度（空=整个评价期）", "year (empty = whole period)"),
            _c("category", "VARCHAR", "目标类别", "target group (e.g. 产出目标/数量指标)"),
            _c("name", "VARCHAR", "指标", "target", required=True),
            _c("unit", "VARCHAR", "单位", "unit"),
            _c("operator", "VARCHAR", "比较", "operator", allowed=OPERATORS),
            _c("target_value", "DOUBLE", "目标值", "target value"),
            _c("target_text", "VARCHAR", "目标值（文字）", "target (as text)"),
            _c("actual_value", "DOUBLE", "实际完成值", "actual value"),
            _c("actual_text", "VARCHAR", "实际完成（文字）", "actual (as text)"),
            _c("stated_met", "BOOLEAN", "报告结论：是否达成", "met, as the report concludes"),
            _c("indicator_code", "VARCHAR", "对应评价指标", "indicator code"),
            SOURCE, NOTE,
        ),
    ),
    Table(
        "metrics", "成效指标目录", "outcome metric catalogue", ("metric_key",),
        row="one kind of outcome metric",
        columns=(
            _c("metric_key", "VARCHAR", "指标键", "metric key", required=True),
            _c("name_zh", "VARCHAR", "中文名称", "Chinese name", required=True),
            _c("name_en", "VARCHAR", "英文名称", "English name", required=True),
            _c("unit", "VARCHAR", "单位", "unit", required=True),
            _c("category", "VARCHAR", "类别", "category", required=True,
               allowed=("拦截", "劝阻", "止付返还", "打击", "宣传", "案件", "队伍", "数据", "建设", "服务")),
            _c("direction", "VARCHAR", "方向", "direction", required=True,
               allowed=("higher", "lower")),
            SOURCE, NOTE,
        ),
    ),
    Table(
        "outcomes", "成效数据", "outcome figures", ("project_id", "outcome_id"),
        row="one outcome metric × period of a project",
        columns=(
            PROJECT_ID,
            _c("outcome_id", "VARCHAR", "编号", "outcome id", required=True),
            _c("metric_key", "VARCHAR", "指标键", "metric key", required=True),
            _c("year", "INTEGER", "年度（空=整个评价期）", "year (empty = whole period)"),
            _c("period_label", "VARCHAR", "期间说明", "period as the report puts it"),
            _c("value", "DOUBLE", "数值", "value", required=True),
            _c("unit", "VARCHAR", "单位", "unit", required=True),
            QUALIFIER, QUOTE, SOURCE, NOTE,
        ),
    ),
    Table(
        "surveys", "满意度调查", "satisfaction surveys", ("project_id", "survey_id"),
        row="one satisfaction survey",
        columns=(
            PROJECT_ID,
            _c("survey_id", "VARCHAR", "调查编号", "survey id", required=True),
            _c("name", "VARCHAR", "调查名称", "survey"),
            _c("conducted_by", "VARCHAR", "调查单位", "conducted by"),
            _c("respondents", "VARCHAR", "调查对象", "respondents"),
            _c("questions", "INTEGER", "问题数", "questions", min=0),
            _c("issued", "INTEGER", "发放问卷", "questionnaires issued", min=0),
            _c("valid", "INTEGER", "有效问卷", "valid questionnaires", min=0),
            _c("awareness_rate", "DOUBLE", "知晓率", "awareness rate", min=0, max=1),
            _c("satisfaction_rate", "DOUBLE", "满意度", "satisfaction rate", min=0, max=1),
            _c("satisfaction_score", "DOUBLE", "满意度评分（百分制）", "satisfaction score (of 100)",
               min=0, max=100),
            _c("score_qualifier", "VARCHAR", "评分限定", "qualifier of the score", allowed=QUALIFIERS),
            _c("n_very_satisfied", "INTEGER", "很满意", "very satisfied", min=0),
            _c("n_satisfied", "INTEGER", "较满意", "satisfied", min=0),
            _c("n_neutral", "INTEGER", "一般", "neutral", min=0),
            _c("n_dissatisfied", "INTEGER", "不太满意", "dissatisfied", min=0),
            _c("n_very_dissatisfied", "INTEGER", "不满意", "very dissatisfied", min=0),
            _c("level_text", "VARCHAR", "评价结论（文字）", "conclusion as text"),
            QUOTE, SOURCE, NOTE,
        ),
    ),
    Table(
        "outputs", "产出与建设内容", "outputs and deliverables", ("project_id", "output_id"),
        row="one planned or delivered output (a deliverable, a build item, a staffing post)",
        columns=(
            PROJECT_ID,
            _c("output_id", "VARCHAR", "编号", "output id", required=True),
            _c("subproject_id", "VARCHAR", "子项目编号", "sub-project id"),
            _c("group_name", "VARCHAR", "分组", "group"),
            _c("item", "VARCHAR", "内容", "item", required=True),
            _c("unit", "VARCHAR", "单位", "unit"),
            _c("planned", "DOUBLE", "计划数", "planned quantity"),
            _c("actual", "DOUBLE", "实际数", "actual quantity"),
            QUALIFIER,
            _c("status", "VARCHAR", "状态", "status"),
            QUOTE, SOURCE, NOTE,
        ),
    ),
    Table(
        "figures", "报告陈述数值", "figures a report states", ("project_id", "figure_id"),
        row="one number a report states that is derived from other data (kind=derived: a rate, "
            "total, 得分率, average, saving) or a plain fact that fits no other table (kind=fact)",
        columns=(
            PROJECT_ID,
            _c("figure_id", "VARCHAR", "编号", "figure id", required=True),
            _c("kind", "VARCHAR", "类型", "kind", required=True, allowed=("derived", "fact")),
            _c("figure", "VARCHAR", "数值键", "figure key (what it is)", required=True),
            _c("scope", "VARCHAR", "范围", "scope (total, year:2021, subproject:S1, indicator:A …)",
               required=True),
            _c("label", "VARCHAR", "报告中的名称", "label in the report", required=True),
            _c("value", "DOUBLE", "数值", "value", required=True),
            _c("unit", "VARCHAR", "单位", "unit", required=True),
            QUALIFIER, QUOTE, SOURCE, NOTE,
        ),
    ),
    Table(
        "findings", "问题、建议与经验", "findings", ("project_id", "finding_id"),
        row="one problem, recommendation or good practice",
        columns=(
            PROJECT_ID,
            _c("finding_id", "VARCHAR", "编号", "finding id", required=True),
            _c("kind", "VARCHAR", "类型", "kind", required=True,
               allowed=("problem", "recommendation", "practice")),
            _c("title", "VARCHAR", "标题", "title", required=True),
            _c("text", "VARCHAR", "内容", "text"),
            _c("indicator_code", "VARCHAR", "相关指标", "related indicator"),
            SOURCE, NOTE,
        ),
    ),
    # -- scorecard (perfeval.domain.scoring, docs/scoring.md) ------------------------------------------------
    Table(
        "indicator_rules", "评分规则", "scoring rules", ("project_id", "code"),
        row="the scoring rule of one indicator (usually a leaf) as data: a rule type, its parameters "
            "and its inputs, each a 'key=value; key=value' cell; '@figure[scope]' in an input refers to "
            "a value derived from the project's own data",
        columns=(
            PROJECT_ID,
            _c("code", "VARCHAR", "指标编码", "indicator code", required=True),
            _c("rule_type", "VARCHAR", "规则类型", "rule type", required=True,
               allowed=("checklist", "checklist_veto", "ratio", "ratio_steps", "shortfall_steps",
                        "saving_sign", "yearly_conditions", "scale5", "manual")),
            _c("params", "VARCHAR", "规则参数（key=value; …）", "rule parameters (key=value; …)"),
            _c("inputs", "VARCHAR", "评分输入（key=value; …，@引用）", "rule inputs (key=value; …, @references)"),
            _c("basis", "VARCHAR", "输入依据（报告原文或推断）", "where the inputs come from (report text or inference)"),
            SOURCE, NOTE,
        ),
    ),
    Table(
        "grade_bands", "评价等级划分", "grade bands", ("band_set", "grade"),
        row="one grade of a set of grade bands and its lower bound (inclusive)",
        columns=(
            _c("band_set", "VARCHAR", "等级方案", "band set", required=True),
            _c("grade", "VARCHAR", "等级", "grade", required=True),
            _c("name_en", "VARCHAR", "英文名称", "name in English"),
            _c("min_score", "DOUBLE", "下限（含）", "lower bound (inclusive)", unit="分", required=True,
               min=0, max=100),
            SOURCE, NOTE,
        ),
    ),
)

TABLE_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The declaration of table ``name``; KeyError if there is none."""
    return TABLE_BY_NAME[name]


def data_kind(source: str) -> str:
    """The kind of a row from its source (``report:tianjin-2022`` → ``report``)."""
    return source.split(":", 1)[0]
