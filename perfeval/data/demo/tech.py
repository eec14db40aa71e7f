"""The demonstration portfolio's 天津-like projects: a technical anti-fraud service with sub-projects, vendor
payments that add up to each sub-project's spending, a level-1 (sometimes level-2) indicator tree, outcomes
and targets (`tech_project`). Money in 万元, rates as fractions, scores in 分.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from perfeval.data.demo.places import District, clip, grade_of, quality, r2, r4
from perfeval.data.demo.rows import (
    Rows,
    add_findings,
    add_money_figures,
    add_project_row,
)

TECH_SUBPROJECTS = (
    ("S1", "反诈预警与拦截技术服务", "通过购买服务提供涉诈电话、短信、网址的预警与拦截。",
     ("示例市安盾数据科技有限公司", "示例市星河网络安全有限公司")),
    ("S2", "96110预警劝阻外呼服务", "提供96110预警外呼及语音中继线路服务。", ("示例市通达呼叫服务有限公司",)),
    ("S3", "反诈宣传内容制作", "制作反诈短视频、海报与宣传手册。", ("示例市晨光文化传媒有限公司",)),
    ("S4", "涉诈资金分析服务", "对涉案资金流水进行分析，出具资金流向报告。", ("示例市明信会计师事务所（普通合伙）",)),
)
TECH_L1 = (("A", "项目决策", "Decision", 17), ("B", "项目过程", "Process", 23), ("C", "项目产出", "Output", 38),
           ("D", "项目效益", "Benefit", 22))
TECH_L2 = {
    "A": (("A1", "项目立项", "Project approval", 6), ("A2", "绩效目标", "Performance targets", 5),
          ("A3", "资金投入", "Funding", 6)),
    "B": (("B1", "资金管理", "Fund management", 13), ("B2", "组织实施", "Implementation", 10)),
    "C": (("C1", "产出数量", "Output quantity", 14), ("C2", "产出质量", "Output quality", 12),
          ("C3", "产出时效", "Timeliness", 6), ("C4", "产出成本", "Output cost", 6)),
    "D": (("D1", "实施效益", "Benefits", 16), ("D2", "满意度", "Satisfaction", 6)),
}


def tech_project(rows: Rows, d: District, year: int, rng: np.random.Generator) -> None:
    """One technical anti-fraud service of district ``d`` in ``year``: sub-projects, budget and payments, the
    indicator tree (level 1, or levels 1–2), outcomes, targets, perhaps a survey, figures and findings."""
    pid = f"demo-{d.code}-tech-{year}"
    q = quality(d, year, rng)
    n_sub = 4 if d.population > 90 else 3 if d.population > 60 else 2
    subs = TECH_SUBPROJECTS[:n_sub]
    execution = clip(d.execution - 0.04 + rng.normal(0, 0.04), 0.45, 1.0)
    if d.index == 12 and year == 2023:
        execution = 0.62  # the first year of a new service: slow payments
    budget_total = received_total = spent_total = 0.0
    pay_no = 0
    for sid, name, content, vendors in subs:
        budget = float(round(d.population * rng.uniform(1.2, 2.4), 0)) * (1.6 if sid == "S1" else 1.0)
        budget = r2(budget)
        spent = r2(budget * clip(execution + rng.normal(0, 0.05), 0.3, 1.0))
        rows.add("subprojects", project_id=pid, subproject_id=sid, name=name, content=content,
                 procurement="公开招标" if budget >= 100 else "竞争性磋商",
                 procurement_date=f"{year}-0{int(rng.integers(2, 7))}",
                 contractor="、".join(vendors), service_period="1年",
                 status="已验收" if spent >= budget * 0.95 else "实施中",
                 acceptance="合同履行情况验收合格" if spent >= budget * 0.95 else None)
        rows.add("budget", project_id=pid, year=year, subproject_id=sid, fund_source="财政资金",
                 initial_budget=budget, received=budget, spent=spent, as_of=dt.date(year + 1, 6, 30))
        budget_total += budget
        received_total += budget
        spent_total += spent
        # payments split between the vendors; they add up to the sub-project's spending
        parts = rng.dirichlet(np.ones(len(vendors) + 1) * 3)
        amounts = [r2(spent * p) for p in parts]
        amounts[-1] = r2(spent - sum(amounts[:-1]))
        for k, amount in enumerate(amounts):
            pay_no += 1
            rows.add("payments", project_id=pid, payment_id=f"PAY{pay_no}", subproject_id=sid,
                     item=name + ("服务费" if k < len(amounts) - 1 else "尾款"), vendor=vendors[k % len(vendors)],
                     amount=amount, fund_source="财政资金", as_of=dt.date(year + 1, 6, 30))
        if pid == "demo-990106-tech-2023" and sid == "S1":
            pay_no += 1  # planted: the first payment entered a second time
            rows.add("payments", project_id=pid, payment_id=f"PAY{pay_no}", subproject_id=sid,
                     item=name + "服务费", vendor=vendors[0], amount=amounts[0], fund_source="财政资金",
                     as_of=dt.date(year + 1, 6, 30), note="与 PAY1 重复（示例中故意设置，供审计演示）")
    budget_total, received_total, spent_total = r2(budget_total), r2(received_total), r2(spent_total)
    exec_rate = spent_total / received_total

    depth = 2 if d.index in (1, 10) else 1
    l2_scores: dict[str, float] = {}
    for code, _, _, w in TECH_L1:
        for c2, _, _, w2 in TECH_L2[code]:
            if c2 == "B1":
                share = 0.55 + 0.45 * exec_rate
            elif c2 == "D2":
                share = 0.85 + 0.12 * q
            else:
                share = 0.55 + 0.45 * q + rng.normal(0, 0.02)
            l2_scores[c2] = r2(w2 * clip(share, 0.4, 1.0))
    l1_scores = {code: r2(sum(l2_scores[c2] for c2, *_ in TECH_L2[code])) for code, *_ in TECH_L1}
    total = r2(sum(l1_scores.values()))
    evaluator, etype = (("示例市财政绩效评价中心", "财政重点评价") if d.index % 2 == 0
                        else ("示例华衡咨询有限公司", "第三方评价"))
    add_project_row(rows, d, pid, f"{d.name}{year}年反电信网络诈骗技术服务项目", f"{d.name}反诈技术服务 {year}",
                 f"{d.name_en} anti-fraud technical services {year}", "反诈", evaluator, etype,
                 "项目决策/项目过程/项目产出/项目效益", dt.date(year, 1, 1), dt.date(year, 12, 31),
                 dt.date(year + 1, 7, 1), dt.date(year + 1, 10, 31), dt.date(year + 1, 6, 30), total,
                 grade_of(total), depth)
    order = 0
    for code, name, name_en, w in TECH_L1:
        order += 1
        rows.add("indicators", project_id=pid, code=code, level=1, name=name, name_en=name_en, weight=float(w),
                 reported_score=l1_scores[code], sort_order=order)
        if depth >= 2:
            for c2, n2, e2, w2 in TECH_L2[code]:
                order += 1
                rows.add("indicators", project_id=pid, code=c2, parent_code=code, level=2, name=n2, name_en=e2,
                         weight=float(w2), reported_score=l2_scores[c2], sort_order=order)

    scale = d.population * (0.6 + 0.5 * q)
    outcomes = (("intercepted_fraud_calls", r2(scale * rng.uniform(8000, 12000)), "条"),
                ("blocked_fraud_domains", r2(scale * rng.uniform(300, 500)), "个"),
                ("warning_records_pushed", r2(scale * rng.uniform(2500, 4000)), "条"),
                ("dissuaded_persons", r2(round(scale * rng.uniform(900, 1400), -1)), "人次"),
                ("stop_paid_funds", r2(scale * rng.uniform(4, 9)), "万元"),
                ("refunded_funds", r2(scale * rng.uniform(2, 5)), "万元"),
                ("refunded_victims", float(round(scale * rng.uniform(2, 5))), "人"))
    for k, (key, value, unit) in enumerate(outcomes, start=1):
        rows.add("outcomes", project_id=pid, outcome_id=f"OC{k}", metric_key=key, year=year,
                 period_label=f"{year}年", value=float(round(value)) if unit != "万元" else value, unit=unit)
    accuracy = r4(clip(0.84 + 0.12 * q + rng.normal(0, 0.02), 0.7, 0.99))
    rows.add("targets", project_id=pid, target_id="T1", subproject_id="S1", year=year, category="产出指标/质量指标",
             name="预警信息准确率", unit="%", operator=">=", target_value=0.9, actual_value=accuracy,
             stated_met=accuracy >= 0.9)
    rows.add("targets", project_id=pid, target_id="T2", year=year, category="投入和管理目标", name="预算执行率",
             unit="%", operator="=", target_value=1.0, actual_value=r4(exec_rate), stated_met=exec_rate >= 1 - 1e-9)
    has_survey = rng.random() < 0.6
    if has_survey:
        score = r2(clip(85 + 12 * q + rng.normal(0, 1.5), 70, 99))
        rows.add("surveys", project_id=pid, survey_id="SV1", name="公众评议问卷调查", conducted_by="示例市社会舆情调查中心",
                 respondents="社会各界人员", satisfaction_score=score, level_text=f"评议分值 {score:.2f} 分")
    stated = None
    if pid == "demo-990103-tech-2023":  # planted: a stated rate 5 points off spent / received
        stated = r4(exec_rate + 0.05 if exec_rate < 0.95 else exec_rate - 0.05)
    add_money_figures(rows, pid, budget_total, None, received_total, spent_total, total, stated_exec=stated)
    add_findings(rows, pid, rng, execution=exec_rate, has_survey=True, kind="tech")
