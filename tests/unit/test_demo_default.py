"""Real data first (issue 18, item 7): the demonstration data are shown by default only while the lake holds no
real data beyond the bundled reports, unless the setting ($PERFEVAL_DEMO_DEFAULT) says on or off."""
from __future__ import annotations

import shutil

import pytest

from perfeval.data import demo_default as dd
from perfeval.data.gate import DataGate, Scope
from perfeval.data.imports import batches, ingest
from perfeval.data.lake import Lake
from perfeval.views import sidebar
from tests.app.test_import_page import workbook
from tests.conftest import DATA

BUNDLED = frozenset({"report:catalog", "report:tianjin-2022"})


@pytest.mark.parametrize("raw, mode", [("auto", "auto"), ("", "auto"), ("ON", "on"), (" off ", "off"), ("1", "on"),
                                       ("false", "off"), ("sometimes", "auto")])
def test_setting_is_normalised(raw, mode):
    assert dd.setting(raw) == mode


def test_setting_reads_the_environment(monkeypatch):
    monkeypatch.delenv(dd.ENV, raising=False)
    assert dd.setting() == "auto"
    monkeypatch.setenv(dd.ENV, "off")
    assert dd.setting() == "off"


def test_the_decision():
    only_bundled = ["report:catalog", "report:tianjin-2022", "demo:shili-city", "generated:bench"]
    assert dd.show_demo_by_default("auto", only_bundled, BUNDLED) is True
    assert dd.show_demo_by_default("auto", [], BUNDLED) is True
    for real in ("import:20261208-010000-abcdef", "report:xuancheng-2023", "selfeval:dongfang-2023"):
        assert dd.show_demo_by_default("auto", only_bundled + [real], BUNDLED) is False, real
        assert dd.real_beyond_bundled(only_bundled + [real], BUNDLED) == [real]
        assert dd.show_demo_by_default("on", only_bundled + [real], BUNDLED) is True
    assert dd.show_demo_by_default("off", only_bundled, BUNDLED) is False
    assert dd.real_beyond_bundled([None, "", "demo:x"], BUNDLED) == []


def test_the_bundled_sources_are_the_repositorys_documents():
    found = dd.bundled_sources()
    assert {"report:tianjin-2022", "report:futian-2021-2023", "report:tianshui-2021", "report:catalog"} <= found
    assert not any(s.startswith(("demo:", "import:")) for s in found)


def _q(lake):
    gate = DataGate(Lake(lake))
    return lambda name, **params: gate.query(name, Scope.everything(), **params)


def test_the_page_model_over_a_lake(tmp_path):
    assert sidebar.demo_default(_q(DATA), setting="auto") is True, "the bundled lake: demo data on"
    lake = tmp_path / "data"
    shutil.copytree(DATA, lake, ignore=shutil.ignore_patterns("_derived"))
    b = ingest.commit(ingest.stage("南山.xlsx", workbook(), lake), lake)
    assert sidebar.demo_default(_q(lake), setting="auto") is False, "an imported batch: real data first"
    assert sidebar.demo_default(_q(lake), setting="on") is True
    batches.withdraw(lake, b.id)
    assert sidebar.demo_default(_q(lake), setting="auto") is True, "withdrawn: only the bundled reports again"
