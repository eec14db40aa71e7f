"""总览 Overview: the portfolio's KPIs, the ranked projects and score against execution."""
import streamlit as st

from perfeval import charts, fmt
from perfeval.portfolio import portfolio_kpis
from perfeval.regions import region_label
from perfeval.ui import common, districts, scorecard, state

t = state.tr()
lang = state.lang()
f = state.filters()
df = state.query("overview_projects", **f.params())
state.write_url()

common.page_header(t("项目绩效评价总览", "Portfolio of evaluated projects"), df)
if df.empty:
    st.info(t("当前筛选条件下没有项目。", "No project matches the filters."))
    st.stop()

k = portfolio_kpis(df)
common.kpi_row([
    (t("项目数", "Projects"), f"{k.projects}"),
    (t("预算合计（万元）", "Total budget (10k CNY)"), fmt.number(k.budget, 2, lang)),
    (t("到位资金（万元）", "Funds received (10k CNY)"), fmt.number(k.received, 2, lang)),
    (t("实际支出（万元）", "Spent (10k CNY)"), fmt.number(k.spent, 2, lang)),
    (t("加权预算执行率", "Weighted execution rate"), fmt.pct(k.execution_rate, lang)),
    (t("平均得分", "Mean score"), fmt.score(k.mean_score, lang)),
], [None,
    t(f"{k.not_reported['budget']} 个项目未披露预算", f"{k.not_reported['budget']} projects report no budget"),
    None, None,
    t("Σ实际支出 ÷ Σ到位资金（仅计两项均披露的项目）", "Σ spent ÷ Σ received, over projects reporting both"),
    None])
st.caption(t("评价等级：", "Grades: ") + "　".join(f"{g} {n}" for g, n in k.grade_counts.items()))

st.subheader(t("项目排名", "Ranked projects"))
table = df.assign(
    rank=range(1, len(df) + 1),
    region=[region_label(r) for r in df.to_dict("records")],
    link=[state.link("project", project=pid) for pid in df["project_id"]],
    # missing money reads 未披露, not "None" (st.dataframe shows nulls as None)
    budget_s=[fmt.number(v, 2, lang) for v in df["budget"]],
    spent_s=[fmt.number(v, 2, lang) for v in df["spent"]],
    execution_s=[fmt.pct(v, lang) for v in df["execution_rate"]],
    data=df["data_kind"].map({"report": t("真实报告", "real report"), "demo": t("示例", "demo"),
                              "import": t("导入", "imported"), "generated": t("生成", "generated")}),
)
table["audit"] = [scorecard.findings_label(r, lang) for r in scorecard.findings_counts(df["project_id"]).to_dict("records")]
st.dataframe(
    table[["rank", "name", "link", "region", "category", "reported_total_score", "reported_grade",
           "budget_s", "spent_s", "execution_s", "evaluator_type", "audit", "data"]],
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
names = dict(zip(df["project_id"], df["name"]))
c1, c2 = st.columns([3, 1])
pick = c1.selectbox(t("打开项目详情", "Open a project"), list(names), format_func=names.get, key="w_open")
if c2.button(t("打开", "Open"), key="open_project"):
    st.switch_page("app_pages/project.py", query_params={"project": pick})

districts.render(f)

scorecard.render_overview(f)

st.plotly_chart(charts.score_vs_execution(df, t), width="stretch")
