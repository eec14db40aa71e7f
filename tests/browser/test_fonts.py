"""Chinese renders with a real CJK font: no tofu (□) anywhere a person reads."""
from __future__ import annotations

import subprocess

import pytest

from tests.browser import ui
from tests.browser.pages import TJ

pytestmark = pytest.mark.browser


def installed_families() -> str:
    return subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout


@pytest.mark.parametrize("path, selector", [
    ("overview", '[data-testid="stMain"] h1'),
    (f"project?project={TJ}", '[data-testid="stMain"] h1'),
    ("overview", '[data-testid="stMetricLabel"]'),
    ("overview", '[data-testid="stSidebarNav"] a'),
])
def test_chinese_is_drawn_with_an_installed_cjk_font(page, app_url, path, selector):
    ui.open_page(page, f"{app_url}/{path}")
    text = page.locator(selector).first.inner_text()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), f"expected Chinese in {selector}: {text!r}"

    # what Chromium actually drew the node's text with
    fonts = ui.rendered_fonts(page, selector)
    cjk = [f for f in fonts if "CJK" in f["familyName"] or "CJK" in f.get("postScriptName", "")]
    assert cjk, f"no CJK font drew {text!r}: {fonts}"
    assert cjk[0]["familyName"] in installed_families()
    assert not cjk[0]["isCustomFont"], "a local system font, not a downloaded web font"


def test_page_font_family_starts_with_the_installed_cjk_font(page, app_url):
    ui.open_page(page, f"{app_url}/overview")
    family = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=\"stMain\"] h1')).fontFamily")
    first = family.split(",")[0].strip().strip('"\'')
    assert first == "Noto Sans CJK SC"
    assert first in installed_families()
    # a canvas in the page's font draws '绩效' as real glyphs: inked, full-width, unlike tofu
    g = ui.canvas_glyphs(page, family)
    assert g["inked"]
    assert not g["same_as_missing"], "绩效 looks like the glyphs of unassigned code points (tofu)"
    assert g["cjk_width"] == pytest.approx(80, abs=2), "two full-width glyphs at 40px"
    assert g["cjk_width"] > g["latin_width"]
    assert page.evaluate("() => document.fonts.check('16px \"Noto Sans CJK SC\"', '绩效')")
