"""The budget page's models (perfeval.views.budget) over the bundled lake: the reports' figures in the KPI cards,
the selection's counts, 未披露 for what a report leaves out, capped lists, vendors and payment lines."""
from __future__ import annotations

import json

import pytest

from perfeval.views import budget as view
from perfeval.views.common import Filters, Links

TJ = "tj-2022-fraud-ops"
FT = "ft-2021-2023-anti-fraud-service"
TS = "ts-2021-security-informatization"
ALL = Filters()


@pytest.fixture(scope="module")
def projects(q):
    return q("budget_projects", **ALL.params(), project_id=None)


def build(q, project_id=None, lang="zh", filters=ALL, links=Links(), **kw):
    return view.build(q, filters=filters, lang=lang, links=links, project_id=project_id, **kw)


def kpis(v) -> dict[str, str]:
    return dict(item for row in v["kpis"] for item in row)


def gauge(spec: str) -> tuple:
    """(value, bar colour, title) of a dial's spec."""
    fig = json.loads(spec)
    tr = fig["data"][0]
    return tr.get("value"), tr["gauge"]["bar"]["color"], fig["layout"]["title"]["text"]


def test_one_project_has_the_reports_rates_in_its_kpis_and_an_interim_dial(q):
    v = build(q, TJ)
    assert v["title"] == "预算执行 · 2022年电诈运行保障经费"
    k = kpis(v)
    # "财政资金到位 1150 万元 … 累计拨付承办企业资金 824.81 万元 … 预算执行率 71.72%"
    assert k["预算（万元）"] == "1,150" and k["实际支出（万元）"] == "824.81" and k["结余（万元）"] == "325.19"
    assert k["资金到位率"] == "100.00%" and k["预算执行率"] == "71.72%"
    assert "项目数" not in k and "估算总投资（万元）" in k
    assert v["kpi_help"][1][3] == "年初预算 1,150"
    assert v["cutoff"] == "**📅 资金数据 截至 2023-06-30（非年末数据）**"
    assert [key for key, _ in v["gauges"]] == ["gauge_Arrival rate", "gauge_Execution rate"]
    value, color, title = gauge(v["gauges"][1][1])
    assert round(value, 2) == 71.72 and color == "#2f81f7"         # interim blue, not a miss
    assert "过程数据" in title and "截至 2023-06-30" in title
    assert "2023-06-30" in v["notes"]["info"]
    assert v["per_project"] is None


def test_no_project_counts_the_projects_and_lists_them_with_links(q, projects):
    v = build(q, links=Links((("demo", "1"),)))
    k = kpis(v)
    assert k["项目数"] == f"{len(projects):,}"
    assert k["未披露预算的项目"] == str(int(projects["budget"].isna().sum()))
    assert v["title"] == "预算执行" and sum(v["kinds"].values()) == len(projects)
    assert v["cutoff"].startswith("**📅 数据截至：")
    pp = v["per_project"]
    assert len(pp["table"]) == len(projects) and pp["table_note"] is None
    assert list(pp["table"]["link"])[0] == f"budget?project={projects['project_id'].iloc[0]}&demo=1"
    assert pp["dials"] == []                                        # too many projects for a dial each
    assert v["stated"] is None and v["subprojects"] is None
    assert "（所选项目加权）" in gauge(v["gauges"][0][1])[2]


def test_a_small_selection_gets_a_pair_of_dials_per_project(q):
    v = build(q, filters=Filters(region="12"))
    ids = list(q("budget_projects", **Filters(region="12").params(), project_id=None)["project_id"])
    assert 1 <= len(ids) <= view.MAX_PROJECT_DIALS
    assert [key for key, _ in v["per_project"]["dials"]] == [k for p in ids for k in (f"ga_{p}", f"ge_{p}")]


def test_a_missing_budget_reads_not_reported_and_the_overspending_is_explained(q):
    v = build(q, TS)
    k = kpis(v)
    assert k["预算（万元）"] == "未披露" and k["资金到位率"] == "未披露"
    assert k["到位资金（万元）"] == "800" and k["预算执行率"] == "108.31%"
    assert "6,602.39 万元" in v["notes"]["info"] and "中央财政转移支付" in v["notes"]["info"]
    value, _, title = gauge(v["gauges"][0][1])
    assert value in (None, 0) and "未披露" in title
    en = kpis(build(q, TS, lang="en"))
    assert en["Budget (10k CNY)"] == "not reported" and en["Execution rate"] == "108.31%"


def test_years_and_the_stated_figures_of_one_project(q):
    v = build(q, FT)
    years = v["years"]["table"]
    assert list(years["execution_s"]) == ["99.31%", "98.13%", "99.23%"]
    assert list(years["adjustment_s"]) == ["19.28", "0", "0"]       # 1251.28 − 1232
    assert v["years"]["chart_note"] is None                          # one project: no "sums per year" caption
    assert set(v["stated"]["check"]) == {"✅ 一致"}
    assert "chart" in v["money"]


def test_a_project_without_sub_projects_has_no_sub_project_chart(q):
    assert build(q, FT)["subprojects"] is None
    subs = build(q, TJ)["subprojects"]
    assert json.loads(subs["chart"])["data"] and "未按子项目拆分" in subs["note"]


def test_the_target_moves_the_reading_and_the_dial_note(q):
    assert "接近目标" in gauge(build(q, FT)["gauges"][1][1])[2]     # 98.89% of a 100% target
    v = build(q, FT, target_pct=95.0)
    assert "达到目标" in gauge(v["gauges"][1][1])[2]                 # 98.89% ≥ 95%
    assert "黑线为目标 95%" in v["dial_note"]


def test_capped_lists_show_the_lowest_rates_and_say_how_many_there_are(q, projects):
    full, v = build(q), build(q, max_rows=5)
    assert kpis(v) == kpis(full)                                     # the totals still cover every project
    pp = v["per_project"]
    assert len(pp["table"]) == 5 and f"共 {len(projects):,} 个项目" in pp["table_note"]
    assert f"共 {len(projects):,} 个）" in pp["chart_note"]
    assert len(v["years"]["table"]) == 5 and "个项目年度" in v["years"]["table_note"]


def test_vendors_of_one_project_merge_spellings_and_list_the_payment_lines(q):
    v = view.vendors(q, filters=ALL, lang="zh", project_id=TJ)
    assert len(v["table"]) == 10                                     # 12 payment lines, 10 vendors (表2)
    assert "陕西卓正会计师事务所有限公司" in set(v["table"]["vendor_s"])
    assert any("山西卓正" in w and "陕西卓正" in w for w in v["warnings"])
    assert len(v["lines"]) == 12 and v["info"] is None and v["note"] is None


def test_a_project_without_payment_lines_says_so(q):
    v = view.vendors(q, filters=ALL, lang="en", project_id=FT)
    assert v["info"] == "No payment lines reported (not reported)." and v["chart"] is None and v["lines"] is None


def test_vendors_of_a_selection_too_large_to_list_are_summed(q):
    listed = view.vendors(q, filters=ALL, lang="zh")
    assert "short_name" in listed["table"].columns and listed["lines"] is None
    v = view.vendors(q, filters=ALL, lang="zh", max_rows=5)
    assert "projects" in v["table"].columns and "short_name" not in v["table"].columns
    assert len(v["table"]) == min(5, listed["table"]["vendor_s"].nunique())
    assert f"{len(listed['table']):,} 个“项目 × 单位”组合" in v["note"]
