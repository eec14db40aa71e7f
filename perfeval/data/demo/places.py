"""The demonstration portfolio's fiction: the place (示例省 / 示例市, region codes 99xxxx), its twelve districts
and the traits their projects are drawn around (`District`, `DISTRICTS`), the years, the ``source`` every
row carries (`SOURCE`); the numbers as the reports write them (`r2`, `r4` rounding half up, `num` as a rule
cell writes it, `grade_of`); and the helpers that draw from a project's seeded generator (`quality`,
`met_points`). Money in 万元, rates as fractions, population in 万人.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

SOURCE = "demo:example-city"
YEARS = (2022, 2023, 2024)
PROVINCE = "示例省"
CITY = "示例市"
CITY_CODE = "990100"
DEMO_NOTE = "虚构示例数据（非真实评价结果）"


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


def zh_number(n: int) -> str:
    """1 → 一, 12 → 十二 (1 to 19)."""
    return _NUM_ZH[n - 1] if n <= 10 else "十" + _NUM_ZH[n - 11]


DISTRICTS: tuple[District, ...] = tuple(
    District(i, f"示例{zh_number(i)}区", f"Example District {i}", pop, q, tr, ex, tech, build, survey, tree)
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


# -- numbers as the reports write them ----------------------------------------------------------

def r2(x: float) -> float:
    """Round half up to 2 decimals (as the scoring engine and people do)."""
    return float(Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def r4(x: float) -> float:
    """Round half up to 4 decimals (a rate as a fraction: 0.9889 is 98.89 %)."""
    return float(Decimal(repr(float(x))).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def num(x: float) -> str:
    """A number as a rule cell writes it: 1234.5 → "1234.5", 5.0 → "5"."""
    x = float(x)
    if x == int(x):
        return str(int(x))
    return repr(x)


def grade_of(score: float) -> str:
    """The grade of a total in 分 by the default bands: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差."""
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def clip(x: float, lo: float, hi: float) -> float:
    """``x`` kept within [``lo``, ``hi``]."""
    return min(hi, max(lo, x))


# -- drawn from a project's seeded generator -----------------------------------------------------

def quality(d: District, year: int, rng: np.random.Generator) -> float:
    """How well a district runs its projects in ``year`` (0.3–0.99): its quality, its trend, a little noise."""
    return clip(d.quality + d.trend * (year - 2023) + rng.normal(0, 0.02), 0.3, 0.99)


def met_points(rng: np.random.Generator, n: int, q: float) -> list[int]:
    """Which of n evaluation points a project meets (1-based); better projects meet more."""
    p = 0.35 + 0.65 * q
    return [i for i in range(1, n + 1) if rng.random() < p]


def met_text(met: list[int], n: int) -> str:
    """The points met as a rule input writes them: ``all``, ``none`` or ``1,3,4``."""
    if len(met) == n:
        return "all"
    if not met:
        return "none"
    return ",".join(str(i) for i in met)
