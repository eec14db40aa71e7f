"""Round trip through the national 自评表: the three bundled reports (data/seed/*) written as 项目支出绩效自评表
workbooks (one block per project and year, the layout of tests/selfeval_corpus.py) and imported into an empty
lake give the same query results as the bundled CSVs for what a 自评表 holds:

- the project's facts: 项目名称, 主管部门, 实施单位, 项目类别 and 行政区划代码 (rows the form may add), 总分;
- its budget by year: 年初预算数, 全年预算数, 全年执行数 of the whole project (budget_by_year);
- its indicator tree: each node's level, name, 分值 and 得分 in order (scorecard_indicators).

What a 自评表 cannot hold is not compared (the template round trip, test_roundtrip_template.py, compares
everything): sub-projects, 到位 (received), estimated investment, payments, outcomes, surveys, targets that
are not rows of the indicator table, figures, findings. A multi-year evaluation (福田 2021—2023) becomes one
自评表 a year, as units file them; its tree and 总分 are on the last year's.
"""
from __future__ import annotations

import math
import shutil

import pandas as pd
import pytest

from perfeval.data.gate import DataGate, Scope
from perfeval.data.imports import ingest, selfeval
from perfeval.data.lake import Lake
from tests import selfeval_corpus as corpus
from tests.conftest import DATA

ALL = Scope.everything()
FILTERS = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)
FACTS = ["name", "supervising_unit", "implementing_unit", "category", "region_code"]
SEED_PROJECTS = sorted(pd.concat([pd.read_csv(f, dtype=str) for f in (DATA / "seed").glob("*/projects.csv")])
                       ["project_id"])
_NODES = pd.concat([pd.read_csv(f, dtype=str) for f in (DATA / "seed").glob("*/indicators.csv")])
# a tree the report gives at level 1 only (天津: 表3's four 一级指标 with 分值 and 得分) is written as rows with
# empty 二级 / 三级 cells; the reader makes three nodes of the same name of each such row instead of one leaf
WITH_TREE = sorted(set(_NODES["project_id"]))  # a level-1-only tree included: one level-1 node per row


def _num(v) -> str:
    """A number as a person types it in the form ('' where the report gives none)."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:.6f}".rstrip("0")


def _label(name: str, weight, children: bool) -> str:
    """A parent's label with its 分值 written in it (决策（20分）), as the forms write a branch's points."""
    w = _num(weight)
    return f"{name}（{w}分）" if children and w else name


def selfeval_forms(gate: DataGate, project_id: str) -> list[dict]:
    """The 自评表 blocks of one project (transcription dicts for tests.selfeval_corpus.build_workbook): one per
    budget year, the indicator tree and 总分 on the last."""
    p = gate.query("project_facts", ALL, project_id=project_id).iloc[0]
    budget = gate.query("budget_by_year", ALL, **FILTERS, project_id=project_id)
    tree = gate.query("scorecard_indicators", ALL, project_id=project_id).sort_values("sort_order")
    years = [int(y) for y in budget["year"]] or [int(pd.Timestamp(p["period_end"]).year)]
    by_code = {r.code: r for r in tree.itertuples()}
    parents = set(tree["parent_code"].dropna())
    rows = []
    for r in tree.itertuples():
        if r.code in parents:
            continue  # a branch: its label is on its leaves' rows
        chain = [r]
        while not pd.isna(chain[0].parent_code):
            chain.insert(0, by_code[chain[0].parent_code])
        names = [_label(n.name, n.weight, n.code in parents) for n in chain] + ["", "", ""]
        rows.append(names[:3] + ["", "", _num(r.weight), _num(r.reported_score), ""])
    forms = []
    for year in years:
        last = year == years[-1]
        b = budget[budget["year"] == year]
        funds = [["年度资金总额"] + [_num(b[c].iloc[0]) if len(b) else "" for c in
                                 ("initial_budget", "adjusted_budget", "spent")] + ["", "", ""]]
        forms.append(dict(
            workbook=f"{project_id}.xlsx", sheet=f"{year}年度", style="standard", title="项目支出绩效自评表",
            year=f"（{year}年度）", project=p["name"], supervising=p["supervising_unit"] or "",
            implementing=p["implementing_unit"],
            extra=[["项目类别", p["category"]], ["行政区划代码", p["region_code"]]],
            funds_label="项目资金（万元）",
            funds_header=["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], funds=funds,
            goal_label="年度总体目标", goal_expected=p["goal"] or "", goal_actual=p["goal_result"] or "",
            indicators_label="绩效指标", indicators=rows if last else [],
            total=["总分", "", _num(p["reported_total_score"])] if last and _num(p["reported_total_score"]) else None))
    return forms


def _reference_lake(root):
    root.mkdir()
    shutil.copytree(DATA / "catalog", root / "catalog")
    shutil.copytree(DATA / "seed", root / "seed")
    return root


@pytest.fixture(scope="module")
def lakes(tmp_path_factory):
    """(gate over the bundled reports, gate over an empty lake into which their 自评表 workbook was imported,
    seed project id → its forms, the workbook's bytes)."""
    tmp = tmp_path_factory.mktemp("selfeval_roundtrip")
    ref = DataGate(Lake(_reference_lake(tmp / "seed")))
    forms = {pid: selfeval_forms(ref, pid) for pid in sorted(ref.table("projects", ALL)["project_id"])}
    doc = corpus.Document(tmp / "bundled.toml", {"kind": "authored"}, [])
    data, _ = corpus.build_workbook([(doc, dict(f, workbook="三份报告的自评表.xlsx")) for fs in forms.values() for f in fs])
    target = tmp / "empty"
    target.mkdir()
    shutil.copytree(DATA / "catalog", target / "catalog")
    staged = ingest.stage("三份报告的自评表.xlsx", data, target)
    assert [f"{p.file} {p.row} {p.column} {p.value!r} {p.code}" for p in staged.problems] == []
    ingest.commit(staged, target)
    return ref, DataGate(Lake(target)), forms, data


def _imported_ids(imported: DataGate, name: str) -> list[str]:
    projects = imported.table("projects", ALL)
    return sorted(projects.loc[projects["name"] == name, "project_id"])


def test_the_workbook_is_a_selfeval_with_a_block_per_project_and_year(lakes):
    _, imported, forms, data = lakes
    assert selfeval.is_selfeval("三份报告的自评表.xlsx", data)
    assert len(imported.table("projects", ALL)) == sum(len(f) for f in forms.values())


@pytest.mark.parametrize("seed", SEED_PROJECTS)
def test_the_project_facts_are_the_same(lakes, seed):
    ref, imported, forms, _ = lakes
    before = ref.query("project_facts", ALL, project_id=seed).iloc[0]
    ids = _imported_ids(imported, before["name"])
    assert len(ids) == len(forms[seed])
    for i in ids:
        after = imported.query("project_facts", ALL, project_id=i).iloc[0]
        assert after[FACTS].tolist() == before[FACTS].tolist()
    totals = [imported.query("project_facts", ALL, project_id=i).iloc[0]["reported_total_score"] for i in ids]
    stated = [t for t in totals if not pd.isna(t)]
    assert stated == ([] if pd.isna(before["reported_total_score"]) else [before["reported_total_score"]])


@pytest.mark.parametrize("seed", SEED_PROJECTS)
def test_the_budget_by_year_is_the_same(lakes, seed):
    ref, imported, forms, _ = lakes
    cols = ["year", "initial_budget", "adjusted_budget", "spent"]
    before = ref.query("budget_by_year", ALL, **FILTERS, project_id=seed)[cols]
    name = ref.query("project_facts", ALL, project_id=seed).iloc[0]["name"]
    after = pd.concat([imported.query("budget_by_year", ALL, **FILTERS, project_id=i)[cols]
                       for i in _imported_ids(imported, name)]).sort_values("year")
    pd.testing.assert_frame_equal(after.reset_index(drop=True), before.reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("seed", WITH_TREE)
def test_the_indicator_tree_is_the_same(lakes, seed):
    ref, imported, forms, _ = lakes
    cols = ["level", "name", "weight", "reported_score"]
    before = ref.query("scorecard_indicators", ALL, project_id=seed).sort_values("sort_order")[cols]
    name = ref.query("project_facts", ALL, project_id=seed).iloc[0]["name"]
    last = _imported_ids(imported, name)
    trees = [imported.query("scorecard_indicators", ALL, project_id=i).sort_values("sort_order")[cols] for i in last]
    after = next(t for t in trees if len(t))
    assert len(after) == len(before), after
    # a branch's 得分 is not a cell of the form: only where the report states it for a leaf is it compared
    branch = before["level"] < before["level"].shift(-1).fillna(0)
    before = before.assign(reported_score=before["reported_score"].where(~branch))
    after = after.assign(reported_score=after["reported_score"].where(~branch.values))
    pd.testing.assert_frame_equal(after.reset_index(drop=True), before.reset_index(drop=True), check_dtype=False)
