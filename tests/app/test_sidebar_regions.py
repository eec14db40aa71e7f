"""The sidebar's region filter reads queries/region_options.sql: the same options and labels as the
Python definition (perfeval.domain.regions.region_options over queries/filter_options.sql), with and without demo data."""
import pytest

from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.domain.regions import region_options
from tests.app.helpers import run_page
from tests.conftest import DATA


@pytest.mark.parametrize("demo", ["1", "0"])
def test_region_options_in_the_sidebar(demo):
    expected = region_options(DataGate(Lake(DATA)).query("filter_options", Scope.everything(include_demo=demo == "1")))
    at = run_page("satisfaction", demo=demo)
    assert not at.exception
    sb = at.selectbox(key="w_region")
    assert sb.options == ["全部地区", *expected.values()]
    assert any(label.startswith("示例") for label in sb.options) == (demo == "1")


def test_choosing_a_region_filters_by_its_prefix():
    at = run_page("budget", demo="0")
    at.selectbox(key="w_region").set_value("4403").run()
    assert not at.exception
    assert "4403" in str(at.query_params["region"])
    assert at.selectbox(key="w_budget_project").options[0] == "全部所选项目（1 个）"   # 福田 only
