"""The bench's overview-shaped page (bench/overview_shape_app.py) stands for the overview's elements: the
bench times it as the floor a page of the overview's shape cannot go under. If the overview gains or
loses a chart, table, card or widget, this fails until the shape page follows."""
import collections
import pathlib

from streamlit.testing.v1 import AppTest

from tests.app.helpers import run_page

SHAPE = str(pathlib.Path(__file__).resolve().parents[2] / "bench" / "overview_shape_app.py")
# what a page's run costs by kind; captions and markdown vary with the data (how many regions lag …)
KINDS = ("title", "header", "subheader", "warning", "metric", "dataframe", "bidi_component", "radio", "selectbox",
         "slider", "toggle", "button", "download_button")


def _kinds(at: AppTest) -> collections.Counter:
    return collections.Counter({k: len(at.get(k)) for k in KINDS})


def test_the_overview_shape_has_the_overviews_elements():
    overview = run_page("overview")
    assert not overview.exception
    shape = AppTest.from_file(SHAPE, default_timeout=60)
    shape.run()
    assert not shape.exception
    assert _kinds(shape) == _kinds(overview)
    assert _kinds(shape)["bidi_component"] == 5 and _kinds(shape)["dataframe"] == 2
