"""The overview's district section: ranking, grades by district, the districts that lag, budget vs spent.

Drawn by app_pages/overview.py (``districts.render(filters)``); the figures come from
queries/district_summary.sql and district_indicators.sql, the maths from perfeval.compare, the charts
from perfeval.charts_compare.
"""
from __future__ import annotations

import streamlit as st

from perfeval import charts_compare, compare, fmt
from perfeval.ui import plot, state

LAG_GAP = compare.LAG_GAP
MAX_LAGGING = 10  # lagging regions listed (worst first); the rest are counted
MAX_CHART_UNITS = 20  # regions drawn in the grade and budget charts (ranking order)


def _summary(f: state.Filters):
    summary = state.query("district_summary", year=None, metric_key=None, **f.params())
    # the short name (compare.short_region_label, in SQL), with the city where names repeat (第03区)
    return summary.assign(unit_label=compare.unique_region_labels(summary)) if len(summary) else summary


def summary_view(f: state.Filters, t, lang: str) -> dict:
    """What the section draws from district_summary: the ranked table, the link to Compare, the two
    charts' specs (kept by `state.memo`; nothing here draws)."""
    summary = _summary(f)
    if len(summary) < compare.MIN_UNITS:
        return {"n": len(summary)}
    top = list(summary["region_code"])[:compare.MAX_UNITS]
    table = summary.assign(
        rank=range(1, len(summary) + 1),
        grades=["　".join(f"{g}{int(n)}" for g, n in zip("优良中差", r) if n)
                for r in summary[["grade_you", "grade_liang", "grade_zhong", "grade_cha"]].to_numpy()],
        budget_s=[fmt.number(v, 2, lang) for v in summary["budget"]],
        spent_s=[fmt.number(v, 2, lang) for v in summary["spent"]],
        exec_s=[fmt.pct(v, lang) for v in summary["execution_rate"]],
        years=[str(a) if a == b else f"{a}—{b}" for a, b in zip(summary["year_min"], summary["year_max"])],
    )
    # districts in ranking order, top first; one bar row each, so a country's thousands would make a
    # chart a hundred thousand pixels tall: the charts stop at MAX_CHART_UNITS, the table has all
    charted = summary.head(MAX_CHART_UNITS)
    return {
        "n": len(summary),
        "compare_link": state.link("compare", districts=",".join(top)),
        "table": table[["rank", "unit_label", "projects", "years", "mean_score", "grades", "budget_s", "spent_s",
                        "exec_s"]],
        "grades_chart": plot.spec(charts_compare.grade_by_unit(charted, t)),
        "budget_chart": plot.spec(charts_compare.budget_vs_spent(charted, t)),
    }


def render(f: state.Filters) -> None:
    """Draw the district section for the projects the sidebar's filters select."""
    t = state.tr()
    lang = state.lang()
    # the URL's parameters: the filters, which the link to Compare also carries
    key = tuple(sorted(state.global_params().items()))
    v = state.memo("overview.districts", lambda: summary_view(f, t, lang), key)
    st.subheader(t("地区对比", "Districts"))
    if v["n"] < compare.MIN_UNITS:
        st.caption(t("当前筛选范围内不足两个地区，无法对比。", "Fewer than two regions in the filters: nothing to compare."))
        return
    st.markdown(f"[{t('在地区对比页打开前 8 个地区 ›', 'Open the top 8 in Compare ›')}]({v['compare_link']})")
    st.dataframe(
        v["table"],
        hide_index=True, width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn(t("排名", "Rank")),
            "unit_label": t("地区", "Region"),
            "projects": st.column_config.NumberColumn(t("项目数", "Projects")),
            "years": t("年度", "Years"),
            "mean_score": st.column_config.NumberColumn(t("平均得分", "Mean score"), format="%.2f"),
            "grades": t("等级分布", "Grades"),
            "budget_s": st.column_config.TextColumn(t("预算（万元）", "Budget (10k CNY)"), alignment="right"),
            "spent_s": st.column_config.TextColumn(t("支出（万元）", "Spent (10k CNY)"), alignment="right"),
            "exec_s": st.column_config.TextColumn(t("执行率", "Execution"), alignment="right"),
        })
    st.caption(t("按平均报告总分排序；执行率 = Σ实际支出 ÷ Σ到位资金（仅计两项均披露的项目）。",
                 "Ranked by the mean reported score; execution = Σ spent ÷ Σ received over projects reporting both."))

    # the lagging districts sit here, above the charts, but are worked out after the charts are drawn:
    # their query (every district's level-1 scores) is the section's slowest, so the charts show first
    lag_box = st.container()
    lag_box.markdown("**" + t("落后地区（及落后方面）", "Districts that lag (and on what)") + "**")

    c1, c2 = st.columns(2)
    plot.chart(v["grades_chart"], where=c1)
    plot.chart(v["budget_chart"], where=c2)
    if v["n"] > MAX_CHART_UNITS:
        st.caption(t(f"图中为排名前 {MAX_CHART_UNITS} 的地区（共 {v['n']:,} 个），全部地区见上表。",
                     f"The charts show the top {MAX_CHART_UNITS} of {v['n']:,} regions; the table above lists all."))

    def lagging() -> list[str]:
        level1 = state.query("district_indicators", year=None, level=1, **f.params())
        return compare.lagging_lines(_summary(f), level1, t, lang, gap=LAG_GAP)

    lines = state.memo("overview.lagging", lagging, key)
    with lag_box:
        if lines:
            st.markdown("\n".join(f"- {line}" for line in lines[:MAX_LAGGING]))
            if len(lines) > MAX_LAGGING:
                st.caption(t(f"共 {len(lines):,} 个地区落后，此处列出落后最多的 {MAX_LAGGING} 个；用侧栏的地区筛选查看其余。",
                             f"{len(lines):,} regions lag; the {MAX_LAGGING} furthest behind are listed. "
                             "Filter by region in the sidebar to see the others."))
            st.caption(t(f"落后：低于同类地区中位数 {LAG_GAP * 100:.0f} 个百分点以上，或低于四分位距下限（离群）；"
                         "同类地区不足 3 个的方面不判断。",
                         f"Lagging: more than {LAG_GAP * 100:.0f} percentage points below the median of the regions, "
                         "or below the interquartile fence (outlier); not judged with fewer than 3 regions."))
        else:
            st.caption(t("没有明显落后的地区（或可比地区不足 3 个）。",
                         "No region lags clearly (or fewer than 3 regions compare)."))
