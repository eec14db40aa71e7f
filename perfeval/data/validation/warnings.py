"""Warnings: what looks wrong in an upload but may be right. Each is a `problems.Problem` of severity
``warning``: shown beside the errors (the import page, ``python -m perfeval import``), never blocking an import.

The rules (docs/data-model.md, "Warnings"):

- **an amount that looks like 元 in a 万元 column** (budget and payments, every column in 万元): per project
  of the upload, an amount is flagged when it is at least `RATIO` (1 000) times the median of the
  project's positive amounts in the upload (the other amount, where there are two; 元 instead of 万元 makes
  it 10 000 times too large, and amounts of one project rarely differ by 1 000 times), or, whatever the
  others, when it reaches `DISTRICT_LIMIT`
  (100 000 万元 = 10 亿元) for a project whose region code is a district or county (its last two digits are
  not 00), or `LIMIT` (1 000 000 万元 = 100 亿元) for any other project;
- **a rate above 1 that looks like a percentage** (95 typed for 95 %): a value above 1 in a row whose unit is
  ``%`` (outcomes.value, figures.value, targets.target_value / actual_value, outputs.planned / actual). The
  columns that are rates by the schema (max 1, e.g. surveys.satisfaction_rate) already refuse such a value;
- **a region code not in the bundled GB/T 2260 list** (perfeval.data.gbt2260; the fictional 99… codes of the
  demonstration data excepted), and a province / city / district name that differs from the code's.
"""
from __future__ import annotations

import re

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


def _g(v: float) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".") if not float(v).is_integer() else f"{int(v):,}"


def amount_warnings(targets: list[Checked], regions: dict[str, str]) -> list[Problem]:
    """The amounts of ``targets`` that look like 元 (see the module docstring); ``regions``: project id →
    region code, for the projects the upload names (its own and the lake's). Vectorised: only the amounts
    flagged become Python objects."""
    parts = []
    for i, c in enumerate(targets):
        if c.table.name not in AMOUNT_TABLES or not len(c.frame):
            continue
        for col in c.table.columns:
            if col.unit == "万元" and col.name in c.frame.columns:
                v = pd.to_numeric(c.frame[col.name], errors="coerce").astype("float64")
                keep = (v > 0) & c.frame["project_id"].notna()
                parts.append(pd.DataFrame({"target": i, "column": col.name, "pid": c.frame["project_id"][keep],
                                           "row": c.frame["row_"][keep], "v": v[keep]}))
    if not parts:
        return []
    df = pd.concat(parts, ignore_index=True)
    g = df.groupby("pid", sort=False)["v"]
    n, total, median = g.transform("size"), g.transform("sum"), g.transform("median")
    # the median of the project's other amounts: the other one where there are two; the median of all where
    # there are more (one amount 10 000 times too large barely moves it)
    base = median.where(n > 2, total - df["v"]).where(n > 1)
    is_district = {p: bool(re.fullmatch(r"[0-9]{4}(?!00)[0-9]{2}", str(regions.get(p) or "")))
                   for p in df["pid"].unique()}
    district = df["pid"].map(is_district).astype(bool)
    limit = district.map({True: DISTRICT_LIMIT, False: LIMIT})
    relative = (df["v"] >= RATIO * base).fillna(False).astype(bool)
    flagged = df[relative | (df["v"] >= limit)]
    result = []
    for idx, r in zip(flagged.index, flagged.itertuples(index=False)):
        c = targets[r.target]
        col = c.table.column(r.column)
        f, b = float(r.v), base[idx]
        if relative[idx]:
            reason = (f"是本项目金额中位数（{_g(b)} 万元）的 {f / b:,.0f} 倍",
                      f"{f / b:,.0f} times the median of the project's amounts ({_g(b)})")
        else:
            lim = float(limit[idx])
            reason = (f"达到 {_g(lim)} 万元（{'区县级' if district[idx] else ''}项目少有如此金额）",
                      f"at least {_g(lim)} (rare for a {'district ' if district[idx] else ''}project)")
        result.append(warning(c.file, int(r.row), col.name, _g(f), "amount_in_yuan", c.table.name,
                              reason_zh=reason[0], reason_en=reason[1], as_wan=_g(f / 10000), **column_details(col)))
    return result


def rate_warnings(targets: list[Checked]) -> list[Problem]:
    """Values above 1 in rows whose unit is % (see the module docstring)."""
    out = []
    for c in targets:
        columns = RATE_COLUMNS.get(c.table.name, ())
        if not columns or "unit" not in c.frame.columns or not len(c.frame):
            continue
        percent = c.frame["unit"].isin(["%", "％", " %", "% "])
        if not percent.any():
            continue
        for name in columns:
            col = c.table.column(name)
            v = pd.to_numeric(c.frame[name], errors="coerce").astype("float64")
            for row, f in zip(c.frame.loc[percent & (v > 1), "row_"].tolist(), v[percent & (v > 1)].tolist()):
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
