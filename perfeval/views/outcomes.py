"""成效指标 Outcomes' page model: the reports' outcome figures as cards (qualifiers kept), year trends, figures
per 万元 spent and per 10 000 residents, and targets against actuals, for the projects the sidebar's
filters select or the one focused (pure: no Streamlit).

Three parts, each cached on its own by the page: `categories` (which categories the selection reports, for
the page's category pills, and the projects that report none), `figures` (for the categories chosen) and
`targets`.
"""
from __future__ import annotations

from perfeval.charts import base as charts
from perfeval.charts import outcomes as charts_outcomes
from perfeval.data import schema
from perfeval.domain import outcomes
from perfeval.domain.survey import missing
from perfeval.text import fmt
from perfeval.text.i18n import Translator
from perfeval.views import capped
from perfeval.views.common import Filters

MAX_CARD_PROJECTS = 3   # beyond this, a table compares the projects instead of a wall of cards
MAX_TREND_SERIES = 12
MAX_NAMES = 20          # project names listed in a caption
CARDS_PER_ROW = 3


def categories(q, *, filters: Filters, project_id: str | None, lang: str) -> dict:
    """What the selection reports, per category (SQL): categories, the categories it reports figures in
    (CATEGORY_ORDER), with labels ({category: label}); empty: the info text when it reports none (else None);
    without: the caption naming the projects that report no outcome figure (or None)."""
    t = Translator(lang)
    f = filters.params()
    summary = q("outcomes_summary", **f, project_id=project_id)
    missing_names = q("outcomes_projects_without", **f, project_id=project_id, limit=MAX_NAMES + 1)
    if summary.empty:
        projects = q("budget_projects", **f, project_id=None)
        sel = projects if project_id is None else projects[projects["project_id"] == project_id]
        without, n_without = list(sel["short_name"].head(MAX_NAMES + 1)), len(sel)
    else:
        without = list(missing_names["short_name"])
        n_without = int(missing_names["names"].iloc[0]) if len(missing_names) else 0
    cats = [c for c in outcomes.CATEGORY_ORDER if c in set(summary["category"].dropna())]
    return {
        "categories": cats, "labels": {c: outcomes.category_label(c, lang) for c in cats},
        "empty": (t("所选项目的报告未披露成效指标（未披露）。", "The selected projects' reports give no outcome figures "
                    "(not reported).") if summary.empty else None),
        "without": (t("未披露成效指标的项目：", "Projects reporting no outcome figures: ")
                    + ("、" if lang == "zh" else ", ").join(without[:MAX_NAMES]) + ("…" if n_without > MAX_NAMES else "")
                    if without else None),
    }


def figures(q, *, filters: Filters, project_id: str | None, categories: tuple, lang: str, max_rows: int) -> dict:
    """The figures of ``categories``: the cards (or a caption saying the table has them), the trends' chart,
    the normalised table (at most ``max_rows`` figures, `capped.MAX_ROWS` on the page) and their captions.

    card_groups: [(category label, rows of up to CARDS_PER_ROW cards)] (cards: `outcomes.cards`' dicts), empty
    when there are more than MAX_CARD_PROJECTS projects; card_notes: captions under the cards; trends: the
    trend chart's spec (or None) and trends_note its legend; table: the normalised figures (short_name,
    metric, period, value_s, per_wan_s, basis_s, per_10k_s, source_s = the kind of document each came from,
    `source_kind`; no short_name for one project) and table_note, capped_note (or None) its captions. Each
    card's period names its source kind too, and figures of different kinds never share a card.
    """
    t = Translator(lang)
    f, chosen = filters.params(), list(categories)
    shown = q("outcomes_values", **f, project_id=project_id, categories=chosen, limit=max_rows)
    n_figures = int(shown["figures"].iloc[0]) if len(shown) else 0
    n_projects = int(shown["projects"].iloc[0]) if len(shown) else 0
    if len(shown) < n_figures and n_projects <= MAX_CARD_PROJECTS:  # cards need every figure of their projects
        shown = q("outcomes_values", **f, project_id=project_id, categories=chosen, limit=n_figures)
    v = {"card_groups": [], "card_notes": []}
    if n_projects <= MAX_CARD_PROJECTS:
        cards = _cards_by_source(shown, lang, with_project=n_projects > 1)
        for cat in [c for c in outcomes.CATEGORY_ORDER if any(k["category"] == c for k in cards)]:
            group = [k for k in cards if k["category"] == cat]
            v["card_groups"].append((outcomes.category_label(cat, lang),
                                     [group[i:i + CARDS_PER_ROW] for i in range(0, len(group), CARDS_PER_ROW)]))
        v["card_notes"].append(t(
            "数值保留报告原文的“约 / 近 / 余 / 大于”；鼠标悬停在 ⓘ 上可见报告原文。增减颜色按指标方向："
            "排名、发案数等越低越好的指标，下降显示为绿色。",
            "Values keep the reports' qualifiers (about / nearly / over / more than); hover ⓘ for the "
            "report's words. Change colours follow each metric's direction: for a rank or a case count, "
            "a fall is green."))
        if len(outcomes.multiple_statements(shown)):
            v["card_notes"].append(t(
                "同一指标、同一期间报告给出了多个数值（如两处写法不一致，或分属不同服务），按原文逐一列出，不相加。",
                "Where a report gives one metric more than one value for one period (two wordings, or "
                "parts kept apart), each is listed as written, never added up."))
    else:
        v["card_notes"].append(t(
            f"所选 {n_projects} 个项目的成效数值见下表（卡片只在 {MAX_CARD_PROJECTS} 个项目以内显示）。",
            f"The {n_projects} selected projects' figures are in the table below (cards show for up to "
            f"{MAX_CARD_PROJECTS} projects)."))
    v.update(_trends(q, f, project_id, chosen, n_projects > 1, t))
    v.update(_normalised(shown, project_id, t))
    kinds = list(dict.fromkeys(v["table"]["source_s"])) if len(v["table"]) else []
    if v["trends"] and len(kinds) > 1:  # the figures' kinds, where they are not all of one
        v["trends_note"] += t(f" 数值来自：{'、'.join(kinds)}（每个数值的来源类型见下表）。",
                              f" Figures from: {', '.join(kinds)} (each figure's source kind is in the table below).")
    v["capped_note"] = (capped.note(len(shown), n_figures, "条成效数值", "outcome figures", "按项目编号排在前面",
                                    "the first project ids", lang) if len(shown) < n_figures else None)
    return v


def source_kind(source_type, source, lang: str) -> str:
    """What kind of document a figure came from, in words: its document's ``source_type`` (第三方评价报告, 自评,
    新闻发布 …, schema.SOURCE_TYPES), else the kind its source says (示例数据 for demo:, 导入数据 for import: …)."""
    t = Translator(lang)
    if isinstance(source_type, str) and source_type in schema.SOURCE_TYPES:
        return t(*schema.SOURCE_TYPES[source_type])
    kind = schema.data_kind(source) if isinstance(source, str) else ""
    return {"report": t("评价报告", "evaluation report"), "import": t("导入数据", "imported data"),
            "demo": t("示例数据", "demonstration data"), "generated": t("测试生成数据", "generated test data")
            }.get(kind, t("来源未注明", "source not given"))


def _cards_by_source(shown, lang: str, with_project: bool) -> list[dict]:
    """`outcomes.cards` made apart for each kind of source (an evaluation's figures never share a card or a
    trend with a press release's), each card's period saying the kind: ``2023年 · 第三方评价报告``."""
    if "source" not in shown.columns or not len(shown):
        return outcomes.cards(shown, lang, with_project=with_project)
    kinds = [source_kind(st, so, lang) for st, so in zip(shown.get("source_type", [None] * len(shown)),
                                                         shown["source"])]
    out = []
    for kind in dict.fromkeys(kinds):
        part = shown[[k == kind for k in kinds]]
        for card in outcomes.cards(part, lang, with_project=with_project):
            card["period"] = f"{card['period']} · {kind}" if card["period"] else kind
            out.append(card)
    rank = {c: i for i, c in enumerate(outcomes.CATEGORY_ORDER)}
    out.sort(key=lambda c: rank.get(c["category"], len(rank)))  # stable: within a category, as made
    return out


def _trends(q, f: dict, project_id: str | None, chosen: list, several: bool, t: Translator) -> dict:
    trend_rows = q("outcomes_trends", **f, project_id=project_id, categories=chosen, limit=MAX_TREND_SERIES)
    if not len(trend_rows):
        return {"trends": None, "trends_note": None}
    n_series = int(trend_rows["series"].iloc[0])
    return {"trends": charts.spec(charts_outcomes.trend_grid(trend_rows, t, with_project=several)),
            "trends_note": charts_outcomes.trend_legend(t)
            + (t(f"（仅显示前 {MAX_TREND_SERIES} 组，共 {n_series} 组）",
                 f" (first {MAX_TREND_SERIES} of {n_series} shown)") if n_series > MAX_TREND_SERIES else "")}


def _normalised(shown, project_id: str | None, t: Translator) -> dict:
    lang = t.lang
    norm = outcomes.normalise(shown)
    no_pop = sorted(set(norm.loc[norm["population"].isna(), "short_name"].dropna()))
    records = norm.to_dict("records")
    basis = {"year": t("当年支出", "that year's spending"), "total": t("项目累计支出", "project's total spending")}
    table = norm.assign(
        metric=[t.pick(r, "name_zh", "name_en") for r in records],
        period=[r["period_label"] if isinstance(r["period_label"], str)
                else ("" if missing(r["year"]) else str(int(r["year"]))) for r in records],
        value_s=[outcomes.format_value(v, u, q, lang)
                 for v, u, q in zip(norm["value"], norm["unit"], norm["qualifier"])],
        per_wan_s=[outcomes.normalised_text(v, u, q, lang)
                   for v, u, q in zip(norm["per_wan"], norm["unit"], norm["qualifier"])],
        basis_s=[basis.get(b, "—") for b in norm["spent_basis"]],
        per_10k_s=[t("未披露人口", "population not reported") if outcomes.normalisable(u) and missing(p)
                   else outcomes.normalised_text(v, u, q, lang)
                   for v, u, p, q in zip(norm["per_10k"], norm["unit"], norm["population"], norm["qualifier"])],
        source_s=[source_kind(r.get("source_type"), r.get("source"), lang) for r in records],
    )
    cols = ["short_name", "metric", "period", "value_s", "per_wan_s", "basis_s", "per_10k_s", "source_s"]
    more = "…" if len(no_pop) > MAX_NAMES else ""
    note = t("“—”为比率、排名、连续天数等不宜折算的指标。每万元支出按报告的实际支出折算（逐年数值用当年支出）；"
             "成效常为全市/全区公安工作的合计，不全是本项目资金所致，折算值仅供横向比较。",
             "“—” marks rates, ranks and streaks, which do not scale. Per 10k CNY uses the spending the report "
             "gives (that year's for a yearly figure); outcomes are often city- or district-wide totals, not "
             "the effect of this project's money alone, so these ratios are for comparison only.")
    if no_pop:
        note += t(f" 未披露人口：{'、'.join(no_pop[:MAX_NAMES])}{more}（不估算）。",
                  f" Population not reported: {', '.join(no_pop[:MAX_NAMES])}{more} (not estimated).")
    return {"table": table[cols if project_id is None else cols[1:]], "table_note": note}


def targets(q, *, filters: Filters, project_id: str | None, lang: str, max_rows: int) -> dict:
    """Targets and what was achieved, at most ``max_rows`` listed (the targets not met first).

    empty: the info text when no target is reported (then nothing else), else None; kpis and kpi_help: the
    verdict counts over every target (SQL); chart: the targets chart's spec (or None); table (short_name,
    name, subproject_id, year_s, target_s, actual_s, verdict_s, category; without short_name for one project,
    without subproject_id when none has one); capped_note and disagree (the warning), or None.
    """
    t = Translator(lang)
    f = filters.params()
    tsum = q("targets_summary", **f, project_id=project_id).iloc[0]  # verdict counts over every target (SQL)
    n_targets = int(tsum["targets"])
    if n_targets == 0:
        return {"empty": t("报告未披露绩效目标（未披露）。", "No performance targets reported (not reported).")}
    n_met, n_not, n_dis = int(tsum["met"]), int(tsum["not_met"]), int(tsum["disagree"])
    v = {"empty": None, "chart": None, "kpis": [
        (t("目标数", "Targets"), str(n_targets)), (t("达成", "Met"), str(n_met)), (t("未达成", "Not met"), str(n_not)),
        (t("未披露结论", "No verdict"), str(int(tsum["no_verdict"]))),
        (t("与报告结论不一致", "Differ from the report"), str(n_dis))],
        "kpi_help": [None, t("按运算符由目标值与实际值算出；无数值时取报告结论", "computed from the operator, target and "
                             "actual; the report's conclusion where there are no figures"), None, None,
                     t("按数值计算的结论与报告的结论不同", "the computed verdict differs from the report's")]}
    many = project_id is None and capped.is_capped(n_targets, max_rows)
    if many:  # the targets not met first, as many as the chart draws and the table lists
        if int(tsum["with_actual"]):
            v["chart"] = charts.spec(charts_outcomes.targets_chart(
                q("targets_attention", **f, numeric_only=True, limit=charts_outcomes.MAX_TARGET_BARS),
                t, numeric_total=int(tsum["numeric"]), several=int(tsum["numeric_projects"]) > 1))
        rows = q("targets_attention", **f, numeric_only=False, limit=max_rows)
    else:
        rows = q("targets_list", **f, project_id=project_id)
        if rows["actual_value"].notna().any():
            v["chart"] = charts.spec(charts_outcomes.targets_chart(rows, t))
    records = rows.to_dict("records")
    verdicts = [outcomes.target_verdict(r) for r in records]
    table = rows.assign(
        year_s=["" if missing(y) else str(int(y)) for y in rows["year"]],
        target_s=[outcomes.target_text(r, lang) for r in records],
        actual_s=[outcomes.actual_text(r, lang) for r in records],
        # a target of the whole project has no sub-project; a missing category is 未披露 (never None)
        subproject_id=[s if isinstance(s, str) and s else t("整个项目", "whole project") for s in rows["subproject_id"]],
        category=fmt.texts(rows["category"], lang),
        verdict_s=[("✅ " if x["met"] is True else "❌ " if x["met"] is False else "") + outcomes.verdict_text(x, lang)
                   + (" ⚠️" if x["disagree"] else "") for x in verdicts],
    )
    cols = ["short_name", "name", "subproject_id", "year_s", "target_s", "actual_s", "verdict_s", "category"]
    if rows["subproject_id"].isna().all():
        cols.remove("subproject_id")
    v["table"] = table[cols if project_id is None else cols[1:]]
    v["capped_note"] = (capped.note(len(rows), n_targets, "项目标", "targets", "未达成、其次无结论",
                                    "the targets not met first, then those without a verdict", lang) if many else None)
    v["disagree"] = (t(f"⚠️ {n_dis} 项目标按数值计算未达成，而报告结论为达成（或相反），见“结论”列。",
                       f"⚠️ {n_dis} targets: the figures say one thing and the report's conclusion another (see "
                       "Verdict).") if n_dis else None)
    return v
