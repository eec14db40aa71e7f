"""总览 Overview: the portfolio's KPIs, the ranked projects and score against execution.

What it draws is made by perfeval.ui.ranking, districts and scorecard and kept by `state.memo`."""
import streamlit as st

from perfeval.ui import common, deck, districts, plot, ranking, scorecard, state

t = state.tr()
lang = state.lang()
f = state.filters()
state.write_url()
# a rerun, or another visitor with the same filters, takes all of it from the cache
# (the URL's parameters: the filters, which the table's links also carry)
v = state.memo("overview.ranked", lambda: ranking.ranked(f, t, lang),
               tuple(sorted(state.global_params().items())))

common.page_header(t("项目绩效评价总览", "Portfolio of evaluated projects"), kinds=v["kinds"])
if not v["n"]:
    st.info(t("当前筛选条件下没有项目。", "No project matches the filters."))
    st.stop()

deck.portfolio_button(f)
for items, helps in zip(v["kpis"], v["kpi_help"]):
    common.kpi_row(items, helps)
st.caption(v["grades"])

st.subheader(t("项目排名", "Ranked projects"))
st.dataframe(
    v["table"],
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
if v["notes"]:
    st.caption(v["notes"])
names = v["names"]
c1, c2 = st.columns([3, 1])
pick = c1.selectbox(t("打开项目详情", "Open a project"), list(names), format_func=names.get, key="w_open")
if c2.button(t("打开", "Open"), key="open_project"):
    st.switch_page("app_pages/project.py", query_params={"project": pick})

districts.render(f)

scorecard.render_overview(f)

plot.chart(v["scatter"])
