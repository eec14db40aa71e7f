"""The comparison code as it was before it was made fast at 100 000 projects (perfeval/compare.py and
perfeval/charts_compare.py of commit 31773b5, now perfeval/domain/compare.py and perfeval/charts/compare.py), kept verbatim as the reference that
tests/unit/test_compare_equivalence.py holds the new code to: same inputs, same results.

Not used by the app. Only the definitions that were replaced are here; the helpers they call that did
not change (framework_signature, short_region_label, fmt, base_layout …) come from the package.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from perfeval.charts.base import GRADE_COLORS, base_layout
from perfeval.charts.compare import _horizontal
from perfeval.domain.compare import (
    LAG_GAP,
    MIN_PEERS_FOR_FENCES,
    Fences,
    framework_signature,
)
from perfeval.text import fmt
from perfeval.text.i18n import Translator


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
    peers = v[ok]
    for i in np.flatnonzero(ok):
        x = v[i]
        better = (peers < x).sum() if higher_is_better else (peers > x).sum()
        ties = (peers == x).sum() - 1  # not itself
        out[i] = 100.0 * (better + 0.5 * ties) / (n - 1)
    return pd.Series(out, index=s.index)


def iqr_fences(values: Iterable[float], k: float = 1.5, min_n: int = MIN_PEERS_FOR_FENCES) -> Fences | None:
    """Q1 − k·IQR and Q3 + k·IQR over the non-missing values; None with fewer than ``min_n`` values
    (quartiles of three numbers say nothing)."""
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
    f = iqr_fences(s.tolist(), k, min_n)
    flags = []
    for x in s:
        if f is None or _isnan(x):
            flags.append(None)
        elif x < f.low:
            flags.append("low")
        elif x > f.high:
            flags.append("high")
        else:
            flags.append(None)
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
    parts = []
    for measure, part in long.groupby(measure_col, sort=False):
        part = part.copy()
        better_high = hib.get(measure, True)
        part["percentile"] = percentile_rank(part[value_col], better_high).to_numpy()
        part["outlier"] = outlier_flags(part[value_col]).to_numpy()
        vals = part[value_col].dropna()
        part["peer_median"] = float(vals.median()) if len(vals) else np.nan
        part["peers"] = int(len(vals))
        parts.append(part)
    if not parts:
        return long.assign(percentile=pd.Series(dtype="float64"), outlier=pd.Series(dtype="object"),
                           peer_median=pd.Series(dtype="float64"), peers=pd.Series(dtype="int64"))
    return pd.concat(parts, ignore_index=True)


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
    sign = pos[measure_col].map(lambda m: 1.0 if hib.get(m, True) else -1.0)
    pos["shortfall"] = (pos["peer_median"] - pos[value_col]) * sign
    worse_outlier = ((pos["outlier"] == "low") & (sign > 0)) | ((pos["outlier"] == "high") & (sign < 0))
    hit = (pos["peers"] >= min_peers) & pos[value_col].notna() & ((pos["shortfall"] > gap + 1e-12) | worse_outlier)
    out = pos[hit].copy()
    out["outlier"] = np.where(worse_outlier[hit], "low", None)
    return out.sort_values(["shortfall", unit_col], ascending=[False, True]).reset_index(drop=True)


def rates_long(indicators: pd.DataFrame, units: Sequence[str], keys: Sequence[str], unit_col: str = "unit",
               key_col: str = "indicator_key", rate_col: str = "score_rate") -> pd.DataFrame:
    """unit × indicator 得分率 for the chosen units and keys, one row each (NaN where a unit lacks a key),
    in the order of ``units`` and ``keys``. Several rows of one unit and key are pooled as
    Σscore / Σweight when ``score`` and ``weight`` are given, else averaged."""
    grid = pd.MultiIndex.from_product([list(units), list(keys)], names=[unit_col, key_col]).to_frame(index=False)
    part = indicators[indicators[unit_col].isin(units) & indicators[key_col].isin(keys)]
    if {"score", "weight"} <= set(part.columns):
        g = part.groupby([unit_col, key_col])[["score", "weight"]].sum(min_count=1).reset_index()
        g[rate_col] = g["score"] / g["weight"].where(g["weight"] > 0)
        g = g[[unit_col, key_col, rate_col]]
    else:
        g = part.groupby([unit_col, key_col])[rate_col].mean().reset_index()
    return grid.merge(g, on=[unit_col, key_col], how="left")


def project_profiles(projects: pd.DataFrame, level1: pd.DataFrame, with_weights: bool = True) -> pd.DataFrame:
    """One row per project (``unit`` = project_id) with category, framework signature, evaluator type
    and year, for `like_for_like`. ``level1``: compare_indicators rows of level 1."""
    sig = {pid: framework_signature(part, with_weights) for pid, part in level1.groupby("project_id")}
    return pd.DataFrame({
        "unit": projects["project_id"].to_numpy(),
        "category": projects["category"].to_numpy(),
        "framework": [sig.get(pid, "") for pid in projects["project_id"]],
        "evaluator_type": projects["evaluator_type"].to_numpy(),
        "year": [str(int(y)) if pd.notna(y) else "" for y in projects["year"]],
    })


def district_profiles(projects: pd.DataFrame, level1: pd.DataFrame) -> pd.DataFrame:
    """One row per region (``unit`` = region_code) summing up its projects for `like_for_like`: the
    categories, the level-1 structures (without weights: district rates pool Σscore / Σweight) and the
    years of its projects, each joined with "、". Evaluator types are left out: a district's mix of
    self- and third-party evaluations is part of what is compared, not a reason to refuse it."""
    prof = project_profiles(projects, level1, with_weights=False)
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
    parts = [pd.DataFrame({unit_col: units[unit_col].to_numpy(), "measure": name,
                           "value": pd.to_numeric(units[col], errors="coerce").to_numpy()})
             for name, col in columns.items() if col in units]
    if rates is not None and not rates.empty:
        parts.append(pd.DataFrame({unit_col: rates[unit_col].to_numpy(), "measure": rates["indicator_key"].to_numpy(),
                                   "value": rates["score_rate"].astype("float64").to_numpy()}))
    if not parts:
        return pd.DataFrame(columns=[unit_col, "measure", "value"])
    return pd.concat(parts, ignore_index=True)


def lagging_lines(summary: pd.DataFrame, level1: pd.DataFrame, t, lang: str = "zh",
                  gap: float = LAG_GAP) -> list[str]:
    """Markdown lines, one per lagging region, naming what it lags on (level-1 得分率, execution rate).

    ``summary``: district_summary rows plus ``unit_label``; ``level1``: district_indicators rows of
    level 1; ``t``: a Translator. Worst region first (see `lagging`)."""
    labels = dict(zip(summary["region_code"], summary["unit_label"]))
    names = {}
    for r in level1.drop_duplicates("indicator_key").to_dict("records"):
        names[r["indicator_key"]] = r["indicator_key"] if lang == "zh" else (r.get("name_en") or r["indicator_key"])
    exec_name = t("预算执行率", "Execution rate")
    long = pd.concat([
        pd.DataFrame({"unit": level1["region_code"], "measure": level1["indicator_key"],
                      "value": level1["score_rate"]}),
        pd.DataFrame({"unit": summary["region_code"], "measure": exec_name, "value": summary["execution_rate"]}),
    ], ignore_index=True)
    lag = lagging(long, gap=gap)
    lines = []
    for unit, part in lag.groupby("unit", sort=False):
        items = []
        for r in part.to_dict("records"):
            what = exec_name if r["measure"] == exec_name else t(f"{names.get(r['measure'], r['measure'])}得分率",
                                                                  f"{names.get(r['measure'], r['measure'])} score rate")
            mark = t("，离群", ", outlier") if r["outlier"] == "low" else ""
            items.append(t(f"{what} {fmt.pct(r['value'], lang, 1)}（中位数 {fmt.pct(r['peer_median'], lang, 1)}，"
                           f"低 {r['shortfall'] * 100:.1f} 个百分点{mark}）",
                           f"{what} {fmt.pct(r['value'], lang, 1)} (median {fmt.pct(r['peer_median'], lang, 1)}, "
                           f"{r['shortfall'] * 100:.1f} pp behind{mark})"))
        lines.append(f"**{labels.get(unit, unit)}**" + t("：", ": ") + t("；", "; ").join(items))
    return lines


def percentile_heatmap(df: pd.DataFrame, t: Translator) -> go.Figure:
    """Heat map of each unit's percentile (0–100) among its peers, per measure; outliers marked ▲/▼.

    ``df``: unit_label, measure_label, percentile, outlier ("low"/"high"/None), value_text.
    """
    units = list(dict.fromkeys(df["unit_label"]))
    measures = list(dict.fromkeys(df["measure_label"]))
    grid = df.pivot_table(index="unit_label", columns="measure_label", values="percentile",
                          aggfunc="first", dropna=False).reindex(index=units, columns=measures)
    text = []
    for u in units:
        row = []
        for m in measures:
            hit = df[(df["unit_label"] == u) & (df["measure_label"] == m)]
            if hit.empty or pd.isna(hit["percentile"].iloc[0]):
                row.append(fmt.not_reported(t.lang) if hit.empty or hit["value_text"].iloc[0] in ("", None)
                           else str(hit["value_text"].iloc[0]))
                continue
            r = hit.iloc[0]
            mark = {"low": " ▼", "high": " ▲"}.get(r["outlier"], "")
            row.append(f"P{r['percentile']:.0f}{mark}<br>{r['value_text']}")
        text.append(row)
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(dtype="float64"), x=measures, y=units, text=text, texttemplate="%{text}",
        zmin=0, zmax=100, colorscale=[[0, "#f8d7da"], [0.5, "#fff8e1"], [1, "#d1f0d9"]],
        colorbar=dict(title=t("百分位", "percentile"), ticksuffix=""), hoverongaps=False,
        hovertemplate="%{y} · %{x}<br>" + t("百分位", "percentile") + " %{z:.0f}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=0)
    title = t("同类百分位（▼ 低于下限 / ▲ 高于上限：四分位距离群值）",
              "Percentile among peers (▼ below / ▲ above the interquartile fences)")
    return base_layout(fig, title, height=max(260, 60 + 48 * len(units)))


def grade_by_unit(df: pd.DataFrame, t: Translator) -> go.Figure:
    """Stacked horizontal bars: projects per grade (优 良 中 差) for each unit (``unit_label``, grade_you,
    grade_liang, grade_zhong, grade_cha), units top-down in the given order."""
    fig = go.Figure()
    for col, grade, en in (("grade_you", "优", "excellent"), ("grade_liang", "良", "good"),
                           ("grade_zhong", "中", "fair"), ("grade_cha", "差", "poor")):
        fig.add_trace(go.Bar(
            y=df["unit_label"], x=df[col], orientation="h", name=t(grade, f"{grade} {en}"),
            marker_color=GRADE_COLORS[grade], hovertemplate="%{y}<br>" + grade + ": %{x}<extra></extra>",
        ))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=t("项目数", "projects"), rangemode="tozero")
    return _horizontal(fig, len(df), t("各地区评价等级分布", "Grades by district"))


def budget_vs_spent(df: pd.DataFrame, t: Translator) -> go.Figure:
    """Horizontal grouped bars per unit: budget and spent (万元), the execution rate (spent / received)
    written after the spending bar. ``df``: unit_label, budget, spent, execution_rate. A unit with no
    budget shows its spending only."""
    fig = go.Figure()
    wan = t("万元", "10k CNY")
    fig.add_trace(go.Bar(y=df["unit_label"], x=df["budget"], orientation="h", name=t("预算", "budget"),
                         marker_color="#d0d7de",
                         hovertemplate="%{y}<br>" + t("预算", "budget") + " %{x:,.2f} " + wan + "<extra></extra>"))
    fig.add_trace(go.Bar(
        y=df["unit_label"], x=df["spent"], orientation="h", name=t("实际支出", "spent"), marker_color="#2f81f7",
        text=[fmt.pct(v, t.lang, 1) if pd.notna(v) else "" for v in df["execution_rate"]],
        textposition="outside", cliponaxis=False, textfont=dict(size=12),
        hovertemplate="%{y}<br>" + t("支出", "spent") + " %{x:,.2f} " + wan + "<extra></extra>",
    ))
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_xaxes(title=wan, rangemode="tozero")
    return _horizontal(fig, len(df), t("各地区预算与实际支出（标注执行率）", "Budget and spending by district (execution rate)"))
