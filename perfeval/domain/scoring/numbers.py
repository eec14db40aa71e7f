"""How the scoring engine rounds scores and writes numbers in its reasons.

Scores are in 分 (points), rates fractions (0.9889 is written 98.89%). `round_score` rounds half up
as people do by hand; `pts`, `pct` and `num` write a score, a rate and a plain number the
way the reasons ("预算执行率 98.89% × 权重 5 = 4.94") and the audit's findings show them.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

EPS = 1e-9  # the tolerance of every comparison of scores and rates


def round_score(value: float, decimals: int = 2) -> float:
    """Round half up (4.945 → 4.95), as people do by hand; floats never show 4.9449999."""
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))


def pts(x: float | None) -> str:
    """A score in 分 as text: rounded half up to 2 decimals, no trailing zeros (4.50 → "4.5");
    "未披露" for None."""
    if x is None:
        return "未披露"
    text = f"{round_score(x, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pct(x: float, decimals: int = 2) -> str:
    """A fraction as a percentage text: 0.9889 → "98.89%" (no trailing zeros)."""
    text = f"{x * 100:.{decimals}f}".rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "") else text) + "%"


def num(x: float) -> str:
    """A plain number as text: whole numbers with thousands separators (1,200), else up to 2 decimals."""
    if abs(x - round(x)) < EPS:
        return f"{round(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def op_symbol(op: str) -> str:
    """A comparison as people write it: >= → ≥."""
    return {">=": "≥", "<=": "≤"}.get(op, op)
