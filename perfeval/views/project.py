"""项目详情 Project's page model: one project's facts, KPIs and level-1 breakdown (`facts`), its scorecard and
the audit of its numbers (`scorecard_section`), and the links to its budget, outcomes and satisfaction (pure).

The audit is `perfeval.views.scorecard.audit_frames`; scores and weights are in 分, money in 万元.
"""
from __future__ import annotations

from perfeval.charts import base as charts
from perfeval.charts import scorecard as charts_scorecard
from perfeval.domain import audit, budget, disclosure
from perfeval.domain.facts import project_facts
from perfeval.domain.portfolio import data_kinds
from perfeval.text import fmt
from perfeval.text import glossary as terms
from perfeval.text.i18n import Translator
from perfeval.views import scorecard

# the pages a project links to: (page file, zh label, en label)
RELATED = (("app_pages/budget.py", "💰 预算执行", "💰 Budget"), ("app_pages/outcomes.py", "🎯 成效指标", "🎯 Outcomes"),
           ("app_pages/satisfaction.py", "🙂 满意度", "🙂 Satisfaction"))


def facts(q, *, project_id: str, lang: str) -> dict:
    """From project_facts and project_level1: the title, the data kinds, the KPI cards (label, text), the
    money figures' date, the facts as (label, text) pairs and the notes on the data, and the level-1
    section (`level1`), and the links to the project's other pages (``related``: (page file, label))."""
    t = Translator(lang)
    rows = q("project_facts", project_id=project_id)
    p = rows.iloc[0].to_dict()
    grade = p.get("reported_grade")
    return {
        "title": t.pick(p, "name", "name_en"),
        "kinds": data_kinds(rows),
        "kpis": [
            (t("报告总分", "Reported score"), fmt.score(p.get("reported_total_score"), lang)),
            (t("评价等级", "Grade"), grade if isinstance(grade, str) else fmt.not_reported(lang)),
            (t(terms.BUDGET_WAN), fmt.number(p.get("budget"), 2, lang)),
            (t(terms.RECEIVED_WAN), fmt.number(p.get("received"), 2, lang)),
            (t(terms.SPENT_WAN), fmt.number(p.get("spent"), 2, lang)),
            execution_card(p, lang),
        ],
        "as_of": (None if fmt.is_missing(p.get("as_of")) else
                  t(f"资金数据截至 {fmt.date(p['as_of'])}", f"Money figures as of {fmt.date(p['as_of'])}")),
        "facts": [(label, value if isinstance(value, str) and value.strip() else fmt.not_reported(lang))
                  for _, label, value in project_facts(p, lang)],
        "note": (t("数据整理说明：", "Notes on the data: ") + p["note"]
                 if isinstance(p.get("note"), str) and p["note"] else None),
        "level1": level1(q, project_id=project_id, lang=lang, total=p.get("reported_total_score")),
        "related": [(page, t(zh, en)) for page, zh, en in RELATED],
    }


def execution_card(p: dict, lang: str) -> tuple[str, str]:
    """The execution-rate card: (label, value). A rate not on the spent ÷ received basis, or the document's
    stated figure, carries its definition in the label ("预算执行率（全年执行数 ÷ 全年预算数）", "95.00%"): a
    card's value is drawn large and a definition beside the % is cut off at presentation size."""
    t = Translator(lang)
    value = fmt.pct(p.get("execution_rate"), lang)
    full = budget.execution_text(p.get("execution_rate"), p.get("execution_basis"), p.get("execution_stated"), lang)
    return t(terms.EXECUTION_RATE) + (full[len(value):] if full.startswith(value) else ""), value


def level1(q, *, project_id: str, lang: str, total=None) -> dict:
    """The level-1 section: ``empty`` (the report gives no breakdown: ``info`` says so, by whether it gives the
    ``total``), else ``partial`` (部分披露 … when the level-1 weights fall short of 100, or None), the note on
    derived figures (or None), the chart's spec and the table (code, name, weight_s, score_s, rate_s)."""
    t = Translator(lang)
    l1 = q("project_level1", project_id=project_id)
    if l1.empty:
        return {"empty": True, "info": disclosure.no_tree_text(total, lang)}
    shown = l1.assign(
        name=[t.pick(r, "name", "name_en") for r in l1.to_dict("records")],
        weight_s=[fmt.score(v, lang) + ("*" if d else "") for v, d in zip(l1["weight"], l1["derived"])],
        score_s=[fmt.score(v, lang) + ("*" if d else "") for v, d in zip(l1["reported_score"], l1["derived"])],
        rate_s=[fmt.pct(v, lang) for v in l1["score_rate"]],
    )
    weights = [fmt.or_none(w) for w in l1["weight"]]
    top = None if any(w is None for w in weights) else float(sum(weights))
    return {
        "empty": False,
        "partial": disclosure.partial_text(disclosure.Coverage(len(l1), top), lang,
                                           ("一级指标", "level-1 indicators")),
        "derived": (t("报告未直接给出一级指标的分值和得分，图表中为其下级指标之和（计算值，标“*”）。",
                      "The report states no level-1 weights or scores; they are summed from the indicators "
                      "below (computed, marked “*”).") if l1["derived"].any() else None),
        "chart": charts.spec(charts.level1_breakdown(l1, t)),
        "table": shown[["code", "name", "weight_s", "score_s", "rate_s"]],
    }


def _own(frame, project_id: str):
    """The rows of an audit frame that are ``project_id``'s (an empty frame stays as it is)."""
    return frame[frame["project_id"] == project_id] if not frame.empty else frame


def scorecard_section(q, *, project_id: str, lang: str) -> dict:
    """The scorecard and the audit of one project, as the page draws them.

    only_total: the info text when the report gives only a total (no indicator tree), else None;
    captions: how many indicators were recomputed / are manual; treemap, points_lost: the charts' specs;
    table: the scorecard table (`perfeval.views.scorecard.scorecard_table`) or None, with table_height (px)
    and star_note (the caption on derived figures, or None); clean: the text when the audit finds nothing,
    else None; severities: the findings counted per severity (caption); findings: one markdown line each;
    unchecked: (the expander's title, its markdown) for stated figures the audit could not check, or None.
    """
    t = Translator(lang)
    frames = scorecard.audit_frames(q, project_id=project_id)
    trees = frames["trees"]
    tree = trees[trees["project_id"] == project_id].drop(columns="project_id") if not trees.empty else trees
    totals = frames["totals"]
    total = totals.iloc[0].to_dict() if not totals.empty else {}
    v = {"only_total": None, "captions": [], "table": None, "table_height": None, "star_note": None}
    if tree.empty:
        v["only_total"] = disclosure.no_tree_text(total.get("reported"), lang) + (
            "" if fmt.is_missing(total.get("reported")) else t("总分按报告沿用（人工评分）。",
                                                                " The total is kept as given (manual)."))
    else:
        partial = disclosure.partial_text(disclosure.coverage(tree), lang)
        # a partial tree's listed scores do not add up to a total: no recomputed total is stated for it
        v["captions"] = ([partial] if partial else []) + _tree_captions(
            tree, {**total, "recomputed": None} if partial else total, t)
        table = scorecard.scorecard_table(tree, q("scorecard_indicators", project_id=project_id), lang)
        v["table"], v["table_height"] = table, 38 + 35 * min(len(table), 40)
        if table["weight"].str.endswith("*").any() or table["reported"].str.endswith("*").any():
            v["star_note"] = t("“*”：报告未直接给出，为下级指标之和（计算值）。",
                               "“*”: not stated in the report, the sum of the indicators below (computed).")
    v["treemap"] = charts.spec(charts_scorecard.indicator_treemap(tree, t, total.get("reported")))
    v["points_lost"] = charts.spec(charts_scorecard.points_lost_bars(tree, t))
    v.update(_audit(frames, project_id, lang))
    return v


def _tree_captions(tree, total: dict, t: Translator) -> list[str]:
    """How many leaf indicators were recomputed (and agree), and how many are manual."""
    lang = t.lang
    out = []
    leaf = tree["is_leaf"]
    n_leaf = int(leaf.sum())
    n_rule = int((leaf & (tree["method"] == "rule")).sum())
    n_manual = int((leaf & (tree["method"] == "manual")).sum())
    if n_rule:
        same = int((leaf & (tree["method"] == "rule")
                    & ((tree["recomputed_score"] - tree["reported_score"]).abs() <= audit.SCORE_TOL)).sum())
        recomputed, reported = fmt.score(total.get("recomputed"), lang), fmt.score(total.get("reported"), lang)
        out.append(t(f"{n_leaf} 个末级指标中 {n_rule} 个按评分规则和报告数据重算，其中 {same} 个与报告得分一致；"
                     f"总分重算为 {recomputed}（报告 {reported}）。",
                     f"{n_rule} of {n_leaf} leaf indicators recomputed from their rules and the report's data, "
                     f"{same} agreeing with the reported score; total recomputed {recomputed} (reported {reported})."))
    if n_manual:
        out.append(t(f"{n_manual} 个指标为人工评分：报告未公开其评分细则，得分按报告沿用，不重算。",
                     f"{n_manual} indicators are manual: the report does not publish their rules, so the "
                     f"reported scores are kept, not recomputed."))
    return out


def _audit(frames: dict, project_id: str, lang: str) -> dict:
    """The audit's part of `scorecard_section`: clean, severities, findings, unchecked."""
    t = Translator(lang)
    v = {"clean": None, "severities": None, "findings": [], "unchecked": None}
    mine = _own(frames["findings"], project_id)
    if mine.empty:
        v["clean"] = t("未发现不一致：得分、合计、比率与结论均与报告数据相符。",
                       "No inconsistency found: scores, sums, rates and conclusions agree with the report's data.")
    else:
        counts = mine["severity"].value_counts()
        v["severities"] = "　".join(
            f"{scorecard.SEVERITY_ICON[s]} {scorecard.SEVERITY_LABEL[s][0 if lang == 'zh' else 1]} "
            f"{int(counts.get(s, 0))}" for s in audit.SEVERITIES)
        v["findings"] = scorecard.findings_markdown(mine, lang)
    unchecked = _own(frames["unchecked"], project_id)
    if not unchecked.empty:
        n = len(unchecked)
        v["unchecked"] = (
            t(f"未能复核的报告数值（{n} 项）", f"Stated figures not checkable ({n})"),
            "\n".join(f"- {u['figure_id']} `{u['figure']}` [{u['scope']}] = {fmt.number(u['value'], 4, lang)}："
                      f"{u['reason_zh'] if lang == 'zh' else u['reason_en']}" for u in unchecked.to_dict("records")))
    return v
