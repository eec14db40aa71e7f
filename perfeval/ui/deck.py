"""The slide-deck download buttons (perfeval.decks.portfolio, perfeval.decks.project): one click makes the
PPTX from the figures the page shows, for the viewer's scope and filters.

The deck is made only when the button is clicked (Streamlit's deferred download: ``data`` is a
callable, run in a worker thread), not on every rerun of the page. The callable asks its queries
through the same cache as the page (``state.cached_query``), with the scope and the lake version
captured when the page ran, so a warm deck repeats no query the page has already made.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from perfeval.decks.common import DECK_MIME, deck_filename, filters_summary
from perfeval.decks.portfolio import portfolio_deck
from perfeval.decks.project import project_deck
from perfeval.ui import audit, state
from perfeval.views import sidebar


def _query_for_now():
    """A ``q(name, **params)`` bound to this viewer's scope and the lake's current version."""
    path, scope, version = str(state.data_dir()), state.scope(), state.gate().version()
    return lambda name, **params: state.cached_query(path, name, params, scope, version)


def portfolio_button(f: state.Filters) -> None:
    """The overview's deck: 10 slides over the projects the filters ``f`` select."""
    t, lang, q = state.tr(), state.lang(), _query_for_now()
    params = f.params()
    label = state.model(sidebar.filter_options)["regions"].get(f.region)  # the sidebar's names of the regions
    text = t("筛选条件：", "Filters: ") + filters_summary(params, t, label, state.scope().include_demo)
    now = dt.datetime.now()
    name = deck_filename("portfolio", lang, now)
    st.download_button(
        t("📑 下载汇报材料（PPTX）", "📑 Download slides (PPTX)"),
        data=audit.download("deck_portfolio", lambda: portfolio_deck(q, params, lang, filters_text=text, now=now),
                            file=name, filters=params, lang=lang),  # handed out once its entry is written
        file_name=name, mime=DECK_MIME, key="deck_portfolio",
        on_click="ignore",
        help=t("用于评审会 / 汇报会的 10 页幻灯片：关键指标、等级分布、排名、失分、地区对比与数据来源，按当前筛选条件生成。",
               "10 slides for review meetings (key figures, grades, ranking, points lost, districts, data "
               "sources), for the current filters."))


def project_button(project_id: str) -> None:
    """One project's deck (project page)."""
    t, lang, q = state.tr(), state.lang(), _query_for_now()
    now = dt.datetime.now()
    name = deck_filename("project", lang, now)
    st.download_button(
        t("📑 下载项目汇报材料（PPTX）", "📑 Download the project's slides (PPTX)"),
        data=audit.download("deck_project", lambda: project_deck(q, project_id, lang, now=now), file=name,
                            project=project_id, lang=lang),  # handed out once its entry is written
        file_name=name, mime=DECK_MIME, key="deck_project",
        on_click="ignore",
        help=t("本项目的汇报幻灯片：得分与等级、失分指标、预算执行、成效、满意度与问题建议。",
               "This project's slides: score and grade, points lost, budget, outcomes, satisfaction, findings."))
