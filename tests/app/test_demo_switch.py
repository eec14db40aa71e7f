"""The 显示示例数据 switch: with demo=0 no demonstration row reaches any page; with it on, every page that
shows demonstration rows says so with the 示例数据 badge.

A page "shows" a demo row when a table, a chart or a picker on it holds a demo project's id or name, or a
fictional place (示例省 / 示例市 / 示例…区). Runs over every page in app_pages/.
"""
import pathlib

import pyarrow.parquet as pq
import pytest

from tests.app.helpers import chart_specs, run_page
from tests.conftest import DATA

PAGES = sorted(p.stem for p in (pathlib.Path(__file__).resolve().parents[2] / "app_pages").glob("*.py")
               if not p.name.startswith("_"))


@pytest.fixture(autouse=True)
def own_audit_log(tmp_path, monkeypatch):
    """Each run reads an audit log of its own: the audit-log page lists what earlier tests viewed (their URL
    parameters name demo projects), which is a record of use, not demonstration rows on the page."""
    monkeypatch.setenv("PERFEVAL_AUDIT_LOG", str(tmp_path / "audit" / "audit.jsonl"))


DEMO = pq.read_table(DATA / "demo" / "projects.parquet").to_pandas()
DEMO_IDS = set(DEMO["project_id"])
DEMO_NAMES = set(DEMO["name"]) | set(DEMO["short_name"])
PLACE = "示例"  # every fictional place, unit and vendor name starts with it (tests/unit/test_demo.py)


def demo_traces(at, pickers: bool = True) -> list[str]:
    """Where demo rows show on the page (tables, charts and, with ``pickers``, the options of selectboxes,
    multiselects and radios: a list of choices leaks rows too, though it shows none of their figures)."""
    hits = []
    for i, d in enumerate(at.dataframe):
        df = d.value
        for col in df.columns:
            if df[col].dtype == object or str(df[col].dtype).startswith("str"):
                cells = df[col].dropna().astype(str)
                bad = cells[cells.isin(DEMO_IDS | DEMO_NAMES) | cells.str.contains(PLACE)
                            | cells.str.contains("demo-9901")]
                if len(bad):
                    hits.append(f"dataframe {i} column {col}: {bad.iloc[0]!r}")
    for i, spec in enumerate(chart_specs(at)):
        if PLACE in spec or "demo-9901" in spec:
            hits.append(f"chart {i}")
    for kind in ("selectbox", "multiselect", "radio") if pickers else ():
        for w in getattr(at, kind):
            opts = [str(o) for o in (w.options or [])]
            bad = [o for o in opts if o in DEMO_IDS or o in DEMO_NAMES or PLACE in o]
            if bad:
                hits.append(f"{kind} {w.key or w.label}: {bad[0]!r}")
    return hits


def has_badge(at) -> bool:
    return any("示例数据" in w.value for w in at.warning)


@pytest.mark.parametrize("page", PAGES)
def test_switch_off_no_demo_row_reaches_the_page(page):
    at = run_page(page, demo="0")
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["show_demo"] is False
    assert not has_badge(at)
    assert demo_traces(at) == []


@pytest.mark.parametrize("page", PAGES)
def test_switch_on_every_page_showing_demo_rows_shows_the_badge(page):
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    shown = demo_traces(at, pickers=False)  # the sidebar's region picker lists 示例省 on every page
    if shown:
        assert has_badge(at), f"{page} shows demo rows without the badge: {shown[:3]}"


@pytest.mark.parametrize("page", ["overview", "compare"])
def test_the_portfolio_pages_do_show_demo_rows_by_default(page):
    at = run_page(page)
    assert demo_traces(at, pickers=False) and has_badge(at)


def test_a_demo_project_page_shows_the_badge_and_the_switch_hides_it():
    pid = sorted(DEMO_IDS)[0]
    at = run_page("project", project=pid)
    assert has_badge(at) and demo_traces(at, pickers=False)
    at = run_page("project", project=pid, demo="0")
    assert not has_badge(at) and demo_traces(at) == []


def test_the_sidebar_switch_itself_hides_the_rows():
    at = run_page("overview")
    assert has_badge(at)
    at.toggle(key="w_demo").set_value(False).run()
    assert not has_badge(at) and demo_traces(at) == []
    assert at.query_params.get("demo") in ("0", ["0"])
