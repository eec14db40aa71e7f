"""项目详情 Project: one project's facts and sources, total score and grade, level-1 breakdown, its scorecard
(reported against recomputed scores with each rule's reason, where the points went) and the audit of the
report's numbers. What it draws is made by the page model perfeval.views.project.

Deep link: ``project?project=<project_id>``.
"""
import streamlit as st

from perfeval.text import glossary as terms
from perfeval.ui import common, deck, plot, project_focus, project_sections, state
from perfeval.views import project

t = state.tr()
lang = state.lang()
pid = project_focus.pick_project("w_project")
st.session_state["f_project"] = pid
state.write_url({"project": pid})

v = state.model(project.facts, project_id=pid, lang=lang)
common.page_header(v["title"], kinds=v["kinds"])
deck.project_button(pid)

common.kpi_row(v["kpis"])
if v["as_of"]:
    st.caption(v["as_of"])

with st.expander(t("项目基本信息与来源", "Facts and source"), expanded=True):
    cols = st.columns(2)
    for i, (label, value) in enumerate(v["facts"]):
        cols[i % 2].markdown(f"**{label}**：{value}")
    if v["note"]:
        st.caption(v["note"])

st.subheader(t("一级指标得分", "Level-1 scores"))
l1 = v["level1"]
if l1["empty"]:
    st.info(l1["info"])
else:
    for note in (l1["partial"], l1["derived"]):
        if note:
            st.caption(note)
    plot.chart(l1["chart"])
    common.table(l1["table"],
                 column_config={"code": t(terms.CODE), "name": t("一级指标", "Indicator"),
                                "weight_s": t(terms.WEIGHT), "score_s": t("得分", "Score"),
                                "rate_s": t(terms.SCORE_RATE)})

# -- the scorecard: the indicator tree, reported against recomputed, where the points went ------------------
sc = state.model(project.scorecard_section, project_id=pid, lang=lang)
st.subheader(t("评分卡：指标得分与重算", "Scorecard: indicator scores, recomputed"))
if sc["only_total"]:
    st.info(sc["only_total"])
for caption in sc["captions"]:
    st.caption(caption)
c1, c2 = st.columns([3, 2])
plot.chart(sc["treemap"], key=f"sc_tree_{pid}", where=c1)
plot.chart(sc["points_lost"], key=f"sc_lost_{pid}", where=c2)
if sc["table"] is not None:
    common.table(sc["table"], key=f"sc_table_{pid}", height=sc["table_height"],
                 column_config={
                     "code": t(terms.CODE),
                     "name": st.column_config.TextColumn(t("指标", "Indicator"), width="medium"),
                     "weight": t(terms.WEIGHT), "reported": t("报告得分", "Reported"),
                     "recomputed": t("重算得分", "Recomputed"), "rate": t(terms.SCORE_RATE),
                     "check": st.column_config.TextColumn(t("一致", "Agrees"), width="small"),
                     "method": t("方式", "How"),
                     "reason": st.column_config.TextColumn(t("评分依据（规则）", "Rule and reason"), width="large"),
                     "basis": st.column_config.TextColumn(t("输入来源", "Where the inputs come from"), width="medium"),
                 })
    if sc["star_note"]:
        st.caption(sc["star_note"])

# -- the audit of the report's numbers -------------------------------------------------------------------------
st.subheader(t("报告数值复核", "Audit of the report's numbers"))
if sc["clean"]:
    st.success(sc["clean"])
else:
    st.caption(sc["severities"])
    st.markdown("\n".join(f"- {line}" for line in sc["findings"]))
if sc["unchecked"]:
    title, lines = sc["unchecked"]
    with st.expander(title):
        st.markdown(lines)

# -- what the report states beyond its scores: outputs, findings, its conclusion, other figures -------------
project_sections.draw(pid)

for col, (page, label) in zip(st.columns(3), v["related"]):
    col.page_link(page, label=label, query_params={"project": pid, **state.global_params()})
