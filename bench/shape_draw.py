"""The Streamlit calls that draw a page's shape (bench/shapes.py) again: what bench/shape_app.py runs.

In a module of its own, not in the shape app's script, so that it is compiled once per process: Streamlit
compiles a page's script (and rewrites it for "magic") on each AppTest run, and the shape app's own script
stays a few lines, as light to compile as a page's file. ``draw(shape)`` draws the sidebar, then the main
area, with the same calls the page made; the app's pages are not routed here, so a page link points at the
same path as a plain URL.
"""
from __future__ import annotations

import pathlib

import streamlit as st

from bench import shapes
from perfeval.ui import plot


def draw(shape: dict) -> None:
    """Draw ``shape`` (as bench/shapes.py ``capture`` returns it) into this run's page."""
    _draw(shape["sidebar"], st.sidebar)
    _draw(shape["main"], st)


@st.cache_resource(show_spinner=False, max_entries=4)
def loaded(path: str, mtime: float) -> dict:
    """The shape saved at ``path``, loaded once per process (and again when the file changes)."""
    return shapes.load(pathlib.Path(path))


def _draw(nodes: list[dict], dg) -> None:
    """Draw ``nodes`` into ``dg`` (st, st.sidebar, a column, an expander, a container)."""
    for node in nodes:
        kind, a = node["kind"], node["args"]
        if node.get("unsupported"):
            continue  # not drawn: the element counts show it (tests/app/test_bench_shape.py)
        if "children" in node:
            _block(node, dg)
        elif kind in ("title", "header", "subheader"):
            getattr(dg, kind)(a["body"], anchor=a["anchor"], help=a["help"],
                              **({"divider": a["divider"]} if "divider" in a else {}))
        elif kind in ("markdown", "caption"):
            getattr(dg, kind)(a["body"], help=a["help"], unsafe_allow_html=a["unsafe_allow_html"])
        elif kind == "divider":
            dg.divider()
        elif kind in ("info", "warning", "success", "error"):
            getattr(dg, kind)(a["body"], icon=a["icon"])
        elif kind == "metric":
            dg.metric(a["label"], a["value"], delta=a["delta"], help=a["help"], border=a["border"],
                      label_visibility=a["label_visibility"])
        elif kind == "dataframe":
            dg.dataframe(a["data"], column_config=a["column_config"] or None, width="stretch")
        elif kind == "table":
            dg.table(a["data"])
        elif kind == "chart":
            plot.chart(a["spec"], key=a["key"], where=None if dg is st else dg)
        elif kind == "selectbox":
            dg.selectbox(a["label"], a["options"], index=a["index"], help=a["help"], key=a["key"],
                         disabled=a["disabled"], placeholder=a["placeholder"],
                         accept_new_options=a["accept_new_options"], label_visibility=a["label_visibility"])
        elif kind == "radio":
            dg.radio(a["label"], a["options"], index=a["index"], help=a["help"], key=a["key"],
                     disabled=a["disabled"], horizontal=a["horizontal"], captions=a["captions"],
                     label_visibility=a["label_visibility"])
        elif kind == "multiselect":
            dg.multiselect(a["label"], a["options"], default=a["default"], help=a["help"], key=a["key"],
                           disabled=a["disabled"], max_selections=a["max_selections"],
                           placeholder=a["placeholder"], accept_new_options=a["accept_new_options"],
                           label_visibility=a["label_visibility"])
        elif kind in ("checkbox", "toggle"):
            getattr(dg, kind)(a["label"], value=a["value"], help=a["help"], key=a["key"], disabled=a["disabled"],
                              label_visibility=a["label_visibility"])
        elif kind == "date_input":
            dg.date_input(a["label"], value=a["value"], min_value=a["min_value"], max_value=a["max_value"],
                          format=a["format"] or "YYYY/MM/DD", help=a["help"], key=a["key"], disabled=a["disabled"],
                          label_visibility=a["label_visibility"])
        elif kind == "slider":
            dg.slider(a["label"], min_value=a["min_value"], max_value=a["max_value"], value=a["value"],
                      step=a["step"], format=a["format"], help=a["help"], key=a["key"], disabled=a["disabled"],
                      label_visibility=a["label_visibility"])
        elif kind == "number_input":
            dg.number_input(a["label"], min_value=a["min_value"], max_value=a["max_value"], value=a["value"],
                            step=a["step"], format=a["format"], help=a["help"], key=a["key"],
                            disabled=a["disabled"], placeholder=a["placeholder"],
                            label_visibility=a["label_visibility"])
        elif kind in ("text_input", "text_area"):
            extra = {"type": a["type"]} if kind == "text_input" else {}
            getattr(dg, kind)(a["label"], value=a["value"], max_chars=a["max_chars"], help=a["help"],
                              key=a["key"], disabled=a["disabled"], placeholder=a["placeholder"],
                              label_visibility=a["label_visibility"], **extra)
        elif kind == "button":
            dg.button(a["label"], help=a["help"], key=a["key"], type=a["type"], icon=a["icon"],
                      disabled=a["disabled"])
        elif kind == "download_button":
            dg.download_button(a["label"], data=(lambda: b"") if a["deferred"] else b"", file_name="shape.bin",
                               help=a["help"], key=a["key"], type=a["type"], icon=a["icon"],
                               disabled=a["disabled"], on_click="ignore" if a["ignore_rerun"] else "rerun")
        elif kind == "link_button":
            dg.link_button(a["label"], a["url"], help=a["help"])
        elif kind == "page_link":
            # the app's pages are not routed here: the link is drawn as an external one to the same path
            page = a["page"] if a["external"] else f"http://localhost/{a['page']}"
            dg.page_link(page + (f"?{a['query_string']}" if a["query_string"] and not a["external"] else ""),
                         label=a["label"], icon=a["icon"], help=a["help"], disabled=a["disabled"])
        elif kind == "button_group":
            draw = dg.pills if a["style"] == "pills" else dg.segmented_control
            draw(a["label"], a["options"], selection_mode=a["selection_mode"], default=a["default"],
                 help=a["help"], key=a["key"], disabled=a["disabled"], label_visibility=a["label_visibility"])
        elif kind == "file_uploader":
            dg.file_uploader(a["label"], type=a["type"], accept_multiple_files=a["accept_multiple_files"],
                             help=a["help"], key=a["key"], disabled=a["disabled"],
                             label_visibility=a["label_visibility"])
        elif kind == "code":
            dg.code(a["body"], language=a["language"])
        elif kind == "json":
            dg.json(a["body"], expanded=a["expanded"])
        elif kind == "empty":
            dg.empty()


def _block(node: dict, dg) -> None:
    kind, a, children = node["kind"], node["args"], node["children"]
    if kind == "flex_container":
        if a["horizontal"] and children and all(c["kind"] == "column" for c in children):
            first = children[0]["args"]
            cols = dg.columns([c["args"]["weight"] for c in children], gap=first["gap"],
                              vertical_alignment=first["vertical_alignment"], border=first["border"])
            for col, child in zip(cols, children):
                _draw(child["children"], col)
        else:
            _draw(children, dg.container(border=a["border"], height=a["height"], horizontal=a["horizontal"],
                                         gap=a["gap"], key=a["key"]))
    elif kind in ("expander", "expandable"):
        _draw(children, dg.expander(a["label"], expanded=a["expanded"], icon=a["icon"]))
    elif kind == "tab_container":
        for tab, child in zip(dg.tabs([c["args"]["label"] for c in children]), children):
            _draw(child["children"], tab)
    elif kind == "popover":
        _draw(children, dg.popover(a["label"]))
    else:  # a plain container
        _draw(children, dg.container(key=a.get("key")))
