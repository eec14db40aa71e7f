"""The demonstration portfolio: one fictional city, twelve districts, three years, three kinds of project.

Three real reports cannot show how districts compare, so the product ships a clearly marked, made-up
portfolio beside them (docs/demo-data.md). Everything here is fictional and says so:

- the place is 示例省 / 示例市 / 示例一区 … 示例十二区, region codes 99xxxx (no real province uses 99);
- every unit, vendor and evaluator name starts with 示例;
- every row's ``source`` is ``demo:example-city`` and a ``documents`` row of kind ``demo`` describes it,
  so the views mark the rows ``data_kind = 'demo'`` and the sidebar switch can hide them.

The projects are shaped like the seeds: a 福田-like 蓝马甲 propaganda team with the full three-level
tree and the seeds' rule types (rules written to ``indicator_rules`` in the scoring engine's format), a
天津-like technical anti-fraud service with sub-projects and vendor payments (level 1, sometimes level 2),
and a 天水-like informatization build with build items (total only, or five level-1 dimensions).
Quality varies on purpose: weak execution, missing surveys, partial trees, and a few inconsistencies an
audit should catch (listed in `PLANTED` and docs/demo-data.md).

`generate()` is a pure function of the seed: the same seed gives the same rows. The generated Parquet
files are committed under data/demo/, so running the app needs no generation step; a test regenerates
them and compares. Regenerate with ``python -m perfeval demo [--out data/demo]`` (perfeval.cli.imports).
"""
from __future__ import annotations

import datetime as dt
import math
import os
import pathlib
import tempfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from perfeval import config
from perfeval.data import schema

SEED = 20240917
SOURCE = "demo:example-city"
DEFAULT_DIR = config.BUNDLED_DATA / "demo"
YEARS = (2022, 2023, 2024)
PROVINCE = "示例省"
CITY = "示例市"
CITY_CODE = "990100"
DEMO_NOTE = "虚构示例数据（非真实评价结果）"

# Tables the generator writes, in this order.
TABLES = ("documents", "projects", "subprojects", "budget", "payments", "indicators", "indicator_rules",
          "targets", "outcomes", "surveys", "outputs", "figures", "findings")


@dataclass(frozen=True)
class District:
    """A fictional district and the traits its projects are drawn around.

    quality: 0–1, how well its projects are run (checklists met, outputs, scores); trend: change in
    quality per year (YoY stories); execution: typical spent / received; tech/build: which other kinds
    of project it runs; survey: whether its team projects usually run a satisfaction survey;
    tree: how much of the indicator tree its team reports give (3 full, 2 levels 1–2).
    """

    index: int
    name: str
    name_en: str
    population: float  # 万人
    quality: float
    trend: float
    execution: float
    tech: bool
    build_year: int | None
    survey: bool = True
    tree: int = 3

    @property
    def code(self) -> str:
        return f"9901{self.index:02d}"


_NUM_ZH = "一二三四五六七八九十"


def _zh_number(n: int) -> str:
    return _NUM_ZH[n - 1] if n <= 10 else "十" + _NUM_ZH[n - 11]


DISTRICTS: tuple[District, ...] = tuple(
    District(i, f"示例{_zh_number(i)}区", f"Example District {i}", pop, q, tr, ex, tech, build, survey, tree)
    for i, pop, q, tr, ex, tech, build, survey, tree in (
        # i  pop    quality trend  exec   tech   build  survey tree
        (1, 128.0, 0.92, 0.00, 0.985, True, None, True, 3),
        (2, 96.0, 0.85, 0.01, 0.965, True, 2023, True, 3),
        (3, 74.0, 0.88, -0.06, 0.950, True, None, True, 3),   # slipping year on year
        (4, 58.0, 0.80, 0.02, 0.940, False, 2024, True, 2),   # team reports give levels 1–2 only
        (5, 112.0, 0.83, 0.00, 0.930, True, None, True, 3),
        (6, 66.0, 0.78, 0.02, 0.920, True, None, True, 3),
        (7, 43.0, 0.62, 0.03, 0.640, False, 2022, True, 3),   # weak execution everywhere
        (8, 88.0, 0.86, 0.00, 0.970, True, None, True, 3),
        (9, 35.0, 0.55, 0.12, 0.900, False, 2023, True, 3),   # improving fast
        (10, 102.0, 0.90, 0.00, 0.960, True, None, True, 3),
        (11, 29.0, 0.72, 0.00, 0.910, False, 2022, False, 3),  # no satisfaction surveys
        (12, 51.0, 0.75, 0.01, 0.880, True, None, True, 3),
    ))

# Inconsistencies put in on purpose, for the audit to find: (project_id, what, where).
PLANTED: tuple[tuple[str, str, str], ...] = (
    ("demo-990105-team-2023", "indicator score above its rule: B12 预算执行率 reported 5, the rule gives rate × 5",
     "indicators / indicator_rules B12"),
    ("demo-990108-team-2024", "reported total differs from the sum of the level-1 scores (digits swapped)",
     "projects.reported_total_score"),
    ("demo-990106-team-2023", "reported grade 优 for a total below 90", "projects.reported_grade"),
    ("demo-990106-tech-2023", "payments add up to more than the spending (one payment entered twice)",
     "payments"),
    ("demo-990102-team-2024", "stated satisfaction rate differs from the 5-level counts", "surveys"),
    ("demo-990103-tech-2023", "stated execution rate differs from spent / received", "figures execution_rate"),
    ("demo-990107-team-2022", "a veto item holds: funds diverted (挪用), B13 scores 0", "indicator_rules B13"),
)


# -- number helpers -------------------------------------------------------------------------------

def r2(x: float) -> float:
    """Round half up to 2 decimals (as the scoring engine and people do)."""
    return float(Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def r4(x: float) -> float:
    return float(Decimal(repr(float(x))).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _num(x: float) -> str:
    """A number as a rule cell writes it: 1234.5 → "1234.5", 5.0 → "5"."""
    x = float(x)
    if x == int(x):
        return str(int(x))
    return repr(x)


def _grade(score: float) -> str:
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def _clip(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


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


# -- the builder ----------------------------------------------------------------------------------

class _Rows:
    """Rows per table, filled by the project builders; every row gets the demo source."""

    def __init__(self):
        self.rows: dict[str, list[dict]] = {t: [] for t in TABLES}

    def add(self, table: str, **values) -> None:
        values.setdefault("source", SOURCE)
        cols = schema.table(table).column_names
        unknown = set(values) - set(cols)
        if unknown:
            raise KeyError(f"{table}: unknown columns {sorted(unknown)}")
        self.rows[table].append({c: values.get(c) for c in cols})


def _project_row(rows: _Rows, d: District, pid: str, name: str, short: str, name_en: str, category: str,
                 evaluator: str, evaluator_type: str, framework: str, start: dt.date, end: dt.date,
                 eval_start: dt.date, eval_end: dt.date, cutoff: dt.date | None, total: float | None,
                 grade: str | None, tree_depth: int, note: str = "") -> None:
    rows.add("projects", project_id=pid, name=name, short_name=short, name_en=name_en, category=category,
             province=PROVINCE, city=CITY, district=d.name, region_code=d.code,
             implementing_unit=f"示例市公安局{d.name}分局", supervising_unit=f"{d.name}财政局",
             evaluator=evaluator, evaluator_type=evaluator_type, evaluation_type="项目支出绩效评价",
             framework=framework, period_start=start, period_end=end, evaluation_start=eval_start,
             evaluation_end=eval_end, data_cutoff=cutoff, reported_total_score=total, reported_grade=grade,
             population=d.population, tree_depth=tree_depth,
             note=DEMO_NOTE + ("。" + note if note else ""))


def _quality(d: District, year: int, rng: np.random.Generator) -> float:
    return _clip(d.quality + d.trend * (year - 2023) + rng.normal(0, 0.02), 0.3, 0.99)


def _met(rng: np.random.Generator, n: int, q: float) -> list[int]:
    """Which of n evaluation points a project meets (1-based); better projects meet more."""
    p = 0.35 + 0.65 * q
    return [i for i in range(1, n + 1) if rng.random() < p]


def _met_text(met: list[int], n: int) -> str:
    if len(met) == n:
        return "all"
    if not met:
        return "none"
    return ",".join(str(i) for i in met)


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


def _team_project(rows: _Rows, d: District, year: int, rng: np.random.Generator) -> None:
    pid = f"demo-{d.code}-team-{year}"
    q = _quality(d, year, rng)
    # planned staff scale with population; cost ≈ 11.19 万元 per person-year (the 福田 contract price)
    plan_staff = int(round(d.population * 0.55 + rng.normal(0, 3)))
    initial = r2(plan_staff * 11.19)
    adjusted = r2(initial + rng.choice([0.0, 0.0, rng.uniform(-0.03, 0.04) * initial]))
    received = adjusted if rng.random() < 0.85 else r2(adjusted * rng.uniform(0.95, 0.995))
    execution = _clip(d.execution + rng.normal(0, 0.015), 0.5, 1.0)
    if pid == "demo-990101-team-2023":
        execution = 1.0  # spent exactly the funds received: C41 saving = 0 → 3 points
    spent = r2(received * execution)
    staff = [int(plan_staff - max(0, round(rng.normal((1 - q) * 30, 3)))) for _ in range(2)]
    staff_actual = min(staff)
    plan_campaigns = int(round(d.population * 9 + rng.normal(0, 20), -1))
    campaigns = int(plan_campaigns - max(0, round(rng.normal((1 - q) * 500 - 50, 40))))
    install_target = 0.8
    install = r4(_clip(0.62 + 0.22 * q + rng.normal(0, 0.03), 0.4, 0.95))
    timely = r4(_clip(0.8 + 0.2 * q + rng.normal(0, 0.03), 0.55, 1.0))
    decline_h1 = r4(rng.normal(0.06 + 0.35 * (q - 0.7), 0.03))
    decline_h2 = r4(rng.normal(0.05 + 0.35 * (q - 0.7), 0.03))
    decline_year = r4((decline_h1 + decline_h2) / 2)
    dissuaded = int(round(d.population * rng.uniform(180, 260) * (0.7 + 0.5 * q), -1))
    has_survey = d.survey and rng.random() < 0.88
    with_counts = has_survey and (rng.random() < 0.7 or pid == "demo-990102-team-2024")

    # leaves: rule type, params, inputs, reported score
    leaves: dict[str, tuple[str, str, str, float]] = {}
    for code, n in (("A11", 5), ("A12", 3), ("A21", 4), ("A22", 3), ("A31", 4)):
        met = _met(rng, n, q)
        w = dict((c, wt) for c, _, _, _, _, wt in TEAM_TREE)[code]
        leaves[code] = ("checklist", f"points={','.join(['1'] * n)}", f"met={_met_text(met, n)}",
                        _checklist(w, [1.0] * n, met))
    met = _met(rng, 2, q)
    leaves["A32"] = ("checklist", "points=1,1", f"met={_met_text(met, 2)}", _checklist(2, [1, 1], met))
    leaves["B11"] = ("ratio_steps", "step=1%; deduction=5%; floor=80%; label=资金到位率; label_en=arrival rate",
                     f"numerator={_num(received)}; denominator={_num(adjusted)}",
                     _ratio_steps(2, received / adjusted, 0.01, 0.05, 0.8))
    leaves["B12"] = ("ratio", "label=预算执行率; label_en=execution rate",
                     f"numerator={_num(spent)}; denominator={_num(received)}", _ratio(5, spent / received))
    veto = pid == "demo-990107-team-2022"
    met = _met(rng, 3, q)
    leaves["B13"] = ("checklist_veto", "points=1,2,2; veto_label=截留、挤占、挪用、虚列支出",
                     f"veto={'是' if veto else '否'}; met={_met_text(met, 3)}",
                     0.0 if veto else _checklist(5, [1, 2, 2], met))
    met = [1, 2] if rng.random() < 0.6 + 0.4 * q else [2]
    leaves["B21"] = ("checklist", "points=1,1; required=1", f"met={_met_text(met, 2)}",
                     _checklist(2, [1, 1], met, required=[1]))
    met = _met(rng, 4, q)
    leaves["B22"] = ("checklist", "points=1,1,1,2", f"met={_met_text(met, 4)}", _checklist(5, [1, 1, 1, 2], met))
    staff_steps = [(10, 4), (20, 3), (30, 2), (40, 0)]
    leaves["C11"] = ("shortfall_steps", "steps=10:4, 20:3, 30:2, 40:0",
                     f"actual=上半年:{staff[0]}, 下半年:{staff[1]}; plan={plan_staff}",
                     _shortfall(5, staff_actual, plan_staff, staff_steps))
    leaves["C12"] = ("shortfall_steps", "steps=100:4, 200:3, 300:2, 400:0",
                     f"actual={campaigns}; plan={plan_campaigns}",
                     _shortfall(5, campaigns, plan_campaigns, [(100, 4), (200, 3), (300, 2), (400, 0)]))
    leaves["C21"] = ("ratio", "label=APP安装达标率; label_en=install target reached",
                     f"numerator={_num(install)}; denominator={_num(install_target)}",
                     _ratio(10, install / install_target))
    leaves["C31"] = ("ratio_steps", "step=5%; deduction=5%; floor=60%; label=及时率; label_en=timeliness",
                     f"rate={_num(timely)}", _ratio_steps(5, timely, 0.05, 0.05, 0.6))
    leaves["C41"] = ("saving_sign", "zero=3; label=成本节约率; label_en=cost saving",
                     f"plan={_num(adjusted)}; actual={_num(spent)}", _saving(5, adjusted, spent, 3))
    leaves["D11"] = ("yearly_conditions", "points=上半年:7, 下半年:7; op=>=; threshold=0",
                     f"values=上半年:{_num(decline_h1)}, 下半年:{_num(decline_h2)}",
                     r2((7 if decline_h1 >= 0 else 0) + (7 if decline_h2 >= 0 else 0)))
    level = int(_clip(round(rng.normal((1 - q) * 3, 0.6)), 0, 3))
    levels = ["很有效", "较有效", "一般", "较差", "很差"]
    leaves["D21"] = ("scale5", "levels=很有效,较有效,一般,较差,很差; levels_en=very effective,effective,"
                     "fair,weak,very weak; label=有效程度; label_en=effectiveness",
                     f"level={levels[level]}", r2(SCALE5_PCTS[level] * 6))

    survey_row = None
    if has_survey:
        issued = int(rng.integers(30, 61)) * 10
        valid = issued - int(rng.integers(0, 12))
        p_good = _clip(0.55 + 0.4 * q, 0.3, 0.95)
        probs = np.array([p_good * 0.6, p_good * 0.4, (1 - p_good) * 0.6, (1 - p_good) * 0.28, (1 - p_good) * 0.12])
        counts = [int(c) for c in rng.multinomial(valid, probs / probs.sum())]
        sat = r4((counts[0] + counts[1]) / valid)
        aware = r4(_clip(0.7 + 0.25 * q + rng.normal(0, 0.03), 0.4, 0.99))
        stated_sat = 0.95 if pid == "demo-990102-team-2024" else sat
        survey_row = dict(issued=issued, valid=valid, awareness_rate=aware, satisfaction_rate=stated_sat,
                          counts=counts if with_counts else None)
        if with_counts:
            leaves["D31"] = ("scale5", "label=满意程度; label_en=satisfaction",
                             "counts=" + ",".join(str(c) for c in counts), _scale5_counts(10, counts))
        else:
            leaves["D31"] = ("scale5", "label=满意度; label_en=satisfaction", f"rate={_num(sat)}",
                             _ratio(10, sat))
    else:
        manual = float(rng.choice([7.0, 8.0, 8.0, 9.0]))
        leaves["D31"] = ("manual", "", f"score={_num(manual)}", manual)

    reported = {c: v[3] for c, v in leaves.items()}
    if pid == "demo-990105-team-2023":
        reported["B12"] = 5.0  # planted: full marks although the rate is below 100 %
    # parents are the sums of their children, bottom-up
    for code, parent, level_, *_ in sorted(TEAM_TREE, key=lambda n: -n[2]):
        if level_ < 3:
            kids = [c for c, p, *_ in TEAM_TREE if p == code]
            reported[code] = r2(sum(reported[k] for k in kids))
    total = r2(sum(reported[c] for c in ("A", "B", "C", "D")))
    grade = _grade(total)
    note = ""
    if pid == "demo-990108-team-2024":
        s = f"{total:.2f}"
        total = float(s[:-2] + s[-1] + s[-2])  # planted: the last two digits swapped
        grade = _grade(total)
        note = "报告总分与一级指标合计不一致（示例中故意设置，供审计演示）"
    if pid == "demo-990106-team-2023":
        grade = "优"
        note = "报告等级与总分所在等级不一致（示例中故意设置，供审计演示）"

    depth = d.tree if not (d.index == 12 and year == 2022) else 1  # one report gives level 1 only
    third = d.index in (3, 8) and year == 2024
    evaluator = f"示例市公安局{d.name}分局" if not third else "示例明达会计师事务所"
    _project_row(rows, d, pid, f"{d.name}{year}年反诈骗蓝马甲宣传服务项目", f"{d.name}蓝马甲 {year}",
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
                 item=f"{d.name}第{_zh_number(k)}派出所", unit="人", planned=float(n))
    _money_figures(rows, pid, initial, adjusted, received, spent, total)
    _findings(rows, pid, rng, execution=spent / received, has_survey=has_survey,
              short_staff=plan_staff - staff_actual, install=install, veto=veto, kind="team", depth=depth)


def _money_figures(rows: _Rows, pid: str, initial: float, adjusted: float | None, received: float, spent: float,
                   total: float | None, stated_exec: float | None = None) -> None:
    """The totals a report states (keys as in the seeds: budget_total = Σ 年初预算, adjusted_budget_total
    = Σ 调整预算), so the audit can re-derive them."""
    figs = [("F1", "budget_total", "年初预算金额", initial, "万元")]
    if adjusted is not None:
        figs.append(("F1a", "adjusted_budget_total", "调整预算金额", adjusted, "万元"))
    figs += [("F2", "received_total", "到位资金", received, "万元"),
            ("F3", "spent_total", "实际支出", spent, "万元"),
            ("F4", "execution_rate", "预算执行率", stated_exec if stated_exec is not None else r4(spent / received),
             "%")]
    if total is not None:
        figs.append(("F5", "total_score", "绩效总分", total, "分"))
    for fid, key, label, value, unit in figs:
        planted = key == "execution_rate" and stated_exec is not None
        rows.add("figures", project_id=pid, figure_id=fid, kind="derived", figure=key, scope="total",
                 label=label, value=float(value), unit=unit,
                 note="报告所述执行率与资金表不符（示例中故意设置，供审计演示）" if planted else None)


_PROBLEMS = {
    "execution": ("预算执行率偏低", "项目预算执行率为{rate}，部分服务款项未按进度支付，资金使用效率有待提高。", "B12"),
    "survey": ("未开展满意度调查", "项目未组织服务对象满意度调查，满意度指标由评价组根据走访情况人工评分，依据不足。", "D31"),
    "staff": ("人员配备未达计划", "实际在岗人数较计划少{short}人，人员流动较大，影响宣传覆盖面。", "C11"),
    "install": ("APP安装率未达目标", "国家反诈中心APP安装率为{rate}，低于80%的目标值。", "C21"),
    "veto": ("资金使用存在挪用情形", "部分项目资金被挪用于其他业务支出，未履行调整审批手续。", "B13"),
    "targets": ("绩效目标细化程度不够", "部分绩效指标未量化，时效指标设定为“全年开展”，难以考核。", "A22"),
    "acceptance": ("验收资料不完整", "部分子项目验收报告缺少验收人员签字及验收结论。", "B22"),
}
_RECS = {
    "execution": ("加强预算执行管理", "按合同节点及时支付服务款项，按月跟踪预算执行进度。"),
    "survey": ("开展满意度调查", "委托第三方开展服务对象满意度调查，形成书面调查报告。"),
    "staff": ("稳定队伍规模", "完善人员招聘与培训机制，确保在岗人数达到计划。"),
    "install": ("提高APP安装率", "结合社区走访推进国家反诈中心APP注册安装。"),
    "veto": ("严格资金使用管理", "严禁挤占挪用项目资金，确需调整的应履行审批手续。"),
    "targets": ("细化绩效目标", "按项目实施节点设定分阶段、可量化的绩效指标。"),
    "acceptance": ("规范验收程序", "完善验收资料，明确验收标准与责任人。"),
}
_PRACTICES = (
    ("宣传进社区全覆盖", "组织宣传员进企业、进小区、进学校，开展点对点反诈宣传。"),
    ("预警劝阻闭环处置", "建立预警线索分级分类处置机制，做到接警即劝阻、劝阻有回访。"),
    ("技术反制与宣传并重", "强化技术拦截，同时利用短视频等新媒体扩大宣传覆盖面。"),
)


def _findings(rows: _Rows, pid: str, rng: np.random.Generator, execution: float, has_survey: bool,
              short_staff: int = 0, install: float = 1.0, veto: bool = False, kind: str = "team",
              depth: int = 0) -> None:
    """Problems, recommendations and a good practice; a problem names its indicator (or the ancestor the
    report's partial tree gives: C21 → C2 → C) on team projects."""
    issues = []
    if veto:
        issues.append("veto")
    if execution < 0.9:
        issues.append("execution")
    if not has_survey:
        issues.append("survey")
    if kind == "team" and short_staff > 10:
        issues.append("staff")
    if kind == "team" and install < 0.8:
        issues.append("install")
    if not issues or rng.random() < 0.5:
        issues.append("targets" if kind != "build" else "acceptance")
    n = 0
    for key in issues:
        title, text, code = _PROBLEMS[key]
        n += 1
        rows.add("findings", project_id=pid, finding_id=f"P{n}", kind="problem", title=title,
                 text=text.format(rate=f"{execution * 100:.2f}%" if key == "execution" else f"{install * 100:.2f}%",
                                  short=short_staff),
                 indicator_code=code[:depth] if kind == "team" and depth else None)
    for i, key in enumerate(issues, start=1):
        title, text = _RECS[key]
        rows.add("findings", project_id=pid, finding_id=f"R{i}", kind="recommendation", title=title, text=text)
    title, text = _PRACTICES[int(rng.integers(0, len(_PRACTICES)))]
    rows.add("findings", project_id=pid, finding_id="X1", kind="practice", title=title, text=text)


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


def _tech_project(rows: _Rows, d: District, year: int, rng: np.random.Generator) -> None:
    pid = f"demo-{d.code}-tech-{year}"
    q = _quality(d, year, rng)
    n_sub = 4 if d.population > 90 else 3 if d.population > 60 else 2
    subs = TECH_SUBPROJECTS[:n_sub]
    execution = _clip(d.execution - 0.04 + rng.normal(0, 0.04), 0.45, 1.0)
    if d.index == 12 and year == 2023:
        execution = 0.62  # the first year of a new service: slow payments
    budget_total = received_total = spent_total = 0.0
    pay_no = 0
    for sid, name, content, vendors in subs:
        budget = float(round(d.population * rng.uniform(1.2, 2.4), 0)) * (1.6 if sid == "S1" else 1.0)
        budget = r2(budget)
        spent = r2(budget * _clip(execution + rng.normal(0, 0.05), 0.3, 1.0))
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
            l2_scores[c2] = r2(w2 * _clip(share, 0.4, 1.0))
    l1_scores = {code: r2(sum(l2_scores[c2] for c2, *_ in TECH_L2[code])) for code, *_ in TECH_L1}
    total = r2(sum(l1_scores.values()))
    evaluator, etype = (("示例市财政绩效评价中心", "财政重点评价") if d.index % 2 == 0
                        else ("示例华衡咨询有限公司", "第三方评价"))
    _project_row(rows, d, pid, f"{d.name}{year}年反电信网络诈骗技术服务项目", f"{d.name}反诈技术服务 {year}",
                 f"{d.name_en} anti-fraud technical services {year}", "反诈", evaluator, etype,
                 "项目决策/项目过程/项目产出/项目效益", dt.date(year, 1, 1), dt.date(year, 12, 31),
                 dt.date(year + 1, 7, 1), dt.date(year + 1, 10, 31), dt.date(year + 1, 6, 30), total,
                 _grade(total), depth)
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
    accuracy = r4(_clip(0.84 + 0.12 * q + rng.normal(0, 0.02), 0.7, 0.99))
    rows.add("targets", project_id=pid, target_id="T1", subproject_id="S1", year=year, category="产出指标/质量指标",
             name="预警信息准确率", unit="%", operator=">=", target_value=0.9, actual_value=accuracy,
             stated_met=accuracy >= 0.9)
    rows.add("targets", project_id=pid, target_id="T2", year=year, category="投入和管理目标", name="预算执行率",
             unit="%", operator="=", target_value=1.0, actual_value=r4(exec_rate), stated_met=exec_rate >= 1 - 1e-9)
    has_survey = rng.random() < 0.6
    if has_survey:
        score = r2(_clip(85 + 12 * q + rng.normal(0, 1.5), 70, 99))
        rows.add("surveys", project_id=pid, survey_id="SV1", name="公众评议问卷调查", conducted_by="示例市社会舆情调查中心",
                 respondents="社会各界人员", satisfaction_score=score, level_text=f"评议分值 {score:.2f} 分")
    stated = None
    if pid == "demo-990103-tech-2023":  # planted: a stated rate 5 points off spent / received
        stated = r4(exec_rate + 0.05 if exec_rate < 0.95 else exec_rate - 0.05)
    _money_figures(rows, pid, budget_total, None, received_total, spent_total, total, stated_exec=stated)
    _findings(rows, pid, rng, execution=exec_rate, has_survey=True, kind="tech")


BUILD_ITEMS = (
    ("一期", ("视频监控点位升级改造", "智慧安防小区", "城市公共交通智慧防控系统", "警用地理信息二三维一体化系统")),
    ("二期", ("大数据汇聚平台", "移动警务终端", "网络安全管控系统", "智慧街面巡防系统")),
)
BUILD_L1 = (("A", "决策", "Decision", 15), ("B", "过程", "Process", 20), ("C", "产出", "Output", 35),
            ("D", "效益", "Benefit", 20), ("E", "满意度", "Satisfaction", 10))


def _build_project(rows: _Rows, d: District, year: int, rng: np.random.Generator) -> None:
    pid = f"demo-{d.code}-build-{year}"
    q = _quality(d, year, rng)
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
    l1 = {c: r2(w * _clip(shares[c] + rng.normal(0, 0.02), 0.3, 1.0)) for c, _, _, w in BUILD_L1}
    total = r2(sum(l1.values()))
    _project_row(rows, d, pid, f"{d.name}社会治安防控体系信息化建设项目（{year}年）", f"{d.name}治安防控信息化 {year}",
                 f"{d.name_en} public-security informatization build {year}", "治安防控", "示例明达会计师事务所",
                 "第三方评价", "决策/过程/产出/效益/满意度（偏重产出、效果）", start, end, dt.date(year + 1, 4, 15),
                 dt.date(year + 1, 6, 30), None, total, _grade(total), depth,
                 "评价时二期部分建设内容尚未开工" if completion < 1 else "")
    if depth:
        for i, (code, name, name_en, w) in enumerate(BUILD_L1, start=1):
            rows.add("indicators", project_id=pid, code=code, level=1, name=name, name_en=name_en, weight=float(w),
                     reported_score=l1[code], sort_order=i)
    issued = int(rng.integers(25, 41)) * 10
    valid = issued - int(rng.integers(3, 15))
    rows.add("surveys", project_id=pid, survey_id="SV1", name="社会公众满意度调查", conducted_by="示例明达会计师事务所",
             respondents="社会公众", questions=14, issued=issued, valid=valid,
             awareness_rate=r4(_clip(0.5 + 0.3 * q + rng.normal(0, 0.04), 0.3, 0.95)),
             satisfaction_rate=r4(_clip(0.45 + 0.45 * q + rng.normal(0, 0.04), 0.3, 0.98)))
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
    _findings(rows, pid, rng, execution=spent_total / received, has_survey=True, kind="build")


def _arrow_type(t: str) -> pa.DataType:
    return {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "INTEGER": pa.int32(), "DATE": pa.date32(),
            "BOOLEAN": pa.bool_()}[t]


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a lake table, from perfeval.data.schema (the types the Parquet files carry)."""
    return pa.schema([pa.field(c.name, _arrow_type(c.type)) for c in schema.table(table).columns])


def generate_arrow(seed: int = SEED) -> dict[str, pa.Table]:
    """Every demo table as an Arrow table with the schema's types (same seed → same rows)."""
    rows = _Rows()
    rows.add("documents", source=SOURCE, kind="demo", title="示例市反诈与治安防控项目绩效评价示例数据（虚构）",
             file="perfeval/data/demo.py", author="perfeval 示例数据生成器",
             note=f"虚构城市（示例省/示例市，区划代码 99xxxx）的演示数据，随机种子 {seed}；不是真实评价结果。")
    kinds = {"team": 0, "tech": 1, "build": 2}
    for d in DISTRICTS:
        for year in YEARS:
            _team_project(rows, d, year, np.random.default_rng([seed, d.index, year, kinds["team"]]))
            if d.tech and not (d.index == 12 and year == 2022):
                _tech_project(rows, d, year, np.random.default_rng([seed, d.index, year, kinds["tech"]]))
            if d.build_year == year:
                _build_project(rows, d, year, np.random.default_rng([seed, d.index, year, kinds["build"]]))
    return {name: pa.Table.from_pylist(rows.rows[name], schema=arrow_schema(name)) for name in TABLES}


def generate(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Every demo table as a DataFrame (columns in the schema's order)."""
    return {name: t.to_pandas() for name, t in generate_arrow(seed).items()}


def write_demo(path: str | os.PathLike = DEFAULT_DIR, seed: int = SEED) -> list[pathlib.Path]:
    """Write one ``<table>.parquet`` per table into ``path`` (each file replaced atomically)."""
    out = pathlib.Path(path)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in generate_arrow(seed).items():
        target = out / f"{name}.parquet"
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
        os.close(fd)
        pq.write_table(table, tmp, compression="zstd")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
        written.append(target)
    return written
