"""Every page in a real Chromium: loads without an error, shows its figures for each seed project,
filters and deep links work. A screenshot of each page lands in artifacts/screenshots/."""
from __future__ import annotations

import re
import urllib.parse

import pytest

from tests.browser import ui
from tests.browser.pages import FT, KEY_FIGURES, SEEDS, TJ, TS, page_files, routed_pages

pytestmark = pytest.mark.browser

PAGES = routed_pages()


def test_key_figures_name_routed_pages():
    """A KEY_FIGURES entry for a page that is not routed or takes no project would never be checked."""
    takes = {p.url for p in PAGES if p.takes_project}
    assert {url for url, _ in KEY_FIGURES} <= takes


def test_every_page_file_is_routed():
    """A page file that app.py does not route can never be opened in a browser."""
    routed = {p.file for p in PAGES}
    assert [f for f in page_files() if f not in routed] == []


@pytest.mark.parametrize("pg", PAGES, ids=lambda p: p.url)
def test_page_loads_without_error(page, app_url, screenshots, pg):
    # the first page is the default one: the menu entry is served at the root (and /overview is an alias)
    default = pg == PAGES[0]
    ui.open_page(page, f"{app_url}/{'' if default else pg.url}")
    assert ui.errors(page) == []
    assert ui.title(page), "every page has a title"
    # the menu lists every routed page, by its Chinese title
    assert ui.nav_titles(page) == [p.zh for p in PAGES]
    current = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
    assert current.inner_text().strip().splitlines()[-1].strip() == pg.zh, "the menu marks this page"
    if not default:
        assert f"/{pg.url}" in page.url, "the page keeps its own address"
    assert ui.clipped_bar_labels(page) == [], "a value beside a bar is cut off"
    ui.screenshot(page, screenshots / f"{pg.url}.png")
    if default:  # its own address works too, without a "page not found" notice
        title = ui.title(page)
        ui.open_page(page, f"{app_url}/{pg.url}")
        assert ui.errors(page) == [] and ui.title(page) == title
        assert "not found" not in page.locator("body").inner_text().lower()


@pytest.mark.parametrize("pid", list(SEEDS))
@pytest.mark.parametrize("pg", [p for p in PAGES if p.takes_project], ids=lambda p: p.url)
def test_page_for_each_seed_project(page, app_url, screenshots, pg, pid):
    """Pages with a ``?project=`` deep link, opened on each seed project."""
    ui.open_page(page, f"{app_url}/{pg.url}?project={pid}")
    assert ui.errors(page) == []
    assert f"project={pid}" in page.url, "the link's project stays in the address"
    expected = KEY_FIGURES.get((pg.url, pid))
    if expected:
        if "title" in expected:
            assert ui.title(page) == expected["title"]
        shown = ui.metrics(page)
        for label, value in expected["metrics"].items():
            assert shown.get(label) == value, (label, shown)
        text = ui.main_text(page)
        for snippet in expected.get("texts", []):
            assert snippet in text
    assert ui.clipped_bar_labels(page) == [], "a value beside a bar is cut off"
    ui.screenshot(page, screenshots / f"{pg.url}--{pid}.png")


def test_overview_shows_the_three_real_projects(page, app_url):
    ui.open_page(page, f"{app_url}/overview?demo=0")
    assert ui.errors(page) == []
    assert ui.metrics(page)["项目数"] == "3"
    cells = ui.grid_cells(page)
    for name in SEEDS.values():
        assert cells.count(name) == 1, name
    # the score-vs-execution chart is drawn, once (during a rerun an old and a new one coexist)
    chart = ui.chart(page, "得分与预算执行率")
    assert chart.count() == 1
    assert chart.locator(".main-svg").first.is_visible()


def test_overview_with_demo_data_says_so(page, app_url):
    ui.open_page(page, f"{app_url}/overview")
    n = int(ui.metrics(page)["项目数"].replace(",", ""))
    assert n >= 3
    if n > 3:  # the demonstration portfolio is in the lake: the badge must say so
        assert "示例数据" in ui.main_text(page)


def test_region_deep_link_selects_futian_only(page, app_url):
    ui.open_page(page, f"{app_url}/overview?region=4403")
    assert ui.errors(page) == []
    assert ui.metrics(page)["项目数"] == "1"
    cells = ui.grid_cells(page)
    assert SEEDS[FT] in cells
    assert SEEDS[TJ] not in cells and SEEDS[TS] not in cells
    # the sidebar shows the filter that the link carried, and the URL keeps it
    region_box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    assert "深圳" in region_box.locator("input").input_value()
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["region"] == ["4403"]


def test_project_deep_link_opens_tianjin(page, app_url):
    ui.open_page(page, f"{app_url}/project?project={TJ}")
    assert ui.title(page) == "2022年电诈运行保障经费"
    assert ui.metrics(page)["报告总分"] == "91.5"
    # the level-1 chart is drawn, once
    chart = ui.chart(page, "一级指标")
    assert chart.count() == 1
    assert chart.locator(".main-svg").first.is_visible()


def test_a_chart_goes_full_screen_and_back(page, app_url):
    """The chart's tool bar has a full-screen button (for the projector at review meetings): the chart
    then fills the screen, and comes back to its own height."""
    ui.open_page(page, f"{app_url}/project?project={TJ}")
    chart = ui.chart(page, "一级指标").first
    height = chart.locator(".main-svg").first.bounding_box()["height"]
    chart.hover()
    button = chart.locator('.modebar-btn[data-title="全屏"]')
    button.click()
    page.wait_for_function("() => document.fullscreenElement?.classList.contains('pe-chart')")
    svg = "document.querySelector('.pe-chart .main-svg').getBoundingClientRect()"
    page.wait_for_function(f"() => Math.abs({svg}.height - window.innerHeight) < 2"
                           f" && Math.abs({svg}.width - window.innerWidth) < 2")
    page.evaluate("() => document.exitFullscreen()")
    page.wait_for_function("() => !document.fullscreenElement")
    page.wait_for_function(f"() => Math.abs({svg}.height - {height}) < 2 && {svg}.width < window.innerWidth - 200")
    assert ui.errors(page) == []


def test_unknown_project_says_so(page, app_url):
    ui.open_page(page, f"{app_url}/project?project=no-such-project")
    alerts = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert len(alerts) == 1 and "no-such-project" in alerts[0]
    assert page.locator('[data-testid="stException"]').count() == 0


def test_sidebar_filter_narrows_the_set_and_survives_navigation(page, app_url):
    ui.open_page(page, f"{app_url}/overview?demo=0")
    ui.choose(page, "项目类别", "治安防控")
    assert ui.metrics(page)["项目数"] == "1"
    assert ui.grid_cells(page).count(SEEDS[TS]) == 1
    assert "category=" in page.url
    # to the project page through the menu and back: the filter is still applied
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="项目详情").click()
    ui.wait_ready(page)
    assert "/project" in page.url
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="总览").click()
    ui.wait_ready(page)
    assert ui.metrics(page)["项目数"] == "1"


def test_open_button_switches_to_the_project(page, app_url):
    ui.open_page(page, f"{app_url}/overview?demo=0")
    ui.choose(page, "打开项目详情", SEEDS[TS])
    page.get_by_role("button", name="打开", exact=True).click()
    page.wait_for_url(re.compile(r"/project\?.*project=" + TS))
    ui.wait_ready(page)
    assert ui.title(page) == SEEDS[TS]
    assert ui.metrics(page)["报告总分"] == "82.06"


def test_english_switch(page, app_url):
    ui.open_page(page, f"{app_url}/overview?demo=0")
    page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').get_by_text("English").click()
    ui.wait_ready(page)
    assert ui.title(page) == "Portfolio of evaluated projects"
    assert ui.metrics(page)["Projects"] == "3"
    assert "lang=en" in page.url
