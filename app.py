"""Entry point: routes to the pages (perfeval.pages.PAGES) in their sections, draws the shared sidebar.
No data logic here."""
import pathlib

import streamlit as st

from perfeval.pages import PAGES, SECTIONS
from perfeval.ui import audit, auth, sidebar, state

HERE = pathlib.Path(__file__).parent

st.set_page_config(page_title="绩效评价看板", page_icon=str(HERE / "static" / "icon.png"), layout="wide")
state.init_from_url()
t = state.tr()
auth.stop_unless_signed_in(t)  # nobody (or a non-loopback address without sign-in): a message, no page

nav_pages: dict[str, list] = {t(*title): [] for title in SECTIONS.values()}
hidden = []
for pg in PAGES:
    if pg.admin_only and not audit.is_admin():
        continue  # not routed: its URL is "page not found" to everyone else
    section = t(*SECTIONS[pg.section])
    if pg.default:
        # the overview is served at the root and, for links and bookmarks, at /overview too (a default
        # page is only served at the root: /overview alone would show "page not found")
        nav_pages[section].append(st.Page(str(HERE / pg.file), title=t(pg.zh, pg.en), url_path="home",
                                          icon=pg.icon, default=True))
        hidden.append(st.Page(str(HERE / pg.file), title=t(pg.zh, pg.en), url_path=pg.url, icon=pg.icon,
                              visibility="hidden"))
    else:
        nav_pages[section].append(st.Page(str(HERE / pg.file), title=t(pg.zh, pg.en), url_path=pg.url,
                                          icon=pg.icon))
nav_pages[t(*SECTIONS[PAGES[0].section])] += hidden
nav = st.navigation(nav_pages)
current = next((pg for pg in PAGES if pg.url == nav.url_path), PAGES[0])
sidebar.render(filters=current.has_filters)
# a page view with its filters (the URL's): as asked for, then as the page left them if they changed (after
# st.stop or st.rerun nothing more runs: that page's filters are logged at the start of the next run)
audit.page_view(current.url)
nav.run()
audit.page_view(current.url)
