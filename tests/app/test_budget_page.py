"""Budget page: figures against the reports, the cut-off, 未披露 instead of zero, vendors, the URL."""
import json

import pytest

from tests.app.helpers import chart_specs, metric, run_page, texts

TJ = "tj-2022-fraud-ops"
FT = "ft-2021-2023-anti-fraud-service"
TS = "ts-2021-security-informatization"


def _gauges(at):
    """{title's first line: (value, bar colour)} of the gauge charts on the page."""
    out = {}
    for text in chart_specs(at):
        spec = json.loads(text)
        for tr in spec.get("data", []):
            if tr.get("type") == "indicator":
                title = spec["layout"]["title"]["text"].split("<br>")[0]
                out[title] = (tr.get("value"), tr["gauge"]["bar"]["color"], spec["layout"]["title"]["text"])
    return out


def test_tianjin_mid_year_execution_is_interim_not_a_failure():
    at = run_page("budget", project=TJ)
    assert not at.exception
    # "财政资金到位 1150 万元 … 截至2023年6月30日，累计拨付承办企业资金 824.81 万元 … 预算执行率 71.72%"
    assert metric(at, "预算（万元）") == "1,150"
    assert metric(at, "到位资金（万元）") == "1,150"
    assert metric(at, "实际支出（万元）") == "824.81"
    assert metric(at, "结余（万元）") == "325.19"           # "尚未拨付资金 325.19 万元"
    assert metric(at, "资金到位率") == "100.00%"            # "资金到位率 100%"
    assert metric(at, "预算执行率") == "71.72%"
    assert "截至 2023-06-30（非年末数据）" in texts(at)
    value, color, title = _gauges(at)["预算执行率"]
    assert round(value, 2) == 71.72
    assert "过程数据" in title and "截至 2023-06-30" in title
    assert color.lower() == "#2f81f7"                        # interim blue, not the red of a miss


def test_tianjin_stated_figures_agree_and_vendor_spellings_are_flagged():
    at = run_page("budget", project=TJ)
    cmp = next(d.value for d in at.dataframe if "check" in d.value.columns)
    rows = dict(zip(cmp["label"], cmp["check"]))
    assert rows["预算执行率"] == "✅ 一致" and rows["资金到位率"] == "✅ 一致"
    assert any("山西卓正" in w.value and "陕西卓正" in w.value for w in at.warning)
    vendors = next(d.value for d in at.dataframe if "vendor_s" in d.value.columns)
    # "刑侦总队资金审计团队项目 … 185.05" paid to the vendor spelled 山西卓正 in 表2: one canonical name
    assert "陕西卓正会计师事务所有限公司" in set(vendors["vendor_s"])
    assert "山西卓正会计师事务所有限公司" not in set(vendors["vendor_s"])
    assert len(vendors) == 10                                 # 12 payment lines, 10 vendors (表2)


def test_tianshui_budget_not_reported_and_overspending_explained():
    at = run_page("budget", project=TS)
    assert not at.exception
    assert metric(at, "预算（万元）") == "未披露"
    assert metric(at, "资金到位率") == "未披露"
    assert metric(at, "到位资金（万元）") == "800"            # "共计收到…资金800.00万元"
    assert metric(at, "实际支出（万元）") == "866.47"         # "该项目支付资金866.47万元"
    assert metric(at, "预算执行率") == "108.31%"
    info = "\n".join(i.value for i in at.info)
    assert "6,602.39 万元" in info and "中央财政转移支付" in info and "66.47 万元" in info
    gauges = _gauges(at)
    assert gauges["资金到位率"][0] in (None, 0)              # an empty dial …
    assert "未披露" in gauges["资金到位率"][2]                # … that says so


def test_futian_years_and_adjusted_budget():
    at = run_page("budget", project=FT)
    assert metric(at, "预算（万元）") == "3,715.28"           # "调整预算金额 3,715.28 万元"
    assert metric(at, "预算执行率") == "98.89%"               # "预算执行率为 98.89%"
    years = next(d.value for d in at.dataframe if "adjustment_s" in d.value.columns)
    assert list(years["execution_s"]) == ["99.31%", "98.13%", "99.23%"]  # 表1 / 表9
    assert list(years["adjustment_s"]) == ["19.28", "0", "0"]            # 1251.28 − 1232
    cmp = next(d.value for d in at.dataframe if "check" in d.value.columns)
    assert set(cmp["check"]) == {"✅ 一致"}


def test_target_input_changes_the_reading_and_the_url():
    at = run_page("budget", project=FT)
    at.number_input(key="w_budget_target").set_value(95.0).run()
    assert not at.exception
    _, color, title = _gauges(at)["预算执行率"]
    assert "达到目标" in title                                 # 98.89% ≥ 95%
    assert str(at.query_params["target"]) in ("95", "['95']")


def test_selection_lists_every_project_and_the_cutoffs():
    at = run_page("budget", demo="0")
    assert not at.exception
    assert metric(at, "项目数") == "3"
    assert metric(at, "未披露预算的项目") == "1"
    table = next(d.value for d in at.dataframe if "link" in d.value.columns)
    assert set(table["short_name"]) == {"天津电诈运行保障经费", "福田反诈骗服务 2021—2023", "天水社会治安防控信息化"}
    assert all("budget?project=" in link for link in table["link"])
    assert "1 个项目为非年末数据（截至 2023-06-30）" in texts(at)


def test_picking_all_projects_clears_the_project_from_the_url():
    at = run_page("budget", project=TJ, demo="0")
    assert metric(at, "预算执行率") == "71.72%"
    at.selectbox(key="w_budget_project").set_value("__all__").run()
    assert not at.exception
    assert "project" not in at.query_params
    assert metric(at, "项目数") == "3"


def test_unknown_project_warns_and_shows_the_selection():
    at = run_page("budget", project="no-such-project", demo="0")
    assert not at.exception
    assert any("no-such-project" in w.value for w in at.warning)
    assert metric(at, "项目数") == "3"


def test_english():
    at = run_page("budget", project=TS, lang="en")
    assert metric(at, "Budget (10k CNY)") == "not reported"
    assert metric(at, "Execution rate") == "108.31%"


@pytest.mark.parametrize("pid", [TJ, FT, TS])
def test_url_keeps_the_project(pid):
    at = run_page("budget", project=pid)
    assert pid in str(at.query_params["project"])


def test_every_selected_project_is_listed_and_there_is_no_search_box(tables):
    # the bundled lake has fewer projects than a picker lists (perfeval.views.picker.MAX_OPTIONS): all of them,
    # real ones first, by id (as queries/budget_projects.sql orders them), no search box and no caption
    p = tables("projects")
    expected = [*sorted(p.loc[p["data_kind"] != "demo", "project_id"]), *sorted(p.loc[p["data_kind"] == "demo", "project_id"])]
    names = dict(zip(p["project_id"], p["name"]))
    at = run_page("budget")
    assert at.selectbox(key="w_budget_project").options == [f"全部所选项目（{len(p)} 个）", *(names[i] for i in expected)]
    assert not at.text_input
    assert "未列出" not in texts(at)


def _pct(text):
    return float(text.rstrip("%")) if text.endswith("%") else float("inf")   # 未披露 last


def test_a_selection_too_large_to_list_shows_its_totals_and_the_projects_needing_attention(tables, monkeypatch):
    """Beyond capped.MAX_ROWS rows (500; 5 here, so that the bundled 67 projects exceed it) the headline figures
    still cover every selected project, the tables list the lowest execution rates first, and a caption says
    how many there are in all; vendors are summed across the projects."""
    from perfeval.views import capped

    full = run_page("budget")
    monkeypatch.setattr(capped, "MAX_ROWS", 5)
    at = run_page("budget")
    assert not at.exception
    assert [(m.label, m.value) for m in at.metric] == [(m.label, m.value) for m in full.metric]
    n = len(tables("projects"))
    assert metric(at, "项目数") == str(n)
    table = next(d.value for d in at.dataframe if "link" in d.value.columns)
    assert len(table) == 5
    rates = [_pct(v) for v in table["execution_s"]]
    assert rates == sorted(rates)
    everything = next(d.value for d in full.dataframe if "link" in d.value.columns)
    assert rates == sorted(_pct(v) for v in everything["execution_s"])[:5]   # the 5 lowest of them all
    captions = [c.value for c in at.caption]
    assert any(f"共 {n:,} 个项目" in c and "可用侧栏筛选条件或上方的项目选择缩小范围" in c for c in captions)
    years = next(d.value for d in at.dataframe if "adjustment_s" in d.value.columns)
    n_years = len(next(d.value for d in full.dataframe if "adjustment_s" in d.value.columns))
    assert len(years) == 5 and any(f"共 {n_years:,} 个项目年度" in c for c in captions)
    vendors = next(d.value for d in at.dataframe if "vendor_s" in d.value.columns)
    pairs = next(d.value for d in full.dataframe if "vendor_s" in d.value.columns)
    assert "projects" in vendors.columns and "short_name" not in vendors.columns   # one row per vendor
    assert len(vendors) == min(5, pairs["vendor_s"].nunique())
    assert any(f"{len(pairs):,} 个“项目 × 单位”组合" in c for c in captions)
    en = run_page("budget", lang="en")
    assert any(f"The table lists the 5 projects with the lowest execution rates (not reported last) (of {n:,} projects)"
               in c.value for c in en.caption)


def test_a_self_evaluation_forms_fund_sources_are_on_the_budget_page(tmp_path, monkeypatch):
    """A 自评表 imported as published: its 其中 rows (当年财政拨款 / 上年结转资金 / 其他资金 …) are listed in the
    按资金来源 table, 未披露 where the form leaves a cell empty."""
    import shutil

    from tests.conftest import DATA
    from tests.unit.test_selfeval_import import workbook

    lake = tmp_path / "data"
    shutil.copytree(DATA, lake, ignore=shutil.ignore_patterns("_derived"))
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    at = run_page("import")
    at.file_uploader(key="w_upload").set_value(("宣城禁毒.xlsx", workbook(("禁毒经费", [dict(r0=3, c0=2)])),
                                                "application/octet-stream"))
    at.run()
    at.button(key="commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    bp = run_page("budget", project="zp-2022-20efd29a")
    assert not bp.exception, [e.value for e in bp.exception]
    assert "按资金来源" in [s.value for s in bp.subheader]
    tables = [d.value for d in bp.dataframe if "fund_source" in d.value.columns]
    assert len(tables) == 1
    fs = tables[0]
    assert len(fs) >= 1 and fs["fund_source"].str.len().min() > 0
    assert not fs.isna().any().any()
