"""The first session of a freshly started server may land on a deep link (a link in a mail or a
slide): it must open that page and that project. Streamlit's pages/ folder broke exactly this, which
is why the pages live in app_pages/ and are routed by st.navigation (docs/architecture.md)."""
from __future__ import annotations

import pytest

from deploy.cluster import AppProcess
from tests.browser import ui
from tests.browser.pages import FT, SEEDS

pytestmark = pytest.mark.browser


def test_first_session_on_a_deep_link(page, tmp_path):
    with AppProcess(log_dir=tmp_path) as app:
        ui.open_page(page, f"{app.url}/project?project={FT}")
        assert ui.errors(page) == []
        assert ui.title(page) == SEEDS[FT]
        assert ui.metrics(page)["报告总分"] == "98.94"
        assert f"project={FT}" in page.url
        current = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
        assert current.count() == 1 and current.inner_text().strip().endswith("项目详情")


def test_first_session_on_a_filtered_overview(page, tmp_path):
    with AppProcess(log_dir=tmp_path) as app:
        ui.open_page(page, f"{app.url}/overview?region=4403")
        assert ui.errors(page) == []
        assert ui.metrics(page)["项目数"] == "1"
        assert SEEDS[FT] in ui.grid_cells(page)
