"""The scorecard section of the Project page: the indicator tree, reported against recomputed scores with each
rule's reason, where the points went, the audit's findings. What it shows is made by perfeval.views.scorecard
(the audit as a page model, cached per project, scope and data version).
"""
from __future__ import annotations

import streamlit as st

from perfeval.charts import scorecard as charts_scorecard
from perfeval.domain import audit
from perfeval.text import fmt
from perfeval.ui import plot, state
from perfeval.views import scorecard


def render_project(project_id: str) -> None:
    """Draw the scorecard of one project: tree, table, where the points went, audit findings."""
    t = state.tr()
    lang = state.lang()
    frames = state.model(scorecard.audit_frames, project_id=project_id)
    trees = frames["trees"]
    tree = trees[trees["project_id"] == project_id].drop(columns="project_id") if not trees.empty else trees
    totals = frames["totals"]
    total = totals.iloc[0].to_dict() if not totals.empty else {}
    findings = frames["findings"]
    rules = state.query("scorecard_indicators", project_id=project_id)

    st.subheader(t("评分卡：指标得分与重算", "Scorecard: indicator scores, recomputed"))
    if tree.empty:
        st.info(t("报告只给出总分，未披露指标明细（未披露）；总分按报告沿用（人工评分）。",
                  "The report gives only the total (indicators not reported); the total is kept as given (manual)."))
    else:
        n_leaf = int(tree["is_leaf"].sum())
        n_rule = int((tree["is_leaf"] & (tree["method"] == "rule")).sum())
        n_manual = int((tree["is_leaf"] & (tree["method"] == "manual")).sum())
        if n_rule:
            same = int((tree["is_leaf"] & (tree["method"] == "rule")
                        & ((tree["recomputed_score"] - tree["reported_score"]).abs() <= audit.SCORE_TOL)).sum())
            st.caption(t(f"{n_leaf} 个末级指标中 {n_rule} 个按评分规则和报告数据重算，其中 {same} 个与报告得分一致；"
                         f"总分重算为 {fmt.score(total.get('recomputed'), lang)}（报告 {fmt.score(total.get('reported'), lang)}）。",
                         f"{n_rule} of {n_leaf} leaf indicators recomputed from their rules and the report's data, "
                         f"{same} agreeing with the reported score; total recomputed "
                         f"{fmt.score(total.get('recomputed'), lang)} (reported {fmt.score(total.get('reported'), lang)})."))
        if n_manual:
            st.caption(t(f"{n_manual} 个指标为人工评分：报告未公开其评分细则，得分按报告沿用，不重算。",
                         f"{n_manual} indicators are manual: the report does not publish their rules, so the "
                         f"reported scores are kept, not recomputed."))
    c1, c2 = st.columns([3, 2])
    plot.chart(charts_scorecard.indicator_treemap(tree, t, total.get("reported")),
               key=f"sc_tree_{project_id}", where=c1)
    plot.chart(charts_scorecard.points_lost_bars(tree, t), key=f"sc_lost_{project_id}", where=c2)
    if not tree.empty:
        table = scorecard.scorecard_table(tree, rules, lang)
        st.dataframe(table, hide_index=True, width="stretch", key=f"sc_table_{project_id}",
                     height=38 + 35 * min(len(table), 40), column_config={
            "code": t("编码", "Code"), "name": st.column_config.TextColumn(t("指标", "Indicator"), width="medium"),
            "weight": t("分值", "Weight"), "reported": t("报告得分", "Reported"),
            "recomputed": t("重算得分", "Recomputed"), "rate": t("得分率", "Score rate"),
            "check": st.column_config.TextColumn(t("一致", "Agrees"), width="small"),
            "method": t("方式", "How"), "reason": st.column_config.TextColumn(t("评分依据（规则）", "Rule and reason"),
                                                                          width="large"),
            "basis": st.column_config.TextColumn(t("输入来源", "Where the inputs come from"), width="medium"),
        })
        if table["weight"].str.endswith("*").any() or table["reported"].str.endswith("*").any():
            st.caption(t("“*”：报告未直接给出，为下级指标之和（计算值）。",
                         "“*”: not stated in the report, the sum of the indicators below (computed)."))

    st.subheader(t("报告数值复核", "Audit of the report's numbers"))
    mine = findings[findings["project_id"] == project_id] if not findings.empty else findings
    if mine.empty:
        st.success(t("未发现不一致：得分、合计、比率与结论均与报告数据相符。",
                     "No inconsistency found: scores, sums, rates and conclusions agree with the report's data."))
    else:
        counts = mine["severity"].value_counts()
        st.caption("　".join(f"{scorecard.SEVERITY_ICON[s]} {scorecard.SEVERITY_LABEL[s][0 if lang == 'zh' else 1]} {int(counts.get(s, 0))}"
                            for s in audit.SEVERITIES))
        st.markdown("\n".join(f"- {line}" for line in scorecard.findings_markdown(mine, lang)))
    unchecked = frames["unchecked"]
    mine_u = unchecked[unchecked["project_id"] == project_id] if not unchecked.empty else unchecked
    if not mine_u.empty:
        with st.expander(t(f"未能复核的报告数值（{len(mine_u)} 项）", f"Stated figures not checkable ({len(mine_u)})")):
            st.markdown("\n".join(
                f"- {u['figure_id']} `{u['figure']}` [{u['scope']}] = {fmt.number(u['value'], 4, lang)}："
                f"{u['reason_zh'] if lang == 'zh' else u['reason_en']}" for u in mine_u.to_dict("records")))
