"""Layout pieces every page uses: the title with whose data it shows, the demo badge, KPI rows."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from perfeval.domain.portfolio import data_kinds, sources_note_of
from perfeval.text import fmt
from perfeval.ui import state

DEMO_BADGE_ZH = "示例数据"


def demo_badge(df: pd.DataFrame) -> bool:
    """Show the 示例数据 badge when ``df`` holds any non-real row; True if it did."""
    return demo_badge_of(set(data_kinds(df)))


def demo_badge_of(kinds: set[str]) -> bool:
    """`demo_badge` from the data kinds a view's rows have."""
    t = state.tr()
    shown = False
    if "demo" in kinds:
        st.warning("⚠️ " + DEMO_BADGE_ZH + t("：本视图含虚构地区的演示数据，不是真实评价结果。",
                                          " (demonstration data): this view includes made-up projects "
                                          "of fictional regions, not real evaluations."))
        shown = True
    if "generated" in kinds:
        st.warning("⚠️ " + t("测试生成数据：本视图含程序生成的数据，不是真实评价结果。",
                             "Generated data: this view includes machine-generated rows, not real evaluations."))
        shown = True
    return shown


def page_header(title: str, df: pd.DataFrame | None = None, kinds: dict[str, int] | None = None) -> None:
    """The page title, then whose data it shows (and the demo badge where needed): of the rows of
    ``df``, or from their counts per data kind (``kinds``, `perfeval.domain.portfolio.data_kinds`)."""
    st.title(title)
    if df is not None:
        kinds = data_kinds(df)
    if kinds is not None:
        st.caption(sources_note_of(kinds, state.lang()))
        demo_badge_of(set(kinds))


def kpi_row(items: list[tuple[str, str]], help_texts: list[str | None] | None = None) -> None:
    """Rows of st.metric cards from (label, formatted value) pairs: one row, or more where a value would
    not fit its card (a national total of 42,100,709.06 万元 is cut off four to a row)."""
    per_row = fmt.cards_per_row([value for _, value in items], len(items))
    helps = list(help_texts) if help_texts else [None] * len(items)
    for start in range(0, len(items), per_row):
        cols = st.columns(per_row)
        for col, (label, value), help_text in zip(cols, items[start:start + per_row], helps[start:start + per_row]):
            col.metric(label, value, help=help_text)


# A styled table costs Streamlit about 15 ms per 100 rows × 10 columns to send (pandas' Styler renders every
# cell; 74 ms at 500 rows, measured): longer tables (the capped lists at national scale) keep their 未披露 text
# without the grey, so that a page's rerun stays within its budget (docs/performance.md)
GREY_MAX_ROWS = 100


def table(df: pd.DataFrame, **kwargs) -> None:
    """st.dataframe with the one rule for missing values: a cell that says 未披露 / not reported is grey
    (fmt.MISSING_COLOR), as in every other view, in a table of at most `GREY_MAX_ROWS` rows; ``kwargs`` go to
    st.dataframe as they are."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    text_cols = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype)]
    if 0 < len(df) <= GREY_MAX_ROWS and any(df[c].map(fmt.is_not_reported).any() for c in text_cols):
        st.dataframe(df.style.map(fmt.missing_css, subset=text_cols), **kwargs)
    else:
        st.dataframe(df, **kwargs)
