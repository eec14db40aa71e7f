"""Every page runs without an exception, in both languages, on the bundled data."""
import pathlib

import pytest

from tests.app.helpers import run_page

PAGES = sorted(p.stem for p in (pathlib.Path(__file__).resolve().parents[2] / "app_pages").glob("*.py")
               if not p.name.startswith("_"))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_runs(page, lang):
    at = run_page(page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page has a title"
