"""Reading a served Streamlit page the way a person sees it (Playwright helpers)."""
from __future__ import annotations

import pathlib
import time

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

# True when the script has finished, the socket is up, nothing is stale or still loading, and every
# chart has drawn.
_READY_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.dataset.testScriptState !== 'notRunning') return false;
  if (app.dataset.testConnectionState !== 'CONNECTED') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  // elements whose component code is still loading show a skeleton
  if (document.querySelector('[data-testid^="stSkeleton"], [data-testid="stAppSkeleton"]')) return false;
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;
  // every chart (perfeval.ui.plot: a .pe-chart box) has been drawn by plotly.js
  for (const c of document.querySelectorAll('.pe-chart'))
    if (!c.querySelector('.main-svg')) return false;
  return true;
}"""

CHART = ".pe-chart"  # the box perfeval.ui.plot draws a chart in

ERROR_SELECTORS = ('[data-testid="stException"]', '[data-testid="stAlertContentError"]',
                   '[data-testid="stErrorElementStack"]')


def wait_ready(page: Page, timeout: float = 60) -> float:
    """Wait until the page is drawn and idle (ready twice, 300 ms apart); seconds waited."""
    t0 = time.monotonic()
    while True:
        page.wait_for_function(_READY_JS, timeout=max(1.0, timeout - (time.monotonic() - t0)) * 1000)
        page.wait_for_timeout(300)
        if page.evaluate(_READY_JS):
            return time.monotonic() - t0
        if time.monotonic() - t0 > timeout:
            raise TimeoutError("page did not settle")


def open_page(page: Page, url: str, timeout: float = 60) -> float:
    page.goto(url)
    return wait_ready(page, timeout)


def errors(page: Page) -> list[str]:
    """Texts of Streamlit exception blocks and error alerts on the page, and any "Error"/"Traceback"."""
    found = []
    for sel in ERROR_SELECTORS:
        found += page.locator(sel).all_inner_texts()
    # Streamlit's own modal messages ("Page not found", "Connection error") are errors too
    found += [f"dialog: {t}" for t in page.locator('[role="dialog"]').all_inner_texts()]
    main = page.locator('[data-testid="stMain"]').inner_text()
    for word in ("Traceback", "Error:", "Exception:"):
        if word in main:
            found.append(f"text contains {word!r}")
    return found


def title(page: Page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


def nav_titles(page: Page) -> list[str]:
    """The titles in the page menu, without their icons."""
    return [t.strip().splitlines()[-1].strip()
            for t in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]


def main_text(page: Page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def metrics(page: Page) -> dict[str, str]:
    """{label: value} of the st.metric cards on the page."""
    out = {}
    for m in page.locator('[data-testid="stMetric"]').all():
        label = m.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        out[label] = m.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return out


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label`` (a combobox), then wait for the rerun."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_ready(page)


def chart(page: Page, title: str):
    """The plotly charts whose title contains ``title`` (locate by text, expect a count)."""
    return page.locator(CHART).filter(
        has=page.locator(".gtitle", has_text=title))


def grid_cells(page: Page, nth: int = 0, timeout: float = 15) -> list[str]:
    """The cell texts of the nth st.dataframe (the grid is a canvas; its accessible cells hold the text).
    The grid fills its cells after the script has finished, later on a loaded machine: wait up to
    ``timeout`` seconds for the first one ([] if none comes)."""
    frame = page.locator('[data-testid="stDataFrame"]').nth(nth)
    cells = frame.locator('[data-testid^="glide-cell-"]')
    try:
        cells.first.wait_for(state="attached", timeout=timeout * 1000)
    except PlaywrightTimeout:
        return []
    return [c.strip() for c in cells.all_inner_texts()]


# A value printed beside or above its bar (textposition "outside") is cut off where it runs past the plot
# area (plotly clips a trace's layer there unless cliponaxis is false) or past the chart itself.
_CLIPPED_LABELS_JS = """() => {
  const out = [];
  for (const chart of document.querySelectorAll('.pe-chart')) {
    const svg = chart.querySelector('.main-svg');
    if (!svg) continue;
    const title = (chart.querySelector('.gtitle') || {}).textContent || '';
    const whole = svg.getBoundingClientRect();
    for (const text of chart.querySelectorAll('.bartext')) {
      if (!text.textContent.trim()) continue;
      // clipped to the plot area (the subplot's drag rectangle covers it exactly) or only by the chart
      let limit = whole;
      for (let a = text.parentElement; a && a !== svg; a = a.parentElement)
        if (a.getAttribute('clip-path')) {
          const area = chart.querySelector('.draglayer .nsewdrag');
          if (area) limit = area.getBoundingClientRect();
          break;
        }
      const r = text.getBoundingClientRect();
      if (r.left < limit.left - 1 || r.right > limit.right + 1 || r.top < limit.top - 1
          || r.bottom > limit.bottom + 1 || r.right > whole.right + 1 || r.left < whole.left - 1)
        out.push(title + ': ' + text.textContent);
    }
  }
  return out;
}"""


def clipped_bar_labels(page: Page) -> list[str]:
    """'<chart title>: <label>' for every bar value drawn partly outside what its chart shows."""
    return page.evaluate(_CLIPPED_LABELS_JS)


def screenshot(page: Page, path: pathlib.Path) -> pathlib.Path:
    """A PNG of the whole page: the viewport is stretched to the content (Streamlit scrolls an inner box)."""
    size = page.viewport_size
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": int(min(max(size["height"], height + 160), 9000))})
    try:
        wait_ready(page)
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)
    return path


# The CJK check: which fonts Chromium really drew a node's text with (DevTools protocol), and a
# canvas comparison of '绩效' against code points no font has (what tofu looks like).
_CANVAS_JS = """(family) => {
  const draw = (text) => {
    const c = document.createElement('canvas'); c.width = 160; c.height = 60;
    const ctx = c.getContext('2d');
    ctx.font = '40px ' + family; ctx.fillStyle = '#000'; ctx.textBaseline = 'top';
    ctx.fillText(text, 4, 4);
    return {width: ctx.measureText(text).width, pixels: Array.from(ctx.getImageData(0, 0, 160, 60).data).join(',')};
  };
  const cjk = draw('绩效'), missing = draw('\\u0378\\u0379'), latin = draw('ab');
  return {cjk_width: cjk.width, missing_width: missing.width, latin_width: latin.width,
          same_as_missing: cjk.pixels === missing.pixels, inked: cjk.pixels.split(',').some(v => v !== '0')};
}"""


def rendered_fonts(page: Page, selector: str) -> list[dict]:
    """The platform fonts Chromium used for the text of the first node matching ``selector`` and the
    nodes inside it (DevTools protocol: CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        first = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        inner = cdp.send("DOM.querySelectorAll", {"nodeId": first, "selector": "*"})["nodeIds"]
        fonts: dict[str, dict] = {}
        for node in [first, *inner[:50]]:
            for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                fonts.setdefault(f["familyName"], f)
        return list(fonts.values())
    finally:
        cdp.detach()


def canvas_glyphs(page: Page, family: str) -> dict:
    return page.evaluate(_CANVAS_JS, family)
