"""成效指标 Outcomes: the reports' outcome figures as cards (qualifiers kept), year trends coloured by each
metric's direction, figures per 万元 spent and per 10 000 residents, and targets against actuals.

Deep link: ``outcomes?project=<project_id>`` focuses on one project.
"""
import streamlit as st

from perfeval.charts import outcomes as charts_outcomes
from perfeval.domain import outcomes
from perfeval.domain.survey import missing
from perfeval.ui import common, plot, project_focus, state
from perfeval.views import capped

MAX_CARD_PROJECTS = 3   # beyond this, a table compares the projects instead of a wall of cards
MAX_TREND_SERIES = 12
MAX_NAMES = 20          # project names listed in a caption

t = state.tr()
lang = state.lang()
f = state.filters()
projects = project_focus.selected_projects("成效指标", "Outcomes")

header = st.container()
pid = project_focus.pick(projects, "w_outcomes_project")
state.write_url({"project": pid})
sel, one = project_focus.focus(projects, pid)
with header:
    common.page_header(t("成效指标", "Outcomes") + (f" · {t.pick(one, 'name', 'name_en')}" if one else ""), sel)

# what the selection reports, per category (SQL); the figures themselves only as many as the table lists
summary = state.query("outcomes_summary", **f.params(), project_id=pid)
missing_names = state.query("outcomes_projects_without", **f.params(), project_id=pid, limit=MAX_NAMES + 1)
if summary.empty:
    without = list(sel["short_name"].head(MAX_NAMES + 1))
    n_without = len(sel)
else:
    without = list(missing_names["short_name"])
    n_without = int(missing_names["names"].iloc[0]) if len(missing_names) else 0
if summary.empty:
    st.info(t("所选项目的报告未披露成效指标（未披露）。", "The selected projects' reports give no outcome figures (not reported)."))
else:
    cats = [c for c in outcomes.CATEGORY_ORDER if c in set(summary["category"].dropna())]
    chosen = st.pills(t("类别", "Category"), cats, selection_mode="multi", default=cats, key="w_outcomes_cats",
                      format_func=lambda c: outcomes.category_label(c, lang)) or cats
    shown = state.query("outcomes_values", **f.params(), project_id=pid, categories=list(chosen),
                        limit=capped.MAX_ROWS)
    n_figures = int(shown["figures"].iloc[0]) if len(shown) else 0
    n_projects = int(shown["projects"].iloc[0]) if len(shown) else 0
    if len(shown) < n_figures and n_projects <= MAX_CARD_PROJECTS:  # cards need every figure of their projects
        shown = state.query("outcomes_values", **f.params(), project_id=pid, categories=list(chosen),
                            limit=n_figures)

    # -- cards -------------------------------------------------------------------------------------------
    if n_projects <= MAX_CARD_PROJECTS:
        cards = outcomes.cards(shown, lang, with_project=n_projects > 1)
        for cat in [c for c in outcomes.CATEGORY_ORDER if any(k["category"] == c for k in cards)]:
            st.subheader(outcomes.category_label(cat, lang))
            group = [k for k in cards if k["category"] == cat]
            for i in range(0, len(group), 3):
                cols = st.columns(3)
                for col, k in zip(cols, group[i:i + 3]):
                    box = col.container(border=True)
                    box.metric(k["label"], k["value"], delta=k["delta"], delta_color=k["delta_color"],
                               delta_arrow=k["delta_arrow"], chart_data=k["series"], chart_type="line",
                               help=k["help"])
                    if k["period"]:
                        box.caption(k["period"])
        st.caption(t("数值保留报告原文的“约 / 近 / 余 / 大于”；鼠标悬停在 ⓘ 上可见报告原文。增减颜色按指标方向："
                     "排名、发案数等越低越好的指标，下降显示为绿色。",
                     "Values keep the reports' qualifiers (about / nearly / over / more than); hover ⓘ for the "
                     "report's words. Change colours follow each metric's direction: for a rank or a case count, "
                     "a fall is green."))
        multi = outcomes.multiple_statements(shown)
        if len(multi):
            st.caption(t("同一指标、同一期间报告给出了多个数值（如两处写法不一致，或分属不同服务），按原文逐一列出，不相加。",
                         "Where a report gives one metric more than one value for one period (two wordings, or "
                         "parts kept apart), each is listed as written, never added up."))
    else:
        st.caption(t(f"所选 {n_projects} 个项目的成效数值见下表（卡片只在 {MAX_CARD_PROJECTS} 个项目以内显示）。",
                     f"The {n_projects} selected projects' figures are in the table below (cards show for up to "
                     f"{MAX_CARD_PROJECTS} projects)."))

    # -- trends ------------------------------------------------------------------------------------------
    trend_rows = state.query("outcomes_trends", **f.params(), project_id=pid, categories=list(chosen),
                             limit=MAX_TREND_SERIES)
    if len(trend_rows):
        n_series = int(trend_rows["series"].iloc[0])
        st.subheader(t("逐年变化", "Year by year"))
        plot.chart(charts_outcomes.trend_grid(trend_rows, t, with_project=n_projects > 1))
        st.caption(charts_outcomes.trend_legend(t)
                   + (t(f"（仅显示前 {MAX_TREND_SERIES} 组，共 {n_series} 组）", f" (first {MAX_TREND_SERIES} of {n_series} shown)")
                      if n_series > MAX_TREND_SERIES else ""))

    # -- normalised --------------------------------------------------------------------------------------
    st.subheader(t("折算：每万元支出、每万人", "Per 10k CNY spent and per 10 000 residents"))
    norm = outcomes.normalise(shown)
    no_pop = sorted(set(norm.loc[norm["population"].isna(), "short_name"].dropna()))
    table = norm.assign(
        metric=[t.pick(r, "name_zh", "name_en") for r in norm.to_dict("records")],
        period=[r["period_label"] if isinstance(r["period_label"], str)
                else ("" if missing(r["year"]) else str(int(r["year"]))) for r in norm.to_dict("records")],
        value_s=[outcomes.format_value(v, u, q, lang) for v, u, q in zip(norm["value"], norm["unit"], norm["qualifier"])],
        per_wan_s=[outcomes.normalised_text(v, u, q, lang) for v, u, q in zip(norm["per_wan"], norm["unit"], norm["qualifier"])],
        basis_s=[{"year": t("当年支出", "that year's spending"), "total": t("项目累计支出", "project's total spending")}.get(b, "—")
                 for b in norm["spent_basis"]],
        per_10k_s=[t("未披露人口", "population not reported") if outcomes.normalisable(u) and missing(p)
                   else outcomes.normalised_text(v, u, q, lang)
                   for v, u, p, q in zip(norm["per_10k"], norm["unit"], norm["population"], norm["qualifier"])],
    )
    norm_cols = ["short_name", "metric", "period", "value_s", "per_wan_s", "basis_s", "per_10k_s"]
    st.dataframe(table[norm_cols if pid is None else norm_cols[1:]],
                 hide_index=True, width="stretch", column_config={
                     "short_name": t("项目", "Project"), "metric": t("指标", "Metric"), "period": t("期间", "Period"),
                     "value_s": t("数值", "Value"), "per_wan_s": t("每万元支出", "Per 10k CNY spent"),
                     "basis_s": t("支出口径", "Spending basis"), "per_10k_s": t("每万人", "Per 10 000 residents")})
    st.caption(t("“—”为比率、排名、连续天数等不宜折算的指标。每万元支出按报告的实际支出折算（逐年数值用当年支出）；"
                 "成效常为全市/全区公安工作的合计，不全是本项目资金所致，折算值仅供横向比较。",
                 "“—” marks rates, ranks and streaks, which do not scale. Per 10k CNY uses the spending the report "
                 "gives (that year's for a yearly figure); outcomes are often city- or district-wide totals, not "
                 "the effect of this project's money alone, so these ratios are for comparison only.")
               + (t(f" 未披露人口：{'、'.join(no_pop[:MAX_NAMES])}{'…' if len(no_pop) > MAX_NAMES else ''}（不估算）。",
                    f" Population not reported: {', '.join(no_pop[:MAX_NAMES])}{'…' if len(no_pop) > MAX_NAMES else ''} "
                    "(not estimated).") if no_pop else ""))
    if len(shown) < n_figures:
        st.caption(capped.note(len(shown), n_figures, "条成效数值", "outcome figures", "按项目编号排在前面",
                               "the first project ids", lang))

if without:
    st.caption(t("未披露成效指标的项目：", "Projects reporting no outcome figures: ")
               + ("、" if lang == "zh" else ", ").join(without[:MAX_NAMES]) + ("…" if n_without > MAX_NAMES else ""))

# -- targets --------------------------------------------------------------------------------------------------
st.subheader(t("绩效目标与完成情况", "Targets and what was achieved"))
tsum = state.query("targets_summary", **f.params(), project_id=pid).iloc[0]  # verdict counts over every target (SQL)
n_targets = int(tsum["targets"])
if n_targets == 0:
    st.info(t("报告未披露绩效目标（未披露）。", "No performance targets reported (not reported)."))
else:
    n_met, n_not, n_dis = int(tsum["met"]), int(tsum["not_met"]), int(tsum["disagree"])
    common.kpi_row([(t("目标数", "Targets"), str(n_targets)), (t("达成", "Met"), str(n_met)),
                    (t("未达成", "Not met"), str(n_not)), (t("未披露结论", "No verdict"), str(int(tsum["no_verdict"]))),
                    (t("与报告结论不一致", "Differ from the report"), str(n_dis))],
                   [None, t("按运算符由目标值与实际值算出；无数值时取报告结论", "computed from the operator, target and actual; "
                            "the report's conclusion where there are no figures"), None, None,
                    t("按数值计算的结论与报告的结论不同", "the computed verdict differs from the report's")])
    many = pid is None and capped.is_capped(n_targets)
    if many:  # the targets not met first, as many as the chart draws and the table lists
        if int(tsum["with_actual"]):
            plot.chart(charts_outcomes.targets_chart(
                state.query("targets_attention", **f.params(), numeric_only=True, limit=charts_outcomes.MAX_TARGET_BARS),
                t, numeric_total=int(tsum["numeric"]), several=int(tsum["numeric_projects"]) > 1))
        targets = state.query("targets_attention", **f.params(), numeric_only=False, limit=capped.MAX_ROWS)
    else:
        targets = state.query("targets_list", **f.params(), project_id=pid)
        if targets["actual_value"].notna().any():
            plot.chart(charts_outcomes.targets_chart(targets, t))
    verdicts = [outcomes.target_verdict(r) for r in targets.to_dict("records")]
    table = targets.assign(
        year_s=["" if missing(y) else str(int(y)) for y in targets["year"]],
        target_s=[outcomes.target_text(r, lang) for r in targets.to_dict("records")],
        actual_s=[outcomes.actual_text(r, lang) for r in targets.to_dict("records")],
        verdict_s=[("✅ " if v["met"] is True else "❌ " if v["met"] is False else "") + outcomes.verdict_text(v, lang)
                   + (" ⚠️" if v["disagree"] else "") for v in verdicts],
    )
    cols = ["short_name", "name", "subproject_id", "year_s", "target_s", "actual_s", "verdict_s", "category"]
    if targets["subproject_id"].isna().all():
        cols.remove("subproject_id")
    st.dataframe(table[cols if pid is None else cols[1:]], hide_index=True, width="stretch", column_config={
        "short_name": t("项目", "Project"), "name": t("目标", "Target"), "subproject_id": t("子项目", "Sub-project"),
        "year_s": t("年度", "Year"),
        "target_s": t("目标值", "Target value"), "actual_s": t("实际完成", "Actual"), "verdict_s": t("结论", "Verdict"),
        "category": t("目标类别", "Group")})
    if many:
        st.caption(capped.note(len(targets), n_targets, "项目标", "targets", "未达成、其次无结论",
                               "the targets not met first, then those without a verdict", lang))
    if n_dis:
        st.warning(t(f"⚠️ {n_dis} 项目标按数值计算未达成，而报告结论为达成（或相反），见“结论”列。",
                     f"⚠️ {n_dis} targets: the figures say one thing and the report's conclusion another (see Verdict)."))
