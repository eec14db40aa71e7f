"""The app's pages, as data: the one list that app.py routes, and the browser tests, the benchmarks and
the cache warmer (deploy/warm.py) visit.

Each page's file is ``app_pages/<url>.py``, named after its url path: before an AppTest's first run
Streamlit finds a page by its file name (the bench opens each page that way).
"""
from __future__ import annotations

import pathlib
from dataclasses import dataclass

from perfeval.config import ROOT

# the navigation's sections, as leadership scans it: what to look at, what to analyse, what to load
SECTIONS = {"board": ("看板", "Dashboard"), "analysis": ("分析", "Analysis"), "data": ("数据", "Data")}


@dataclass(frozen=True)
class Page:
    url: str               # url path: /overview (the file is app_pages/<url>.py)
    zh: str                # title in the navigation
    en: str
    icon: str
    section: str           # a key of SECTIONS
    takes_project: bool = False   # takes ``?project=<id>`` (a deep link to one project)
    draws_charts: bool = True     # the time-to-first-chart measures and tests skip a page that draws none
    has_filters: bool = True      # the sidebar's filters apply (app.py shows only the language switch otherwise)
    default: bool = False         # served at the root too
    admin_only: bool = False      # routed for administrators only (app.py); others get no such page

    @property
    def file(self) -> str:
        return f"app_pages/{self.url}.py"

    @property
    def stem(self) -> str:
        return pathlib.Path(self.file).stem

    @property
    def path(self) -> pathlib.Path:
        return ROOT / self.file


PAGES: tuple[Page, ...] = (
    Page("overview", "总览", "Overview", "📊", "board", default=True),
    Page("project", "项目详情", "Project", "📄", "board", takes_project=True),
    Page("compare", "地区对比", "Compare", "🗺️", "analysis"),
    Page("budget", "预算执行", "Budget", "💰", "analysis", takes_project=True),
    Page("outcomes", "成效指标", "Outcomes", "🎯", "analysis", takes_project=True),
    Page("satisfaction", "满意度", "Satisfaction", "🙂", "analysis", takes_project=True),
    # an upload is checked and written whatever the filters are (they stay in the session and the URL)
    Page("import", "数据导入", "Import data", "📥", "data", draws_charts=False, has_filters=False),
    # who did what (perfeval.auth.audit_log): administrators only
    Page("audit_log", "审计日志", "Audit log", "🛡️", "data", draws_charts=False, has_filters=False, admin_only=True),
)


def routed_pages() -> list[Page]:
    """Every page, in menu order."""
    return list(PAGES)


def page(url: str) -> Page:
    """The page at ``url``."""
    return next(p for p in PAGES if p.url == url)
