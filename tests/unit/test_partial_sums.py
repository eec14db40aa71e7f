"""A subtotal the dashboard sums from the children is unknown when a child's figure is unknown, never the sum
of the children it knows (docs/scoring.md: "a sum that cannot be completed stays None, never 0"; a partial
sum would understate a score and show a rate that no report gives).

The project page's level-1 chart (project_level1.sql), the compare page (compare_indicators.sql,
district_indicators.sql) and the framework signatures (compare_frameworks.sql) follow the rule that the
scorecard and the points-lost queries follow.
"""
from __future__ import annotations

import pandas as pd
import pytest

from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from tests.lakes import write_table
from tests.unit.test_queries import ind, project

NO_FILTERS = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)


@pytest.fixture(scope="module")
def gate(tmp_path_factory) -> DataGate:
    """P: only leaves stated; one leaf without a score (A11 5/4, A12 5/–), B complete (B11 10/9), one leaf
    without a weight (C11 –/3, C12 2/2). Q: the same tree, complete (A12 5/5, C11 4/3)."""
    root = tmp_path_factory.mktemp("partial") / "data"
    write_table(root, "catalog/documents.csv", "documents", [dict(source="report:fx", kind="report", title="x")])
    write_table(root, "seed/fx/projects.csv", "projects", [
        project(p, "110101", "北京市", "北京市", "东城区", "反诈", "自评", "2022-01-01", "2022-12-31", 90, "优", 3)
        for p in ("P", "Q")])
    rows = []
    for p, a12, c11 in (("P", None, None), ("Q", 5, 4)):  # A12's score, C11's weight
        rows += [ind(p, "A", None, 1), ind(p, "A1", "A", 2), ind(p, "A11", "A1", 3, 5, 4),
                 ind(p, "A12", "A1", 3, 5, a12),
                 ind(p, "B", None, 1), ind(p, "B1", "B", 2), ind(p, "B11", "B1", 3, 10, 9),
                 ind(p, "C", None, 1), ind(p, "C1", "C", 2), ind(p, "C11", "C1", 3, c11, 3),
                 ind(p, "C12", "C1", 3, 2, 2)]
    write_table(root, "seed/fx/indicators.csv", "indicators", rows)
    return DataGate(Lake(root))


def test_project_level1_leaves_an_incomplete_sum_unknown(gate):
    l1 = gate.query("project_level1", Scope.everything(), project_id="P").set_index("code")
    assert l1.loc["A", "weight"] == 10 and pd.isna(l1.loc["A", "reported_score"])
    assert pd.isna(l1.loc["A", "score_rate"])  # not 4 / 10
    assert l1.loc["B", "reported_score"] == 9 and l1.loc["B", "score_rate"] == pytest.approx(0.9)
    assert pd.isna(l1.loc["C", "weight"]) and l1.loc["C", "reported_score"] == 5  # not 2
    q = gate.query("project_level1", Scope.everything(), project_id="Q").set_index("code")
    assert q.loc["A", "reported_score"] == 9 and q.loc["C", "weight"] == 6


@pytest.mark.parametrize("level", [1, 2])
def test_compare_indicators_leave_an_incomplete_sum_unknown(gate, level):
    df = gate.query("compare_indicators", Scope.everything(), level=level, **NO_FILTERS)
    p = df[df["project_id"] == "P"].set_index("code")
    a = "A" if level == 1 else "A1"
    assert p.loc[a, "weight"] == 10 and pd.isna(p.loc[a, "score"]) and pd.isna(p.loc[a, "score_rate"])
    q = df[df["project_id"] == "Q"].set_index("code")
    assert q.loc[a, "score"] == 9


def test_district_indicators_count_only_complete_subtotals(gate):
    df = gate.query("district_indicators", Scope.everything(), year=None, level=1, **NO_FILTERS)
    a = df.set_index("indicator_key").loc["指标A"]
    # only Q's A (10/9) is known; P's is not added as 10/4
    assert a["projects"] == 1 and a["weight"] == 10 and a["score"] == 9


def test_framework_weights_are_unknown_when_a_leaf_weight_is(gate):
    sig = gate.query("compare_frameworks", Scope.everything(), project_ids=["P", "Q"]).set_index("project_id")
    assert sig.loc["P", "framework_signature"] == "指标A/指标B/指标C (10/10/?)"  # not …/2
    assert sig.loc["Q", "framework_signature"] == "指标A/指标B/指标C (10/10/6)"
