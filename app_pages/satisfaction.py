"""满意度 Satisfaction: questionnaires issued and valid, awareness and satisfaction with their 95 % margin of
error (normal approximation over the valid questionnaires), the 5-level distribution where a report gives it,
and a comparison across the selected projects with 未开展 / 未披露 where a project has no survey. What it
draws is made by the page model perfeval.views.satisfaction.

Deep link: ``satisfaction?project=<project_id>`` focuses on one project.
"""
import streamlit as st

from perfeval.text import glossary as terms
from perfeval.ui import common, plot, project_focus, state
from perfeval.views import capped, satisfaction

t = state.tr()
projects = project_focus.selected_projects("满意度", "Satisfaction")

header = st.container()
pid = project_focus.pick(projects, "w_satisfaction_project")
state.write_url({"project": pid})
with header:
    h = project_focus.header("满意度", "Satisfaction", pid)
    common.page_header(h["title"], kinds=h["kinds"])

v = state.model(satisfaction.build, filters=state.filters(), project_id=pid, lang=state.lang(), links=state.links(),
                max_rows=capped.MAX_ROWS)

# -- one project: the survey in detail ------------------------------------------------------------------
for s in v["surveys"]:
    if s["none"]:
        st.info(s["none"])
        continue
    st.subheader(s["title"])
    if s["who"]:
        st.caption(s["who"])
    for items, helps in zip(s["kpis"], s["kpi_help"]):
        common.kpi_row(items, helps)
    if s["no_interval"]:
        st.info(s["no_interval"])
    else:
        st.caption(s["interval"])
    if s["valid_check"]:
        st.caption(s["valid_check"])
    if s["distribution"]:
        chart, table = s["distribution"]
        plot.chart(chart)
        st.dataframe(table, hide_index=True)
    else:
        st.caption(s["no_distribution"])
    if s["conclusion"]:
        st.markdown(s["conclusion"])
    if s["quote"]:
        with st.expander(t("报告原文", "The report's words")):
            st.markdown(f"> {s['quote']}")

# -- comparison ----------------------------------------------------------------------------------------------
st.subheader(v["heading"])
if v["status_kpis"]:
    common.kpi_row(v["status_kpis"])
if v["chart"]:
    plot.chart(v["chart"])
    if v["chart_note"]:
        st.caption(v["chart_note"])
if v["method"]:
    st.caption(v["method"])
common.table(v["table"], column_config={
    "short_name": t(terms.PROJECT),
    "link": st.column_config.LinkColumn(t(terms.DETAILS), display_text=t(terms.FOCUS)),
    "status": t("调查情况", "Survey"), "issued": t("发放", "Issued"), "valid": t("有效", "Valid"),
    "valid_rate": t("有效率", "Valid rate"), "awareness": t("知晓率（±95%）", "Awareness (±95%)"),
    "satisfaction": t("满意度（±95%）", "Satisfaction (±95%)"), "wilson": t("Wilson 区间", "Wilson interval"),
    "score": t("满意度评分", "Score")})
if v["capped_note"]:
    st.caption(v["capped_note"])
