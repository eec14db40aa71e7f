"""The demonstration portfolio's 天水-like projects: an informatization build in two phases of build items,
with payments to the integrator, a total (or five level-1 dimensions), a satisfaction survey and the
completion figures a report states (`build_project`). Money in 万元, rates as fractions, scores in 分.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from perfeval.data.demo.places import District, clip, grade_of, quality, r2, r4
from perfeval.data.demo.rows import Rows, add_findings, add_project_row

BUILD_ITEMS = (
    ("一期", ("视频监控点位升级改造", "智慧安防小区", "城市公共交通智慧防控系统", "警用地理信息二三维一体化系统")),
    ("二期", ("大数据汇聚平台", "移动警务终端", "网络安全管控系统", "智慧街面巡防系统")),
)
BUILD_L1 = (("A", "决策", "Decision", 15), ("B", "过程", "Process", 20), ("C", "产出", "Output", 35),
            ("D", "效益", "Benefit", 20), ("E", "满意度", "Satisfaction", 10))


def build_project(rows: Rows, d: District, year: int, rng: np.random.Generator) -> None:
    """One informatization build of district ``d`` in ``year``: two phases of build items, budget and payments,
    the total (or level 1), a survey, outcomes, a target, the completion figures and findings."""
    pid = f"demo-{d.code}-build-{year}"
    q = quality(d, year, rng)
    start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    done_total = items_total = 0
    spent_total = est_total = 0.0
    pay_no = 0
    for k, (phase, items) in enumerate(BUILD_ITEMS, start=1):
        sid = f"P{k}"
        est = r2(d.population * rng.uniform(15, 25))
        phase_done = 0
        for j, item in enumerate(items, start=1):
            done = rng.random() < (0.95 if k == 1 else 0.35 + 0.5 * q)
            phase_done += done
            rows.add("outputs", project_id=pid, output_id=f"O{k}{j}", subproject_id=sid, group_name=f"{phase}建设内容",
                     item=item, unit="项", planned=1.0, actual=1.0 if done else 0.0,
                     status="已完成" if done else "未开工")
        done_total += phase_done
        items_total += len(items)
        spent = r2(est * (phase_done / len(items)) * rng.uniform(0.7, 0.95)) if phase_done else 0.0
        rows.add("subprojects", project_id=pid, subproject_id=sid, name=phase,
                 content="、".join(items), procurement="公开招标", contractor="示例市智安系统集成有限公司",
                 status=f"{phase_done}项建设内容已完成", acceptance="尚未组织初步验收" if phase_done < len(items) else "已初步验收")
        rows.add("budget", project_id=pid, year=year, subproject_id=sid, fund_source="市级财政预算资金",
                 estimated_investment=est, spent=spent)
        est_total += est
        spent_total += spent
        if spent:
            for item, vendor, share in (("项目进度款", "示例市智安系统集成有限公司", 0.9),
                                        ("监理费", "示例市工程监理咨询有限公司", 0.04)):
                pay_no += 1
                rows.add("payments", project_id=pid, payment_id=f"PAY{pay_no}", subproject_id=sid, item=item,
                         vendor=vendor, amount=r2(spent * share))
            pay_no += 1
            rows.add("payments", project_id=pid, payment_id=f"PAY{pay_no}", subproject_id=sid,
                     item="设计及其他费用", vendor="示例市规划设计研究院", amount=r2(spent - r2(spent * 0.9) - r2(spent * 0.04)))
    spent_total = r2(spent_total)
    received = r2(max(spent_total / rng.uniform(0.82, 0.97), est_total * rng.uniform(0.35, 0.55)))
    rows.add("budget", project_id=pid, year=year, fund_source="市级财政预算资金", initial_budget=received,
             received=received)
    completion = done_total / items_total
    depth = 1 if d.index in (2, 9) else 0
    shares = {"A": 0.8 + 0.15 * q, "B": 0.6 + 0.35 * (spent_total / received), "C": 0.5 + 0.5 * completion,
              "D": 0.7 + 0.25 * q, "E": 0.55 + 0.4 * q}
    l1 = {c: r2(w * clip(shares[c] + rng.normal(0, 0.02), 0.3, 1.0)) for c, _, _, w in BUILD_L1}
    total = r2(sum(l1.values()))
    add_project_row(rows, d, pid, f"{d.name}社会治安防控体系信息化建设项目（{year}年）", f"{d.name}治安防控信息化 {year}",
                 f"{d.name_en} public-security informatization build {year}", "治安防控", "示例明达会计师事务所",
                 "第三方评价", "决策/过程/产出/效益/满意度（偏重产出、效果）", start, end, dt.date(year + 1, 4, 15),
                 dt.date(year + 1, 6, 30), None, total, grade_of(total), depth,
                 "评价时二期部分建设内容尚未开工" if completion < 1 else "")
    if depth:
        for i, (code, name, name_en, w) in enumerate(BUILD_L1, start=1):
            rows.add("indicators", project_id=pid, code=code, level=1, name=name, name_en=name_en, weight=float(w),
                     reported_score=l1[code], sort_order=i)
    issued = int(rng.integers(25, 41)) * 10
    valid = issued - int(rng.integers(3, 15))
    rows.add("surveys", project_id=pid, survey_id="SV1", name="社会公众满意度调查", conducted_by="示例明达会计师事务所",
             respondents="社会公众", questions=14, issued=issued, valid=valid,
             awareness_rate=r4(clip(0.5 + 0.3 * q + rng.normal(0, 0.04), 0.3, 0.95)),
             satisfaction_rate=r4(clip(0.45 + 0.45 * q + rng.normal(0, 0.04), 0.3, 0.98)))
    for k, key in enumerate(("criminal_cases_yoy_decline", "public_order_cases_yoy_decline"), start=1):
        rows.add("outcomes", project_id=pid, outcome_id=f"OC{k}", metric_key=key, year=year + 1,
                 period_label=f"{year + 1}年项目建成以来（同比）", value=r4(rng.normal(0.12 + 0.2 * q, 0.05)), unit="%")
    rows.add("targets", project_id=pid, target_id="T1", year=year, category="产出指标/数量指标", name="建设内容完成数",
             unit="项", operator=">=", target_value=float(items_total), actual_value=float(done_total),
             stated_met=done_total >= items_total)
    rows.add("figures", project_id=pid, figure_id="F1", kind="derived", figure="completion_rate", scope="total",
             label="项目总体完工率", value=r4(completion), unit="%")
    rows.add("figures", project_id=pid, figure_id="F2", kind="derived", figure="spent_total", scope="total",
             label="支付资金", value=spent_total, unit="万元")
    rows.add("figures", project_id=pid, figure_id="F3", kind="derived", figure="total_score", scope="total",
             label="综合得分", value=total, unit="分")
    add_findings(rows, pid, rng, execution=spent_total / received, has_survey=True, kind="build")
