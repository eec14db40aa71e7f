"""预算执行 Budget: arrival and execution rates against a target, with the data cut-off; the money by year,
by sub-project and as a path budget → received → spent; payments per vendor (one name per vendor).
What it draws is made by the page models perfeval.views.budget (build, vendors).

Deep link: ``budget?project=<project_id>`` focuses on one project; ``&target=95`` sets the target (%).
"""
import streamlit as st

from perfeval.text import glossary as terms
from perfeval.ui import common, payments, plot, project_focus, state
from perfeval.views import budget, capped

t = state.tr()
projects = project_focus.selected_projects("预算执行", "Budget execution")

if "w_budget_target" not in st.session_state:
    try:
        st.session_state["w_budget_target"] = min(200.0, max(1.0, float(st.query_params.get("target", 100))))
    except ValueError:
        st.session_state["w_budget_target"] = 100.0

header = st.container()  # the title goes above the picker, once the picker has said which project
c_pick, c_target = st.columns([3, 1])
with c_pick:
    pid = project_focus.pick(projects, "w_budget_project")
target_pct = c_target.number_input(
    t("目标值（%）", "Target (%)"), min_value=1.0, max_value=200.0, step=5.0, format="%.0f", key="w_budget_target",
    help=t("资金到位率与预算执行率的目标，默认 100%。", "Target of the arrival and execution rates; 100% by default."))
state.write_url({"project": pid, "target": None if target_pct == 100 else f"{target_pct:g}"})

# the cap is read here, on each run, so that it is part of the models' cache keys
args = {"filters": state.filters(), "lang": state.lang(), "project_id": pid, "max_rows": capped.MAX_ROWS}
v = state.model(budget.build, links=state.links(), target_pct=float(target_pct), **args)
with header:
    common.page_header(v["title"], kinds=v["kinds"])

# -- headline figures, the cut-off and the dials ----------------------------------------------------------
for items, helps in zip(v["kpis"], v["kpi_help"]):
    common.kpi_row(items, helps)
st.markdown(v["cutoff"])
for col, (key, spec) in zip(st.columns(2), v["gauges"]):
    plot.chart(spec, key=key, where=col)
st.caption(v["dial_note"])

# -- explanations ---------------------------------------------------------------------------------------
notes = v["notes"]
if notes and "info" in notes:
    st.info(notes["info"])
elif notes:
    with st.expander(notes["title"], expanded=notes["expanded"]):
        for line in notes["lines"]:
            st.markdown(line)

# -- per project ----------------------------------------------------------------------------------------
pp = v["per_project"]
if pp:
    st.subheader(t("各项目", "Per project"))
    plot.chart(pp["chart"])
    if pp["chart_note"]:
        st.caption(pp["chart_note"])
    common.table(pp["table"], column_config={
        "short_name": t(terms.PROJECT),
        "link": st.column_config.LinkColumn(t(terms.DETAILS), display_text=t(terms.FOCUS)),
        "budget_s": t("预算（万元）", "Budget"), "est_s": t("估算总投资（万元）", "Estimated investment"),
        "received_s": t("到位（万元）", "Received"), "spent_s": t("支出（万元）", "Spent"),
        "arrival_s": t("到位率", "Arrival"), "execution_s": t(terms.EXECUTION), "cutoff": t("数据截至", "As of"),
    })
    if pp["table_note"]:
        st.caption(pp["table_note"])
    if pp["dials"]:
        with st.expander(t("各项目仪表盘", "Dials per project")):
            # arrival and execution of each project side by side
            for (key_a, arrival), (key_e, execution) in zip(pp["dials"][0::2], pp["dials"][1::2]):
                c1, c2 = st.columns(2)
                plot.chart(arrival, key=key_a, where=c1)
                plot.chart(execution, key=key_e, where=c2)

# -- the money path -------------------------------------------------------------------------------------
st.subheader(t("资金流向", "Money path"))
if "chart" in v["money"]:
    plot.chart(v["money"]["chart"])
else:
    st.info(v["money"]["info"])

# -- by year --------------------------------------------------------------------------------------------
st.subheader(t("分年度", "By year"))
years = v["years"]
if "info" in years:
    st.info(years["info"])
else:
    plot.chart(years["chart"])
    if years["chart_note"]:
        st.caption(years["chart_note"])
    common.table(years["table"], column_config={
        "short_name": t(terms.PROJECT), "year": st.column_config.NumberColumn(t(terms.YEAR), format="%d"),
        "initial_s": t("年初预算", "Initial budget"), "adjusted_s": t("调整预算", "Adjusted budget"),
        "adjustment_s": t("调整额", "Adjustment"), "received_s": t("到位资金", "Received"),
        "spent_s": t("实际支出", "Spent"), "arrival_s": t("到位率", "Arrival"), "execution_s": t(terms.EXECUTION),
    })
    if years["table_note"]:
        st.caption(years["table_note"])

# -- the report's own figures beside ours, and the sub-projects (one project) ----------------------------
if v["stated"] is not None:
    st.subheader(t("报告所述与重新计算", "The report's figures and ours"))
    common.table(v["stated"], column_config={
        "label": t("报告中的名称", "Label in the report"), "scope_s": t("范围", "Scope"),
        "stated_s": t("报告值", "Stated"), "computed_s": t("重新计算", "Recomputed"), "check": t("核对", "Check")})
if v["subprojects"]:
    st.subheader(t("子项目", "Sub-projects"))
    plot.chart(v["subprojects"]["chart"])
    if v["subprojects"]["note"]:
        st.caption(v["subprojects"]["note"])
fs = state.model(budget.fund_sources, **args)
if fs:
    st.subheader(fs["title"])
    common.table(fs["table"], column_config={"short_name": t(terms.PROJECT), "year": st.column_config.NumberColumn(
        t(terms.YEAR), format="%d"), "fund_source": t("资金来源", "Fund source"), "initial_s": t("年初预算数",
        "Initial budget"), "adjusted_s": t("全年预算数", "Full-year budget"), "spent_s": t("全年执行数", "Spent"),
        "execution_s": t(terms.EXECUTION)})
    st.caption(fs["note"])

# -- vendors ----------------------------------------------------------------------------------------------
st.subheader(t("承办单位支付", "Payments to vendors"))
pay = state.model(budget.vendors, **args)
if pay["info"]:
    st.info(pay["info"])
else:
    plot.chart(pay["chart"])
    for warning in pay["warnings"]:
        st.warning(warning)
    if pay["more"]:
        st.caption(pay["more"])
    labels = {"short_name": t(terms.PROJECT), "vendor_s": t("承办单位", "Vendor"),
              "amount_s": t("金额（万元）", "Amount (10k CNY)"), "projects": t(terms.PROJECTS),
              "payment_lines": t("支付笔数", "Lines"), "spellings": t("支付表中的写法", "Spelling in the payment table")}
    common.table(pay["table"],
                 column_config={c: label for c, label in labels.items() if c in pay["table"].columns})
    if pay["note"]:
        st.caption(pay["note"])
payments.draw(pid)  # paid / pending / not reported, by fund source
if pay["lines"] is not None:
    with st.expander(t("支付明细", "Payment lines")):
        common.table(pay["lines"], column_config={
            "payment_id": t("编号", "Id"), "subproject_id": t("子项目", "Sub-project"), "item": t("具体项目", "Service"),
            "vendor": t("承办单位（统一）", "Vendor"), "spelling": t("报告写法", "As spelled"),
            "amount_s": t("金额（万元）", "Amount")})
