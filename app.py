"""Entry point: routes to the pages, draws the shared sidebar. No data logic here."""
import pathlib

import streamlit as st

from perfeval.routes import NO_FILTERS
from perfeval.ui import sidebar, state

HERE = pathlib.Path(__file__).parent

st.set_page_config(page_title="绩效评价看板", page_icon=str(HERE / "static" / "icon.png"), layout="wide")
state.init_from_url()
t = state.tr()

# (file, zh title, en title, url path, icon). Each page's own file says what it shows.
PAGES = [
    ("app_pages/overview.py", "总览", "Overview", "overview", "📊"),
    ("app_pages/project.py", "项目详情", "Project", "project", "📄"),
    ("app_pages/compare.py", "地区对比", "Compare", "compare", "🗺️"),
    ("app_pages/budget.py", "预算执行", "Budget", "budget", "💰"),
    ("app_pages/outcomes.py", "成效指标", "Outcomes", "outcomes", "🎯"),
    ("app_pages/satisfaction.py", "满意度", "Satisfaction", "satisfaction", "🙂"),
    ("app_pages/import.py", "数据导入", "Import data", "import", "📥"),
]

pages = [st.Page(str(HERE / f), title=t(zh, en), url_path=url, icon=icon)
         for f, zh, en, url, icon in PAGES[1:] if (HERE / f).exists()]
# The overview is served at the root and, for links and bookmarks, at /overview too (a default
# page is only served at the root: /overview alone would show "page not found").
f, zh, en, url, icon = PAGES[0]
home = st.Page(str(HERE / f), title=t(zh, en), url_path="home", icon=icon, default=True)
alias = st.Page(str(HERE / f), title=t(zh, en), url_path=url, icon=icon, visibility="hidden")
nav = st.navigation([home, *pages, alias])
sidebar.render(filters=nav.url_path not in NO_FILTERS)
nav.run()
