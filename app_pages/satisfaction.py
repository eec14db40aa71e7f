"""满意度 Satisfaction: questionnaires issued and valid, awareness and satisfaction with their 95 % margin of
error (normal approximation over the valid questionnaires), the 5-level distribution where a report gives it,
and a comparison across the selected projects with 未开展 / 未披露 where a project has no survey.

Deep link: ``satisfaction?project=<project_id>`` focuses on one project.
"""
import streamlit as st

from perfeval.charts import survey as charts_survey
from perfeval.domain import survey
from perfeval.text import fmt
from perfeval.ui import common, plot, project_focus, state
from perfeval.views import capped

t = state.tr()
lang = state.lang()
f = state.filters()
projects = project_focus.selected_projects("满意度", "Satisfaction")

header = st.container()
pid = project_focus.pick(projects, "w_satisfaction_project")
state.write_url({"project": pid})
sel, one = project_focus.focus(projects, pid)
with header:
    common.page_header(t("满意度", "Satisfaction") + (f" · {t.pick(one, 'name', 'name_en')}" if one else ""), sel)

# how many surveys give figures, a score, words or nothing, over every selected project (SQL); the rows
# themselves are listed in full up to capped.MAX_ROWS, beyond that the lowest satisfaction first
counts = state.query("survey_status_counts", **f.params(), project_id=pid)
n_rows = int(counts["surveys"].sum())
many = pid is None and capped.is_capped(n_rows)
rows = (state.query("survey_projects_attention", **f.params(), limit=capped.MAX_ROWS) if many
        else state.query("survey_projects", **f.params(), project_id=pid))
table, views = survey.comparison_table(rows, lang)
METHOD = t("误差范围为 95% 置信区间的半宽，按正态近似 1.96·√(p(1−p)/n) 计算，n 为有效问卷数；Wilson 区间供参考。"
           "两者都假定简单随机抽样，街头或定向发放的问卷实际不确定性更大。",
           "The margin is the half-width of a 95% confidence interval by the normal approximation "
           "1.96·√(p(1−p)/n), n = valid questionnaires; the Wilson interval is given for reference. Both assume a "
           "simple random sample: a street or targeted questionnaire is more uncertain than that.")

# -- one project: the survey in detail ------------------------------------------------------------------
if one:
    for r, v, row in zip(rows.to_dict("records"), views, table.to_dict("records")):
        if v.status == "none":
            st.info(t("该项目未开展满意度调查，或报告未披露（未开展 / 未披露）。",
                      "No satisfaction survey conducted, or none reported (not conducted / not reported)."))
            continue
        name = r.get("survey_name") or t("满意度调查", "Satisfaction survey")
        st.subheader(name)
        who = [x for x in (r.get("conducted_by"), r.get("respondents")) if isinstance(x, str)]
        if who:
            st.caption(t("调查单位 / 对象：", "Conducted by / respondents: ") + " · ".join(who)
                       + (t(f" · 问题数 {int(r['questions'])}", f" · {int(r['questions'])} questions")
                          if not survey.missing(r.get("questions")) else ""))
        common.kpi_row([
            (t("发放问卷", "Issued"), row["issued"]),
            (t("有效问卷", "Valid"), row["valid"]),
            (t("有效率", "Valid rate"), row["valid_rate"]),
        ], [None, None, t("有效问卷 ÷ 发放问卷", "valid ÷ issued")])
        common.kpi_row([
            (t("知晓率", "Awareness"), fmt.pct(v.awareness_rate, lang)),
            (t("满意度", "Satisfaction"), fmt.pct(v.satisfaction_rate, lang) if v.satisfaction_rate is not None
             else row["score"] if v.satisfaction_score is not None else fmt.not_reported(lang)),
            (t("误差范围（95%，百分点）", "Margin (95%, pp)"),
             "—" if v.satisfaction_moe is None else f"±{v.satisfaction_moe * 100:.2f}"),
        ], [None if v.awareness_moe is None else t(f"95% 误差范围 ± {v.awareness_moe * 100:.2f} 个百分点",
                                                   f"95% margin ± {v.awareness_moe * 100:.2f} pp"),
            None, t("正态近似，n = 有效问卷数", "normal approximation, n = valid questionnaires")])
        reason = survey.no_interval_reason(v, lang)
        if reason:
            st.info("ℹ️ " + reason + t("。", "."))
        else:
            st.caption(t(f"满意度 {survey.rate_with_margin(v.satisfaction_rate, v.satisfaction_moe, lang)}；"
                         f"95% 置信区间 {survey.interval_text(survey.normal_interval(v.satisfaction_rate, v.n), lang)}"
                         f"（Wilson：{row['wilson']}）。",
                         f"Satisfaction {survey.rate_with_margin(v.satisfaction_rate, v.satisfaction_moe, lang)}; "
                         f"95% interval {survey.interval_text(survey.normal_interval(v.satisfaction_rate, v.n), lang)} "
                         f"(Wilson: {row['wilson']}). ") + " " + METHOD)
        if row["stated_valid_rate_check"] != "—":
            st.caption(t("报告所述有效率与重新计算：", "Stated valid rate against ours: ") + row["stated_valid_rate_check"])
        if v.distribution:
            plot.chart(charts_survey.distribution_bar(v.distribution, t))
            st.dataframe(charts_survey.distribution_table(v.distribution, t), hide_index=True)
        else:
            st.caption(t("报告未披露五级满意度分布（很满意 / 较满意 / 一般 / 不太满意 / 不满意）。",
                         "The report gives no 5-level distribution (very satisfied … very dissatisfied)."))
        if v.conclusion:
            st.markdown(t("**报告结论**：", "**The report's conclusion**: ") + v.conclusion)
        if isinstance(r.get("quote"), str):
            with st.expander(t("报告原文", "The report's words")):
                st.markdown(f"> {r['quote']}")

# -- comparison ----------------------------------------------------------------------------------------------
st.subheader(t("各项目比较", "Comparison across projects") if not one else t("汇总", "Summary"))
names = [r.get("short_name") or r["project_id"] for r in rows.to_dict("records")]
if not one:
    by_status = survey.status_counts(counts)
    common.kpi_row([(survey.status_label(s, lang), str(n)) for s, n in by_status.items()])
if not one or any(v.satisfaction_rate is not None for v in views):
    plot.chart(charts_survey.satisfaction_comparison(names[:40], views[:40], t))
    if many:
        st.caption(t(f"图中为满意度最低的 {len(names[:40])} 个（共 {n_rows:,} 个）。",
                     f"The chart shows the {len(names[:40])} with the lowest satisfaction (of {n_rows:,})."))
    elif len(names) > 40:
        st.caption(t(f"图中为前 40 个项目（共 {len(names)} 个），全部见下表。", f"The chart shows 40 of {len(names)}; all are in the table."))
if not one:
    st.caption(METHOD)
show = table.assign(link=state.links().many("satisfaction", "project", table["project_id"]))  # ≤ capped.MAX_ROWS
cols = ["short_name", "link", "status", "issued", "valid", "valid_rate", "awareness", "satisfaction", "wilson", "score"]
st.dataframe(show[cols if not one else cols[2:]], hide_index=True, width="stretch", column_config={
    "short_name": t("项目", "Project"),
    "link": st.column_config.LinkColumn(t("详情", "Details"), display_text=t("聚焦 ›", "focus ›")),
    "status": t("调查情况", "Survey"), "issued": t("发放", "Issued"), "valid": t("有效", "Valid"),
    "valid_rate": t("有效率", "Valid rate"), "awareness": t("知晓率（±95%）", "Awareness (±95%)"),
    "satisfaction": t("满意度（±95%）", "Satisfaction (±95%)"), "wilson": t("Wilson 区间", "Wilson interval"),
    "score": t("满意度评分", "Score")})
if many:
    st.caption(capped.note(len(show), n_rows, "个项目", "projects", "满意度最低（未披露满意度的排在最后）",
                           "the lowest satisfaction (those without a rate last)", lang))
