"""Chart builders: DataFrame in, plotly Figure out. No Streamlit, no data access.

Fonts: the CJK stack is named explicitly so a projector's browser picks a Chinese face that is
installed (Noto Sans CJK on the servers we ship), never a remote font.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from perfeval.text import fmt
from perfeval.text.i18n import Translator

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
GRADE_COLORS = {"优": "#1a7f37", "良": "#2f81f7", "中": "#d29922", "差": "#cf222e"}
NEUTRAL = "#8b949e"
LABELLED_DOTS = 12
DOTS_MAX = 2000     # above this many projects the scatter becomes counts per cell
NAMED_MISSING = 10  # projects named in a subtitle; the rest are counted


def spec(fig: go.Figure) -> str:
    """The figure as the JSON the browser draws (plotly's own encoder, as ``st.plotly_chart`` sends it): what
    a page model returns for a chart (perfeval.ui.plot.chart draws it)."""
    return pio.to_json(fig, validate=False)


def base_layout(fig: go.Figure, title: str | None = None, height: int = 380) -> go.Figure:
    fig.update_layout(
        title=title, height=height, font=dict(family=FONT, size=14),
        margin=dict(l=10, r=10, t=50 if title else 10, b=10),
        paper_bgcolor="white", plot_bgcolor="white", legend=dict(orientation="h", y=-0.15),
    )
    return fig


def score_vs_execution(df: pd.DataFrame, t: Translator) -> go.Figure:
    """Reported total score (y) against budget execution rate (x, %): one dot per project, or, above
    ``DOTS_MAX`` projects, the number of projects per cell (binned here: the browser gets the counts,
    not every project).

    Projects without an execution rate or a score are left out and counted in the subtitle (the first
    ``NAMED_MISSING`` named).
    """
    ok = df.dropna(subset=["reported_total_score", "execution_rate"])
    missing = df[~df.index.isin(ok.index)]
    fig = go.Figure()
    title = t("得分与预算执行率", "Score against budget execution")
    if len(ok) > DOTS_MAX:
        x = ok["execution_rate"].to_numpy(dtype=float) * 100
        y = ok["reported_total_score"].to_numpy(dtype=float)
        counts, xe, ye = np.histogram2d(x, y, bins=(40, 30))
        z = np.where(counts.T > 0, counts.T, np.nan)  # empty cells stay blank
        fig.add_trace(go.Heatmap(
            x=(xe[:-1] + xe[1:]) / 2, y=(ye[:-1] + ye[1:]) / 2, z=z, colorscale="Blues",
            colorbar=dict(title=t("项目数", "projects")),
            hovertemplate=t("执行率约 %{x:.1f}%<br>得分约 %{y:.1f}<br>%{z} 个项目",
                            "execution ≈ %{x:.1f}%<br>score ≈ %{y:.1f}<br>%{z} projects") + "<extra></extra>",
        ))
        title = t(f"得分与预算执行率（{len(ok):,} 个项目，每格项目数）",
                  f"Score against budget execution ({len(ok):,} projects, count per cell)")
    else:
        # names on the dots only while they can be read; beyond that the hover names each dot
        mode = "markers+text" if len(ok) <= LABELLED_DOTS else "markers"
        for grade, part in ok.groupby("reported_grade", sort=False):
            fig.add_trace(go.Scatter(
                x=part["execution_rate"] * 100, y=part["reported_total_score"], mode=mode,
                name=str(grade), text=part["short_name"], textposition="top center",
                marker=dict(size=14 if len(ok) <= 200 else 8, color=GRADE_COLORS.get(str(grade), NEUTRAL)),
                customdata=part[["name"]].to_numpy(),
                hovertemplate="%{customdata[0]}<br>" + t("执行率", "execution") + " %{x:.2f}%<br>"
                              + t("得分", "score") + " %{y:.2f}<extra></extra>",
            ))
    if len(missing):
        names = "、".join(missing["short_name"].astype(str).head(NAMED_MISSING))
        more = len(missing) - NAMED_MISSING
        if more > 0:
            names += t(f" 等 {len(missing):,} 个", f" and {more:,} more")
        title += "<br><sup>" + t("未披露执行率或得分：", "no execution rate or score: ") + names + "</sup>"
    fig.update_xaxes(title=t("预算执行率（%）", "budget execution rate (%)"), ticksuffix="%")
    fig.update_yaxes(title=t("报告总分", "reported total score"))
    return base_layout(fig, title)


def level1_breakdown(df: pd.DataFrame, t: Translator) -> go.Figure:
    """Grouped bars: weight (分值) and score (得分) per level-1 indicator, with 得分率 as text."""
    labels = [t.pick(r, "name", "name_en") for r in df.to_dict("records")]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=labels, y=df["weight"], name=t("分值", "weight"), marker_color="#d0d7de"))
    fig.add_trace(go.Bar(
        x=labels, y=df["reported_score"], name=t("得分", "score"), marker_color="#2f81f7",
        text=[fmt.pct(v, t.lang) for v in df["score_rate"]], textposition="outside",
    ))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=t("分", "points"))
    return base_layout(fig, t("一级指标：分值与得分", "Level-1 indicators: weight and score"))


def grade_bars(counts: dict[str, int], t: Translator) -> go.Figure:
    """Bars of the number of projects per grade (优 良 中 差)."""
    fig = go.Figure(go.Bar(
        x=list(counts), y=list(counts.values()), text=list(counts.values()), textposition="outside",
        marker_color=[GRADE_COLORS.get(g, NEUTRAL) for g in counts],
    ))
    fig.update_yaxes(title=t("项目数", "projects"), rangemode="tozero")
    return base_layout(fig, t("评价等级分布", "Projects per grade"), height=300)
