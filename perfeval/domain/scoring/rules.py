"""The scoring engine: rule types, the recomputation of an indicator tree, grades.

Pure Python, no Streamlit and no data access: functions take rows, dicts and DataFrames and return
values. Scores are in 分 (points), rates are fractions (0.9889), weights are the indicator's 分值.

A rule is data (table ``indicator_rules``): a rule type plus two ``key=value`` cells, ``params``
(the rule's constants, from the report's 评分标准) and ``inputs`` (the facts of the project, literal or
``@references`` to values derived from the project's data). `evaluate` turns one rule into an
`Evaluation`: the score, how it was obtained (``rule`` / ``manual`` / ``fallback``) and a reason in
Chinese and English ("预算执行率 98.89% × 权重 5 = 4.94"). A rule that cannot be applied — an input
missing, a parameter unreadable — never crashes and never gives a silent zero: it falls back to the
evaluator's reported score with a note saying why.

The rule types (`RULE_TYPES`, documented in docs/scoring.md):

==================  ==========================================================================
checklist           points for each evaluation point met (per-point ``points`` or equal shares)
checklist_veto      a checklist that scores 0 when a veto item holds (截留、挤占、挪用、虚列支出)
ratio               rate × weight, the rate capped (预算执行率, 达标率)
ratio_steps         full at 100 %, each step below takes a share of the weight, 0 below a floor
shortfall_steps     full if actual ≥ plan, fixed points by how far short (人员数, 宣传场数)
saving_sign         points by the sign of a saving (成本节约率 > 0 / = 0 / < 0)
yearly_conditions   points per year whose value meets a condition (警情同比下降率 ≥ 0 %)
scale5              a 5-level scale (很满意…不满意 → 100/80/60/40/20 %) × weight
manual              the evaluator's score, as given
==================  ==========================================================================
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from perfeval.domain import rule_text
from perfeval.domain.rule_text import RuleTextError
from perfeval.text import fmt

EPS = 1e-9

# -- results ---------------------------------------------------------------------------------------

METHODS = {
    "rule": ("按规则重算", "recomputed by its rule"),
    "manual": ("人工评分（沿用报告）", "manual (the evaluator's score)"),
    "fallback": ("无法重算，沿用报告得分", "not recomputable, reported score kept"),
    "sum": ("下级指标合计", "sum of the sub-indicators"),
    "none": ("未披露", "not reported"),
}


@dataclass(frozen=True)
class Evaluation:
    """The result of scoring one indicator.

    ``score`` in 分 (None when neither the rule nor the report gives one: "未披露", never 0);
    ``method`` one of `METHODS`; ``inputs`` the values the rule used (after resolving references).
    """

    score: float | None
    method: str
    reason_zh: str
    reason_en: str
    rule_type: str = ""
    note_zh: str = ""
    note_en: str = ""
    inputs: Mapping[str, object] = field(default_factory=dict)

    @property
    def recomputed(self) -> bool:
        """True when the score comes from the rule and its inputs, not from the report."""
        return self.method in ("rule", "sum")


class MissingInput(Exception):
    """A rule input is not given (or a reference has no value)."""

    def __init__(self, name: str, ref: rule_text.Reference | None = None):
        super().__init__(name)
        self.name = name
        self.ref = ref


class BadRule(Exception):
    """A parameter or input that cannot be read, or a rule that cannot apply."""


# -- number helpers -----------------------------------------------------------------------------

def round_score(value: float, decimals: int = 2) -> float:
    """Round half up (4.945 → 4.95), as people do by hand; floats never show 4.9449999."""
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))


def _pts(x: float | None) -> str:
    if x is None:
        return "未披露"
    text = f"{round_score(x, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pct(x: float, decimals: int = 2) -> str:
    text = f"{x * 100:.{decimals}f}".rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "") else text) + "%"


def _num(x: float) -> str:
    if abs(x - round(x)) < EPS:
        return f"{round(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _op(op: str) -> str:
    """A comparison as people write it: >= → ≥."""
    return {">=": "≥", "<=": "≤"}.get(op, op)


def _label_zh(label: str | None) -> str:
    if label and label.isdigit() and len(label) == 4:
        return label + "年"
    return label or ""


# -- the context a rule function reads ----------------------------------------------------------

class Context:
    """What a rule function sees: the weight, typed access to params and inputs, labels.

    Reading a missing input raises MissingInput; an unreadable value raises BadRule. References
    (``@figure[scope]``) are resolved against ``facts``; the values used are recorded in ``used``.
    """

    def __init__(self, weight, params: Mapping[str, str], inputs: Mapping[str, str],
                 facts: Mapping | None, name: str, name_en: str):
        self.weight = None if weight is None or (isinstance(weight, float) and math.isnan(weight)) else float(weight)
        self.params = dict(params)
        self.inputs = dict(inputs)
        self.facts = facts
        self.name = name or "得分率"
        self.name_en = name_en or name or "rate"
        self.used: dict[str, object] = {}

    # weight
    def w(self) -> float:
        if self.weight is None:
            raise MissingInput("weight")
        if self.weight < 0:
            raise BadRule("negative weight")
        return self.weight

    # params
    def has_param(self, key: str) -> bool:
        return not rule_text.is_missing_text(self.params.get(key))

    def param_num(self, key: str, default: float | None = None) -> float:
        if not self.has_param(key):
            if default is None:
                raise BadRule(f"parameter '{key}' is required")
            return default
        try:
            return rule_text.parse_number(self.params[key])
        except RuleTextError as e:
            raise BadRule(f"parameter '{key}': {e}") from None

    def param_text(self, key: str, default: str = "") -> str:
        return self.params[key].strip() if self.has_param(key) else default

    def param_list(self, key: str) -> list[tuple[str | None, float]]:
        if not self.has_param(key):
            raise BadRule(f"parameter '{key}' is required")
        out = []
        for label, text in rule_text.split_labelled(self.params[key]):
            try:
                out.append((label, rule_text.parse_number(text)))
            except RuleTextError as e:
                raise BadRule(f"parameter '{key}': {e}") from None
        if not out:
            raise BadRule(f"parameter '{key}' is empty")
        return out

    def param_words(self, key: str, default: list[str]) -> list[str]:
        if not self.has_param(key):
            return list(default)
        return rule_text.split_list(self.params[key])

    # inputs
    def has_input(self, key: str) -> bool:
        return not rule_text.is_missing_text(self.inputs.get(key))

    def _resolve(self, key: str, text: str) -> str:
        value, ref = rule_text.resolve(text, self.facts)
        if value is None:
            raise MissingInput(key, ref)
        if rule_text.is_missing_text(value):
            raise MissingInput(key)
        return value

    def input_num(self, key: str) -> float:
        if not self.has_input(key):
            raise MissingInput(key)
        text = self._resolve(key, self.inputs[key])
        try:
            v = rule_text.parse_number(text)
        except RuleTextError as e:
            raise BadRule(f"input '{key}': {e}") from None
        self.used[key] = v
        return v

    def input_text(self, key: str) -> str:
        if not self.has_input(key):
            raise MissingInput(key)
        v = self._resolve(key, self.inputs[key]).strip()
        self.used[key] = v
        return v

    def input_bool(self, key: str) -> bool:
        text = self.input_text(key)
        try:
            v = rule_text.parse_bool(text)
        except RuleTextError as e:
            raise BadRule(f"input '{key}': {e}") from None
        self.used[key] = v
        return v

    def input_list(self, key: str) -> list[tuple[str | None, float]]:
        """A (labelled) list of numbers; each item may be a reference."""
        if not self.has_input(key):
            raise MissingInput(key)
        out = []
        for label, text in rule_text.split_labelled(self.inputs[key]):
            value = self._resolve(f"{key}[{label}]" if label else key, text)
            try:
                out.append((label, rule_text.parse_number(value)))
            except RuleTextError as e:
                raise BadRule(f"input '{key}': {e}") from None
        if not out:
            raise MissingInput(key)
        self.used[key] = [(lab, v) for lab, v in out]
        return out

    def decimals(self) -> int:
        d = self.param_num("decimals", 2)
        if d < 0 or d > 6 or d != int(d):
            raise BadRule("parameter 'decimals' must be 0–6")
        return int(d)

    def label(self) -> tuple[str, str]:
        return self.param_text("label", self.name), self.param_text("label_en", self.name_en)


def _result(ctx: Context, score: float, zh: str, en: str, note_zh: str = "", note_en: str = "") -> Evaluation:
    return Evaluation(round_score(score, ctx.decimals()), "rule", zh, en,
                      note_zh=note_zh, note_en=note_en, inputs=dict(ctx.used))


# -- rule types -----------------------------------------------------------------------------------

def _met_points(ctx: Context, n: int) -> list[int]:
    """The 1-based numbers of the evaluation points met, from ``met``, ``not_met`` or ``met_count``."""
    if ctx.has_input("met"):
        text = ctx.input_text("met")
        low = text.lower()
        if low in ("all", "全部", "全部符合"):
            return list(range(1, n + 1))
        if low in ("none", "无", "全部不符合"):
            return []
        items = rule_text.split_list(text)
    elif ctx.has_input("not_met"):
        text = ctx.input_text("not_met")
        missing = [] if text.lower() in ("none", "无") else rule_text.split_list(text)
        try:
            miss = {int(rule_text.parse_number(i)) for i in missing}
        except RuleTextError as e:
            raise BadRule(f"input 'not_met': {e}") from None
        return [i for i in range(1, n + 1) if i not in miss]
    elif ctx.has_input("met_count"):
        k = ctx.input_num("met_count")
        if k != int(k) or k < 0 or k > n:
            raise BadRule(f"input 'met_count' must be a whole number 0–{n}")
        return list(range(1, int(k) + 1))
    else:
        raise MissingInput("met")
    out = []
    for item in items:
        try:
            v = rule_text.parse_number(item)
        except RuleTextError as e:
            raise BadRule(f"input 'met': {e}") from None
        if v != int(v) or not 1 <= v <= n:
            raise BadRule(f"input 'met': point {item} is not one of 1–{n}")
        if int(v) not in out:
            out.append(int(v))
    return sorted(out)


def _circled(nums) -> str:
    return "".join(rule_text.CIRCLED[i - 1] if 1 <= i <= 20 else f"({i})" for i in nums)


def _checklist_points(ctx: Context) -> list[float]:
    w = ctx.w()
    if ctx.has_param("points"):
        return [v for _, v in ctx.param_list("points")]
    if ctx.has_param("n"):
        n = ctx.param_num("n")
        if n != int(n) or n < 1:
            raise BadRule("parameter 'n' must be a whole number ≥ 1")
        return [w / int(n)] * int(n)
    raise BadRule("parameter 'points' (or 'n') is required")


def _checklist_core(ctx: Context) -> tuple[float, str, str, str, str]:
    w = ctx.w()
    points = _checklist_points(ctx)
    n = len(points)
    met = _met_points(ctx, n)
    not_met = [i for i in range(1, n + 1) if i not in met]
    note_zh = note_en = ""
    total = sum(points)
    if abs(total - w) > 0.005:
        note_zh = f"各要点分值合计 {_pts(total)} 与权重 {_pts(w)} 不等。"
        note_en = f"The points add up to {_pts(total)}, not the weight {_pts(w)}."
    required = []
    if ctx.has_param("required"):
        try:
            required = [int(rule_text.parse_number(x)) for x in rule_text.split_list(ctx.params["required"])]
        except RuleTextError as e:
            raise BadRule(f"parameter 'required': {e}") from None
    failed_required = [i for i in required if i not in met]
    if failed_required:
        return (0.0, f"不符合必备要点 {_circled(failed_required)}，不得分",
                f"required point(s) {', '.join(map(str, failed_required))} not met: 0 points",
                note_zh, note_en)
    if not not_met:
        return (w, f"全部符合 {n} 项评价要点 {_circled(met)}，得满分 {_pts(w)}",
                f"all {n} evaluation points met ({', '.join(map(str, met))}): full {_pts(w)} points",
                note_zh, note_en)
    got = [points[i - 1] for i in met]
    score = min(w, sum(got))
    capped = sum(got) > w + EPS
    terms = "+".join(_pts(p) for p in got) if got else "0"
    zh = (f"符合评价要点 {_circled(met) or '（无）'}（{len(met)}/{n} 项）：{terms} = {_pts(score)}"
          f"{'（以权重为上限）' if capped else ''}；未符合 {_circled(not_met)}")
    en = (f"meets evaluation points {', '.join(map(str, met)) or '(none)'} ({len(met)} of {n}): "
          f"{terms} = {_pts(score)}{' (capped at the weight)' if capped else ''}; "
          f"not met: {', '.join(map(str, not_met))}")
    return score, zh, en, note_zh, note_en


def rule_checklist(ctx: Context) -> Evaluation:
    """Points for each evaluation point met; all met → the full weight; capped at the weight.

    params: ``points`` (per-point points, e.g. ``1,1,1,2``) or ``n`` (equal shares of the weight);
    optional ``required`` (points whose failure gives 0, e.g. ``1``).
    inputs: ``met`` (``1,2,4`` / ``①②④`` / ``all`` / ``none``), or ``not_met``, or ``met_count``.
    """
    score, zh, en, nz, ne = _checklist_core(ctx)
    return _result(ctx, score, zh, en, nz, ne)


def rule_checklist_veto(ctx: Context) -> Evaluation:
    """A checklist that gives 0 when a veto item holds (e.g. 截留、挤占、挪用、虚列支出).

    params: as `rule_checklist`, plus ``veto_label`` (what the veto is, for the reason).
    inputs: ``veto`` (是/否) and ``met`` as for the checklist.
    """
    veto = ctx.input_bool("veto")
    label = ctx.param_text("veto_label", "否决事项")
    label_en = ctx.param_text("veto_label_en", label if ctx.has_param("veto_label") else "veto item")
    if veto:
        ctx.w()
        return _result(ctx, 0.0, f"存在否决情形（{label}），该项不得分",
                       f"a veto item holds ({label_en}): 0 points")
    score, zh, en, nz, ne = _checklist_core(ctx)
    return _result(ctx, score, f"无否决情形（{label}）；{zh}", f"no veto item ({label_en}); {en}", nz, ne)


def _rate(ctx: Context) -> tuple[float, str, str]:
    """The rate a ratio rule uses and how it was obtained (zh, en text), from the inputs.

    ``rate``; or ``numerator`` and ``denominator``; or ``values`` with the parameter ``target``
    (the share of values meeting the target, e.g. years in which the install rate reached 80 %).
    """
    if ctx.has_input("rate"):
        r = ctx.input_num("rate")
        return r, "", ""
    if ctx.has_input("numerator") or ctx.has_input("denominator"):
        num = ctx.input_num("numerator")
        den = ctx.input_num("denominator")
        if abs(den) < EPS:
            raise MissingInput("denominator")
        return num / den, f" = {_num(num)} / {_num(den)} =", f" = {_num(num)} / {_num(den)} ="
    if ctx.has_input("values"):
        values = ctx.input_list("values")
        target = ctx.param_num("target")
        op = ctx.param_text("op", ">=")
        met = [(lab, v) for lab, v in values if _compare(v, op, target)]
        fmt_v = _pct if ctx.param_text("format", "pct") == "pct" else _num
        detail_zh = "，".join(f"{_label_zh(lab)} {fmt_v(v)}{'✓' if _compare(v, op, target) else '✗'}"
                             for lab, v in values)
        detail_en = ", ".join(f"{lab or ''} {fmt_v(v)}{' met' if _compare(v, op, target) else ' not met'}".strip()
                              for lab, v in values)
        return (len(met) / len(values),
                f"（{detail_zh}；目标 {_op(op)} {fmt_v(target)}）= {len(met)}/{len(values)} =",
                f" ({detail_en}; target {_op(op)} {fmt_v(target)}) = {len(met)}/{len(values)} =")
    raise MissingInput("rate")


def rule_ratio(ctx: Context) -> Evaluation:
    """Score = rate × weight, the rate capped at ``cap`` (default 100 %) and floored at 0.

    params: optional ``cap`` (fraction, default 1), ``label``/``label_en``, ``target``/``op`` (with
    ``values``), ``decimals`` (default 2).
    inputs: ``rate``, or ``numerator`` + ``denominator``, or ``values`` (share meeting ``target``).
    """
    w = ctx.w()
    rate, how_zh, how_en = _rate(ctx)
    cap = ctx.param_num("cap", 1.0)
    used = min(max(rate, 0.0), cap)
    lz, le = ctx.label()
    note_zh = note_en = ""
    if rate > 2:
        note_zh, note_en = "比率大于 200%，请确认是否按小数填写。", "Rate above 200%: check it was entered as a fraction."
    clip_zh = f"（按 {_pct(used)} 计）" if abs(used - rate) > EPS else ""
    clip_en = f" (counted as {_pct(used)})" if abs(used - rate) > EPS else ""
    score = used * w
    return _result(ctx, score,
                   f"{lz}{how_zh} {_pct(rate)}{clip_zh} × 权重 {_pts(w)} = {_pts(round_score(score, ctx.decimals()))}",
                   f"{le}{how_en} {_pct(rate)}{clip_en} × weight {_pts(w)} = {_pts(round_score(score, ctx.decimals()))}",
                   note_zh, note_en)


def rule_ratio_steps(ctx: Context) -> Evaluation:
    """Full marks at ``full_at`` (default 100 %); each ``step`` below takes ``deduction`` of the weight;
    below ``floor`` nothing.

    资金到位率: ``step=1%; deduction=5%; floor=80%``. 及时率: ``step=5%; deduction=5%; floor=60%``.
    ``partial`` says what a part of a step counts: ``ignore`` (default: only whole steps), ``count``
    (any part is a step) or ``prorate``. inputs as `rule_ratio`.
    """
    w = ctx.w()
    rate, how_zh, how_en = _rate(ctx)
    step = ctx.param_num("step")
    deduction = ctx.param_num("deduction")
    floor = ctx.param_num("floor", 0.0)
    full_at = ctx.param_num("full_at", 1.0)
    partial = ctx.param_text("partial", "ignore")
    if step <= 0 or deduction < 0:
        raise BadRule("parameters 'step' must be > 0 and 'deduction' ≥ 0")
    if partial not in ("ignore", "count", "prorate"):
        raise BadRule("parameter 'partial' must be ignore, count or prorate")
    lz, le = ctx.label()
    head_zh, head_en = f"{lz}{how_zh} {_pct(rate)}", f"{le}{how_en} {_pct(rate)}"
    if rate >= full_at - EPS:
        return _result(ctx, w, f"{head_zh} ≥ {_pct(full_at)}，得满分 {_pts(w)}",
                       f"{head_en} ≥ {_pct(full_at)}: full {_pts(w)} points")
    if rate < floor - EPS:
        return _result(ctx, 0.0, f"{head_zh} 低于 {_pct(floor)}，不得分",
                       f"{head_en} is below {_pct(floor)}: 0 points")
    gap = full_at - rate
    raw = gap / step
    if partial == "ignore":
        steps = math.floor(raw + EPS)
    elif partial == "count":
        steps = math.ceil(raw - EPS)
    else:
        steps = raw
    share = min(1.0, steps * deduction)
    score = w * (1 - share)
    steps_txt = _num(steps) if partial != "prorate" else f"{raw:.2f}"
    return _result(
        ctx, score,
        f"{head_zh}，较 {_pct(full_at)} 低 {_pct(gap)}，计 {steps_txt} 个 {_pct(step)} 步长，"
        f"每步扣权重 {_pct(deduction)}：{_pts(w)} × (1 − {_pct(share)}) = {_pts(round_score(score, ctx.decimals()))}",
        f"{head_en}, {_pct(gap)} below {_pct(full_at)}: {steps_txt} step(s) of {_pct(step)}, "
        f"each takes {_pct(deduction)} of the weight: {_pts(w)} × (1 − {_pct(share)}) = "
        f"{_pts(round_score(score, ctx.decimals()))}")


def _steps_table(ctx: Context, key: str = "steps") -> list[tuple[float, float]]:
    """``"10:4, 20:3, 30:2, 40:0"`` → [(10, 4), (20, 3), (30, 2), (40, 0)] sorted by threshold."""
    out = []
    for label, value in ctx.param_list(key):
        if label is None:
            raise BadRule(f"parameter '{key}' items must be threshold:points (e.g. 10:4)")
        try:
            out.append((rule_text.parse_number(label), value))
        except RuleTextError as e:
            raise BadRule(f"parameter '{key}': {e}") from None
    return sorted(out)


def rule_shortfall_steps(ctx: Context) -> Evaluation:
    """Full marks if actual ≥ plan; short by more than a threshold → that step's points.

    params: ``steps`` (``10:4, 20:3, 30:2, 40:0``: short by more than 10 → 4 points …), optional
    ``within`` (points when short by no more than the first threshold; default the full weight — the
    福田 rule is silent there and its evaluator gave full marks), ``aggregate`` (``worst`` year, the
    default, or ``sum`` over the years).
    inputs: ``actual`` (a number or a labelled list ``2021:111, 2022:108``) and ``plan`` (a number for
    every item, or a labelled list with the same labels).
    """
    w = ctx.w()
    steps = _steps_table(ctx)
    within = ctx.param_num("within", w)
    aggregate = ctx.param_text("aggregate", "worst")
    if aggregate not in ("worst", "sum"):
        raise BadRule("parameter 'aggregate' must be worst or sum")
    actual = ctx.input_list("actual")
    plan_items = ctx.input_list("plan")
    if len(plan_items) == 1 and plan_items[0][0] is None:
        plans = [plan_items[0][1]] * len(actual)
    else:
        by_label = {lab: v for lab, v in plan_items}
        plans = []
        for i, (lab, _) in enumerate(actual):
            if lab in by_label:
                plans.append(by_label[lab])
            elif lab is None and len(plan_items) == len(actual):
                plans.append(plan_items[i][1])
            else:
                raise MissingInput(f"plan[{lab}]")
    rows = [(lab, a, p, p - a) for (lab, a), p in zip(actual, plans)]
    if aggregate == "sum":
        short = sum(p for _, _, p, _ in rows) - sum(a for _, a, _, _ in rows)
        where_zh, where_en = "合计", "in total"
    else:
        worst = max(rows, key=lambda r: r[3])
        short = worst[3]
        where_zh = _label_zh(worst[0]) if worst[0] else ""
        where_en = worst[0] or ""
    detail_zh = "；".join(f"{_label_zh(lab)} 计划 {_num(p)} 实际 {_num(a)}".strip() for lab, a, p, _ in rows)
    detail_en = "; ".join(f"{lab + ': ' if lab else ''}plan {_num(p)}, actual {_num(a)}" for lab, a, p, _ in rows)
    if short <= EPS:
        return _result(ctx, w, f"{detail_zh}：实际均不低于计划，得满分 {_pts(w)}",
                       f"{detail_en}: actual never below plan, full {_pts(w)} points")
    hit = [(t, pts) for t, pts in steps if short > t + EPS]
    if not hit:
        first = steps[0][0]
        return _result(ctx, min(within, w),
                       f"{detail_zh}：{where_zh}最多少 {_num(short)}，未超过 {_num(first)}，得 {_pts(min(within, w))}",
                       f"{detail_en}: short by at most {_num(short)}" + (f" ({where_en})" if where_en else "")
                       + f", not more than {_num(first)}: {_pts(min(within, w))} points")
    t, pts = hit[-1]
    return _result(ctx, min(pts, w),
                   f"{detail_zh}：{where_zh}少 {_num(short)}，超过 {_num(t)}，得 {_pts(min(pts, w))}",
                   f"{detail_en}: short by {_num(short)}" + (f" ({where_en})" if where_en else "")
                   + f", more than {_num(t)}: {_pts(min(pts, w))} points")


def rule_saving_sign(ctx: Context) -> Evaluation:
    """Points by the sign of a saving: > 0 → ``positive`` (default the weight), = 0 → ``zero``,
    < 0 → ``negative`` (default 0).

    inputs: ``rate``, or ``plan`` and ``actual`` (saving = (plan − actual) / plan).
    """
    w = ctx.w()
    if ctx.has_input("rate"):
        rate = ctx.input_num("rate")
        how = ""
    else:
        plan = ctx.input_num("plan")
        actual = ctx.input_num("actual")
        if abs(plan) < EPS:
            raise MissingInput("plan")
        rate = (plan - actual) / plan
        how = f" = ({_num(plan)} − {_num(actual)}) / {_num(plan)}"
    positive = ctx.param_num("positive", w)
    zero = ctx.param_num("zero")
    negative = ctx.param_num("negative", 0.0)
    lz, le = ctx.label()
    if abs(rate) < EPS:
        score, zh, en = zero, "= 0", "= 0"
    elif rate > 0:
        score, zh, en = positive, "> 0", "> 0"
    else:
        score, zh, en = negative, "< 0", "< 0"
    score = min(score, w)
    return _result(ctx, score, f"{lz}{how} = {_pct(rate)} {zh}，得 {_pts(score)}",
                   f"{le}{how} = {_pct(rate)} {en}: {_pts(score)} points")


_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda a, b: a >= b - EPS, ">": lambda a, b: a > b + EPS,
    "<=": lambda a, b: a <= b + EPS, "<": lambda a, b: a < b - EPS,
    "=": lambda a, b: abs(a - b) <= EPS,
}


def _compare(value: float, op: str, target: float) -> bool:
    op = {"≥": ">=", "≤": "<=", "==": "="}.get(op, op)
    if op not in _OPS:
        raise BadRule(f"unknown comparison '{op}'")
    return _OPS[op](value, target)


def rule_yearly_conditions(ctx: Context) -> Evaluation:
    """Points for each year (or item) whose value meets a condition.

    params: ``points`` (``2021:5, 2022:5, 2023:4``), ``op`` (default ``>=``), ``threshold`` (default 0),
    ``format`` (``pct`` default, or ``number``).
    inputs: ``values`` with the same labels (``2021:27.40%, 2022:@outcome_value[metric:…;year:2022]``).
    """
    w = ctx.w()
    points = ctx.param_list("points")
    op = ctx.param_text("op", ">=")
    threshold = ctx.param_num("threshold", 0.0)
    fmt_v = _pct if ctx.param_text("format", "pct") == "pct" else _num
    values = ctx.input_list("values")
    by_label = {lab: v for lab, v in values}
    parts_zh, parts_en, total = [], [], 0.0
    for i, (lab, pts) in enumerate(points):
        if lab is not None:
            if lab not in by_label:
                raise MissingInput(f"values[{lab}]")
            v = by_label[lab]
        else:
            if i >= len(values):
                raise MissingInput(f"values[{i + 1}]")
            v = values[i][1]
        ok = _compare(v, op, threshold)
        total += pts if ok else 0
        name_zh = _label_zh(lab) if lab else f"第{i + 1}项"
        name_en = lab or f"item {i + 1}"
        parts_zh.append(f"{name_zh} {fmt_v(v)} {_op(op) if ok else '不满足 ' + _op(op)} {fmt_v(threshold)}："
                        f"+{_pts(pts) if ok else 0}")
        parts_en.append(f"{name_en} {fmt_v(v)} {_op(op) if ok else 'fails ' + _op(op)} {fmt_v(threshold)}: "
                        f"+{_pts(pts) if ok else 0}")
    score = min(total, w)
    return _result(ctx, score, "；".join(parts_zh) + f"；合计 {_pts(score)}",
                   "; ".join(parts_en) + f"; total {_pts(score)}")


SCALE5_LEVELS = ("很满意", "较满意", "一般", "不太满意", "不满意")
SCALE5_LEVELS_EN = ("very satisfied", "satisfied", "neutral", "dissatisfied", "very dissatisfied")
SCALE5_PCTS = (1.0, 0.8, 0.6, 0.4, 0.2)


def rule_scale5(ctx: Context) -> Evaluation:
    """A 5-level scale: level → share of the weight (很满意 100 %, 较满意 80 %, 一般 60 %, 不太满意 40 %,
    不满意 20 %), or the response-weighted mean of those shares.

    params: optional ``levels``/``levels_en`` (e.g. ``很大,较大,一般,较小,很小``), ``pcts``, ``label``.
    inputs: ``level`` (a level's name or its number 1–5), or ``counts`` (responses per level, best
    first), or ``rate`` (the score already 折合 to a fraction of 100).
    """
    w = ctx.w()
    levels = ctx.param_words("levels", list(SCALE5_LEVELS))
    levels_en = ctx.param_words("levels_en", list(SCALE5_LEVELS_EN) if not ctx.has_param("levels") else levels)
    pcts = [v for _, v in ctx.param_list("pcts")] if ctx.has_param("pcts") else list(SCALE5_PCTS)
    if len(pcts) != len(levels) or len(levels_en) != len(levels):
        raise BadRule("parameters 'levels', 'levels_en' and 'pcts' must have the same length")
    lz, le = ctx.label()
    if lz == ctx.name and not ctx.has_param("label"):
        lz, le = "等级", "level"
    if ctx.has_input("level"):
        text = ctx.input_text("level")
        if text in levels:
            i = levels.index(text)
        elif text.lower() in [x.lower() for x in levels_en]:
            i = [x.lower() for x in levels_en].index(text.lower())
        else:
            try:
                k = rule_text.parse_number(text)
            except RuleTextError:
                raise BadRule(f"input 'level': '{text}' is not one of {'/'.join(levels)}") from None
            if k != int(k) or not 1 <= k <= len(levels):
                raise BadRule(f"input 'level' must be 1–{len(levels)}")
            i = int(k) - 1
        score = pcts[i] * w
        return _result(ctx, score,
                       f"{lz}「{levels[i]}」→ {_pct(pcts[i])} × 权重 {_pts(w)} = {_pts(round_score(score, ctx.decimals()))}",
                       f"{le} '{levels_en[i]}' → {_pct(pcts[i])} × weight {_pts(w)} = "
                       f"{_pts(round_score(score, ctx.decimals()))}")
    if ctx.has_input("counts"):
        counts = [v for _, v in ctx.input_list("counts")]
        if len(counts) != len(levels) or any(c < 0 for c in counts):
            raise BadRule(f"input 'counts' needs {len(levels)} non-negative numbers, best level first")
        n = sum(counts)
        if n <= 0:
            raise MissingInput("counts")
        mean = sum(c * p for c, p in zip(counts, pcts)) / n
        score = mean * w
        parts = " + ".join(f"{_num(c)}×{_pct(p)}" for c, p in zip(counts, pcts))
        return _result(ctx, score,
                       f"5 级赋分（{parts}）/ {_num(n)} = {_pct(mean)} × 权重 {_pts(w)} = {_pts(round_score(score, ctx.decimals()))}",
                       f"5-level scoring ({parts}) / {_num(n)} = {_pct(mean)} × weight {_pts(w)} = "
                       f"{_pts(round_score(score, ctx.decimals()))}")
    if ctx.has_input("rate"):
        rate = ctx.input_num("rate")
        used = min(max(rate, 0.0), 1.0)
        score = used * w
        return _result(ctx, score,
                       f"{lz}折合百分制 {_pct(rate)} × 权重 {_pts(w)} = {_pts(round_score(score, ctx.decimals()))}",
                       f"{le} on a 100 scale {_pct(rate)} × weight {_pts(w)} = {_pts(round_score(score, ctx.decimals()))}")
    raise MissingInput("level")


def rule_manual(ctx: Context) -> Evaluation:
    """The evaluator's score as given (input ``score``, else the reported score). Never recomputed."""
    raise NotImplementedError  # handled in `evaluate`: it needs the reported score


@dataclass(frozen=True)
class RuleType:
    key: str
    zh: str
    en: str
    fn: Callable[[Context], Evaluation]
    params: tuple[str, ...]
    inputs: tuple[str, ...]


RULE_TYPES: dict[str, RuleType] = {r.key: r for r in (
    RuleType("checklist", "评价要点计分", "checklist", rule_checklist,
             ("points | n", "required", "decimals"), ("met | not_met | met_count",)),
    RuleType("checklist_veto", "评价要点计分（含否决项）", "checklist with veto", rule_checklist_veto,
             ("points | n", "required", "veto_label", "veto_label_en", "decimals"), ("veto", "met | not_met | met_count")),
    RuleType("ratio", "比率 × 权重", "ratio × weight", rule_ratio,
             ("cap", "label", "label_en", "target", "op", "format", "decimals"),
             ("rate | numerator + denominator | values",)),
    RuleType("ratio_steps", "比率分档扣分", "ratio with step deductions", rule_ratio_steps,
             ("step", "deduction", "floor", "full_at", "partial", "label", "label_en", "decimals"),
             ("rate | numerator + denominator | values",)),
    RuleType("shortfall_steps", "差额分档", "shortfall steps", rule_shortfall_steps,
             ("steps", "within", "aggregate", "decimals"), ("actual", "plan")),
    RuleType("saving_sign", "节约率正负", "sign of a saving", rule_saving_sign,
             ("positive", "zero", "negative", "label", "label_en", "decimals"), ("rate | plan + actual",)),
    RuleType("yearly_conditions", "逐年条件", "per-year conditions", rule_yearly_conditions,
             ("points", "op", "threshold", "format", "decimals"), ("values",)),
    RuleType("scale5", "五等级赋分", "5-level scale", rule_scale5,
             ("levels", "levels_en", "pcts", "label", "label_en", "decimals"), ("level | counts | rate",)),
    RuleType("manual", "人工评分", "manual", rule_manual, (), ("score",)),
)}


# -- evaluate one rule ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """One indicator's rule as data: the type and the two ``key=value`` cells (already split)."""

    rule_type: str
    params: Mapping[str, str] = field(default_factory=dict)
    inputs: Mapping[str, str] = field(default_factory=dict)
    code: str = ""
    text_error: str = ""  # a params/inputs cell that could not be read

    @staticmethod
    def from_texts(rule_type, params_text, inputs_text, code: str = "") -> "Rule":
        """A Rule from the Excel cells; an unreadable cell is kept as ``text_error`` (→ fallback)."""
        rt = "" if rule_text.is_missing_text(rule_type) else str(rule_type).strip()
        try:
            params = rule_text.parse_pairs(params_text)
            inputs = rule_text.parse_pairs(inputs_text)
            err = ""
        except RuleTextError as e:
            params, inputs, err = {}, {}, str(e)
        return Rule(rt, params, inputs, code, err)


def _fallback(rule_type: str, reported, why_zh: str, why_en: str, used=None) -> Evaluation:
    rep = None if reported is None or (isinstance(reported, float) and math.isnan(reported)) else float(reported)
    if rep is None:
        keep_zh, keep_en = "报告也未给出得分（未披露）", "the report gives no score either (not reported)"
    else:
        keep_zh, keep_en = f"沿用报告得分 {_pts(rep)}", f"the reported score {_pts(rep)} is kept"
    return Evaluation(rep, "fallback" if rep is not None else "none",
                      f"无法按规则重算：{why_zh}；{keep_zh}", f"not recomputable: {why_en}; {keep_en}",
                      rule_type=rule_type, note_zh=why_zh, note_en=why_en, inputs=dict(used or {}))


def evaluate(rule: Rule | None, weight, reported_score=None, facts: Mapping | None = None,
             name: str = "", name_en: str = "") -> Evaluation:
    """Score one indicator by its rule. Never raises for bad data: it falls back to the reported score.

    ``weight`` and ``reported_score`` in 分; ``facts`` maps (figure, scope) → value for ``@references``;
    ``name``/``name_en`` label the rate in the reason when the rule gives no ``label``.
    """
    reported = None if reported_score is None or (isinstance(reported_score, float) and math.isnan(reported_score)) \
        else float(reported_score)
    if rule is None or not rule.rule_type:
        return _fallback("", reported, "未设定评分规则", "no scoring rule is set")
    rt = rule.rule_type
    if rule.text_error:
        return _fallback(rt, reported, f"规则参数无法读取（{rule.text_error}）",
                         f"the rule's cells cannot be read ({rule.text_error})")
    if rt == "manual":
        given = rule.inputs.get("score")
        if not rule_text.is_missing_text(given):
            try:
                s = rule_text.parse_number(given)
                return Evaluation(s, "manual", f"人工评分：评价机构给出 {_pts(s)} 分（不按规则重算）",
                                  f"manual: the evaluator's score {_pts(s)} (not recomputed)", rule_type=rt)
            except RuleTextError:
                return _fallback(rt, reported, f"人工得分“{given}”不是数字", f"manual score '{given}' is not a number")
        if reported is None:
            return Evaluation(None, "none", "人工评分：报告未给出得分（未披露）",
                              "manual: the report gives no score (not reported)", rule_type=rt)
        return Evaluation(reported, "manual", f"人工评分：沿用评价机构给出的 {_pts(reported)} 分（不按规则重算）",
                          f"manual: the evaluator's {_pts(reported)} points, kept as given (not recomputed)",
                          rule_type=rt)
    spec = RULE_TYPES.get(rt)
    if spec is None:
        return _fallback(rt, reported, f"未知规则类型“{rt}”", f"unknown rule type '{rt}'")
    ctx = Context(weight, rule.params, rule.inputs, facts, name, name_en)
    try:
        ev = spec.fn(ctx)
    except MissingInput as e:
        if e.name == "weight":
            return _fallback(rt, reported, "缺少权重（分值）", "the weight is missing", ctx.used)
        what = f"{e.name}（{e.ref.text()} 无数据）" if e.ref else e.name
        what_en = f"{e.name} ({e.ref.text()} has no value)" if e.ref else e.name
        return _fallback(rt, reported, f"缺少输入 {what}", f"input {what_en} is missing", ctx.used)
    except BadRule as e:
        return _fallback(rt, reported, f"规则无法应用（{e}）", f"the rule cannot be applied ({e})", ctx.used)
    return replace(ev, rule_type=rt)


# -- grades -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GradeBand:
    """A grade and its lower bound in 分 (inclusive): 优 ≥ 90."""

    grade: str
    min_score: float
    name_en: str = ""


DEFAULT_BANDS: tuple[GradeBand, ...] = (
    GradeBand("优", 90, "excellent"), GradeBand("良", 80, "good"),
    GradeBand("中", 60, "fair"), GradeBand("差", 0, "poor"),
)


def bands_from_frame(df: pd.DataFrame | None, band_set: str = "default") -> tuple[GradeBand, ...]:
    """The bands of ``band_set`` from a grade_bands table (columns band_set, grade, min_score, name_en),
    highest first; the default bands when the table has none."""
    if df is None or df.empty:
        return DEFAULT_BANDS
    part = df[df["band_set"] == band_set] if "band_set" in df.columns else df
    if part.empty:
        return DEFAULT_BANDS
    bands = [GradeBand(str(r["grade"]), float(r["min_score"]), str(r.get("name_en") or ""))
             for r in part.to_dict("records") if r.get("min_score") is not None]
    return tuple(sorted(bands, key=lambda b: -b.min_score))


def grade_of(score, bands: tuple[GradeBand, ...] = DEFAULT_BANDS) -> str | None:
    """The grade of a total score in 分 (None for a missing score); bounds are inclusive."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    for b in sorted(bands, key=lambda b: -b.min_score):
        if score >= b.min_score - EPS:
            return b.grade
    return None


def band_range(grade: str, bands: tuple[GradeBand, ...] = DEFAULT_BANDS) -> tuple[float, float | None] | None:
    """(lower bound inclusive, upper bound exclusive or None) of a grade; None for an unknown grade."""
    ordered = sorted(bands, key=lambda b: -b.min_score)
    for i, b in enumerate(ordered):
        if b.grade == grade:
            return (b.min_score, None if i == 0 else ordered[i - 1].min_score)
    return None


# -- the tree -----------------------------------------------------------------------------------------

TREE_COLUMNS = ["code", "parent_code", "level", "name", "name_en", "sort_order", "is_leaf",
                "weight", "weight_effective", "reported_score", "reported_effective", "recomputed_score",
                "difference", "method", "rule_type", "reason_zh", "reason_en", "note_zh", "note_en",
                "reported_rate", "recomputed_rate", "points_lost_reported", "points_lost"]


_val = fmt.or_none  # None for a missing value (NaN, NaT, pd.NA)


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
            kr = [k["reported_effective"] for k in kid_rows]
            if reported_eff is None and all(v is not None for v in kr):
                reported_eff = round_score(sum(kr), 4)
            ks = [k["recomputed_score"] for k in kid_rows]
            if all(s is not None for s in ks):
                total = round_score(sum(ks), 4)
                terms = " + ".join(_pts(s) for s in ks)
                ev = Evaluation(round_score(total, 2), "sum",
                                f"下级指标合计：{terms} = {_pts(total)}",
                                f"sum of the sub-indicators: {terms} = {_pts(total)}")
            else:
                missing = [k["code"] for k in kid_rows if k["recomputed_score"] is None]
                why_zh = f"下级指标 {'、'.join(missing)} 无得分"
                why_en = f"sub-indicator(s) {', '.join(missing)} have no score"
                ev = _fallback("", reported, why_zh, why_en)
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
        return Evaluation(reported, "manual", f"报告只给出总分 {_pts(reported)}，无指标明细，沿用报告总分",
                          f"the report gives only the total {_pts(reported)}, no indicator tree: kept as given")
    codes = set(tree["code"])
    top = tree[tree["parent_code"].isna() | ~tree["parent_code"].isin(codes)]
    scores = [_val(s) for s in top["recomputed_score"]]
    if all(s is not None for s in scores) and scores:
        total = round_score(sum(scores), 2)
        terms = " + ".join(_pts(s) for s in scores)
        all_manual = all(m == "manual" for m in tree.loc[tree["is_leaf"], "method"])
        method = "manual" if all_manual else "sum"
        zh = f"一级指标合计：{terms} = {_pts(total)}"
        en = f"sum of the level-1 indicators: {terms} = {_pts(total)}"
        if all_manual:
            zh += "（各指标均为人工评分）"
            en += " (every indicator is a manual score)"
        return Evaluation(total, method, zh, en)
    missing = [c for c, s in zip(top["code"], scores) if s is None]
    return _fallback("", reported, f"一级指标 {'、'.join(map(str, missing))} 无得分",
                     f"level-1 indicator(s) {', '.join(map(str, missing))} have no score")


# -- the portfolio: where points are lost --------------------------------------------------------------

