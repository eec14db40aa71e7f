"""The audit's derivation queries against their previous definitions, and the audit's loading by batches.

The queries rewritten for national-scale lakes (no recursion, no ordered aggregates) must give the same rows
as before: the previous SQL is kept as it was in tests/reference/sql/<name>.sql and both run through
the data gate on the seed + demo lake, on a tiny lake with the awkward indicator trees, and on the
generated bench/lake/1000 when it is there. Then the audit itself: the same findings, unchecked figures
and trees with the previous queries, with its faster row handling and when the lake is read in batches.
"""
from __future__ import annotations

import io
import json
import math
import pathlib
from contextlib import redirect_stdout

import numpy as np
import pandas as pd
import pytest

from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.domain import audit, scoring
from perfeval.domain.audit import loading
from tests.conftest import DATA, ROOT
from tests.lakes import write_table

REFERENCE = pathlib.Path(__file__).parents[1] / "reference" / "sql"
REWRITTEN = ("audit_indicator_values", "audit_budget_values", "audit_outcome_values", "audit_payment_values",
             "audit_spending")
BENCH_1000 = ROOT / "bench" / "lake" / "1000"


def reference_sql(name: str) -> str:
    return (REFERENCE / f"{name}.sql").read_text(encoding="utf-8")


def _sorted_keys(text):
    """'budget: 2021/P1/a, 2021/P1/b' with its keys sorted: the previous audit_budget_values joined the
    distinct row keys in no defined order (it differed between runs); the new one sorts them."""
    if not isinstance(text, str):
        return text
    head, _, keys = text.partition(": ")
    return head + ": " + ", ".join(sorted(keys.split(", ")))


def assert_same_rows(old: pd.DataFrame, new: pd.DataFrame, name: str) -> None:
    """Same columns and types, the same rows in the same order; numbers equal up to the last bits of a
    floating-point sum (which depends on the order the engine adds in)."""
    assert list(new.columns) == list(old.columns), name
    assert [str(t) for t in new.dtypes] == [str(t) for t in old.dtypes], name
    assert len(new) == len(old), (name, len(old), len(new))
    if name == "audit_budget_values":
        old = old.assign(rows=old["rows"].map(_sorted_keys))
    for c in old.columns:
        if pd.api.types.is_float_dtype(old[c]):
            np.testing.assert_allclose(new[c].to_numpy(float), old[c].to_numpy(float), rtol=1e-12, atol=1e-12,
                                       equal_nan=True, err_msg=f"{name}.{c}")
        else:
            pd.testing.assert_series_equal(new[c], old[c], check_exact=True, obj=f"{name}.{c}")


def compare_on(root: pathlib.Path, names=REWRITTEN, projects=None) -> dict[str, int]:
    """Run the previous and the new SQL of each query over every project (with and without demo rows)
    and for single projects; returns the rows compared per query."""
    gate = DataGate(Lake(root))
    if projects is None:
        ids = gate.query("scorecard_projects", Scope.everything(), project_id=None)["project_id"].tolist()
        projects = ids[:3] + ids[-3:]
    seen = {}
    for name in names:
        n = 0
        for scope in (Scope.everything(), Scope.everything(include_demo=False)):
            old = gate.run_sql(reference_sql(name), scope, {"project_id": None}, label=name)
            new = gate.query(name, scope, project_id=None)
            assert_same_rows(old, new, name)
            n += len(old)
        for pid in projects:
            old = gate.run_sql(reference_sql(name), Scope.everything(), {"project_id": pid}, label=name)
            assert_same_rows(old, gate.query(name, Scope.everything(), project_id=pid), name)
        seen[name] = n
    return seen


def test_the_reference_files_are_the_previous_queries_not_the_new_ones():
    for name in REWRITTEN:
        assert reference_sql(name) != (ROOT / "queries" / f"{name}.sql").read_text(encoding="utf-8"), name
    assert "WITH RECURSIVE" in reference_sql("audit_indicator_values")
    assert "RECURSIVE" not in (ROOT / "queries" / "audit_indicator_values.sql").read_text(encoding="utf-8")


def test_same_rows_as_the_previous_queries_on_seed_and_demo():
    gate = DataGate(Lake(DATA))
    ids = gate.query("scorecard_projects", Scope.everything(), project_id=None)["project_id"].tolist()
    seen = compare_on(DATA, projects=[p for p in ids if not p.startswith("demo-")] + ids[:2] + ids[-2:])
    # every query had rows to compare (a comparison of two empty results would prove nothing)
    assert all(n > 0 for n in seen.values()), seen


def test_the_previous_budget_query_was_not_repeatable_the_new_one_is():
    gate = DataGate(Lake(DATA))
    new = {tuple(gate.query("audit_budget_values", Scope.everything(), project_id=None)["rows"])
           for _ in range(3)}
    assert len(new) == 1
    rows = [r for r in next(iter(new)) if ", " in r]
    assert rows and all(r == _sorted_keys(r) for r in rows)


@pytest.fixture(scope="module")
def tree_lake(tmp_path_factory) -> pathlib.Path:
    """Indicator trees the seeds do not have: four levels, missing weights and scores at any level, a
    leaf at level 2, a parent code that is not in the project (or only in another project), a project
    with a total but no tree, one with neither; plus outcomes and payments with ties and gaps."""
    root = tmp_path_factory.mktemp("trees") / "data"

    def project(pid, score):
        return dict(project_id=pid, name=pid, region_code="440304", reported_total_score=score,
                    source="report:t")

    write_table(root, "seed/t/projects.csv", "projects", [
        project("p-4", 81.5), project("p-gaps", None), project("p-orphan", 60), project("p-flat", 88),
        project("p-none", None)])

    def ind(pid, code, parent, level, weight=None, score=None):
        return dict(project_id=pid, code=code, parent_code=parent, level=level, name=code, weight=weight,
                    reported_score=score, source="report:t")

    write_table(root, "seed/t/indicators.csv", "indicators", [
        # p-4: four levels; only the leaves (level 4, and B2 at level 2) carry numbers
        ind("p-4", "A", None, 1), ind("p-4", "A1", "A", 2), ind("p-4", "A11", "A1", 3),
        ind("p-4", "A111", "A11", 4, 10, 9), ind("p-4", "A112", "A11", 4, 20, 15.5),
        ind("p-4", "A12", "A1", 3), ind("p-4", "A121", "A12", 4, 30, 27),
        ind("p-4", "B", None, 1, 40), ind("p-4", "B1", "B", 2, 25, 20), ind("p-4", "B2", "B", 2, 15, 10),
        # p-gaps: a leaf without weight, a leaf without score, a parent stating only its score
        ind("p-gaps", "A", None, 1, None, 50), ind("p-gaps", "A1", "A", 2, 30, 28), ind("p-gaps", "A2", "A", 2, None, 20),
        ind("p-gaps", "B", None, 1), ind("p-gaps", "B1", "B", 2, 40, None), ind("p-gaps", "B2", "B", 2, 30, 30),
        # p-orphan: X's parent is not in the project (A is a code of other projects), Y's nowhere
        ind("p-orphan", "X", "A", 2, 50, 40), ind("p-orphan", "Y", "ZZ", 2, 50, 45),
        ind("p-orphan", "X1", "X", 3, 20, 18),
    ])
    write_table(root, "seed/t/outcomes.csv", "outcomes", [
        dict(project_id="p-4", outcome_id="O3", metric_key="calls", year=2022, value=3, source="report:t"),
        dict(project_id="p-4", outcome_id="O1", metric_key="calls", year=2021, value=1.5, qualifier="about",
             source="report:t"),
        dict(project_id="p-4", outcome_id="O2", metric_key="calls", year=2023, value=2, source="report:t"),
        # two figures for one year: no single value for that year
        dict(project_id="p-4", outcome_id="O5", metric_key="cases", year=2022, value=7, source="report:t"),
        dict(project_id="p-4", outcome_id="O4", metric_key="cases", year=2022, value=8, source="report:t"),
        dict(project_id="p-4", outcome_id="O6", metric_key="cases", year=2021, value=5, source="report:t"),
        dict(project_id="p-4", outcome_id="O7", metric_key="cases", year=None, value=20, source="report:t"),
    ])
    write_table(root, "seed/t/payments.csv", "payments", [
        dict(project_id="p-4", payment_id="P10", subproject_id="S1", amount=5, source="report:t"),
        dict(project_id="p-4", payment_id="P2", subproject_id="S1", amount=1.25, source="report:t"),
        dict(project_id="p-4", payment_id="P1", subproject_id=None, amount=3, source="report:t"),
        dict(project_id="p-gaps", payment_id="Q1", subproject_id="S9", amount=None, source="report:t"),
    ])
    write_table(root, "seed/t/budget.csv", "budget", [
        dict(project_id="p-4", year=2021, subproject_id="S1", fund_source="市级", initial_budget=10, spent=6,
             source="report:t"),
        dict(project_id="p-4", year=2021, subproject_id="S1", fund_source="中央", initial_budget=5, spent=3,
             received=5, source="report:t"),
        dict(project_id="p-4", year=2022, initial_budget=8, adjusted_budget=9, spent=9, received=9,
             source="report:t"),
    ])
    return root


def test_same_rows_as_the_previous_queries_on_awkward_trees(tree_lake):
    seen = compare_on(tree_lake, projects=["p-4", "p-gaps", "p-orphan", "p-flat", "p-none"])
    assert all(n > 0 for n in seen.values()), seen
    values = DataGate(Lake(tree_lake)).query("audit_indicator_values", Scope.everything(), project_id=None)
    got = {(r.project_id, r.figure, r.scope): r.value for r in values.itertuples()}
    # the four-level tree is summed from its leaves: A = 10 + 20 + 30 (weights), 9 + 15.5 + 27 (scores)
    assert got[("p-4", "indicator_weight", "indicator:A")] == 60
    assert got[("p-4", "indicator_score", "indicator:A")] == 51.5
    assert got[("p-4", "indicator_count", "level:4;indicator:A")] == 3
    # a leaf without a weight: its parent's weight cannot be summed
    assert ("p-gaps", "indicator_weight", "indicator:A") not in got
    assert got[("p-gaps", "indicator_score", "indicator:A")] == 50
    # a parent code followed only within the project
    assert got[("p-orphan", "indicator_count", "level:3;indicator:X")] == 1
    assert ("p-orphan", "indicator_count", "level:2;indicator:A") not in got
    assert got[("p-flat", "score_rate", "total")] == 0.88 and ("p-none", "score_rate", "total") not in got


@pytest.mark.skipif(not (BENCH_1000 / "lake").is_dir(), reason="bench/lake/1000 not generated (python -m bench)")
def test_same_rows_as_the_previous_queries_on_the_bench_lake():
    seen = compare_on(BENCH_1000)
    assert seen["audit_indicator_values"] > 100_000, seen


# -- the audit: the same results with the previous queries, faster row handling, batches ----------------------

def _audit_key(a: audit.ProjectAudit):
    tree = a.tree.astype(object).where(a.tree.notna(), None)
    return (a.project_id, [f.to_dict() for f in a.findings], [u.__dict__ for u in a.unchecked],
            tree.to_dict("records"))


def test_the_audit_finds_the_same_with_the_previous_queries():
    gate, scope = DataGate(Lake(DATA)), Scope.everything()

    def previous(name, **params):
        if name in REWRITTEN:
            return gate.run_sql(reference_sql(name), scope, params, label=name)
        return gate.query(name, scope, **params)

    bands = gate.table("grade_bands", scope)
    before = [audit.audit_project(d) for d in audit.load_projects(previous, None, bands)]
    after = audit.run_audit(gate, scope)
    assert [a.project_id for a in after] == [a.project_id for a in before]
    assert sum(len(a.findings) for a in after) > 0
    for a, b in zip(after, before):
        ka, kb = _audit_key(a), _audit_key(b)
        for fa, fb in zip(ka[1], kb[1]):  # a finding's rows name the budget rows in sorted order now
            fa["rows"] = [_sorted_keys(r) for r in fa["rows"]]
            fb["rows"] = [_sorted_keys(r) for r in fb["rows"]]
        assert ka == kb, a.project_id


def _same_value(x, y) -> bool:
    if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
        return True
    return type(x) is type(y) and x == y


def test_records_and_rules_are_what_pandas_and_scoring_give():
    gate, scope = DataGate(Lake(DATA)), Scope.everything()
    frames = [gate.query(q, scope, project_id=None) for q in
              ("scorecard_projects", "scorecard_indicators", "audit_figures", "audit_targets", "audit_spending",
               "audit_budget_values")]
    for df in frames + [audit.run_audit(gate, scope, "ft-2021-2023-anti-fraud-service")[0].tree]:
        got, want = audit.records(df), df.to_dict("records")
        assert len(got) == len(want) > 0
        for g, w in zip(got, want):
            assert list(g) == list(w) and all(_same_value(g[k], w[k]) for k in w), (g, w)
    every_type = pd.DataFrame({
        "i": pd.Series([1, None], dtype="Int64"), "f": [1.5, np.nan], "s": pd.Series(["x", None], dtype="str"),
        "b": [True, False], "nb": pd.Series([True, None], dtype="boolean"), "n": [3, 4],
        "d": pd.to_datetime(["2021-06-30", None]), "o": pd.Series([{"a": 1}, None], dtype=object)})
    got, want = audit.records(every_type), every_type.to_dict("records")
    assert all(_same_value(g[k], w[k]) or (g[k] is pd.NaT and w[k] is pd.NaT) for g, w in zip(got, want) for k in w), \
        (got, want)
    ind = frames[1]
    assert ind["rule_type"].notna().any()
    assert audit.rules_by_code(ind) == scoring.rules_by_code(ind)
    assert audit.records(ind.iloc[0:0]) == [] and audit.records(None) == []


def test_rows_by_project_are_the_rows_of_the_project():
    gate, scope = DataGate(Lake(DATA)), Scope.everything()
    df = gate.query("audit_indicator_values", scope, project_id=None)
    by = audit.ByProject(df)
    for pid in [*df["project_id"].unique()[:5], "no-such-project"]:
        want = df[df["project_id"] == pid].reset_index(drop=True)
        pd.testing.assert_frame_equal(by.rows(pid), want)
    assert by.rows("no-such-project").empty and list(by.rows("no-such-project").columns) == list(df.columns)


def test_batches_cover_every_project_once_and_change_nothing():
    gate, scope = DataGate(Lake(DATA)), Scope.everything()
    batches = audit.batch_scopes(gate, scope, size=2)
    assert len(batches) > 1 and all(b.include_demo for b in batches)
    ids = [pid for b in batches for pid in gate.query("scorecard_projects", b, project_id=None)["project_id"]]
    assert sorted(ids) == sorted(gate.query("scorecard_projects", scope, project_id=None)["project_id"])
    assert len(ids) == len(set(ids))
    assert audit.batch_scopes(gate, scope) == [scope]  # a small lake is one batch
    regional = Scope(("44",))
    assert audit.batch_scopes(gate, regional, size=1) == [regional]  # a viewer's own scope is not cut
    whole = audit.run_audit(gate, scope)
    batched = audit.run_audit(gate, scope, batch_size=1)
    assert [_audit_key(a) for a in batched] == [_audit_key(a) for a in whole]
    calls = []
    no_trees = audit.run_audit(gate, scope, batch_size=2, keep_trees=False,
                               progress=lambda *a: calls.append(a))
    assert calls == [(i, len(batches), calls[i - 1][2]) for i in range(1, len(batches) + 1)]
    assert calls[-1][2] == len(whole) and [c[2] for c in calls] == sorted(c[2] for c in calls)
    assert all(a.tree.empty for a in no_trees)
    assert [(a.project_id, a.findings, a.unchecked) for a in no_trees] == \
        [(a.project_id, a.findings, a.unchecked) for a in whole]


def test_a_lake_with_a_project_without_region_code_is_one_batch(tree_lake, tmp_path):
    root = tmp_path / "data"
    write_table(root, "seed/t/projects.csv", "projects", [
        dict(project_id="p1", name="p1", region_code="440304", source="report:t"),
        dict(project_id="p2", name="p2", region_code="120000", source="report:t"),
        dict(project_id="p3", name="p3", region_code=None, source="report:t")])
    gate = DataGate(Lake(root))
    assert audit.batch_scopes(gate, Scope.everything(), size=1) == [Scope.everything()]
    assert [a.project_id for a in audit.run_audit(gate, Scope.everything(), batch_size=1)] == ["p1", "p2", "p3"]


def test_cli_output_is_the_same_in_batches(monkeypatch):
    from perfeval import cli

    def run(*argv):
        buf = io.StringIO()
        with redirect_stdout(buf):
            assert cli.main(["audit", "--data", str(DATA), *argv]) == 0
        return buf.getvalue()

    whole_json, whole_text = run("--json"), run("--lang", "en")
    monkeypatch.setattr(loading, "BATCH_PROJECTS", 1)
    assert run("--json") == whole_json and run("--lang", "en") == whole_text
    assert len(json.loads(whole_json)["projects"]) > 3
