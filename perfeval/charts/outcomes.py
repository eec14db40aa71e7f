"""Chart builders for the outcomes page: DataFrame in, plotly Figure out. No Streamlit, no data access.

Colours respect each metric's direction (perfeval.domain.outcomes.change_quality): a change that is good news is
green whether the number went up (campaigns held) or down (a rank, a daily peak of cases).
"""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from perfeval.charts.base import FONT, base_layout
from perfeval.domain.outcomes import (
    CHANGE_COLORS,
    MET_COLORS,
    format_value,
    target_verdict,
    with_changes,
)
from perfeval.text import fmt
from perfeval.text.i18n import Translator


def _label(row, t: Translator) -> str:
    return t.pick(row, "name_zh", "name_en")


def trend_grid(df: pd.DataFrame, t: Translator, cols: int = 3, with_project: bool | None = None) -> go.Figure:
    """Small multiples, one line per (project, metric) that has several years.

    ``df``: rows of outcomes_values limited to the trend metrics (one value per year). Markers are coloured
    by the change from the year before (green good news, red bad news, grey first year / no change),
    labels keep the report's qualifiers. Rates are drawn in %.
    """
    keys = list(dict.fromkeys(zip(df["project_id"], df["metric_key"])))
    n = max(1, len(keys))
    rows = math.ceil(n / cols)
    several_projects = df["project_id"].nunique() > 1 if with_project is None else with_project
    titles = []
    for pid, key in keys:
        first = df[(df["project_id"] == pid) & (df["metric_key"] == key)].iloc[0].to_dict()
        title = _label(first, t)
        if several_projects:
            title += f"（{first.get('short_name') or pid}）" if t.lang == "zh" else f" ({first.get('short_name') or pid})"
        titles.append(title)
    fig = make_subplots(rows=rows, cols=min(cols, n), subplot_titles=titles, vertical_spacing=0.18 if rows > 1 else 0.1,
                        horizontal_spacing=0.08)
    for i, (pid, key) in enumerate(keys):
        part = df[(df["project_id"] == pid) & (df["metric_key"] == key)]
        first = part.iloc[0].to_dict()
        unit, direction = first["unit"], first["direction"]
        s = with_changes(part, direction)
        scale = 100.0 if unit == "%" else 1.0
        y = s["value"] * scale
        r, c = i // cols + 1, i % cols + 1
        fig.add_trace(go.Scatter(
            x=s["year"].astype(int).astype(str), y=y, mode="lines+markers+text",
            line=dict(color="#d0d7de", width=2),
            marker=dict(size=13, color=[CHANGE_COLORS[q] for q in s["quality"]], line=dict(color="white", width=1)),
            text=[format_value(v, unit, q, t.lang) for v, q in zip(s["value"], s["qualifier"])],
            textposition="top center", cliponaxis=False, showlegend=False,
            hovertemplate="%{x}: %{text}<extra></extra>",
        ), row=r, col=c)
        lo, hi = float(y.min()), float(y.max())
        pad = (hi - lo) * 0.35 or max(abs(hi) * 0.2, 1.0)
        bottom = max(0.0, lo - pad) if lo >= 0 else lo - pad  # counts and rates never below 0
        axis_range = [hi + pad, bottom] if unit == "名" else [bottom, hi + pad]  # rank 1 on top
        fig.update_yaxes(range=axis_range, ticksuffix="%" if unit == "%" else "", row=r, col=c)
        fig.update_xaxes(type="category", row=r, col=c)
    fig = base_layout(fig, None, height=max(300, 280 * rows))
    fig.update_annotations(font=dict(family=FONT, size=13))
    fig.update_layout(margin=dict(l=10, r=10, t=40, b=10))
    return fig


def trend_legend(t: Translator) -> str:
    """The words for the trend colours (for a caption beside the chart)."""
    return t("绿色＝较上年向好，红色＝较上年变差（按指标方向判断，如排名、发案数越低越好），灰色＝首年或无变化。",
             "Green = better than the year before, red = worse (judged by the metric's direction: for a rank or a "
             "case count lower is better), grey = first year or no change.")


MAX_TARGET_BARS = 40  # targets drawn in the chart; the rest are counted in its subtitle


def targets_chart(df: pd.DataFrame, t: Translator, max_rows: int = MAX_TARGET_BARS, numeric_total: int | None = None,
                  several: bool | None = None) -> go.Figure:
    """Horizontal bars of actual as a share of target (%) for targets with numeric actual and target values,
    coloured met (green) / not met (red) by the operator, with a line at 100 %.

    ``df``: rows of targets_list. Targets without numbers are left out (the table lists them). With several
    projects each bar is named with its project; beyond ``max_rows`` bars the targets not met come first and
    the rest are counted in the subtitle.

    ``numeric_total``: when ``df`` holds only some of the targets (those a query put first), how many targets
    with numbers there are in all (for the count of those not drawn); ``several``: whether the targets come
    from several projects (default: whether ``df``'s do)."""
    num = df[df["actual_value"].notna() & df["target_value"].notna() & (df["target_value"] != 0)].copy()
    if several is None:
        several = num["project_id"].nunique() > 1 if "project_id" in num else False
    num["_met"] = [target_verdict(r)["met"] for r in num.to_dict("records")]
    total = len(num) if numeric_total is None else max(int(numeric_total), len(num))
    if len(num) > max_rows:
        num = num.sort_values("_met", key=lambda m: m.map({False: 0, None: 1, True: 2}), kind="stable")
        num = num.head(max_rows)
    left_out = total - len(num)
    labels, ratios, colors, texts = [], [], [], []
    for r in num.to_dict("records"):
        v = target_verdict(r)
        year = "" if pd.isna(r.get("year")) else f" {int(r['year'])}"
        who = f"{r.get('short_name') or r.get('project_id')} · " if several else ""
        labels.append(f"{who}{r['name']}{year}")
        ratios.append(float(r["actual_value"]) / float(r["target_value"]) * 100)
        colors.append(MET_COLORS[v["met"]])
        op = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}.get(r.get("operator") or "", "")
        texts.append(f"{format_value(r['actual_value'], r['unit'], None, t.lang)} / {op} "
                     f"{format_value(r['target_value'], r['unit'], None, t.lang)}")
    fig = go.Figure(go.Bar(y=labels, x=ratios, orientation="h", marker_color=colors, text=texts,
                           textposition="auto", hovertemplate="%{y}<br>%{text}<br>%{x:.1f}%<extra></extra>"))
    fig.add_vline(x=100, line=dict(color="#24292f", width=2, dash="dash"))
    fig.update_xaxes(title=t("实际值 ÷ 目标值（%）", "actual ÷ target (%)"), ticksuffix="%", rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    title = t("绩效目标完成情况（绿色达成，红色未达成）", "Targets: actual against target (green met, red not met)")
    if left_out:
        title += "<br><sup>" + t(f"另有 {left_out} 项目标未画出（未达成的优先显示），见下表",
                                 f"{left_out} more targets not drawn (those not met come first); see the table") + "</sup>"
    fig.update_yaxes(type="category")
    return base_layout(fig, title, height=max(260, 80 + 34 * len(labels)))


def normalised_bars(df: pd.DataFrame, column: str, t: Translator, title: str) -> go.Figure:
    """Horizontal bars of one normalised column (e.g. per 万元 spent) per metric and project; rows where the
    value is missing are left out and counted in the subtitle."""
    ok = df[df[column].notna()]
    labels = [f"{_label(r, t)} · {r.get('short_name')}" + ("" if pd.isna(r.get("year")) else f" {int(r['year'])}")
              for r in ok.to_dict("records")]
    fig = go.Figure(go.Bar(y=labels, x=ok[column], orientation="h", marker_color="#2f81f7",
                           text=[fmt.number(v, 2, t.lang) for v in ok[column]], textposition="auto"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="log", title=t("对数刻度", "log scale"))
    left_out = len(df) - len(ok)
    sub = t(f"{left_out} 项无法折算（比率、排名或缺少支出/人口）", f"{left_out} cannot be normalised (rates, ranks, or no spending/population)") \
        if left_out else None
    return base_layout(fig, title if not sub else f"{title}<br><sup>{sub}</sup>", height=max(260, 80 + 28 * len(ok)))

