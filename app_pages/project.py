"""项目详情 Project: one project's facts and sources, total score and grade, level-1 breakdown.

Deep link: ``project?project=<project_id>``.
"""
import streamlit as st

from perfeval.charts import base as charts
from perfeval.domain.facts import project_facts
from perfeval.text import fmt
from perfeval.ui import common, deck, plot, project_focus, state

t = state.tr()
lang = state.lang()
pid = project_focus.pick_project("w_project")
st.session_state["f_project"] = pid
state.write_url({"project": pid})

facts = state.query("project_facts", project_id=pid)
p = facts.iloc[0].to_dict()
common.page_header(t.pick(p, "name", "name_en"), facts)
deck.project_button(pid)

grade = p.get("reported_grade")
common.kpi_row([
    (t("报告总分", "Reported score"), fmt.score(p.get("reported_total_score"), lang)),
    (t("评价等级", "Grade"), grade if isinstance(grade, str) else fmt.not_reported(lang)),
    (t("预算（万元）", "Budget (10k CNY)"), fmt.number(p.get("budget"), 2, lang)),
    (t("到位资金（万元）", "Received (10k CNY)"), fmt.number(p.get("received"), 2, lang)),
    (t("实际支出（万元）", "Spent (10k CNY)"), fmt.number(p.get("spent"), 2, lang)),
    (t("预算执行率", "Execution rate"), fmt.pct(p.get("execution_rate"), lang)),
])
if not fmt.is_missing(p.get("as_of")):
    st.caption(t(f"资金数据截至 {fmt.date(p['as_of'])}", f"Money figures as of {fmt.date(p['as_of'])}"))

with st.expander(t("项目基本信息与来源", "Facts and source"), expanded=True):
    rows = [(label, value) for _, label, value in project_facts(p, lang)]
    cols = st.columns(2)
    for i, (label, value) in enumerate(rows):
        shown = value if isinstance(value, str) and value.strip() else fmt.not_reported(lang)
        cols[i % 2].markdown(f"**{label}**：{shown}")
    if isinstance(p.get("note"), str) and p["note"]:
        st.caption(t("数据整理说明：", "Notes on the data: ") + p["note"])

st.subheader(t("一级指标得分", "Level-1 scores"))
l1 = state.query("project_level1", project_id=pid)
if l1.empty:
    st.info(t("报告未披露分项得分（未披露），仅有总分。",
              "The report gives no breakdown (not reported), only the total score."))
else:
    if l1["derived"].any():
        st.caption(t("报告未直接给出一级指标的分值和得分，图表中为其下级指标之和（计算值，标“*”）。",
                     "The report states no level-1 weights or scores; they are summed from the indicators "
                     "below (computed, marked “*”)."))
    plot.chart(charts.level1_breakdown(l1, t))
    shown = l1.assign(
        name=[t.pick(r, "name", "name_en") for r in l1.to_dict("records")],
        weight_s=[fmt.score(v, lang) + ("*" if d else "") for v, d in zip(l1["weight"], l1["derived"])],
        score_s=[fmt.score(v, lang) + ("*" if d else "") for v, d in zip(l1["reported_score"], l1["derived"])],
        rate_s=[fmt.pct(v, lang) for v in l1["score_rate"]],
    )
    st.dataframe(shown[["code", "name", "weight_s", "score_s", "rate_s"]], hide_index=True, width="stretch",
                 column_config={"code": t("编码", "Code"), "name": t("一级指标", "Indicator"),
                                "weight_s": t("分值", "Weight"), "score_s": t("得分", "Score"),
                                "rate_s": t("得分率", "Score rate")})

from perfeval.ui import scorecard  # noqa: E402  (issue 3: the scorecard and the audit)

scorecard.render_project(pid)
for _col, (_file, _zh, _en) in zip(st.columns(3), (("budget", "💰 预算执行", "💰 Budget"), ("outcomes", "🎯 成效指标", "🎯 Outcomes"), ("satisfaction", "🙂 满意度", "🙂 Satisfaction"))):  # issue 4
    _col.page_link(f"app_pages/{_file}.py", label=t(_zh, _en), query_params={"project": pid, **state.global_params()})
