"""The scorecard sections of the Project and Overview pages: the indicator tree, reported against
recomputed scores with each rule's reason, where the points went, the audit's findings; and across the
portfolio, where points are lost and how many findings each project has.

Data comes through `state.query` (cached per viewer scope and data version); scoring and checks are the
pure functions of `perfeval.scoring` / `perfeval.audit`, figures those of `perfeval.charts_scorecard`.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from perfeval import audit, charts_scorecard, fmt, scoring
from perfeval.ui import plot, state

SEVERITY_ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}
SEVERITY_LABEL = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "note")}


def _grade_bands() -> pd.DataFrame:
    return state.query("scorecard_grade_bands")


@st.cache_data(show_spinner=False, max_entries=128)
def _audit_frames(project_id: str | None, scope_key: tuple, version: str) -> dict[str, pd.DataFrame]:
    # scope_key and version are in the key: who asks and what the files hold change the answer
    data = audit.load_projects(state.query, project_id, _grade_bands())
    results = [audit.audit_project(d) for d in data]
    trees = [r.tree.assign(project_id=r.project_id) for r in results if not r.tree.empty]
    unchecked = [u.__dict__ for r in results for u in r.unchecked]
    totals = []
    for d, r in zip(data, results):
        ev = scoring.total_evaluation(r.tree, d.project.get("reported_total_score"))
        totals.append({"project_id": r.project_id, "reported": d.project.get("reported_total_score"),
                       "reported_grade": d.project.get("reported_grade"), "recomputed": ev.score,
                       "recomputed_grade": scoring.grade_of(ev.score, d.bands), "method": ev.method,
                       "reason_zh": ev.reason_zh, "reason_en": ev.reason_en})
    return {
        "findings": audit.findings_frame(results),
        "counts": audit.findings_count(results),
        "trees": pd.concat(trees, ignore_index=True) if trees else pd.DataFrame(columns=scoring.TREE_COLUMNS),
        "unchecked": pd.DataFrame(unchecked),
        "totals": pd.DataFrame(totals),
    }


def audit_frames(project_id: str | None = None) -> dict[str, pd.DataFrame]:
    """The audit of one project (or of every visible project): findings, counts, recomputed trees,
    unchecked figures and totals, as DataFrames."""
    return _audit_frames(project_id, state.scope().key(), state.gate().version())


# -- Project page ------------------------------------------------------------------------------------------

def scorecard_table(tree: pd.DataFrame, rules: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table the page shows: one row per indicator, numbers formatted, "未披露" for what is not given.

    ``rules`` (scorecard_indicators rows) adds each rule's ``basis``. Weight and scores in 分.
    """
    basis = dict(zip(rules["code"], rules["basis"])) if rules is not None and "basis" in rules else {}
    rows = []
    for r in tree.to_dict("records"):
        level = int(r["level"]) if not fmt.is_missing(r["level"]) else 1
        name = (r["name_en"] if lang == "en" and isinstance(r["name_en"], str) and r["name_en"] else r["name"])
        derived_w = fmt.is_missing(r["weight"]) and not fmt.is_missing(r["weight_effective"])
        derived_s = fmt.is_missing(r["reported_score"]) and not fmt.is_missing(r["reported_effective"])
        method_zh, method_en = scoring.METHODS.get(r["method"], (r["method"], r["method"]))
        b = basis.get(r["code"])
        rows.append({
            "code": r["code"],
            "name": "　" * (level - 1) + str(name),
            "weight": fmt.score(r["weight_effective"], lang) + ("*" if derived_w else ""),
            "reported": fmt.score(r["reported_effective"], lang) + ("*" if derived_s else ""),
            "recomputed": fmt.score(r["recomputed_score"], lang),
            "rate": fmt.pct(r["reported_rate"], lang),
            "check": _check_mark(r),
            "method": method_zh if lang == "zh" else method_en,
            "reason": r["reason_zh"] if lang == "zh" else r["reason_en"],
            "basis": b if isinstance(b, str) else "",
        })
    return pd.DataFrame(rows, columns=["code", "name", "weight", "reported", "recomputed", "rate", "check",
                                       "method", "reason", "basis"])


def _check_mark(r: dict) -> str:
    if r["method"] not in ("rule", "sum") or fmt.is_missing(r["recomputed_score"]) or fmt.is_missing(r["reported_score"]):
        return ""
    return "✓" if abs(float(r["recomputed_score"]) - float(r["reported_score"])) <= audit.SCORE_TOL else "≠"


def findings_markdown(findings: pd.DataFrame, lang: str) -> list[str]:
    """One markdown line per finding: severity, check, subject, explanation."""
    out = []
    for f in findings.to_dict("records"):
        zh, en = SEVERITY_LABEL[f["severity"]]
        check = f["check_zh"] if lang == "zh" else f["check_en"]
        text = f["explanation_zh"] if lang == "zh" else f["explanation_en"]
        subject = str(f["subject"]).split()[0]  # F23, B12, T11-2022, total: the row to look up
        if lang == "zh":
            out.append(f"{SEVERITY_ICON[f['severity']]} **{zh} · {check}**（{subject}）：{text}")
        else:
            out.append(f"{SEVERITY_ICON[f['severity']]} **{en} · {check}** ({subject}): {text}")
    return out


def render_project(project_id: str) -> None:
    """Draw the scorecard of one project: tree, table, where the points went, audit findings."""
    t = state.tr()
    lang = state.lang()
    frames = audit_frames(project_id)
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
        table = scorecard_table(tree, rules, lang)
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
        st.caption("　".join(f"{SEVERITY_ICON[s]} {SEVERITY_LABEL[s][0 if lang == 'zh' else 1]} {int(counts.get(s, 0))}"
                            for s in audit.SEVERITIES))
        st.markdown("\n".join(f"- {line}" for line in findings_markdown(mine, lang)))
    unchecked = frames["unchecked"]
    mine_u = unchecked[unchecked["project_id"] == project_id] if not unchecked.empty else unchecked
    if not mine_u.empty:
        with st.expander(t(f"未能复核的报告数值（{len(mine_u)} 项）", f"Stated figures not checkable ({len(mine_u)})")):
            st.markdown("\n".join(
                f"- {u['figure_id']} `{u['figure']}` [{u['scope']}] = {fmt.number(u['value'], 4, lang)}："
                f"{u['reason_zh'] if lang == 'zh' else u['reason_en']}" for u in mine_u.to_dict("records")))


# -- Overview ------------------------------------------------------------------------------------------------

def findings_counts(project_ids) -> pd.DataFrame:
    """Audit findings per project for the ranked table: project_id, error, warning, info, findings."""
    counts = audit_frames(None)["counts"]
    ids = list(project_ids)
    out = pd.DataFrame({"project_id": ids}).merge(counts, on="project_id", how="left")
    return out


def findings_label(row: dict, lang: str) -> str:
    """"🔴 2 🟠 1" style summary of a project's findings; "—" for none, "未披露" if not audited."""
    if fmt.is_missing(row.get("findings")):
        return fmt.not_reported(lang)
    if not row["findings"]:
        return "✓"
    return " ".join(f"{SEVERITY_ICON[s]}{int(row[s])}" for s in audit.SEVERITIES if row[s])


def overview_view(filters, t) -> dict:
    """What the overview's points-lost section draws: the two charts' specs and the note on projects
    without a breakdown (kept by `state.memo`; nothing here draws)."""
    # aggregated in DuckDB: a tree per project in Python took 11 s for 1 000 projects (bench profile)
    by_l1 = state.query("portfolio_points_lost_level1", **filters.params())
    by_ind = state.query("portfolio_points_lost_indicators", **filters.params())
    nb = state.query("portfolio_not_broken_down", **filters.params())
    if by_l1.empty and nb.empty:
        return {"empty": True}
    note = None
    if not nb.empty:
        shown = nb["short_name"].astype(str).head(10).tolist()
        names = "、".join(shown) + ("等" if len(nb) > len(shown) else "")
        lost = nb["points_lost"].dropna().sum()
        note = t(f"{len(nb)} 个项目只披露总分、未披露分项（{names}），不计入上图；其失分合计 {fmt.score(lost)} 分。",
                 f"{len(nb)} projects give only a total, no breakdown ({names}); they are not in the charts "
                 f"above (together {fmt.score(lost, 'en')} points lost).")
    return {"empty": False, "l1": plot.spec(charts_scorecard.level1_points_lost(by_l1, t)),
            "indicators": plot.spec(charts_scorecard.indicator_points_lost(by_ind, t)), "note": note}


def render_overview(filters) -> None:
    """Draw where points are lost across the selected projects (by level-1 dimension and by indicator)."""
    t = state.tr()
    v = state.memo("overview.points_lost", lambda: overview_view(filters, t), tuple(filters.params().items()))
    st.subheader(t("失分在哪里（所选项目）", "Where points are lost (selected projects)"))
    if v["empty"]:
        st.info(t("当前筛选条件下没有可分析的指标得分。", "No indicator scores among the selected projects."))
        return
    c1, c2 = st.columns(2)
    plot.chart(v["l1"], key="sc_portfolio_l1", where=c1)
    plot.chart(v["indicators"], key="sc_portfolio_ind", where=c2)
    if v["note"]:
        st.caption(v["note"])
    st.caption(t("失分 = 分值 − 报告得分；一级指标按名称跨指标体系归并（如“决策”与“项目决策”）。",
                 "Points lost = weight − reported score; level-1 dimensions are matched across frameworks by "
                 "name (决策 and 项目决策 are both Decision)."))
