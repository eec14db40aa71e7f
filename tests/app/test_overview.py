"""Overview: KPIs from the data, filters narrow the set, the URL mirrors the filters.

The tests about the three real reports run with the demonstration portfolio switched off (``demo=0``);
the demo view is tested for its count and its 示例数据 badge.
"""
from tests.app.helpers import chart_specs, metric, run_page, texts


def test_kpis_come_from_the_three_reports():
    at = run_page("overview", demo="0")
    assert not at.exception
    assert metric(at, "项目数") == "3"
    # 福田 3715.28 (adjusted) + 天津 1150; 天水 reports no budget (only estimated investment)
    assert metric(at, "预算合计（万元）") == "4,865.28"
    # 福田 3674.16 + 天津 824.81 + 天水 866.47
    assert metric(at, "实际支出（万元）") == "5,365.44"
    assert "3 份评价报告（真实数据）" in texts(at)
    assert "优 2" in texts(at) and "良 1" in texts(at)


def test_region_filter_from_url_selects_one_project():
    at = run_page("overview", region="4403")
    assert not at.exception
    assert metric(at, "项目数") == "1"
    df = at.dataframe[0].value
    assert list(df["name"]) == ["福田区反诈骗服务项目"]
    assert at.query_params["region"] == ["4403"] or at.query_params["region"] == "4403"


def test_ranked_table_links_open_each_project_keeping_the_filters():
    from urllib.parse import parse_qs, urlsplit

    def parts(link):
        u = urlsplit(link)
        return u.path, {k: v[0] for k, v in parse_qs(u.query).items()}

    at = run_page("overview", region="4403", lang="en")
    assert [parts(x) for x in at.dataframe[0].value["link"]] == [
        ("project", {"project": "ft-2021-2023-anti-fraud-service", "lang": "en", "region": "4403"})]
    at = run_page("overview", demo="0")
    assert sorted((parts(x) for x in at.dataframe[0].value["link"]), key=lambda p: p[1]["project"]) == [
        ("project", {"project": pid, "demo": "0"}) for pid in
        sorted(("tj-2022-fraud-ops", "ft-2021-2023-anti-fraud-service", "ts-2021-security-informatization"))]


def test_category_filter_widget_changes_the_set_and_the_url():
    at = run_page("overview", demo="0")
    at.selectbox(key="w_category").set_value("治安防控").run()
    assert metric(at, "项目数") == "1"
    assert "治安防控" in str(at.query_params["category"])
    # the filter survives a page switch
    at.switch_page("app_pages/project.py").run()
    at.switch_page("app_pages/overview.py").run()
    assert metric(at, "项目数") == "1"


def test_english_switch():
    at = run_page("overview", lang="en", demo="0")
    assert metric(at, "Projects") == "3"
    assert "Data: 3 evaluation reports (real data)" in texts(at)


def test_real_view_has_no_demo_badge():
    at = run_page("overview", demo="0")
    assert not any("示例数据" in w.value for w in at.warning)


def test_demo_view_counts_the_demo_projects_and_shows_the_badge(tables):
    projects = tables("projects")
    n_demo = int((projects["data_kind"] == "demo").sum())
    assert n_demo > 0
    at = run_page("overview")
    assert not at.exception
    assert metric(at, "项目数") == str(len(projects))
    assert any("示例数据" in w.value for w in at.warning)
    assert f"3 份评价报告（真实数据）；{n_demo} 个示例项目（非真实数据）" in texts(at)


def test_lagging_regions_beyond_the_limit_are_counted_not_listed(monkeypatch):
    from perfeval.ui import state
    from perfeval.views import overview as districts

    def lagging(at):
        return [line for m in at.markdown if m.value.startswith("- **") for line in m.value.splitlines()]

    at = run_page("overview")
    lines = lagging(at)
    assert len(lines) >= 2, "the demo portfolio has lagging districts"
    assert "地区落后，此处列出" not in texts(at)
    monkeypatch.setattr(districts, "MAX_LAGGING", 1)
    state._model.clear()  # the page model is cached per arguments and data version, which a constant is not
    try:
        at = run_page("overview")
        assert lagging(at) == lines[:1]
        assert f"共 {len(lines)} 个地区落后，此处列出落后最多的 1 个" in texts(at)
    finally:
        state._model.clear()


def test_district_charts_stop_at_the_limit_and_say_so(monkeypatch):
    import json

    from perfeval.ui import state
    from perfeval.views import overview as districts

    def units_charted(at):
        charts = [json.loads(s) for s in chart_specs(at)]
        grades = next(c for c in charts if "各地区评价等级分布" in str(c["layout"].get("title")))
        return len(grades["data"][0]["y"])

    at = run_page("overview")
    n = units_charted(at)
    assert n >= 4 and "全部地区见上表" not in texts(at)
    monkeypatch.setattr(districts, "MAX_CHART_UNITS", 3)
    # the section's charts are kept per filters and data version (state.model), which a changed constant
    # is not: start from an empty cache, as a restarted app would
    state._model.clear()
    try:
        at = run_page("overview")
        assert units_charted(at) == 3
        assert f"图中为排名前 3 的地区（共 {n} 个），全部地区见上表。" in texts(at)
    finally:
        state._model.clear()  # the tests after this one draw with the real limit


def _in_page_order(node, out):
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for k in sorted(children):
            _in_page_order(children[k], out)
    else:
        out.append(node)
    return out


def test_lagging_districts_stay_above_the_district_charts():
    """The lagging list is worked out after the district charts are drawn (its query is the section's
    slowest), into a place kept above them: the page reads as before."""
    at = run_page("overview")
    nodes = _in_page_order(at.main, [])
    heading = next(i for i, n in enumerate(nodes) if n.type == "markdown" and "落后地区" in n.value)
    lag_rule = next(i for i, n in enumerate(nodes) if n.type == "caption" and n.value.startswith("落后："))
    first_chart = next(i for i, n in enumerate(nodes) if n.type == "bidi_component")
    assert heading < lag_rule < first_chart


def test_a_rerun_draws_the_districts_from_the_memo_and_a_new_language_rebuilds_them(monkeypatch):
    """What the overview draws is made once per filters, language, scope and data version
    (state.model): a rerun or a second visitor builds no chart again; English is built anew."""
    from perfeval.charts import compare as charts_compare
    from perfeval.ui import state

    built = []
    real = charts_compare.grade_by_unit
    monkeypatch.setattr(charts_compare, "grade_by_unit", lambda *a, **k: built.append(1) or real(*a, **k))
    state._model.clear()
    try:
        at = run_page("overview")
        assert len(built) == 1 and len(chart_specs(at)) == 5
        first = chart_specs(at)
        at.run()
        run_page("overview")  # another session, the same filters
        assert len(built) == 1 and chart_specs(at) == first
        at = run_page("overview", lang="en")
        assert len(built) == 2 and "Grades by district" in str(chart_specs(at))
    finally:
        state._model.clear()
