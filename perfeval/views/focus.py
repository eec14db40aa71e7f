"""The project pickers' page models (pure): the projects the sidebar's filters select, what a picker lists
and says, and the title and data kinds of a page focused on one project.

Two pickers (drawn by perfeval.ui.project_focus):

- the focus picker of the budget, outcomes and satisfaction pages (`selected`, `picker`, `header`):
  "every selected project" or one of them, in the order of queries/budget_projects.sql (by id);
- the project page's own (`project_choices`): one visible project, whatever the filters, by name.

Either lists at most ``picker.MAX_OPTIONS`` projects: the first ones, or those a search by name or id finds
(queries/project_search*.sql); a linked project the list lacks is offered too (perfeval.views.picker).
"""
from __future__ import annotations

import pandas as pd

from perfeval.domain.portfolio import data_kinds
from perfeval.text.i18n import Translator
from perfeval.views import picker
from perfeval.views.common import Filters

ALL = "__all__"  # the "every selected project" option (a None option would read as "nothing chosen")


def selected(q, *, filters: Filters) -> pd.DataFrame:
    """The projects the sidebar's filters select: rows of queries/budget_projects.sql (project_id, name,
    short_name, data_kind …), ordered by id."""
    return q("budget_projects", **filters.params(), project_id=None)


def focused(projects: pd.DataFrame, project_id: str | None) -> tuple[pd.DataFrame, dict | None]:
    """(the rows of ``projects`` a page shows, the focused project's row or None when it shows them all)."""
    if project_id is None:
        return projects, None
    sel = projects[projects["project_id"] == project_id]
    return sel, sel.iloc[0].to_dict()


def header(q, *, filters: Filters, project_id: str | None, title_zh: str, title_en: str, lang: str) -> dict:
    """A focus page's title (``title · the focused project's name``) and the data kinds of the projects it
    shows (for the sources note and the demo badge)."""
    t = Translator(lang)
    sel, one = focused(selected(q, filters=filters), project_id)
    return {"title": t(title_zh, title_en) + (f" · {t.pick(one, 'name', 'name_en')}" if one else ""),
            "kinds": data_kinds(sel)}


def picker_view(q, *, filters: Filters, wanted: str | None, search: str | None, lang: str) -> dict:
    """The focus picker over the projects the filters select, with ``?project=wanted`` and a search text.

    total: projects selected; capped: whether the list is cut (a search box is offered); warning: the text
    when ``wanted`` is not among them (then the page shows every selected project), else None; wanted: the
    linked project, None when there is none or it is not selected; options: the select box's options
    (`ALL` first); names: {project_id: name} of those options; label_all: how "every project" reads;
    note: the caption under the list, or None.
    """
    t = Translator(lang)
    projects = selected(q, filters=filters)
    warning = None
    linked = projects["project_id"] == wanted if wanted else None
    if wanted and not linked.any():
        warning = t(f"项目 “{wanted}” 不存在、不在您的查看范围内或不符合当前筛选条件，下面显示全部所选项目。",
                    f"Project “{wanted}” does not exist, is outside your scope or does not match the filters; "
                    f"showing every selected project.")
        wanted = None
    total = len(projects)
    if search is None:
        short, matches = projects.head(picker.MAX_OPTIONS), total
    else:
        short = q("project_search", **filters.params(), search=search, limit=picker.MAX_OPTIONS)
        matches = int(short["matches"].iloc[0]) if len(short) else 0
    short_ids = short["project_id"].tolist()
    names = dict(zip(short_ids, short["name"].tolist()))
    if wanted and wanted not in names:
        names[wanted] = projects.loc[linked, "name"].iloc[0]
    return {
        "total": total, "capped": total > picker.MAX_OPTIONS, "warning": warning, "wanted": wanted,
        "options": picker.options(short_ids, wanted, first=[ALL]), "names": names,
        "label_all": t(f"全部所选项目（{total:,} 个）", f"All selected projects ({total:,})"),
        "note": picker.list_note(len(short_ids), matches, total, search, lang),
    }


def project_choices(q, *, search: str | None, ids: tuple, lang: str) -> dict:
    """The project page's picker: every visible project (whatever the filters), by name.

    empty: no project is visible; total: visible projects; capped: whether the list is cut (a search box is
    offered); first: the first project by name; short: the ids the list holds (the first ones by name, or
    those ``search`` finds); labels: {project_id: name} of those, of the first ones and of each of ``ids``
    that is visible (an id that is not visible — unknown, out of scope — is not in it); note: the caption
    under the list, or None.
    """
    first = q("project_search_by_name", search=None, limit=picker.MAX_OPTIONS)
    if first.empty:
        return {"empty": True}
    total = int(first["matches"].iloc[0])
    labels = dict(zip(first["project_id"].tolist(), first["name"].tolist()))
    for pid in ids:
        if isinstance(pid, str) and pid and pid not in labels:
            facts = q("project_facts", project_id=pid)
            if not facts.empty:
                labels[pid] = facts["name"].iloc[0]
    if search is None:
        short, matches = first, total
    else:
        short = q("project_search_by_name", search=search, limit=picker.MAX_OPTIONS)
        matches = int(short["matches"].iloc[0]) if len(short) else 0
        labels.update(zip(short["project_id"].tolist(), short["name"].tolist()))
    return {"empty": False, "total": total, "capped": total > picker.MAX_OPTIONS,
            "first": first["project_id"].iloc[0], "short": short["project_id"].tolist(), "labels": labels,
            "note": picker.list_note(len(short), matches, total, search, lang)}

