"""满意度 Satisfaction's page model: questionnaires issued and valid, awareness and satisfaction with their 95 %
margin of error (normal approximation over the valid questionnaires), the 5-level distribution where a report
gives it, and a comparison across the selected projects with 未开展 / 未披露 where a project has no survey
(pure: no Streamlit). The statistics are perfeval.domain.survey's.
"""
from __future__ import annotations

from perfeval.charts import base as charts
from perfeval.charts import survey as charts_survey
from perfeval.domain import survey
from perfeval.text import fmt
from perfeval.text import glossary as terms
from perfeval.text.i18n import Translator
from perfeval.views import capped
from perfeval.views.common import Filters, Links

CHARTED = 40  # projects drawn in the comparison chart; the table lists them all


def method(lang: str) -> str:
    """How the margin of error is computed, and what it assumes."""
    return Translator(lang)(
        "误差范围为 95% 置信区间的半宽，按正态近似 1.96·√(p(1−p)/n) 计算，n 为有效问卷数；Wilson 区间供参考。"
        "两者都假定简单随机抽样，街头或定向发放的问卷实际不确定性更大。",
        "The margin is the half-width of a 95% confidence interval by the normal approximation "
        "1.96·√(p(1−p)/n), n = valid questionnaires; the Wilson interval is given for reference. Both assume a "
        "simple random sample: a street or targeted questionnaire is more uncertain than that.")


def build(q, *, filters: Filters, project_id: str | None, lang: str, links: Links, max_rows: int) -> dict:
    """The page for the selected projects (``project_id`` None) or the one focused; the comparison lists at
    most ``max_rows`` projects (`capped.MAX_ROWS` on the page), the lowest satisfaction first.

    surveys: one dict per survey of the focused project (`_detail`; empty with every project); heading: the
    comparison's title; status_kpis: (status, count) cards over every selected project (None for one
    project); chart: the comparison chart's spec (or None) and chart_note its caption (or None); method: the
    caption on the margin (None for one project); table: the comparison rows (short_name, link, status,
    issued, valid, valid_rate, awareness, satisfaction, wilson, score; from status on for one project) and
    capped_note (or None).
    """
    t = Translator(lang)
    f = filters.params()
    one = project_id is not None
    # how many surveys give figures, a score, words or nothing, over every selected project (SQL); the rows
    # themselves are listed in full up to max_rows, beyond that the lowest satisfaction first
    counts = q("survey_status_counts", **f, project_id=project_id)
    n_rows = int(counts["surveys"].sum())
    many = not one and capped.is_capped(n_rows, max_rows)
    rows = (q("survey_projects_attention", **f, limit=max_rows) if many
            else q("survey_projects", **f, project_id=project_id))
    table, views = survey.comparison_table(rows, lang)
    records = rows.to_dict("records")
    v = {"surveys": [_detail(r, x, row, lang) for r, x, row in zip(records, views, table.to_dict("records"))]
         if one else [],
         "heading": t("各项目比较", "Comparison across projects") if not one else t("汇总", "Summary"),
         "status_kpis": None if one else [(survey.status_label(s, lang), str(n))
                                          for s, n in survey.status_counts(counts).items()],
         "chart": None, "chart_note": None, "method": None if one else method(lang)}
    names = [r.get("short_name") or r["project_id"] for r in records]
    if not one or any(x.satisfaction_rate is not None for x in views):
        v["chart"] = charts.spec(charts_survey.satisfaction_comparison(names[:CHARTED], views[:CHARTED], t))
        if many:
            v["chart_note"] = t(f"图中为满意度最低的 {len(names[:CHARTED])} 个（共 {n_rows:,} 个）。",
                                f"The chart shows the {len(names[:CHARTED])} with the lowest satisfaction "
                                f"(of {n_rows:,}).")
        elif len(names) > CHARTED:
            v["chart_note"] = t(f"图中为前 40 个项目（共 {len(names)} 个），全部见下表。",
                                f"The chart shows 40 of {len(names)}; all are in the table.")
    show = table.assign(link=links.many("satisfaction", "project", table["project_id"]))  # ≤ max_rows
    cols = ["short_name", "link", "status", "issued", "valid", "valid_rate", "awareness", "satisfaction", "wilson",
            "score"]
    v["table"] = show[cols if not one else cols[2:]]
    v["capped_note"] = (capped.note(len(show), n_rows, "个项目", "projects", "满意度最低（未披露满意度的排在最后）",
                                    "the lowest satisfaction (those without a rate last)", lang) if many else None)
    return v


def _detail(r: dict, v: survey.SurveyView, row: dict, lang: str) -> dict:
    """One survey of the focused project: none (the info text when there is no survey; nothing else then),
    title, who (caption or None), kpis and kpi_help (two rows of cards and their help), no_interval (the info
    text when no margin can be given) or interval (the caption with the margin and the intervals),
    valid_check (caption or None), distribution (the chart's spec and the table, or None) or no_distribution
    (caption), conclusion (markdown or None), quote (the report's words or None)."""
    t = Translator(lang)
    if v.status == "none":
        return {"none": t("该项目未开展满意度调查，或报告未披露（未开展 / 未披露）。",
                          "No satisfaction survey conducted, or none reported (not conducted / not reported).")}
    who = [x for x in (r.get("conducted_by"), r.get("respondents")) if isinstance(x, str)]
    d = {"none": None, "title": r.get("survey_name") or t("满意度调查", "Satisfaction survey"), "who": None}
    if who:
        d["who"] = (t("调查单位 / 对象：", "Conducted by / respondents: ") + " · ".join(who)
                    + (t(f" · 问题数 {int(r['questions'])}", f" · {int(r['questions'])} questions")
                       if not survey.missing(r.get("questions")) else ""))
    d["kpis"] = [[
        (t("发放问卷", "Issued"), row["issued"]),
        (t("有效问卷", "Valid"), row["valid"]),
        (t("有效率", "Valid rate"), row["valid_rate"]),
    ], [
        (t("知晓率", "Awareness"), fmt.pct(v.awareness_rate, lang)),
        (t(terms.SATISFACTION), fmt.pct(v.satisfaction_rate, lang) if v.satisfaction_rate is not None
         else row["score"] if v.satisfaction_score is not None else fmt.not_reported(lang)),
        (t("误差范围（95%，百分点）", "Margin (95%, pp)"),
         "—" if v.satisfaction_moe is None else f"±{v.satisfaction_moe * 100:.2f}"),
    ]]
    d["kpi_help"] = [[None, None, t("有效问卷 ÷ 发放问卷", "valid ÷ issued")], [
        None if v.awareness_moe is None else t(f"95% 误差范围 ± {v.awareness_moe * 100:.2f} 个百分点",
                                               f"95% margin ± {v.awareness_moe * 100:.2f} pp"),
        None, t("正态近似，n = 有效问卷数", "normal approximation, n = valid questionnaires")]]
    reason = survey.no_interval_reason(v, lang)
    d["no_interval"] = "ℹ️ " + reason + t("。", ".") if reason else None
    d["interval"] = None
    if not reason:
        rate = survey.rate_with_margin(v.satisfaction_rate, v.satisfaction_moe, lang)
        interval = survey.interval_text(survey.normal_interval(v.satisfaction_rate, v.n), lang)
        d["interval"] = (t(f"满意度 {rate}；95% 置信区间 {interval}（Wilson：{row['wilson']}）。",
                           f"Satisfaction {rate}; 95% interval {interval} (Wilson: {row['wilson']}). ")
                         + " " + method(lang))
    d["valid_check"] = (t("报告所述有效率与重新计算：", "Stated valid rate against ours: ") + row["stated_valid_rate_check"]
                        if row["stated_valid_rate_check"] != "—" else None)
    d["distribution"] = ((charts.spec(charts_survey.distribution_bar(v.distribution, t)),
                          charts_survey.distribution_table(v.distribution, t)) if v.distribution else None)
    d["no_distribution"] = (None if v.distribution else
                            t("报告未披露五级满意度分布（很满意 / 较满意 / 一般 / 不太满意 / 不满意）。",
                              "The report gives no 5-level distribution (very satisfied … very dissatisfied)."))
    d["conclusion"] = t("**报告结论**：", "**The report's conclusion**: ") + v.conclusion if v.conclusion else None
    d["quote"] = r["quote"] if isinstance(r.get("quote"), str) else None
    return d
