"""The rule types, the catalogue of them (`RULE_TYPES`) and `evaluate`, which scores one indicator by its rule.

A rule is data (table ``indicator_rules``): a rule type plus two ``key=value`` cells, ``params``
(the rule's constants, from the report's 评分标准) and ``inputs`` (the facts of the project, literal or
``@references`` to values derived from the project's data; the cell format is scoring/rule_text.py).
`evaluate` turns one rule into an `Evaluation`: the score, how it was obtained (``rule`` / ``manual`` /
``fallback``) and a reason in Chinese and English ("预算执行率 98.89% × 权重 5 = 4.94"). A rule that
cannot be applied — an input missing, a parameter unreadable — never crashes and never gives a silent
zero: it falls back to the evaluator's reported score with a note saying why.

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

import perfeval.domain.scoring.rule_text as rule_text
from perfeval.domain.scoring.inputs import (
    BadRule,
    Context,
    Evaluation,
    MissingInput,
    fallback,
)
from perfeval.domain.scoring.numbers import EPS, num, op_symbol, pct, pts, round_score
from perfeval.domain.scoring.rule_text import RuleTextError


def _label_zh(label: str | None) -> str:
    if label and label.isdigit() and len(label) == 4:
        return label + "年"
    return label or ""


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
        note_zh = f"各要点分值合计 {pts(total)} 与权重 {pts(w)} 不等。"
        note_en = f"The points add up to {pts(total)}, not the weight {pts(w)}."
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
        return (w, f"全部符合 {n} 项评价要点 {_circled(met)}，得满分 {pts(w)}",
                f"all {n} evaluation points met ({', '.join(map(str, met))}): full {pts(w)} points",
                note_zh, note_en)
    got = [points[i - 1] for i in met]
    score = min(w, sum(got))
    capped = sum(got) > w + EPS
    terms = "+".join(pts(p) for p in got) if got else "0"
    zh = (f"符合评价要点 {_circled(met) or '（无）'}（{len(met)}/{n} 项）：{terms} = {pts(score)}"
          f"{'（以权重为上限）' if capped else ''}；未符合 {_circled(not_met)}")
    en = (f"meets evaluation points {', '.join(map(str, met)) or '(none)'} ({len(met)} of {n}): "
          f"{terms} = {pts(score)}{' (capped at the weight)' if capped else ''}; "
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
        numerator = ctx.input_num("numerator")
        den = ctx.input_num("denominator")
        if abs(den) < EPS:
            raise MissingInput("denominator")
        return (numerator / den, f" = {num(numerator)} / {num(den)} =",
                f" = {num(numerator)} / {num(den)} =")
    if ctx.has_input("values"):
        values = ctx.input_list("values")
        target = ctx.param_num("target")
        op = ctx.param_text("op", ">=")
        met = [(lab, v) for lab, v in values if compare(v, op, target)]
        fmt_v = pct if ctx.param_text("format", "pct") == "pct" else num
        detail_zh = "，".join(f"{_label_zh(lab)} {fmt_v(v)}{'✓' if compare(v, op, target) else '✗'}"
                             for lab, v in values)
        detail_en = ", ".join(f"{lab or ''} {fmt_v(v)}{' met' if compare(v, op, target) else ' not met'}".strip()
                              for lab, v in values)
        return (len(met) / len(values),
                f"（{detail_zh}；目标 {op_symbol(op)} {fmt_v(target)}）= {len(met)}/{len(values)} =",
                f" ({detail_en}; target {op_symbol(op)} {fmt_v(target)}) = {len(met)}/{len(values)} =")
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
    clip_zh = f"（按 {pct(used)} 计）" if abs(used - rate) > EPS else ""
    clip_en = f" (counted as {pct(used)})" if abs(used - rate) > EPS else ""
    score = used * w
    return _result(ctx, score,
                   f"{lz}{how_zh} {pct(rate)}{clip_zh} × 权重 {pts(w)} = {pts(round_score(score, ctx.decimals()))}",
                   f"{le}{how_en} {pct(rate)}{clip_en} × weight {pts(w)} = {pts(round_score(score, ctx.decimals()))}",
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
    head_zh, head_en = f"{lz}{how_zh} {pct(rate)}", f"{le}{how_en} {pct(rate)}"
    if rate >= full_at - EPS:
        return _result(ctx, w, f"{head_zh} ≥ {pct(full_at)}，得满分 {pts(w)}",
                       f"{head_en} ≥ {pct(full_at)}: full {pts(w)} points")
    if rate < floor - EPS:
        return _result(ctx, 0.0, f"{head_zh} 低于 {pct(floor)}，不得分",
                       f"{head_en} is below {pct(floor)}: 0 points")
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
    steps_txt = num(steps) if partial != "prorate" else f"{raw:.2f}"
    return _result(
        ctx, score,
        f"{head_zh}，较 {pct(full_at)} 低 {pct(gap)}，计 {steps_txt} 个 {pct(step)} 步长，"
        f"每步扣权重 {pct(deduction)}：{pts(w)} × (1 − {pct(share)}) = {pts(round_score(score, ctx.decimals()))}",
        f"{head_en}, {pct(gap)} below {pct(full_at)}: {steps_txt} step(s) of {pct(step)}, "
        f"each takes {pct(deduction)} of the weight: {pts(w)} × (1 − {pct(share)}) = "
        f"{pts(round_score(score, ctx.decimals()))}")


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
    detail_zh = "；".join(f"{_label_zh(lab)} 计划 {num(p)} 实际 {num(a)}".strip() for lab, a, p, _ in rows)
    detail_en = "; ".join(f"{lab + ': ' if lab else ''}plan {num(p)}, actual {num(a)}" for lab, a, p, _ in rows)
    if short <= EPS:
        return _result(ctx, w, f"{detail_zh}：实际均不低于计划，得满分 {pts(w)}",
                       f"{detail_en}: actual never below plan, full {pts(w)} points")
    hit = [(t, got) for t, got in steps if short > t + EPS]
    if not hit:
        first = steps[0][0]
        return _result(ctx, min(within, w),
                       f"{detail_zh}：{where_zh}最多少 {num(short)}，未超过 {num(first)}，得 {pts(min(within, w))}",
                       f"{detail_en}: short by at most {num(short)}" + (f" ({where_en})" if where_en else "")
                       + f", not more than {num(first)}: {pts(min(within, w))} points")
    t, got = hit[-1]
    return _result(ctx, min(got, w),
                   f"{detail_zh}：{where_zh}少 {num(short)}，超过 {num(t)}，得 {pts(min(got, w))}",
                   f"{detail_en}: short by {num(short)}" + (f" ({where_en})" if where_en else "")
                   + f", more than {num(t)}: {pts(min(got, w))} points")


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
        how = f" = ({num(plan)} − {num(actual)}) / {num(plan)}"
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
    return _result(ctx, score, f"{lz}{how} = {pct(rate)} {zh}，得 {pts(score)}",
                   f"{le}{how} = {pct(rate)} {en}: {pts(score)} points")


_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda a, b: a >= b - EPS, ">": lambda a, b: a > b + EPS,
    "<=": lambda a, b: a <= b + EPS, "<": lambda a, b: a < b - EPS,
    "=": lambda a, b: abs(a - b) <= EPS,
}


def compare(value: float, op: str, target: float) -> bool:
    """Whether ``value op target`` holds, within `EPS` (op: >=, >, <=, <, = or ≥, ≤, ==); an unknown
    op raises BadRule."""
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
    fmt_v = pct if ctx.param_text("format", "pct") == "pct" else num
    values = ctx.input_list("values")
    by_label = {lab: v for lab, v in values}
    parts_zh, parts_en, total = [], [], 0.0
    for i, (lab, got) in enumerate(points):
        if lab is not None:
            if lab not in by_label:
                raise MissingInput(f"values[{lab}]")
            v = by_label[lab]
        else:
            if i >= len(values):
                raise MissingInput(f"values[{i + 1}]")
            v = values[i][1]
        ok = compare(v, op, threshold)
        total += got if ok else 0
        name_zh = _label_zh(lab) if lab else f"第{i + 1}项"
        name_en = lab or f"item {i + 1}"
        parts_zh.append(f"{name_zh} {fmt_v(v)} {op_symbol(op) if ok else '不满足 ' + op_symbol(op)} {fmt_v(threshold)}："
                        f"+{pts(got) if ok else 0}")
        parts_en.append(f"{name_en} {fmt_v(v)} {op_symbol(op) if ok else 'fails ' + op_symbol(op)} {fmt_v(threshold)}: "
                        f"+{pts(got) if ok else 0}")
    score = min(total, w)
    return _result(ctx, score, "；".join(parts_zh) + f"；合计 {pts(score)}",
                   "; ".join(parts_en) + f"; total {pts(score)}")


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
                       f"{lz}「{levels[i]}」→ {pct(pcts[i])} × 权重 {pts(w)} = {pts(round_score(score, ctx.decimals()))}",
                       f"{le} '{levels_en[i]}' → {pct(pcts[i])} × weight {pts(w)} = "
                       f"{pts(round_score(score, ctx.decimals()))}")
    if ctx.has_input("counts"):
        counts = [v for _, v in ctx.input_list("counts")]
        if len(counts) != len(levels) or any(c < 0 for c in counts):
            raise BadRule(f"input 'counts' needs {len(levels)} non-negative numbers, best level first")
        n = sum(counts)
        if n <= 0:
            raise MissingInput("counts")
        mean = sum(c * p for c, p in zip(counts, pcts)) / n
        score = mean * w
        parts = " + ".join(f"{num(c)}×{pct(p)}" for c, p in zip(counts, pcts))
        return _result(ctx, score,
                       f"5 级赋分（{parts}）/ {num(n)} = {pct(mean)} × 权重 {pts(w)} = {pts(round_score(score, ctx.decimals()))}",
                       f"5-level scoring ({parts}) / {num(n)} = {pct(mean)} × weight {pts(w)} = "
                       f"{pts(round_score(score, ctx.decimals()))}")
    if ctx.has_input("rate"):
        rate = ctx.input_num("rate")
        used = min(max(rate, 0.0), 1.0)
        score = used * w
        return _result(ctx, score,
                       f"{lz}折合百分制 {pct(rate)} × 权重 {pts(w)} = {pts(round_score(score, ctx.decimals()))}",
                       f"{le} on a 100 scale {pct(rate)} × weight {pts(w)} = {pts(round_score(score, ctx.decimals()))}")
    raise MissingInput("level")


def rule_manual(ctx: Context) -> Evaluation:
    """The evaluator's score as given (input ``score``, else the reported score). Never recomputed."""
    raise NotImplementedError  # handled in `evaluate`: it needs the reported score


@dataclass(frozen=True)
class RuleType:
    """One entry of the catalogue: the key in ``indicator_rules.rule_type``, its names, the function
    that scores it and the params and inputs it reads (``a | b``: one or the other)."""

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


def evaluate(rule: Rule | None, weight, reported_score=None, facts: Mapping | None = None,
             name: str = "", name_en: str = "") -> Evaluation:
    """Score one indicator by its rule. Never raises for bad data: it falls back to the reported score.

    ``weight`` and ``reported_score`` in 分; ``facts`` maps (figure, scope) → value for ``@references``;
    ``name``/``name_en`` label the rate in the reason when the rule gives no ``label``.
    """
    reported = None if reported_score is None or (isinstance(reported_score, float) and math.isnan(reported_score)) \
        else float(reported_score)
    if rule is None or not rule.rule_type:
        return fallback("", reported, "未设定评分规则", "no scoring rule is set")
    rt = rule.rule_type
    if rule.text_error:
        return fallback(rt, reported, f"规则参数无法读取（{rule.text_error}）",
                        f"the rule's cells cannot be read ({rule.text_error})")
    if rt == "manual":
        given = rule.inputs.get("score")
        if not rule_text.is_missing_text(given):
            try:
                s = rule_text.parse_number(given)
                return Evaluation(s, "manual", f"人工评分：评价机构给出 {pts(s)} 分（不按规则重算）",
                                  f"manual: the evaluator's score {pts(s)} (not recomputed)", rule_type=rt)
            except RuleTextError:
                return fallback(rt, reported, f"人工得分“{given}”不是数字", f"manual score '{given}' is not a number")
        if reported is None:
            return Evaluation(None, "none", "人工评分：报告未给出得分（未披露）",
                              "manual: the report gives no score (not reported)", rule_type=rt)
        return Evaluation(reported, "manual", f"人工评分：沿用评价机构给出的 {pts(reported)} 分（不按规则重算）",
                          f"manual: the evaluator's {pts(reported)} points, kept as given (not recomputed)",
                          rule_type=rt)
    spec = RULE_TYPES.get(rt)
    if spec is None:
        return fallback(rt, reported, f"未知规则类型“{rt}”", f"unknown rule type '{rt}'")
    ctx = Context(weight, rule.params, rule.inputs, facts, name, name_en)
    try:
        ev = spec.fn(ctx)
    except MissingInput as e:
        if e.name == "weight":
            return fallback(rt, reported, "缺少权重（分值）", "the weight is missing", ctx.used)
        what = f"{e.name}（{e.ref.text()} 无数据）" if e.ref else e.name
        what_en = f"{e.name} ({e.ref.text()} has no value)" if e.ref else e.name
        return fallback(rt, reported, f"缺少输入 {what}", f"input {what_en} is missing", ctx.used)
    except BadRule as e:
        return fallback(rt, reported, f"规则无法应用（{e}）", f"the rule cannot be applied ({e})", ctx.used)
    return replace(ev, rule_type=rt)
