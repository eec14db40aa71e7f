"""总览 Overview: the portfolio's KPIs, the ranked projects and score against execution."""
import streamlit as st

from perfeval import charts, fmt
from perfeval.portfolio import portfolio_kpis
from perfeval.regions import region_label
from perfeval.ui import common, deck, districts, plot, scorecard, state

TABLE_ROWS = 500           # rows of the ranked table (a longer list is for the filters to narrow)
AUDIT_MAX_PROJECTS = 500   # above this, the ranked table carries no audit column

t = state.tr()
lang = state.lang()
f = state.filters()
df = state.query("overview_projects", **f.params())
state.write_url()

common.page_header(t("项目绩效评价总览", "Portfolio of evaluated projects"), df)
if df.empty:
    st.info(t("当前筛选条件下没有项目。", "No project matches the filters."))
    st.stop()

deck.portfolio_button(f)
k = portfolio_kpis(df)
# two rows of three, so that portfolio totals (tens of thousands of 万元) are not cut off
common.kpi_row([
    (t("项目数", "Projects"), f"{k.projects:,}"),
    (t("平均得分", "Mean score"), fmt.score(k.mean_score, lang)),
    (t("加权预算执行率", "Weighted execution rate"), fmt.pct(k.execution_rate, lang)),
], [None, None, t("Σ实际支出 ÷ Σ到位资金（仅计两项均披露的项目）", "Σ spent ÷ Σ received, over projects reporting both")])
common.kpi_row([
    (t("预算合计（万元）", "Total budget (10k CNY)"), fmt.number(k.budget, 2, lang)),
    (t("到位资金（万元）", "Funds received (10k CNY)"), fmt.number(k.received, 2, lang)),
    (t("实际支出（万元）", "Spent (10k CNY)"), fmt.number(k.spent, 2, lang)),
], [t(f"{k.not_reported['budget']} 个项目未披露预算", f"{k.not_reported['budget']} projects report no budget"),
    None, None])
st.caption(t("评价等级：", "Grades: ") + "　".join(f"{g} {n}" for g, n in k.grade_counts.items()))

st.subheader(t("项目排名", "Ranked projects"))
top = df.head(TABLE_ROWS)
table = top.assign(
    rank=range(1, len(top) + 1),
    region=[region_label(r) for r in top.to_dict("records")],
    link=state.links("project", "project", top["project_id"]),
    # missing money reads 未披露, not "None" (st.dataframe shows nulls as None)
    budget_s=[fmt.number(v, 2, lang) for v in top["budget"]],
    spent_s=[fmt.number(v, 2, lang) for v in top["spent"]],
    execution_s=[fmt.pct(v, lang) for v in top["execution_rate"]],
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
st.dataframe(
    table[columns],
    hide_index=True, width="stretch",
    column_config={
        "rank": st.column_config.NumberColumn(t("排名", "Rank")),
        "name": st.column_config.TextColumn(t("项目", "Project"), width="large"),
        "link": st.column_config.LinkColumn(t("详情", "Details"), display_text=t("打开 ›", "open ›")),
        "region": t("地区", "Region"),
        "category": t("类别", "Category"),
        "reported_total_score": st.column_config.NumberColumn(t("总分", "Score"), format="%.2f"),
        "reported_grade": t("等级", "Grade"),
        "budget_s": st.column_config.TextColumn(t("预算（万元）", "Budget (10k CNY)"), alignment="right"),
        "spent_s": st.column_config.TextColumn(t("支出（万元）", "Spent (10k CNY)"), alignment="right"),
        "execution_s": st.column_config.TextColumn(t("执行率", "Execution"), alignment="right"),
        "evaluator_type": t("评价方式", "Evaluator"),
        "audit": st.column_config.TextColumn(t("复核发现", "Audit findings"),
                                             help=t("🔴 错误 🟠 警告 🔵 提示（报告数值复核）",
                                                    "🔴 errors 🟠 warnings 🔵 notes (audit of the report's numbers)")),
        "data": t("数据", "Data"),
    },
)
notes = []
if len(df) > TABLE_ROWS:
    notes.append(t(f"按得分显示前 {TABLE_ROWS} 个，共 {len(df)} 个项目；用左侧筛选缩小范围。",
                   f"The first {TABLE_ROWS} of {len(df)} projects by score; narrow them with the filters."))
if not audited:
    notes.append(t(f"可查看的项目超过 {AUDIT_MAX_PROJECTS} 个，此表不逐项复核；复核结果见各项目详情页，"
                   "或用 python -m perfeval audit 批量运行。",
                   f"More than {AUDIT_MAX_PROJECTS} projects are visible, so this table is not audited; see each "
                   "project's page, or run python -m perfeval audit in batch."))
if notes:
    st.caption(" ".join(notes))
names = dict(zip(top["project_id"], top["name"]))
c1, c2 = st.columns([3, 1])
pick = c1.selectbox(t("打开项目详情", "Open a project"), list(names), format_func=names.get, key="w_open")
if c2.button(t("打开", "Open"), key="open_project"):
    st.switch_page("app_pages/project.py", query_params={"project": pick})

districts.render(f)

scorecard.render_overview(f)

plot.chart(charts.score_vs_execution(df, t))
