"""Slide decks (PPTX) for review meetings (评审会 / 汇报会): the portfolio the filters select, or one project.

The figures are the dashboard's: the same queries (by name, through ``q``: the page passes
the pages' query cache bound to the viewer's scope (perfeval.ui.deck), the command line ``python -m perfeval
deck`` a ``DataGate.query`` bound to a scope) and the same pure
functions (perfeval.domain.portfolio, compare, budget, outcomes, survey, audit, fmt) as the pages. Charts are native
PowerPoint charts (perfeval.decks.slides), not pictures: crisp on a projector, editable, and made without a
browser on the server. No Streamlit, no SQL, no network here.

Missing values read 未披露 / "not reported", never 0; where any row shown is demonstration or generated data,
every slide carries the 示例数据 / 测试生成数据 badge (the pages' words, perfeval.ui.common.demo_badge).
"""
from __future__ import annotations

import argparse
import datetime
import pathlib
import time
from typing import Callable

import pandas as pd
from pptx.util import Inches

from perfeval.charts.base import GRADE_COLORS
from perfeval.charts.scorecard import RECOMPUTED, rate_colour
from perfeval.decks.slides import (
    ACCENT,
    BODY_PT,
    CONTENT_BOTTOM,
    CONTENT_H,
    CONTENT_TOP,
    CONTENT_W,
    INK,
    MARGIN,
    MUTED,
    SMALL_PT,
    Card,
    Deck,
    clip,
    fit_lines,
    text_width,
)
from perfeval.domain import audit, budget, compare, outcomes, scoring, survey
from perfeval.domain.facts import period, project_facts
from perfeval.domain.portfolio import portfolio_kpis, sources_note
from perfeval.domain.regions import region_label
from perfeval.text import fmt
from perfeval.text.i18n import Translator

Query = Callable[..., pd.DataFrame]

DECK_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FILTER_KEYS = ("region", "year_from", "year_to", "category", "evaluator_type")

# The pages' words for data that are not real (perfeval.ui.common.demo_badge; a test keeps them equal).
DEMO_BADGE_ZH = "示例数据"
GENERATED_ZH, GENERATED_EN = "测试生成数据", "Generated data"

RANKED_ROWS = 12       # projects in the ranked table
ATTENTION_ROWS = 8     # projects in each "needs attention" table
INDICATOR_BARS = 10    # indicators in the points-lost chart
DISTRICT_BARS = 15     # districts in the ranking chart
DISTRICT_MONEY_BARS = 12  # districts in the budget chart (two bars each)
LAGGING_SHOWN = 3      # lagging districts listed beside the ranking
TABLE_ROWS = 10        # rows of a project slide's outcomes table
TARGET_ROWS = 9        # rows of its targets table
FINDINGS_SHOWN = 6     # problems / recommendations listed on the findings slide
YEARS_SHOWN = 4        # years in a project's budget table

KIND_LABELS = {"report": ("真实报告", "real report"), "demo": ("示例", "demo"),
               "import": ("导入", "imported"), "generated": ("生成", "generated")}
RED, GREEN = "CF222E", "1A7F37"

L, T, W, H = MARGIN, CONTENT_TOP, CONTENT_W, CONTENT_H
IN = Inches


# -- shared pieces -------------------------------------------------------------------------------------------

def deck_filename(kind: str, lang: str, now=None) -> str:
    """The file name of a deck: 绩效评价总览-20261122.pptx / portfolio-20261122.pptx (kind "portfolio"),
    项目绩效评价-20261122.pptx / project-20261122.pptx (kind "project")."""
    now = now or datetime.datetime.now()
    names = {"portfolio": ("绩效评价总览", "portfolio"), "project": ("项目绩效评价", "project")}
    if kind not in names:
        raise ValueError(f"unknown deck kind {kind!r}")
    stem = names[kind][0 if lang == "zh" else 1]
    return f"{stem}-{now:%Y%m%d}.pptx"


def badge_text(kinds, lang: str) -> str | None:
    """The badge every slide carries when any row shown is not real data; None when all are real."""
    kinds = {k for k in kinds if isinstance(k, str)}
    parts = []
    if "demo" in kinds:
        parts.append(DEMO_BADGE_ZH if lang == "zh" else DEMO_BADGE_ZH + " (demonstration data)")
    if "generated" in kinds:
        parts.append(GENERATED_ZH if lang == "zh" else GENERATED_EN)
    return " · ".join(parts) or None


def badge_sentences(kinds, t: Translator) -> list[str]:
    """The pages' warnings, for the title slide."""
    kinds = set(kinds)
    out = []
    if "demo" in kinds:
        out.append(DEMO_BADGE_ZH + t("：本演示文稿含虚构地区的演示数据，不是真实评价结果。",
                                     " (demonstration data): this deck includes made-up projects of fictional "
                                     "regions, not real evaluations."))
    if "generated" in kinds:
        out.append(t("测试生成数据：本演示文稿含程序生成的数据，不是真实评价结果。",
                     "Generated data: this deck includes machine-generated rows, not real evaluations."))
    return out


def date_text(now: datetime.datetime, lang: str) -> str:
    return f"{now.year}年{now.month}月{now.day}日" if lang == "zh" else now.strftime("%Y-%m-%d")


def filters_summary(params: dict, t: Translator, region_label: str | None = None,
                    include_demo: bool | None = None) -> str:
    """The filters in words: "地区 广东省 / 深圳市 · 2021—2023 年 · 类别 反诈 · 不含示例数据".
    ``region_label``: the region's name as the sidebar shows it (else its code); ``include_demo`` False
    adds that demonstration data are left out."""
    parts = []
    if params.get("region"):
        parts.append(t(f"地区 {region_label}", f"region {region_label}") if region_label
                     else t(f"地区代码 {params['region']}", f"region code {params['region']}"))
    a, b = params.get("year_from"), params.get("year_to")
    if a or b:
        span = f"{a or '…'}—{b or '…'}"
        parts.append(t(f"{span} 年", f"years {span}"))
    if params.get("category"):
        parts.append(t(f"类别 {params['category']}", f"category {params['category']}"))
    if params.get("evaluator_type"):
        parts.append(t(f"评价方式 {params['evaluator_type']}", f"evaluator {params['evaluator_type']}"))
    if include_demo is False:
        parts.append(t("不含示例数据", "without demonstration data"))
    return " · ".join(parts) if parts else t("全部项目（未筛选）", "All projects (no filter)")


def _name(row: dict, t: Translator) -> str:
    return t.pick(row, "name", "name_en") or str(row.get("project_id", ""))


def _short(row: dict, t: Translator) -> str:
    """A project's short name for a narrow table (zh: 简称; en: the English name, which has no short form)."""
    if t.lang == "zh" and isinstance(row.get("short_name"), str) and row["short_name"]:
        return row["short_name"]
    return _name(row, t)


def _score2(v, lang: str) -> str:
    """A score as the pages' tables show it (two decimals), 未披露 where missing."""
    return fmt.not_reported(lang) if fmt.is_missing(v) else f"{float(v):.2f}"


def _grade(v, lang: str) -> str:
    return v if isinstance(v, str) and v else fmt.not_reported(lang)


def _sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def _title_slide(deck: Deck, title: str, lines: list[str], warnings: list[str], t: Translator):
    s = deck.slide(title, big=True)
    deck.text(s, L, IN(3.35), W, IN(2.1), lines, 20, colour=MUTED, name="subtitle", min_size=16)
    if warnings:
        deck.text(s, L, IN(5.55), W, IN(1.2), warnings, BODY_PT, colour="BC4C00", bold=True, name="warning")
    return s


def _note(deck: Deck, slide, top, lines: list[str], height=None, name: str = "note", size=SMALL_PT):
    """Notes under a chart or table: small grey text down to the content's bottom."""
    height = height if height is not None else CONTENT_BOTTOM - top
    if lines and height > IN(0.3):
        deck.text(slide, L, top, W, height, lines, size, colour=MUTED, name=name)


# -- the portfolio deck ------------------------------------------------------------------------------------

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
    _title_slide(deck, title, [
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
        Card(t("项目数", "Projects"), f"{k.projects:,}", name="projects"),
        Card(t("平均得分", "Mean score"), fmt.score(k.mean_score, lang),
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
        Card(t("实际支出（万元）", "Spent (10k CNY)"), fmt.number(k.spent, 2, lang),
             t(f"{nr['spent']} 个项目未披露", f"{nr['spent']} not reported") if nr["spent"] else "", name="spent"),
    ], L, T, W, IN(3.4))
    grades = t("评价等级：", "Grades: ") + "　".join(f"{g} {c}" for g, c in k.grade_counts.items())
    deck.text(s, L, IN(4.95), W, IN(0.55), [grades], 20, bold=True, name="grades")
    _note(deck, s, IN(5.6), [
        t("加权预算执行率 = Σ实际支出 ÷ Σ到位资金，仅计两项均披露的项目；平均得分为报告总分的算术平均。",
          "Weighted execution rate = Σ spent ÷ Σ received, over projects reporting both; the mean score is the "
          "plain mean of the reported totals."),
        t("金额单位：万元。未披露的数值记为“未披露”，不按 0 计。",
          "Amounts in 10k CNY (万元). A figure not reported reads “not reported”, never 0."),
    ])


def _grade_category(grade: str, bands: pd.DataFrame, t: Translator) -> str:
    en = dict(zip(bands["grade"], bands["name_en"])) if len(bands) else {}
    return t(grade, f"{grade} {en.get(grade) or ''}".strip())


def _band_lines(bands: pd.DataFrame, t: Translator) -> list[str]:
    b = bands[bands["band_set"] == "default"] if "band_set" in bands else bands
    if b.empty:
        b = bands
    rows = b.sort_values("min_score", ascending=False).to_dict("records")
    out, upper = [], None
    for r in rows:
        lo = fmt.score(r["min_score"])
        if upper is None:
            out.append(t(f"{r['grade']}：{lo} 分及以上", f"{r['grade']} ({r['name_en']}): {lo} and above"))
        elif r["min_score"] <= 0:
            out.append(t(f"{r['grade']}：{upper} 分以下", f"{r['grade']} ({r['name_en']}): below {upper}"))
        else:
            out.append(t(f"{r['grade']}：{lo}（含）— {upper} 分", f"{r['grade']} ({r['name_en']}): {lo} to under {upper}"))
        upper = lo
    return out


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
    lines += _band_lines(bands, t)
    deck.text(s, L + IN(7.9), T, W - IN(7.9), H, lines, BODY_PT, name="grade_panel")


def _ranked_slide(deck: Deck, df: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t(f"项目排名（按报告总分，前 {RANKED_ROWS} 名）", f"Ranked projects (top {RANKED_ROWS} by score)"))
    top = df.head(RANKED_ROWS).to_dict("records")
    rows = [[str(i), _name(r, t), region_label(r), _score2(r["reported_total_score"], lang),
             _grade(r["reported_grade"], lang), fmt.pct(r["execution_rate"], lang),
             t(*KIND_LABELS.get(r["data_kind"], (r["data_kind"], r["data_kind"])))] for i, r in enumerate(top, 1)]
    gf = deck.table(s, L, T, W, [(t("排名", "Rank"), 0.7, "c"), (t("项目", "Project"), None, "l"),
                            (t("地区", "Region"), 2.4, "l"), (t("总分", "Score"), 0.9, "r"),
                            (t("等级", "Grade"), 0.7, "c"), (t("执行率", "Execution"), 1.1, "r"),
                            (t("数据", "Data"), 1.1, "c")], rows, name="table_ranked")
    notes = [t(f"共 {len(df):,} 个项目，按报告总分从高到低排列" + ("；全部项目见看板“总览”页。" if len(df) > RANKED_ROWS else "。"),
               f"{len(df):,} projects, by reported total score" + ("; the dashboard's Overview lists them all."
                                                                 if len(df) > RANKED_ROWS else "."))]
    _note(deck, s, gf.top + gf.height + IN(0.1), notes)


def _attention_slide(deck: Deck, df: pd.DataFrame, attention: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t("需要关注的项目", "Projects needing attention"))
    half = (W - IN(0.3)) / 2
    scored = df.dropna(subset=["reported_total_score"])
    low = scored.tail(ATTENTION_ROWS).iloc[::-1].to_dict("records")  # overview_projects: best score first
    deck.text(s, L, T, half, IN(0.45), [t("报告总分最低", "Lowest reported scores")], 18, bold=True, name="head_low_score")
    g1 = deck.table(s, L, T + IN(0.5), half, [(t("项目", "Project"), None, "l"), (t("总分", "Score"), 0.8, "r"),
                                         (t("等级", "Grade"), 0.6, "c"), (t("执行率", "Execution"), 1.0, "r")],
               [[_short(r, t), _score2(r["reported_total_score"], lang), _grade(r["reported_grade"], lang),
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
    g2 = deck.table(s, x2, T + IN(0.5), half, [(t("项目", "Project"), None, "l"), (t("执行率", "Execution"), 1.0, "r"),
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
    _note(deck, s, max(g1.top + g1.height, g2.top + g2.height) + IN(0.2), notes)


def _not_broken_down_line(nb: pd.DataFrame, t: Translator) -> str | None:
    if nb.empty:
        return None
    shown = nb["short_name"].astype(str).head(10).tolist()
    names = "、".join(shown) + ("等" if len(nb) > len(shown) else "")
    lost = nb["points_lost"].dropna().sum()
    return t(f"{len(nb)} 个项目只披露总分、未披露分项（{names}），不计入图中；其失分合计 {fmt.score(lost)} 分。",
             f"{len(nb)} projects give only a total, no breakdown ({names}); they are not in the chart "
             f"(together {fmt.score(lost, 'en')} points lost).")


def _empty(deck: Deck, slide, text: str, name: str, notes: list[str]) -> None:
    """A slide with nothing to draw: says so, with the slide's notes (if any) below."""
    deck.text(slide, L, T, W, IN(1.0), [text], 20, name=name)
    _note(deck, slide, T + IN(1.2), notes)


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
                                                (t("项目数", "Projects"), 0.8, "r"),
                                                (t("失分合计", "Lost in all"), 1.0, "r"),
                                                (t("得分率", "Score rate"), 1.0, "r")],
               table_rows, name="table_level1_lost")
    _note(deck, s, T + IN(4.15), notes)


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
    _note(deck, s, T + height + IN(0.1), notes)


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
    _note(deck, s, T + max(height, IN(3.2)) + IN(0.1), notes)


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
    _note(deck, s, T + height + IN(0.05), notes)


def _portfolio_notes_slide(deck: Deck, df, k, nb, summary, t: Translator, lang: str):
    s = deck.slide(t("数据来源与计算口径", "Data sources and definitions"))
    nr = k.not_reported
    n_exec = int(df["execution_rate"].isna().sum())
    kinds = set(df["data_kind"].dropna().unique())
    head = lambda text: [(text, True, INK)]  # noqa: E731
    lines = [head(t("数据来源", "Data")), sources_note(df, lang)]
    lines += badge_sentences(kinds, t)
    lines += [head(t("计算口径", "Definitions")),
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


# -- the project deck ----------------------------------------------------------------------------------------

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
    name = _name(p, t)
    deck = Deck(lang, name, now, footer=sources_note(facts, lang), badge=badge_text(kinds, lang))
    missing: list[str] = []

    _title_slide(deck, name, [
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
        Card(t("评价等级", "Grade"), _grade(p.get("reported_grade"), lang), name="grade"),
        Card(t("预算执行率", "Execution rate"), fmt.pct(p.get("execution_rate"), lang),
             budget.cutoff_text(p.get("as_of"), lang) if not fmt.is_missing(p.get("execution_rate")) else "",
             name="execution_rate"),
        Card(t("预算（万元）", "Budget (10k CNY)"), fmt.number(p.get("budget"), 2, lang), name="budget"),
        Card(t("到位资金（万元）", "Received (10k CNY)"), fmt.number(p.get("received"), 2, lang), name="received"),
        Card(t("实际支出（万元）", "Spent (10k CNY)"), fmt.number(p.get("spent"), 2, lang), name="spent"),
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
    score, grade = fmt.score(p.get("reported_total_score"), lang), _grade(p.get("reported_grade"), lang)
    head = t(f"报告总分 {score}，评价等级 {grade}", f"Reported total {score}, grade {grade}")
    deck.text(s, L, T, W, IN(0.5), [head], 20, bold=True, name="score_head")
    top = T + IN(0.6)
    if l1.empty:
        deck.text(s, L, top, W, IN(0.9), [t("报告只给出总分，未披露分项得分（未披露），无法画出一级指标。",
                                            "The report gives only the total score; the breakdown is not reported, "
                                            "so there are no level-1 scores to draw.")], 20, name="not_reported_l1")
        total_score = p.get("reported_total_score")
        if not fmt.is_missing(total_score):
            lost = 100 - float(total_score)
            deck.bar_chart(s, L, top + IN(1.0), IN(7.6), IN(1.6), [t("总分", "Total")],
                           [(t("得分", "score"), [total_score], ACCENT), (t("失分", "lost"), [lost], "D0D7DE")],
                           horizontal=True, stacked=True, max_value=100, name="chart_total",
                           labels=[[fmt.score(total_score, lang)], [fmt.score(lost, lang)]], label_pt=18)
        lines = [[(t("等级划分（报告总分）", "Grade bands (reported total)"), True, INK)]] + _band_lines(bands, t)
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
                                                  (t("分值", "Weight"), 0.9, "r"), (t("得分", "Score"), 0.9, "r"),
                                                  (t("得分率", "Rate"), 1.1, "r")], table,
               name="table_level1")
    notes = [t("柱上数字为得分率（得分 ÷ 分值）。", "The figure on each score bar is its score rate (score ÷ weight).")]
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
    if total is not None and not fmt.is_missing(total.score):
        notes.append(t(f"按评分规则和报告数据重算的总分为 {fmt.score(total.score, lang)}（报告 {score}）。",
                       f"Total recomputed from the rules and the report's data: {fmt.score(total.score, lang)} "
                       f"(reported {score})."))
    _note(deck, s, top + IN(4.0), notes)


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
        _note(deck, s, T + IN(1.2), notes)
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
    _note(deck, s, T + height + IN(0.1), notes)


def _project_budget_slide(deck: Deck, p: dict, r: dict, years: pd.DataFrame, notes: list[str], t: Translator,
                          lang: str):
    s = deck.slide(t("预算执行", "Budget execution"))
    arrival = budget.gauge_reading(r.get("arrival_rate"), budget.DEFAULT_TARGET, r.get("as_of"))
    execution = budget.gauge_reading(r.get("execution_rate"), budget.DEFAULT_TARGET, r.get("as_of"),
                                     ceiling=budget.EXECUTION_CEILING)
    fourth = (Card(t("估算总投资（万元）", "Estimated investment"), fmt.number(r.get("estimated_investment"), 2, lang),
                   name="estimated_investment")
              if not fmt.is_missing(r.get("estimated_investment")) else
              Card(t("结余（万元）", "Unspent (10k CNY)"), fmt.number(budget.unspent(r.get("received"), r.get("spent")), 2, lang),
                   name="unspent"))
    left_w = IN(5.2)
    cards_h = IN(3.6)
    deck.cards(s, [
        Card(t("预算（万元）", "Budget (10k CNY)"), fmt.number(r.get("budget"), 2, lang), name="budget"),
        Card(t("到位资金（万元）", "Received (10k CNY)"), fmt.number(r.get("received"), 2, lang), name="received"),
        Card(t("实际支出（万元）", "Spent (10k CNY)"), fmt.number(r.get("spent"), 2, lang), name="spent"),
        fourth,
        Card(t("资金到位率", "Arrival rate"), fmt.pct(arrival.value, lang), budget.status_text(arrival, lang),
             name="arrival_rate"),
        Card(t("预算执行率", "Execution rate"), fmt.pct(execution.value, lang), budget.status_text(execution, lang),
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
        cols = ([(t("年度", "Year"), 0.7, "c")] + [(label, 1.1, "r") for _, label, _ in present]
                + [(t("执行率", "Execution"), 1.0, "r")])
        rows = [[c] + [fmt.number(v[col], 2, lang) for col, _, _ in present] + [fmt.pct(v["execution_rate"], lang)]
                for c, v in zip(cats, yr.to_dict("records"))]
        gf = deck.table(s, x, T + IN(3.0), right_w, cols, rows, name="table_years")
        bottom = max(bottom, gf.top + gf.height)
        if absent:
            lines.append(t("分年度数据未披露：", "Not reported by year: ") + "、".join(absent))
        if len(years) > YEARS_SHOWN:
            lines.append(t(f"仅列最近 {YEARS_SHOWN} 年（共 {len(years)} 年）。",
                           f"The last {YEARS_SHOWN} of {len(years)} years."))
    _note(deck, s, bottom + IN(0.12), lines, name="money_notes")


def _outcomes_slide(deck: Deck, ov: pd.DataFrame, t: Translator, lang: str):
    s = deck.slide(t("成效指标", "Outcomes"))
    cards = outcomes.cards(ov, lang)
    rows = [[outcomes.category_label(c["category"], lang), c["label"], c["period"] or "—", c["value"],
             c["delta"] if isinstance(c["delta"], str) else "—"] for c in cards[:TABLE_ROWS]]
    gf = deck.table(s, L, T, W, [(t("类别", "Category"), 1.2, "l"), (t("指标", "Metric"), None, "l"),
                            (t("期间", "Period"), None, "l"), (t("数值", "Value"), 1.5, "r"),
                            (t("较上年", "Change"), 2.3, "r")], rows, name="table_outcomes")
    notes = [t("数值保留报告原文的“约 / 近 / 余 / 大于”；较上年的变化按指标方向判断好坏（排名、发案数越低越好）。",
               "Values keep the reports' qualifiers (about / nearly / over / more than); changes are judged by each "
               "metric's direction (for a rank or a case count lower is better).")]
    if len(cards) > TABLE_ROWS:
        notes.append(t(f"另有 {len(cards) - TABLE_ROWS} 项，见看板“成效指标”页。",
                       f"{len(cards) - TABLE_ROWS} more on the dashboard's Outcomes page."))
    _note(deck, s, gf.top + gf.height + IN(0.15), notes)


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
    gf = deck.table(s, L, T + IN(0.6), W, [(t("目标", "Target"), None, "l"), (t("年度", "Year"), 0.8, "c"),
                                           (t("目标值", "Target value"), 1.6, "l"),
                                           (t("实际完成", "Actual"), 1.6, "l"), (t("结论", "Verdict"), None, "l")],
                    rows, name="table_targets", colours=colours)
    notes = [t("结论按运算符由目标值与实际值算出；无数值时取报告结论。未达成的排在前面。",
               "Verdicts are computed from the operator, target and actual; the report's conclusion where there are "
               "no figures. Targets not met first.")]
    if n > TARGET_ROWS:
        notes.append(t(f"另有 {n - TARGET_ROWS} 项目标，见看板“成效指标”页。", f"{n - TARGET_ROWS} more on the dashboard's Outcomes page."))
    _note(deck, s, gf.top + gf.height + IN(0.1), notes)


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
        Card(t("满意度", "Satisfaction"), sat,
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
    lines += [head(t("计算口径", "Definitions")),
              t("预算执行率 = 实际支出 ÷ 到位资金；资金到位率 = 到位资金 ÷ 预算（预算取调整预算，未调整的取年初预算）；"
                "得分率 = 得分 ÷ 分值；满意度误差范围为 95% 置信区间半宽（正态近似）。",
                "Execution rate = spent ÷ received; arrival rate = received ÷ budget (the adjusted budget, else the "
                "initial one); score rate = score ÷ weight; the satisfaction margin is the half-width of a 95% "
                "interval (normal approximation)."),
              t("金额单位：万元；比率以 % 表示。", "Amounts in 10k CNY (万元); rates in %.")]
    lines.append(head(t("未披露（不按 0 计）", "Not reported (never counted as 0)")))
    lines.append(("、" if lang == "zh" else "; ").join(missing) if missing else t("无", "nothing"))
    deck.text(s, L, T, W, H, lines, BODY_PT, name="notes", min_size=SMALL_PT)


# -- the command line --------------------------------------------------------------------------------------

def add_deck_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("deck", help="a slide deck (PPTX) for a review meeting / 汇报材料",
                       description="Write the overview's 10-slide deck (or one project's) as a PPTX file.")
    p.add_argument("out", nargs="?", help="the .pptx file to write (default: the name the page gives it, here)")
    p.add_argument("--project", help="one project's deck instead of the portfolio's")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--no-demo", action="store_true", help="leave the demonstration data out")
    for key in ("region", "category", "evaluator_type"):
        p.add_argument("--" + key.replace("_", "-"), help=f"filter: {key} (as the sidebar's)")
    p.add_argument("--year-from", type=int)
    p.add_argument("--year-to", type=int)
    return p


def deck_command(args: argparse.Namespace) -> int:
    from perfeval.cli import cli_scope, gate

    g, scope = gate(args), cli_scope(args)

    def q(name, **params):
        return g.query(name, scope, **params)

    now = datetime.datetime.now()
    t0 = time.perf_counter()
    if args.project:
        data = project_deck(q, args.project, args.lang, now=now)
    else:
        params = {k: getattr(args, k) for k in FILTER_KEYS}
        text = Translator(args.lang)("筛选条件：", "Filters: ") + filters_summary(
            params, Translator(args.lang), include_demo=not args.no_demo)
        data = portfolio_deck(q, params, args.lang, filters_text=text, now=now)
    out = pathlib.Path(args.out or deck_filename("project" if args.project else "portfolio", args.lang, now))
    out.write_bytes(data)
    print(f"{out}（{len(data) / 1024:,.0f} KB，{time.perf_counter() - t0:.1f} s）")
    return 0
