"""The project pickers' short list (pure): the search text, the options and the note under the list.

A picker never lists more than ``MAX_OPTIONS`` projects: the first ones in the page's order, or those a
search by name or id finds (queries/project_search*.sql). A project opened by a link (``?project=``) that
is not among them is still offered, first, so the select box can show it.
"""
from __future__ import annotations

import re

MAX_OPTIONS = 200      # options a picker sends to the browser at most (besides "all" and a linked project)
MAX_SEARCH_CHARS = 80


def normalise_search(text: str | None) -> str | None:
    """The search text as the queries take it: words separated by one space, at most ``MAX_SEARCH_CHARS``
    characters; None when there is nothing to search for. Case is left to the query (it compares lower case).
    """
    if not isinstance(text, str):
        return None
    words = re.sub(r"\s+", " ", text).strip()[:MAX_SEARCH_CHARS].strip()
    return words or None


def options(short_ids: list[str], pinned: str | None, first: list[str] | None = None) -> list[str]:
    """The select box's options: ``first`` (e.g. "every project"), then ``pinned`` when the short list
    lacks it, then the short list."""
    head = list(first or [])
    if pinned is not None and pinned not in short_ids and pinned not in head:
        head.append(pinned)
    return head + list(short_ids)


def list_note(shown: int, matches: int, total: int, search: str | None, lang: str = "zh") -> str | None:
    """The caption under a picker: how much of the list it shows and how to find the rest; None when it
    shows every project and nothing is searched.

    ``shown`` = options listed (from the short list), ``matches`` = projects the search finds (``total``
    when there is no search), ``total`` = projects the picker chooses from.
    """
    zh = lang == "zh"
    if search is None:
        if shown >= total:
            return None
        if zh:
            return (f"列表中为前 {shown:,} 个项目（共 {total:,} 个，另有 {total - shown:,} 个未列出），"
                    "可按名称或编号查找其余项目。")
        return (f"The list shows the first {shown:,} of {total:,} projects ({total - shown:,} more): "
                "search by name or id to find the others.")
    if matches == 0:
        return (f"没有名称或编号包含“{search}”的项目。" if zh
                else f"No project's name or id contains “{search}”.")
    if shown >= matches:
        return (f"找到 {matches:,} 个名称或编号包含“{search}”的项目（共 {total:,} 个），请在列表中选择。" if zh
                else f"{matches:,} of {total:,} projects match “{search}”: choose one in the list.")
    if zh:
        return (f"找到 {matches:,} 个名称或编号包含“{search}”的项目，列表中为前 {shown:,} 个；"
                "再输入一些字词可缩小范围。")
    return (f"{matches:,} projects match “{search}”; the list shows the first {shown:,}: add words to narrow it.")
