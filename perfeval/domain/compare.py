"""Comparison maths for the 地区对比 page and the overview's district section (pure, no Streamlit).

- `percentile_rank`: where a unit (district or project) stands among its peers, 0–100;
- `iqr_fences` / `outlier_flags`: Tukey's fences (Q1 − 1.5·IQR, Q3 + 1.5·IQR);
- `series_key` / `year_over_year`: the same district's same kind of project in consecutive years (同比);
- `like_for_like`: are the compared units comparable (category, indicator framework, evaluator, years)?
- `lagging`: which units fall behind their peers, and on which measure.

Rates are fractions (0.9312), scores points, percentiles 0–100. A missing value stays missing (NaN),
never zero: it has no percentile, is no outlier and changes nothing year on year.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from perfeval.text import fmt
from perfeval.text import glossary as terms

MIN_UNITS = 2
MAX_UNITS = 8
MIN_PEERS_FOR_FENCES = 4
LAG_GAP = 0.05  # lagging: more than 5 percentage points worse than the peers' median


# -- choosing units ---------------------------------------------------------------------------------

def isin(column: pd.Series, values) -> pd.Series:
    """``column.isin(values)``, fast for a text column and many values: pandas 3 turns each of ``values``
    into an Arrow scalar in Python (≈ 4 µs a value), here Arrow matches them at once. Same result,
    missing values included (a missing value matches a missing value)."""
    if not pd.api.types.is_string_dtype(column.dtype) or isinstance(column.dtype, np.dtype):
        return column.isin(values)
    vals = values.to_numpy(dtype=object) if isinstance(values, (pd.Series, pd.Index)) else list(values)
    if not all(v is None or isinstance(v, str) or (isinstance(v, float) and math.isnan(v)) for v in vals):
        return column.isin(values)  # numbers among the values: pandas' rules
    arr = pa.array(column.array)
    hit = pc.is_in(arr, value_set=pa.array(vals, type=arr.type, from_pandas=True))
    return pd.Series(hit.to_numpy(zero_copy_only=False), index=column.index, dtype=bool)


def parse_id_list(text: str | None, allowed: Iterable[str], limit: int = MAX_UNITS) -> tuple[list[str], list[str]]:
    """Ids from a URL value ``"a,b,c"``: (known ids in order, without repeats, at most ``limit``;
    the ids that are unknown or beyond the limit)."""
    allowed = set(allowed)
    ids, rejected = [], []
    for part in re.split(r"[,，\s]+", text or ""):
        part = part.strip()
        if not part or part in ids:
            continue
        if part in allowed and len(ids) < limit:
            ids.append(part)
        else:
            rejected.append(part)
    return ids, rejected


def default_districts(codes: Sequence[str], limit: int = MAX_UNITS) -> list[str]:
    """The districts to compare when none are chosen: those of the city (first four digits of the
    region code) with the most districts, first ``limit`` by code; all codes when no city has two."""
    codes = sorted(dict.fromkeys(str(c) for c in codes))
    by_city: dict[str, list[str]] = {}
    for c in codes:
        by_city.setdefault(c[:4], []).append(c)
    best = sorted(by_city.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    if best and len(best[0][1]) >= MIN_UNITS:
        return best[0][1][:limit]
    return codes[:limit]


def default_year(years_by_unit: pd.DataFrame, unit_col: str = "region_code", year_col: str = "year",
                 min_units: int = 3) -> int | None:
    """The latest year in which at least ``min_units`` units (or all of them, if fewer) have a project;
    None ("every year") when no year has that many."""
    if years_by_unit.empty:
        return None
    units = years_by_unit[unit_col].nunique()
    need = max(MIN_UNITS, min(min_units, units))
    per_year = years_by_unit.groupby(year_col)[unit_col].nunique()
    ok = per_year[per_year >= need]
    return int(ok.index.max()) if len(ok) else None


def default_projects(pool: pd.DataFrame, limit: int = 6) -> list[str]:
    """The projects to compare when none are chosen: the largest group of the same category and year
    (the latest year among equally large groups), first ``limit`` by region code."""
    if pool.empty:
        return []
    sizes = pool.groupby(["category", "year"]).size().reset_index(name="n")
    sizes = sizes.sort_values(["n", "year", "category"], ascending=[False, False, True])
    cat, year, n = sizes.iloc[0][["category", "year", "n"]]
    if n < MIN_UNITS:
        return list(pool.sort_values(["region_code", "project_id"])["project_id"])[:limit]
    part = pool[(pool["category"] == cat) & (pool["year"] == year)].sort_values(["region_code", "project_id"])
    return list(part["project_id"])[:limit]


# -- percentiles and outliers -----------------------------------------------------------------------

def percentile_rank(values: Sequence[float] | pd.Series, higher_is_better: bool = True) -> pd.Series:
    """Each value's percentile among the others, 0–100: the share of the *other* non-missing values it
    beats, a tie counting half. The best of n scores 100, the worst 0, the middle 50.

    Missing values get NaN and are nobody's peer; a lone value (no peers) gets NaN.
    ``higher_is_better=False`` ranks the smallest value best (e.g. a cost).
    """
    s = pd.Series(values, dtype="float64") if not isinstance(values, pd.Series) else values.astype("float64")
    v = s.to_numpy()
    ok = ~np.isnan(v)
    out = np.full(len(v), np.nan)
    n = int(ok.sum())
    if n < 2:
        return pd.Series(out, index=s.index)
    # each value's count of values below it and of values equal to it (itself included), by sorting once
    _, which, equal = np.unique(v[ok], return_inverse=True, return_counts=True)
    below = (np.cumsum(equal) - equal)[which]
    same = equal[which]
    better = below if higher_is_better else n - below - same
    ties = same - 1  # not itself
    out[ok] = 100.0 * (better + 0.5 * ties) / (n - 1)
    return pd.Series(out, index=s.index)


@dataclass(frozen=True)
class Fences:
    """Tukey's fences of a set of values: quartiles by linear interpolation, IQR = Q3 − Q1."""

    q1: float
    q3: float
    iqr: float
    low: float
    high: float
    n: int


def iqr_fences(values: Iterable[float], k: float = 1.5, min_n: int = MIN_PEERS_FOR_FENCES) -> Fences | None:
    """Q1 − k·IQR and Q3 + k·IQR over the non-missing values; None with fewer than ``min_n`` values
    (quartiles of three numbers say nothing)."""
    arr = None
    if isinstance(values, (pd.Series, np.ndarray, list, tuple)):
        try:  # numbers (None = missing) convert at once; anything else goes value by value
            arr = np.asarray(values, dtype="float64")
        except (TypeError, ValueError):
            arr = None
    if arr is not None:
        arr = arr[~np.isnan(arr)]
    else:
        arr = np.asarray([float(x) for x in values if x is not None and not _isnan(x)], dtype="float64")
    if len(arr) < min_n:
        return None
    q1, q3 = (float(q) for q in np.quantile(arr, [0.25, 0.75], method="linear"))
    iqr = q3 - q1
    return Fences(q1, q3, iqr, q1 - k * iqr, q3 + k * iqr, int(len(arr)))


def outlier_flags(values: Sequence[float] | pd.Series, k: float = 1.5,
                  min_n: int = MIN_PEERS_FOR_FENCES) -> pd.Series:
    """"low" / "high" for values outside Tukey's fences, None otherwise (and for missing values)."""
    s = pd.Series(values, dtype="float64") if not isinstance(values, pd.Series) else values.astype("float64")
    v = s.to_numpy()
    f = iqr_fences(v, k, min_n)
    flags = np.full(len(v), None, dtype="object")
    if f is not None:  # NaN compares false both ways: a missing value is no outlier
        flags[v < f.low] = "low"
        flags[v > f.high] = "high"
    return pd.Series(flags, index=s.index, dtype="object")


def _isnan(x) -> bool:
    try:
        return x is None or (isinstance(x, float) and math.isnan(x)) or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def peer_positions(long: pd.DataFrame, higher_is_better: Mapping[str, bool] | None = None,
                   unit_col: str = "unit", measure_col: str = "measure", value_col: str = "value") -> pd.DataFrame:
    """Percentile, outlier flag and peer median of every unit on every measure.

    ``long`` has one row per unit × measure (the whole peer pool, not only the units shown). Returns the
    same rows plus ``percentile`` (0–100), ``outlier`` ("low"/"high"/None, in the measure's own
    direction: a low outlier of a lower-is-better measure is flagged "high"), ``peer_median`` and
    ``peers`` (how many units have a value).
    """
    hib = dict(higher_is_better or {})
    codes, measures = pd.factorize(long[measure_col], sort=False)  # measures in order of appearance
    keep = np.flatnonzero(codes >= 0)  # a row without a measure belongs to no group
    if not len(keep):
        return long.assign(percentile=pd.Series(dtype="float64"), outlier=pd.Series(dtype="object"),
                           peer_median=pd.Series(dtype="float64"), peers=pd.Series(dtype="int64"))
    order = keep[np.argsort(codes[keep], kind="stable")]  # grouped by measure, rows in their order
    out = long.iloc[order].reset_index(drop=True)
    code = codes[order]
    v = out[value_col].astype("float64").to_numpy()
    percentile = np.full(len(v), np.nan)
    outlier = np.full(len(v), None, dtype="object")
    median = np.full(len(v), np.nan)
    peers = np.zeros(len(v), dtype="int64")
    starts = np.r_[0, np.flatnonzero(np.diff(code)) + 1]
    for a, b in zip(starts, np.r_[starts[1:], len(v)]):
        seg = pd.Series(v[a:b])
        percentile[a:b] = percentile_rank(seg, hib.get(measures[code[a]], True)).to_numpy()
        outlier[a:b] = outlier_flags(seg).to_numpy()
        vals = seg.dropna()
        median[a:b] = float(vals.median()) if len(vals) else np.nan
        peers[a:b] = len(vals)
    return out.assign(percentile=percentile, outlier=pd.Series(outlier, dtype="object"), peer_median=median,
                      peers=peers)


def lagging(long: pd.DataFrame, higher_is_better: Mapping[str, bool] | None = None, gap: float = 0.05,
            min_peers: int = 3, unit_col: str = "unit", measure_col: str = "measure",
            value_col: str = "value") -> pd.DataFrame:
    """The units that fall behind their peers, and on what.

    A unit lags on a measure when its value is worse than the peers' median by more than ``gap`` (in
    the measure's unit: 0.05 = 5 percentage points for a rate) or is a low Tukey outlier, among at
    least ``min_peers`` units with a value. Returns one row per unit × lagging measure with ``value``,
    ``peer_median``, ``shortfall`` (how far behind the median, > 0) and ``outlier``, the worst first.
    """
    hib = dict(higher_is_better or {})
    pos = peer_positions(long, hib, unit_col, measure_col, value_col)
    if pos.empty:
        return pos.assign(shortfall=pd.Series(dtype="float64"))
    sign = pos[measure_col].map({m: 1.0 if hib.get(m, True) else -1.0 for m in pos[measure_col].unique()})
    pos["shortfall"] = (pos["peer_median"] - pos[value_col]) * sign
    worse_outlier = ((pos["outlier"] == "low") & (sign > 0)) | ((pos["outlier"] == "high") & (sign < 0))
    hit = (pos["peers"] >= min_peers) & pos[value_col].notna() & ((pos["shortfall"] > gap + 1e-12) | worse_outlier)
    out = pos[hit].copy()
    out["outlier"] = np.where(worse_outlier[hit], "low", None)
    return out.sort_values(["shortfall", unit_col], ascending=[False, True]).reset_index(drop=True)


# -- year over year ---------------------------------------------------------------------------------

_YEAR_WORDS = re.compile(r"(19|20)\d{2}\s*(年度|年)?\s*([—–\-至~到]\s*(19|20)\d{2}\s*(年度|年)?)?")


def series_key(name: str, region_code: str, category: str | None = None) -> str:
    """What stays the same when a project repeats: region, category and the name without its years
    ("示例一区2023年反诈骗…项目" and "示例一区2024年反诈骗…项目" share a key)."""
    base = re.sub(r"\s+", "", strip_years(name))
    return f"{region_code}|{category or ''}|{base}"


def strip_years(text: str) -> str:
    """A name without its years: "示例一区蓝马甲 2024" → "示例一区蓝马甲"."""
    base = _YEAR_WORDS.sub("", str(text or ""))
    return re.sub(r"[（(]\s*[)）]", "", base).strip()


def year_over_year(df: pd.DataFrame, value_cols: Sequence[str], key_col: str = "series",
                   year_col: str = "year", id_col: str = "project_id") -> pd.DataFrame:
    """同比: each row whose series also has a row the year before, with that year's values and the change.

    ``df`` has one row per project: a series key, a year and the values. Only consecutive years pair
    up (2022→2023, not 2022→2024); a series with two rows in one year is ambiguous and left out.
    Returns ``id_col``, key, year, ``prev_<id_col>``, and for each value column ``v``: ``v``,
    ``prev_v`` and ``change_v`` = v − prev_v (NaN when either is missing).
    """
    cols = [id_col, key_col, year_col, *value_cols]
    if df.empty:
        return pd.DataFrame(columns=[*cols, f"prev_{id_col}", *[f"prev_{v}" for v in value_cols],
                                     *[f"change_{v}" for v in value_cols]])
    d = df[cols].copy()
    counts = d.groupby([key_col, year_col])[id_col].transform("count")
    d = d[counts == 1]
    prev = d.rename(columns={id_col: f"prev_{id_col}", **{v: f"prev_{v}" for v in value_cols}}).copy()
    prev[year_col] = prev[year_col] + 1
    out = d.merge(prev, on=[key_col, year_col], how="inner")
    for v in value_cols:
        out[f"change_{v}"] = out[v] - out[f"prev_{v}"]
    return out.sort_values([key_col, year_col]).reset_index(drop=True)


# -- like for like ----------------------------------------------------------------------------------

def framework_signature(level1: pd.DataFrame, with_weights: bool = True) -> str:
    """A project's level-1 structure as text: "决策/过程/产出/效益 (21/19/30/30)"; "" with no tree.

    ``level1``: the project's level-1 rows (indicator_key, weight, sort_order) of compare_indicators.
    queries/compare_frameworks.sql writes the same text for many projects at once (the page uses that).
    """
    if level1 is None or level1.empty:
        return ""
    part = level1.sort_values(["sort_order", "indicator_key"]) if "sort_order" in level1 else level1
    keys = "/".join(str(k) for k in part["indicator_key"])
    if not with_weights:
        return keys
    w = "/".join("?" if _isnan(x) else f"{float(x):g}" for x in part["weight"])
    return f"{keys} ({w})"


@dataclass(frozen=True)
class Comparability:
    """The like-for-like check of a set of units.

    ``shared``: indicator keys every unit gives (in first-seen order); ``all_keys``: any unit gives;
    ``missing``: unit → keys it lacks; ``warnings``: (code, zh, en) for each way the units differ.
    """

    shared: list[str]
    all_keys: list[str]
    missing: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def comparable(self) -> bool:
        return not self.warnings


def _distinct(values: Iterable) -> list[str]:
    out = []
    for v in values:
        if _isnan(v) or v == "":
            continue
        for part in str(v).split("、"):
            if part and part not in out:
                out.append(part)
    return out


def like_for_like(profile: pd.DataFrame, indicators: pd.DataFrame, unit_col: str = "unit",
                  key_col: str = "indicator_key") -> Comparability:
    """Check that the units compare like with like, and find the indicators they share.

    ``profile``: one row per unit with ``category``, ``framework`` (a `framework_signature`, "" when
    only a total is given), and optionally ``evaluator_type`` and ``year`` (several values of a district
    joined with "、"). ``indicators``: unit × indicator_key rows (the indicators each unit gives).
    Warns when categories, frameworks, evaluator types or years differ, and when a unit has no
    indicator breakdown at all.
    """
    units = list(dict.fromkeys(profile[unit_col]))
    keys_by_unit = {u: list(dict.fromkeys(indicators.loc[indicators[unit_col] == u, key_col])) for u in units}
    all_keys: list[str] = []
    for u in units:
        for k in keys_by_unit[u]:
            if k not in all_keys:
                all_keys.append(k)
    with_tree = [u for u in units if keys_by_unit[u]]
    shared = [k for k in all_keys if with_tree and all(k in keys_by_unit[u] for u in with_tree)]
    missing = {u: [k for k in all_keys if k not in keys_by_unit[u]] for u in units}
    warnings: list[tuple[str, str, str]] = []

    def differs(col: str) -> list[str] | None:
        if col not in profile:
            return None
        per_unit = [tuple(sorted(_distinct([v]))) for v in profile[col]]
        if len(set(per_unit)) > 1:
            return _distinct(profile[col])
        return None

    cats = differs("category")
    if cats:
        warnings.append(("category", f"项目类别不同（{'、'.join(cats)}），对比仅供参考。",
                         f"The categories differ ({', '.join(cats)}): compare with care."))
    fw = profile["framework"] if "framework" in profile else pd.Series(dtype="object")
    fws = {str(v) for v in fw if not _isnan(v) and str(v)}
    if len(fws) > 1:
        warnings.append(("framework", "指标体系不同（一级指标或分值不一致）：默认只比较共有指标的得分率。",
                         "The indicator frameworks differ (level-1 indicators or weights): only the "
                         "shared indicators' score rates are compared by default."))
    no_tree = [u for u in units if not keys_by_unit[u]]
    if no_tree and len(no_tree) < len(units):
        warnings.append(("no_tree", f"{len(no_tree)} 个对象未披露分项得分（仅有总分），不参与指标对比。",
                         f"{len(no_tree)} of them give no breakdown (total only) and are left out of "
                         "the indicator comparison."))
    ev = differs("evaluator_type")
    if ev:
        warnings.append(("evaluator", f"评价方式不同（{'、'.join(ev)}）：自评与第三方评价的得分不宜直接比较。",
                         f"The evaluator types differ ({', '.join(ev)}): self-evaluations and "
                         "third-party scores are not directly comparable."))
    yrs = differs("year")
    if yrs:
        warnings.append(("year", f"评价年度不同（{'、'.join(sorted(yrs))}）。",
                         f"The evaluated years differ ({', '.join(sorted(yrs))})."))
    return Comparability(shared, all_keys, missing, warnings)


def rates_long(indicators: pd.DataFrame, units: Sequence[str], keys: Sequence[str], unit_col: str = "unit",
               key_col: str = "indicator_key", rate_col: str = "score_rate") -> pd.DataFrame:
    """unit × indicator 得分率 for the chosen units and keys, one row each (NaN where a unit lacks a key),
    in the order of ``units`` and ``keys``. Several rows of one unit and key are pooled as
    Σscore / Σweight when ``score`` and ``weight`` are given, else averaged."""
    uu = pd.Index(units) if isinstance(units, (pd.Series, pd.Index)) else pd.Index(list(units))
    kk = pd.Index(keys) if isinstance(keys, (pd.Series, pd.Index)) else pd.Index(list(keys))
    grid = pd.DataFrame({unit_col: uu.take(np.repeat(np.arange(len(uu)), len(kk))),
                         key_col: kk.take(np.tile(np.arange(len(kk)), len(uu)))})
    part = indicators[isin(indicators[unit_col], units) & isin(indicators[key_col], keys)]
    if {"score", "weight"} <= set(part.columns):
        g = part.groupby([unit_col, key_col])[["score", "weight"]].sum(min_count=1).reset_index()
        g[rate_col] = g["score"] / g["weight"].where(g["weight"] > 0)
    else:
        g = part.groupby([unit_col, key_col])[rate_col].mean().reset_index()
    # each pooled rate to its place on the grid, by position (a merge on two text columns is slow with
    # thousands of units; same result as grid.merge(g, how="left"))
    u1, k1 = pd.Index(uu.unique()), pd.Index(kk.unique())
    table = np.full((len(u1), len(k1)), np.nan)
    table[u1.get_indexer(g[unit_col]), k1.get_indexer(g[key_col])] = g[rate_col].astype("float64").to_numpy()
    grid[rate_col] = table[np.repeat(u1.get_indexer(uu), len(kk)), np.tile(k1.get_indexer(kk), len(uu))]
    return grid


# -- frames the comparison views are drawn from -----------------------------------------------------

def short_region_label(row: Mapping) -> str:
    """The most specific name of a region: 示例一区, 天水市, 天津市."""
    for col in ("district", "city", "province"):
        v = row.get(col)
        if isinstance(v, str) and v.strip():
            return v
    return str(row.get("region_code", ""))


def unique_region_labels(df: pd.DataFrame) -> list[str]:
    """A label per row of ``df`` (columns region_code, province, city, district, region_short) that tells
    the regions apart: the short name (福田区) where it is unique among the rows, else the city and district
    (天津市第03区), else province, city and district, else that plus the region code. Across a country many
    districts share a name (第03区), and a chart grouped by a shared label would merge them."""
    def joined(cols):  # the non-blank names of ``cols`` run together, vectorised (thousands of regions)
        out = pd.Series("", index=df.index, dtype="string")
        for c in cols:
            if c in df.columns:
                v = df[c].astype("string").fillna("")
                out = out + v.where(v.str.strip() != "", "")
        return out.tolist()

    labels = list(df["region_short"].astype(str))
    for cols in (("city", "district"), ("province", "city", "district")):
        counts = Counter(labels)
        if all(n == 1 for n in counts.values()):
            return labels
        labels = [c if counts[lab] > 1 and c else lab for lab, c in zip(labels, joined(cols))]
    counts = Counter(labels)
    return [f"{lab}（{code}）" if counts[lab] > 1 else lab for lab, code in zip(labels, df["region_code"].astype(str))]


def with_series(projects: pd.DataFrame) -> pd.DataFrame:
    """``projects`` (compare_projects rows) plus ``region_short`` (`short_region_label`) and ``series``
    (`series_key`). Per row: pass the projects shown, not the whole pool."""
    places = projects[[c for c in ("province", "city", "district", "region_code") if c in projects]]
    return projects.assign(
        region_short=[short_region_label(r) for r in places.to_dict("records")],
        series=[series_key(n, c, k) for n, c, k in zip(projects["name"], projects["region_code"], projects["category"])],
    )


def project_profiles(projects: pd.DataFrame, frameworks: pd.DataFrame, with_weights: bool = True) -> pd.DataFrame:
    """One row per project (``unit`` = project_id) with category, framework signature, evaluator type
    and year, for `like_for_like`. ``frameworks``: compare_frameworks rows (project_id, framework_keys,
    framework_signature: `framework_signature` of the project's level 1, computed in SQL); a project
    without a row has no tree (""). Pass only the projects compared: the work is per project."""
    col = "framework_signature" if with_weights else "framework_keys"
    ids = projects["project_id"]
    mine = frameworks[frameworks["project_id"].isin(ids)]
    sig = dict(zip(mine["project_id"].to_numpy(dtype=object), mine[col].to_numpy(dtype=object)))
    return pd.DataFrame({
        "unit": ids.to_numpy(),
        "category": projects["category"].to_numpy(),
        "framework": [sig.get(pid, "") for pid in ids],
        "evaluator_type": projects["evaluator_type"].to_numpy(),
        "year": [str(int(y)) if pd.notna(y) else "" for y in projects["year"]],
    })


def district_profiles(projects: pd.DataFrame, frameworks: pd.DataFrame) -> pd.DataFrame:
    """One row per region (``unit`` = region_code) summing up its projects for `like_for_like`: the
    categories, the level-1 structures (without weights: district rates pool Σscore / Σweight) and the
    years of its projects, each joined with "、". Evaluator types are left out: a district's mix of
    self- and third-party evaluations is part of what is compared, not a reason to refuse it.
    ``projects``: the compared regions' projects only; ``frameworks`` as in `project_profiles`."""
    prof = project_profiles(projects, frameworks, with_weights=False)
    prof["region_code"] = projects["region_code"].to_numpy()

    def joined(values) -> str:
        return "、".join(sorted({str(v) for v in values if isinstance(v, str) and v}))

    rows = []
    for code, part in prof.groupby("region_code", sort=False):
        rows.append({"unit": code, "category": joined(part["category"]),
                     "framework": joined(part["framework"]) if (part["framework"] != "").any() else "",
                     "year": joined(part["year"])})
    return pd.DataFrame(rows, columns=["unit", "category", "framework", "year"])


def measures_long(units: pd.DataFrame, columns: Mapping[str, str], rates: pd.DataFrame | None = None,
                  unit_col: str = "unit") -> pd.DataFrame:
    """unit × measure values for `peer_positions`: ``columns`` maps a measure name to a column of
    ``units`` (score, execution_rate …); ``rates`` (unit, indicator_key, score_rate) adds one measure per
    indicator, named by its key."""
    def text(col: pd.Series):  # an Arrow text column as it is (converting it to Python objects is slow)
        return col.reset_index(drop=True) if isinstance(col.dtype, pd.StringDtype) else col.to_numpy()

    parts = [pd.DataFrame({unit_col: text(units[unit_col]), "measure": name,
                           "value": pd.to_numeric(units[col], errors="coerce").to_numpy()})
             for name, col in columns.items() if col in units]
    if rates is not None and not rates.empty:
        parts.append(pd.DataFrame({unit_col: text(rates[unit_col]), "measure": text(rates["indicator_key"]),
                                   "value": rates["score_rate"].astype("float64").to_numpy()}))
    if not parts:
        return pd.DataFrame(columns=[unit_col, "measure", "value"])
    return pd.concat(parts, ignore_index=True)


def lagging_lines(summary: pd.DataFrame, level1: pd.DataFrame, t, lang: str = "zh",
                  gap: float = LAG_GAP) -> list[str]:
    """Markdown lines, one per lagging region, naming what it lags on (level-1 得分率, execution rate).

    ``summary``: district_summary rows plus ``unit_label``; ``level1``: district_indicators rows of
    level 1; ``t``: a Translator. Worst region first (see `lagging`)."""
    labels = dict(zip(summary["region_code"].to_numpy(dtype=object), summary["unit_label"].to_numpy(dtype=object)))
    names = {}
    for r in level1.drop_duplicates("indicator_key").to_dict("records"):
        names[r["indicator_key"]] = r["indicator_key"] if lang == "zh" else (r.get("name_en") or r["indicator_key"])
    exec_name = t(terms.EXECUTION_RATE)
    long = pd.concat([
        pd.DataFrame({"unit": level1["region_code"], "measure": level1["indicator_key"],
                      "value": level1["score_rate"]}),
        pd.DataFrame({"unit": summary["region_code"], "measure": exec_name, "value": summary["execution_rate"]}),
    ], ignore_index=True)
    lag = lagging(long, gap=gap)
    items: dict[str, list[str]] = {}  # unit → its lagging measures, units in the order of `lagging`
    cols = ("unit", "measure", "value", "peer_median", "shortfall", "outlier")
    for unit, measure, value, median, shortfall, outlier in zip(*(lag[c].to_numpy(dtype=object) for c in cols)):
        what = exec_name if measure == exec_name else t(f"{names.get(measure, measure)}得分率",
                                                        f"{names.get(measure, measure)} score rate")
        mark = t("，离群", ", outlier") if outlier == "low" else ""
        items.setdefault(unit, []).append(
            t(f"{what} {fmt.pct(value, lang, 1)}（中位数 {fmt.pct(median, lang, 1)}，"
              f"低 {shortfall * 100:.1f} 个百分点{mark}）",
              f"{what} {fmt.pct(value, lang, 1)} (median {fmt.pct(median, lang, 1)}, "
              f"{shortfall * 100:.1f} pp behind{mark})"))
    return [f"**{labels.get(unit, unit)}**" + t("：", ": ") + t("；", "; ").join(parts)
            for unit, parts in items.items()]
