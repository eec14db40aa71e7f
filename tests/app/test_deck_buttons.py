"""The slide-deck buttons (perfeval.ui.deck) on the overview and the project page, in both languages;
the deck itself is tested in tests/unit/test_export.py and downloaded in a browser in
tests/browser/test_exports.py."""
from __future__ import annotations

import pytest

from tests.app.helpers import run_page
from tests.browser.pages import FT


def _buttons(at) -> dict[str, str]:
    return {b.proto.label: b.proto for b in at.get("download_button")}


@pytest.mark.parametrize(("lang", "label"), [("zh", "📑 下载汇报材料（PPTX）"), ("en", "📑 Download slides (PPTX)")])
def test_overview_has_the_deck_button(lang, label):
    at = run_page("overview", lang=lang)
    assert not at.exception
    proto = _buttons(at)[label]
    assert "10" in proto.help
    assert proto.ignore_rerun, "a download does not rerun the page (on_click='ignore')"


def test_project_page_has_its_deck_button():
    at = run_page("project", project=FT)
    assert not at.exception
    assert "📑 下载项目汇报材料（PPTX）" in _buttons(at)


def test_other_pages_have_none():
    at = run_page("budget", project=FT)
    assert not at.exception
    assert not [k for k in _buttons(at) if k.startswith("📑")]
