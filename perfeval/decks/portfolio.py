"""The portfolio deck (评审会 / 汇报会): ten slides on the projects the overview's filters select.

The figures are the overview's: the same queries (by name, through ``q``: the page passes the pages' query
cache bound to the viewer's scope (perfeval.ui.deck), the command line ``python -m perfeval deck`` a
``DataGate.query`` bound to a scope) and the same pure functions (perfeval.domain.portfolio, compare, budget,
fmt). Charts are native PowerPoint charts (perfeval.decks.slides). What both decks share is in
perfeval.decks.common. No Streamlit, no SQL, no network here.

Missing values read 未披露 / "not reported", never 0; where any row shown is demonstration or generated data,
every slide carries the 示例数据 / 测试生成数据 badge.
"""
from __future__ import annotations

import datetime

import pandas as pd

from perfeval.charts.base import GRADE_COLORS
from perfeval.charts.scorecard import rate_colour
from perfeval.decks.common import (
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
    filters_summary,
    grade_text,
    note,
    project_name,
    title_slide,
)
from perfeval.decks.fitting import clip
from perfeval.decks.slides import (
    ACCENT,
    BODY_PT,
    INK,
    MUTED,
    SMALL_PT,
    Card,
    Deck,
)
from perfeval.domain import budget, compare, disclosure
from perfeval.domain.portfolio import portfolio_kpis, sources_note
from perfeval.domain.regions import region_label
from perfeval.text import fmt
from perfeval.text import glossary as terms
from perfeval.text.i18n import Translator

RANKED_ROWS = 12       # projects in the ranked table
ATTENTION_ROWS = 8     # projects in each "needs attention" table
DISTRICT_BARS = 15     # districts in the ranking chart
DISTRICT_MONEY_BARS = 12  # districts in the budget chart (two bars each)
LAGGING_SHOWN = 3      # lagging districts listed beside the ranking

KIND_LABELS = {"report": ("真实报告", "real report"), "demo": ("示例", "demo"),
               "import": ("导入", "imported"), "generated": ("生成", "generated")}


def _short(row: dict, t: Translator) -> str:
    """A project's short name for a narrow table (zh: 简称; en: the English name, which has no short form)."""
    if t.lang == "zh" and isinstance(row.get("short_name"), str) and row["short_name"]:
        return row["short_name"]
    return project_name(row, t)


def _score2(v, lang: str) -> str:
    """A score as the pages' tables show it (two decimals), 未披露 where missing."""
    return fmt.not_reported(lang) if fmt.is_missing(v) else f"{float(v):.2f}"


def portfolio_deck(q: Query, params: dict, lang: str = "zh", *, title: str | None = None,
                   filters_text: str = "", now: datetime.datetime | None = None) -> bytes:
    """Ten slides on the projects the filters select (``params`` = the page's Filters.params(), passed to
    every query that takes them): title, key figures, grades, ranked projects, projects needing attention,
    points lost by dimension and by indicator, districts ranked, districts' budget and spending, notes.

    An empty selection gives two slides: the title and one saying that no project matches."""
    t = Translator(lang)
    now = now or datetime.datetime.now()
    params = dict(params)
    title = title or t("项目绩效评价总览", "Portfolio of evaluated projects")
    df = q("overview_projects", **params)
    kinds = set(df["data_kind"].dropna().unique()) if len(df) else set()
    deck = Deck(lang, title, now, footer=sources_note(df, lang), badge=badge_text(kinds, lang))
    # the caller's words for the filters as given (the page's say what each is), else ours
    filt = filters_text or t("筛选条件：", "Filters: ") + filters_summary(params, t)
    n = len(df)
    title_slide(deck, title, [
        filt,
        t(f"项目数：{n:,} 个", f"Projects: {n:,}"),
        sources_note(df, lang),
        t("生成日期：", "Generated: ") + date_text(now, lang),
    ], badge_sentences(kinds, t), t)
    if df.empty:
        s = deck.slide(t("当前筛选条件下没有项目", "No project matches the filters"))
        deck.text(s, L, T, W, IN(1.5), [t("当前筛选条件下没有项目。请放宽筛选条件后重新导出。",
                                          "No project matches the filters. Widen them and export again.")],
                  20, name="empty")
        return deck.save()

    k = portfolio_kpis(df)
    _kpi_slide(deck, df, k, t, lang)
    bands = q("scorecard_grade_bands")
    _grades_slide(deck, k, bands, t, lang)
    _ranked_slide(deck, df, t, lang)
    attention = q("budget_projects_attention", **params, limit=ATTENTION_ROWS)
    _attention_slide(deck, df, attention, t, lang)
    by_l1 = q("portfolio_points_lost_level1", **params)
    by_ind = q("portfolio_points_lost_indicators", **params)
    nb = q("portfolio_not_broken_down", **params)
    _level1_lost_slide(deck, by_l1, nb, t, lang)
    _indicator_lost_slide(deck, by_ind, nb, dict(zip(by_l1["dimension"], by_l1["dimension_en"])), t, lang)
    summary = q("district_summary", year=None, metric_key=None, **params)
    level1 = q("district_indicators", year=None, level=1, **params) if len(summary) >= compare.MIN_UNITS else None
    _districts_slide(deck, summary, level1, t, lang)
    _district_money_slide(deck, summary, t, lang)
    _portfolio_notes_slide(deck, df, k, nb, summary, t, lang)
    return deck.save()


def _kpi_slide(deck: Deck, df, k, t: Translator, lang: str):
    s = deck.slide(t("关键指标", "Key figures"))
    nr = k.not_reported
    deck.cards(s, [
        Card(t(terms.PROJECTS), f"{k.projects:,}", name="projects"),
        Card(t(terms.MEAN_SCORE), fmt.score(k.mean_score, lang),
             t(f"{nr['reported_total_score']} 个项目未披露总分", f"{nr['reported_total_score']} report no score")
             if nr["reported_total_score"] else "", name="mean_score"),
        Card(t("加权预算执行率", "Weighted execution rate"), fmt.pct(k.execution_rate, lang),
             t("Σ实际支出 ÷ Σ到位资金", "Σ spent ÷ Σ received"), name="execution_rate"),
        Card(t("预算合计（万元）", "Total budget (10k CNY)"), fmt.number(k.budget, 2, lang),
             t(f"{nr['budget']} 个项目未披露预算", f"{nr['budget']} projects report no budget") if nr["budget"] else "",
             name="budget"),
        Card(t("到位资金（万元）", "Funds received (10k CNY)"), fmt.number(k.received, 2, lang),
             t(f"{nr['received']} 个项目未披露", f"{nr['received']} not reported") if nr["received"] else "",
             name="received"),
        Card(t(terms.SPENT_WAN), fmt.number(k.spent, 2, lang),
             t(f"{nr['spent']} 个项目未披露", f"{nr['spent']} not reported") if nr["spent"] else "", name="spent"),
    ], L, T, W, IN(3.4))
    grades = t("评价等级：", "Grades: ") + "　".join(f"{g} {c}" for g, c in k.grade_counts.items())
    deck.text(s, L, IN(4.95), W, IN(0.55), [grades], 20, bold=True, name="grades")
    note(deck, s, IN(5.6), [
        t("加权预算执行率 = Σ实际支出 ÷ Σ到位资金，仅计两项均披露的项目；平均得分为报告总分的算术平均。",
          "Weighted execution rate = Σ spent ÷ Σ received, over projects reporting both; the mean score is the "
          "plain mean of the reported totals."),
        t("金额单位：万元。未披露的数值记为“未披露”，不按 0 计。",
          "Amounts in 10k CNY (万元). A figure not reported reads “not reported”, never 0."),
    ])


def _grade_category(grade: str, bands: pd.DataFrame, t: Translator) -> str:
    en = dict(zip(bands["grade"], bands["name_en"])) if len(bands) else {}
    return t(grade, f"{grade} {en.get(grade) or ''}".strip())


def _grades_slide(deck: Deck, k, bands: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t("评价等级分布", "Projects per grade"))
    counts = k.grade_counts
    deck.bar_chart(s, L, T, IN(7.6), H - IN(0.2), [_grade_category(g, bands, t) for g in counts],
                   [(t("项目数", "projects"), list(counts.values()), [GRADE_COLORS[g] for g in counts])],
                   labels=[[f"{v:,}" for v in counts.values()]], number_format="0", legend=False,
                   name="chart_grades", axis_pt=18, label_pt=18)
    graded = sum(counts.values())
    lines = [[(t("各等级项目数", "Projects per grade"), True, INK)]]
    for g, c in counts.items():
        share = fmt.pct(c / k.projects, lang, 1) if k.projects else fmt.not_reported(lang)
        lines.append(t(f"{g}：{c:,} 个（{share}）", f"{g}: {c:,} ({share})"))
    if k.projects - graded:
        lines.append(t(f"未评定等级：{k.projects - graded:,} 个", f"no grade: {k.projects - graded:,}"))
    lines.append([(t("等级划分（报告总分）", "Grade bands (reported total)"), True, INK)])
    lines += band_lines(bands, t)
    deck.text(s, L + IN(7.9), T, W - IN(7.9), H, lines, BODY_PT, name="grade_panel")


def _ranked_slide(deck: Deck, df: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t(f"项目排名（按报告总分，前 {RANKED_ROWS} 名）", f"Ranked projects (top {RANKED_ROWS} by score)"))
    top = df.head(RANKED_ROWS).to_dict("records")
    rows = [[str(i), project_name(r, t), region_label(r), _score2(r["reported_total_score"], lang),
             grade_text(r["reported_grade"], lang), fmt.pct(r["execution_rate"], lang),
             t(*KIND_LABELS.get(r["data_kind"], (r["data_kind"], r["data_kind"])))] for i, r in enumerate(top, 1)]
    gf = deck.table(s, L, T, W, [(t(terms.RANK), 0.7, "c"), (t(terms.PROJECT), None, "l"),
                            (t(terms.REGION), 2.4, "l"), (t(terms.SCORE), 0.9, "r"),
                            (t(terms.GRADE), 0.7, "c"), (t(terms.EXECUTION), 1.1, "r"),
                            (t("数据", "Data"), 1.1, "c")], rows, name="table_ranked")
    notes = [t(f"共 {len(df):,} 个项目，按报告总分从高到低排列" + ("；全部项目见看板“总览”页。" if len(df) > RANKED_ROWS else "。"),
               f"{len(df):,} projects, by reported total score" + ("; the dashboard's Overview lists them all."
                                                                 if len(df) > RANKED_ROWS else "."))]
    note(deck, s, gf.top + gf.height + IN(0.1), notes)


def _attention_slide(deck: Deck, df: pd.DataFrame, attention: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t("需要关注的项目", "Projects needing attention"))
    half = (W - IN(0.3)) / 2
    scored = df.dropna(subset=["reported_total_score"])
    low = scored.tail(ATTENTION_ROWS).iloc[::-1].to_dict("records")  # overview_projects: best score first
    deck.text(s, L, T, half, IN(0.45), [t("报告总分最低", "Lowest reported scores")], 18, bold=True, name="head_low_score")
    g1 = deck.table(s, L, T + IN(0.5), half, [(t(terms.PROJECT), None, "l"), (t(terms.SCORE), 0.8, "r"),
                                         (t(terms.GRADE), 0.6, "c"), (t(terms.EXECUTION), 1.0, "r")],
               [[_short(r, t), _score2(r["reported_total_score"], lang), grade_text(r["reported_grade"], lang),
                 fmt.pct(r["execution_rate"], lang)] for r in low] or [[t("（无）", "(none)"), "", "", ""]],
               name="table_low_score")
    rated = attention[attention["execution_rate"].notna()].to_dict("records")
    x2 = L + half + IN(0.3)
    deck.text(s, x2, T, half, IN(0.45), [t("预算执行率最低", "Lowest budget execution")], 18, bold=True,
              name="head_low_execution")
    rows, colours = [], []
    for r in rated:
        reading = budget.gauge_reading(r["execution_rate"], budget.DEFAULT_TARGET, r["as_of"],
                                       ceiling=budget.EXECUTION_CEILING)
        rows.append([_short(r, t), fmt.pct(r["execution_rate"], lang), fmt.date(r["as_of"], lang)])
        colours.append([None, reading.color.lstrip("#"), None])
    g2 = deck.table(s, x2, T + IN(0.5), half, [(t(terms.PROJECT), None, "l"), (t(terms.EXECUTION), 1.0, "r"),
                                          (t("数据截至", "As of"), 1.4, "c")],
               rows or [[t("（无）", "(none)"), "", ""]], name="table_low_execution", colours=colours or None)
    n_exec = int(df["execution_rate"].isna().sum())
    notes = [t("预算执行率 = 实际支出 ÷ 到位资金，颜色同看板：红色低于目标（100%）20% 以上，橙色接近目标或超支，"
               "蓝色为非年末的过程数据（截至日不是 12 月 31 日，仍会上升）。",
               "Execution rate = spent ÷ received, coloured as on the dashboard: red more than 20% below the 100% "
               "target, amber close to it or overspent, blue an interim figure (not as of 31 December; still rising).")]
    if n_exec:
        notes.append(t(f"{n_exec:,} 个项目未披露到位资金或实际支出，无法计算执行率，未列入。",
                       f"{n_exec:,} projects report no receipts or spending, so no execution rate; not listed."))
    n_score = int(df["reported_total_score"].isna().sum())
    if n_score:
        notes.append(t(f"{n_score:,} 个项目未披露总分，未列入。", f"{n_score:,} projects report no total score; not listed."))
    note(deck, s, max(g1.top + g1.height, g2.top + g2.height) + IN(0.2), notes)


def _not_broken_down_line(nb: pd.DataFrame, t: Translator) -> str | None:
    # worded by what each project has: a total only, or nothing (perfeval.domain.disclosure)
    return disclosure.not_broken_down_line(nb, t.lang, where="图中")


def _empty(deck: Deck, slide, text: str, name: str, notes: list[str]) -> None:
    """A slide with nothing to draw: says so, with the slide's notes (if any) below."""
    deck.text(slide, L, T, W, IN(1.0), [text], 20, name=name)
    note(deck, slide, T + IN(1.2), notes)


def _level1_lost_slide(deck: Deck, by_l1: pd.DataFrame, nb: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t("失分在哪里：一级指标（每个项目平均）", "Points lost per level-1 dimension (mean)"))
    notes = [x for x in [_not_broken_down_line(nb, t)] if x]
    notes.append(t("失分 = 分值 − 报告得分；一级指标按名称跨指标体系归并（如“决策”与“项目决策”）。",
                   "Points lost = weight − reported score; level-1 dimensions are matched across frameworks by "
                   "name (决策 and 项目决策 are both Decision)."))
    if by_l1.empty:
        _empty(deck, s, t("所选项目均未披露一级指标得分（未披露）。",
                          "No selected project reports level-1 scores (not reported)."), "empty_level1", notes)
        return
    d = by_l1.sort_values("lost_per_project", ascending=False, kind="stable")
    rows = d.to_dict("records")
    labels = [r["dimension"] if lang == "zh" else r["dimension_en"] for r in rows]
    deck.bar_chart(s, L, T, IN(7.2), IN(4.0), labels,
                   [(t("平均失分（分）", "mean points lost"), list(d["lost_per_project"]),
                     [rate_colour(r["score_rate"]).lstrip("#") for r in rows])],
                   labels=[[fmt.score(v, lang) for v in d["lost_per_project"]]], legend=False,
                   name="chart_level1_lost", axis_pt=16, label_pt=16)
    table_rows = [[lab, f"{int(r['projects']):,}", fmt.score(r["points_lost"], lang), fmt.pct(r["score_rate"], lang)]
                  for lab, r in zip(labels, rows)][:10]
    deck.table(s, L + IN(7.4), T, W - IN(7.4), [(t("一级指标", "Dimension"), None, "l"),
                                                (t(terms.PROJECTS), 0.8, "r"),
                                                (t("失分合计", "Lost in all"), 1.0, "r"),
                                                (t(terms.SCORE_RATE), 1.0, "r")],
               table_rows, name="table_level1_lost")
    note(deck, s, T + IN(4.15), notes)


def _indicator_lost_slide(deck: Deck, by_ind: pd.DataFrame, nb: pd.DataFrame, dim_en: dict, t: Translator,
                          lang: str):
    s = deck.slide(t(f"失分最多的指标（前 {INDICATOR_BARS} 项，合计）",
                     f"Indicators losing most points (top {INDICATOR_BARS})"))
    d = by_ind[by_ind["points_lost"] > 0.005].head(INDICATOR_BARS) if len(by_ind) else by_ind
    notes = [t("失分合计 = 各项目（分值 − 报告得分）之和；指标按名称跨项目归并，括号内为所属一级指标。",
               "Points lost in all = Σ (weight − reported score) over the projects; indicators are matched by name, "
               "their level-1 dimension in brackets.")]
    line = _not_broken_down_line(nb, t)
    if line:
        notes.insert(0, line)
    if d.empty:
        _empty(deck, s, t("所选项目未披露末级指标失分（未披露）。",
                          "No indicator-level losses reported among the selected projects."), "empty_indicators", notes)
        return
    rows = d.to_dict("records")
    labels = [clip((r["indicator"] if lang == "zh" else r["indicator_en"])
                   + (f"（{r['dimension']}）" if lang == "zh" else f" ({dim_en.get(r['dimension']) or r['dimension']})"),
                   330, SMALL_PT)
              for r in rows]
    height = _bar_height(len(rows), IN(4.5))
    deck.bar_chart(s, L, T, W, height, labels,
                   [(t("失分合计（分）", "points lost in all"), list(d["points_lost"]),
                     [rate_colour(r["score_rate"]).lstrip("#") for r in rows])],
                   horizontal=True, labels=[[fmt.score(v, lang) for v in d["points_lost"]]], legend=False,
                   name="chart_indicator_lost", gap_width=40)
    note(deck, s, T + height + IN(0.1), notes)


def _bar_height(bars: int, most: int, per: int = IN(0.45), base: int = IN(0.5)) -> int:
    """The height of a horizontal bar chart of ``bars`` categories: ``per`` each, at most ``most`` (a few bars
    are not stretched across the slide)."""
    return int(min(most, base + per * max(bars, 2)))


def _district_frame(summary: pd.DataFrame) -> pd.DataFrame:
    return summary.assign(unit_label=compare.unique_region_labels(summary))


def _md_runs(line: str, colour: str = INK) -> list[tuple[str, bool, str]]:
    """A markdown line with **bold** parts as (text, bold, colour) runs."""
    parts = line.split("**")
    return [(p, i % 2 == 1, colour) for i, p in enumerate(parts) if p]


def _lagging_paragraphs(line: str, lang: str, aspects: int = 2) -> list:
    """One line of compare.lagging_lines ("**示例七区**：过程得分率 …；决策得分率 …") as paragraphs: the region in
    bold, then its first ``aspects`` lagging measures one per line, the rest counted."""
    colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
    region, _, rest = line.partition(colon)
    parts = [x for x in rest.split(sep) if x]
    out = [_md_runs(region)]
    for x in parts[:aspects]:
        out.append([("· " + x, False, MUTED)])
    if len(parts) > aspects:
        more = len(parts) - aspects
        out.append([("· " + (f"另 {more} 项" if lang == "zh" else f"{more} more"), False, MUTED)])
    return out


def _too_few_regions(t: Translator) -> str:
    return t("当前筛选范围内不足两个地区，无法对比。", "Fewer than two regions in the filters: nothing to compare.")


def _districts_slide(deck: Deck, summary: pd.DataFrame, level1, t: Translator, lang: str):
    s = deck.slide(t("地区对比：按平均得分排名", "Districts ranked by mean score"))
    if len(summary) < compare.MIN_UNITS:
        _empty(deck, s, _too_few_regions(t), "empty_districts", [])
        return
    sm = _district_frame(summary)
    charted = sm.head(DISTRICT_BARS)
    height = _bar_height(len(charted), IN(4.75))
    deck.bar_chart(s, L, T, IN(7.0), height, list(charted["unit_label"]),
                   [(t("平均得分", "mean score"), list(charted["mean_score"]), ACCENT)],
                   horizontal=True, labels=[[fmt.score(v, lang) for v in charted["mean_score"]]], legend=False,
                   name="chart_districts", gap_width=40)
    lines = compare.lagging_lines(sm, level1, t, lang, gap=compare.LAG_GAP) if level1 is not None else []
    panel = [[(t("落后地区（及落后方面）", "Districts that lag (and on what)"), True, INK)]]
    if lines:
        for line in lines[:LAGGING_SHOWN]:
            panel += _lagging_paragraphs(line, lang)
        if len(lines) > LAGGING_SHOWN:
            panel.append(t(f"另有 {len(lines) - LAGGING_SHOWN:,} 个地区落后，见看板“总览”页。",
                           f"{len(lines) - LAGGING_SHOWN:,} more lag; see the dashboard's Overview."))
    else:
        panel.append(t("没有明显落后的地区（或可比地区不足 3 个）。", "No region lags clearly (or fewer than 3 regions compare)."))
    deck.text(s, L + IN(7.2), T, W - IN(7.2), max(height, IN(3.2)), panel, SMALL_PT, name="lagging_panel",
              min_size=SMALL_PT)
    notes = [t("按各地区项目报告总分的平均值排序。", "Ranked by the mean of the regions' reported total scores.")]
    if len(sm) > DISTRICT_BARS:
        tail = sm.tail(3).iloc[::-1]
        last = "、".join(f"{u} {fmt.score(v, lang)}" for u, v in zip(tail["unit_label"], tail["mean_score"]))
        notes.append(t(f"图中为前 {DISTRICT_BARS} 个地区（共 {len(sm):,} 个）；排名末位：{last}。",
                       f"The chart shows the top {DISTRICT_BARS} of {len(sm):,} regions; at the bottom: {last}."))
    notes.append(t(f"落后：低于同类地区中位数 {compare.LAG_GAP * 100:.0f} 个百分点以上，或低于四分位距下限（离群）。",
                   f"Lagging: more than {compare.LAG_GAP * 100:.0f} percentage points below the regions' median, or "
                   "below the interquartile fence (outlier)."))
    note(deck, s, T + max(height, IN(3.2)) + IN(0.1), notes)


def _district_money_slide(deck: Deck, summary: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t("地区对比：预算与实际支出（标注执行率）", "Districts: budget and spending"))
    if len(summary) < compare.MIN_UNITS:
        _empty(deck, s, _too_few_regions(t), "empty_district_money", [])
        return
    charted = _district_frame(summary).head(DISTRICT_MONEY_BARS)
    height = _bar_height(len(charted), IN(5.0), per=IN(0.65))
    deck.bar_chart(s, L, T, W, height, list(charted["unit_label"]),
                   [(t("预算（万元）", "budget (10k CNY)"), list(charted["budget"]), "D0D7DE"),
                    (t("实际支出（万元）", "spent (10k CNY)"), list(charted["spent"]), ACCENT)],
                   horizontal=True, labels=[None, [fmt.pct(v, lang, 1) if not fmt.is_missing(v) else ""
                                                   for v in charted["execution_rate"]]],
                   name="chart_district_money", show_value_axis=True, value_axis_format="#,##0", gap_width=40)
    notes = [t("执行率 = Σ实际支出 ÷ Σ到位资金（仅计两项均披露的项目），标在支出条旁；金额单位万元。",
               "Execution = Σ spent ÷ Σ received over projects reporting both, written beside the spending bar; "
               "amounts in 10k CNY.")]
    if len(summary) > DISTRICT_MONEY_BARS:
        notes.append(t(f"图中为平均得分排名前 {DISTRICT_MONEY_BARS} 的地区（共 {len(summary):,} 个）。",
                       f"The chart shows the top {DISTRICT_MONEY_BARS} of {len(summary):,} regions by mean score."))
    missing_exec = charted[charted["execution_rate"].isna()]["unit_label"].tolist()
    if missing_exec:
        notes.append(t("未披露执行率：", "Execution rate not reported: ") + "、".join(missing_exec))
    note(deck, s, T + height + IN(0.05), notes)


def _portfolio_notes_slide(deck: Deck, df, k, nb, summary, t: Translator, lang: str):
    s = deck.slide(t("数据来源与计算口径", "Data sources and definitions"))
    nr = k.not_reported
    n_exec = int(df["execution_rate"].isna().sum())
    kinds = set(df["data_kind"].dropna().unique())
    head = lambda text: [(text, True, INK)]  # noqa: E731
    lines = [head(t("数据来源", "Data")), sources_note(df, lang)]
    lines += badge_sentences(kinds, t)
    lines += [head(t(terms.DEFINITIONS)),
              t("加权预算执行率 = Σ实际支出 ÷ Σ到位资金；加权资金到位率 = Σ到位资金 ÷ Σ预算（所选项目为 "
                f"{fmt.pct(k.arrival_rate, lang)}）；均只计两项均披露的项目。",
                "Weighted execution rate = Σ spent ÷ Σ received; weighted arrival rate = Σ received ÷ Σ budget "
                f"({fmt.pct(k.arrival_rate, lang)} for the selection); each over the projects reporting both."),
              t("预算取调整预算，未调整的取年初预算；金额单位万元，比率以 % 表示。",
                "Budget = the adjusted budget, else the initial one; amounts in 10k CNY (万元), rates in %."),
              t("平均得分 = 报告总分的算术平均；失分 = 分值 − 报告得分（报告未给出的上级分值为下级之和）。",
                "Mean score = plain mean of the reported totals; points lost = weight − reported score (a subtotal "
                "the report leaves out is the sum of the indicators below)."),
              head(t("未披露（不按 0 计）", "Not reported (never counted as 0)")),
              t(f"预算 {nr['budget']:,} 个项目；到位资金 {nr['received']:,} 个；实际支出 {nr['spent']:,} 个；"
                f"执行率 {n_exec:,} 个；报告总分 {nr['reported_total_score']:,} 个；只有总分、无分项 {len(nb):,} 个。",
                f"budget: {nr['budget']:,} projects; received: {nr['received']:,}; spent: {nr['spent']:,}; "
                f"execution rate: {n_exec:,}; total score: {nr['reported_total_score']:,}; total only, no "
                f"breakdown: {len(nb):,}."),
              t(f"共 {k.projects:,} 个项目、{len(summary):,} 个地区；由绩效评价看板导出，数字与看板同源（同一查询）。",
                f"{k.projects:,} projects in {len(summary):,} regions; exported from the performance-evaluation "
                "dashboard, from the same queries as its pages.")]
    deck.text(s, L, T, W, H, lines, BODY_PT, name="notes", min_size=SMALL_PT)
