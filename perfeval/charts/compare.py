"""Chart builders of the comparison views: DataFrame in, plotly Figure out. No Streamlit, no data access.

Rates arrive as fractions and are drawn as %. A missing value is left out of a chart (and named in
the subtitle where that matters), never drawn as zero.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from perfeval.charts.base import GRADE_COLORS, base_layout
from perfeval.text import fmt
from perfeval.text import glossary as terms
from perfeval.text.i18n import Translator

# A qualitative palette readable on a projector (8 units at most are compared).
MISSING_FILL = "#eaeef2"  # the grey of a heat-map cell that is not reported (its text says 未披露)
PALETTE = ("#2f81f7", "#d29922", "#1a7f37", "#cf222e", "#8250df", "#0e8a9e", "#bc4c00", "#6e7781")


def _color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def rates_bars(df: pd.DataFrame, t: Translator, title: str | None = None) -> go.Figure:
    """Grouped bars of 得分率 (%): one group per indicator, one bar per unit.

    ``df``: unit_label, indicator, score_rate (fraction; NaN = not reported, no bar), in display order.
    """
    fig = go.Figure()
    indicators = list(dict.fromkeys(df["indicator"]))
    units = df["unit_label"].nunique()
    for i, (unit, part) in enumerate(df.groupby("unit_label", sort=False)):
        part = part.set_index("indicator").reindex(indicators)
        y = part["score_rate"] * 100
        # values as text only while they fit above the bars; the hover always has them
        text = [fmt.pct(v, t.lang, 1) if pd.notna(v) else "" for v in part["score_rate"]] if units <= 3 else None
        fig.add_trace(go.Bar(
            x=indicators, y=y, name=str(unit), marker_color=_color(i),
            text=text, textposition="outside", cliponaxis=False,
            hovertemplate=str(unit) + "<br>%{x}: %{y:.2f}%<extra></extra>",
        ))
    fig.update_layout(barmode="group", bargap=0.25)
    low = df["score_rate"].dropna()
    floor = 0 if low.empty else max(0, min(60, (float(low.min()) * 100 // 10) * 10 - 10))
    fig.update_yaxes(title=t("得分率（%）", "score rate (%)"), ticksuffix="%", range=[floor, 105])
    return base_layout(fig, title or t("一级指标得分率对比", "Level-1 score rates side by side"), height=420)


def rates_radar(df: pd.DataFrame, t: Translator, title: str | None = None) -> go.Figure:
    """Radar of 得分率 (%), one closed line per unit over the indicators (same input as `rates_bars`).

    A unit missing an indicator is drawn without that point (the line jumps over it)."""
    fig = go.Figure()
    indicators = list(dict.fromkeys(df["indicator"]))
    for i, (unit, part) in enumerate(df.groupby("unit_label", sort=False)):
        part = part.set_index("indicator").reindex(indicators)
        r = list(part["score_rate"] * 100)
        fig.add_trace(go.Scatterpolar(
            r=r + r[:1], theta=indicators + indicators[:1], name=str(unit), mode="lines+markers",
            line=dict(color=_color(i), width=2), connectgaps=False,
            hovertemplate=str(unit) + "<br>%{theta}: %{r:.2f}%<extra></extra>",
        ))
    low = df["score_rate"].dropna()
    floor = 0 if low.empty else max(0, min(60, (float(low.min()) * 100 // 10) * 10 - 10))
    fig.update_layout(polar=dict(radialaxis=dict(range=[floor, 100], ticksuffix="%")))
    return base_layout(fig, title or t("一级指标得分率对比", "Level-1 score rates side by side"), height=460)


def percentile_heatmap(df: pd.DataFrame, t: Translator) -> go.Figure:
    """Heat map of each unit's percentile (0–100) among its peers, per measure; outliers marked ▲/▼.

    ``df``: unit_label, measure_label, percentile, outlier ("low"/"high"/None), value_text.
    """
    units = list(dict.fromkeys(df["unit_label"]))
    measures = list(dict.fromkeys(df["measure_label"]))
    grid = df.pivot_table(index="unit_label", columns="measure_label", values="percentile",
                          aggfunc="first", dropna=False).reindex(index=units, columns=measures)
    first = {}  # (unit, measure) → its first row
    for r in df[["unit_label", "measure_label", "percentile", "outlier", "value_text"]].to_dict("records"):
        if pd.notna(r["unit_label"]) and pd.notna(r["measure_label"]):  # a missing label matches nothing
            first.setdefault((r["unit_label"], r["measure_label"]), r)
    text = []  # a cell without a percentile is drawn grey underneath (gaps below), never in a colour
    z = grid.to_numpy(dtype="float64", copy=True)
    for i, u in enumerate(units):
        row = []
        for j, m in enumerate(measures):
            r = first.get((u, m))
            if r is not None and fmt.is_not_reported(r["value_text"]):
                z[i, j] = np.nan  # a value not reported has no percentile, whatever was computed
            if r is None or pd.isna(r["percentile"]) or np.isnan(z[i, j]):
                row.append(fmt.not_reported(t.lang) if r is None or r["value_text"] in ("", None)
                           else str(r["value_text"]))
                continue
            mark = {"low": " ▼", "high": " ▲"}.get(r["outlier"], "")
            row.append(f"P{r['percentile']:.0f}{mark}<br>{r['value_text']}")
        text.append(row)
    gaps = np.where(np.isnan(z), 1.0, np.nan)
    fig = go.Figure()
    if not np.isnan(gaps).all():  # 未披露 cells: a grey layer under the percentiles (one rule for missing)
        fig.add_trace(go.Heatmap(z=gaps, x=measures, y=units, zmin=0, zmax=1, showscale=False, hoverinfo="skip",
                                 colorscale=[[0, MISSING_FILL], [1, MISSING_FILL]]))
    fig.add_trace(go.Heatmap(
        z=z, x=measures, y=units, text=text, texttemplate="%{text}",
        zmin=0, zmax=100, colorscale=[[0, "#f8d7da"], [0.5, "#fff8e1"], [1, "#d1f0d9"]],
        colorbar=dict(title=t("百分位", "percentile"), ticksuffix=""), hoverongaps=False,
        hovertemplate="%{y} · %{x}<br>" + t("百分位", "percentile") + " %{z:.0f}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=0)
    title = t("同类百分位（▼ 低于下限 / ▲ 高于上限：四分位距离群值）",
              "Percentile among peers (▼ below / ▲ above the interquartile fences)")
    return base_layout(fig, title, height=max(260, 60 + 48 * len(units)))


def _array(values):
    """A column as a plain numpy array for a trace: plotly copies a Series or a list value by value (tens of
    milliseconds for a few thousand districts) but an array at once, and writes the same figure."""
    if isinstance(values, pd.Series):
        if isinstance(values.dtype, np.dtype) and values.dtype.kind in "fiub":
            return values.to_numpy()
        if pd.api.types.is_string_dtype(values.dtype) and not values.isna().any():
            return np.asarray(values.tolist())
        return values  # anything else as it is
    return np.asarray(list(values))


def _horizontal(fig: go.Figure, n: int, title: str) -> go.Figure:
    """Units down the y axis in the given order (first on top), legend above the plot."""
    base_layout(fig, title, height=140 + 30 * max(n, 3))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_layout(legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0, xanchor="left", traceorder="normal"),
                      margin=dict(l=10, r=30, t=80, b=30))
    return fig


def grade_by_unit(df: pd.DataFrame, t: Translator) -> go.Figure:
    """Stacked horizontal bars: projects per grade (优 良 中 差) for each unit (``unit_label``, grade_you,
    grade_liang, grade_zhong, grade_cha), units top-down in the given order."""
    fig = go.Figure()
    units = _array(df["unit_label"])
    for col, grade, en in (("grade_you", "优", "excellent"), ("grade_liang", "良", "good"),
                           ("grade_zhong", "中", "fair"), ("grade_cha", "差", "poor")):
        fig.add_trace(go.Bar(
            y=units, x=_array(df[col]), orientation="h", name=t(grade, f"{grade} {en}"),
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
    wan = t(terms.WAN)
    units = _array(df["unit_label"])
    fig.add_trace(go.Bar(y=units, x=_array(df["budget"]), orientation="h", name=t("预算", "budget"),
                         marker_color="#d0d7de",
                         hovertemplate="%{y}<br>" + t("预算", "budget") + " %{x:,.2f} " + wan + "<extra></extra>"))
    fig.add_trace(go.Bar(
        y=units, x=_array(df["spent"]), orientation="h", name=t("实际支出", "spent"), marker_color="#2f81f7",
        text=_array(fmt.pct(v, t.lang, 1) if pd.notna(v) else "" for v in df["execution_rate"]),
        textposition="outside", cliponaxis=False, textfont=dict(size=12),
        hovertemplate="%{y}<br>" + t("支出", "spent") + " %{x:,.2f} " + wan + "<extra></extra>",
    ))
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_xaxes(title=wan, rangemode="tozero")
    return _horizontal(fig, len(df), t("各地区预算与实际支出（标注执行率）", "Budget and spending by district (execution rate)"))


def yoy_lines(df: pd.DataFrame, t: Translator, value_col: str = "reported_total_score") -> go.Figure:
    """Lines of a value by year, one per series (``series_label``, year, value); points where a year is
    missing are not joined across the gap."""
    fig = go.Figure()
    years = sorted(int(y) for y in df["year"].dropna().unique())
    for i, (label, part) in enumerate(df.groupby("series_label", sort=False)):
        part = part.set_index("year").reindex(years)
        fig.add_trace(go.Scatter(
            x=[str(y) for y in years], y=part[value_col], name=str(label), mode="lines+markers",
            line=dict(color=_color(i)), connectgaps=False,
            hovertemplate=str(label) + "<br>%{x}: %{y:.2f}<extra></extra>",
        ))
    fig.update_xaxes(title=t("年度", "year"), type="category")
    fig.update_yaxes(title=t("报告总分", "reported total score"))
    return base_layout(fig, t("历年得分（同比）", "Score by year (year on year)"), height=360)
