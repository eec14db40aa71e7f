"""The "focus on one project" picker of the budget, outcomes and satisfaction pages.

``?project=<id>`` in the URL focuses the page on that project; no parameter means every project the sidebar
filters select. The widget and the URL are kept in step both ways: a link sets the widget, a choice in
the widget rewrites the URL at once (in the callback), so the next run does not snap back to the old link.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from perfeval.ui import common, state


ALL = "__all__"  # the "every selected project" option (a None option would read as "nothing chosen")


def _to_url(widget_key: str):
    def cb():
        value = st.session_state.get(widget_key)
        if value and value != ALL:
            st.query_params["project"] = value
        elif "project" in st.query_params:
            del st.query_params["project"]
    return cb


def pick(projects: pd.DataFrame, widget_key: str) -> str | None:
    """Draw the picker over ``projects`` (project_id, short_name/name); return the focused id or None (all).

    A ``?project=`` that is not among ``projects`` (unknown, out of scope or filtered out) is reported and
    the page falls back to every selected project.
    """
    t = state.tr()
    ids = list(projects["project_id"])
    names = dict(zip(projects["project_id"], projects["name"]))
    wanted = st.query_params.get("project") or None
    if wanted and wanted not in ids:
        st.warning(t(f"项目 “{wanted}” 不存在、不在您的查看范围内或不符合当前筛选条件，下面显示全部所选项目。",
                     f"Project “{wanted}” does not exist, is outside your scope or does not match the filters; "
                     f"showing every selected project."))
        wanted = None
    options = [ALL, *ids]
    if st.session_state.get(widget_key) != (wanted or ALL):
        st.session_state[widget_key] = wanted or ALL
    label_all = t(f"全部所选项目（{len(ids)} 个）", f"All selected projects ({len(ids)})")
    chosen = st.selectbox(t("项目", "Project"), options, key=widget_key, on_change=_to_url(widget_key),
                          format_func=lambda k: label_all if k == ALL else names.get(k, k))
    return None if chosen == ALL else chosen


def selected_projects(title_zh: str, title_en: str) -> pd.DataFrame:
    """The projects the sidebar's filters select (rows of queries/budget_projects.sql).

    When there are none, the page gets its title and a note, and stops.
    """
    t = state.tr()
    projects = state.query("budget_projects", **state.filters().params(), project_id=None)
    if projects.empty:
        state.write_url()
        common.page_header(t(title_zh, title_en), projects)
        st.info(t("当前筛选条件下没有项目。", "No project matches the filters."))
        st.stop()
    return projects


def focus(projects: pd.DataFrame, pid: str | None) -> tuple[pd.DataFrame, dict | None]:
    """(the rows the page shows, the focused project's row or None when it shows every selected project)."""
    if pid is None:
        return projects, None
    sel = projects[projects["project_id"] == pid]
    return sel, sel.iloc[0].to_dict()
