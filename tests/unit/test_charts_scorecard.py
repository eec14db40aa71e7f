"""Scorecard figures and the portfolio aggregations behind them (pure functions, no Streamlit)."""
import pandas as pd
import pytest

from perfeval.charts import scorecard as cs
from perfeval.charts.base import NEUTRAL
from perfeval.domain import scoring
from perfeval.domain.scoring import Rule
from perfeval.text.i18n import Translator

ZH, EN = Translator("zh"), Translator("en")


def tree_rows(project="P", b12=4.94, c=None):
    return pd.DataFrame([
        {"project_id": project, "short_name": project, "code": "A", "parent_code": None, "level": 1, "name": "决策",
         "name_en": "Decision", "weight": None, "reported_score": None, "sort_order": 1},
        {"project_id": project, "short_name": project, "code": "A1", "parent_code": "A", "level": 2,
         "name": "预算执行率", "name_en": "Execution", "weight": 5, "reported_score": b12, "sort_order": 2},
        {"project_id": project, "short_name": project, "code": "A2", "parent_code": "A", "level": 2,
         "name": "制度执行有效性", "name_en": "Enforcement", "weight": 5, "reported_score": 4, "sort_order": 3},
        {"project_id": project, "short_name": project, "code": "B", "parent_code": None, "level": 1, "name": "过程",
         "name_en": "Process", "weight": 10, "reported_score": c, "sort_order": 4},
    ])


def tree(**kw):
    rules = {"A1": Rule.from_texts("ratio", "label=预算执行率", "rate=98.89%")}
    return scoring.score_tree(tree_rows(**kw), rules)


# -- colours ---------------------------------------------------------------------------------------

def test_rate_colour_scale():
    assert cs.rate_colour(None) == NEUTRAL and cs.rate_colour(float("nan")) == NEUTRAL
    assert cs.rate_colour(1.0) == "#1a7f37" and cs.rate_colour(1.3) == "#1a7f37"
    assert cs.rate_colour(0.6) == cs.rate_colour(0.2) == "#cf222e"
    assert cs.rate_colour(0.8) == "#e0a01e"
    assert len({cs.rate_colour(r / 100) for r in range(60, 101, 5)}) == 9  # every step distinguishable
    assert NEUTRAL not in {cs.rate_colour(r / 100) for r in range(0, 121)}  # grey only for 未披露


# -- the treemap --------------------------------------------------------------------------------------------

def test_treemap_area_is_weight_and_colour_is_score_rate():
    fig = cs.indicator_treemap(tree(), ZH, total=18.94)
    tm = fig.data[0]
    # the tree lists 20 of the framework's 100 points: the other 80 are a grey box "未列出" (issue 18)
    assert list(tm.ids) == ["__total__", "A", "A1", "A2", "B", "__total____unlisted"]
    assert list(tm.parents) == ["", "__total__", "A", "A", "__total__", "__total__"]
    assert list(tm.values) == [0, 0, 5, 5, 10, 80]  # leaves carry the area (B is a leaf), parents add them up
    assert tm.marker.colors[-1] == "#8c959f" and tm.labels[-1].startswith("未列出（未披露）")
    assert tm.branchvalues == "remainder"
    colours = dict(zip(tm.ids, tm.marker.colors))
    assert colours["B"] == NEUTRAL  # B's score is not reported: grey, not a red zero
    assert colours["A2"] == cs.rate_colour(0.8)
    assert "98.94" not in tm.labels[0] and "18.94" in tm.labels[0]
    assert any("预算执行率 98.89% × 权重 5 = 4.94" in h for h in tm.customdata)


def test_treemap_without_a_tree_says_not_reported():
    fig = cs.indicator_treemap(pd.DataFrame(), EN, total=82.06)
    assert len(fig.data[0].ids) == 1
    assert "no indicator breakdown reported" in fig.data[0].labels[0] and "82.06" in fig.data[0].labels[0]


# -- where the points went ------------------------------------------------------------------------------------

def test_points_lost_largest_first():
    fig = cs.points_lost_bars(tree(), ZH)
    bars = fig.data[0]
    assert list(bars.y) == ["A1 预算执行率", "A2 制度执行有效性"]  # plotly draws the last bar on top
    assert list(bars.x) == pytest.approx([0.06, 1.0])
    assert "未披露得分：B" in fig.layout.title.text
    assert len(fig.data) == 1  # recomputed agrees with reported: no second series


def test_points_lost_shows_a_recomputed_difference():
    fig = cs.points_lost_bars(tree(b12=4.5), EN)
    assert [d.name for d in fig.data] == ["lost (reported)", "lost (recomputed)"]
    recomputed = dict(zip(fig.data[1].y, fig.data[1].x))
    assert recomputed["A1 Execution"] == pytest.approx(0.06)


def test_points_lost_when_nothing_is_lost_or_nothing_is_given():
    full = tree_rows(b12=5, c=10)
    full.loc[full["code"] == "A2", "reported_score"] = 5
    fig = cs.points_lost_bars(scoring.score_tree(full, {}), ZH)
    # the tree lists 20 of 100 points: full marks on what it lists, the rest not reported (issue 18)
    assert not fig.data and fig.layout.annotations[0].text == "列出的指标均得满分（其余未披露）"
    assert "另有 80 分的指标未列出" in fig.layout.title.text
    whole = pd.concat([full, full.assign(code="Z", name="效益", weight=80.0, reported_score=80.0, sort_order=9)])
    fig = cs.points_lost_bars(scoring.score_tree(whole, {}), ZH)
    assert not fig.data and "未失分" in fig.layout.annotations[0].text
    fig = cs.points_lost_bars(pd.DataFrame(), EN)
    assert "no indicator scores" in fig.layout.annotations[0].text


# -- the portfolio ------------------------------------------------------------------------------------------

def portfolio():
    a = tree_rows("P1", b12=4, c=9)
    b = tree_rows("P2", b12=5, c=8)
    b.loc[b["code"] == "A", "name"] = "项目决策"  # another framework's word for the same dimension
    none = pd.DataFrame([{"project_id": "P3", "short_name": "P3", "code": None, "reported_total_score": 82.06}])
    rows = pd.concat([a, b, none], ignore_index=True)
    rows["reported_total_score"] = rows["reported_total_score"].fillna(90)
    return rows


@pytest.fixture(scope="module")
def portfolio_gate(tmp_path_factory):
    """The `portfolio()` trees as a tiny lake (P1, P2 with trees, P3 with a total only)."""
    from perfeval.data.gate import DataGate
    from perfeval.data.lake import Lake
    from tests.lakes import write_table
    from tests.unit.test_queries import project

    root = tmp_path_factory.mktemp("portfolio") / "data"
    write_table(root, "catalog/documents.csv", "documents", [dict(source="report:fx", kind="report", title="x")])
    write_table(root, "seed/fx/projects.csv", "projects", [
        project(pid, "110101", "北京市", "北京市", "东城区", "反诈", "自评", "2022-01-01", "2022-12-31", score, "优", d)
        for pid, score, d in [("P1", 90, 2), ("P2", 90, 2), ("P3", 82.06, 0)]])
    rows = portfolio()
    rows = rows[rows["code"].notna()].drop(columns=["short_name", "reported_total_score"]).assign(source="report:fx")
    write_table(root, "seed/fx/indicators.csv", "indicators",
                [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in rows.to_dict("records")])
    lake = Lake(root)
    return DataGate(lake)


def _q(gate, name):
    from perfeval.data.gate import Scope
    return gate.query(name, Scope.everything(), region=None, year_from=None, year_to=None, category=None,
                      evaluator_type=None)


def test_points_lost_by_level1_merges_frameworks_by_english_name(portfolio_gate):
    l1 = _q(portfolio_gate, "portfolio_points_lost_level1").set_index("dimension_en")
    assert l1.loc["Decision", "projects"] == 2
    assert l1.loc["Decision", "points_lost"] == pytest.approx((10 - 8) + (10 - 9))
    assert l1.loc["Process", "points_lost"] == pytest.approx(1 + 2)
    assert l1.loc["Process", "score_rate"] == pytest.approx(17 / 20)
    assert list(l1.index) == sorted(l1.index, key=lambda k: -l1.loc[k, "points_lost"])


def test_points_lost_by_indicator_skips_level1_leaves(portfolio_gate):
    ind = _q(portfolio_gate, "portfolio_points_lost_indicators").set_index("indicator")
    assert set(ind.index) == {"预算执行率", "制度执行有效性"}  # B (a level-1 leaf) is a dimension
    assert ind.loc["预算执行率", "points_lost"] == pytest.approx(1)
    assert ind.loc["制度执行有效性", "dimension"] in {"决策", "项目决策"}


def test_projects_without_a_tree_are_named_not_zeroed(portfolio_gate):
    nb = _q(portfolio_gate, "portfolio_not_broken_down")
    assert list(nb["project_id"]) == ["P3"] and nb["points_lost"].iloc[0] == pytest.approx(17.94)


def test_a_partial_parent_is_unknown_not_understated(tmp_path):
    """A level-1 node whose children do not all state a score has no derived score (no partial sum)."""
    from perfeval.data.gate import DataGate
    from perfeval.data.lake import Lake
    from tests.lakes import write_table
    from tests.unit.test_queries import ind, project

    root = tmp_path / "data"
    write_table(root, "catalog/documents.csv", "documents", [dict(source="report:fx", kind="report", title="x")])
    write_table(root, "seed/fx/projects.csv", "projects", [
        project("Q", "110101", "北京市", "北京市", "东城区", "反诈", "自评", "2022-01-01", "2022-12-31", 90, "优", 2)])
    write_table(root, "seed/fx/indicators.csv", "indicators", [
        ind("Q", "A", None, 1), ind("Q", "A1", "A", 2, 5, 4), ind("Q", "A2", "A", 2, 5, None)])
    l1 = _q(DataGate(Lake(root)), "portfolio_points_lost_level1")
    assert l1.empty


def test_portfolio_charts(portfolio_gate):
    fig = cs.level1_points_lost(_q(portfolio_gate, "portfolio_points_lost_level1"), EN)
    assert list(fig.data[0].x) == ["Decision", "Process"]
    assert list(fig.data[0].y) == pytest.approx([1.5, 1.5])
    fig = cs.indicator_points_lost(_q(portfolio_gate, "portfolio_points_lost_indicators"), ZH, top=1)
    assert list(fig.data[0].y) == ["制度执行有效性"]
    empty = cs.level1_points_lost(pd.DataFrame(), ZH)
    assert not empty.data and empty.layout.annotations
    assert not cs.indicator_points_lost(pd.DataFrame(), EN).data
