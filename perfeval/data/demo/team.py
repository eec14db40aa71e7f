"""The demonstration portfolio's 福田-like projects: a 蓝马甲 anti-fraud publicity team per district and year,
with the full three-level indicator tree (`TEAM_TREE`, `RULE_TEXT`) and the seeds' rule types written to
``indicator_rules``; the reported scores are computed the way those rules read (`team_project`). Money in
万元, rates as fractions, scores in 分.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np

from perfeval.data.demo.places import (
    District,
    clip,
    grade_of,
    met_points,
    met_text,
    num,
    quality,
    r2,
    r4,
    zh_number,
)
from perfeval.data.demo.rows import (
    Rows,
    add_findings,
    add_money_figures,
    add_project_row,
)

# -- scores, computed the way the seeds' rules read -----------------------------------------------

def _checklist(weight: float, points: list[float], met: list[int], required: list[int] = ()) -> float:
    if any(i not in met for i in required):
        return 0.0
    if len(met) == len(points):
        return r2(weight)
    return r2(min(weight, sum(points[i - 1] for i in met)))


def _ratio(weight: float, rate: float, cap: float = 1.0) -> float:
    return r2(min(max(rate, 0.0), cap) * weight)


def _ratio_steps(weight: float, rate: float, step: float, deduction: float, floor: float) -> float:
    eps = 1e-9
    if rate >= 1.0 - eps:
        return r2(weight)
    if rate < floor - eps:
        return 0.0
    steps = math.floor((1.0 - rate) / step + eps)
    return r2(weight * (1 - min(1.0, steps * deduction)))


def _shortfall(weight: float, actual: float, plan: float, steps: list[tuple[float, float]]) -> float:
    short = plan - actual
    if short <= 1e-9:
        return r2(weight)
    hit = [pts for t, pts in steps if short > t + 1e-9]
    return r2(min(hit[-1], weight)) if hit else r2(weight)


def _saving(weight: float, plan: float, actual: float, zero: float) -> float:
    rate = (plan - actual) / plan
    if abs(rate) < 1e-9:
        return r2(min(zero, weight))
    return r2(weight) if rate > 0 else 0.0


SCALE5_PCTS = (1.0, 0.8, 0.6, 0.4, 0.2)


def _scale5_counts(weight: float, counts: list[int]) -> float:
    n = sum(counts)
    return r2(sum(c * p for c, p in zip(counts, SCALE5_PCTS)) / n * weight)


# The 福田-like tree: (code, parent, level, name, name_en, weight); leaves carry the rules below.
TEAM_TREE = (
    ("A", None, 1, "决策", "Decision", 21), ("A1", "A", 2, "项目立项", "Project approval", 8),
    ("A11", "A1", 3, "立项依据充分性", "Sufficiency of the basis for approval", 5),
    ("A12", "A1", 3, "立项程序规范性", "Regularity of the approval procedure", 3),
    ("A2", "A", 2, "绩效目标", "Performance targets", 7),
    ("A21", "A2", 3, "绩效目标合理性", "Reasonableness of the targets", 4),
    ("A22", "A2", 3, "绩效指标明确性", "Clarity of the indicators", 3),
    ("A3", "A", 2, "资金投入", "Funding", 6),
    ("A31", "A3", 3, "预算编制科学性", "Soundness of the budget", 4),
    ("A32", "A3", 3, "资金分配合理性", "Reasonableness of the allocation", 2),
    ("B", None, 1, "过程", "Process", 19), ("B1", "B", 2, "资金管理", "Fund management", 12),
    ("B11", "B1", 3, "资金到位率", "Funds arrival rate", 2),
    ("B12", "B1", 3, "预算执行率", "Budget execution rate", 5),
    ("B13", "B1", 3, "资金使用合规性", "Compliance of fund use", 5),
    ("B2", "B", 2, "组织实施", "Implementation", 7),
    ("B21", "B2", 3, "管理制度健全性", "Adequacy of management rules", 2),
    ("B22", "B2", 3, "制度执行有效性", "Effectiveness of rule enforcement", 5),
    ("C", None, 1, "产出", "Output", 30), ("C1", "C", 2, "产出数量", "Output quantity", 10),
    ("C11", "C1", 3, "反诈骗蓝马甲人员数", "Blue-vest team members", 5),
    ("C12", "C1", 3, "开展集中宣传场数", "Awareness campaigns held", 5),
    ("C2", "C", 2, "产出质量", "Output quality", 10),
    ("C21", "C2", 3, "国家反诈中心APP安装率", "Install rate of the national anti-fraud app", 10),
    ("C3", "C", 2, "产出时效", "Timeliness", 5),
    ("C31", "C3", 3, "预警劝阻完成及时性", "Timeliness of warnings and dissuasion", 5),
    ("C4", "C", 2, "产出成本", "Output cost", 5),
    ("C41", "C4", 3, "成本节约率", "Cost saving rate", 5),
    ("D", None, 1, "效益", "Benefit", 30), ("D1", "D", 2, "社会效益", "Social benefit", 14),
    ("D11", "D1", 3, "接报诈骗警情同比下降率", "Reported fraud incidents: year-on-year decline", 14),
    ("D2", "D", 2, "可持续影响", "Sustainability", 6),
    ("D21", "D2", 3, "保障工作长效管理机制", "Long-term management mechanism", 6),
    ("D3", "D", 2, "满意度", "Satisfaction", 10),
    ("D31", "D3", 3, "居民满意度", "Residents' satisfaction", 10),
)

RULE_TEXT = {
    "A11": "全部符合评价要点得满分；每符合1项得1分。",
    "A12": "全部符合评价要点得满分；每符合1项得1分。",
    "A21": "全部符合评价要点得满分；每符合1项得1分。",
    "A22": "全部符合评价要点得满分；每符合1项得1分。",
    "A31": "全部符合评价要点得满分；每符合1项得1分。",
    "A32": "全部符合评价要点得满分；符合1项得1分。",
    "B11": "100%为满分，每降低1%扣除权重分的5%；资金到位率在80%以下不得分。",
    "B12": "得分=预算执行率×权重。",
    "B13": "存在截留、挤占、挪用、虚列支出等情况不得分；符合要点①得1分，②得2分，③得2分。",
    "B21": "不符合评价要点①不得分；全部符合得满分。",
    "B22": "符合要点①②③各得1分，符合要点④得2分。",
    "C11": "实际≥计划得满分；少于计划10人以上得4分，20人以上得3分，30人以上得2分，40人以上不得分。",
    "C12": "实际≥计划得满分；少于计划100场以上得4分，200场以上得3分，300场以上得2分，400场以上不得分。",
    "C21": "得分=达标率×权重（达标率=实际安装率÷目标安装率，最高100%）。",
    "C31": "100%为满分，每降低5%扣除权重分的5%；及时率在60%以下不得分。",
    "C41": "成本节约率>0%得满分；=0%得3分；<0%不得分。",
    "D11": "上半年、下半年警情同比下降率≥0%各得7分。",
    "D21": "得分=有效程度×权重（很有效100%，较有效80%，一般60%，较差40%，很差20%）。",
    "D31": "得分=满意程度×权重（很满意100%，较满意80%，一般60%，不太满意40%，不满意20%）。",
}


def team_project(rows: Rows, d: District, year: int, rng: np.random.Generator) -> None:
    """One 蓝马甲 publicity project of district ``d`` in ``year``: its indicator tree with rules, budget, targets,
    outcomes, survey, staffing by police station, figures and findings (the planted inconsistencies included)."""
    pid = f"demo-{d.code}-team-{year}"
    q = quality(d, year, rng)
    # planned staff scale with population; cost ≈ 11.19 万元 per person-year (the 福田 contract price)
    plan_staff = int(round(d.population * 0.55 + rng.normal(0, 3)))
    initial = r2(plan_staff * 11.19)
    adjusted = r2(initial + rng.choice([0.0, 0.0, rng.uniform(-0.03, 0.04) * initial]))
    received = adjusted if rng.random() < 0.85 else r2(adjusted * rng.uniform(0.95, 0.995))
    execution = clip(d.execution + rng.normal(0, 0.015), 0.5, 1.0)
    if pid == "demo-990101-team-2023":
        execution = 1.0  # spent exactly the funds received: C41 saving = 0 → 3 points
    spent = r2(received * execution)
    staff = [int(plan_staff - max(0, round(rng.normal((1 - q) * 30, 3)))) for _ in range(2)]
    staff_actual = min(staff)
    plan_campaigns = int(round(d.population * 9 + rng.normal(0, 20), -1))
    campaigns = int(plan_campaigns - max(0, round(rng.normal((1 - q) * 500 - 50, 40))))
    install_target = 0.8
    install = r4(clip(0.62 + 0.22 * q + rng.normal(0, 0.03), 0.4, 0.95))
    timely = r4(clip(0.8 + 0.2 * q + rng.normal(0, 0.03), 0.55, 1.0))
    decline_h1 = r4(rng.normal(0.06 + 0.35 * (q - 0.7), 0.03))
    decline_h2 = r4(rng.normal(0.05 + 0.35 * (q - 0.7), 0.03))
    decline_year = r4((decline_h1 + decline_h2) / 2)
    dissuaded = int(round(d.population * rng.uniform(180, 260) * (0.7 + 0.5 * q), -1))
    has_survey = d.survey and rng.random() < 0.88
    with_counts = has_survey and (rng.random() < 0.7 or pid == "demo-990102-team-2024")

    # leaves: rule type, params, inputs, reported score
    leaves: dict[str, tuple[str, str, str, float]] = {}
    for code, n in (("A11", 5), ("A12", 3), ("A21", 4), ("A22", 3), ("A31", 4)):
        met = met_points(rng, n, q)
        w = dict((c, wt) for c, _, _, _, _, wt in TEAM_TREE)[code]
        leaves[code] = ("checklist", f"points={','.join(['1'] * n)}", f"met={met_text(met, n)}",
                        _checklist(w, [1.0] * n, met))
    met = met_points(rng, 2, q)
    leaves["A32"] = ("checklist", "points=1,1", f"met={met_text(met, 2)}", _checklist(2, [1, 1], met))
    leaves["B11"] = ("ratio_steps", "step=1%; deduction=5%; floor=80%; label=资金到位率; label_en=arrival rate",
                     f"numerator={num(received)}; denominator={num(adjusted)}",
                     _ratio_steps(2, received / adjusted, 0.01, 0.05, 0.8))
    leaves["B12"] = ("ratio", "label=预算执行率; label_en=execution rate",
                     f"numerator={num(spent)}; denominator={num(received)}", _ratio(5, spent / received))
    veto = pid == "demo-990107-team-2022"
    met = met_points(rng, 3, q)
    leaves["B13"] = ("checklist_veto", "points=1,2,2; veto_label=截留、挤占、挪用、虚列支出",
                     f"veto={'是' if veto else '否'}; met={met_text(met, 3)}",
                     0.0 if veto else _checklist(5, [1, 2, 2], met))
    met = [1, 2] if rng.random() < 0.6 + 0.4 * q else [2]
    leaves["B21"] = ("checklist", "points=1,1; required=1", f"met={met_text(met, 2)}",
                     _checklist(2, [1, 1], met, required=[1]))
    met = met_points(rng, 4, q)
    leaves["B22"] = ("checklist", "points=1,1,1,2", f"met={met_text(met, 4)}", _checklist(5, [1, 1, 1, 2], met))
    staff_steps = [(10, 4), (20, 3), (30, 2), (40, 0)]
    leaves["C11"] = ("shortfall_steps", "steps=10:4, 20:3, 30:2, 40:0",
                     f"actual=上半年:{staff[0]}, 下半年:{staff[1]}; plan={plan_staff}",
                     _shortfall(5, staff_actual, plan_staff, staff_steps))
    leaves["C12"] = ("shortfall_steps", "steps=100:4, 200:3, 300:2, 400:0",
                     f"actual={campaigns}; plan={plan_campaigns}",
                     _shortfall(5, campaigns, plan_campaigns, [(100, 4), (200, 3), (300, 2), (400, 0)]))
    leaves["C21"] = ("ratio", "label=APP安装达标率; label_en=install target reached",
                     f"numerator={num(install)}; denominator={num(install_target)}",
                     _ratio(10, install / install_target))
    leaves["C31"] = ("ratio_steps", "step=5%; deduction=5%; floor=60%; label=及时率; label_en=timeliness",
                     f"rate={num(timely)}", _ratio_steps(5, timely, 0.05, 0.05, 0.6))
    leaves["C41"] = ("saving_sign", "zero=3; label=成本节约率; label_en=cost saving",
                     f"plan={num(adjusted)}; actual={num(spent)}", _saving(5, adjusted, spent, 3))
    leaves["D11"] = ("yearly_conditions", "points=上半年:7, 下半年:7; op=>=; threshold=0",
                     f"values=上半年:{num(decline_h1)}, 下半年:{num(decline_h2)}",
                     r2((7 if decline_h1 >= 0 else 0) + (7 if decline_h2 >= 0 else 0)))
    level = int(clip(round(rng.normal((1 - q) * 3, 0.6)), 0, 3))
    levels = ["很有效", "较有效", "一般", "较差", "很差"]
    leaves["D21"] = ("scale5", "levels=很有效,较有效,一般,较差,很差; levels_en=very effective,effective,"
                     "fair,weak,very weak; label=有效程度; label_en=effectiveness",
                     f"level={levels[level]}", r2(SCALE5_PCTS[level] * 6))

    survey_row = None
    if has_survey:
        issued = int(rng.integers(30, 61)) * 10
        valid = issued - int(rng.integers(0, 12))
        p_good = clip(0.55 + 0.4 * q, 0.3, 0.95)
        probs = np.array([p_good * 0.6, p_good * 0.4, (1 - p_good) * 0.6, (1 - p_good) * 0.28, (1 - p_good) * 0.12])
        counts = [int(c) for c in rng.multinomial(valid, probs / probs.sum())]
        sat = r4((counts[0] + counts[1]) / valid)
        aware = r4(clip(0.7 + 0.25 * q + rng.normal(0, 0.03), 0.4, 0.99))
        stated_sat = 0.95 if pid == "demo-990102-team-2024" else sat
        survey_row = dict(issued=issued, valid=valid, awareness_rate=aware, satisfaction_rate=stated_sat,
                          counts=counts if with_counts else None)
        if with_counts:
            leaves["D31"] = ("scale5", "label=满意程度; label_en=satisfaction",
                             "counts=" + ",".join(str(c) for c in counts), _scale5_counts(10, counts))
        else:
            leaves["D31"] = ("scale5", "label=满意度; label_en=satisfaction", f"rate={num(sat)}",
                             _ratio(10, sat))
    else:
        manual = float(rng.choice([7.0, 8.0, 8.0, 9.0]))
        leaves["D31"] = ("manual", "", f"score={num(manual)}", manual)

    reported = {c: v[3] for c, v in leaves.items()}
    if pid == "demo-990105-team-2023":
        reported["B12"] = 5.0  # planted: full marks although the rate is below 100 %
    # parents are the sums of their children, bottom-up
    for code, parent, level_, *_ in sorted(TEAM_TREE, key=lambda n: -n[2]):
        if level_ < 3:
            kids = [c for c, p, *_ in TEAM_TREE if p == code]
            reported[code] = r2(sum(reported[k] for k in kids))
    total = r2(sum(reported[c] for c in ("A", "B", "C", "D")))
    grade = grade_of(total)
    note = ""
    if pid == "demo-990108-team-2024":
        s = f"{total:.2f}"
        total = float(s[:-2] + s[-1] + s[-2])  # planted: the last two digits swapped
        grade = grade_of(total)
        note = "报告总分与一级指标合计不一致（示例中故意设置，供审计演示）"
    if pid == "demo-990106-team-2023":
        grade = "优"
        note = "报告等级与总分所在等级不一致（示例中故意设置，供审计演示）"

    depth = d.tree if not (d.index == 12 and year == 2022) else 1  # one report gives level 1 only
    third = d.index in (3, 8) and year == 2024
    evaluator = f"示例市公安局{d.name}分局" if not third else "示例明达会计师事务所"
    add_project_row(rows, d, pid, f"{d.name}{year}年反诈骗蓝马甲宣传服务项目", f"{d.name}蓝马甲 {year}",
                 f"{d.name_en} blue-vest anti-fraud publicity service {year}", "反诈", evaluator,
                 "第三方评价" if third else "自评", "决策、过程、产出、效益（示例三级指标体系）",
                 dt.date(year, 1, 1), dt.date(year, 12, 31), dt.date(year + 1, 3, 1), dt.date(year + 1, 4, 30),
                 dt.date(year, 12, 31), total, grade, depth, note)
    for i, (code, parent, level_, name, name_en, weight) in enumerate(TEAM_TREE, start=1):
        if level_ > depth:
            continue
        leaf = leaves.get(code)
        rows.add("indicators", project_id=pid, code=code, parent_code=parent, level=level_, name=name,
                 name_en=name_en, weight=float(weight), reported_score=reported[code],
                 rule_text=RULE_TEXT.get(code), sort_order=i,
                 note=("B12 报告得分高于规则结果（示例中故意设置）" if pid == "demo-990105-team-2023"
                       and code == "B12" else None))
        if leaf and depth == 3:
            rule_type, params, inputs, _ = leaf
            basis = "示例数据：输入取自本项目的预算、目标、成效与调查数据"
            if rule_type == "manual":
                basis = "未开展满意度调查，评价组按走访情况人工评分"
            rows.add("indicator_rules", project_id=pid, code=code, rule_type=rule_type, params=params,
                     inputs=inputs, basis=basis)

    # money
    rows.add("budget", project_id=pid, year=year, fund_source="一般公共预算财政拨款", initial_budget=initial,
             adjusted_budget=adjusted, received=received, spent=spent, as_of=dt.date(year, 12, 31))
    # targets and outcomes
    tgt = [
        ("T1", "产出指标/数量指标", "蓝马甲人员数", "人", ">=", plan_staff, staff_actual, "C11"),
        ("T2", "产出指标/数量指标", "开展集中宣传场数", "场", ">=", plan_campaigns, campaigns, "C12"),
        ("T3", "产出指标/质量指标", "国家反诈中心APP安装率", "%", ">=", install_target, install, "C21"),
        ("T4", "投入和管理目标", "预算执行率", "%", "=", 1.0, r4(spent / received), "B12"),
    ]
    if survey_row:
        tgt.append(("T5", "满意度指标", "居民满意度", "%", ">=", 0.9, survey_row["satisfaction_rate"], "D31"))
    for tid, cat, name, unit, op, target, actual, code in tgt:
        met_ = actual >= target - 1e-9 if op == ">=" else abs(actual - target) < 1e-9
        rows.add("targets", project_id=pid, target_id=tid, year=year, category=cat, name=name, unit=unit,
                 operator=op, target_value=float(target), actual_value=float(actual), stated_met=bool(met_),
                 indicator_code=code[:depth] if depth else None)
    for oid, key, value, unit in (("OC1", "staff_on_post", staff_actual, "人"),
                                  ("OC2", "campaigns_held", campaigns, "场"),
                                  ("OC3", "app_install_rate", install, "%"),
                                  ("OC4", "fraud_reports_yoy_decline", decline_year, "%"),
                                  ("OC5", "dissuaded_persons", dissuaded, "人次")):
        rows.add("outcomes", project_id=pid, outcome_id=oid, metric_key=key, year=year,
                 period_label=f"{year}年", value=float(value), unit=unit)
    if survey_row:
        c = survey_row["counts"]
        rows.add("surveys", project_id=pid, survey_id="SV1", name="居民满意度调查",
                 conducted_by=evaluator, respondents="辖区居民", questions=12,
                 issued=survey_row["issued"], valid=survey_row["valid"],
                 awareness_rate=survey_row["awareness_rate"], satisfaction_rate=survey_row["satisfaction_rate"],
                 n_very_satisfied=c[0] if c else None, n_satisfied=c[1] if c else None,
                 n_neutral=c[2] if c else None, n_dissatisfied=c[3] if c else None,
                 n_very_dissatisfied=c[4] if c else None,
                 note=("报告所述满意度与分级人数不符（示例中故意设置）" if pid == "demo-990102-team-2024" else None))
    # staffing by police station (the basis of the planned headcount)
    stations = max(3, min(6, int(d.population // 20)))
    shares = rng.dirichlet(np.ones(stations) * 8)
    alloc = [int(x) for x in np.floor(shares * plan_staff)]
    alloc[0] += plan_staff - sum(alloc)
    for k, n in enumerate(alloc, start=1):
        rows.add("outputs", project_id=pid, output_id=f"P{k:02d}", group_name="人员分配",
                 item=f"{d.name}第{zh_number(k)}派出所", unit="人", planned=float(n))
    add_money_figures(rows, pid, initial, adjusted, received, spent, total)
    add_findings(rows, pid, rng, execution=spent / received, has_survey=has_survey,
              short_staff=plan_staff - staff_actual, install=install, veto=veto, kind="team", depth=depth)
