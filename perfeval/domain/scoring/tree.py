"""The indicator tree recomputed bottom-up: leaves by their rule, parents as the sum of their children.

`score_tree` gives one row per node (`TREE_COLUMNS`); `total_evaluation` the project's total from
the tree's top nodes; `METHODS` names how each score was obtained, in Chinese and English.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from perfeval.domain.scoring.inputs import Evaluation, fallback
from perfeval.domain.scoring.numbers import pts, round_score
from perfeval.domain.scoring.rules import Rule, evaluate
from perfeval.text import fmt

# How a score was obtained (Evaluation.method) → how the scorecard names it, in Chinese and English.
METHODS = {
    "rule": ("按规则重算", "recomputed by its rule"),
    "manual": ("人工评分（沿用报告）", "manual (the evaluator's score)"),
    "fallback": ("无法重算，沿用报告得分", "not recomputable, reported score kept"),
    "sum": ("下级指标合计", "sum of the sub-indicators"),
    "none": ("未披露", "not reported"),
}


TREE_COLUMNS = ["code", "parent_code", "level", "name", "name_en", "sort_order", "is_leaf",
                "weight", "weight_effective", "reported_score", "reported_effective", "recomputed_score",
                "difference", "method", "rule_type", "reason_zh", "reason_en", "note_zh", "note_en",
                "reported_rate", "recomputed_rate", "points_lost_reported", "points_lost"]


_val = fmt.or_none  # None for a missing value (NaN, NaT, pd.NA)
ELIDED_TOL = 0.005  # 分: a parent's weight above its listed children's by more than this has a branch left out


def rules_by_code(rules: pd.DataFrame | None) -> dict[str, Rule]:
    """Rules keyed by indicator code from an indicator_rules table (columns code, rule_type, params, inputs)."""
    out: dict[str, Rule] = {}
    if rules is None or rules.empty:
        return out
    for r in rules.to_dict("records"):
        code = str(r["code"])
        out[code] = Rule.from_texts(r.get("rule_type"), r.get("params"), r.get("inputs"), code)
    return out


def score_tree(indicators: pd.DataFrame, rules: Mapping[str, Rule] | pd.DataFrame | None = None,
               facts: Mapping | None = None) -> pd.DataFrame:
    """Recompute one project's indicator tree bottom-up.

    ``indicators``: the project's rows of the indicators table (code, parent_code, level, name, weight,
    reported_score …). Leaves are scored by their rule (`evaluate`); a parent is the sum of its
    children when all of them have a score, else it keeps its reported score with a note (a partial
    tree). Returns one row per node with `TREE_COLUMNS`: scores and weights in 分, rates as fractions,
    ``points_lost`` = weight − recomputed score.
    """
    if isinstance(rules, pd.DataFrame) or rules is None:
        rules = rules_by_code(rules)
    if indicators is None or indicators.empty:
        return pd.DataFrame(columns=TREE_COLUMNS)
    rows = {str(r["code"]): r for r in indicators.to_dict("records")}
    children: dict[str, list[str]] = {c: [] for c in rows}
    roots = []
    for code, r in rows.items():
        parent = _val(r.get("parent_code"))
        if parent is not None and str(parent) in rows and str(parent) != code:
            children[str(parent)].append(code)
        else:
            roots.append(code)

    def order(code):
        r = rows[code]
        so = _val(r.get("sort_order"))
        return (so if so is not None else 10 ** 9, code)

    out: dict[str, dict] = {}
    visiting: set[str] = set()

    def visit(code: str) -> dict:
        if code in out:
            return out[code]
        if code in visiting:  # a cycle in parent codes: treat the node as a leaf
            return {}
        visiting.add(code)
        r = rows[code]
        weight = _val(r.get("weight"))
        weight = None if weight is None else float(weight)
        reported = _val(r.get("reported_score"))
        reported = None if reported is None else float(reported)
        kids = sorted(children[code], key=order)
        kid_rows = [visit(k) for k in kids]
        kid_rows = [k for k in kid_rows if k]
        reported_eff = reported
        if kid_rows:
            kw = [k["weight_effective"] for k in kid_rows]
            weight_eff = weight if weight is not None else (sum(kw) if all(v is not None for v in kw) else None)
            # an elided branch: the listed children carry fewer points than the parent's own weight, so
            # their sum is not the parent's score (it would count the branch left out as zero)
            elided = (None if weight is None or not all(v is not None for v in kw)
                      else round_score(weight - sum(kw), 4))
            elided = elided if elided is not None and elided > ELIDED_TOL else None
            kr = [k["reported_effective"] for k in kid_rows]
            if reported_eff is None and elided is None and all(v is not None for v in kr):
                reported_eff = round_score(sum(kr), 4)
            ks = [k["recomputed_score"] for k in kid_rows]
            if elided is not None:
                ev = fallback("", reported, f"下级指标未全部列出（另有 {pts(elided)} 分未列出）",
                              f"not every sub-indicator is listed ({pts(elided)} points are not)")
            elif all(s is not None for s in ks):
                total = round_score(sum(ks), 4)
                terms = " + ".join(pts(s) for s in ks)
                ev = Evaluation(round_score(total, 2), "sum",
                                f"下级指标合计：{terms} = {pts(total)}",
                                f"sum of the sub-indicators: {terms} = {pts(total)}")
            else:
                missing = [k["code"] for k in kid_rows if k["recomputed_score"] is None]
                why_zh = f"下级指标 {'、'.join(missing)} 无得分"
                why_en = f"sub-indicator(s) {', '.join(missing)} have no score"
                ev = fallback("", reported, why_zh, why_en)
        else:
            weight_eff = weight
            ev = evaluate(rules.get(code), weight, reported, facts,
                          str(_val(r.get("name")) or ""), str(_val(r.get("name_en")) or ""))
        rec = ev.score
        row = {
            "code": code, "parent_code": _val(r.get("parent_code")), "level": _val(r.get("level")),
            "name": _val(r.get("name")), "name_en": _val(r.get("name_en")),
            "sort_order": _val(r.get("sort_order")), "is_leaf": not kid_rows,
            "weight": weight, "weight_effective": weight_eff,
            "reported_score": reported, "reported_effective": reported_eff, "recomputed_score": rec,
            "difference": None if rec is None or reported is None else round_score(rec - reported, 4),
            "method": ev.method, "rule_type": ev.rule_type,
            "reason_zh": ev.reason_zh, "reason_en": ev.reason_en,
            "note_zh": ev.note_zh, "note_en": ev.note_en,
            "reported_rate": None if reported_eff is None or not weight_eff else reported_eff / weight_eff,
            "recomputed_rate": None if rec is None or not weight_eff else rec / weight_eff,
            "points_lost_reported": None if reported_eff is None or weight_eff is None
            else round_score(weight_eff - reported_eff, 4),
            "points_lost": None if rec is None or weight_eff is None else round_score(weight_eff - rec, 4),
        }
        visiting.discard(code)
        out[code] = row
        return row

    for root in sorted(roots, key=order):
        visit(root)
    for code in rows:  # nodes only reachable through a cycle
        visit(code)
    ordered = []

    def walk(code):
        if code in seen:
            return
        seen.add(code)
        ordered.append(out[code])
        for k in sorted(children[code], key=order):
            walk(k)

    seen: set[str] = set()
    for root in sorted(roots, key=order):
        walk(root)
    for code in rows:
        walk(code)
    df = pd.DataFrame(ordered, columns=TREE_COLUMNS)
    return df


def total_evaluation(tree: pd.DataFrame, reported_total=None) -> Evaluation:
    """The project's total in 分: the sum of the tree's top nodes when each has a score; the reported
    total (marked manual) when the report gives no tree; a fallback when the tree is incomplete."""
    reported = _val(reported_total)
    reported = None if reported is None else float(reported)
    if tree is None or tree.empty:
        if reported is None:
            return Evaluation(None, "none", "报告未给出总分（未披露）", "the report gives no total (not reported)")
        return Evaluation(reported, "manual", f"报告只给出总分 {pts(reported)}，无指标明细，沿用报告总分",
                          f"the report gives only the total {pts(reported)}, no indicator tree: kept as given")
    codes = set(tree["code"])
    top = tree[tree["parent_code"].isna() | ~tree["parent_code"].isin(codes)]
    scores = [_val(s) for s in top["recomputed_score"]]
    if all(s is not None for s in scores) and scores:
        total = round_score(sum(scores), 2)
        terms = " + ".join(pts(s) for s in scores)
        all_manual = all(m == "manual" for m in tree.loc[tree["is_leaf"], "method"])
        method = "manual" if all_manual else "sum"
        zh = f"一级指标合计：{terms} = {pts(total)}"
        en = f"sum of the level-1 indicators: {terms} = {pts(total)}"
        if all_manual:
            zh += "（各指标均为人工评分）"
            en += " (every indicator is a manual score)"
        return Evaluation(total, method, zh, en)
    missing = [c for c, s in zip(top["code"], scores) if s is None]
    return fallback("", reported, f"一级指标 {'、'.join(map(str, missing))} 无得分",
                    f"level-1 indicator(s) {', '.join(map(str, missing))} have no score")
