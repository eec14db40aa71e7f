"""总览 Overview: the portfolio's KPIs, the ranked projects, the districts, where points are lost and score
against execution. What it draws is made by the page model perfeval.views.overview."""
import streamlit as st

from perfeval.text import glossary as terms
from perfeval.ui import common, deck, plot, state
from perfeval.views import overview

t = state.tr()
args = {"filters": state.filters(), "lang": state.lang()}
state.write_url()
v = state.model(overview.ranked, links=state.links(), **args)

common.page_header(t("项目绩效评价总览", "Portfolio of evaluated projects"), kinds=v["kinds"])
if not v["n"]:
    st.info(t(terms.NO_PROJECT_MATCHES))
    st.stop()

deck.portfolio_button(args["filters"])
for items, helps in zip(v["kpis"], v["kpi_help"]):
    common.kpi_row(items, helps)
st.caption(v["grades"])

st.subheader(t("项目排名", "Ranked projects"))
common.table(
    v["table"],
    column_config={
        "rank": st.column_config.NumberColumn(t(terms.RANK)),
        "name": st.column_config.TextColumn(t(terms.PROJECT), width="large"),
        "link": st.column_config.LinkColumn(t(terms.DETAILS), display_text=t(terms.OPEN)),
        "region": t(terms.REGION),
        "category_s": t(terms.CATEGORY),
        "score_s": st.column_config.TextColumn(t(terms.SCORE), alignment="right"),
        "grade_s": t(terms.GRADE),
        "budget_s": st.column_config.TextColumn(t(terms.BUDGET_WAN), alignment="right"),
        "spent_s": st.column_config.TextColumn(t("支出（万元）", "Spent (10k CNY)"), alignment="right"),
        "execution_s": st.column_config.TextColumn(t(terms.EXECUTION), alignment="right"),
        "evaluator_s": t("评价方式", "Evaluator"),
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

# -- districts: ranking, grades, the districts that lag, budget vs spent -----------------------------------
d = state.model(overview.districts, links=state.links(), **args)
st.subheader(t("地区对比", "Districts"))
if "table" not in d:  # fewer than two regions
    st.caption(t("当前筛选范围内不足两个地区，无法对比。", "Fewer than two regions in the filters: nothing to compare."))
else:
    st.markdown(f"[{d['compare_text']}]({d['compare_link']})")
    common.table(d["table"], column_config={
        "rank": st.column_config.NumberColumn(t(terms.RANK)),
        "unit_label": t(terms.REGION),
        "projects": st.column_config.NumberColumn(t(terms.PROJECTS)),
        "years": t("年度", "Years"),
        "mean_s": st.column_config.TextColumn(t(terms.MEAN_SCORE), alignment="right"),
        "grades": t(terms.GRADES),
        "budget_s": st.column_config.TextColumn(t(terms.BUDGET_WAN), alignment="right"),
        "spent_s": st.column_config.TextColumn(t("支出（万元）", "Spent (10k CNY)"), alignment="right"),
        "exec_s": st.column_config.TextColumn(t(terms.EXECUTION), alignment="right"),
    })
    st.caption(t("按平均报告总分排序；执行率 = Σ实际支出 ÷ Σ到位资金（仅计两项均披露的项目）。",
                 "Ranked by the mean reported score; execution = Σ spent ÷ Σ received over projects reporting both."))
    # the lagging districts sit here, above the charts, but are worked out after the charts are drawn:
    # their query (every district's level-1 scores) is the section's slowest, so the charts show first
    lag_box = st.container()
    lag_box.markdown("**" + t("落后地区（及落后方面）", "Districts that lag (and on what)") + "**")
    c1, c2 = st.columns(2)
    plot.chart(d["grades_chart"], where=c1)
    plot.chart(d["budget_chart"], where=c2)
    if d["charted_note"]:
        st.caption(d["charted_note"])
    lag = state.model(overview.lagging, **args)
    with lag_box:
        if lag["lines"]:
            st.markdown("\n".join(f"- {line}" for line in lag["lines"]))
            if lag["more"]:
                st.caption(lag["more"])
            st.caption(t(f"落后：低于同类地区中位数 {overview.LAG_GAP * 100:.0f} 个百分点以上，或低于四分位距下限（离群）；"
                         "同类地区不足 3 个的方面不判断。",
                         f"Lagging: more than {overview.LAG_GAP * 100:.0f} percentage points below the median of the "
                         "regions, or below the interquartile fence (outlier); not judged with fewer than 3 regions."))
        else:
            st.caption(t("没有明显落后的地区（或可比地区不足 3 个）。",
                         "No region lags clearly (or fewer than 3 regions compare)."))

# -- where points are lost ----------------------------------------------------------------------------------
p = state.model(overview.points_lost, **args)
st.subheader(t("失分在哪里（所选项目）", "Where points are lost (selected projects)"))
if p["empty"]:
    st.info(t("当前筛选条件下没有可分析的指标得分。", "No indicator scores among the selected projects."))
else:
    c1, c2 = st.columns(2)
    plot.chart(p["l1"], key="sc_portfolio_l1", where=c1)
    plot.chart(p["indicators"], key="sc_portfolio_ind", where=c2)
    if p["note"]:
        st.caption(p["note"])
    st.caption(t("失分 = 分值 − 报告得分；一级指标按名称跨指标体系归并（如“决策”与“项目决策”）。",
                 "Points lost = weight − reported score; level-1 dimensions are matched across frameworks by "
                 "name (决策 and 项目决策 are both Decision)."))

plot.chart(v["scatter"])
