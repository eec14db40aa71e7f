"""The sidebar: language switch, global filters and the demo switch, kept across pages."""
from __future__ import annotations

import streamlit as st

from perfeval.text import glossary as terms
from perfeval.ui import auth, state
from perfeval.views import sidebar


def _sync(widget_key: str, state_key: str):
    def cb():
        st.session_state[state_key] = st.session_state[widget_key]
    return cb


def render(filters: bool = True) -> None:
    """Draw the sidebar; the chosen values land in the ``f_*`` session keys and the URL.

    ``filters=False`` (a page the filters do not apply to, such as the import): the language switch
    only. The filters' values stay in their ``f_*`` keys and the URL, so the next page shows them."""
    t = state.tr()
    sb = st.sidebar
    sb.radio(t("语言", "Language"), ["zh", "en"], format_func=lambda v: "中文" if v == "zh" else "English",
             horizontal=True, key="w_lang", index=0 if state.lang() == "zh" else 1,
             on_change=_sync("w_lang", "lang"))
    t = state.tr()
    auth.sidebar(t)  # who is signed in, or 本机模式（未启用登录）
    if not filters:
        sb.caption(t("筛选条件不适用于本页，回到其他页面时保持不变。",
                     "The filters do not apply to this page; the other pages keep them."))
        return
    opts = state.model(sidebar.filter_options)
    sb.header(t("筛选", "Filters"))

    # {prefix: label} from queries/region_options.sql (the same options as perfeval.domain.regions.region_options
    # over filter_options, without a Python loop over its rows)
    regions = opts["regions"]
    region_keys = [None, *regions]
    cur = st.session_state.get("f_region")
    sb.selectbox(t(terms.REGION), region_keys,
                 index=region_keys.index(cur) if cur in region_keys else 0,
                 format_func={None: t("全部地区", "All regions"), **regions}.__getitem__,  # a C call per option
                 key="w_region", on_change=_sync("w_region", "f_region"))

    lo, hi = opts["years"]
    y0 = st.session_state.get("f_year_from") or lo
    y1 = st.session_state.get("f_year_to") or hi
    y0, y1 = max(lo, min(y0, hi)), max(lo, min(y1, hi))
    if lo < hi:
        def years_cb():
            a, b = st.session_state["w_years"]
            st.session_state["f_year_from"] = None if a == lo else a
            st.session_state["f_year_to"] = None if b == hi else b
        sb.slider(t("评价期（年）", "Evaluated years"), lo, hi, (y0, y1), key="w_years", on_change=years_cb)

    cats = [None, *opts["categories"]]
    cur = st.session_state.get("f_category")
    sb.selectbox(t("项目类别", "Category"), cats, index=cats.index(cur) if cur in cats else 0,
                 format_func=lambda k: t("全部类别", "All categories") if k is None else k,
                 key="w_category", on_change=_sync("w_category", "f_category"))

    evs = [None, *opts["evaluators"]]
    cur = st.session_state.get("f_evaluator_type")
    sb.selectbox(t(terms.EVALUATOR), evs, index=evs.index(cur) if cur in evs else 0,
                 format_func=lambda k: t("全部", "All") if k is None else k,
                 key="w_evaluator", on_change=_sync("w_evaluator", "f_evaluator_type"))

    sb.toggle(t("显示示例数据", "Show demonstration data"),
              value=bool(st.session_state.get("show_demo", st.session_state.get("demo_default", True))),
              key="w_demo", on_change=_sync("w_demo", "show_demo"),
              help=t("示例数据为虚构地区的演示数据，不是真实评价结果。数据中有真实导入数据时默认不显示。",
                     "Demonstration data are made up for fictional regions; they are not real evaluations. "
                     "Hidden by default once the lake holds real data of its own."))
