"""Draws what a project's report states beyond its scores (perfeval.views.project_sections) as four tabs:
产出 / 问题与建议 / 报告结论 / 其他数据. Streamlit only; the page model made every text."""
from __future__ import annotations

import streamlit as st

from perfeval.ui import common, state
from perfeval.views import project_sections


def draw(project_id: str) -> None:
    """The tabs of ``project_id`` (the page model is cached per project and language)."""
    t = state.tr()
    v = state.model(project_sections.build, project_id=project_id, lang=state.lang())
    st.subheader(t("报告所述：产出、问题与建议、结论及其他数据",
                   "What the report states: outputs, findings, conclusion and other figures"))
    outputs, findings, concl, facts = st.tabs(v["tabs"])
    with outputs:
        o = v["outputs"]
        if o["table"] is None:
            st.info(o["info"])
        else:
            st.caption(o["caption"])
            common.table(o["table"], key=f"outputs_{project_id}", column_config={
                "output_id": t("编号", "Id"), "group_s": t("分组", "Group"), "item_s": t("内容", "Item"),
                "unit_s": t("单位", "Unit"), "planned_s": t("计划数", "Planned"), "actual_s": t("实际数", "Actual"),
                "done_s": t("完成率", "Done"), "status_s": t("状态", "Status")})
    with findings:
        f = v["findings"]
        if f["info"]:
            st.info(f["info"])
        for heading, lines in f["groups"]:
            st.markdown(f"**{heading}**")
            st.markdown("\n".join(f"- {line}" for line in lines))
        if f["missing"]:
            st.caption(f["missing"])
    with concl:
        c = v["conclusion"]
        for label, value in c["items"]:
            st.markdown(f"**{label}**：{value}")
        st.caption(t("来源：", "Source: ") + c["source"])
    with facts:
        x = v["facts"]
        if x["table"] is None:
            st.info(x["info"])
        else:
            common.table(x["table"], key=f"facts_{project_id}", column_config={
                "figure_id": t("编号", "Id"), "label_s": t("报告中的名称", "Label in the report"),
                "value_s": t("数值", "Value"), "scope_s": t("范围", "Scope"),
                "quote_s": st.column_config.TextColumn(t("报告原文", "The report's words"), width="large")})
