"""The project pickers: "focus on one project" on the budget, outcomes and satisfaction pages (``pick``),
and the project page's own (``pick_project``). They only draw: what they list and say is made by the page
models of perfeval.views.focus (cached per filters, search, scope and data version).

``?project=<id>`` in the URL focuses the page on that project; no parameter means every project the sidebar
filters select. The widget and the URL are kept in step both ways: a link sets the widget, a choice in
the widget rewrites the URL at once (in the callback), so the next run does not snap back to the old link.

The select box lists at most ``picker.MAX_OPTIONS`` projects (a list of every project costs each rerun
and the browser dearly at 100 000 projects): the first selected ones in the page's order, or, when there
are more, those a search box finds by name or id (queries/project_search*.sql). A linked project is offered
even when the list lacks it; a caption says how many projects the list leaves out (perfeval.views.picker).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from perfeval.text import glossary as terms
from perfeval.ui import common, state
from perfeval.views import focus as focus_view
from perfeval.views import picker

ALL = focus_view.ALL  # the "every selected project" option (a None option would read as "nothing chosen")


def _to_url(widget_key: str):
    def cb():
        value = st.session_state.get(widget_key)
        if value and value != ALL:
            st.query_params["project"] = value
        elif "project" in st.query_params:
            del st.query_params["project"]
    return cb


def search_box(where, total: int, key: str) -> str | None:
    """A search field for a picker whose list is capped (``total`` > ``picker.MAX_OPTIONS`` projects), drawn
    in ``where``; the normalised search text, or None (no field when every project fits in the list)."""
    if total <= picker.MAX_OPTIONS:
        return None
    t = state.tr()
    text = where.text_input(t("查找项目", "Find a project"), key=key, type="search",
                            max_chars=picker.MAX_SEARCH_CHARS,
                            placeholder=t("名称或编号，回车查找", "name or id, then Enter"),
                            help=t(f"列表最多列出 {picker.MAX_OPTIONS} 个项目；输入名称或编号中的字词（空格分隔）查找其余项目。",
                                   f"The list holds at most {picker.MAX_OPTIONS} projects; type words of a name or "
                                   "an id (separated by spaces) to find the others."))
    return picker.normalise_search(text)


def pick(projects: pd.DataFrame, widget_key: str) -> str | None:
    """Draw the picker over the projects the sidebar's filters select (``projects``: `selected_projects`'
    rows, which the model reads the same way); return the focused id or None (all).

    A ``?project=`` that is not among them (unknown, out of scope or filtered out) is reported and the page
    falls back to every selected project. The select box holds at most ``picker.MAX_OPTIONS`` projects (and
    the linked one); with more, a search box finds the others.
    """
    args = {"filters": state.filters(), "wanted": st.query_params.get("project") or None, "lang": state.lang()}
    v = state.model(focus_view.picker_view, search=None, **args)
    if v["warning"]:
        st.warning(v["warning"])
    c_list, c_search = st.columns([3, 2]) if v["capped"] else (st, None)
    search = search_box(c_search, v["total"], f"{widget_key}_search")
    if search is not None:
        v = state.model(focus_view.picker_view, search=search, **args)
    wanted = v["wanted"]
    if st.session_state.get(widget_key) != (wanted or ALL):
        st.session_state[widget_key] = wanted or ALL
    names, label_all = v["names"], v["label_all"]
    chosen = c_list.selectbox(state.tr()("项目", "Project"), v["options"], key=widget_key,
                              on_change=_to_url(widget_key),
                              format_func=lambda k: label_all if k == ALL else names.get(k, k))
    if v["note"]:
        c_list.caption(v["note"])
    return None if chosen == ALL else chosen


def pick_project(widget_key: str) -> str:
    """The project page's picker: one visible project (whatever the sidebar's filters), by name; its id.

    ``?project=`` opens that project (an error says so when it is not visible); without it, the project
    last seen in the session (``f_project``), else the first by name. The select box lists at most
    ``picker.MAX_OPTIONS`` projects (queries/project_search_by_name.sql) plus the one shown; with more, a
    search box finds the others. Stops the page when there is no project to show.
    """
    t = state.tr()
    wanted = st.query_params.get("project")
    current, shown = st.session_state.get("f_project"), st.session_state.get(widget_key)
    ids = tuple(x if isinstance(x, str) else None for x in (wanted, current, shown))
    v = state.model(focus_view.project_choices, search=None, ids=ids, lang=state.lang())
    if v["empty"]:
        st.title(t("项目详情", "Project"))
        st.info(t("没有可查看的项目。", "No project to show."))
        st.stop()

    def visible(pid) -> bool:
        return isinstance(pid, str) and pid in v["labels"]

    if wanted and not visible(wanted):
        st.error(t(f"找不到项目 “{wanted}”（不存在或不在您的查看范围内）。",
                   f"Project “{wanted}” not found (it does not exist or is outside your scope)."))
    default = wanted if visible(wanted) else (current if visible(current) else v["first"])
    if not visible(shown) or (visible(wanted) and wanted != shown):
        st.session_state[widget_key] = default

    def to_url():
        # rewrite the URL in the callback, so the next run does not snap back to the old ?project=
        st.query_params["project"] = st.session_state[widget_key]

    c_list, c_search = st.columns([3, 2]) if v["capped"] else (st, None)
    search = search_box(c_search, v["total"], f"{widget_key}_search")
    if search is not None:
        v = state.model(focus_view.project_choices, search=search, ids=ids, lang=state.lang())
    options = picker.options(v["short"], st.session_state[widget_key])
    pid = c_list.selectbox(t(terms.PROJECT), options, format_func=v["labels"].get, key=widget_key,
                           on_change=to_url)
    if v["note"]:
        c_list.caption(v["note"])
    return pid


def selected_projects(title_zh: str, title_en: str) -> pd.DataFrame:
    """The projects the sidebar's filters select (rows of queries/budget_projects.sql).

    When there are none, the page gets its title and a note, and stops.
    """
    t = state.tr()
    projects = state.model(focus_view.selected, filters=state.filters())
    if projects.empty:
        state.write_url()
        common.page_header(t(title_zh, title_en), projects)
        st.info(t(terms.NO_PROJECT_MATCHES))
        st.stop()
    return projects


def focus(projects: pd.DataFrame, pid: str | None) -> tuple[pd.DataFrame, dict | None]:
    """(the rows the page shows, the focused project's row or None when it shows every selected project)."""
    return focus_view.focused(projects, pid)


def header(title_zh: str, title_en: str, pid: str | None) -> dict:
    """A focus page's title (with the focused project's name) and the data kinds it shows
    (perfeval.views.focus.header), for ``common.page_header(v["title"], kinds=v["kinds"])``."""
    return state.model(focus_view.header, filters=state.filters(), project_id=pid, title_zh=title_zh,
                       title_en=title_en, lang=state.lang())
