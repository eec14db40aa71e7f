"""The layout rules: pages hold no SQL and never touch DuckDB; no outside hosts in code or config."""
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "app_pages").glob("*.py")) + [ROOT / "app.py"]
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b[^\n]*\b(FROM|INTO|SET)\b", re.I)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_are_thin(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import duckdb|from duckdb)", text, re.M), "pages read through the gate"
    assert not SQL.search(text), "SQL belongs in queries/*.sql"
    assert "perfeval.data.lake" not in text, "pages call perfeval.ui.state.query, not the gate directly"


def test_no_outside_hosts_in_code_or_config():
    pattern = re.compile(r":material/|https?://(fonts\.googleapis|fonts\.gstatic|cdn\.|unpkg|cdnjs)")
    # the vendored plotly.js build is checked in tests/unit/test_plotly_bundle.py (its one CDN address is
    # for map traces it does not contain); node_modules is a local build folder, not in git
    files = [p for p in ROOT.rglob("*") if p.is_file() and p.suffix in {".py", ".toml", ".html", ".css", ".js"}
             and ".venv" not in p.parts and "tests" not in p.parts and "node_modules" not in p.parts
             and p != ROOT / "static" / "plotly-perfeval.min.js"]
    hits = [str(p) for p in files if pattern.search(p.read_text(encoding="utf-8", errors="ignore"))]
    assert not hits


def test_streamlit_config_is_closed():
    cfg = (ROOT / ".streamlit" / "config.toml").read_text()
    assert re.search(r"gatherUsageStats\s*=\s*false", cfg)
    assert re.search(r'toolbarMode\s*=\s*"viewer"', cfg)
    assert not (ROOT / "pages").exists(), "a pages/ folder switches Streamlit to the old multipage mode"


def test_each_page_file_is_named_after_its_url():
    # Before an AppTest's first run, Streamlit finds a page by its file name, not by the url path
    # st.navigation gives it; the bench (bench/measure_pages.py) opens each page that way, so that a
    # session's first run is that page's. A page whose file is named otherwise runs the overview there.
    from perfeval.pages import routed_pages

    pages = routed_pages()
    assert len(pages) >= 7
    assert [(pg.file, pg.url) for pg in pages if pg.stem != pg.url] == []


PAGE_FILES = sorted((ROOT / "app_pages").glob("*.py"))
MAX_PAGE_LINES = 150
# what reshaping data looks like in pandas: a page hands that to its page model (perfeval/views)
PANDAS_WORK = re.compile(r"\b(import pandas|pd\.)|\.(assign|groupby|merge|sort_values|isin|apply|pivot\w*|"
                         r"melt|drop_duplicates|to_dict|head|reindex|set_index|reset_index|fillna|dropna)\("
                         r"|\.(loc|iloc)\[")


@pytest.mark.parametrize("page_file", PAGE_FILES, ids=lambda p: p.name)
def test_pages_are_built_from_page_models(page_file):
    """A page composes widgets, calls its page model(s) and draws: it stays short, reshapes no data and runs
    no query of its own (perfeval/views makes what it draws; state.model caches it)."""
    text = page_file.read_text(encoding="utf-8")
    name = page_file.name
    assert len(text.splitlines()) <= MAX_PAGE_LINES, f"{name}: move the work into its page model"
    assert not [m.group(0) for m in PANDAS_WORK.finditer(text)], f"{name} reshapes data itself"
    assert "state.query(" not in text, f"{name} runs a query itself: its page model does that"
    assert re.search(r"^from perfeval\.views import", text, re.M), f"{name} must draw from a page model"


def test_the_page_size_rule_catches_pandas_work():
    for bad in ("df = df.assign(x=1)", "import pandas as pd", "x = df.loc[df.a > 1]", "df.groupby('a')"):
        assert PANDAS_WORK.search(bad), bad
    assert not PANDAS_WORK.search("st.dataframe(v['table'], hide_index=True)")
