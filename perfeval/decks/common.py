"""What both slide decks share (perfeval.decks.portfolio, perfeval.decks.project): file names and MIME type,
the badge for data that are not real, the filters and dates in words, the slides' geometry, and the title slide,
notes and name / grade texts both decks write the same way.

No Streamlit, no SQL, no network here.
"""
from __future__ import annotations

import datetime
from typing import Callable

import pandas as pd
from pptx.util import Inches

from perfeval.decks.slides import (
    BODY_PT,
    CONTENT_BOTTOM,
    CONTENT_H,
    CONTENT_TOP,
    CONTENT_W,
    MARGIN,
    MUTED,
    SMALL_PT,
    Deck,
)
from perfeval.text import fmt
from perfeval.text.i18n import Translator

Query = Callable[..., pd.DataFrame]  # q(name, **params): queries/<name>.sql for the viewer's scope

DECK_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FILTER_KEYS = ("region", "year_from", "year_to", "category", "evaluator_type")

# The pages' words for data that are not real (perfeval.ui.common.demo_badge; a test keeps them equal).
DEMO_BADGE_ZH = "示例数据"
GENERATED_ZH, GENERATED_EN = "测试生成数据", "Generated data"

INDICATOR_BARS = 10    # indicators in a points-lost chart (either deck)

L, T, W, H = MARGIN, CONTENT_TOP, CONTENT_W, CONTENT_H
IN = Inches


def deck_filename(kind: str, lang: str, now=None) -> str:
    """The file name of a deck: 绩效评价总览-20261122.pptx / portfolio-20261122.pptx (kind "portfolio"),
    项目绩效评价-20261122.pptx / project-20261122.pptx (kind "project")."""
    now = now or datetime.datetime.now()
    names = {"portfolio": ("绩效评价总览", "portfolio"), "project": ("项目绩效评价", "project")}
    if kind not in names:
        raise ValueError(f"unknown deck kind {kind!r}")
    stem = names[kind][0 if lang == "zh" else 1]
    return f"{stem}-{now:%Y%m%d}.pptx"


def badge_text(kinds, lang: str) -> str | None:
    """The badge every slide carries when any row shown is not real data; None when all are real."""
    kinds = {k for k in kinds if isinstance(k, str)}
    parts = []
    if "demo" in kinds:
        parts.append(DEMO_BADGE_ZH if lang == "zh" else DEMO_BADGE_ZH + " (demonstration data)")
    if "generated" in kinds:
        parts.append(GENERATED_ZH if lang == "zh" else GENERATED_EN)
    return " · ".join(parts) or None


def badge_sentences(kinds, t: Translator) -> list[str]:
    """The pages' warnings, for the title slide."""
    kinds = set(kinds)
    out = []
    if "demo" in kinds:
        out.append(DEMO_BADGE_ZH + t("：本演示文稿含虚构地区的演示数据，不是真实评价结果。",
                                     " (demonstration data): this deck includes made-up projects of fictional "
                                     "regions, not real evaluations."))
    if "generated" in kinds:
        out.append(t("测试生成数据：本演示文稿含程序生成的数据，不是真实评价结果。",
                     "Generated data: this deck includes machine-generated rows, not real evaluations."))
    return out


def date_text(now: datetime.datetime, lang: str) -> str:
    """A date as the title slides write it: 2026年11月22日 / 2026-11-22."""
    return f"{now.year}年{now.month}月{now.day}日" if lang == "zh" else now.strftime("%Y-%m-%d")


def filters_summary(params: dict, t: Translator, region_label: str | None = None,
                    include_demo: bool | None = None) -> str:
    """The filters in words: "地区 广东省 / 深圳市 · 2021—2023 年 · 类别 反诈 · 不含示例数据".
    ``region_label``: the region's name as the sidebar shows it (else its code); ``include_demo`` False
    adds that demonstration data are left out."""
    parts = []
    if params.get("region"):
        parts.append(t(f"地区 {region_label}", f"region {region_label}") if region_label
                     else t(f"地区代码 {params['region']}", f"region code {params['region']}"))
    a, b = params.get("year_from"), params.get("year_to")
    if a or b:
        span = f"{a or '…'}—{b or '…'}"
        parts.append(t(f"{span} 年", f"years {span}"))
    if params.get("category"):
        parts.append(t(f"类别 {params['category']}", f"category {params['category']}"))
    if params.get("evaluator_type"):
        parts.append(t(f"评价方式 {params['evaluator_type']}", f"evaluator {params['evaluator_type']}"))
    if include_demo is False:
        parts.append(t("不含示例数据", "without demonstration data"))
    return " · ".join(parts) if parts else t("全部项目（未筛选）", "All projects (no filter)")


def project_name(row: dict, t: Translator) -> str:
    """A project's name in the deck's language (the Chinese one where there is no English), else its id."""
    return t.pick(row, "name", "name_en") or str(row.get("project_id", ""))


def grade_text(v, lang: str) -> str:
    """A grade (优 / 良 / 中 / 差) as written, 未披露 where missing."""
    return v if isinstance(v, str) and v else fmt.not_reported(lang)


def title_slide(deck: Deck, title: str, lines: list[str], warnings: list[str], t: Translator):
    """A deck's first slide: the title, ``lines`` below it in grey, and the ``warnings`` (demonstration or
    generated data) in orange; returns the slide."""
    s = deck.slide(title, big=True)
    deck.text(s, L, IN(3.35), W, IN(2.1), lines, 20, colour=MUTED, name="subtitle", min_size=16)
    if warnings:
        deck.text(s, L, IN(5.55), W, IN(1.2), warnings, BODY_PT, colour="BC4C00", bold=True, name="warning")
    return s


def note(deck: Deck, slide, top, lines: list[str], height=None, name: str = "note", size=SMALL_PT):
    """Notes under a chart or table: small grey text down to the content's bottom."""
    height = height if height is not None else CONTENT_BOTTOM - top
    if lines and height > IN(0.3):
        deck.text(slide, L, top, W, height, lines, size, colour=MUTED, name=name)


def band_lines(bands: pd.DataFrame, t: Translator) -> list[str]:
    """The grade bands (scorecard_grade_bands' default set) in words, best first: "优：90 分及以上" …"""
    b = bands[bands["band_set"] == "default"] if "band_set" in bands else bands
    if b.empty:
        b = bands
    rows = b.sort_values("min_score", ascending=False).to_dict("records")
    out, upper = [], None
    for r in rows:
        lo = fmt.score(r["min_score"])
        if upper is None:
            out.append(t(f"{r['grade']}：{lo} 分及以上", f"{r['grade']} ({r['name_en']}): {lo} and above"))
        elif r["min_score"] <= 0:
            out.append(t(f"{r['grade']}：{upper} 分以下", f"{r['grade']} ({r['name_en']}): below {upper}"))
        else:
            out.append(t(f"{r['grade']}：{lo}（含）— {upper} 分", f"{r['grade']} ({r['name_en']}): {lo} to under {upper}"))
        upper = lo
    return out
