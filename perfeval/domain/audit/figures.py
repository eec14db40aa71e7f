"""The checks of what a report states besides its scores: each derived figure against the value derived from
its inputs (`check_figures`, `DERIVABLE`), the payments and funds against the spending (`check_spending`,
in 万元), and each target's stated conclusion against its actual and target values (`check_targets`).
"""
from __future__ import annotations

import math

from perfeval.domain import scoring
from perfeval.domain.audit.model import (
    Finding,
    ProjectData,
    Unchecked,
    normalise_scope,
    records,
)
from perfeval.domain.audit.tolerance import (
    compare_stated,
    severity_for,
    stated_decimals,
)
from perfeval.text import fmt

_val = fmt.or_none  # None for a missing value (NaN, NaT, pd.NA)


def _fmt(value, unit: str | None, lang: str = "zh") -> str:
    """A value as an explanation writes it: a rate (unit %) as a percentage, up to four decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "未披露" if lang == "zh" else "not reported"
    if unit == "%":
        return f"{value * 100:.4f}".rstrip("0").rstrip(".") + "%"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text} {unit}" if lang == "en" else f"{text}{unit}"


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
                pid, "payments_vs_spending", severity_for(spent, paid), scope, float(spent), float(paid), "万元",
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
