"""预算执行 Budget's page models: what app_pages/budget.py draws, for one project or every project the sidebar's
filters select (pure: no Streamlit).

Two models, each cached on its own by the page (``perfeval.ui.state.model``):

- `build`: the headline figures (KPI cards and their help), the cut-off line, the two dials, the notes that
  explain the money figures, the per-project chart, table and dials (no project picked), the money path, the
  money by year, the report's own figures beside ours and the sub-projects (one project picked);
- `vendors`: the payments per vendor (per project × vendor, or the vendors' totals across a selection too
  large to list), the "one vendor, several spellings" warnings and the payment lines (one project).

Amounts are 万元 and rates fractions (shown as %); the maths is `perfeval.domain.budget`, the figures
`perfeval.charts.budget`, the capped lists' words `perfeval.views.capped`. A figure a report leaves out
reads 未披露 (fmt.not_reported), never 0.
"""
from __future__ import annotations

import pandas as pd

from perfeval.charts import base as charts
from perfeval.charts import budget as charts_budget
from perfeval.domain import budget
from perfeval.domain.portfolio import data_kinds
from perfeval.text import fmt
from perfeval.text import glossary as terms
from perfeval.text.i18n import Translator
from perfeval.views import capped
from perfeval.views.common import Filters, Links

MAX_NOTES = 12            # projects whose money notes are worked out (in the page's order)
MAX_DOTS = 30             # projects in the per-project rates chart
MAX_PROJECT_DIALS = 8     # a selection of at most this many projects gets a pair of dials each
NOTES_EXPANDED = 5        # the notes' expander is open for a selection of at most this many projects

ARRIVAL_LABEL: tuple[str, str] = terms.ARRIVAL_RATE
EXECUTION_LABEL: tuple[str, str] = terms.EXECUTION_RATE


def _focus(projects: pd.DataFrame, project_id: str | None) -> tuple[pd.DataFrame, dict | None]:
    """(the rows the page shows, the focused project's row or None): every selected project when
    ``project_id`` is None or not among them (the picker has warned about it then)."""
    if project_id is None:
        return projects, None
    sel = projects[projects["project_id"] == project_id]
    if sel.empty:
        return projects, None
    return sel, sel.iloc[0].to_dict()


def _left_out(text: str, missing: int, t: Translator) -> str:
    """A rate's help text, with how many projects it leaves out for want of a figure."""
    return text + (t(f"（{missing} 个项目未披露，未计入）", f" ({missing} not reported, left out)") if missing else "")


def _kpis(totals: dict, one: dict | None, readings: dict, lang: str, execution_help: str | None = None
          ) -> tuple[list, list]:
    """The two rows of KPI cards, (label, value) pairs, and their help texts (None: no help);
    ``execution_help``: the execution rate's definition (`_execution_help`)."""
    t = Translator(lang)
    (arrival, _, miss_arr), (execution, _, miss_exe) = readings["arrival"], readings["execution"]
    money = [(t(terms.BUDGET_WAN), fmt.number(totals["budget"], 2, lang)),
             (t(terms.RECEIVED_WAN), fmt.number(totals["received"], 2, lang)),
             (t(terms.SPENT_WAN), fmt.number(totals["spent"], 2, lang)),
             (t(terms.UNSPENT_WAN), fmt.number(totals["unspent"], 2, lang))]
    money_help = [t("调整预算，未调整的取年初预算", "adjusted budget, else the initial one"), None, None,
                  t("到位资金 − 实际支出；负数＝支出多于到位", "received − spent; negative = spent more than received")]
    rates = [(t(ARRIVAL_LABEL), fmt.pct(arrival.value, lang)), (t(EXECUTION_LABEL), fmt.pct(execution.value, lang))]
    rates_help = [_left_out(t("到位资金 ÷ 预算", "received ÷ budget"), miss_arr, t),
                  _left_out(execution_help or t("实际支出 ÷ 到位资金", "spent ÷ received"), miss_exe, t)]
    if one is None:
        rates += [(t(terms.PROJECTS), f"{int(totals['projects']):,}"),
                  (t("未披露预算的项目", "Projects without a budget"), f"{int(totals['no_budget']):,}")]
        rates_help += [None, None]
    else:
        rates += [(t("估算总投资（万元）", "Estimated investment (10k CNY)"),
                   fmt.number(one.get("estimated_investment"), 2, lang)),
                  (t("调整预算（万元）", "Adjusted budget (10k CNY)"), fmt.number(one.get("adjusted_budget"), 2, lang))]
        rates_help += [None, t("年初预算 ", "initial budget ") + fmt.number(one.get("initial_budget"), 2, lang)]
    return [money, rates], [money_help, rates_help]


def _execution_help(money, one: dict | None, lang: str) -> str:
    """The execution rate's definition: the project's (its stated figure where it cannot be recomputed), or for a
    selection spent ÷ received, saying how many self-evaluations count 全年执行数 ÷ 全年预算数 instead."""
    t = Translator(lang)
    if one is not None:
        return (budget.execution_definition(one.get("execution_basis"), one.get("execution_stated"), lang)
                or budget.execution_definition("received", False, lang))
    n = int(pd.to_numeric(money["execution_budget_n"], errors="coerce").fillna(0).sum()) \
        if "execution_budget_n" in money.columns and len(money) else 0
    text = t("实际支出 ÷ 到位资金", "spent ÷ received")
    if n:
        text += t(f"；其中 {n} 个自评项目无到位资金，按自评表的 全年执行数 ÷ 全年预算数 计",
                  f"; {n} self-evaluations without receipts count spent ÷ full-year budget, as their form defines it")
    return text


def _dial_note(target_pct: float, t: Translator) -> str:
    return t(f"表盘：黑线为目标 {target_pct:g}%；红色区间低于目标 20% 以上，黄色区间接近目标，绿色区间达到目标。"
             "蓝色指针＝非年末的过程数据（数值仍会变化，不按未达标着色）；执行率的黄色指针超过目标＝支出超过到位资金。",
             f"Dial: the black line is the {target_pct:g}% target; red band more than 20% below it, amber close to it, "
             "green at or above it. A blue needle is an interim figure (not a year end; still changing, not coloured "
             "as a miss); an amber execution needle above the target means more was spent than received.")


def _notes(q, sel: pd.DataFrame, one: dict | None, lang: str) -> dict | None:
    """The sentences that explain the money figures of the first `MAX_NOTES` projects: {"info": text} for one
    project, {"title", "expanded", "lines"} (one markdown line per project) for several; None when none."""
    t = Translator(lang)
    by_project = {}
    for r in sel.head(MAX_NOTES).to_dict("records"):
        need_fund, need_sub = budget.notes_need(r)  # query only what the notes will read
        by_fund = q("budget_by_fund_source", project_id=r["project_id"]) if need_fund else None
        by_sub = q("budget_by_subproject", project_id=r["project_id"]) if need_sub else None
        notes = budget.money_notes(r, by_fund, by_sub, lang)
        if notes:
            by_project[r["short_name"]] = notes
    join = "" if lang == "zh" else " "
    if not by_project:
        return None
    if one:
        return {"info": join.join(next(iter(by_project.values())))}
    n = len(by_project)
    return {"title": t(f"说明（{n} 个项目的资金数据需要注意）", f"Notes ({n} projects' money figures need a word)"),
            "expanded": len(sel) <= NOTES_EXPANDED,
            "lines": [f"**{name}**{'：' if lang == 'zh' else ': '}" + join.join(notes)
                      for name, notes in by_project.items()]}


def _definition_note(row: dict, lang: str) -> str:
    """" · 全年执行数 ÷ 全年预算数" under an execution dial whose rate is not spent ÷ received (or is stated); ""."""
    basis = row.get("execution_basis") if isinstance(row.get("execution_basis"), str) else None
    stated = not fmt.is_missing(row.get("execution_stated")) and bool(row.get("execution_stated"))
    if basis in (None, "received") and not stated:
        return ""
    return " · " + budget.execution_definition(basis or "received", stated, lang)


def _gauge(reading, title: str, t: Translator, subtitle: str, height: int | None = None) -> str:
    kw = {} if height is None else {"height": height}
    return charts.spec(charts_budget.rate_gauge(reading, title, t, subtitle=subtitle, **kw))


def _per_project(q, sel: pd.DataFrame, totals: dict, *, filters: Filters, lang: str, links: Links, target: float,
                 max_rows: int) -> dict:
    """The per-project part of a selection: the rates chart, the table (capped at ``max_rows`` rows: the lowest
    execution rates first), their captions and, for a small selection, a pair of dials per project."""
    t = Translator(lang)
    n_sel = totals["projects"]
    many = capped.is_capped(n_sel, max_rows)
    # beyond max_rows projects, the chart and the table hold those with the lowest execution rate (SQL)
    ranked = (q("budget_projects_attention", **filters.params(), limit=max_rows) if many
              else sel.sort_values("execution_rate", na_position="last"))
    dots = ranked.head(MAX_DOTS)
    out = {"chart": charts.spec(charts_budget.rate_dots(dots, t, target)), "chart_note": None, "table_note": None}
    if n_sel > len(dots):
        out["chart_note"] = t(f"图中为预算执行率最低的 {len(dots)} 个项目（共 {n_sel:,} 个）" + ("。" if many else "，全部项目见下表。"),
                              f"The chart shows the {len(dots)} projects with the lowest execution rate (of {n_sel:,})"
                              + ("." if many else "; all are in the table."))
    rows = ranked if many else sel
    table = rows.assign(
        link=links.many("budget", "project", rows["project_id"]),
        cutoff=[budget.cutoff_text(a, lang) for a in rows["as_of"]],
        arrival_s=[fmt.pct(v, lang) for v in rows["arrival_rate"]],
        execution_s=[budget.execution_text(v, b, s, lang) for v, b, s in
                     zip(rows["execution_rate"], rows["execution_basis"], rows["execution_stated"])],
        budget_s=[fmt.number(v, 2, lang) for v in rows["budget"]],
        received_s=[fmt.number(v, 2, lang) for v in rows["received"]],
        spent_s=[fmt.number(v, 2, lang) for v in rows["spent"]],
        est_s=[fmt.number(v, 2, lang) for v in rows["estimated_investment"]],
    )
    out["table"] = table[["short_name", "link", "budget_s", "est_s", "received_s", "spent_s", "arrival_s",
                          "execution_s", "cutoff"]]
    if many:
        out["table_note"] = capped.note(len(rows), n_sel, "个项目", "projects", "预算执行率最低（未披露的排在最后）",
                                        "the lowest execution rates (not reported last)", lang)
    dials = []  # (chart key, spec): arrival then execution, project by project
    if len(sel) <= MAX_PROJECT_DIALS:
        for r in sel.to_dict("records"):
            a = budget.gauge_reading(r["arrival_rate"], target, r["as_of"])
            e = budget.gauge_reading(r["execution_rate"], target, r["as_of"], ceiling=budget.EXECUTION_CEILING)
            sub = budget.cutoff_text(r["as_of"], lang)
            e_sub = sub + _definition_note(r, lang)
            dials.append((f"ga_{r['project_id']}", _gauge(a, f"{r['short_name']} · " + t("资金到位率", "arrival"), t,
                                                          budget.status_text(a, lang) + " · " + sub, height=230)))
            dials.append((f"ge_{r['project_id']}", _gauge(e, f"{r['short_name']} · " + t("预算执行率", "execution"), t,
                                                          budget.status_text(e, lang) + " · " + e_sub, height=230)))
    out["dials"] = dials
    return out


def _money_path(totals: dict, one: dict | None, miss_arr: int, t: Translator) -> dict:
    """The waterfall budget → received → spent ({"chart"}), or the sentence that replaces it ({"info"})."""
    steps = budget.money_steps(totals["budget"] if miss_arr == 0 or one else None, totals["received"], totals["spent"])
    if not steps:
        return {"info": t("报告未披露预算、到位与支出（未披露）。", "No budget, receipts or spending reported.")}
    sub = None if one or miss_arr == 0 else t("部分项目未披露预算，从到位资金起算",
                                               "some projects report no budget: starts at received")
    return {"chart": charts.spec(charts_budget.money_waterfall(steps, t, subtitle=sub))}


def _years(q, one: dict | None, project_id: str | None, *, filters: Filters, lang: str,
           max_rows: int) -> tuple[dict, pd.DataFrame]:
    """The money by year: the chart of the yearly totals, the table per project × year (capped at ``max_rows``
    rows: the year's lowest execution rates first) and their captions, or {"info"} when there is none;
    with the rows of budget_by_year it listed (for the stated figures)."""
    t = Translator(lang)
    if one:
        years = q("budget_by_year", **filters.params(), project_id=project_id)
        yearly, n_year_projects, n_project_years = years, 1, len(years)
    else:
        # the yearly totals of every selected project in SQL; project × year rows listed only up to max_rows
        yearly = q("budget_totals_by_year", **filters.params())
        n_year_projects = int(yearly["all_projects"].iloc[0]) if len(yearly) else 0
        n_project_years = int(yearly["project_years"].iloc[0]) if len(yearly) else 0
        years = (q("budget_by_year_attention", **filters.params(), limit=max_rows)
                 if capped.is_capped(n_project_years, max_rows)
                 else q("budget_by_year", **filters.params(), project_id=None))
    if yearly.empty:
        return {"info": t("没有分年度的资金数据（未披露）。", "No yearly money figures (not reported).")}, years
    y = budget.with_rates(years)
    table = y.assign(
        initial_s=[fmt.number(v, 2, lang) for v in y["initial_budget"]],
        adjusted_s=[fmt.number(v, 2, lang) for v in y["adjusted_budget"]],
        adjustment_s=[fmt.number(v, 2, lang) for v in y["adjustment"]],
        received_s=[fmt.number(v, 2, lang) for v in y["received"]],
        spent_s=[fmt.number(v, 2, lang) for v in y["spent"]],
        arrival_s=[fmt.pct(v, lang) for v in y["arrival_rate"]],
        execution_s=[budget.execution_text(v, b, False, lang) for v, b in zip(y["execution_rate"], y["execution_basis"])],
    )[["short_name", "year", "initial_s", "adjusted_s", "adjustment_s", "received_s", "spent_s", "arrival_s",
       "execution_s"]]
    out = {"chart": charts.spec(charts_budget.year_bars(yearly, t)), "table": table, "chart_note": None,
           "table_note": None}
    if n_year_projects > 1:
        out["chart_note"] = t("图中为所选项目的逐年合计；某年有项目未披露某项时，该项当年合计不画（未披露），"
                              "以免少计。下表按项目列出。",
                              "The chart sums the selected projects per year; where a project of a year leaves a measure "
                              "out, that year's total is not drawn (not reported) rather than understated. The table "
                              "lists them.")
    if len(years) < n_project_years:
        out["table_note"] = capped.note(len(years), n_project_years, "个项目年度", "project-years",
                                        "当年预算执行率最低（未披露的排在最后）",
                                        "the lowest execution rates of the year (not reported last)", lang)
    return out, years


def _stated(q, sel: pd.DataFrame, years: pd.DataFrame, project_id: str, *, filters: Filters,
            lang: str) -> pd.DataFrame | None:
    """The report's own money figures beside ours, one project: label, scope, stated, recomputed and whether
    they agree, as texts; None when the report states none."""
    t = Translator(lang)
    stated = q("budget_stated_rates", **filters.params(), project_id=project_id)
    if not len(stated):
        return None
    cmp = budget.compare_stated(stated, budget.with_rates(sel).iloc[0].to_dict(),
                                years[years["project_id"] == project_id] if len(years) else None)

    def show(v, is_rate):
        return fmt.pct(v, lang) if is_rate else fmt.number(v, 2, lang)

    return cmp.assign(
        stated_s=[show(v, r) for v, r in zip(cmp["stated"], cmp["is_rate"])],
        computed_s=[show(v, r) for v, r in zip(cmp["computed"], cmp["is_rate"])],
        scope_s=[budget.scope_label(v, lang) for v in cmp["scope"]],
        check=[t("✅ 一致", "✅ agrees") if a is True else t("⚠️ 不一致", "⚠️ differs") if a is False
               else t("无法重算", "cannot recompute") for a in cmp["agrees"]],
    )[["label", "scope_s", "stated_s", "computed_s", "check"]]


def _subprojects(q, project_id: str, t: Translator) -> dict | None:
    """One project's sub-projects: their chart and, where the report splits no money by sub-project, a note;
    None when the project has no sub-projects."""
    subs = q("budget_by_subproject", project_id=project_id)
    named = subs["subproject_id"].notna()
    if not named.any():
        return None
    note = None
    if (~named).any() and subs.loc[named, "spent"].isna().all():
        note = t("报告只给出整个项目的到位与支出，未按子项目拆分；子项目的“支付明细合计”为支付表各行之和。",
                 "The report gives receipts and spending for the whole project only; a sub-project's "
                 "“payment lines” is the sum of its rows in the payment table.")
    return {"chart": charts.spec(charts_budget.subproject_bars(subs, t)), "note": note}


def build(q, *, filters: Filters, lang: str, links: Links, project_id: str | None = None,
          target_pct: float = 100.0, max_rows: int = capped.MAX_ROWS) -> dict:
    """Everything the budget page draws but the vendors, for ``project_id`` (None: every selected project),
    read against a target of ``target_pct`` % for both rates; per-project and per-year tables list at most
    ``max_rows`` rows. Keys:

    title, kinds (rows per data kind); kpis / kpi_help (two rows of cards); cutoff (the cut-off line);
    gauges [(key, spec)] and dial_note; notes (`_notes`, or None); per_project (`_per_project`; None with a
    project picked); money ({"chart"} or {"info"}); years (`_years`); stated (a table or None) and
    subprojects (`_subprojects`), with a project picked only.
    """
    t = Translator(lang)
    target = target_pct / 100
    sel, one = _focus(q("budget_projects", **filters.params(), project_id=None), project_id)
    pid = one["project_id"] if one else None
    v = {"title": t("预算执行", "Budget execution") + (f" · {t.pick(one, 'name', 'name_en')}" if one else ""),
         "kinds": data_kinds(sel)}

    # -- headline figures: sums and money-weighted rates over every selected project, in SQL (one row per cut-off)
    money = q("budget_portfolio", **filters.params(), project_id=pid)
    totals = budget.portfolio_totals(money)
    readings = {"arrival": budget.portfolio_reading(money, "arrival", target),
                "execution": budget.portfolio_reading(money, "execution", target, ceiling=budget.EXECUTION_CEILING)}
    if one is not None and readings["execution"][0].value is None and not fmt.is_missing(one.get("execution_rate")):
        # the document states the rate but not the amounts it comes from: its stated figure, never 未披露
        readings["execution"] = (budget.gauge_reading(one["execution_rate"], target, one.get("as_of"),
                                                      ceiling=budget.EXECUTION_CEILING), 1, 0)
    v["kpis"], v["kpi_help"] = _kpis(totals, one, readings, lang, _execution_help(money, one, lang))
    v["cutoff"] = "**📅 " + (t("资金数据", "Money figures") + " " + budget.cutoff_text(one.get("as_of"), lang) if one
                            else budget.cutoff_summary_counts(zip(money["as_of"], money["projects"]), lang)) + "**"

    # -- the two dials
    arrival, execution = readings["arrival"][0], readings["execution"][0]
    scope_word = "" if one else t("（所选项目加权）", " (selection, money-weighted)")
    cut = budget.cutoff_text(one.get("as_of"), lang) if one else (
        t("含非年末数据", "includes interim figures") if execution.interim else None)
    v["gauges"] = [(f"gauge_{label[1]}", _gauge(reading, t(label) + scope_word, t,
                                                budget.status_text(reading, lang) + (f" · {cut}" if cut else "")
                                                + (_definition_note(one, lang) if one and label == EXECUTION_LABEL
                                                   else "")))
                   for reading, label in ((arrival, ARRIVAL_LABEL), (execution, EXECUTION_LABEL))]
    v["dial_note"] = _dial_note(target_pct, t)

    v["notes"] = _notes(q, sel, one, lang)
    v["per_project"] = None if one else _per_project(q, sel, totals, filters=filters, lang=lang, links=links,
                                                     target=target, max_rows=max_rows)
    v["money"] = _money_path(totals, one, readings["arrival"][2], t)
    v["years"], years = _years(q, one, pid, filters=filters, lang=lang, max_rows=max_rows)
    v["stated"] = _stated(q, sel, years, pid, filters=filters, lang=lang) if one else None
    v["subprojects"] = _subprojects(q, pid, t) if one else None
    return v


# -- vendors ------------------------------------------------------------------------------------------------

def _vendor_table(df: pd.DataFrame, before: list[str], after: list[str], lang: str) -> pd.DataFrame:
    """The vendors table: ``before`` columns, vendor (统一名称), amount, ``after`` columns, lines, spellings."""
    t = Translator(lang)
    cols = before + ["vendor_s", "amount_s"] + after + ["payment_lines", "spellings"]
    return df.assign(
        vendor_s=[v if isinstance(v, str) else t("（未注明单位）", "(no vendor named)") for v in df["vendor"]],
        amount_s=[fmt.number(v, 2, lang) for v in df["amount"]],
        spellings=fmt.texts(df["spellings"], lang),  # no vendor written: 未披露, not None
    )[cols]


def _flagged(df: pd.DataFrame) -> pd.DataFrame:
    """The vendors the report spells more than one way."""
    return df[(df["n_known_spellings"] > 1) | (df["n_spellings"] > 1)]


def vendors(q, *, filters: Filters, lang: str, project_id: str | None = None,
            max_rows: int = capped.MAX_ROWS) -> dict:
    """The payments to vendors of ``project_id`` (None: every selected project). Keys: chart (a spec, or None
    with {"info"} when no payment line is reported), warnings (one per vendor spelled several ways), more (a
    caption counting the warnings left out, or None), table, note (a caption, or None) and lines (one project's
    payment lines, or None).

    Listed per project × vendor while that fits in ``max_rows`` rows; beyond, one row per vendor summed over
    the selection (the largest amounts first), the chart at most `budget.MAX_CHART_VENDORS` vendors and at most
    `budget.MAX_SPELLING_WARNINGS` warnings.
    """
    t = Translator(lang)
    v = {"chart": None, "info": None, "warnings": [], "more": None, "table": None, "note": None, "lines": None}
    # with no project picked: the vendors' totals across the selection in SQL; listed per project × vendor only
    # while that list fits in a table (max_rows rows)
    top = None if project_id else q("payments_vendor_totals", **filters.params(), limit=max_rows)
    if top is not None and len(top) and capped.is_capped(top["pairs"].iloc[0], max_rows):
        n_vendors, n_pairs = int(top["vendors"].iloc[0]), int(top["pairs"].iloc[0])
        v["chart"] = charts.spec(charts_budget.vendor_totals_bars(top.head(budget.MAX_CHART_VENDORS), t, n_vendors))
        flagged = _flagged(top)
        v["warnings"] = [
            t(f"⚠️ 同一单位多种写法：{r['known_spellings'] or r['spellings']}，统一为 {r['vendor']}（写法作为数据保留）。",
              f"⚠️ One vendor spelled several ways: {r['known_spellings'] or r['spellings']}; shown as "
              f"{r['vendor']} (the spellings are kept as data).")
            for r in flagged.head(budget.MAX_SPELLING_WARNINGS).to_dict("records")]
        if len(flagged) > budget.MAX_SPELLING_WARNINGS:
            more = len(flagged) - budget.MAX_SPELLING_WARNINGS
            v["more"] = t(f"另有 {more} 家单位有多种写法，见下表“支付表中的写法”。",
                          f"{more} more vendors are spelled several ways; see the table's spellings.")
        v["table"] = _vendor_table(top, [], ["projects"], lang)
        v["note"] = (t(f"每家单位为所选项目的合计（{n_pairs:,} 个“项目 × 单位”组合，共 {n_vendors:,} 家单位）。",
                       f"Each vendor's total over the selected projects ({n_pairs:,} project × vendor pairs, "
                       f"{n_vendors:,} vendors).")
                     + (" " + capped.note(len(top), n_vendors, "家承办单位", "vendors", "支付金额最大",
                                          "the largest amounts paid", lang) if len(top) < n_vendors else ""))
        return v
    paid = q("payments_by_vendor", **filters.params(), project_id=project_id)
    if paid.empty:
        v["info"] = t("报告未披露支付明细（未披露）。", "No payment lines reported (not reported).")
        return v
    v["chart"] = charts.spec(charts_budget.vendor_bars(paid, t))
    v["warnings"] = [t(f"⚠️ 同一单位两种写法：{r['known_spellings']}，统一为 {r['vendor']}（写法作为数据保留）。",
                       f"⚠️ One vendor spelled two ways: {r['known_spellings']}; shown as {r['vendor']} "
                       "(the spellings are kept as data).")
                     for r in _flagged(paid).to_dict("records")]
    v["table"] = _vendor_table(paid, ["short_name"], [], lang)
    if project_id:
        lines = q("payments_lines", project_id=project_id)
        # every cell a text, 未披露 where the line leaves it out (never a None in the grid; issue 18)
        v["lines"] = lines.assign(amount_s=[fmt.number(x, 2, lang) for x in lines["amount"]],
                                  **{c: fmt.texts(lines[c], lang) for c in ("subproject_id", "item", "vendor",
                                                                            "spelling")})[
            ["payment_id", "subproject_id", "item", "vendor", "spelling", "amount_s"]]
    return v


def fund_sources(q, *, filters: Filters, lang: str, project_id: str | None = None,
                 max_rows: int = capped.MAX_ROWS) -> dict | None:
    """The budget by fund source (按资金来源): per project, year and named fund source, 年初预算数 / 全年预算数 /
    全年执行数 / 执行率 (全年执行数 ÷ 全年预算数), 未披露 for a missing cell; None when no budget row names a
    fund source; at most ``max_rows`` rows listed (the note says so). Keys: title, table, note."""
    t = Translator(lang)
    df = q("budget_fund_sources", **filters.params(), project_id=project_id)
    if df.empty:
        return None
    n = len(df)
    df = df.head(max_rows)
    table = pd.DataFrame({
        "short_name": [t.pick(r, "short_name", "name_en") for r in df.to_dict("records")],
        "year": df["year"],
        "fund_source": df["fund_source"],
        "initial_s": [fmt.number(v, 2, lang) for v in df["initial_budget"]],
        "adjusted_s": [fmt.number(v, 2, lang) for v in df["adjusted_budget"]],
        "spent_s": [fmt.number(v, 2, lang) for v in df["spent"]],
        "execution_s": [fmt.pct(v, lang) for v in df["execution_rate"]],
    })
    return {"title": t("按资金来源", "By fund source"), "table": table,
            "note": t("金额单位：万元；执行率 = 全年执行数 ÷ 全年预算数（自评表口径）。",
                      "Amounts in 万元; execution = spent ÷ full-year budget (the self-evaluation form's definition).")
            + (" " + capped.note(len(df), n, "行", "rows", "按项目、年度排列", "in project and year order", lang)
               if len(df) < n else "")}
