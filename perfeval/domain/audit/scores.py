"""The checks of a report's scores: each indicator's score recomputed by its rule (`check_scores`), the total
recomputed bottom-up (`check_total`), the indicator tree's sums of weights and scores (`check_tree`), and
the grade against its band (`check_grade`). Each takes one project's data and its recomputed tree
(`ProjectData.tree`) and returns `Finding`s in 分.
"""
from __future__ import annotations

import pandas as pd

from perfeval.domain import disclosure, scoring
from perfeval.domain.audit.model import Finding, ProjectData, records
from perfeval.domain.audit.tolerance import SCORE_TOL, severity_for
from perfeval.text import fmt

_val = fmt.or_none  # None for a missing value (NaN, NaT, pd.NA)


def check_scores(data: ProjectData, tree: pd.DataFrame) -> list[Finding]:
    """score_recompute and rule_coverage: each leaf's recomputed score against its reported score."""
    out = []
    pid = data.project_id
    for r in records(tree[tree["is_leaf"]]):
        rep, rec = _val(r["reported_score"]), _val(r["recomputed_score"])
        name = r["name"] or ""
        if r["method"] == "rule" and rep is not None and rec is not None and abs(rec - rep) > SCORE_TOL:
            out.append(Finding(
                pid, "score_recompute", severity_for(rep, rec, score_like=True), str(r["code"]), rep, rec, "分",
                (f"indicators:{r['code']}", f"indicator_rules:{r['code']}"),
                f"{r['code']} {name}：报告得分 {scoring.pts(rep)}，按评分规则重算为 {scoring.pts(rec)}"
                f"（{r['reason_zh']}），相差 {scoring.pts(rec - rep)} 分。",
                f"{r['code']} {r['name_en'] or name}: reported {scoring.pts(rep)}, recomputed by its rule "
                f"{scoring.pts(rec)} ({r['reason_en']}), a difference of {scoring.pts(rec - rep)} points."))
        elif r["method"] in ("fallback", "none") and r["rule_type"]:
            out.append(Finding(
                pid, "rule_coverage", "info", str(r["code"]), rep, None, "分",
                (f"indicator_rules:{r['code']}",),
                f"{r['code']} {name}：{r['reason_zh']}。", f"{r['code']} {r['name_en'] or name}: {r['reason_en']}."))
    return out


def check_total(data: ProjectData, tree: pd.DataFrame) -> list[Finding]:
    """total_recompute: the bottom-up total against the reported total (only when some leaf is recomputed)."""
    pid = data.project_id
    rep = _val(data.project.get("reported_total_score"))
    if tree.empty or rep is None:
        return []
    if not (tree["is_leaf"] & (tree["method"] == "rule")).any():
        return []  # nothing recomputed: children_scores already compares the sums
    ev = scoring.total_evaluation(tree, rep)
    if ev.method != "sum" or ev.score is None or abs(ev.score - rep) <= SCORE_TOL:
        return []
    changed = tree[tree["is_leaf"] & tree["difference"].notna() & (tree["difference"].abs() > SCORE_TOL)]
    if changed.empty:
        return []  # every leaf agrees: the reported total differs from their sum (children_scores says so)
    return [Finding(
        pid, "total_recompute", severity_for(rep, ev.score, score_like=True), "total", float(rep), ev.score, "分",
        (f"projects:{pid}",) + tuple(f"indicators:{c}" for c in changed["code"]),
        f"报告总分 {scoring.pts(rep)}，按规则自下而上重算为 {scoring.pts(ev.score)}"
        f"（差异来自 {'、'.join(changed['code'])}）。",
        f"Reported total {scoring.pts(rep)}, recomputed bottom-up {scoring.pts(ev.score)} "
        f"(the difference comes from {', '.join(changed['code'])}).")]


def _effective(tree: pd.DataFrame) -> tuple[dict, dict, dict]:
    """Per code: the reported score and weight, or the sum of the children's where the node gives none."""
    by_code = {r["code"]: r for r in records(tree)}
    kids: dict[str, list[str]] = {c: [] for c in by_code}
    for c, r in by_code.items():
        p = _val(r["parent_code"])
        if p in by_code:
            kids[p].append(c)
    memo_s: dict[str, float | None] = {}
    memo_w: dict[str, float | None] = {}

    def eff(code, col, memo):
        if code in memo:
            return memo[code]
        memo[code] = None
        v = _val(by_code[code][col])
        if v is None and kids[code]:
            vals = [eff(k, col, memo) for k in kids[code]]
            v = sum(vals) if all(x is not None for x in vals) else None
        memo[code] = v
        return v

    for c in by_code:
        eff(c, "reported_score", memo_s)
        eff(c, "weight", memo_w)
    return kids, memo_s, memo_w


def known_partial(data: ProjectData, tree: pd.DataFrame) -> bool:
    """The project's tree is known to list only part of its indicators: its top nodes carry less than the
    framework's 100 points (`disclosure.coverage`). A tree whose top nodes add up to 100 claims to be
    complete: a short branch there stays an error."""
    cov = disclosure.coverage(tree)
    return cov.unlisted is not None and cov.unlisted > disclosure.TOL


def _partial_branch(pid, code, name, name_en, w, kw, child_rows, n) -> Finding:
    """部分披露 (a note): a branch of a partly disclosed tree lists children worth less than its weight."""
    return Finding(
        pid, "children_weights", "info", code, w, kw, "分", (f"indicators:{code}",) + child_rows,
        f"{code} {name}：部分披露：列出 {n} 项下级指标，分值合计 {scoring.pts(kw)}，"
        f"少于分值 {scoring.pts(w)}（报告只公开了部分指标）。",
        f"{code} {name_en}: partly disclosed: {n} children listed, their weights add up to {scoring.pts(kw)}, "
        f"less than its weight {scoring.pts(w)} (the report publishes only part of its indicators).")


def check_tree(data: ProjectData, tree: pd.DataFrame) -> list[Finding]:
    """children_weights, children_scores (including level 1 vs the total), leaf_weights_100,
    score_above_weight."""
    pid = data.project_id
    out: list[Finding] = []
    rep_total = _val(data.project.get("reported_total_score"))
    if rep_total is not None and rep_total > 100 + 1e-9:
        out.append(Finding(pid, "score_above_weight", "error", "total", float(rep_total), 100.0, "分",
                           (f"projects:{pid}",),
                           f"报告总分 {scoring.pts(rep_total)} 超过满分 100。",
                           f"The reported total {scoring.pts(rep_total)} is above 100."))
    if tree.empty:
        return out
    kids, eff_s, eff_w = _effective(tree)
    by_code = {r["code"]: r for r in records(tree)}
    partial = known_partial(data, tree)
    for code, r in by_code.items():
        name, name_en = r["name"] or "", r["name_en"] or r["name"] or ""
        w, s = _val(r["weight"]), _val(r["reported_score"])
        if w is not None and s is not None and s > w + 1e-9:
            out.append(Finding(pid, "score_above_weight", "error", code, s, w, "分", (f"indicators:{code}",),
                               f"{code} {name}：得分 {scoring.pts(s)} 超过分值 {scoring.pts(w)}。",
                               f"{code} {name_en}: score {scoring.pts(s)} above its weight {scoring.pts(w)}."))
        if not kids[code]:
            continue
        child_rows = tuple(f"indicators:{k}" for k in kids[code])
        kw = [eff_w[k] for k in kids[code]]
        if partial and w is not None and all(x is not None for x in kw) and sum(kw) < w - SCORE_TOL:
            out.append(_partial_branch(pid, code, name, name_en, w, sum(kw), child_rows, len(kids[code])))
        elif w is not None and all(x is not None for x in kw) and abs(sum(kw) - w) > SCORE_TOL:
            out.append(Finding(
                pid, "children_weights", severity_for(w, sum(kw), score_like=True), code, w, sum(kw), "分",
                (f"indicators:{code}",) + child_rows,
                f"{code} {name}：分值 {scoring.pts(w)}，下级指标分值合计 {scoring.pts(sum(kw))}。",
                f"{code} {name_en}: weight {scoring.pts(w)}, its children's weights add up to {scoring.pts(sum(kw))}."))
        ks = [eff_s[k] for k in kids[code]]
        if partial and s is not None and all(x is not None for x in ks) and sum(ks) < s - SCORE_TOL \
                and w is not None and all(x is not None for x in kw) and sum(kw) < w - SCORE_TOL:
            pass  # the branch is partly listed (said once, on its weights): its children's scores fall short too
        elif s is not None and all(x is not None for x in ks) and abs(sum(ks) - s) > SCORE_TOL:
            out.append(Finding(
                pid, "children_scores", severity_for(s, sum(ks), score_like=True), code, s, sum(ks), "分",
                (f"indicators:{code}",) + child_rows,
                f"{code} {name}：得分 {scoring.pts(s)}，下级指标得分合计 {scoring.pts(sum(ks))}。",
                f"{code} {name_en}: score {scoring.pts(s)}, its children's scores add up to {scoring.pts(sum(ks))}."))
    roots = [c for c, r in by_code.items() if _val(r["parent_code"]) not in by_code]
    rs = [eff_s[c] for c in roots]
    if rep_total is not None and roots and all(x is not None for x in rs) and abs(sum(rs) - rep_total) > SCORE_TOL:
        out.append(Finding(
            pid, "children_scores", severity_for(rep_total, sum(rs), score_like=True), "total", float(rep_total),
            sum(rs), "分", (f"projects:{pid}",) + tuple(f"indicators:{c}" for c in roots),
            f"报告总分 {scoring.pts(rep_total)}，一级指标得分合计 {scoring.pts(sum(rs))}。",
            f"Reported total {scoring.pts(rep_total)}, the level-1 scores add up to {scoring.pts(sum(rs))}."))
    leaves = [c for c in by_code if not kids[c]]
    lw = [_val(by_code[c]["weight"]) for c in leaves]
    if leaves and not partial and all(x is not None for x in lw) and abs(sum(lw) - 100) > SCORE_TOL:
        out.append(Finding(
            pid, "leaf_weights_100", severity_for(100.0, sum(lw), score_like=True), "total", 100.0, sum(lw), "分",
            tuple(f"indicators:{c}" for c in leaves),
            f"末级指标分值合计 {scoring.pts(sum(lw))}，不等于 100。",
            f"The leaf weights add up to {scoring.pts(sum(lw))}, not 100."))
    return out


_BAND_FIGURES = {"grade_min_excellent": "优", "grade_min_good": "良", "grade_min_medium": "中",
                 "grade_min_fair": "中", "grade_min_pass": "中"}


def check_grade(data: ProjectData, tree: pd.DataFrame) -> list[Finding]:
    """grade_band: the reported grade against the band of the reported total (and of a recomputed total
    that differs); the bands a report states against the bands used."""
    pid = data.project_id
    out = []
    total = _val(data.project.get("reported_total_score"))
    grade = _val(data.project.get("reported_grade"))
    bands = data.bands
    if total is not None and grade is not None:
        expected = scoring.grade_of(total, bands)
        if expected != grade:
            rng = scoring.band_range(str(grade), bands)
            if rng is None:
                rng_zh, rng_en = "不在所用分段中", "not one of the bands used"
            elif rng[1] is None:
                rng_zh, rng_en = f"≥ {scoring.pts(rng[0])} 分", f"≥ {scoring.pts(rng[0])}"
            else:
                rng_zh = f"{scoring.pts(rng[0])}（含）–{scoring.pts(rng[1])} 分"
                rng_en = f"{scoring.pts(rng[0])} to below {scoring.pts(rng[1])}"
            out.append(Finding(
                pid, "grade_band", "error", "grade", float(total), None, "分", (f"projects:{pid}",),
                f"报告等级“{grade}”（{rng_zh}），但总分 {scoring.pts(total)} 属于“{expected}”。",
                f"Reported grade '{grade}' ({rng_en}), but the total {scoring.pts(total)} falls in '{expected}'."))
        if not tree.empty and (tree["is_leaf"] & (tree["method"] == "rule")).any():
            ev = scoring.total_evaluation(tree, total)
            if ev.method == "sum" and ev.score is not None and abs(ev.score - float(total)) > SCORE_TOL:
                regrade = scoring.grade_of(ev.score, bands)
                if regrade != grade:
                    out.append(Finding(
                        pid, "grade_band", "warning", "grade (recomputed)", float(total), ev.score, "分",
                        (f"projects:{pid}",),
                        f"按规则重算的总分 {scoring.pts(ev.score)} 属于“{regrade}”，报告等级为“{grade}”。",
                        f"The recomputed total {scoring.pts(ev.score)} falls in '{regrade}', the report says '{grade}'."))
    figs = data.figures
    if figs is not None and not figs.empty:
        used = {b.grade: b.min_score for b in bands}
        for r in records(figs[figs["figure"].isin(list(_BAND_FIGURES))]):
            g = _BAND_FIGURES[r["figure"]]
            v = _val(r["value"])
            if g in used and v is not None and abs(float(v) - used[g]) > 1e-9:
                out.append(Finding(
                    pid, "grade_band", "warning", f"band {g}", float(v), used[g], "分", (f"figures:{r['figure_id']}",),
                    f"报告所述“{g}”的下限为 {scoring.pts(v)} 分，所用分段为 {scoring.pts(used[g])} 分。",
                    f"The report puts the lower bound of '{g}' at {scoring.pts(v)}, the bands used say "
                    f"{scoring.pts(used[g])}."))
    return out
