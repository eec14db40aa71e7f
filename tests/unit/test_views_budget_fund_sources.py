"""The budget by fund source (perfeval.views.budget.fund_sources): per project, year and named fund source,
the 自评表's 年初预算数 / 全年预算数 / 全年执行数 / 执行率, 未披露 for what the report leaves out."""
from __future__ import annotations

import pandas as pd

from perfeval.text import fmt
from perfeval.views import budget as view
from perfeval.views.common import Filters

ALL = Filters()


def test_a_seed_fund_source_with_what_it_states_and_unstated_cells_not_reported(q):
    v = view.fund_sources(q, filters=ALL, lang="zh", project_id="tj-2022-fraud-ops")
    assert v["title"] == "按资金来源"
    rows = v["table"].to_dict("records")
    assert [r["fund_source"] for r in rows] == ["财政资金"]
    r = rows[0]
    assert r["initial_s"] == fmt.number(1150.0, 2, "zh")  # its five sub-projects' 年初预算, summed
    assert r["spent_s"] == fmt.number(824.81, 2, "zh")
    assert r["adjusted_s"] == fmt.not_reported("zh") and r["execution_s"] == fmt.not_reported("zh")


def test_the_rate_is_spent_over_the_full_year_budget_per_source():
    df = pd.DataFrame([
        {"project_id": "p", "short_name": "禁毒经费", "name_en": None, "year": 2021, "fund_source": "当年财政拨款",
         "initial_budget": 100.0, "adjusted_budget": 80.0, "spent": 60.0, "execution_rate": 0.75},
        {"project_id": "p", "short_name": "禁毒经费", "name_en": None, "year": 2021, "fund_source": "上年结转资金",
         "initial_budget": None, "adjusted_budget": None, "spent": None, "execution_rate": None}])
    v = view.fund_sources(lambda name, **kw: df, filters=ALL, lang="en")
    rows = v["table"].to_dict("records")
    assert rows[0]["execution_s"] == fmt.pct(0.75, "en") and rows[0]["spent_s"] == fmt.number(60.0, 2, "en")
    assert {rows[1][k] for k in ("initial_s", "adjusted_s", "spent_s", "execution_s")} == {fmt.not_reported("en")}
    assert v["title"] == "By fund source"


def test_none_without_a_named_fund_source():
    assert view.fund_sources(lambda name, **kw: pd.DataFrame(), filters=ALL, lang="zh") is None
