"""How close a stated number must be to the number derived from the report's own data: the tolerance
for the report's rounding (`rounding_tolerance`, from the decimals a value carries), the severity of a
mismatch (`severity_for`), and `compare_stated` with the qualifiers a report writes (约, 近, 余, 大于).

Scores are compared within `SCORE_TOL` (they are stated to 0.01 分); rates are fractions (0.9889).
"""
from __future__ import annotations

from decimal import Decimal

SCORE_TOL = 0.005  # scores are stated to 0.01 分


def stated_decimals(value: float) -> int:
    """Decimals a stated value carries: 0.9889 → 4, 866.47 → 2, 800.0 → 0 (at most 8)."""
    d = Decimal(repr(float(value))).normalize()
    exp = d.as_tuple().exponent
    return 0 if not isinstance(exp, int) or exp >= 0 else min(-exp, 8)


# Decimals a report conventionally writes for a unit (a rate as a percentage with two decimals is four
# decimals of the fraction). A stored 0.9 cannot tell "90%" from "90.00%": the audit accepts the loose
# reading but says so (info) when only the loose one fits.
CONVENTIONAL_DECIMALS = {"%": 4, "万元": 2, "元": 2, "分": 2, "亿元": 2}


def rounding_tolerance(value: float, unit: str | None, strict: bool = False) -> float:
    """Half a unit of the last digit the report wrote. A rate stored as a fraction (unit %) was written as
    a percentage: 0.9889 (98.89%) → 0.00005; 1.0 (100%) → 0.005. ``strict``: assume the unit's
    conventional decimals when the stored value shows fewer (1.0 as 100.00% → 0.00005)."""
    d = stated_decimals(value)
    if unit == "%":
        d = max(d, 2)
    if strict:
        d = max(d, CONVENTIONAL_DECIMALS.get(unit or "", 0))
    return 0.5 * 10 ** (-d) + 1e-9 * max(1.0, abs(value))


def severity_for(stated: float, derived: float, score_like: bool = False) -> str:
    """The severity of a mismatch: ``error`` when a score (``score_like``) is off by half a point or more, or
    another figure by more than 5 % of the larger value; else ``warning``."""
    diff = abs(derived - stated)
    if score_like:
        return "error" if diff >= 0.5 - 1e-9 else "warning"
    rel = diff / max(abs(stated), abs(derived), 1e-12)
    return "error" if rel > 0.05 else "warning"


def compare_stated(stated: float, derived: float, unit: str | None, qualifier: str | None,
                   approximate: bool = False) -> str | None:
    """None when a stated figure agrees with its derived value, else the severity of the mismatch.

    Exact figures must agree within the report's rounding (``info`` when they agree only if the report
    rounded to fewer digits than its unit usually has: 90% for 89.77%); 约 (about) within rounding, else
    ``info`` up to 5 % off; 近 (nearly) means derived ≤ stated and within 10 %; 余 (over) derived ≥ stated;
    大于 (greater_than) derived > stated. A derived value built from vague inputs gives at most ``info``.
    """
    tol = rounding_tolerance(stated, unit)
    diff = derived - stated
    q = qualifier or "exact"
    rel = abs(diff) / max(abs(stated), 1e-12)
    if q == "exact":
        if abs(diff) <= rounding_tolerance(stated, unit, strict=True):
            return None
        if abs(diff) <= tol:
            return "info"  # agrees only if the report rounded to fewer digits than usual
        sev = severity_for(stated, derived)
    elif q == "about":
        if abs(diff) <= tol:
            return None
        sev = "info" if rel <= 0.05 else "warning"
    elif q == "nearly":
        if diff <= tol and rel <= 0.10:
            return None
        sev = "info" if rel <= 0.10 else "warning"
    elif q == "over":
        if diff >= -tol:
            return None
        sev = "info" if rel <= 0.05 else "warning"
    elif q == "greater_than":
        if diff > 0:
            return None
        sev = "warning"
    else:
        return None
    if approximate and sev != "info":
        sev = "info"
    return sev
