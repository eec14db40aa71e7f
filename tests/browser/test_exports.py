"""What a person takes away and brings in, in a real Chromium: the slide decks downloaded from the
overview and the project page open as 10-slide (or fewer) PPTX files with the figures the page shows,
and a workbook uploaded on the import page is refused with its problems listed, or imported and shown."""
from __future__ import annotations

import io
import shutil

import pytest
from pptx import Presentation

from deploy.cluster import AppProcess
from tests.app.test_import_page import workbook
from tests.browser import ui
from tests.browser.pages import FT, SEEDS
from tests.conftest import DATA

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _texts(prs) -> list[str]:
    out = []
    for slide in prs.slides:
        out.append("\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame))
    return out


def _badges(prs) -> list[str]:
    """The 示例数据 badge of each slide ('' where a slide has none)."""
    return ["".join(sh.text_frame.text for sh in slide.shapes if sh.name == "demo_badge") for slide in prs.slides]


def _download(page, label: str, tmp_path):
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    d = info.value
    path = tmp_path / d.suggested_filename
    d.save_as(path)
    return d.suggested_filename, path.read_bytes()


def test_overview_deck(page, app_url, tmp_path):
    ui.open_page(page, f"{app_url}/overview?demo=0")
    shown = ui.metrics(page)
    name, data = _download(page, "📑 下载汇报材料（PPTX）", tmp_path)
    assert name.endswith(".pptx")
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == 10
    texts = _texts(prs)
    assert "项目绩效评价总览" in texts[0]
    # the key-figures slide carries the page's own figures, as the page formats them
    for label in ("项目数", "平均得分", "加权预算执行率"):
        assert shown[label] in texts[1], (label, shown[label])
    assert _badges(prs) == [""] * 10, "the real reports alone: no demo badge"
    assert ui.errors(page) == []


def test_overview_deck_with_demo_data_is_marked(page, app_url, tmp_path):
    ui.open_page(page, f"{app_url}/overview")
    _, data = _download(page, "📑 下载汇报材料（PPTX）", tmp_path)
    badges = _badges(Presentation(io.BytesIO(data)))
    assert len(badges) == 10 and all("示例数据" in b for b in badges), "every slide of a deck with demo rows says so"


def test_project_deck(page, app_url, tmp_path):
    ui.open_page(page, f"{app_url}/project?project={FT}")
    _, data = _download(page, "📑 下载项目汇报材料（PPTX）", tmp_path)
    prs = Presentation(io.BytesIO(data))
    assert 2 <= len(prs.slides) <= 10
    texts = _texts(prs)
    assert SEEDS[FT] in texts[0]
    assert "98.94" in "\n".join(texts)


def test_import_in_the_browser(page, tmp_path, screenshots):
    lake = tmp_path / "data"
    shutil.copytree(DATA, lake, ignore=shutil.ignore_patterns("_derived"))
    with AppProcess(data=lake, log_dir=tmp_path / "log") as app:
        ui.open_page(page, f"{app.url}/import")
        assert ui.title(page) == "数据导入"
        uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        uploader.set_input_files(files=[{"name": "南山.xlsx", "mimeType": XLSX,
                                         "buffer": workbook(score="八十八")}])
        page.get_by_text("未导入任何数据").wait_for(timeout=30_000)
        ui.wait_ready(page)
        cells = ui.grid_cells(page)
        assert "南山.xlsx:projects" in cells and "八十八" in cells
        ui.screenshot(page, screenshots / "import--problems.png")
        assert not (lake / "imports").exists() or not [p for p in (lake / "imports").iterdir()
                                                       if not p.name.startswith(".")]

        uploader.set_input_files(files=[{"name": "南山.xlsx", "mimeType": XLSX, "buffer": workbook()}])
        page.get_by_text("检查通过").wait_for(timeout=30_000)
        ui.wait_ready(page)
        page.get_by_role("button", name="确认导入").click()
        page.get_by_text("已导入").wait_for(timeout=30_000)
        ui.wait_ready(page)
        ui.screenshot(page, screenshots / "import--done.png")
        assert ui.errors(page) == []

        ui.open_page(page, f"{app.url}/overview?demo=0")
        assert ui.metrics(page)["项目数"] == "4"
        assert "导入测试项目" in ui.grid_cells(page)
