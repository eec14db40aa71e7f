"""成效指标 Outcomes: the reports' outcome figures as cards (qualifiers kept), year trends coloured by each
metric's direction, figures per 万元 spent and per 10 000 residents, and targets against actuals. What it
draws is made by the page model perfeval.views.outcomes.

Deep link: ``outcomes?project=<project_id>`` focuses on one project.
"""
import streamlit as st

from perfeval.text import glossary as terms
from perfeval.ui import common, plot, project_focus, state
from perfeval.views import capped, outcomes

t = state.tr()
args = {"filters": state.filters(), "lang": state.lang()}
projects = project_focus.selected_projects("成效指标", "Outcomes")

header = st.container()
pid = project_focus.pick(projects, "w_outcomes_project")
state.write_url({"project": pid})
with header:
    h = project_focus.header("成效指标", "Outcomes", pid)
    common.page_header(h["title"], kinds=h["kinds"])

c = state.model(outcomes.categories, project_id=pid, **args)
if c["empty"]:
    st.info(c["empty"])
else:
    cats = c["categories"]
    chosen = st.pills(t(terms.CATEGORY), cats, selection_mode="multi", default=cats, key="w_outcomes_cats",
                      format_func=c["labels"].get) or cats
    v = state.model(outcomes.figures, project_id=pid, categories=tuple(chosen), max_rows=capped.MAX_ROWS, **args)

    # -- cards -------------------------------------------------------------------------------------------
    for label, rows in v["card_groups"]:
        st.subheader(label)
        for row in rows:
            for col, k in zip(st.columns(3), row):
                box = col.container(border=True)
                box.metric(k["label"], k["value"], delta=k["delta"], delta_color=k["delta_color"],
                           delta_arrow=k["delta_arrow"], chart_data=k["series"], chart_type="line", help=k["help"])
                if k["period"]:
                    box.caption(k["period"])
    for note in v["card_notes"]:
        st.caption(note)

    # -- trends ------------------------------------------------------------------------------------------
    if v["trends"]:
        st.subheader(t("逐年变化", "Year by year"))
        plot.chart(v["trends"])
        st.caption(v["trends_note"])

    # -- normalised --------------------------------------------------------------------------------------
    st.subheader(t("折算：每万元支出、每万人", "Per 10k CNY spent and per 10 000 residents"))
    common.table(v["table"], column_config={
        "short_name": t(terms.PROJECT), "metric": t("指标", "Metric"), "period": t("期间", "Period"),
        "value_s": t("数值", "Value"), "per_wan_s": t("每万元支出", "Per 10k CNY spent"),
        "basis_s": t("支出口径", "Spending basis"), "per_10k_s": t("每万人", "Per 10 000 residents"),
        "source_s": t("来源类型", "Source kind")})
    st.caption(v["table_note"])
    if v["capped_note"]:
        st.caption(v["capped_note"])

if c["without"]:
    st.caption(c["without"])

# -- targets --------------------------------------------------------------------------------------------------
st.subheader(t("绩效目标与完成情况", "Targets and what was achieved"))
g = state.model(outcomes.targets, project_id=pid, max_rows=capped.MAX_ROWS, **args)
if g["empty"]:
    st.info(g["empty"])
else:
    common.kpi_row(g["kpis"], g["kpi_help"])
    if g["chart"]:
        plot.chart(g["chart"])
    common.table(g["table"], column_config={
        "short_name": t(terms.PROJECT), "name": t(terms.TARGET), "subproject_id": t("子项目", "Sub-project"),
        "year_s": t(terms.YEAR),
        "target_s": t("目标值", "Target value"), "actual_s": t("实际完成", "Actual"), "verdict_s": t(terms.VERDICT),
        "category": t("目标类别", "Group")})
    if g["capped_note"]:
        st.caption(g["capped_note"])
    if g["disagree"]:
        st.warning(g["disagree"])
