"""Satisfaction surveys: rates, the 95 % margin of error and how to word what a report leaves out.

Pure functions (no Streamlit, no data access). Rates are fractions (0.5139), margins are fractions too
(0.0545 = ±5.45 percentage points).

Margin of error: the normal (Wald) approximation ``z·√(p(1−p)/n)`` over the *valid* questionnaires,
z = 1.96 for 95 %. It is what survey reports usually quote; the Wilson score interval is given beside it
because it stays inside [0, 1] for small samples and rates near 0 or 1. Both assume a simple random
sample, which a street questionnaire is not, so the interval is a lower bound on the real uncertainty.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from perfeval.text import fmt

Z95 = 1.959963984540054  # two-sided 95 % quantile of the standard normal

# the 5-level scale, best first: (column, zh, en, the D21/D31 rule's share of the weight)
LEVELS = (
    ("n_very_satisfied", "很满意", "very satisfied", 1.0),
    ("n_satisfied", "较满意", "satisfied", 0.8),
    ("n_neutral", "一般", "neutral", 0.6),
    ("n_dissatisfied", "不太满意", "dissatisfied", 0.4),
    ("n_very_dissatisfied", "不满意", "very dissatisfied", 0.2),
)


def missing(value) -> bool:
    """True for None, NaN, NaT and pd.NA (scalars only)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def clean(value):
    """A scalar with every kind of missing turned into None (pd.NA breaks float() and fmt)."""
    return None if missing(value) else value


def valid_rate(valid, issued) -> float | None:
    """有效率 = valid / issued (fraction); None if either is missing or nothing was issued."""
    if missing(valid) or missing(issued) or float(issued) <= 0:
        return None
    return float(valid) / float(issued)


def margin_of_error(p, n, z: float = Z95) -> float | None:
    """Half-width of the normal-approximation confidence interval of a proportion (fraction).

    ``p`` a fraction in [0, 1], ``n`` the number of answers. None when either is missing or n < 1.
    0.5139 from 323 answers → 0.0545 (±5.45 percentage points).
    """
    if missing(p) or missing(n) or float(n) < 1:
        return None
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"a proportion must be in [0, 1], got {p}")
    return z * math.sqrt(p * (1.0 - p) / float(n))


def normal_interval(p, n, z: float = Z95) -> tuple[float, float] | None:
    """(low, high) = p ∓ margin_of_error, clipped to [0, 1]; None where the margin is unknown."""
    m = margin_of_error(p, n, z)
    if m is None:
        return None
    return max(0.0, float(p) - m), min(1.0, float(p) + m)


def wilson_interval(p, n, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval (low, high) of a proportion p observed in n answers."""
    if missing(p) or missing(n) or float(n) < 1:
        return None
    p, n = float(p), float(n)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"a proportion must be in [0, 1], got {p}")
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def distribution(row) -> dict[str, int] | None:
    """{level column: count} of the 5-level scale when the report gives every level, else None."""
    counts = {col: clean(row.get(col)) for col, *_ in LEVELS}
    if any(v is None for v in counts.values()):
        return None
    return {k: int(v) for k, v in counts.items()}


def distribution_rate(counts: dict[str, int]) -> float | None:
    """Share of 很满意 + 较满意 among all answers of a 5-level distribution (fraction)."""
    total = sum(counts.values())
    if total <= 0:
        return None
    return (counts["n_very_satisfied"] + counts["n_satisfied"]) / total


def scale_score(counts: dict[str, int]) -> float | None:
    """The 5-level rule's score share (100/80/60/40/20 % per level), averaged over the answers."""
    total = sum(counts.values())
    if total <= 0:
        return None
    return sum(counts[col] * share for col, _, _, share in LEVELS) / total


@dataclass(frozen=True)
class SurveyView:
    """What the satisfaction page shows for one project's survey (or its absence)."""

    status: str                      # "figures" | "score" | "conclusion" | "none"
    issued: int | None
    valid: int | None
    valid_rate: float | None         # computed valid / issued
    awareness_rate: float | None
    satisfaction_rate: float | None
    satisfaction_score: float | None
    score_qualifier: str | None
    n: int | None                    # answers the margin is computed from (valid, else issued)
    satisfaction_moe: float | None   # normal approximation, fraction
    awareness_moe: float | None
    satisfaction_wilson: tuple[float, float] | None
    distribution: dict[str, int] | None
    conclusion: str | None


def survey_view(row) -> SurveyView:
    """Summarise one row of queries/survey_projects.sql (a project with or without a survey).

    status: "figures" when a satisfaction rate is given, "score" when only a score, "conclusion"
    when only words, "none" when the project has no survey in the data (未开展 / 未披露).
    """
    get = (lambda k: clean(row.get(k)))
    issued, valid = get("issued"), get("valid")
    n = valid if valid is not None else issued
    dist = distribution(row)
    sat = get("satisfaction_rate")
    if sat is None and dist is not None:
        sat = distribution_rate(dist)
    score, conclusion = get("satisfaction_score"), get("level_text")
    if get("survey_id") is None:
        status = "none"
    elif sat is not None:
        status = "figures"
    elif score is not None:
        status = "score"
    elif conclusion is not None:
        status = "conclusion"
    else:
        status = "none"
    return SurveyView(
        status=status,
        issued=None if issued is None else int(issued),
        valid=None if valid is None else int(valid),
        valid_rate=valid_rate(valid, issued),
        awareness_rate=get("awareness_rate"),
        satisfaction_rate=sat,
        satisfaction_score=score,
        score_qualifier=get("score_qualifier"),
        n=None if n is None else int(n),
        satisfaction_moe=margin_of_error(sat, n),
        awareness_moe=margin_of_error(get("awareness_rate"), n),
        satisfaction_wilson=wilson_interval(sat, n),
        distribution=dist,
        conclusion=conclusion,
    )


def rate_with_margin(rate, moe, lang: str = "zh") -> str:
    """"51.39% ± 5.45 个百分点" (en: "51.39% ± 5.45 pp"); the bare rate when no margin; 未披露."""
    if missing(rate):
        return fmt.not_reported(lang)
    text = fmt.pct(rate, lang)
    if moe is None:
        return text
    unit = " 个百分点" if lang == "zh" else " pp"
    return f"{text} ± {moe * 100:.2f}{unit}"


def score_text(score, qualifier, lang: str = "zh") -> str:
    """A satisfaction score with its qualifier: (95, greater_than) → "大于95分" / "more than 95 points"."""
    if missing(score):
        return fmt.not_reported(lang)
    unit = "分" if lang == "zh" else " points"
    return fmt.with_qualifier(f"{fmt.number(score, 2, lang)}{unit}", clean(qualifier), lang)


def no_interval_reason(view: SurveyView, lang: str = "zh") -> str | None:
    """Why no margin of error is shown (None when one is)."""
    if view.satisfaction_moe is not None:
        return None
    if view.status == "none":
        return "未开展 / 未披露调查" if lang == "zh" else "no survey conducted / reported"
    if view.status == "conclusion":
        return ("报告只给出文字结论，未披露问卷数量与满意率，无法计算误差范围" if lang == "zh"
                else "the report gives a conclusion in words only, no counts or rates, so no margin of error")
    if view.n is None:
        return ("报告未披露样本量，无法计算误差范围" if lang == "zh"
                else "the report gives no sample size, so no margin of error can be computed")
    return ("报告未披露满意率（比例），无法计算误差范围" if lang == "zh"
            else "the report gives no satisfaction rate (proportion), so no margin of error")


def status_label(status: str, lang: str = "zh") -> str:
    """The words for a survey status."""
    zh = {"figures": "有调查数据", "score": "仅有评分", "conclusion": "仅有文字结论", "none": "未开展 / 未披露"}
    en = {"figures": "survey figures", "score": "score only", "conclusion": "conclusion in words only",
          "none": "not conducted / not reported"}
    return (zh if lang == "zh" else en)[status]


STATUSES = ("figures", "score", "conclusion", "none")


def status_counts(counts: pd.DataFrame) -> dict[str, int]:
    """{status: surveys} in STATUSES order (0 where none) from rows of queries/survey_status_counts.sql —
    the same counts as survey_view(row).status over the rows of survey_projects.sql."""
    got = {s: int(n) for s, n in zip(counts["status"], counts["surveys"])}
    unknown = set(got) - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown survey status {sorted(unknown)}")
    return {s: got.get(s, 0) for s in STATUSES}


def interval_text(interval: tuple[float, float] | None, lang: str = "zh") -> str:
    """"[45.99%, 56.79%]" or "—" when there is no interval."""
    if interval is None:
        return "—"
    return f"[{fmt.pct(interval[0], lang)}, {fmt.pct(interval[1], lang)}]"


def comparison_table(df: pd.DataFrame, lang: str = "zh") -> tuple[pd.DataFrame, list[SurveyView]]:
    """Display rows for rows of queries/survey_projects.sql (one per project × survey) and their views.

    Columns: project_id, short_name, status, issued, valid, valid_rate, awareness, satisfaction, wilson,
    score, conclusion, stated_valid_rate_check — all text, "未开展 / 未披露" / "未披露" where a figure is
    absent, never 0.
    """
    views, rows = [], []
    nr = fmt.not_reported(lang)
    for r in df.to_dict("records"):
        v = survey_view(r)
        views.append(v)
        stated = clean(r.get("stated_valid_rate"))
        check = "—"
        if stated is not None and v.valid_rate is not None:
            ok = abs(round(v.valid_rate, 4) - stated) < 5e-5
            check = ("✅ 一致" if ok else "⚠️ 不一致") if lang == "zh" else ("✅ agrees" if ok else "⚠️ differs")
        none = v.status == "none"
        blank = status_label("none", lang) if none else nr
        rows.append({
            "project_id": r["project_id"], "short_name": r.get("short_name"),
            "status": status_label(v.status, lang),
            "issued": blank if v.issued is None else f"{v.issued}",
            "valid": blank if v.valid is None else f"{v.valid}",
            "valid_rate": blank if v.valid_rate is None else fmt.pct(v.valid_rate, lang),
            "stated_valid_rate_check": check,
            "awareness": blank if v.awareness_rate is None else rate_with_margin(v.awareness_rate, v.awareness_moe, lang),
            "satisfaction": blank if v.satisfaction_rate is None else rate_with_margin(v.satisfaction_rate, v.satisfaction_moe, lang),
            "wilson": interval_text(v.satisfaction_wilson, lang),
            "score": blank if v.satisfaction_score is None else score_text(v.satisfaction_score, v.score_qualifier, lang),
            "conclusion": v.conclusion or ("—" if not none else blank),
        })
    cols = ["project_id", "short_name", "status", "issued", "valid", "valid_rate", "stated_valid_rate_check",
            "awareness", "satisfaction", "wilson", "score", "conclusion"]
    return pd.DataFrame(rows, columns=cols), views
