"""Chart builders for the budget page: DataFrame / readings in, plotly Figure out. No Streamlit, no data access.

Amounts are 万元, rates fractions (shown as %). A figure a report leaves out is named as 未披露, never drawn
as zero.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from perfeval.charts.base import NEUTRAL, base_layout
from perfeval.domain.budget import (
    EXECUTION_CEILING,
    NEAR_BAND,
    STEP_LABELS,
    GaugeReading,
    gauge_reading,
    status_text,
)
from perfeval.domain.survey import clean
from perfeval.text import fmt
from perfeval.text import glossary as terms
from perfeval.text.i18n import Translator

BAND_COLORS = ("#fbe3e4", "#fdf1d6", "#dcf2e3")  # below / near / at or above target
MONEY_COLORS = {"initial_budget": "#d0d7de", "adjusted_budget": "#8c959f", "budget": "#8c959f",
                "estimated_investment": "#e6e1f5", "received": "#2f81f7", "spent": "#1a7f37",
                "paid": "#54aeff"}


def _sub(title: str, subtitle: str | None) -> str:
    return title if not subtitle else f"{title}<br><sup>{subtitle}</sup>"


def rate_gauge(reading: GaugeReading, title: str, t: Translator, subtitle: str | None = None,
               height: int = 260) -> go.Figure:
    """A gauge of one rate (%) with its target band: below / near / at-or-above target, a line at the target.

    The bar takes the reading's status colour (blue for an interim reading, never red). A rate that is
    not reported gives an empty dial with the words 未披露, not a zero.
    """
    target_pct = reading.target * 100
    value_pct = None if reading.value is None else reading.value * 100
    top = max(target_pct * 1.2, (value_pct or 0) * 1.05, 100.0)
    full_title = _sub(title, subtitle or status_text(reading, t.lang))
    gauge = dict(
        axis=dict(range=[0, top], ticksuffix="%"),
        bar=dict(color=reading.color if value_pct is not None else "rgba(0,0,0,0)", thickness=0.35),
        steps=[dict(range=[0, target_pct * (1 - NEAR_BAND)], color=BAND_COLORS[0]),
               dict(range=[target_pct * (1 - NEAR_BAND), target_pct], color=BAND_COLORS[1]),
               dict(range=[target_pct, top], color=BAND_COLORS[2])],
        threshold=dict(line=dict(color="#24292f", width=3), thickness=0.8, value=target_pct),
    )
    if value_pct is None:
        fig = go.Figure(go.Indicator(mode="gauge", value=0, gauge=gauge))
        fig.add_annotation(text=fmt.not_reported(t.lang), x=0.5, y=0.1, showarrow=False,
                           font=dict(size=28, color=NEUTRAL))
    else:
        fig = go.Figure(go.Indicator(mode="gauge+number", value=value_pct, gauge=gauge,
                                     number=dict(suffix="%", valueformat=".2f", font=dict(color=reading.color))))
    fig = base_layout(fig, full_title, height=height + 30)
    fig.update_layout(margin=dict(l=30, r=30, t=115, b=10), title=dict(y=0.9, yanchor="bottom"))
    return fig


def rate_dots(df: pd.DataFrame, t: Translator, target: float = 1.0) -> go.Figure:
    """Dot plot of arrival (◇) and execution (●) rates per project (rows of budget_projects), a line at the
    target, dots coloured by each reading's status (blue = interim, amber = near or overspent, red = below).
    Projects are kept in the order given; those missing a rate are named in the subtitle, not drawn at 0."""
    fig = go.Figure()
    missing_names: list[str] = []
    specs = (("arrival_rate", t("资金到位率", "arrival rate"), False, "diamond-open", 12),
             ("execution_rate", t("预算执行率", "execution rate"), True, "circle", 14))
    for col, label, cap, symbol, size in specs:
        part = df[df[col].notna()]
        missing_names += [f"{n}（{label}）" if t.lang == "zh" else f"{n} ({label})"
                          for n in df.loc[df[col].isna(), "short_name"]]
        ceiling = EXECUTION_CEILING if cap else None
        readings = [gauge_reading(v, target, a, ceiling=ceiling) for v, a in zip(part[col], part["as_of"])]
        fig.add_trace(go.Scatter(
            y=part["short_name"], x=part[col] * 100, mode="markers+text" if cap else "markers", name=label,
            marker=dict(color=[r.color for r in readings], symbol=symbol, size=size, line=dict(width=2)),
            text=[f"{fmt.pct(v, t.lang)} {status_text(r, t.lang)}" for v, r in zip(part[col], readings)] if cap else None,
            textposition="middle left", textfont=dict(size=12),
            hovertemplate="%{y}<br>" + label + " %{x:.2f}%<extra></extra>",
        ))
    fig.add_vline(x=target * 100, line=dict(color="#24292f", width=2, dash="dash"),
                  annotation_text=t(f"目标 {target * 100:g}%", f"target {target * 100:g}%"))
    top = max([target * 100 * 1.1] + [float(v) * 100 for v in df["execution_rate"].dropna()]
              + [float(v) * 100 for v in df["arrival_rate"].dropna()])
    fig.update_xaxes(title=t("比率（%）", "rate (%)"), ticksuffix="%", range=[0, top * 1.1])
    fig.update_yaxes(autorange="reversed", type="category")
    sub = (t("未披露：", "not reported: ") + "、".join(missing_names[:6])
           + ("…" if len(missing_names) > 6 else "")) if missing_names else None
    return base_layout(fig, _sub(t("各项目资金到位率（◇）与预算执行率（●）", "Arrival (◇) and execution (●) rate per project"), sub),
                       height=max(260, 110 + 30 * len(df)))


def money_waterfall(steps: list[tuple[str, float, str]], t: Translator, title: str | None = None,
                    subtitle: str | None = None) -> go.Figure:
    """Waterfall budget → not received → received → spent → unspent (from perfeval.domain.budget.money_steps)."""
    labels = [t(*STEP_LABELS[k]) for k, _, _ in steps]
    values = [v for _, v, _ in steps]
    measures = [m for _, _, m in steps]
    fig = go.Figure(go.Waterfall(
        x=labels, y=values, measure=measures,
        text=[fmt.number(v, 2, t.lang) for v in values], textposition="outside", cliponaxis=False,
        connector=dict(line=dict(color="#d0d7de")),
        increasing=dict(marker=dict(color="#2f81f7")), decreasing=dict(marker=dict(color="#1a7f37")),
        totals=dict(marker=dict(color="#57606a")),
        hovertemplate="%{x}: %{y:,.2f}<extra></extra>",
    ))
    fig.update_yaxes(title=t(terms.WAN), rangemode="tozero")
    return base_layout(fig, _sub(title or t("资金流向：预算 → 到位 → 支出", "Money path: budget → received → spent"),
                                 subtitle), height=340)


def year_bars(df: pd.DataFrame, t: Translator) -> go.Figure:
    """Grouped bars per year (and project when several): initial and adjusted budget, received, spent.

    Measures a year does not report are left out of that year (no zero bar); a measure no year reports
    is named in the subtitle."""
    several = df["project_id"].nunique() > 1
    x = [f"{n} {y}" if several else str(y) for n, y in zip(df["short_name"], df["year"])]
    fig = go.Figure()
    absent = []
    for col, zh, en in (("initial_budget", "年初预算", "initial budget"),
                        ("adjusted_budget", "调整预算", "adjusted budget"),
                        ("received", "到位资金", "received"), ("spent", "实际支出", "spent")):
        vals = df[col]
        if vals.notna().sum() == 0:
            absent.append(t(zh, en))
            continue
        fig.add_trace(go.Bar(x=x, y=vals, name=t(zh, en), marker_color=MONEY_COLORS[col],
                             text=[fmt.number(v, 2, t.lang) if pd.notna(v) else "" for v in vals],
                             textposition="outside"))
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=t(terms.WAN), rangemode="tozero")
    sub = (t("未披露：", "not reported: ") + "、".join(absent)) if absent else None
    return base_layout(fig, _sub(t("分年度预算与支出", "Budget and spending by year"), sub), height=360)


def subproject_bars(df: pd.DataFrame, t: Translator) -> go.Figure:
    """Horizontal bars per sub-project: budget (or estimated investment where no budget), received, spent
    and the sum of its payment lines. Rows of budget_by_subproject with a sub-project id only."""
    rows = df[df["subproject_id"].notna()].copy()
    labels = [f"{i} {n}" if isinstance(n, str) else str(i) for i, n in zip(rows["subproject_id"], rows["subproject_name"])]
    fig = go.Figure()
    for col, zh, en in (("budget", "预算", "budget"), ("estimated_investment", "估算总投资", "estimated investment"),
                        ("received", "到位资金", "received"), ("spent", "实际支出", "spent"),
                        ("paid", "支付明细合计", "payment lines")):
        vals = rows[col]
        if vals.notna().sum() == 0:
            continue
        fig.add_trace(go.Bar(y=labels, x=vals, orientation="h", name=t(zh, en), marker_color=MONEY_COLORS.get(col, NEUTRAL),
                             text=[fmt.number(v, 2, t.lang) if pd.notna(v) else "" for v in vals],
                             textposition="auto"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=t(terms.WAN), rangemode="tozero")
    return base_layout(fig, t("子项目：预算与支付", "Sub-projects: budget and payments"),
                       height=max(260, 80 + 60 * len(rows)))


def vendor_bars(df: pd.DataFrame, t: Translator) -> go.Figure:
    """Horizontal bars of the amount paid per canonical vendor (rows of payments_by_vendor), largest first.
    A vendor the report spells more than one way is marked “*”; a payment with no vendor named is labelled so."""
    rows = df.sort_values("amount", ascending=False)
    unnamed = t("（未注明单位）", "(no vendor named)")
    several = df["project_id"].nunique() > 1
    labels = []
    for r in rows.to_dict("records"):
        name = clean(r.get("vendor")) or unnamed
        if (clean(r.get("n_known_spellings")) or 1) > 1 or (clean(r.get("n_spellings")) or 1) > 1:
            name += " *"
        if several:
            name = f"{name}（{r.get('short_name') or r['project_id']}）"
        labels.append(name)
    fig = go.Figure(go.Bar(
        y=labels, x=rows["amount"], orientation="h", marker_color="#2f81f7",
        text=[fmt.number(v, 2, t.lang) for v in rows["amount"]], textposition="auto",
        hovertemplate="%{y}: %{x:,.2f}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=t(terms.WAN), rangemode="tozero")
    sub = t("* 报告中该单位有多种写法，已合并", "* spelled more than one way in the report; merged") \
        if any(label.endswith(" *") or " *（" in label for label in labels) else None
    return base_layout(fig, _sub(t("支付给各承办单位的金额", "Paid per vendor"), sub),
                       height=max(260, 80 + 32 * len(rows)))



def vendor_totals_bars(df: pd.DataFrame, t: Translator, vendors: int | None = None) -> go.Figure:
    """Horizontal bars of the amount paid per canonical vendor across the selected projects (rows of
    payments_vendor_totals, largest first), with how many projects paid each on hover. A vendor spelled more
    than one way is marked “*”; a payment with no vendor named is labelled so. ``vendors``: how many vendors
    there are in all (the subtitle says how many of them are drawn)."""
    rows = df.sort_values("amount", ascending=False, kind="stable")
    unnamed = t("（未注明单位）", "(no vendor named)")
    labels = []
    for r in rows.to_dict("records"):
        name = clean(r.get("vendor")) or unnamed
        if (clean(r.get("n_known_spellings")) or 1) > 1 or (clean(r.get("n_spellings")) or 1) > 1:
            name += " *"
        labels.append(name)
    projects = [int(clean(v) or 0) for v in rows["projects"]]
    fig = go.Figure(go.Bar(
        y=labels, x=rows["amount"], orientation="h", marker_color="#2f81f7",
        text=[fmt.number(v, 2, t.lang) for v in rows["amount"]], textposition="auto",
        customdata=projects,
        hovertemplate="%{y}: %{x:,.2f}<br>" + t("项目数", "projects") + " %{customdata}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=t(terms.WAN), rangemode="tozero")
    notes = []
    if vendors is not None and vendors > len(rows):
        notes.append(t(f"支付金额最大的 {len(rows)} 家（共 {vendors:,} 家）", f"the {len(rows)} largest of {vendors:,}"))
    if any(label.endswith(" *") for label in labels):
        notes.append(t("* 报告中该单位有多种写法，已合并", "* spelled more than one way; merged"))
    sub = ("；" if t.lang == "zh" else "; ").join(notes) or None
    return base_layout(fig, _sub(t("所选项目支付给各承办单位的金额", "Paid per vendor, selected projects together"), sub),
                       height=max(260, 80 + 32 * len(rows)))
