"""One project's deck (评审会 / 汇报会): as many slides as the project's data allow, at most ten.

The figures are the project page's: the same queries (by name, through ``q``: the page passes the pages'
query cache bound to the viewer's scope (perfeval.ui.deck), the command line ``python -m perfeval deck
--project ID`` a ``DataGate.query`` bound to a scope) and the same pure functions (perfeval.domain.audit,
scoring, budget, outcomes, survey, facts, fmt). Charts are native PowerPoint charts (perfeval.decks.slides).
What both decks share is in perfeval.decks.common. No Streamlit, no SQL, no network here.

Missing values read 未披露 / "not reported", never 0, and the notes slide names what the report does not give;
a demonstration or generated project carries the 示例数据 / 测试生成数据 badge on every slide.
"""
from __future__ import annotations

import datetime

import pandas as pd

from perfeval.charts.scorecard import RECOMPUTED, rate_colour
from perfeval.decks.common import (
    FILTER_KEYS,
    IN,
    INDICATOR_BARS,
    H,
    L,
    Query,
    T,
    W,
    badge_sentences,
    badge_text,
    band_lines,
    date_text,
    grade_text,
    note,
    project_name,
    title_slide,
)
from perfeval.decks.fitting import clip, fit_lines, text_width
from perfeval.decks.slides import (
    ACCENT,
    BODY_PT,
    CONTENT_BOTTOM,
    INK,
    MUTED,
    SMALL_PT,
    Card,
    Deck,
)
from perfeval.domain import audit, budget, disclosure, outcomes, scoring, survey
from perfeval.domain.facts import period, project_facts
from perfeval.domain.portfolio import sources_note
from perfeval.domain.regions import region_label
from perfeval.text import fmt
from perfeval.text import glossary as terms
from perfeval.text.i18n import Translator

TABLE_ROWS = 10        # rows of the outcomes table
TARGET_ROWS = 9        # rows of the targets table
FINDINGS_SHOWN = 6     # problems / recommendations listed on the findings slide
YEARS_SHOWN = 4        # years in the budget table

RED, GREEN = "CF222E", "1A7F37"


def project_deck(q: Query, project_id: str, lang: str = "zh", *, now: datetime.datetime | None = None) -> bytes:
    """One project's deck (as many slides as its data allow, at most 10): title; key figures and facts; score
    and level-1 breakdown; indicators losing the most points (when the report gives indicators below level
    1); budget; outcomes; targets; satisfaction; problems and recommendations; sources and notes. A project
    that does not exist or is outside the viewer's scope gives one slide saying so."""
    t = Translator(lang)
    now = now or datetime.datetime.now()
    facts = q("project_facts", project_id=project_id)
    if facts.empty:
        deck = Deck(lang, t("项目绩效评价", "Project evaluation"), now)
        s = deck.slide(t("找不到项目", "Project not found"), big=True)
        deck.text(s, L, IN(3.35), W, IN(1.5), [t(f"找不到项目 “{project_id}”（不存在或不在您的查看范围内）。",
                                                   f"Project “{project_id}” not found (it does not exist or is "
                                                   "outside your scope).")], 20, name="empty")
        return deck.save()
    p = facts.iloc[0].to_dict()
    none = {k: None for k in FILTER_KEYS}
    kinds = {p.get("data_kind")}
    name = project_name(p, t)
    deck = Deck(lang, name, now, footer=sources_note(facts, lang), badge=badge_text(kinds, lang))
    missing: list[str] = []

    title_slide(deck, name, [
        " · ".join(x for x in (region_label(p), p.get("category") if isinstance(p.get("category"), str) else "") if x),
        t("评价期：", "Evaluated period: ") + period(p.get("period_start"), p.get("period_end"), lang),
        t("评价机构：", "Evaluator: ") + _text(p.get("evaluator"), lang)
        + (f"（{p['evaluator_type']}）" if lang == "zh" and isinstance(p.get("evaluator_type"), str)
           else f" ({p['evaluator_type']})" if isinstance(p.get("evaluator_type"), str) else ""),
        t("来源：", "Source: ") + _text(p.get("document_title"), lang),
        t("生成日期：", "Generated: ") + date_text(now, lang),
    ], badge_sentences(kinds, t), t)
    _project_kpi_slide(deck, p, t, lang)

    l1 = q("project_level1", project_id=project_id)
    bands = q("scorecard_grade_bands")
    data = audit.load_projects(q, project_id, bands)
    result = audit.audit_project(data[0]) if data else None
    tree = result.tree if result is not None else pd.DataFrame(columns=scoring.TREE_COLUMNS)
    total = scoring.total_evaluation(tree, p.get("reported_total_score")) if not tree.empty else None
    _score_slide(deck, p, l1, tree, total, bands, t, lang)
    if l1.empty:
        missing.append(t("分项得分", "indicator breakdown"))
    depth = int(tree["level"].max()) if not tree.empty else 0
    if depth >= 2:
        _project_indicators_slide(deck, tree, t, lang)
    elif not l1.empty:
        missing.append(t("二、三级指标得分", "level-2 and level-3 scores"))

    row = q("budget_projects", **none, project_id=project_id)
    years = q("budget_by_year", **none, project_id=project_id)
    r = row.iloc[0].to_dict() if len(row) else p
    need_fund, need_sub = budget.notes_need(r)
    by_fund = q("budget_by_fund_source", project_id=project_id) if need_fund else None
    by_sub = q("budget_by_subproject", project_id=project_id) if need_sub else None
    _project_budget_slide(deck, p, r, years, budget.money_notes(r, by_fund, by_sub, lang), t, lang)
    if fmt.is_missing(p.get("budget")):
        missing.append(t("预算", "budget"))
    if budget.as_date(r.get("as_of")) is None and not (fmt.is_missing(r.get("received")) and fmt.is_missing(r.get("spent"))):
        missing.append(t("资金数据截至日期", "cut-off date of the money figures"))

    ov = q("outcomes_values", **none, project_id=project_id, categories=None, limit=None)
    if len(ov):
        _outcomes_slide(deck, ov, t, lang)
    else:
        missing.append(t("成效指标", "outcome figures"))
    tsum = q("targets_summary", **none, project_id=project_id).iloc[0].to_dict()
    if int(tsum["targets"]):
        _targets_slide(deck, tsum, q("targets_list", **none, project_id=project_id), t, lang)
    else:
        missing.append(t("绩效目标", "performance targets"))
    sv = q("survey_projects", **none, project_id=project_id)
    table, views = survey.comparison_table(sv, lang)
    shown = [(rw, v, tr) for rw, v, tr in zip(sv.to_dict("records"), views, table.to_dict("records"))
             if v.status != "none"]
    if shown:
        _survey_slide(deck, shown[0], len(shown), t, lang)
    else:
        missing.append(t("满意度调查（未开展 / 未披露）", "satisfaction survey (not conducted / not reported)"))
    findings = q("project_findings", project_id=project_id)
    if (findings["kind"].isin(["problem", "recommendation"])).any():
        _findings_slide(deck, findings, t, lang)
    else:
        missing.append(t("问题与建议", "problems and recommendations"))
    _project_notes_slide(deck, p, result, missing, t, lang)
    return deck.save()


def _text(v, lang: str) -> str:
    return v if isinstance(v, str) and v.strip() else fmt.not_reported(lang)


def _project_kpi_slide(deck: Deck, p: dict, t: Translator, lang: str):
    s = deck.slide(t("关键指标与项目概况", "Key figures and facts"))
    deck.cards(s, [
        Card(t("报告总分", "Reported score"), fmt.score(p.get("reported_total_score"), lang), name="score"),
        Card(t("评价等级", "Grade"), grade_text(p.get("reported_grade"), lang), name="grade"),
        Card(t(terms.EXECUTION_RATE), fmt.pct(p.get("execution_rate"), lang),
             budget.cutoff_text(p.get("as_of"), lang) if not fmt.is_missing(p.get("execution_rate")) else "",
             name="execution_rate"),
        Card(t(terms.BUDGET_WAN), fmt.number(p.get("budget"), 2, lang), name="budget"),
        Card(t(terms.RECEIVED_WAN), fmt.number(p.get("received"), 2, lang), name="received"),
        Card(t(terms.SPENT_WAN), fmt.number(p.get("spent"), 2, lang), name="spent"),
    ], L, T, W, IN(3.0), value_pt=30)
    shown = ("region", "category", "implementing_unit", "supervising_unit", "evaluator", "evaluator_type",
             "period", "data_cutoff")
    rows = [(label, value) for key, label, value in project_facts(p, lang) if key in shown]
    colon = "：" if lang == "zh" else ": "
    half = (W - IN(0.3)) / 2
    for i, part in enumerate((rows[:4], rows[4:])):
        lines = []
        for label, value in part:
            value = _text(value, lang)
            room = half / 12700 - 12 - text_width(label + colon, BODY_PT, bold=True)
            lines.append([(label + colon, True, MUTED), (clip(value, room, BODY_PT), False, INK)])
        deck.text(s, L + i * (half + IN(0.3)), T + IN(3.25), half, CONTENT_BOTTOM - T - IN(3.25), lines, BODY_PT,
                  name=f"facts_{i}")


def _score_slide(deck: Deck, p: dict, l1: pd.DataFrame, tree: pd.DataFrame, total, bands: pd.DataFrame,
                 t: Translator, lang: str):
    s = deck.slide(t("得分与一级指标", "Score and level-1 breakdown"))
    score, grade = fmt.score(p.get("reported_total_score"), lang), grade_text(p.get("reported_grade"), lang)
    head = t(f"报告总分 {score}，评价等级 {grade}", f"Reported total {score}, grade {grade}")
    deck.text(s, L, T, W, IN(0.5), [head], 20, bold=True, name="score_head")
    top = T + IN(0.6)
    if l1.empty:
        deck.text(s, L, top, W, IN(0.9), [disclosure.no_tree_text(p.get("reported_total_score"), lang)], 20,
                  name="not_reported_l1")
        total_score = p.get("reported_total_score")
        if not fmt.is_missing(total_score):
            lost = 100 - float(total_score)
            deck.bar_chart(s, L, top + IN(1.0), IN(7.6), IN(1.6), [t("总分", "Total")],
                           [(t("得分", "score"), [total_score], ACCENT), (t("失分", "lost"), [lost], "D0D7DE")],
                           horizontal=True, stacked=True, max_value=100, name="chart_total",
                           labels=[[fmt.score(total_score, lang)], [fmt.score(lost, lang)]], label_pt=18)
        lines = [[(t("等级划分（报告总分）", "Grade bands (reported total)"), True, INK)]] + band_lines(bands, t)
        deck.text(s, L + IN(7.9), top + IN(1.0), W - IN(7.9), IN(3.0), lines, BODY_PT, name="grade_bands")
        return
    rows = l1.to_dict("records")
    nr = fmt.not_reported(lang)
    labels = []
    for r in rows:
        label = t.pick(r, "name", "name_en") + ("*" if r["derived"] else "")
        if fmt.is_missing(r["reported_score"]) or fmt.is_missing(r["weight"]):
            label += t("（未披露）", f" ({nr})")
        labels.append(label)
    deck.bar_chart(s, L, top, IN(7.2), IN(3.9), labels,
                   [(t("分值", "weight"), list(l1["weight"]), "D0D7DE"),
                    (t("得分", "score"), list(l1["reported_score"]), ACCENT)],
                   labels=[[fmt.score(v, lang) if not fmt.is_missing(v) else "" for v in l1["weight"]],
                           [fmt.pct(v, lang) if not fmt.is_missing(v) else "" for v in l1["score_rate"]]],
                   name="chart_level1", axis_pt=16)
    def star(v, derived):  # "*" marks a computed figure; an unknown one is 未披露, not "未披露*"
        return fmt.score(v, lang) + ("*" if derived and not fmt.is_missing(v) else "")

    table = [[t.pick(r, "name", "name_en"), star(r["weight"], r["derived"]), star(r["reported_score"], r["derived"]),
              fmt.pct(r["score_rate"], lang)] for r in rows][:10]
    deck.table(s, L + IN(7.4), top, W - IN(7.4), [(t("一级指标", "Dimension"), None, "l"),
                                                  (t(terms.WEIGHT), 0.9, "r"), (t("得分", "Score"), 0.9, "r"),
                                                  (t("得分率", "Rate"), 1.1, "r")], table,
               name="table_level1")
    notes = [t("柱上数字为得分率（得分 ÷ 分值）。", "The figure on each score bar is its score rate (score ÷ weight).")]
    partial = disclosure.partial_text(disclosure.coverage(tree), lang)
    if partial:  # a partial tree says so (issue 18)
        notes.insert(0, partial)
    if l1["derived"].any():
        notes.append(t("“*”：报告未直接给出一级指标的分值和得分，为其下级指标之和（计算值）。",
                       "“*”: the report states no level-1 weight or score; the sum of the indicators below (computed)."))
    unknown = [t.pick(r, "name", "name_en") for r in rows
               if fmt.is_missing(r["reported_score"]) or fmt.is_missing(r["weight"])]
    if unknown:
        notes.append(t("未披露：", "Not reported: ") + "、".join(unknown)
                     + t("（下级指标得分不全，不按部分之和计，不画为 0）。",
                         " (a score below is missing: not summed from part of them, not drawn as 0)."))
    if not tree.empty and int(tree["level"].max()) < 2:
        notes.append(t("报告仅披露一级指标得分，二、三级指标得分未披露。",
                       "The report gives level-1 scores only; level-2 and level-3 scores are not reported."))
    if total is not None and not fmt.is_missing(total.score) and not partial:
        notes.append(t(f"按评分规则和报告数据重算的总分为 {fmt.score(total.score, lang)}（报告 {score}）。",
                       f"Total recomputed from the rules and the report's data: {fmt.score(total.score, lang)} "
                       f"(reported {score})."))
    note(deck, s, top + IN(4.0), notes)


def _project_indicators_slide(deck: Deck, tree: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t("失分最多的指标", "Indicators losing the most points"))
    leaves = tree[tree["is_leaf"]].copy()
    lost, lost_re = leaves["points_lost_reported"], leaves["points_lost"]
    keep = (lost.fillna(0) > 0.005) | (lost_re.fillna(0) > 0.005)
    leaves = leaves[keep].assign(_lost=lost[keep].fillna(0)).sort_values("_lost", ascending=False, kind="stable")
    leaves = leaves.head(INDICATOR_BARS)
    unknown = tree[tree["is_leaf"] & tree["points_lost_reported"].isna()]
    n_leaf = int(tree["is_leaf"].sum())
    notes = [t(f"末级指标 {n_leaf} 个，失分 = 分值 − 报告得分；颜色为得分率（绿 100%、橙 80%、红 ≤60%）。",
               f"{n_leaf} leaf indicators; points lost = weight − reported score; colour = score rate "
               "(green 100%, amber 80%, red ≤60%).")]
    if len(unknown):
        notes.insert(0, t("未披露得分（不计失分、不画为 0）：", "Score not reported (no loss counted, not drawn as 0): ")
                     + "、".join(unknown["code"].astype(str)))
    if leaves.empty:
        deck.text(s, L, T, W, IN(1.0), [t("各指标均得满分，未失分。", "Full marks on every indicator: no points lost.")],
                  20, colour=GREEN, name="no_loss")
        note(deck, s, T + IN(1.2), notes)
        return
    rows = leaves.to_dict("records")
    labels = [clip(f"{r['code']} {t.pick(r, 'name', 'name_en')}", 330, SMALL_PT) for r in rows]
    series = [(t("报告得分失分", "lost (reported)"), list(leaves["_lost"]),
               [rate_colour(r["reported_rate"]).lstrip("#") for r in rows])]
    text = [[fmt.score(v, lang) for v in leaves["_lost"]]]
    differs = leaves["points_lost"].notna() & ((leaves["points_lost"] - leaves["_lost"]).abs() > 0.005)
    if differs.any():
        vals = [v if d else None for v, d in zip(leaves["points_lost"], differs)]
        series.append((t("按规则重算失分", "lost (recomputed)"), vals, RECOMPUTED.lstrip("#")))
        text.append([fmt.score(v, lang) if v is not None else "" for v in vals])
        notes.append(t("紫色：按评分规则和报告数据重算的失分与报告不同（详见看板“项目详情”的评分卡）。",
                       "Purple: the loss recomputed from the rules and the report's data differs (see the "
                       "dashboard's scorecard)."))
    height = min(IN(4.3), IN(0.6) + IN(0.38) * len(rows) * len(series))
    deck.bar_chart(s, L, T, W, height, labels, series, horizontal=True, labels=text,
                   legend=len(series) > 1, name="chart_indicators", gap_width=40 if len(rows) > 4 else 120)
    note(deck, s, T + height + IN(0.1), notes)


def _project_budget_slide(deck: Deck, p: dict, r: dict, years: pd.DataFrame, notes: list[str], t: Translator,
                          lang: str):
    s = deck.slide(t("预算执行", "Budget execution"))
    arrival = budget.gauge_reading(r.get("arrival_rate"), budget.DEFAULT_TARGET, r.get("as_of"))
    execution = budget.gauge_reading(r.get("execution_rate"), budget.DEFAULT_TARGET, r.get("as_of"),
                                     ceiling=budget.EXECUTION_CEILING)
    fourth = (Card(t("估算总投资（万元）", "Estimated investment"), fmt.number(r.get("estimated_investment"), 2, lang),
                   name="estimated_investment")
              if not fmt.is_missing(r.get("estimated_investment")) else
              Card(t(terms.UNSPENT_WAN), fmt.number(budget.unspent(r.get("received"), r.get("spent")), 2, lang),
                   name="unspent"))
    left_w = IN(5.2)
    cards_h = IN(3.6)
    deck.cards(s, [
        Card(t(terms.BUDGET_WAN), fmt.number(r.get("budget"), 2, lang), name="budget"),
        Card(t(terms.RECEIVED_WAN), fmt.number(r.get("received"), 2, lang), name="received"),
        Card(t(terms.SPENT_WAN), fmt.number(r.get("spent"), 2, lang), name="spent"),
        fourth,
        Card(t(terms.ARRIVAL_RATE), fmt.pct(arrival.value, lang), budget.status_text(arrival, lang),
             name="arrival_rate"),
        Card(t(terms.EXECUTION_RATE), fmt.pct(execution.value, lang), budget.status_text(execution, lang),
             name="execution_rate"),
    ], L, T, left_w, cards_h, per_row=2, value_pt=24, label_pt=14)
    lines = []
    as_of = r.get("as_of")
    if budget.as_date(as_of) is not None and not budget.is_interim(as_of):  # money_notes explain the others
        lines.append(t("资金数据", "Money figures ") + budget.cutoff_text(as_of, lang))
    lines += notes
    x = L + left_w + IN(0.3)
    right_w = W - left_w - IN(0.3)
    bottom = T + cards_h
    if years.empty:
        deck.text(s, x, T, right_w, IN(1.0), [t("没有分年度的资金数据（未披露）。", "No yearly money figures (not reported).")],
                  BODY_PT, name="no_years")
    else:
        y = years.sort_values("year").tail(YEARS_SHOWN)
        measures = [("initial_budget", t("年初预算", "initial budget"), "D0D7DE"),
                    ("adjusted_budget", t("调整预算", "adjusted budget"), "8C959F"),
                    ("received", t("到位资金", "received"), "2F81F7"), ("spent", t("实际支出", "spent"), "1A7F37")]
        present = [m for m in measures if y[m[0]].notna().any()]
        absent = [m[1] for m in measures if not y[m[0]].notna().any()]
        cats = [str(int(v)) for v in y["year"]]
        if present:
            deck.bar_chart(s, x, T, right_w, IN(2.9), cats,
                           [(label, list(y[col]), colour) for col, label, colour in present],
                           name="chart_years", show_value_axis=True, value_axis_format="#,##0", gap_width=80)
        yr = budget.with_rates(y)
        cols = ([(t(terms.YEAR), 0.7, "c")] + [(label, 1.1, "r") for _, label, _ in present]
                + [(t(terms.EXECUTION), 1.0, "r")])
        rows = [[c] + [fmt.number(v[col], 2, lang) for col, _, _ in present] + [fmt.pct(v["execution_rate"], lang)]
                for c, v in zip(cats, yr.to_dict("records"))]
        gf = deck.table(s, x, T + IN(3.0), right_w, cols, rows, name="table_years")
        bottom = max(bottom, gf.top + gf.height)
        if absent:
            lines.append(t("分年度数据未披露：", "Not reported by year: ") + "、".join(absent))
        if len(years) > YEARS_SHOWN:
            lines.append(t(f"仅列最近 {YEARS_SHOWN} 年（共 {len(years)} 年）。",
                           f"The last {YEARS_SHOWN} of {len(years)} years."))
    note(deck, s, bottom + IN(0.12), lines, name="money_notes")


def _outcomes_slide(deck: Deck, ov: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t("成效指标", "Outcomes"))
    cards = outcomes.cards(ov, lang)
    rows = [[outcomes.category_label(c["category"], lang), c["label"], c["period"] or "—", c["value"],
             c["delta"] if isinstance(c["delta"], str) else "—"] for c in cards[:TABLE_ROWS]]
    gf = deck.table(s, L, T, W, [(t(terms.CATEGORY), 1.2, "l"), (t("指标", "Metric"), None, "l"),
                            (t("期间", "Period"), None, "l"), (t("数值", "Value"), 1.5, "r"),
                            (t("较上年", "Change"), 2.3, "r")], rows, name="table_outcomes")
    notes = [t("数值保留报告原文的“约 / 近 / 余 / 大于”；较上年的变化按指标方向判断好坏（排名、发案数越低越好）。",
               "Values keep the reports' qualifiers (about / nearly / over / more than); changes are judged by each "
               "metric's direction (for a rank or a case count lower is better).")]
    if len(cards) > TABLE_ROWS:
        notes.append(t(f"另有 {len(cards) - TABLE_ROWS} 项，见看板“成效指标”页。",
                       f"{len(cards) - TABLE_ROWS} more on the dashboard's Outcomes page."))
    note(deck, s, gf.top + gf.height + IN(0.15), notes)


def _targets_slide(deck: Deck, tsum: dict, targets: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t("绩效目标完成情况", "Targets and what was achieved"))
    n = int(tsum["targets"])
    head = t(f"目标 {n} 项：达成 {int(tsum['met'])}，未达成 {int(tsum['not_met'])}，未披露结论 {int(tsum['no_verdict'])}"
             + (f"；按数值计算与报告结论不一致 {int(tsum['disagree'])} 项" if int(tsum["disagree"]) else ""),
             f"{n} targets: {int(tsum['met'])} met, {int(tsum['not_met'])} not met, {int(tsum['no_verdict'])} "
             "without a verdict" + (f"; {int(tsum['disagree'])} where the figures and the report disagree"
                                    if int(tsum["disagree"]) else ""))
    deck.text(s, L, T, W, IN(0.5), [head], 18, bold=True, name="targets_head")
    recs = targets.to_dict("records")
    verdicts = [outcomes.target_verdict(r) for r in recs]
    order = sorted(range(len(recs)), key=lambda i: ({False: 0, None: 1, True: 2}[verdicts[i]["met"]], i))
    rows, colours = [], []
    for i in order[:TARGET_ROWS]:
        r, v = recs[i], verdicts[i]
        year = "" if fmt.is_missing(r.get("year")) else str(int(r["year"]))
        rows.append([r["name"], year, outcomes.target_text(r, lang), outcomes.actual_text(r, lang),
                     outcomes.verdict_text(v, lang)])
        colours.append([None, None, None, None, RED if v["met"] is False else GREEN if v["met"] is True else None])
    gf = deck.table(s, L, T + IN(0.6), W, [(t(terms.TARGET), None, "l"), (t(terms.YEAR), 0.8, "c"),
                                           (t("目标值", "Target value"), 1.6, "l"),
                                           (t("实际完成", "Actual"), 1.6, "l"), (t(terms.VERDICT), None, "l")],
                    rows, name="table_targets", colours=colours)
    notes = [t("结论按运算符由目标值与实际值算出；无数值时取报告结论。未达成的排在前面。",
               "Verdicts are computed from the operator, target and actual; the report's conclusion where there are "
               "no figures. Targets not met first.")]
    if n > TARGET_ROWS:
        notes.append(t(f"另有 {n - TARGET_ROWS} 项目标，见看板“成效指标”页。", f"{n - TARGET_ROWS} more on the dashboard's Outcomes page."))
    note(deck, s, gf.top + gf.height + IN(0.1), notes)


def _survey_slide(deck: Deck, shown, n_surveys: int, t: Translator, lang: str):
    r, v, row = shown
    s = deck.slide(t("满意度调查", "Satisfaction survey"))
    name = r.get("survey_name") if isinstance(r.get("survey_name"), str) else t("满意度调查", "Satisfaction survey")
    who = [x for x in (r.get("conducted_by"), r.get("respondents")) if isinstance(x, str)]
    deck.text(s, L, T, W, IN(0.5), [name + (" · " + " · ".join(who) if who else "")], 18, bold=True, name="survey_head")
    sat = (fmt.pct(v.satisfaction_rate, lang) if v.satisfaction_rate is not None
           else row["score"] if v.satisfaction_score is not None else fmt.not_reported(lang))
    deck.cards(s, [
        Card(t("发放问卷", "Issued"), row["issued"], name="issued"),
        Card(t("有效问卷", "Valid"), row["valid"], name="valid"),
        Card(t("有效率", "Valid rate"), row["valid_rate"], name="valid_rate"),
        Card(t("知晓率", "Awareness"), fmt.pct(v.awareness_rate, lang),
             "" if v.awareness_moe is None else t(f"± {v.awareness_moe * 100:.2f} 个百分点（95%）",
                                                  f"± {v.awareness_moe * 100:.2f} pp (95%)"), name="awareness"),
        Card(t(terms.SATISFACTION), sat,
             "" if v.satisfaction_moe is None else t(f"± {v.satisfaction_moe * 100:.2f} 个百分点（95%）",
                                                     f"± {v.satisfaction_moe * 100:.2f} pp (95%)"), name="satisfaction"),
        Card(t("误差范围（95%）", "Margin (95%)"),
             "—" if v.satisfaction_moe is None else f"±{v.satisfaction_moe * 100:.2f}",
             t("个百分点，正态近似", "pp, normal approximation") if v.satisfaction_moe is not None else "", name="margin"),
    ], L, T + IN(0.6), W, IN(2.5), per_row=3, value_pt=26, label_pt=14)
    top = T + IN(3.25)
    lines = []
    reason = survey.no_interval_reason(v, lang)
    if reason:
        lines.append(reason + t("。", "."))
    else:
        lines.append(t(f"满意度 {survey.rate_with_margin(v.satisfaction_rate, v.satisfaction_moe, lang)}；95% 置信区间 "
                       f"{survey.interval_text(survey.normal_interval(v.satisfaction_rate, v.n), lang)}（正态近似，"
                       "n = 有效问卷数）。",
                       f"Satisfaction {survey.rate_with_margin(v.satisfaction_rate, v.satisfaction_moe, lang)}; 95% "
                       f"interval {survey.interval_text(survey.normal_interval(v.satisfaction_rate, v.n), lang)} "
                       "(normal approximation, n = valid questionnaires)."))
    if v.conclusion:
        lines.append([(t("报告结论：", "The report's conclusion: "), True, INK), (v.conclusion, False, INK)])
    if n_surveys > 1:
        lines.append(t(f"本项目另有 {n_surveys - 1} 项调查，见看板“满意度”页。",
                       f"{n_surveys - 1} more surveys on the dashboard's Satisfaction page."))
    if v.distribution:
        levels = [(col, t(zh, en)) for col, zh, en, _ in survey.LEVELS]
        total = sum(v.distribution.values())
        counts = [v.distribution[col] for col, _ in levels]
        deck.bar_chart(s, L, top, IN(6.6), CONTENT_BOTTOM - top, [lab for _, lab in levels],
                       [(t("份数", "answers"), counts, ACCENT)],
                       labels=[[f"{c:,}（{fmt.pct(c / total, lang, 1)}）" if lang == "zh" else
                                f"{c:,} ({fmt.pct(c / total, lang, 1)})" for c in counts]] if total else None,
                       legend=False, name="chart_survey", number_format="0")
        deck.text(s, L + IN(6.8), top, W - IN(6.8), CONTENT_BOTTOM - top, lines, SMALL_PT, name="survey_notes")
    else:
        if v.status == "figures":
            lines.append(t("报告未披露五级满意度分布。", "The report gives no 5-level distribution."))
        deck.text(s, L, top, W, CONTENT_BOTTOM - top, lines, BODY_PT, name="survey_notes")


def _findings_slide(deck: Deck, findings: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t("主要问题与建议", "Problems and recommendations"))
    half = (W - IN(0.4)) / 2
    for i, (kind, zh, en) in enumerate((("problem", "主要问题", "Problems"), ("recommendation", "改进建议", "Recommendations"))):
        part = findings[findings["kind"] == kind].to_dict("records")
        lines = [[(f"{t(zh, en)}（{len(part)}）" if lang == "zh" else f"{en} ({len(part)})", True, INK)]]
        if not part:
            lines.append(t("报告未列出（未披露）。", "Not listed in the report (not reported)."))
        width_pt = half / 12700 - 12
        shown = FINDINGS_SHOWN if len(part) <= FINDINGS_SHOWN else FINDINGS_SHOWN - 1
        for f in part[:shown]:
            code = f"（{f['indicator_code']}）" if isinstance(f.get("indicator_code"), str) else ""
            lines.append([("• ", True, ACCENT), (clip(f"{f['title']}{code}", width_pt - 20, BODY_PT, bold=True), True, INK)])
            if isinstance(f.get("text"), str) and f["text"].strip() and f["text"].strip() != f["title"]:
                lines.append([(fit_lines(f["text"].strip().replace("\n", " "), width_pt, SMALL_PT, 2), False, MUTED)])
        if len(part) > shown:
            lines.append(t(f"另有 {len(part) - shown} 条，见报告原文。", f"{len(part) - shown} more in the report."))
        deck.text(s, L + i * (half + IN(0.4)), T, half, H, lines, BODY_PT, name=f"findings_{kind}", space_after=0.25)


def _project_notes_slide(deck: Deck, p: dict, result, missing: list[str], t: Translator, lang: str):
    s = deck.slide(t("数据来源与说明", "Sources and notes"))
    head = lambda text: [(text, True, INK)]  # noqa: E731
    doc = p.get("document_title") if isinstance(p.get("document_title"), str) else fmt.not_reported(lang)
    lines = [head(t("数据来源", "Source")), f"{doc}（{p.get('source')}）" if lang == "zh" else f"{doc} ({p.get('source')})"]
    lines += badge_sentences({p.get("data_kind")}, t)
    if result is not None:
        c = {sev: sum(1 for f in result.findings if f.severity == sev) for sev in audit.SEVERITIES}
        lines += [head(t("报告数值复核", "Audit of the report's numbers")),
                  t(f"错误 {c['error']}、警告 {c['warning']}、提示 {c['info']}（得分、合计、比率与结论按报告数据重新核对；"
                    "明细见看板“项目详情”页）。",
                    f"{c['error']} errors, {c['warning']} warnings, {c['info']} notes (scores, sums, rates and "
                    "conclusions checked against the report's data; details on the dashboard's Project page).")]
    lines += [head(t(terms.DEFINITIONS)),
              t("预算执行率 = 实际支出 ÷ 到位资金；资金到位率 = 到位资金 ÷ 预算（预算取调整预算，未调整的取年初预算）；"
                "得分率 = 得分 ÷ 分值；满意度误差范围为 95% 置信区间半宽（正态近似）。",
                "Execution rate = spent ÷ received; arrival rate = received ÷ budget (the adjusted budget, else the "
                "initial one); score rate = score ÷ weight; the satisfaction margin is the half-width of a 95% "
                "interval (normal approximation)."),
              t("金额单位：万元；比率以 % 表示。", "Amounts in 10k CNY (万元); rates in %.")]
    lines.append(head(t("未披露（不按 0 计）", "Not reported (never counted as 0)")))
    lines.append(("、" if lang == "zh" else "; ").join(missing) if missing else t("无", "nothing"))
    deck.text(s, L, T, W, H, lines, BODY_PT, name="notes", min_size=SMALL_PT)
