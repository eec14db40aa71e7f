"""The overview's ranked projects: its KPIs, the ranked table and the score-against-execution chart, made
from overview_projects for app_pages/overview.py, which draws them (kept per filters by `state.memo`)."""
from __future__ import annotations

from perfeval import charts, fmt
from perfeval.portfolio import data_kinds, portfolio_kpis
from perfeval.regions import region_label
from perfeval.ui import plot, scorecard, state

TABLE_ROWS = 500           # rows of the ranked table (a longer list is for the filters to narrow)
AUDIT_MAX_PROJECTS = 500   # above this, the ranked table carries no audit column


def ranked(f: state.Filters, t, lang: str) -> dict:
    """What the page draws from overview_projects: the KPIs, the ranked table, the score-against-execution
    chart (kept by `state.memo`; nothing here draws)."""
    df = state.query("overview_projects", **f.params())
    v = {"kinds": data_kinds(df), "n": len(df)}
    if df.empty:
        return v
    k = portfolio_kpis(df)
    # two rows of three, so that portfolio totals (tens of thousands of 万元) are not cut off
    v["kpis"] = [[
        (t("项目数", "Projects"), f"{k.projects:,}"),
        (t("平均得分", "Mean score"), fmt.score(k.mean_score, lang)),
        (t("加权预算执行率", "Weighted execution rate"), fmt.pct(k.execution_rate, lang)),
    ], [
        (t("预算合计（万元）", "Total budget (10k CNY)"), fmt.number(k.budget, 2, lang)),
        (t("到位资金（万元）", "Funds received (10k CNY)"), fmt.number(k.received, 2, lang)),
        (t("实际支出（万元）", "Spent (10k CNY)"), fmt.number(k.spent, 2, lang)),
    ]]
    v["kpi_help"] = [
        [None, None, t("Σ实际支出 ÷ Σ到位资金（仅计两项均披露的项目）", "Σ spent ÷ Σ received, over projects reporting both")],
        [t(f"{k.not_reported['budget']} 个项目未披露预算", f"{k.not_reported['budget']} projects report no budget"),
         None, None]]
    v["grades"] = t("评价等级：", "Grades: ") + "　".join(f"{g} {n}" for g, n in k.grade_counts.items())
    top = df.head(TABLE_ROWS)
    table = top.assign(
        rank=range(1, len(top) + 1),
        region=[region_label(r) for r in top.to_dict("records")],
        link=state.links("project", "project", top["project_id"]),
        # missing money reads 未披露, not "None" (st.dataframe shows nulls as None)
        budget_s=[fmt.number(x, 2, lang) for x in top["budget"]],
        spent_s=[fmt.number(x, 2, lang) for x in top["spent"]],
        execution_s=[fmt.pct(x, lang) for x in top["execution_rate"]],
        data=top["data_kind"].map({"report": t("真实报告", "real report"), "demo": t("示例", "demo"),
                                  "import": t("导入", "imported"), "generated": t("生成", "generated")}),
    )
    # The audit runs in Python per project (≈18 ms each): on the page only while the viewer sees few projects.
    audited = len(state.query("project_list")) <= AUDIT_MAX_PROJECTS
    columns = ["rank", "name", "link", "region", "category", "reported_total_score", "reported_grade",
               "budget_s", "spent_s", "execution_s", "evaluator_type", "audit", "data"]
    if audited:
        table["audit"] = [scorecard.findings_label(r, lang)
                          for r in scorecard.findings_counts(table["project_id"]).to_dict("records")]
    else:
        columns.remove("audit")
    v["table"] = table[columns]
    notes = []
    if len(df) > TABLE_ROWS:
        notes.append(t(f"按得分显示前 {TABLE_ROWS} 个，共 {len(df)} 个项目；用左侧筛选缩小范围。",
                       f"The first {TABLE_ROWS} of {len(df)} projects by score; narrow them with the filters."))
    if not audited:
        notes.append(t(f"可查看的项目超过 {AUDIT_MAX_PROJECTS} 个，此表不逐项复核；复核结果见各项目详情页，"
                       "或用 python -m perfeval audit 批量运行。",
                       f"More than {AUDIT_MAX_PROJECTS} projects are visible, so this table is not audited; see each "
                       "project's page, or run python -m perfeval audit in batch."))
    v["notes"] = " ".join(notes)
    v["names"] = dict(zip(top["project_id"], top["name"]))
    v["scatter"] = plot.spec(charts.score_vs_execution(df, t))
    return v
