"""总览 Overview's page model: the portfolio's KPIs, the ranked projects, the districts, where points are lost
and score against execution, for the projects the sidebar's filters select (pure: no Streamlit).

Four parts, each a model the page caches on its own (``perfeval.ui.state.model``): the page draws `ranked`'s
charts first and works out `lagging` (its query is the slowest) after the district charts are on screen.
"""
from __future__ import annotations

from perfeval.charts import base as charts
from perfeval.charts import compare as charts_compare
from perfeval.charts import scorecard as charts_scorecard
from perfeval.domain import budget, compare, disclosure
from perfeval.domain.portfolio import data_kinds, portfolio_kpis
from perfeval.domain.regions import region_label
from perfeval.text import fmt
from perfeval.text import glossary as terms
from perfeval.text.i18n import Translator
from perfeval.views import scorecard
from perfeval.views.common import Filters, Links

TABLE_ROWS = 500           # rows of the ranked table (a longer list is for the filters to narrow)
AUDIT_MAX_PROJECTS = 500   # above this, the ranked table carries no audit column
MAX_LAGGING = 10           # lagging regions listed (worst first); the rest are counted
MAX_CHART_UNITS = 20       # regions drawn in the grade and budget charts (ranking order)
LAG_GAP = compare.LAG_GAP


def _execution_help(df, t: Translator) -> str:
    """The weighted execution rate's definition, saying how many self-evaluations count their full-year budget
    (全年预算数) as the denominator (no 到位 on their form) and how many state only the rate (not weighted)."""
    basis = df["execution_basis"] if "execution_basis" in df.columns else None
    n_budget = int(((basis == "budget") & ~df["execution_stated"].fillna(False).astype(bool)).sum()) \
        if basis is not None else 0
    n_stated = int(df["execution_stated"].fillna(False).astype(bool).sum()) if basis is not None else 0
    text = t("Σ实际支出 ÷ Σ到位资金（仅计两项均披露的项目）", "Σ spent ÷ Σ received, over projects reporting both")
    if n_budget:
        text += t(f"；{n_budget} 个自评项目无到位资金，按自评表以全年预算数为分母",
                  f"; {n_budget} self-evaluations without receipts count their full-year budget, as their form does")
    if n_stated:
        text += t(f"；{n_stated} 个项目只给出执行率本身，未计入加权",
                  f"; {n_stated} projects state the rate only and are not weighted in")
    return text


def ranked(q, *, filters: Filters, lang: str, links: Links) -> dict:
    """From overview_projects: the KPIs, the ranked table, the score-against-execution chart's spec."""
    t = Translator(lang)
    df = q("overview_projects", **filters.params())
    v = {"kinds": data_kinds(df), "n": len(df)}
    if df.empty:
        return v
    k = portfolio_kpis(df)
    # two rows of three, so that portfolio totals (tens of thousands of 万元) are not cut off
    v["kpis"] = [[
        (t(terms.PROJECTS), f"{k.projects:,}"),
        (t(terms.MEAN_SCORE), fmt.score(k.mean_score, lang)),
        (t("加权预算执行率", "Weighted execution rate"), fmt.pct(k.execution_rate, lang)),
    ], [
        (t("预算合计（万元）", "Total budget (10k CNY)"), fmt.number(k.budget, 2, lang)),
        (t("到位资金（万元）", "Funds received (10k CNY)"), fmt.number(k.received, 2, lang)),
        (t(terms.SPENT_WAN), fmt.number(k.spent, 2, lang)),
    ]]
    v["kpi_help"] = [
        [None, None, _execution_help(df, t)],
        [t(f"{k.not_reported['budget']} 个项目未披露预算", f"{k.not_reported['budget']} projects report no budget"),
         None, None]]
    v["grades"] = t("评价等级：", "Grades: ") + "　".join(f"{g} {n}" for g, n in k.grade_counts.items())
    top = df.head(TABLE_ROWS)
    table = top.assign(
        rank=range(1, len(top) + 1),
        region=[region_label(r) for r in top.to_dict("records")],
        link=links.many("project", "project", top["project_id"]),
        # missing money reads 未披露, not "None" (st.dataframe shows nulls as None); so do a missing score,
        # grade and category (issue 18)
        score_s=fmt.scores(top["reported_total_score"], lang),
        grade_s=fmt.texts(top["reported_grade"], lang),
        category_s=fmt.texts(top["category"], lang),
        evaluator_s=fmt.texts(top["evaluator_type"], lang),
        budget_s=[fmt.number(x, 2, lang) for x in top["budget"]],
        spent_s=[fmt.number(x, 2, lang) for x in top["spent"]],
        execution_s=[budget.execution_text(x, b, s, lang) for x, b, s in
                     zip(top["execution_rate"], top["execution_basis"], top["execution_stated"])],
        data=top["data_kind"].map({"report": t("真实报告", "real report"), "demo": t("示例", "demo"),
                                  "import": t("导入", "imported"), "generated": t("生成", "generated")}),
    )
    # The audit runs in Python per project (≈18 ms each): on the page only while the viewer sees few projects.
    audited = len(q("project_list")) <= AUDIT_MAX_PROJECTS
    columns = ["rank", "name", "link", "region", "category_s", "score_s", "grade_s",
               "budget_s", "spent_s", "execution_s", "evaluator_s", "audit", "data"]
    if audited:
        counts = scorecard.audit_frames(q)["counts"]
        table["audit"] = [scorecard.findings_label(r, lang)
                          for r in scorecard.findings_counts(counts, table["project_id"]).to_dict("records")]
    else:
        columns.remove("audit")
    v["table"] = table[columns]
    notes = []
    if len(df) > TABLE_ROWS:
        notes.append(t(f"按得分显示前 {TABLE_ROWS} 个，共 {len(df)} 个项目；用左侧筛选缩小范围。",
                       f"The first {TABLE_ROWS} of {len(df)} projects by score; narrow them with the filters."))
    if not audited:
        notes.append(t(f"可查看的项目超过 {AUDIT_MAX_PROJECTS} 个，此表不逐项复核；复核结果见各项目详情页，"
                       "或用 python -m perfeval audit 批量运行。",
                       f"More than {AUDIT_MAX_PROJECTS} projects are visible, so this table is not audited; see each "
                       "project's page, or run python -m perfeval audit in batch."))
    v["notes"] = " ".join(notes)
    v["names"] = dict(zip(top["project_id"], top["name"]))
    v["scatter"] = charts.spec(charts.score_vs_execution(df, t))
    return v


def _district_summary(q, filters: Filters):
    summary = q("district_summary", year=None, metric_key=None, **filters.params())
    # the short name (compare.short_region_label, in SQL), with the city where names repeat (第03区)
    return summary.assign(unit_label=compare.unique_region_labels(summary)) if len(summary) else summary


def districts(q, *, filters: Filters, lang: str, links: Links) -> dict:
    """From district_summary: the ranked districts' table, the link to Compare, the two charts' specs and the
    texts around them."""
    t = Translator(lang)
    summary = _district_summary(q, filters)
    if len(summary) < compare.MIN_UNITS:
        return {"n": len(summary)}
    top = list(summary["region_code"])[:compare.MAX_UNITS]
    table = summary.assign(
        rank=range(1, len(summary) + 1),
        grades=["　".join(f"{g}{int(n)}" for g, n in zip("优良中差", r) if n)
                for r in summary[["grade_you", "grade_liang", "grade_zhong", "grade_cha"]].to_numpy()],
        budget_s=[fmt.number(v, 2, lang) for v in summary["budget"]],
        spent_s=[fmt.number(v, 2, lang) for v in summary["spent"]],
        # a district none of whose projects states a total has no mean: 未披露, not None (issue 18)
        mean_s=[fmt.number(v, 2, lang, strip=False) if not fmt.is_missing(v) else fmt.not_reported(lang)
                for v in summary["mean_score"]],
        exec_s=[fmt.pct(v, lang) for v in summary["execution_rate"]],
        years=[str(a) if a == b else f"{a}—{b}" for a, b in zip(summary["year_min"], summary["year_max"])],
    )
    # districts in ranking order, top first; one bar row each, so a country's thousands would make a
    # chart a hundred thousand pixels tall: the charts stop at MAX_CHART_UNITS, the table has all
    charted = summary.head(MAX_CHART_UNITS)
    n = len(summary)
    return {
        "n": n,
        "compare_link": links.to("compare", districts=",".join(top)),
        "compare_text": t(f"在地区对比页打开前 {len(top)} 个地区 ›", f"Open the top {len(top)} in Compare ›"),
        "table": table[["rank", "unit_label", "projects", "years", "mean_s", "grades", "budget_s", "spent_s",
                        "exec_s"]],
        "grades_chart": charts.spec(charts_compare.grade_by_unit(charted, t)),
        "budget_chart": charts.spec(charts_compare.budget_vs_spent(charted, t)),
        "charted_note": (t(f"图中为排名前 {MAX_CHART_UNITS} 的地区（共 {n:,} 个），全部地区见上表。",
                           f"The charts show the top {MAX_CHART_UNITS} of {n:,} regions; the table above lists all.")
                         if n > MAX_CHART_UNITS else None),
    }


def lagging(q, *, filters: Filters, lang: str) -> dict:
    """The districts that lag (and on what): the lines to list (at most `MAX_LAGGING`) and the notes."""
    t = Translator(lang)
    level1 = q("district_indicators", year=None, level=1, **filters.params())
    lines = compare.lagging_lines(_district_summary(q, filters), level1, t, lang, gap=LAG_GAP)
    more = (t(f"共 {len(lines):,} 个地区落后，此处列出落后最多的 {MAX_LAGGING} 个；用侧栏的地区筛选查看其余。",
              f"{len(lines):,} regions lag; the {MAX_LAGGING} furthest behind are listed. "
              "Filter by region in the sidebar to see the others.") if len(lines) > MAX_LAGGING else None)
    return {"lines": lines[:MAX_LAGGING], "more": more}


def points_lost(q, *, filters: Filters, lang: str) -> dict:
    """Where points are lost across the selected projects: the two charts' specs and the note on projects
    without a breakdown."""
    t = Translator(lang)
    # aggregated in DuckDB: a tree per project in Python took 11 s for 1 000 projects (bench profile)
    by_l1 = q("portfolio_points_lost_level1", **filters.params())
    by_ind = q("portfolio_points_lost_indicators", **filters.params())
    nb = q("portfolio_not_broken_down", **filters.params())
    if by_l1.empty and nb.empty:
        return {"empty": True}
    # worded by what each project has: a total only, or nothing (perfeval.domain.disclosure)
    note = disclosure.not_broken_down_line(nb, lang)
    return {"empty": False, "l1": charts.spec(charts_scorecard.level1_points_lost(by_l1, t)),
            "indicators": charts.spec(charts_scorecard.indicator_points_lost(by_ind, t)), "note": note}
