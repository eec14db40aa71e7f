"""Portfolio figures for the overview (pure functions over the overview_projects query)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from perfeval.domain.budget import execution_base

GRADES = ("优", "良", "中", "差")


@dataclass(frozen=True)
class PortfolioKpis:
    projects: int
    budget: float | None          # 万元, sum over projects that report a budget
    received: float | None        # 万元
    spent: float | None           # 万元
    execution_rate: float | None  # fraction: Σ spent / Σ received over projects reporting both (a
    # self-evaluation without receipts: its budget, 全年预算数, in place of received; domain.budget.execution_base)
    arrival_rate: float | None    # fraction: Σ received / Σ budget over projects reporting both
    mean_score: float | None      # mean reported total score
    grade_counts: dict[str, int]
    not_reported: dict[str, int]  # how many projects leave each figure out


def _sum(series: pd.Series) -> float | None:
    s = series.dropna()
    return float(s.sum()) if len(s) else None


def _weighted(num: pd.Series, den: pd.Series) -> float | None:
    both = num.notna() & den.notna() & (den > 0)
    if not both.any():
        return None
    return float(num[both].sum() / den[both].sum())


def portfolio_kpis(df: pd.DataFrame) -> PortfolioKpis:
    """The headline numbers of a set of projects (rows of queries/overview_projects.sql).

    Rates are weighted by money (Σ spent / Σ received, a self-evaluation without receipts counting its
    budget as the denominator, as its form defines 执行率), over the projects that report both inputs;
    a project that leaves an input out is counted in ``not_reported``, never as zero.
    """
    scores = df["reported_total_score"].dropna()
    grades = {g: int((df["reported_grade"] == g).sum()) for g in GRADES}
    return PortfolioKpis(
        projects=int(len(df)),
        budget=_sum(df["budget"]),
        received=_sum(df["received"]),
        spent=_sum(df["spent"]),
        execution_rate=_weighted(df["spent"], pd.to_numeric(execution_base(df), errors="coerce")),
        arrival_rate=_weighted(df["received"], df["budget"]),
        mean_score=float(scores.mean()) if len(scores) else None,
        grade_counts=grades,
        not_reported={c: int(df[c].isna().sum()) for c in ("budget", "received", "spent",
                                                             "reported_total_score")},
    )


def data_kinds(df: pd.DataFrame) -> dict[str, int]:
    """How many rows of ``df`` are of each data kind (report, import, demo, generated)."""
    if "data_kind" not in df.columns or not len(df):
        return {}
    return {str(k): int(n) for k, n in df["data_kind"].value_counts().items()}


def sources_note(df: pd.DataFrame, lang: str = "zh") -> str:
    """Whose data a view shows: "数据来源：3 份评价报告" (+ demo / generated counts)."""
    return sources_note_of(data_kinds(df), lang)


def sources_note_of(kinds: dict[str, int], lang: str = "zh") -> str:
    """`sources_note` from the rows' counts per data kind (`data_kinds`)."""
    zh = {"report": "份评价报告（真实数据）", "import": "个导入批次的项目", "demo": "个示例项目（非真实数据）",
          "generated": "个生成的测试项目（非真实数据）"}
    en = {"report": "evaluation reports (real data)", "import": "imported projects",
          "demo": "demonstration projects (not real)", "generated": "generated test projects (not real)"}
    if lang == "zh":
        parts = [f"{kinds[k]} {zh[k]}" for k in zh if kinds.get(k)]
        return "数据来源：" + ("；".join(parts) if parts else "无")
    parts = [f"{kinds[k]} {en[k]}" for k in en if kinds.get(k)]
    return "Data: " + ("; ".join(parts) if parts else "none")

