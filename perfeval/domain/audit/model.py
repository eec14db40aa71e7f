"""What the audit works with: the severities, the catalogue of checks (`CHECKS`), a `Finding` and an
`Unchecked` figure, one project's data (`ProjectData`, plain DataFrames) and its audit (`ProjectAudit`), and
the row helpers the checks loop with (`records`, `rules_by_code`, `facts_from_derived`, `normalise_scope`).

A `Finding` states its values in its unit: rates as fractions, money in 万元, scores in 分.
"""
from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass, field

import pandas as pd

from perfeval.domain import scoring
from perfeval.domain.scoring import rule_text

SEVERITIES = ("error", "warning", "info")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Check:
    """One kind of check: its key (as in `Finding.check`), its name and what it compares, in both languages."""

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


@dataclass
class ProjectAudit:
    """One project's audit: its findings (severity first), the figures it could not check, and the
    recomputed indicator tree (`scoring.score_tree`; empty when the caller dropped it)."""

    project_id: str
    findings: list[Finding]
    unchecked: list[Unchecked]
    tree: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """Severity → number of findings (every severity of `SEVERITIES`, 0 included)."""
        return {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}
