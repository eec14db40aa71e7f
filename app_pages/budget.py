"""预算执行 Budget: arrival and execution rates against a target, with the data cut-off; the money by year,
by sub-project and as a path budget → received → spent; payments per vendor (one name per vendor).

Deep link: ``budget?project=<project_id>`` focuses on one project; ``&target=95`` sets the target (%).
"""
import streamlit as st

from perfeval.charts import budget as charts_budget
from perfeval.domain import budget
from perfeval.text import fmt
from perfeval.ui import common, plot, project_focus, state
from perfeval.views import capped

t = state.tr()
lang = state.lang()
f = state.filters()
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
target = target_pct / 100
state.write_url({"project": pid, "target": None if target_pct == 100 else f"{target_pct:g}"})

sel, one = project_focus.focus(projects, pid)
title = t("预算执行", "Budget execution") + (f" · {t.pick(one, 'name', 'name_en')}" if one else "")
with header:
    common.page_header(title, sel)

# -- headline figures and the cut-off ---------------------------------------------------------------
# sums and money-weighted rates over every selected project, in SQL (one row per cut-off date)
money = state.query("budget_portfolio", **f.params(), project_id=pid)
totals = budget.portfolio_totals(money)
arrival, n_arr, miss_arr = budget.portfolio_reading(money, "arrival", target)
execution, n_exe, miss_exe = budget.portfolio_reading(money, "execution", target, ceiling=budget.EXECUTION_CEILING)

common.kpi_row([
    (t("预算（万元）", "Budget (10k CNY)"), fmt.number(totals["budget"], 2, lang)),
    (t("到位资金（万元）", "Received (10k CNY)"), fmt.number(totals["received"], 2, lang)),
    (t("实际支出（万元）", "Spent (10k CNY)"), fmt.number(totals["spent"], 2, lang)),
    (t("结余（万元）", "Unspent (10k CNY)"), fmt.number(totals["unspent"], 2, lang)),
], [t("调整预算，未调整的取年初预算", "adjusted budget, else the initial one"), None, None,
    t("到位资金 − 实际支出；负数＝支出多于到位", "received − spent; negative = spent more than received")])
rate_items = [
    (t("资金到位率", "Arrival rate"), fmt.pct(arrival.value, lang)),
    (t("预算执行率", "Execution rate"), fmt.pct(execution.value, lang)),
]
rate_help = [
    t("到位资金 ÷ 预算", "received ÷ budget") + (t(f"（{miss_arr} 个项目未披露，未计入）", f" ({miss_arr} not reported, left out)") if miss_arr else ""),
    t("实际支出 ÷ 到位资金", "spent ÷ received") + (t(f"（{miss_exe} 个项目未披露，未计入）", f" ({miss_exe} not reported, left out)") if miss_exe else ""),
]
if one is None:
    rate_items += [(t("项目数", "Projects"), f"{int(totals['projects']):,}"),
                   (t("未披露预算的项目", "Projects without a budget"), f"{int(totals['no_budget']):,}")]
    rate_help += [None, None]
else:
    rate_items += [(t("估算总投资（万元）", "Estimated investment (10k CNY)"), fmt.number(one.get("estimated_investment"), 2, lang)),
                   (t("调整预算（万元）", "Adjusted budget (10k CNY)"), fmt.number(one.get("adjusted_budget"), 2, lang))]
    rate_help += [None, t("年初预算 ", "initial budget ") + fmt.number(one.get("initial_budget"), 2, lang)]
common.kpi_row(rate_items, rate_help)

if one:
    st.markdown("**📅 " + t("资金数据", "Money figures") + " " + budget.cutoff_text(one.get("as_of"), lang) + "**")
else:
    st.markdown("**📅 " + budget.cutoff_summary_counts(zip(money["as_of"], money["projects"]), lang) + "**")

# -- gauges ---------------------------------------------------------------------------------------------
g1, g2 = st.columns(2)
scope_word = "" if one else t("（所选项目加权）", " (selection, money-weighted)")
cut = budget.cutoff_text(one.get("as_of"), lang) if one else (
    t("含非年末数据", "includes interim figures") if execution.interim else None)
for col, reading, zh, en in ((g1, arrival, "资金到位率", "Arrival rate"), (g2, execution, "预算执行率", "Execution rate")):
    sub = budget.status_text(reading, lang) + (f" · {cut}" if cut else "")
    plot.chart(charts_budget.rate_gauge(reading, t(zh, en) + scope_word, t, subtitle=sub),
               key=f"gauge_{en}", where=col)
st.caption(t(f"表盘：黑线为目标 {target_pct:g}%；红色区间低于目标 20% 以上，黄色区间接近目标，绿色区间达到目标。"
             "蓝色指针＝非年末的过程数据（数值仍会变化，不按未达标着色）；执行率的黄色指针超过目标＝支出超过到位资金。",
             f"Dial: the black line is the {target_pct:g}% target; red band more than 20% below it, amber close to it, "
             "green at or above it. A blue needle is an interim figure (not a year end; still changing, not coloured as a miss); "
             "an amber execution needle above the target means more was spent than received."))

# -- explanations ---------------------------------------------------------------------------------------
notes_by_project = {}
for r in sel.head(12).to_dict("records"):
    need_fund, need_sub = budget.notes_need(r)  # query only what the notes will read
    by_fund = state.query("budget_by_fund_source", project_id=r["project_id"]) if need_fund else None
    by_sub = state.query("budget_by_subproject", project_id=r["project_id"]) if need_sub else None
    notes = budget.money_notes(r, by_fund, by_sub, lang)
    if notes:
        notes_by_project[r["short_name"]] = notes
if one and notes_by_project:
    st.info(("" if lang == "zh" else " ").join(next(iter(notes_by_project.values()))))
elif notes_by_project:
    with st.expander(t(f"说明（{len(notes_by_project)} 个项目的资金数据需要注意）",
                       f"Notes ({len(notes_by_project)} projects' money figures need a word)"), expanded=len(sel) <= 5):
        for name, notes in notes_by_project.items():
            st.markdown(f"**{name}**{'：' if lang == 'zh' else ': '}" + ("" if lang == "zh" else " ").join(notes))

# -- per project ----------------------------------------------------------------------------------------
if not one:
    st.subheader(t("各项目", "Per project"))
    n_sel = totals["projects"]
    many = capped.is_capped(n_sel)
    # beyond capped.MAX_ROWS projects, the chart and the table hold those with the lowest execution rate (SQL)
    ranked = (state.query("budget_projects_attention", **f.params(), limit=capped.MAX_ROWS) if many
              else sel.sort_values("execution_rate", na_position="last"))
    dots = ranked.head(30)
    plot.chart(charts_budget.rate_dots(dots, t, target))
    if n_sel > len(dots):
        st.caption(t(f"图中为预算执行率最低的 {len(dots)} 个项目（共 {n_sel:,} 个）" + ("。" if many else "，全部项目见下表。"),
                     f"The chart shows the {len(dots)} projects with the lowest execution rate (of {n_sel:,})"
                     + ("." if many else "; all are in the table.")))
    rows = ranked if many else sel
    table = rows.assign(
        link=state.links().many("budget", "project", rows["project_id"]),
        cutoff=[budget.cutoff_text(a, lang) for a in rows["as_of"]],
        arrival_s=[fmt.pct(v, lang) for v in rows["arrival_rate"]],
        execution_s=[fmt.pct(v, lang) for v in rows["execution_rate"]],
        budget_s=[fmt.number(v, 2, lang) for v in rows["budget"]],
        received_s=[fmt.number(v, 2, lang) for v in rows["received"]],
        spent_s=[fmt.number(v, 2, lang) for v in rows["spent"]],
        est_s=[fmt.number(v, 2, lang) for v in rows["estimated_investment"]],
    )
    st.dataframe(table[["short_name", "link", "budget_s", "est_s", "received_s", "spent_s", "arrival_s",
                        "execution_s", "cutoff"]], hide_index=True, width="stretch", column_config={
        "short_name": t("项目", "Project"),
        "link": st.column_config.LinkColumn(t("详情", "Details"), display_text=t("聚焦 ›", "focus ›")),
        "budget_s": t("预算（万元）", "Budget"), "est_s": t("估算总投资（万元）", "Estimated investment"),
        "received_s": t("到位（万元）", "Received"), "spent_s": t("支出（万元）", "Spent"),
        "arrival_s": t("到位率", "Arrival"), "execution_s": t("执行率", "Execution"), "cutoff": t("数据截至", "As of"),
    })
    if many:
        st.caption(capped.note(len(rows), n_sel, "个项目", "projects", "预算执行率最低（未披露的排在最后）",
                               "the lowest execution rates (not reported last)", lang))
    if len(sel) <= 8:
        with st.expander(t("各项目仪表盘", "Dials per project")):
            for r in sel.to_dict("records"):
                a = budget.gauge_reading(r["arrival_rate"], target, r["as_of"])
                e = budget.gauge_reading(r["execution_rate"], target, r["as_of"], ceiling=budget.EXECUTION_CEILING)
                c1, c2 = st.columns(2)
                sub = budget.cutoff_text(r["as_of"], lang)
                plot.chart(charts_budget.rate_gauge(a, f"{r['short_name']} · " + t("资金到位率", "arrival"), t,
                                                    subtitle=budget.status_text(a, lang) + " · " + sub, height=230),
                           key=f"ga_{r['project_id']}", where=c1)
                plot.chart(charts_budget.rate_gauge(e, f"{r['short_name']} · " + t("预算执行率", "execution"), t,
                                                    subtitle=budget.status_text(e, lang) + " · " + sub, height=230),
                           key=f"ge_{r['project_id']}", where=c2)

# -- the money path -------------------------------------------------------------------------------------
st.subheader(t("资金流向", "Money path"))
steps = budget.money_steps(totals["budget"] if miss_arr == 0 or one else None, totals["received"], totals["spent"])
if steps:
    plot.chart(charts_budget.money_waterfall(
        steps, t, subtitle=None if one or miss_arr == 0 else t("部分项目未披露预算，从到位资金起算",
                                                               "some projects report no budget: starts at received")))
else:
    st.info(t("报告未披露预算、到位与支出（未披露）。", "No budget, receipts or spending reported."))

# -- by year --------------------------------------------------------------------------------------------
st.subheader(t("分年度", "By year"))
if one:
    years = state.query("budget_by_year", **f.params(), project_id=pid)
    yearly, n_year_projects, n_project_years = years, 1, len(years)
else:
    # the yearly totals of every selected project in SQL; project × year rows listed only up to capped.MAX_ROWS
    yearly = state.query("budget_totals_by_year", **f.params())
    n_year_projects = int(yearly["all_projects"].iloc[0]) if len(yearly) else 0
    n_project_years = int(yearly["project_years"].iloc[0]) if len(yearly) else 0
    years = (state.query("budget_by_year_attention", **f.params(), limit=capped.MAX_ROWS)
             if capped.is_capped(n_project_years) else state.query("budget_by_year", **f.params(), project_id=None))
if yearly.empty:
    st.info(t("没有分年度的资金数据（未披露）。", "No yearly money figures (not reported)."))
else:
    plot.chart(charts_budget.year_bars(yearly, t))
    if n_year_projects > 1:
        st.caption(t("图中为所选项目的逐年合计；某年有项目未披露某项时，该项当年合计不画（未披露），以免少计。下表按项目列出。",
                     "The chart sums the selected projects per year; where a project of a year leaves a measure out, "
                     "that year's total is not drawn (not reported) rather than understated. The table lists them."))
    y = budget.with_rates(years)
    st.dataframe(y.assign(
        initial_s=[fmt.number(v, 2, lang) for v in y["initial_budget"]],
        adjusted_s=[fmt.number(v, 2, lang) for v in y["adjusted_budget"]],
        adjustment_s=[fmt.number(v, 2, lang) for v in y["adjustment"]],
        received_s=[fmt.number(v, 2, lang) for v in y["received"]],
        spent_s=[fmt.number(v, 2, lang) for v in y["spent"]],
        arrival_s=[fmt.pct(v, lang) for v in y["arrival_rate"]],
        execution_s=[fmt.pct(v, lang) for v in y["execution_rate"]],
    )[["short_name", "year", "initial_s", "adjusted_s", "adjustment_s", "received_s", "spent_s", "arrival_s",
       "execution_s"]], hide_index=True, width="stretch", column_config={
        "short_name": t("项目", "Project"), "year": st.column_config.NumberColumn(t("年度", "Year"), format="%d"),
        "initial_s": t("年初预算", "Initial budget"), "adjusted_s": t("调整预算", "Adjusted budget"),
        "adjustment_s": t("调整额", "Adjustment"), "received_s": t("到位资金", "Received"),
        "spent_s": t("实际支出", "Spent"), "arrival_s": t("到位率", "Arrival"), "execution_s": t("执行率", "Execution"),
    })
    if len(years) < n_project_years:
        st.caption(capped.note(len(years), n_project_years, "个项目年度", "project-years",
                               "当年预算执行率最低（未披露的排在最后）", "the lowest execution rates of the year (not reported last)",
                               lang))

# -- the report's own figures beside ours (one project) -------------------------------------------------
if one:
    stated = state.query("budget_stated_rates", **f.params(), project_id=pid)
    if len(stated):
        st.subheader(t("报告所述与重新计算", "The report's figures and ours"))
        cmp = budget.compare_stated(stated, budget.with_rates(sel).iloc[0].to_dict(),
                                    years[years["project_id"] == pid] if len(years) else None)
        show = lambda v, is_rate: fmt.pct(v, lang) if is_rate else fmt.number(v, 2, lang)  # noqa: E731
        st.dataframe(cmp.assign(
            stated_s=[show(v, r) for v, r in zip(cmp["stated"], cmp["is_rate"])],
            computed_s=[show(v, r) for v, r in zip(cmp["computed"], cmp["is_rate"])],
            scope_s=[budget.scope_label(v, lang) for v in cmp["scope"]],
            check=[t("✅ 一致", "✅ agrees") if a is True else t("⚠️ 不一致", "⚠️ differs") if a is False
                   else t("无法重算", "cannot recompute") for a in cmp["agrees"]],
        )[["label", "scope_s", "stated_s", "computed_s", "check"]], hide_index=True, width="stretch", column_config={
            "label": t("报告中的名称", "Label in the report"), "scope_s": t("范围", "Scope"),
            "stated_s": t("报告值", "Stated"), "computed_s": t("重新计算", "Recomputed"), "check": t("核对", "Check")})

# -- sub-projects (one project) -------------------------------------------------------------------------
if one:
    subs = state.query("budget_by_subproject", project_id=pid)
    if subs["subproject_id"].notna().any():
        st.subheader(t("子项目", "Sub-projects"))
        plot.chart(charts_budget.subproject_bars(subs, t))
        whole = subs[subs["subproject_id"].isna()]
        if len(whole) and subs.loc[subs["subproject_id"].notna(), "spent"].isna().all():
            st.caption(t("报告只给出整个项目的到位与支出，未按子项目拆分；子项目的“支付明细合计”为支付表各行之和。",
                         "The report gives receipts and spending for the whole project only; a sub-project's "
                         "“payment lines” is the sum of its rows in the payment table."))

def vendor_table(df, before: list[str], after: list[str]) -> None:
    """The vendors table: ``before`` columns, vendor (统一名称), amount, ``after`` columns, lines, spellings."""
    labels = {"short_name": t("项目", "Project"), "vendor_s": t("承办单位", "Vendor"),
              "amount_s": t("金额（万元）", "Amount (10k CNY)"), "projects": t("项目数", "Projects"),
              "payment_lines": t("支付笔数", "Lines"), "spellings": t("支付表中的写法", "Spelling in the payment table")}
    cols = before + ["vendor_s", "amount_s"] + after + ["payment_lines", "spellings"]
    st.dataframe(df.assign(
        vendor_s=[v if isinstance(v, str) else t("（未注明单位）", "(no vendor named)") for v in df["vendor"]],
        amount_s=[fmt.number(v, 2, lang) for v in df["amount"]],
    )[cols], hide_index=True, width="stretch", column_config={c: labels[c] for c in cols if c in labels})


# -- vendors ----------------------------------------------------------------------------------------------
st.subheader(t("承办单位支付", "Payments to vendors"))
# with no project picked: the vendors' totals across the selection in SQL; listed per project × vendor only
# while that list fits in a table (capped.MAX_ROWS rows)
top = None if one else state.query("payments_vendor_totals", **f.params(), limit=capped.MAX_ROWS)
if top is not None and len(top) and capped.is_capped(top["pairs"].iloc[0]):
    n_vendors, n_pairs = int(top["vendors"].iloc[0]), int(top["pairs"].iloc[0])
    plot.chart(charts_budget.vendor_totals_bars(top.head(budget.MAX_CHART_VENDORS), t, n_vendors))
    flagged = top[(top["n_known_spellings"] > 1) | (top["n_spellings"] > 1)]
    for r in flagged.head(budget.MAX_SPELLING_WARNINGS).to_dict("records"):
        st.warning(t(f"⚠️ 同一单位多种写法：{r['known_spellings'] or r['spellings']}，统一为 {r['vendor']}（写法作为数据保留）。",
                     f"⚠️ One vendor spelled several ways: {r['known_spellings'] or r['spellings']}; shown as "
                     f"{r['vendor']} (the spellings are kept as data)."))
    if len(flagged) > budget.MAX_SPELLING_WARNINGS:
        more = len(flagged) - budget.MAX_SPELLING_WARNINGS
        st.caption(t(f"另有 {more} 家单位有多种写法，见下表“支付表中的写法”。",
                     f"{more} more vendors are spelled several ways; see the table's spellings."))
    vendor_table(top, before=[], after=["projects"])
    st.caption(t(f"每家单位为所选项目的合计（{n_pairs:,} 个“项目 × 单位”组合，共 {n_vendors:,} 家单位）。",
                 f"Each vendor's total over the selected projects ({n_pairs:,} project × vendor pairs, "
                 f"{n_vendors:,} vendors).")
               + (" " + capped.note(len(top), n_vendors, "家承办单位", "vendors", "支付金额最大", "the largest amounts paid",
                                    lang) if len(top) < n_vendors else ""))
else:
    vendors = state.query("payments_by_vendor", **f.params(), project_id=pid)
    if vendors.empty:
        st.info(t("报告未披露支付明细（未披露）。", "No payment lines reported (not reported)."))
    else:
        plot.chart(charts_budget.vendor_bars(vendors, t))
        flagged = vendors[(vendors["n_known_spellings"] > 1) | (vendors["n_spellings"] > 1)]
        for r in flagged.to_dict("records"):
            st.warning(t(f"⚠️ 同一单位两种写法：{r['known_spellings']}，统一为 {r['vendor']}（写法作为数据保留）。",
                         f"⚠️ One vendor spelled two ways: {r['known_spellings']}; shown as {r['vendor']} "
                         "(the spellings are kept as data)."))
        vendor_table(vendors, before=["short_name"], after=[])
        if one:
            with st.expander(t("支付明细", "Payment lines")):
                lines = state.query("payments_lines", project_id=pid)
                st.dataframe(lines.assign(amount_s=[fmt.number(v, 2, lang) for v in lines["amount"]])[
                    ["payment_id", "subproject_id", "item", "vendor", "spelling", "amount_s"]], hide_index=True,
                    width="stretch", column_config={
                        "payment_id": t("编号", "Id"), "subproject_id": t("子项目", "Sub-project"),
                        "item": t("具体项目", "Service"), "vendor": t("承办单位（统一）", "Vendor"),
                        "spelling": t("报告写法", "As spelled"), "amount_s": t("金额（万元）", "Amount")})
