"""The demonstration portfolio's rows as they are built: `Rows` (rows per table, each with the demo source
and only the schema's columns) and the rows every kind of project adds the same way: its ``projects`` row
(`add_project_row`), the money figures a report states (`add_money_figures`, in 万元 and fractions) and its
problems, recommendations and good practice (`add_findings`).
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from perfeval.data import schema
from perfeval.data.demo.places import CITY, DEMO_NOTE, PROVINCE, SOURCE, District, r4

# Tables the generator writes, in this order.
TABLES = ("documents", "projects", "subprojects", "budget", "payments", "indicators", "indicator_rules",
          "targets", "outcomes", "surveys", "outputs", "figures", "findings")


class Rows:
    """Rows per table, filled by the project builders; every row gets the demo source."""

    def __init__(self):
        self.rows: dict[str, list[dict]] = {t: [] for t in TABLES}

    def add(self, table: str, **values) -> None:
        values.setdefault("source", SOURCE)
        cols = schema.table(table).column_names
        unknown = set(values) - set(cols)
        if unknown:
            raise KeyError(f"{table}: unknown columns {sorted(unknown)}")
        self.rows[table].append({c: values.get(c) for c in cols})


def add_project_row(rows: Rows, d: District, pid: str, name: str, short: str, name_en: str, category: str,
                    evaluator: str, evaluator_type: str, framework: str, start: dt.date, end: dt.date,
                    eval_start: dt.date, eval_end: dt.date, cutoff: dt.date | None, total: float | None,
                    grade: str | None, tree_depth: int, note: str = "") -> None:
    """A project's ``projects`` row: in district ``d`` of the fictional city, its note saying it is made up."""
    rows.add("projects", project_id=pid, name=name, short_name=short, name_en=name_en, category=category,
             province=PROVINCE, city=CITY, district=d.name, region_code=d.code,
             implementing_unit=f"示例市公安局{d.name}分局", supervising_unit=f"{d.name}财政局",
             evaluator=evaluator, evaluator_type=evaluator_type, evaluation_type="项目支出绩效评价",
             framework=framework, period_start=start, period_end=end, evaluation_start=eval_start,
             evaluation_end=eval_end, data_cutoff=cutoff, reported_total_score=total, reported_grade=grade,
             population=d.population, tree_depth=tree_depth,
             note=DEMO_NOTE + ("。" + note if note else ""))


def add_money_figures(rows: Rows, pid: str, initial: float, adjusted: float | None, received: float,
                      spent: float, total: float | None, stated_exec: float | None = None) -> None:
    """The totals a report states (keys as in the seeds: budget_total = Σ 年初预算, adjusted_budget_total
    = Σ 调整预算), so the audit can re-derive them."""
    figs = [("F1", "budget_total", "年初预算金额", initial, "万元")]
    if adjusted is not None:
        figs.append(("F1a", "adjusted_budget_total", "调整预算金额", adjusted, "万元"))
    figs += [("F2", "received_total", "到位资金", received, "万元"),
            ("F3", "spent_total", "实际支出", spent, "万元"),
            ("F4", "execution_rate", "预算执行率", stated_exec if stated_exec is not None else r4(spent / received),
             "%")]
    if total is not None:
        figs.append(("F5", "total_score", "绩效总分", total, "分"))
    for fid, key, label, value, unit in figs:
        planted = key == "execution_rate" and stated_exec is not None
        rows.add("figures", project_id=pid, figure_id=fid, kind="derived", figure=key, scope="total",
                 label=label, value=float(value), unit=unit,
                 note="报告所述执行率与资金表不符（示例中故意设置，供审计演示）" if planted else None)


_PROBLEMS = {
    "execution": ("预算执行率偏低", "项目预算执行率为{rate}，部分服务款项未按进度支付，资金使用效率有待提高。", "B12"),
    "survey": ("未开展满意度调查", "项目未组织服务对象满意度调查，满意度指标由评价组根据走访情况人工评分，依据不足。", "D31"),
    "staff": ("人员配备未达计划", "实际在岗人数较计划少{short}人，人员流动较大，影响宣传覆盖面。", "C11"),
    "install": ("APP安装率未达目标", "国家反诈中心APP安装率为{rate}，低于80%的目标值。", "C21"),
    "veto": ("资金使用存在挪用情形", "部分项目资金被挪用于其他业务支出，未履行调整审批手续。", "B13"),
    "targets": ("绩效目标细化程度不够", "部分绩效指标未量化，时效指标设定为“全年开展”，难以考核。", "A22"),
    "acceptance": ("验收资料不完整", "部分子项目验收报告缺少验收人员签字及验收结论。", "B22"),
}
_RECS = {
    "execution": ("加强预算执行管理", "按合同节点及时支付服务款项，按月跟踪预算执行进度。"),
    "survey": ("开展满意度调查", "委托第三方开展服务对象满意度调查，形成书面调查报告。"),
    "staff": ("稳定队伍规模", "完善人员招聘与培训机制，确保在岗人数达到计划。"),
    "install": ("提高APP安装率", "结合社区走访推进国家反诈中心APP注册安装。"),
    "veto": ("严格资金使用管理", "严禁挤占挪用项目资金，确需调整的应履行审批手续。"),
    "targets": ("细化绩效目标", "按项目实施节点设定分阶段、可量化的绩效指标。"),
    "acceptance": ("规范验收程序", "完善验收资料，明确验收标准与责任人。"),
}
_PRACTICES = (
    ("宣传进社区全覆盖", "组织宣传员进企业、进小区、进学校，开展点对点反诈宣传。"),
    ("预警劝阻闭环处置", "建立预警线索分级分类处置机制，做到接警即劝阻、劝阻有回访。"),
    ("技术反制与宣传并重", "强化技术拦截，同时利用短视频等新媒体扩大宣传覆盖面。"),
)


def add_findings(rows: Rows, pid: str, rng: np.random.Generator, execution: float, has_survey: bool,
                 short_staff: int = 0, install: float = 1.0, veto: bool = False, kind: str = "team",
                 depth: int = 0) -> None:
    """Problems, recommendations and a good practice; a problem names its indicator (or the ancestor the
    report's partial tree gives: C21 → C2 → C) on team projects."""
    issues = []
    if veto:
        issues.append("veto")
    if execution < 0.9:
        issues.append("execution")
    if not has_survey:
        issues.append("survey")
    if kind == "team" and short_staff > 10:
        issues.append("staff")
    if kind == "team" and install < 0.8:
        issues.append("install")
    if not issues or rng.random() < 0.5:
        issues.append("targets" if kind != "build" else "acceptance")
    n = 0
    for key in issues:
        title, text, code = _PROBLEMS[key]
        n += 1
        rows.add("findings", project_id=pid, finding_id=f"P{n}", kind="problem", title=title,
                 text=text.format(rate=f"{execution * 100:.2f}%" if key == "execution" else f"{install * 100:.2f}%",
                                  short=short_staff),
                 indicator_code=code[:depth] if kind == "team" and depth else None)
    for i, key in enumerate(issues, start=1):
        title, text = _RECS[key]
        rows.add("findings", project_id=pid, finding_id=f"R{i}", kind="recommendation", title=title, text=text)
    title, text = _PRACTICES[int(rng.integers(0, len(_PRACTICES)))]
    rows.add("findings", project_id=pid, finding_id="X1", kind="practice", title=title, text=text)
