"""Scorecard figures: DataFrame in, plotly Figure out. No Streamlit, no data access.

Inputs are `perfeval.domain.scoring.score_tree` frames and the rows of queries/portfolio_points_lost_level1.sql and
portfolio_points_lost_indicators.sql: scores and weights in 分, rates as fractions. A value a report does not give
is drawn grey and labelled "未披露 / not reported", never as zero.
"""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from perfeval.charts.base import FONT, NEUTRAL, base_layout
from perfeval.domain import disclosure
from perfeval.text import fmt
from perfeval.text.i18n import Translator

# 得分率 colours: red (≤ 60 %), amber (80 %), yellow-green (90 %), green (100 %); grey is kept for 未披露
RATE_STOPS = ((0.6, (207, 34, 46)), (0.8, (224, 160, 30)), (0.9, (140, 190, 60)), (1.0, (26, 127, 55)))
RECOMPUTED = "#8250df"

OUTSIDE_LABEL_ROOM = 50  # px right of a horizontal bar chart, for the value printed beside the longest bar


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def rate_colour(rate) -> str:
    """The colour of a 得分率 (fraction) as ``#rrggbb``; grey for a missing rate. Rates outside 60–100 %
    take the end colours."""
    if _missing(rate):
        return NEUTRAL
    r = min(max(float(rate), RATE_STOPS[0][0]), RATE_STOPS[-1][0])
    for (x0, c0), (x1, c1) in zip(RATE_STOPS, RATE_STOPS[1:]):
        if r <= x1:
            f = 0 if x1 == x0 else (r - x0) / (x1 - x0)
            rgb = [round(a + (b - a) * f) for a, b in zip(c0, c1)]
            return "#" + "".join(f"{v:02x}" for v in rgb)
    return "#" + "".join(f"{v:02x}" for v in RATE_STOPS[-1][1])


def _label(row: dict, t: Translator) -> str:
    return t.pick(row, "name", "name_en") or str(row.get("code") or "")


def indicator_treemap(tree: pd.DataFrame, t: Translator, total=None, score_col: str = "reported_effective",
                      title: str | None = None) -> go.Figure:
    """The indicator tree as a treemap: area = weight (分), colour = 得分率 of ``score_col`` (the reported
    score by default, ``recomputed_score`` for the recomputation); grey = not reported.

    ``total`` (分) labels the root; a project without a tree is one grey box saying so.
    """
    lang = t.lang
    root_label = t("总分", "Total") + (f" {fmt.score(total, lang)} / 100" if not _missing(total) else "")
    if tree is None or tree.empty:
        fig = go.Figure(go.Treemap(
            ids=["__total__"], labels=[root_label + "<br>" + t("报告未披露指标明细", "no indicator breakdown reported")],
            parents=[""], values=[100], marker=dict(colors=[NEUTRAL]), textinfo="label",
            hovertemplate="%{label}<extra></extra>"))
        return base_layout(fig, title or t("指标体系（得分率）", "Indicator tree (score rate)"), height=420)
    codes = set(tree["code"])
    ids, labels, parents, values, colours, hovers = ["__total__"], [root_label], [""], [0.0], ["#ffffff"], [root_label]
    for r in tree.to_dict("records"):
        w = r["weight_effective"]
        score = r.get(score_col)
        rate = None if _missing(score) or _missing(w) or not w else float(score) / float(w)
        name = _label(r, t)
        shown_score = fmt.score(score, lang)
        ids.append(str(r["code"]))
        parents.append(str(r["parent_code"]) if r["parent_code"] in codes else "__total__")
        # leaves carry the area, parents add up their children (branchvalues="remainder")
        values.append(0.0 if not r["is_leaf"] else (float(w) if not _missing(w) else 0.0))
        labels.append(f"{r['code']} {name}<br>{shown_score} / {fmt.score(w, lang)}")
        colours.append(rate_colour(rate))
        reason = t.pick(r, "reason_zh", "reason_en") if r["is_leaf"] else ""
        hovers.append(f"{r['code']} {name}<br>" + t("分值", "weight") + f" {fmt.score(w, lang)} · "
                      + t("得分", "score") + f" {shown_score} · " + t("得分率", "rate") + f" {fmt.pct(rate, lang)}"
                      + (f"<br>{reason}" if reason else ""))
    # what the tree leaves out is drawn, grey and named, not left out of the area (an elided branch would read
    # as if its parent were complete, the unlisted points as if the framework were smaller)
    cov = disclosure.coverage(tree)
    gaps = [(code, points) for code, points in cov.elided]
    if cov.unlisted is not None and cov.unlisted > disclosure.TOL:
        gaps.append(("__total__", cov.unlisted))
    for parent, points in gaps:
        ids.append(f"{parent}__unlisted")
        parents.append(parent)
        values.append(float(points))
        labels.append(t("未列出（未披露）", "not listed (not reported)") + f"<br>{fmt.score(points, lang)} "
                      + t("分", "pts"))
        colours.append(fmt.MISSING_COLOR)
        hovers.append(t(f"报告未列出的指标：{fmt.score(points, lang)} 分（未披露，不按满分或零分计）",
                        f"indicators the report does not list: {fmt.score(points, lang)} points (not reported)"))
    fig = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="remainder",
        marker=dict(colors=colours, line=dict(color="white", width=1)), textinfo="label",
        customdata=hovers, hovertemplate="%{customdata}<extra></extra>", maxdepth=4,
        textfont=dict(family=FONT)))
    sub = t("面积 = 分值，颜色 = 得分率（绿 100%、黄绿 90%、橙 80%、红 ≤60%，灰 = 未披露）",
            "area = weight, colour = score rate (green 100%, yellow-green 90%, amber 80%, red ≤60%, "
            "grey = not reported)")
    return base_layout(fig, (title or t("指标体系（得分率）", "Indicator tree (score rate)")) + f"<br><sup>{sub}</sup>",
                       height=520)


def points_lost_bars(tree: pd.DataFrame, t: Translator) -> go.Figure:
    """Where the points went: points lost per leaf indicator (weight − reported score, 分), largest first;
    a second bar where the recomputed score loses a different number of points."""
    fig = go.Figure()
    title = t("失分在哪里", "Where the points went")
    if tree is None or tree.empty:
        fig.add_annotation(text=t("报告未披露指标得分", "the report gives no indicator scores"), showarrow=False,
                           x=0.5, y=0.5, xref="paper", yref="paper", font=dict(size=16, color=NEUTRAL))
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return base_layout(fig, title, height=260)
    leaves = tree[tree["is_leaf"]].copy()
    lost = leaves["points_lost_reported"]
    lost_re = leaves["points_lost"]
    keep = (lost.fillna(0) > 0.005) | (lost_re.fillna(0) > 0.005)
    leaves = leaves[keep].assign(_lost=lost[keep].fillna(0)).sort_values("_lost", ascending=True, kind="stable")
    unknown = tree[tree["is_leaf"] & tree["points_lost_reported"].isna()]
    if unknown.shape[0]:
        title += "<br><sup>" + t("未披露得分：", "score not reported: ") + "、".join(unknown["code"].astype(str)) + "</sup>"
    cov = disclosure.coverage(tree)
    if cov.partial:  # what the tree does not list is neither lost nor kept: say so beside the bars
        unlisted = (cov.unlisted or 0) + sum(p for _, p in cov.elided)
        title += "<br><sup>" + t(f"部分披露：另有 {fmt.score(unlisted)} 分的指标未列出（未披露）",
                                 f"partly disclosed: {fmt.score(unlisted, 'en')} points of indicators not listed") + "</sup>"
    if leaves.empty:
        fig.add_annotation(text=(t("列出的指标均得满分（其余未披露）", "full marks on every listed indicator (the rest "
                                   "not reported)") if cov.partial else
                                 t("各指标均得满分，未失分", "full marks on every indicator: no points lost")),
                           showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                           font=dict(size=16, color=fmt.MISSING_COLOR if cov.partial else "#1a7f37"))
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return base_layout(fig, title, height=260)
    names = [f"{r['code']} {_label(r, t)}" for r in leaves.to_dict("records")]
    fig.add_trace(go.Bar(
        y=names, x=leaves["_lost"], orientation="h", name=t("报告得分失分", "lost (reported)"),
        marker_color=[rate_colour(r) for r in leaves["reported_rate"]],
        text=[fmt.score(v, t.lang) for v in leaves["_lost"]], textposition="outside", cliponaxis=False,
        customdata=[t.pick(r, "reason_zh", "reason_en") for r in leaves.to_dict("records")],
        hovertemplate="%{y}: −%{x:.2f}<br>%{customdata}<extra></extra>"))
    differs = (leaves["points_lost"].notna() & ((leaves["points_lost"] - leaves["_lost"]).abs() > 0.005))
    if differs.any():
        fig.add_trace(go.Bar(
            y=names, x=[v if d else None for v, d in zip(leaves["points_lost"], differs)], orientation="h",
            name=t("按规则重算失分", "lost (recomputed)"), marker_color=RECOMPUTED,
            hovertemplate="%{y}: −%{x:.2f}<extra></extra>"))
        fig.update_layout(barmode="group")
    fig.update_xaxes(title=t("失分（分）", "points lost"), rangemode="tozero")
    # room on the right for the value beside the longest bar (drawn outside the plot area, cliponaxis off)
    return base_layout(fig, title, height=max(260, 60 + 34 * len(leaves))).update_layout(margin_r=OUTSIDE_LABEL_ROOM)


def level1_points_lost(df: pd.DataFrame, t: Translator) -> go.Figure:
    """Bars of points lost per level-1 dimension across the portfolio (rows of
    queries/portfolio_points_lost_level1.sql): the mean per project, with the total and 得分率 in the hover."""
    fig = go.Figure()
    title = t("各一级指标平均失分（每个项目）", "Points lost per level-1 dimension (mean per project)")
    if df is None or df.empty:
        fig.add_annotation(text=t("所选项目均未披露一级指标得分", "no selected project reports level-1 scores"),
                           showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                           font=dict(size=16, color=NEUTRAL))
        return base_layout(fig, title, height=300)
    d = df.sort_values("lost_per_project", ascending=False, kind="stable")
    labels = [r["dimension"] if t.lang == "zh" else r["dimension_en"] for r in d.to_dict("records")]
    fig.add_trace(go.Bar(
        x=labels, y=d["lost_per_project"], marker_color=[rate_colour(r) for r in d["score_rate"]],
        text=[fmt.score(v, t.lang) for v in d["lost_per_project"]], textposition="outside", cliponaxis=False,
        customdata=list(zip(d["projects"], d["points_lost"], [fmt.pct(r, t.lang) for r in d["score_rate"]])),
        hovertemplate="%{x}<br>" + t("项目数", "projects") + " %{customdata[0]} · " + t("失分合计", "lost in all")
                      + " %{customdata[1]:.2f} · " + t("得分率", "score rate") + " %{customdata[2]}<extra></extra>"))
    fig.update_yaxes(title=t("平均失分（分）", "mean points lost"), rangemode="tozero")
    return base_layout(fig, title, height=340)


def indicator_points_lost(df: pd.DataFrame, t: Translator, top: int = 12) -> go.Figure:
    """Horizontal bars of the ``top`` indicators losing the most points across the portfolio (rows of
    queries/portfolio_points_lost_indicators.sql), largest at the top."""
    fig = go.Figure()
    title = t(f"失分最多的指标（前 {top} 项，合计）", f"Indicators losing the most points (top {top}, in all)")
    d = df[df["points_lost"] > 0.005].head(top) if df is not None and not df.empty else pd.DataFrame()
    if d.empty:
        fig.add_annotation(text=t("所选项目未披露三级指标失分", "no indicator-level losses reported"),
                           showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                           font=dict(size=16, color=NEUTRAL))
        return base_layout(fig, title, height=300)
    d = d.iloc[::-1]
    labels = [r["indicator"] if t.lang == "zh" else r["indicator_en"] for r in d.to_dict("records")]
    fig.add_trace(go.Bar(
        y=labels, x=d["points_lost"], orientation="h", marker_color=[rate_colour(r) for r in d["score_rate"]],
        text=[fmt.score(v, t.lang) for v in d["points_lost"]], textposition="outside", cliponaxis=False,
        customdata=list(zip(d["dimension"], d["projects"], [fmt.pct(r, t.lang) for r in d["score_rate"]])),
        hovertemplate="%{y}（%{customdata[0]}）<br>" + t("项目数", "projects") + " %{customdata[1]} · "
                      + t("得分率", "score rate") + " %{customdata[2]}<extra></extra>"))
    fig.update_xaxes(title=t("失分合计（分）", "points lost in all"), rangemode="tozero")
    # room on the right for the value beside the longest bar (drawn outside the plot area, cliponaxis off)
    return base_layout(fig, title, height=max(300, 70 + 30 * len(d))).update_layout(margin_r=OUTSIDE_LABEL_ROOM)
