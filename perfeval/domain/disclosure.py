"""What a project's report discloses of its score, and how to say it (pure).

Reports disclose differently: a full indicator tree (福田), level 1 only (天津), a total only (天水), a 自评表 that
lists part of its indicators, or nothing at all. Every view words a project's score by what it really has
(`kind`, `no_tree_text`, `not_broken_down_line`) and says when a tree is partial (`coverage`, `partial_text`)
instead of letting the listed indicators read as the whole 100 points or an elided branch as full marks.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from perfeval.text import fmt
from perfeval.text.i18n import Translator

TOTAL_WEIGHT = 100.0  # the points a framework's indicators add up to
TOL = 0.005           # points: weights closer than this are equal


def kind(total, has_tree: bool) -> str:
    """"tree" (the report lists indicators), "total" (a total score only) or "nothing" (neither)."""
    if has_tree:
        return "tree"
    return "nothing" if fmt.is_missing(total) else "total"


def no_tree_text(total, lang: str) -> str:
    """The sentence for a project without an indicator tree, by whether it states a total."""
    t = Translator(lang)
    if fmt.is_missing(total):
        return t("报告既未给出总分，也未列出指标得分（均未披露）。",
                 "The report gives neither a total score nor indicator scores (not reported).")
    return t(f"报告只给出总分 {fmt.score(total, lang)}，未列出指标得分（未披露）。",
             f"The report gives only the total score, {fmt.score(total, lang)}; indicator scores are not reported.")


@dataclass(frozen=True)
class Coverage:
    """How much of a framework's 100 points a project's indicator tree lists.

    listed: the indicators listed (nodes of any level); top_weight: the weights of the top nodes added up (分,
    None when one of them has none); elided: (code, points) of each parent whose listed children add up to
    less than its weight (a branch left out); partial: the top nodes fall short of `TOTAL_WEIGHT` or a branch
    is elided.
    """
    listed: int
    top_weight: float | None
    elided: list[tuple[str, float]] = field(default_factory=list)

    @property
    def unlisted(self) -> float | None:
        """The points of the framework no listed top node carries (None when a top node has no weight)."""
        return None if self.top_weight is None else max(0.0, TOTAL_WEIGHT - self.top_weight)

    @property
    def partial(self) -> bool:
        return bool(self.elided) or (self.unlisted is not None and self.unlisted > TOL)


def coverage(tree: pd.DataFrame) -> Coverage:
    """The coverage of a recomputed tree (`perfeval.domain.scoring.score_tree`: code, parent_code, weight,
    weight_effective)."""
    if tree is None or tree.empty:
        return Coverage(0, None)
    codes = set(tree["code"])
    top = tree[tree["parent_code"].isna() | ~tree["parent_code"].isin(codes)]
    weights = [fmt.or_none(w) for w in top["weight_effective"]]
    top_weight = None if any(w is None for w in weights) else float(sum(weights))
    elided = []
    for r in tree.to_dict("records"):
        w = fmt.or_none(r["weight"])
        kids = tree[tree["parent_code"] == r["code"]]
        if w is None or kids.empty:
            continue
        kw = [fmt.or_none(x) for x in kids["weight_effective"]]
        if any(x is None for x in kw):
            continue
        gap = float(w) - float(sum(kw))
        if gap > TOL:
            elided.append((str(r["code"]), round(gap, 4)))
    return Coverage(len(tree), top_weight, elided)


def partial_text(cov: Coverage, lang: str, what: tuple[str, str] = ("指标", "indicators")) -> str | None:
    """部分披露：列出 N 项 … for a partial tree, None for a complete one; ``what`` names what was counted
    (("一级指标", "level-1 indicators") for the level-1 table)."""
    if not cov.partial:
        return None
    t = Translator(lang)
    parts_zh, parts_en = [], []
    if cov.unlisted is not None and cov.unlisted > TOL:
        parts_zh.append(f"列出的一级指标分值合计 {fmt.score(cov.top_weight, lang)} 分，另 {fmt.score(cov.unlisted, lang)} 分的指标未列出")
        parts_en.append(f"the listed top indicators carry {fmt.score(cov.top_weight, lang)} points; "
                        f"{fmt.score(cov.unlisted, lang)} points of indicators are not listed")
    if cov.elided:
        parts_zh.append("、".join(f"{c} 下另有 {fmt.score(p, lang)} 分的下级指标未列出" for c, p in cov.elided))
        parts_en.append(", ".join(f"{fmt.score(p, lang)} points of sub-indicators of {c} are not listed"
                                  for c, p in cov.elided))
    return t(f"部分披露：列出 {cov.listed} 项{what[0]}；" + "；".join(parts_zh) + "（未披露，不按满分或零分计）。",
             f"Partly disclosed: {cov.listed} {what[1]} listed; " + "; ".join(parts_en)
             + " (not reported: counted neither as full marks nor as zero).")


def not_broken_down_line(nb: pd.DataFrame, lang: str, where: str = "上图") -> str | None:
    """The note on the selected projects whose report lists no indicator (queries/portfolio_not_broken_down:
    short_name, reported_total_score, points_lost): those that give a total only, and those that give nothing,
    each said as it is. ``where``: the charts they are not in ("上图" / "图中")."""
    if nb is None or nb.empty:
        return None
    t = Translator(lang)
    where_en = "the charts above" if where == "上图" else "the chart"
    out = []
    for has_total in (True, False):
        part = nb[nb["reported_total_score"].notna() == has_total]
        if part.empty:
            continue
        shown = part["short_name"].astype(str).head(10).tolist()
        names = ("、" if lang == "zh" else ", ").join(shown) + (t("等", " …") if len(part) > len(shown) else "")
        if has_total:
            lost = part["points_lost"].dropna().sum()
            out.append(t(f"{len(part)} 个项目只披露总分、未披露分项（{names}），不计入{where}；其失分合计 {fmt.score(lost)} 分。",
                         f"{len(part)} projects give only a total, no breakdown ({names}); they are not in "
                         f"{where_en} (together {fmt.score(lost, 'en')} points lost)."))
        else:
            out.append(t(f"{len(part)} 个项目既未披露总分也未披露分项（{names}），不计入{where}。",
                         f"{len(part)} projects give neither a total nor a breakdown ({names}); they are not in "
                         f"{where_en}."))
    return " ".join(out) if lang == "en" else "".join(out)
