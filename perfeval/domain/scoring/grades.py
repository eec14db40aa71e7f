"""Grades: the bands of total scores (优 ≥ 90, 良 ≥ 80 …), read from the grade_bands table, and
the grade of a total in 分."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from perfeval.domain.scoring.numbers import EPS


@dataclass(frozen=True)
class GradeBand:
    """A grade and its lower bound in 分 (inclusive): 优 ≥ 90."""

    grade: str
    min_score: float
    name_en: str = ""


DEFAULT_BANDS: tuple[GradeBand, ...] = (
    GradeBand("优", 90, "excellent"), GradeBand("良", 80, "good"),
    GradeBand("中", 60, "fair"), GradeBand("差", 0, "poor"),
)


def bands_from_frame(df: pd.DataFrame | None, band_set: str = "default") -> tuple[GradeBand, ...]:
    """The bands of ``band_set`` from a grade_bands table (columns band_set, grade, min_score, name_en),
    highest first; the default bands when the table has none."""
    if df is None or df.empty:
        return DEFAULT_BANDS
    part = df[df["band_set"] == band_set] if "band_set" in df.columns else df
    if part.empty:
        return DEFAULT_BANDS
    bands = [GradeBand(str(r["grade"]), float(r["min_score"]), str(r.get("name_en") or ""))
             for r in part.to_dict("records") if r.get("min_score") is not None]
    return tuple(sorted(bands, key=lambda b: -b.min_score))


def grade_of(score, bands: tuple[GradeBand, ...] = DEFAULT_BANDS) -> str | None:
    """The grade of a total score in 分 (None for a missing score); bounds are inclusive."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    for b in sorted(bands, key=lambda b: -b.min_score):
        if score >= b.min_score - EPS:
            return b.grade
    return None


def band_range(grade: str, bands: tuple[GradeBand, ...] = DEFAULT_BANDS) -> tuple[float, float | None] | None:
    """(lower bound inclusive, upper bound exclusive or None) of a grade; None for an unknown grade."""
    ordered = sorted(bands, key=lambda b: -b.min_score)
    for i, b in enumerate(ordered):
        if b.grade == grade:
            return (b.min_score, None if i == 0 else ordered[i - 1].min_score)
    return None
