"""Issue 18, "missing is never None": every page's visible text — its text, the cells of its tables and the
texts of its charts — holds no literal None, nan or NaN, on the bundled data and on a lake with partly
disclosed projects imported (tests/partial_lake.py: a partial tree, a total only, nothing)."""
from __future__ import annotations

import re

import pytest

from deploy.cluster import AppProcess
from tests import partial_lake as pl
from tests.browser import ui
from tests.browser.pages import routed_pages

pytestmark = pytest.mark.browser

PAGES = routed_pages()
LITERAL = re.compile(r"(?<![A-Za-z])(None|nan|NaN|<NA>)(?![A-Za-z])")


def _visible_text(page) -> str:
    """The main area's text, every table's cells (the grid is a canvas; its accessible cells hold the text)
    and every chart's SVG texts."""
    parts = [ui.main_text(page)]
    for i in range(page.locator('[data-testid="stDataFrame"]').count()):
        parts += ui.grid_cells(page, i, timeout=5)
    parts += page.locator(f"{ui.CHART} svg text").all_text_contents()
    return "\n".join(parts)


def _check(page, url: str) -> None:
    ui.open_page(page, url)
    assert ui.errors(page) == []
    # what sits in a closed expander is one click away: open them all
    closed = page.locator('[data-testid="stExpander"] details:not([open]) > summary')
    for i in range(closed.count()):
        closed.nth(0).click()  # the list shrinks as each one opens
        page.wait_for_timeout(100)
    ui.wait_ready(page)
    text = _visible_text(page)
    # the project page keeps part of what it shows in tabs: open each one
    tabs = page.get_by_role("tab")
    for i in range(tabs.count()):
        tabs.nth(i).click()
        page.wait_for_timeout(200)
        text += "\n" + _visible_text(page)
    found = sorted({m.group(0) for m in LITERAL.finditer(text)})
    assert found == [], f"{url}: {found} on screen"


@pytest.mark.parametrize("pg", PAGES, ids=lambda p: p.url)
def test_bundled_data_page_shows_no_literal_missing(page, app_url, pg):
    _check(page, f"{app_url}/{pg.url}")


@pytest.fixture(scope="module")
def partial_url(tmp_path_factory):
    lake = pl.make_lake(tmp_path_factory.mktemp("partial"))
    app = AppProcess(data=lake, log_dir=tmp_path_factory.mktemp("streamlit-partial"))
    app.start()
    yield app.url
    app.stop()


@pytest.mark.parametrize("pid", [pl.TREE, pl.TOTAL, pl.NOTHING])
@pytest.mark.parametrize("pg", [p for p in PAGES if p.takes_project], ids=lambda p: p.url)
def test_partial_project_page_shows_no_literal_missing(page, partial_url, pg, pid):
    _check(page, f"{partial_url}/{pg.url}?project={pid}&demo=0")


# without the demonstration portfolio the partial projects are among the few rows a grid draws (it draws the
# rows in view only), so a None in any of their cells is on screen
@pytest.mark.parametrize("url", ["?demo=0", "?demo=0&region=34",
                                 "compare?demo=0&projects=" + ",".join([pl.TREE, pl.TOTAL, pl.NOTHING])])
def test_partial_lake_overview_and_compare_show_no_literal_missing(page, partial_url, url):
    _check(page, f"{partial_url}/{url}")
