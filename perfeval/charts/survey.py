"""Chart builders for the satisfaction page: survey views in, plotly Figure out. No Streamlit, no data access.

Rates (fractions) are drawn in % with their 95 % margin of error (normal approximation) as error bars.
A project with only a score, only words or no survey is named in the subtitle, never drawn as a zero bar.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from perfeval.charts.base import NEUTRAL, base_layout
from perfeval.domain.survey import LEVELS, SurveyView, score_text
from perfeval.text import fmt
from perfeval.text.i18n import Translator

LEVEL_COLORS = ("#1a7f37", "#7cc68d", "#d0d7de", "#f2a365", "#cf222e")
NAMED_PER_LINE = 3  # projects without a rate named per subtitle line
MAX_NAMED = 5        # projects without a rate named in the subtitle
MAX_BAR_TEXT = 8     # beyond this many projects the bars carry no text (hover has it)


def satisfaction_comparison(names: list[str], views: list[SurveyView], t: Translator) -> go.Figure:
    """Grouped bars of satisfaction and awareness (%) per project with ±95 % error bars where the sample
    size is known; the other projects are listed by status in the subtitle."""
    with_rates = [(n, v) for n, v in zip(names, views) if v.satisfaction_rate is not None or v.awareness_rate is not None]
    fig = go.Figure()
    for attr, moe_attr, zh, en, color in (("satisfaction_rate", "satisfaction_moe", "满意度", "satisfaction", "#2f81f7"),
                                          ("awareness_rate", "awareness_moe", "知晓率", "awareness", "#8c959f")):
        xs, ys, errs, texts = [], [], [], []
        for n, v in with_rates:
            val = getattr(v, attr)
            if val is None:
                continue
            moe = getattr(v, moe_attr)
            xs.append(n)
            ys.append(val * 100)
            errs.append(None if moe is None else moe * 100)
            texts.append(fmt.pct(val, t.lang) + ("" if moe is None else f" ±{moe * 100:.2f}"))
        if not xs:
            continue
        fig.add_trace(go.Bar(
            x=xs, y=ys, name=t(zh, en), marker_color=color,
            text=texts if len(with_rates) <= MAX_BAR_TEXT else None, textposition="inside",
            insidetextanchor="middle",  # keep the text clear of the error bar at the top
            error_y=dict(type="data", array=[e if e is not None else 0 for e in errs], visible=True,
                         color="#24292f", thickness=1.5, width=8),
            hovertemplate="%{x}<br>" + t(zh, en) + " %{y:.2f}%<extra></extra>",
        ))
    others = []
    for n, v in zip(names, views):
        if v.satisfaction_rate is not None or v.awareness_rate is not None:
            continue
        if v.status == "score":
            others.append(f"{n}：{score_text(v.satisfaction_score, v.score_qualifier, t.lang)}" if t.lang == "zh"
                          else f"{n}: {score_text(v.satisfaction_score, v.score_qualifier, t.lang)}")
        elif v.status == "conclusion":
            others.append(t(f"{n}：仅文字结论", f"{n}: conclusion in words only"))
        else:
            others.append(t(f"{n}：未开展 / 未披露", f"{n}: not conducted / not reported"))
    fig.update_layout(barmode="group", bargap=0.5 if len(with_rates) < 3 else 0.2)
    fig.update_yaxes(title="%", range=[0, 105], ticksuffix="%")
    title = t("满意度与知晓率（误差线：95% 置信区间，正态近似）",
              "Satisfaction and awareness (error bars: 95% confidence, normal approximation)")
    lines = []
    if others:
        more = len(others) - MAX_NAMED
        sep = "；" if t.lang == "zh" else "; "
        named = others[:MAX_NAMED]
        # a few names to a line: plotly does not wrap a title, and one long line runs off the chart
        lines = [sep.join(named[i:i + NAMED_PER_LINE]) for i in range(0, len(named), NAMED_PER_LINE)]
        if more > 0:
            lines[-1] += t(f"；另 {more} 个项目无满意度比例", f"; {more} more without a rate")
        title += "".join("<br><sup>" + line + "</sup>" for line in lines)
    if not with_rates:
        fig.add_annotation(text=t("所选项目均未披露满意度比例", "No selected project reports a satisfaction rate"),
                           x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font=dict(size=16, color=NEUTRAL))
    fig = base_layout(fig, title, height=380 + 16 * len(lines))
    # the project names under the bars slant when there are many; a legend below them would cover them,
    # so it sits at the foot of the figure, under the names (plotly keeps the names clear of it)
    fig.update_layout(legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0),
                      margin=dict(b=40, t=50 + 16 * len(lines)))
    return fig


def distribution_bar(counts: dict[str, int], t: Translator, title: str | None = None) -> go.Figure:
    """One stacked horizontal bar of the 5-level answers (很满意 … 不满意) in % of all answers, counts on hover."""
    total = sum(counts.values())
    fig = go.Figure()
    for (col, zh, en, _), color in zip(LEVELS, LEVEL_COLORS):
        n = counts[col]
        share = n / total * 100 if total else 0
        fig.add_trace(go.Bar(y=[""], x=[share], orientation="h", name=t(zh, en), marker_color=color,
                             text=[f"{share:.1f}%"], textposition="inside", customdata=[[n]],
                             hovertemplate=t(zh, en) + " %{customdata[0]}（%{x:.1f}%）<extra></extra>"))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return base_layout(fig, title or t(f"满意度分布（{total} 份）", f"Answers per level ({total})"), height=200)


def distribution_table(counts: dict[str, int], t: Translator) -> pd.DataFrame:
    """The 5-level counts as a small table (level, answers, share %)."""
    total = sum(counts.values())
    return pd.DataFrame({
        t("等级", "level"): [t(zh, en) for _, zh, en, _ in LEVELS],
        t("份数", "answers"): [counts[c] for c, *_ in LEVELS],
        t("占比", "share"): [fmt.pct(counts[c] / total, t.lang) if total else fmt.not_reported(t.lang) for c, *_ in LEVELS],
    })
