"""The consistency audit: every number a report states, checked against the data it comes from.

`CHECKS` is the catalogue. Each check is a pure function of one project's data (`ProjectData`, plain
DataFrames) returning `Finding`s: severity, check, the stated and the derived value, the rows involved
and a plain explanation in Chinese and English. `load_projects` gathers that data through the data
gate (queries/audit_*.sql and scorecard_*.sql, bound ``$project_id``); `run_audit` does both, for a
national lake a batch of provinces at a time (`batch_scopes`, `BATCH_PROJECTS`), so that memory holds one
batch's rows rather than the whole lake's.

A finding is not an error of the program: the seeds themselves contain such mismatches, and finding
them is the point. Severities:

- ``error``   a stated number is contradicted by the report's own data (beyond rounding, by more than
              5 % or half a point),
- ``warning`` a smaller contradiction, or a conclusion the data does not support,
- ``info``    a vague figure (约/近/余) or an approximate input that is off by more than rounding, or a
              rule that could not be applied.

Command line: ``python -m perfeval audit [--project ID] [--json]`` (perfeval.cli.audit).
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import pandas as pd

from perfeval.domain import scoring
from perfeval.domain.scoring import rule_text
from perfeval.text import fmt

SEVERITIES = ("error", "warning", "info")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
SCORE_TOL = 0.005  # scores are stated to 0.01 分


@dataclass(frozen=True)
class Check:
    key: str
    zh: str
    en: str
    what_zh: str
    what_en: str


CHECKS: dict[str, Check] = {c.key: c for c in (
    Check("score_recompute", "指标得分重算", "indicator score recomputed",
          "按评分规则和输入重算每个指标的得分，与报告得分比较。",
          "Each indicator's score recomputed from its rule and inputs, against the reported score."),
    Check("total_recompute", "总分重算", "total recomputed",
          "自下而上重算的总分与报告总分比较。", "The bottom-up recomputed total against the reported total."),
    Check("children_weights", "下级权重合计", "children's weights vs parent",
          "下级指标分值之和应等于上级指标分值。", "The weights of an indicator's children should add up to its weight."),
    Check("children_scores", "下级得分合计", "children's scores vs parent",
          "下级指标得分之和应等于上级指标得分（一级指标之和应等于总分）。",
          "The scores of an indicator's children should add up to its score (level 1 to the total)."),
    Check("leaf_weights_100", "末级权重合计 100", "leaf weights add up to 100",
          "末级指标分值之和应为 100 分。", "The weights of the leaf indicators should add up to 100."),
    Check("score_above_weight", "得分超过分值", "score above weight",
          "得分不应超过分值（总分不应超过 100）。", "A score should not exceed its weight (a total not 100)."),
    Check("grade_band", "评价等级与分数段", "grade vs its band",
          "报告等级应落在其总分所在的分数段内；报告所述分段应与所用分段一致。",
          "The reported grade should match the band of the total; the bands a report states should match "
          "the bands used."),
    Check("derived_figure", "报告数值复核", "stated figure vs its inputs",
          "报告陈述的派生数值（比率、合计、平均、节约率、得分率、有效率、完成率……）与由其输入重算的值比较，"
          "允许报告本身的四舍五入。",
          "Each derived figure a report states (rates, totals, averages, savings, 得分率, valid-response "
          "and completion rates …) against the value derived from its inputs, allowing for the report's "
          "rounding."),
    Check("payments_vs_spending", "支付明细与支出", "payments vs spending",
          "支付明细合计应等于实际支出。", "The listed payments should add up to the spending."),
    Check("spent_vs_received", "支出与到位资金", "spending vs funds received",
          "实际支出不应超过到位资金。", "Spending should not exceed the funds received."),
    Check("target_met", "目标达成结论", "target met vs the conclusion",
          "按实际值与目标值判断是否达成，与报告结论比较。",
          "Whether a target is met, judged from its actual and target values, against the report's conclusion."),
    Check("rule_coverage", "规则未能应用", "rule not applied",
          "有评分规则但无法应用（缺少输入或参数有误）的指标，沿用报告得分。",
          "Indicators whose rule could not be applied (an input missing, a parameter unreadable): the "
          "reported score is kept."),
)}


@dataclass(frozen=True)
class Finding:
    """One inconsistency. ``stated``/``derived`` in ``unit`` (rates as fractions, scores in 分)."""

    project_id: str
    check: str
    severity: str
    subject: str
    stated: float | None
    derived: float | None
    unit: str
    rows: tuple[str, ...]
    explanation_zh: str
    explanation_en: str

    @property
    def difference(self) -> float | None:
        if self.stated is None or self.derived is None:
            return None
        return self.derived - self.stated

    def to_dict(self) -> dict:
        d = asdict(self)
        d["rows"] = list(self.rows)
        d["difference"] = None if self.difference is None else round(self.difference, 6)
        d["check_zh"] = CHECKS[self.check].zh
        d["check_en"] = CHECKS[self.check].en
        return d


@dataclass(frozen=True)
class Unchecked:
    """A stated derived figure the audit cannot check (no derivation known, or its inputs not reported)."""

    project_id: str
    figure_id: str
    figure: str
    scope: str
    value: float | None
    reason_zh: str
    reason_en: str


@dataclass
class ProjectData:
    """Everything the audit reads about one project, as plain DataFrames (see `load_projects`)."""

    project: dict
    indicators: pd.DataFrame
    figures: pd.DataFrame
    targets: pd.DataFrame
    derived: pd.DataFrame
    spending: pd.DataFrame
    bands: tuple[scoring.GradeBand, ...] = scoring.DEFAULT_BANDS
    _facts: dict | None = field(default=None, repr=False)

    @property
    def project_id(self) -> str:
        return str(self.project["project_id"])

    def facts(self) -> dict[tuple[str, str], float]:
        """(figure, normalised scope) → value derived from the data, for rule ``@references``."""
        if self._facts is None:
            self._facts = facts_from_derived(self.derived)
        return self._facts

    def tree(self) -> pd.DataFrame:
        """The recomputed indicator tree (`scoring.score_tree`)."""
        rules = rules_by_code(self.indicators) if "rule_type" in self.indicators else None
        return scoring.score_tree(self.indicators, rules, self.facts())


def records(df: pd.DataFrame | None) -> list[dict]:
    """The rows of ``df`` as dicts, like ``df.to_dict("records")`` (the same values: Python scalars, NaN for
    a missing float or text, None for a missing nullable integer) but several times faster on the small
    per-project frames the checks loop over."""
    if df is None or df.empty:
        return []
    cols = list(df.columns)
    rows = df.to_numpy(dtype=object).tolist()
    nullable = [i for i, t in enumerate(df.dtypes)
                if isinstance(t, pd.api.extensions.ExtensionDtype) and t.na_value is pd.NA]
    for row in rows if nullable else ():
        for i in nullable:
            if row[i] is pd.NA:
                row[i] = None
    return [dict(zip(cols, row)) for row in rows]


def rules_by_code(indicators: pd.DataFrame) -> dict[str, scoring.Rule]:
    """`scoring.rules_by_code` over the rule columns of a project's indicator rows, read with `records`."""
    return {str(r["code"]): scoring.Rule.from_texts(r.get("rule_type"), r.get("params"), r.get("inputs"),
                                                    str(r["code"]))
            for r in records(indicators)}


# Scopes repeat across projects (indicator:A11, total, year:2022 …): normalise each text once.
_normalise_scope = functools.lru_cache(maxsize=1 << 16)(rule_text.normalise_scope)


def normalise_scope(scope) -> str:
    """`rule_text.normalise_scope`, cached for texts."""
    return _normalise_scope(scope) if isinstance(scope, str) else rule_text.normalise_scope(scope)


def facts_from_derived(derived: pd.DataFrame) -> dict[tuple[str, str], float]:
    """The derived-values table as a mapping (figure, normalised scope) → value (NaN rows skipped)."""
    out: dict[tuple[str, str], float] = {}
    if derived is None or derived.empty:
        return out
    for figure, scope, v in zip(derived["figure"].tolist(), derived["scope"].tolist(), derived["value"].tolist()):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        out[(figure, normalise_scope(scope))] = float(v)
    return out


# -- tolerance for the report's rounding ----------------------------------------------------------------

def stated_decimals(value: float) -> int:
    """Decimals a stated value carries: 0.9889 → 4, 866.47 → 2, 800.0 → 0 (at most 8)."""
    d = Decimal(repr(float(value))).normalize()
    exp = d.as_tuple().exponent
    return 0 if not isinstance(exp, int) or exp >= 0 else min(-exp, 8)


# Decimals a report conventionally writes for a unit (a rate as a percentage with two decimals is four
# decimals of the fraction). A stored 0.9 cannot tell "90%" from "90.00%": the audit accepts the loose
# reading but says so (info) when only the loose one fits.
CONVENTIONAL_DECIMALS = {"%": 4, "万元": 2, "元": 2, "分": 2, "亿元": 2}


def rounding_tolerance(value: float, unit: str | None, strict: bool = False) -> float:
    """Half a unit of the last digit the report wrote. A rate stored as a fraction (unit %) was written as
    a percentage: 0.9889 (98.89%) → 0.00005; 1.0 (100%) → 0.005. ``strict``: assume the unit's
    conventional decimals when the stored value shows fewer (1.0 as 100.00% → 0.00005)."""
    d = stated_decimals(value)
    if unit == "%":
        d = max(d, 2)
    if strict:
        d = max(d, CONVENTIONAL_DECIMALS.get(unit or "", 0))
    return 0.5 * 10 ** (-d) + 1e-9 * max(1.0, abs(value))


def _fmt(value, unit: str | None, lang: str = "zh") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "未披露" if lang == "zh" else "not reported"
    if unit == "%":
        return f"{value * 100:.4f}".rstrip("0").rstrip(".") + "%"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text} {unit}" if lang == "en" else f"{text}{unit}"


def _severity_for(stated: float, derived: float, score_like: bool = False) -> str:
    diff = abs(derived - stated)
    if score_like:
        return "error" if diff >= 0.5 - 1e-9 else "warning"
    rel = diff / max(abs(stated), abs(derived), 1e-12)
    return "error" if rel > 0.05 else "warning"


_val = fmt.or_none  # None for a missing value (NaN, NaT, pd.NA)


# -- the checks -----------------------------------------------------------------------------------------

def check_scores(data: ProjectData, tree: pd.DataFrame) -> list[Finding]:
    """score_recompute and rule_coverage: each leaf's recomputed score against its reported score."""
    out = []
    pid = data.project_id
    for r in records(tree[tree["is_leaf"]]):
        rep, rec = _val(r["reported_score"]), _val(r["recomputed_score"])
        name = r["name"] or ""
        if r["method"] == "rule" and rep is not None and rec is not None and abs(rec - rep) > SCORE_TOL:
            out.append(Finding(
                pid, "score_recompute", _severity_for(rep, rec, score_like=True), str(r["code"]), rep, rec, "分",
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
        pid, "total_recompute", _severity_for(rep, ev.score, score_like=True), "total", float(rep), ev.score, "分",
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
        if w is not None and all(x is not None for x in kw) and abs(sum(kw) - w) > SCORE_TOL:
            out.append(Finding(
                pid, "children_weights", _severity_for(w, sum(kw), score_like=True), code, w, sum(kw), "分",
                (f"indicators:{code}",) + child_rows,
                f"{code} {name}：分值 {scoring.pts(w)}，下级指标分值合计 {scoring.pts(sum(kw))}。",
                f"{code} {name_en}: weight {scoring.pts(w)}, its children's weights add up to {scoring.pts(sum(kw))}."))
        ks = [eff_s[k] for k in kids[code]]
        if s is not None and all(x is not None for x in ks) and abs(sum(ks) - s) > SCORE_TOL:
            out.append(Finding(
                pid, "children_scores", _severity_for(s, sum(ks), score_like=True), code, s, sum(ks), "分",
                (f"indicators:{code}",) + child_rows,
                f"{code} {name}：得分 {scoring.pts(s)}，下级指标得分合计 {scoring.pts(sum(ks))}。",
                f"{code} {name_en}: score {scoring.pts(s)}, its children's scores add up to {scoring.pts(sum(ks))}."))
    roots = [c for c, r in by_code.items() if _val(r["parent_code"]) not in by_code]
    rs = [eff_s[c] for c in roots]
    if rep_total is not None and roots and all(x is not None for x in rs) and abs(sum(rs) - rep_total) > SCORE_TOL:
        out.append(Finding(
            pid, "children_scores", _severity_for(rep_total, sum(rs), score_like=True), "total", float(rep_total),
            sum(rs), "分", (f"projects:{pid}",) + tuple(f"indicators:{c}" for c in roots),
            f"报告总分 {scoring.pts(rep_total)}，一级指标得分合计 {scoring.pts(sum(rs))}。",
            f"Reported total {scoring.pts(rep_total)}, the level-1 scores add up to {scoring.pts(sum(rs))}."))
    leaves = [c for c in by_code if not kids[c]]
    lw = [_val(by_code[c]["weight"]) for c in leaves]
    if leaves and all(x is not None for x in lw) and abs(sum(lw) - 100) > SCORE_TOL:
        out.append(Finding(
            pid, "leaf_weights_100", _severity_for(100.0, sum(lw), score_like=True), "total", 100.0, sum(lw), "分",
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


def compare_stated(stated: float, derived: float, unit: str | None, qualifier: str | None,
                   approximate: bool = False) -> str | None:
    """None when a stated figure agrees with its derived value, else the severity of the mismatch.

    Exact figures must agree within the report's rounding (``info`` when they agree only if the report
    rounded to fewer digits than its unit usually has: 90% for 89.77%); 约 (about) within rounding, else
    ``info`` up to 5 % off; 近 (nearly) means derived ≤ stated and within 10 %; 余 (over) derived ≥ stated;
    大于 (greater_than) derived > stated. A derived value built from vague inputs gives at most ``info``.
    """
    tol = rounding_tolerance(stated, unit)
    diff = derived - stated
    q = qualifier or "exact"
    rel = abs(diff) / max(abs(stated), 1e-12)
    if q == "exact":
        if abs(diff) <= rounding_tolerance(stated, unit, strict=True):
            return None
        if abs(diff) <= tol:
            return "info"  # agrees only if the report rounded to fewer digits than usual
        sev = _severity_for(stated, derived)
    elif q == "about":
        if abs(diff) <= tol:
            return None
        sev = "info" if rel <= 0.05 else "warning"
    elif q == "nearly":
        if diff <= tol and rel <= 0.10:
            return None
        sev = "info" if rel <= 0.10 else "warning"
    elif q == "over":
        if diff >= -tol:
            return None
        sev = "info" if rel <= 0.05 else "warning"
    elif q == "greater_than":
        if diff > 0:
            return None
        sev = "warning"
    else:
        return None
    if approximate and sev != "info":
        sev = "info"
    return sev


_QUAL_ZH = {"exact": "", "about": "约", "nearly": "近", "over": "余", "greater_than": "大于"}
_QUAL_EN = {"exact": "", "about": "about ", "nearly": "nearly ", "over": "over ", "greater_than": "more than "}


def check_figures(data: ProjectData) -> tuple[list[Finding], list[Unchecked]]:
    """derived_figure: every figure of kind 'derived' against the value derived from its inputs."""
    pid = data.project_id
    findings, unchecked = [], []
    figs = data.figures
    if figs is None or figs.empty:
        return findings, unchecked
    stated_figures = records(figs[figs["kind"] == "derived"])
    if not stated_figures:
        return findings, unchecked
    derived = data.derived
    index: dict[tuple[str, str], dict] = {}
    for r in records(derived):
        index[(r["figure"], normalise_scope(r["scope"]))] = r
    known = {k[0] for k in index}
    for f in stated_figures:
        key = (f["figure"], normalise_scope(f["scope"]))
        stated = _val(f["value"])
        d = index.get(key)
        if d is None or stated is None:
            if f["figure"] in known or f["figure"] in DERIVABLE:
                why_zh, why_en = "该范围的输入数据未披露", "its inputs are not reported for this scope"
            else:
                why_zh, why_en = "没有该数值键的推导规则", "no derivation is known for this figure key"
            unchecked.append(Unchecked(pid, str(f["figure_id"]), str(f["figure"]), str(f["scope"]), stated,
                                       why_zh, why_en))
            continue
        unit = _val(f["unit"])
        q = _val(f.get("qualifier")) or "exact"
        sev = compare_stated(float(stated), float(d["value"]), unit, q, bool(d.get("approximate")))
        if sev is None:
            continue
        label = f["label"]
        rounded = unit == "%" or stated_decimals(float(stated)) > 0 or abs(float(d["value"]) % 1) > 1e-9
        coarse = sev == "info" and q == "exact"
        qz, qe = _QUAL_ZH.get(q, ""), _QUAL_EN.get(q, "")
        findings.append(Finding(
            pid, "derived_figure", sev, f"{f['figure_id']} {f['figure']} [{f['scope']}]", float(stated),
            float(d["value"]), unit or "", (f"figures:{f['figure_id']}", str(d["rows"])),
            f"报告称“{label}”为 {qz}{_fmt(stated, unit)}，由其输入（{d.get('inputs_zh') or d['inputs']}）得 "
            f"{_fmt(d['value'], unit)}"
            + ("；仅当报告只保留到该位数时才相符" if coarse else "，超出报告四舍五入的误差" if rounded else "") + "。",
            f"The report states '{label}' as {qe}{_fmt(stated, unit, 'en')}; its inputs ({d['inputs']}) give "
            f"{_fmt(d['value'], unit, 'en')}"
            + ("; they agree only if the report rounded to that many digits" if coarse
               else ", beyond the rounding of the report" if rounded else "") + "."))
    return findings, unchecked


def check_spending(data: ProjectData) -> list[Finding]:
    """payments_vs_spending and spent_vs_received, per project and per sub-project."""
    pid = data.project_id
    out = []
    sp = data.spending
    if sp is None or sp.empty:
        return out
    for r in records(sp):
        scope = r["scope"]
        where_zh = "全项目" if scope == "total" else f"子项目 {scope.split(':', 1)[1]}"
        where_en = "the project" if scope == "total" else f"sub-project {scope.split(':', 1)[1]}"
        spent, received, paid = _val(r["spent"]), _val(r["received"]), _val(r["paid"])
        rows = [f"budget:{scope}"]
        if _val(r.get("payment_ids")):
            rows.append(f"payments:{r['payment_ids']}")
        if spent is not None and paid is not None and abs(paid - spent) > 0.005 + 1e-9:
            out.append(Finding(
                pid, "payments_vs_spending", _severity_for(spent, paid), scope, float(spent), float(paid), "万元",
                tuple(rows),
                f"{where_zh}：实际支出 {_fmt(spent, '万元')}，支付明细合计 {_fmt(paid, '万元')}，相差 "
                f"{_fmt(paid - spent, '万元')}。",
                f"{where_en}: spending {_fmt(spent, '万元', 'en')}, the listed payments add up to "
                f"{_fmt(paid, '万元', 'en')}, a difference of {_fmt(paid - spent, '万元', 'en')}."))
        if spent is not None and received is not None and spent > received + 0.005 + 1e-9:
            out.append(Finding(
                pid, "spent_vs_received", "warning", scope, float(received), float(spent), "万元", (f"budget:{scope}",),
                f"{where_zh}：实际支出 {_fmt(spent, '万元')} 超过到位资金 {_fmt(received, '万元')} "
                f"{_fmt(spent - received, '万元')}，报告未说明超出部分的资金来源到位情况。",
                f"{where_en}: spending {_fmt(spent, '万元', 'en')} exceeds the funds received "
                f"{_fmt(received, '万元', 'en')} by {_fmt(spent - received, '万元', 'en')}; the report does not "
                f"account for the receipt of the difference."))
    return out


def check_targets(data: ProjectData) -> list[Finding]:
    """target_met: met / not met from the actual and target values against the stated conclusion."""
    pid = data.project_id
    out = []
    t = data.targets
    if t is None or t.empty:
        return out
    for r in records(t):
        op, tv, av, stated = _val(r["operator"]), _val(r["target_value"]), _val(r["actual_value"]), _val(r["stated_met"])
        if op is None or tv is None or av is None or stated is None:
            continue
        try:
            met = scoring.compare(float(av), str(op), float(tv))
        except scoring.BadRule:
            continue
        if bool(met) == bool(stated):
            continue
        unit = _val(r["unit"]) or ""
        year = _val(r["year"])
        name = f"{r['name']}{'（' + str(int(year)) + '年）' if year is not None else ''}"
        name_en = f"{r['name']}{' (' + str(int(year)) + ')' if year is not None else ''}"
        concl_zh = "已达成" if stated else "未达成"
        concl_en = "met" if stated else "not met"
        out.append(Finding(
            pid, "target_met", "warning", str(r["target_id"]), float(tv), float(av), unit,
            (f"targets:{r['target_id']}",),
            f"{name}：目标 {scoring.op_symbol(op)} {_fmt(tv, unit)}，实际 {_fmt(av, unit)}，按数值"
            f"{'已' if met else '未'}达成，报告结论为“{concl_zh}”。",
            f"{name_en}: target {scoring.op_symbol(op)} {_fmt(tv, unit, 'en')}, actual {_fmt(av, unit, 'en')}: by the "
            f"numbers {'met' if met else 'not met'}, the report concludes '{concl_en}'."))
    return out


# Figure keys the derivation queries know (a stated figure with another key is listed as unchecked).
DERIVABLE = {
    "budget_total", "adjusted_budget_total", "received_total", "spent_total", "investment_total",
    "arrival_rate", "execution_rate", "saving_rate", "unspent_total",
    "payment_total", "payment_subtotal", "payment_count",
    "indicator_weight", "indicator_score", "score_rate", "total_score", "indicator_count",
    "planned_total", "actual_total", "completion_rate", "output_count", "completed_count",
    "not_started_count", "accepted_count", "not_accepted_count",
    "outcome_value", "average_rate",
    "valid_rate", "response_total", "satisfaction_rate", "scale5_rate",
    "target_value", "target_actual", "subproject_count",
}


@dataclass
class ProjectAudit:
    project_id: str
    findings: list[Finding]
    unchecked: list[Unchecked]
    tree: pd.DataFrame

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}


def audit_project(data: ProjectData) -> ProjectAudit:
    """Run every check of `CHECKS` over one project's data. Pure: DataFrames in, findings out."""
    tree = data.tree()
    findings = []
    findings += check_scores(data, tree)
    findings += check_total(data, tree)
    findings += check_tree(data, tree)
    findings += check_grade(data, tree)
    figs, unchecked = check_figures(data)
    findings += figs
    findings += check_spending(data)
    findings += check_targets(data)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (order[f.severity], f.check, f.subject))
    return ProjectAudit(data.project_id, findings, unchecked, tree)


# -- reading the data through the gate ---------------------------------------------------------------------

DERIVED_QUERIES = ("audit_budget_values", "audit_payment_values", "audit_indicator_values",
                   "audit_output_values", "audit_outcome_values", "audit_survey_values", "audit_target_values")

QueryFn = Callable[..., pd.DataFrame]


class _ByProject:
    """The rows of one frame per project, taken on demand: one pass over the frame finds every project's
    row positions (a frame of every project in a national lake is millions of rows; comparing its
    project_id column once per project would take hours)."""

    def __init__(self, df: pd.DataFrame | None):
        self.df = df if df is not None else pd.DataFrame()
        self.positions = {} if self.df.empty else self.df.groupby("project_id", sort=False).indices

    def rows(self, pid: str) -> pd.DataFrame:
        """Project ``pid``'s rows in their order, index 0…n-1 (no row: an empty frame, same columns)."""
        if self.df.empty:
            return self.df
        at = self.positions.get(pid)
        return self.df.take(at if at is not None else []).reset_index(drop=True)


def iter_projects(query: QueryFn, project_id: str | None = None,
                  grade_bands: pd.DataFrame | None = None) -> Iterator[ProjectData]:
    """The audit's data for one project (``project_id``) or every visible project, one project at a time
    (in project_id order). ``query`` and ``grade_bands`` as in `load_projects`."""
    projects = query("scorecard_projects", project_id=project_id)
    indicators = _ByProject(query("scorecard_indicators", project_id=project_id))
    figures = _ByProject(query("audit_figures", project_id=project_id))
    targets = _ByProject(query("audit_targets", project_id=project_id))
    spending = _ByProject(query("audit_spending", project_id=project_id))
    derived = _ByProject(pd.concat([query(q, project_id=project_id) for q in DERIVED_QUERIES],
                                   ignore_index=True))
    bands = scoring.bands_from_frame(grade_bands)
    for p in records(projects):
        pid = p["project_id"]
        yield ProjectData(p, indicators.rows(pid), figures.rows(pid), targets.rows(pid), derived.rows(pid),
                          spending.rows(pid), bands)


def load_projects(query: QueryFn, project_id: str | None = None,
                  grade_bands: pd.DataFrame | None = None) -> list[ProjectData]:
    """The audit's data for one project (``project_id``) or every visible project.

    ``query(name, **params)`` runs queries/<name>.sql for the viewer (a `DataGate.query` bound to a
    scope, or the app's cached query); ``grade_bands`` is the grade_bands table (default bands if None).
    """
    return list(iter_projects(query, project_id, grade_bands))


def gate_query(gate, scope) -> QueryFn:
    """A `QueryFn` over a `perfeval.data.gate.DataGate` for one viewer's scope."""
    return lambda name, **params: gate.query(name, scope, **params)


# A national lake is audited a batch of provinces at a time, so that only one batch's rows are in memory
# (the derived values alone are ≈ 170 rows per project).
BATCH_PROJECTS = 10_000


def batch_scopes(gate, scope, size: int | None = None) -> list:
    """``scope`` cut into scopes of whole provinces (two-digit region-code prefixes) with at most ``size``
    projects each where possible (a larger province is a batch of its own), in prefix order.

    Every table keyed by project is scoped through its projects, so the batches together see exactly
    the rows ``scope`` sees, each project's rows in one batch. A regional viewer's scope, a lake of at
    most ``size`` projects (default `BATCH_PROJECTS`), or one where some project has no two-digit region
    code is one batch."""
    size = size or BATCH_PROJECTS
    if scope.regions is not None:
        return [scope]
    counts = gate.query("audit_batches", scope)
    if counts.empty or counts["prefix"].isna().any() or int(counts["n"].sum()) <= size:
        return [scope]
    batches: list[list[str]] = []
    n_batch = 0
    for prefix, n in zip(counts["prefix"].tolist(), counts["n"].tolist()):
        if not batches or n_batch + n > size:
            batches.append([])
            n_batch = 0
        batches[-1].append(str(prefix))
        n_batch += int(n)
    return [type(scope)(tuple(b), scope.include_demo) for b in batches]


_NO_TREE = pd.DataFrame(columns=scoring.TREE_COLUMNS)  # shared by the audits that drop their trees


Progress = Callable[[int, int, int], None]  # (batches done, batches in all, projects audited so far)


def iter_audits(gate, scope, project_id: str | None = None, batch_size: int | None = None,
                keep_trees: bool = True, progress: Progress | None = None) -> Iterator[ProjectAudit]:
    """Audit one project or every project the scope shows, reading through ``gate`` one batch of
    provinces at a time (`batch_scopes`); in project_id order within a batch. ``keep_trees=False`` drops
    each recomputed tree once audited (the command line prints findings only); ``progress`` is called
    after each batch."""
    bands = gate.table("grade_bands", scope)
    scopes = [scope] if project_id is not None else batch_scopes(gate, scope, batch_size)
    done = 0
    for i, s in enumerate(scopes, 1):
        for d in iter_projects(gate_query(gate, s), project_id, bands):
            a = audit_project(d)
            if not keep_trees:
                a.tree = _NO_TREE
            done += 1
            yield a
        if progress is not None:
            progress(i, len(scopes), done)


def run_audit(gate, scope, project_id: str | None = None, batch_size: int | None = None,
              keep_trees: bool = True, progress: Progress | None = None) -> list[ProjectAudit]:
    """Audit one project or every project the scope shows, reading through ``gate``; in project_id order."""
    return sorted(iter_audits(gate, scope, project_id, batch_size, keep_trees, progress),
                  key=lambda a: a.project_id)


def findings_frame(audits: Iterable[ProjectAudit]) -> pd.DataFrame:
    """All findings as one DataFrame (one row per finding, columns of `Finding.to_dict`)."""
    rows = [f.to_dict() for a in audits for f in a.findings]
    cols = ["project_id", "check", "check_zh", "check_en", "severity", "subject", "stated", "derived",
            "difference", "unit", "rows", "explanation_zh", "explanation_en"]
    return pd.DataFrame(rows, columns=cols)


def findings_count(audits: Iterable[ProjectAudit]) -> pd.DataFrame:
    """One row per project: number of findings by severity (error, warning, info) and in all."""
    rows = []
    for a in audits:
        c = a.counts()
        rows.append({"project_id": a.project_id, **c, "findings": sum(c.values())})
    return pd.DataFrame(rows, columns=["project_id", *SEVERITIES, "findings"])
