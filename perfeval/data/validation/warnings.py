"""Warnings: what looks wrong in an upload but may be right. Each is a `problems.Problem` of severity
``warning``: shown beside the errors (the import page, ``python -m perfeval import``), never blocking an import.

The rules (docs/data-model.md, "Warnings"):

- **an amount that looks like 元 in a 万元 column** (budget and payments, every column in 万元): per project
  of the upload, an amount is flagged when it is at least `RATIO` (1 000) times the median of the
  project's other positive amounts in the upload (元 instead of 万元 makes it 10 000 times too large; amounts
  of one project rarely differ by 1 000 times), or, whatever the others, when it reaches `DISTRICT_LIMIT`
  (100 000 万元 = 10 亿元) for a project whose region code is a district or county (its last two digits are
  not 00), or `LIMIT` (1 000 000 万元 = 100 亿元) for any other project;
- **a rate above 1 that looks like a percentage** (95 typed for 95 %): a value above 1 in a row whose unit is
  ``%`` (outcomes.value, figures.value, targets.target_value / actual_value, outputs.planned / actual). The
  columns that are rates by the schema (max 1, e.g. surveys.satisfaction_rate) already refuse such a value;
- **a region code not in the bundled GB/T 2260 list** (perfeval.data.gbt2260; the fictional 99… codes of the
  demonstration data excepted), and a province / city / district name that differs from the code's.
"""
from __future__ import annotations

import math

import pandas as pd

from perfeval.data import gbt2260, schema
from perfeval.data.validation.checks import Checked
from perfeval.data.validation.problems import Problem, column_details, warning

RATIO = 1000.0
DISTRICT_LIMIT = 100_000.0
LIMIT = 1_000_000.0
AMOUNT_TABLES = ("budget", "payments")
RATE_COLUMNS = {"outcomes": ("value",), "figures": ("value",), "targets": ("target_value", "actual_value"),
                "outputs": ("planned", "actual")}


def _num(v) -> float | None:
    if v is None or v is pd.NA:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _g(v: float) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".") if not float(v).is_integer() else f"{int(v):,}"


def _median_without(ordered: list[float], value: float) -> float | None:
    """The median of ``ordered`` (sorted) without one occurrence of ``value``; None if nothing is left.
    O(log n): a project with many amounts costs no more than sorting them once."""
    import bisect

    n = len(ordered) - 1
    if n < 1:
        return None
    k = bisect.bisect_left(ordered, value)

    def at(j: int) -> float:  # the j-th of the others
        return ordered[j] if j < k else ordered[j + 1]
    return at(n // 2) if n % 2 else (at(n // 2 - 1) + at(n // 2)) / 2


def amount_warnings(targets: list[Checked], regions: dict[str, str]) -> list[Problem]:
    """The amounts of ``targets`` that look like 元 (see the module docstring); ``regions``: project id →
    region code, for the projects the upload names (its own and the lake's)."""
    cells: dict[str, list[tuple[Checked, int, schema.Column, float]]] = {}
    for c in targets:
        if c.table.name not in AMOUNT_TABLES or not len(c.frame):
            continue
        for col in c.table.columns:
            if col.unit != "万元" or col.name not in c.frame.columns:
                continue
            for pid, row, v in zip(c.frame["project_id"].tolist(), c.frame["row_"].tolist(),
                                   c.frame[col.name].tolist()):
                f = _num(v)
                if f is not None and f > 0 and isinstance(pid, str):
                    cells.setdefault(pid, []).append((c, int(row), col, f))
    out = []
    for pid, found in cells.items():
        code = str(regions.get(pid) or "")
        district = len(code) == 6 and code.isdigit() and code[4:] != "00"
        limit = DISTRICT_LIMIT if district else LIMIT
        ordered = sorted(f for *_, f in found)
        for c, row, col, f in found:
            median = _median_without(ordered, f)
            if median and f >= RATIO * median:
                reason = (f"是本项目其他金额（中位数 {_g(median)} 万元）的 {f / median:,.0f} 倍",
                          f"{f / median:,.0f} times the median of the project's other amounts ({_g(median)})")
            elif f >= limit:
                reason = (f"达到 {_g(limit)} 万元（{'区县级' if district else ''}项目少有如此金额）",
                          f"at least {_g(limit)} (rare for a {'district ' if district else ''}project)")
            else:
                continue
            out.append(warning(c.file, row, col.name, _g(f), "amount_in_yuan", c.table.name,
                               reason_zh=reason[0], reason_en=reason[1], as_wan=_g(f / 10000),
                               **column_details(col)))
    return out


def rate_warnings(targets: list[Checked]) -> list[Problem]:
    """Values above 1 in rows whose unit is % (see the module docstring)."""
    out = []
    for c in targets:
        columns = RATE_COLUMNS.get(c.table.name, ())
        if not columns or "unit" not in c.frame.columns or not len(c.frame):
            continue
        percent = c.frame["unit"].map(lambda u: isinstance(u, str) and u.strip() in ("%", "％"))
        for name in columns:
            col = c.table.column(name)
            for row, v in zip(c.frame.loc[percent, "row_"].tolist(), c.frame.loc[percent, name].tolist()):
                f = _num(v)
                if f is not None and f > 1:
                    out.append(warning(c.file, int(row), name, _g(f), "rate_as_percent", c.table.name,
                                       fraction=f"{f / 100:g}", **column_details(col)))
    return out


def _same(given: str, expected: str) -> bool:
    """Names that agree: equal, or one the other without its suffix (福田 / 福田区, 广东 / 广东省)."""
    return given == expected or expected.startswith(given) or given.startswith(expected)


def region_warnings(targets: list[Checked]) -> list[Problem]:
    """Region codes of the upload's projects that GB/T 2260 does not know, and names that differ from the code's."""
    out = []
    for c in targets:
        if c.table.name != "projects" or "region_code" not in c.frame.columns or not len(c.frame):
            continue
        t = c.table
        for r in c.frame.to_dict("records"):
            code = r.get("region_code")
            if not isinstance(code, str) or len(code) != 6 or not code.isdigit():
                continue  # not six digits: the pattern check says so, as an error
            if code.startswith(gbt2260.FICTIONAL_PREFIX):
                continue
            region = gbt2260.lookup(code)
            if region is None:
                out.append(warning(c.file, int(r["row_"]), "region_code", code, "region_unknown", t.name,
                                   source=gbt2260.SOURCE))
                continue
            for level in ("province", "city", "district"):
                given, expected = r.get(level), getattr(region, level)
                if isinstance(given, str) and given.strip() and expected and not _same(given.strip(), expected):
                    out.append(warning(c.file, int(r["row_"]), level, given, "region_name", t.name, region=code,
                                       expected=expected, **column_details(t.column(level))))
    return out


def upload_warnings(targets: list[Checked], lake_regions: dict[str, str] | None = None) -> list[Problem]:
    """Every warning of an upload's rows: amounts, rates, regions. ``lake_regions``: project id → region
    code of the lake's projects the upload's rows name (its own projects' codes are read from it)."""
    regions = dict(lake_regions or {})
    for c in targets:
        if c.table.name == "projects" and len(c.frame):
            regions.update({p: code for p, code in zip(c.frame["project_id"], c.frame["region_code"])
                            if isinstance(p, str) and isinstance(code, str)})
    return amount_warnings(targets, regions) + rate_warnings(targets) + region_warnings(targets)
