"""Every chart of the app is drawn here: a Plotly figure, by the app's own small plotly.js build.

``st.plotly_chart`` makes a cold browser download and compile Streamlit's Plotly chunk: all of plotly.js,
4.7 MB, which alone made a page with one small chart 2–2.4 × slower to show than a hello-world page. The
app's charts use seven trace types; ``static/plotly-perfeval.min.js`` (built by frontend/plotly/ from
plotly.js 4.1.1, the version plotly.py 7.1 ships) has only those: 1.4 MB, 0.47 MB gzipped, and about a
tenth of the JavaScript time (docs/performance.md).

A Streamlit components-v2 component draws it in the page itself (no iframe). Its few lines of JavaScript
import the bundle from Streamlit's static file serving (``server.enableStaticServing``, the ``static/``
folder beside app.py): once per page, however many charts the page has. They also do what
``st.plotly_chart`` does to a figure: swap the "streamlit" template's placeholder colours for the theme's
and lay the theme's fonts, text colours and grid under the figure's own layout. A "full screen" button in
the chart's tool bar replaces Streamlit's element toolbar (for the projector at review meetings).

AppTests find the charts as ``bidi_component`` elements (tests/app/helpers.py ``chart_specs``).
"""
from __future__ import annotations

import contextlib

import streamlit as st

from perfeval.charts.base import spec
from perfeval.ui import state

COMPONENT = "perfeval_chart"
BUNDLE = "app/static/plotly-perfeval.min.js"

# a square of four corners, the usual "full screen" sign (plotly.js icon format: an SVG path on 1000 × 1000)
_FULLSCREEN_ICON = {"width": 1000, "height": 1000, "path": (
    "M0 0h400v120H120v280H0zM600 0h400v400H880V120H600zM0 600h120v280h280v120H0zM880 600h120v400H600V880h280z")}

JS = r"""
export default function ({ parentElement, data }) {
  // one import per page: the browser's module map keeps the bundle by URL, the promise is shared
  const url = new URL(data.bundle, window.location.origin + data.base).href;
  const plotly = (window.__perfevalPlotly ??= import(url).then((m) => m.default));
  let box = parentElement.querySelector(":scope > .pe-chart");
  if (!box) {
    box = document.createElement("div");
    box.className = "pe-chart";
    box.style.width = "100%";
    box.style.background = "var(--st-background-color, #ffffff)";
    parentElement.appendChild(box);
  }
  // the "streamlit" plotly template carries placeholder colours (#000001.. categorical, #000011..
  // sequential, #000021.. diverging) that st.plotly_chart swaps for the theme's: so do we
  const css = getComputedStyle(parentElement);
  let spec = data.spec;
  [["--st-chart-categorical-colors", 1], ["--st-chart-sequential-colors", 11], ["--st-chart-diverging-colors", 21]]
    .forEach(([name, first]) => {
      const colors = css.getPropertyValue(name).split(",").map((c) => c.trim()).filter(Boolean);
      colors.slice(0, 10).forEach((c, i) => {
        spec = spec.replaceAll("#0000" + String(first + i).padStart(2, "0"), c);
      });
    });
  const fig = JSON.parse(spec);
  // st.plotly_chart's layout theme, under the figure's own layout (the figure wins): axis automargin,
  // a left-aligned title, the theme's text, tick and grid colours and font, the hover label
  const v = (name, dflt) => css.getPropertyValue(name).trim() || dflt;
  const text = v("--st-text-color", "#31333F"), grid = v("--st-border-color-light", "#e6eaf1");
  const muted = v("--st-gray-text-color", "#808495"), bg = v("--st-background-color", "#ffffff");
  const axis = { automargin: true, gridcolor: grid, zerolinecolor: grid, tickcolor: grid,
                 tickfont: { color: muted, size: 12 }, title: { font: { color: muted, size: 14 } } };
  const theme = {
    autosize: true,
    font: { color: text, family: v("--st-font", undefined), size: 12 },
    title: { x: 0, xanchor: "left", font: { color: v("--st-heading-color", text), size: 16, weight: 600 } },
    legend: { font: { color: text, size: 12 } },
    hoverlabel: { bgcolor: bg, font: { color: text } },
    margin: { pad: 8 },
  };
  const under = (dst, src) => {  // fill in what dst does not set
    for (const [k, val] of Object.entries(src)) {
      if (val === undefined) continue;
      if (val && typeof val === "object" && !Array.isArray(val)) {
        if (dst[k] === undefined) dst[k] = {};
        if (dst[k] && typeof dst[k] === "object" && !Array.isArray(dst[k])) under(dst[k], val);
      } else if (dst[k] === undefined) dst[k] = val;
    }
    return dst;
  };
  const layout = fig.layout || {};
  const xaxis = Object.assign({ showgrid: false, zeroline: false }, axis);
  for (const k of Object.keys(layout)) if (/^[xy]axis\d*$/.test(k)) under(layout[k], k[0] === "x" ? xaxis : axis);
  if (!layout.xaxis) layout.xaxis = JSON.parse(JSON.stringify(xaxis));
  if (!layout.yaxis) layout.yaxis = JSON.parse(JSON.stringify(axis));
  if (typeof layout.title === "string") layout.title = { text: layout.title };
  under(layout, theme);
  const height = layout.height || 450;
  box.style.minHeight = height + "px";  // keep the chart's place while the bundle loads
  const fullscreen = {
    name: "fullscreen", title: data.fullscreen, icon: data.icon,
    click: () => (document.fullscreenElement ? document.exitFullscreen() : box.requestFullscreen()),
  };
  // no link to plotly's cloud (these dashboards run on police intranets)
  const config = { responsive: true, displaylogo: false, modeBarButtonsToAdd: [fullscreen],
                   showLink: false, showEditInChartStudio: false, showSendToCloud: false };
  let alive = true;
  const onFullscreen = () => plotly.then((Plotly) => {
    if (!alive) return;
    const full = document.fullscreenElement === box;
    // the screen's size in full screen; back to the figure's height and the page's width after (a
    // relayout of the size turns plotly's autosize off, so it is turned on again)
    if (full) Plotly.relayout(box, { width: window.innerWidth, height: window.innerHeight });
    else Plotly.relayout(box, { width: null, height: height, autosize: true }).then(() => Plotly.Plots.resize(box));
  });
  box.addEventListener("fullscreenchange", onFullscreen);
  plotly.then((Plotly) => {
    if (!alive) return;
    Plotly.react(box, fig.data || [], layout, config);
  });
  return () => {
    alive = false;
    box.removeEventListener("fullscreenchange", onFullscreen);
    plotly.then((Plotly) => Plotly.purge(box));
  };
}
"""

_component = st.components.v2.component(COMPONENT, js=JS, isolate_styles=False)


def chart(fig, *, key: str | None = None, where=None) -> None:
    """Draw ``fig`` (a Plotly figure, or its `spec` made beforehand: page models return specs)
    across the width of the page, or of ``where`` (a column), like ``st.plotly_chart(fig, width="stretch")``."""
    t = state.tr()
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    data = {"spec": fig if isinstance(fig, str) else spec(fig), "bundle": BUNDLE, "base": f"/{base}/" if base else "/",
            "fullscreen": t("全屏", "Full screen"), "icon": _FULLSCREEN_ICON}
    with where if where is not None else contextlib.nullcontext():
        _component(key=key, data=data, width="stretch", height="content")

