"""Data contracts of the scorecard data: indicator_rules for the three seeds and the grade bands."""
import pathlib
import re

import pandas as pd
import pytest

from perfeval.data import schema
from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.domain import audit, scoring
from perfeval.domain.scoring import rule_text
from tests.conftest import DATA, ROOT

FT, TJ, TS = "ft-2021-2023-anti-fraud-service", "tj-2022-fraud-ops", "ts-2021-security-informatization"


@pytest.fixture(scope="module")
def gate():
    return DataGate(Lake(DATA))


@pytest.fixture(scope="module")
def seeds(gate):
    bands = gate.table("grade_bands", Scope.everything())
    return {d.project_id: d for d in audit.load_projects(audit.gate_query(gate, Scope.everything()), None, bands)}


def test_every_seed_has_a_rules_file_with_the_schema_columns():
    cols = schema.table("indicator_rules").column_names
    for slug in ("futian-2021-2023", "tianjin-2022", "tianshui-2021"):
        df = pd.read_csv(DATA / "seed" / slug / "indicator_rules.csv", dtype=str, keep_default_na=False)
        assert list(df.columns) == cols


def test_rule_rows_are_keyed_typed_and_readable(gate):
    rules = gate.table("indicator_rules", Scope.everything())
    assert not rules.duplicated(["project_id", "code"]).any()
    assert set(rules["rule_type"]) <= set(scoring.RULE_TYPES)
    assert rules["source"].map(schema.data_kind).isin(schema.DATA_KINDS).all()
    seeds = rules[rules["project_id"].isin([FT, TJ, TS])]
    assert seeds["source"].str.startswith("report:").all()
    for r in rules.to_dict("records"):
        rule_text.parse_pairs(r["params"])   # raises on an unreadable cell
        rule_text.parse_pairs(r["inputs"])


def test_every_rule_belongs_to_a_leaf_indicator(gate):
    rules = gate.table("indicator_rules", Scope.everything())
    ind = gate.table("indicators", Scope.everything())
    parents = set(zip(ind["project_id"], ind["parent_code"].dropna()))
    codes = set(zip(ind["project_id"], ind["code"]))
    for key in zip(rules["project_id"], rules["code"]):
        assert key in codes, f"rule for an indicator that does not exist: {key}"
        assert key not in parents, f"rule on a non-leaf indicator: {key}"


def test_every_futian_leaf_has_a_recomputable_rule(seeds):
    tree = seeds[FT].tree()
    leaves = tree[tree["is_leaf"]]
    assert len(leaves) == 19  # the report says 18; its tables list 19 (an audit finding)
    assert set(leaves["method"]) == {"rule"}, leaves[leaves["method"] != "rule"][["code", "reason_en"]]
    assert not (leaves["rule_type"] == "manual").any()
    # every rule type the report's appendix uses is exercised by the seed
    assert set(leaves["rule_type"]) == set(scoring.RULE_TYPES) - {"manual"}


def test_each_futian_indicator_recomputes_or_a_finding_explains(seeds):
    result = audit.audit_project(seeds[FT])
    explained = {f.subject for f in result.findings if f.check == "score_recompute"}
    for r in result.tree[result.tree["is_leaf"]].to_dict("records"):
        same = abs(r["recomputed_score"] - r["reported_score"]) <= audit.SCORE_TOL
        assert same or r["code"] in explained, r["code"]
    total = scoring.total_evaluation(result.tree, seeds[FT].project["reported_total_score"])
    assert total.method == "sum"
    assert abs(total.score - seeds[FT].project["reported_total_score"]) <= audit.SCORE_TOL or any(
        f.check == "total_recompute" for f in result.findings)


def test_futian_recomputation_uses_the_projects_own_data(seeds):
    tree = seeds[FT].tree().set_index("code")
    assert tree.loc["B12", "reason_zh"] == "预算执行率 = 3,674.16 / 3,715.28 = 98.89% × 权重 5 = 4.94"
    assert "2022年 计划 110 实际 108" in tree.loc["C11", "reason_zh"]
    assert "32.41%" in tree.loc["D11", "reason_zh"]


def test_tianjin_and_tianshui_keep_their_reported_scores_as_manual(seeds):
    tj = seeds[TJ].tree()
    assert set(tj["method"]) == {"manual"} and set(tj["rule_type"]) == {"manual"}
    assert (tj["recomputed_score"] == tj["reported_score"]).all()
    total = scoring.total_evaluation(tj, seeds[TJ].project["reported_total_score"])
    assert total.method == "manual" and total.score == pytest.approx(91.5)
    ts = seeds[TS].tree()
    assert ts.empty
    total = scoring.total_evaluation(ts, seeds[TS].project["reported_total_score"])
    assert total.method == "manual" and total.score == pytest.approx(82.06)


def test_every_rule_notes_where_its_inputs_come_from(gate):
    rules = gate.table("indicator_rules", Scope.everything(include_demo=False))
    assert rules["basis"].fillna("").str.len().gt(5).all()
    inferred = rules[rules["basis"].str.contains("推断")]
    assert {"B22", "C31", "D21", "D31"} <= set(inferred["code"])  # the report does not state these inputs


def test_grade_bands_catalogue(gate):
    bands = gate.table("grade_bands", Scope.everything())
    assert not bands.duplicated(["band_set", "grade"]).any()
    default = scoring.bands_from_frame(bands, "default")
    assert [(b.grade, b.min_score) for b in default] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    projects = gate.table("projects", Scope.everything(include_demo=False))
    for p in projects.to_dict("records"):
        assert scoring.grade_of(p["reported_total_score"], default) == p["reported_grade"]


def test_docs_cover_every_rule_type_and_check():
    doc = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    for key in scoring.RULE_TYPES:
        assert re.search(rf"`{key}`", doc), f"docs/scoring.md does not describe rule type {key}"
    for key in audit.CHECKS:
        assert re.search(rf"`{key}`", doc), f"docs/scoring.md does not describe check {key}"


def test_scorecard_and_audit_queries_read_only_scoped_views():
    files = sorted(pathlib.Path(ROOT / "queries").glob("scorecard_*.sql")) + sorted(
        pathlib.Path(ROOT / "queries").glob("audit_*.sql"))
    assert files
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert text.startswith("-- "), f"{f.name} opens with what it answers"
        assert "Parameters:" in text.split("\n\n")[0] or "Parameters:" in text[:600], f.name
        assert "base_" not in re.sub(r"--[^\n]*", "", text), f"{f.name} reads a base_ view"
