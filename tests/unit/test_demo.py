"""The demonstration portfolio: deterministic, committed as generated, marked, fictional, shaped like the
seeds, with the planted inconsistencies in place and hidden by the demo switch."""
import re

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from perfeval.data import schema
from perfeval.data.demo import portfolio as demo
from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from tests.conftest import DATA

COMMITTED = DATA / "demo"


@pytest.fixture(scope="module")
def g():
    return demo.generate()


def _by(g, table, pid):
    df = g[table]
    return df[df["project_id"] == pid]


# -- determinism and the committed files -------------------------------------------------------------

def test_same_seed_same_rows_other_seed_other_rows():
    a, b = demo.generate_arrow(), demo.generate_arrow()
    assert all(a[t].equals(b[t]) for t in demo.TABLES)
    c = demo.generate_arrow(seed=demo.SEED + 1)
    assert not c["budget"].equals(a["budget"])


def test_committed_files_are_what_the_generator_writes(tmp_path):
    written = demo.write_demo(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in COMMITTED.glob("*.parquet"))
    for p in written:
        fresh, committed = pq.read_table(p), pq.read_table(COMMITTED / p.name)
        assert fresh.schema.equals(committed.schema, check_metadata=False), p.name
        assert fresh.equals(committed), f"data/demo/{p.name} is stale: run python -m perfeval demo"


def test_the_app_needs_no_generation_step():
    # the lake reads the committed files as they are
    projects = DataGate(Lake(DATA)).table("projects", Scope.everything())
    assert (projects["data_kind"] == "demo").sum() == len(pq.read_table(COMMITTED / "projects.parquet"))


# -- marked and fictional -------------------------------------------------------------------------------

def test_every_row_is_marked_demo(g):
    for name, df in g.items():
        assert len(df), name
        assert set(df["source"]) == {demo.SOURCE}, name
        assert all(schema.data_kind(s) == "demo" for s in df["source"])
    docs = g["documents"]
    assert list(docs["kind"]) == ["demo"] and "虚构" in docs["title"].iloc[0]


def test_places_and_names_are_obviously_fictional(g):
    p = g["projects"]
    assert set(p["province"]) == {"示例省"} and set(p["city"]) == {"示例市"}
    assert all(re.fullmatch(r"示例[一二三四五六七八九十]+区", d) for d in p["district"])
    # 99 is no province of GB/T 2260 (real codes run 11–82)
    assert all(re.fullmatch(r"9901\d\d", c) for c in p["region_code"])
    assert p["region_code"].nunique() == 12
    for col in ("implementing_unit", "supervising_unit", "evaluator"):
        assert all(v.startswith("示例") for v in p[col]), col
    assert all("示例" in v for v in g["payments"]["vendor"].dropna())
    assert all("示例" in v for v in g["subprojects"]["contractor"].dropna())
    assert all(n.startswith("虚构示例数据") for n in p["note"])


# -- contracts (as for any lake file) --------------------------------------------------------------------

@pytest.mark.parametrize("table", demo.TABLES)
def test_keys_unique_required_present_values_allowed(g, table):
    t = schema.table(table)
    df = g[table]
    assert list(df.columns) == t.column_names
    assert not df.duplicated(list(t.key)).any(), t.key
    for c in t.columns:
        s = df[c.name]
        if c.required:
            assert s.notna().all(), c.name
        if c.allowed:
            assert set(s.dropna()) <= set(c.allowed), c.name
        if c.min is not None:
            assert (s.dropna() >= c.min).all(), c.name
        if c.max is not None:
            assert (s.dropna() <= c.max).all(), c.name


def test_every_row_belongs_to_a_project(g):
    ids = set(g["projects"]["project_id"])
    for name in demo.TABLES:
        if "project_id" in g[name].columns:
            assert set(g[name]["project_id"]) <= ids, name


def test_metric_keys_come_from_the_catalogue(g):
    catalogue = set(pd.read_csv(DATA / "catalog" / "metrics.csv")["metric_key"])
    assert set(g["outcomes"]["metric_key"]) <= catalogue


def test_trees_add_up(g):
    ind = g["indicators"]
    for pid, tree in ind.groupby("project_id"):
        l1 = tree[tree["level"] == 1]
        assert l1["weight"].sum() == pytest.approx(100), pid
        for code, node in tree.set_index("code").iterrows():
            kids = tree[tree["parent_code"] == code]
            if len(kids):
                assert kids["weight"].sum() == pytest.approx(node["weight"]), (pid, code)
                assert kids["reported_score"].sum() == pytest.approx(node["reported_score"], abs=0.005), (pid, code)
    # the tree depth a project declares is the depth its rows have
    depth = ind.groupby("project_id")["level"].max()
    p = g["projects"].set_index("project_id")
    assert (p.loc[depth.index, "tree_depth"] == depth).all()
    assert (p.loc[~p.index.isin(depth.index), "tree_depth"] == 0).all()


def test_a_measure_is_given_per_subproject_or_for_the_project_never_both(g):
    b = g["budget"]
    for (pid, year), part in b.groupby(["project_id", "year"]):
        for col in ("initial_budget", "adjusted_budget", "received", "spent", "estimated_investment"):
            given = part[part[col].notna()]
            assert not (given["subproject_id"].isna().any() and given["subproject_id"].notna().any()), (pid, col)


def test_payments_match_spending_except_the_planted_case(g):
    spent = g["budget"].groupby("project_id")["spent"].sum()
    paid = g["payments"].groupby("project_id")["amount"].sum()
    for pid, amount in paid.items():
        if pid == "demo-990106-tech-2023":
            assert amount > spent[pid] + 1
        else:
            assert amount == pytest.approx(spent[pid], abs=0.011), pid


# -- shaped like the seeds, with varied quality ---------------------------------------------------------

def test_portfolio_shape(g):
    p = g["projects"].assign(kind=lambda d: d["project_id"].str.split("-").str[2],
                             year=lambda d: d["period_start"].map(lambda x: x.year))
    assert set(p["kind"]) == {"team", "tech", "build"}
    assert set(p["year"]) == set(demo.YEARS)
    assert p.groupby("kind")["region_code"].nunique()["team"] == 12
    assert set(p["tree_depth"]) == {0, 1, 2, 3}              # full, partial and total-only reports
    assert set(p["category"]) == {"反诈", "治安防控"}
    assert len(set(p["reported_grade"])) >= 3
    # a district runs the same kind of project year after year (what 同比 compares)
    assert (p[p["kind"] == "team"].groupby("region_code")["year"].nunique() == 3).all()
    # subprojects and vendor payments for the technical services, build items for the builds
    assert set(_by(g, "subprojects", "demo-990101-tech-2022")["subproject_id"]) >= {"S1", "S2"}
    assert len(_by(g, "payments", "demo-990101-tech-2022")) >= 3
    assert set(g["outputs"][g["outputs"]["project_id"].str.contains("build")]["status"]) == {"已完成", "未开工"}


def test_quality_varies(g):
    money = g["budget"].groupby("project_id")[["received", "spent"]].sum()
    execution = money["spent"] / money["received"]
    weak = execution[execution < 0.75]
    assert len(weak) >= 3 and all("990107" in pid or "990112" in pid for pid in weak.index)
    surveyed = set(g["surveys"]["project_id"])
    assert not any(pid in surveyed for pid in g["projects"]["project_id"] if pid.startswith("demo-990111-team"))
    counts = g["surveys"][g["surveys"]["n_very_satisfied"].notna()]
    assert len(counts) >= 10
    cols = ["n_very_satisfied", "n_satisfied", "n_neutral", "n_dissatisfied", "n_very_dissatisfied"]
    assert (counts[cols].sum(axis=1) == counts["valid"]).all()
    manual = g["indicator_rules"][g["indicator_rules"]["rule_type"] == "manual"]
    assert set(manual["code"]) == {"D31"} and len(manual) >= 3  # no survey: the evaluator's own score


def test_rules_use_the_seed_rule_types(g):
    used = set(g["indicator_rules"]["rule_type"])
    assert used == {"checklist", "checklist_veto", "ratio", "ratio_steps", "shortfall_steps", "saving_sign",
                    "yearly_conditions", "scale5", "manual"}
    # every leaf of every full tree has a rule
    ind = g["indicators"]
    leaves = ind[ind["level"] == 3][["project_id", "code"]]
    rules = g["indicator_rules"][["project_id", "code"]]
    assert len(leaves.merge(rules)) == len(leaves) == len(rules)


# -- the inconsistencies an audit should find ---------------------------------------------------------------

def test_planted_inconsistencies_are_in_place(g):
    assert {pid for pid, *_ in demo.PLANTED} <= set(g["projects"]["project_id"])
    p = g["projects"].set_index("project_id")
    ind = g["indicators"]

    # B12 reported 5 although spent / received < 1
    b = _by(g, "budget", "demo-990105-team-2023").iloc[0]
    b12 = _by(g, "indicators", "demo-990105-team-2023").set_index("code").loc["B12", "reported_score"]
    assert b["spent"] / b["received"] < 0.99 and b12 == 5
    # total differs from the sum of level 1
    l1 = ind[(ind["project_id"] == "demo-990108-team-2024") & (ind["level"] == 1)]["reported_score"].sum()
    assert abs(p.loc["demo-990108-team-2024", "reported_total_score"] - l1) > 0.05
    # grade 优 below 90
    assert p.loc["demo-990106-team-2023", "reported_grade"] == "优"
    assert p.loc["demo-990106-team-2023", "reported_total_score"] < 90
    # stated satisfaction rate differs from the 5-level counts
    s = _by(g, "surveys", "demo-990102-team-2024").iloc[0]
    assert abs(s["satisfaction_rate"] - (s["n_very_satisfied"] + s["n_satisfied"]) / s["valid"]) > 0.02
    # stated execution rate differs from spent / received
    f = _by(g, "figures", "demo-990103-tech-2023").set_index("figure").loc["execution_rate", "value"]
    m = _by(g, "budget", "demo-990103-tech-2023")[["received", "spent"]].sum()
    assert abs(f - m["spent"] / m["received"]) > 0.01
    # a veto item holds
    r = _by(g, "indicator_rules", "demo-990107-team-2022").set_index("code").loc["B13"]
    assert "veto=是" in r["inputs"]
    # the other projects are consistent on these points
    others = p.drop(index="demo-990106-team-2023")
    from_score = np.select([others["reported_total_score"] >= 90, others["reported_total_score"] >= 80,
                            others["reported_total_score"] >= 60], ["优", "良", "中"], "差")
    assert (others["reported_grade"] == from_score).all()


def test_the_scoring_engine_recomputes_every_leaf_but_the_planted_one(g):
    scoring = pytest.importorskip("perfeval.domain.scoring")
    mismatches = []
    for pid, rules in g["indicator_rules"].groupby("project_id"):
        tree = scoring.score_tree(_by(g, "indicators", pid), rules)
        leaves = tree[tree["is_leaf"]]
        assert set(leaves["method"]) <= {"rule", "manual"}, (pid, leaves[["code", "method", "reason_zh"]])
        for r in leaves.itertuples():
            if abs(r.recomputed_score - r.reported_score) > 1e-9:
                mismatches.append((pid, r.code))
    assert mismatches == [("demo-990105-team-2023", "B12")]


# -- the demo switch at the data gate -------------------------------------------------------------------------

def test_the_switch_hides_every_demo_row_of_every_table():
    gate = DataGate(Lake(DATA))
    hidden = Scope.everything(include_demo=False)
    for t in schema.TABLES:
        df = gate.table(t.name, hidden)
        assert "demo" not in set(df["data_kind"].dropna()), t.name
        if "project_id" in df.columns:
            assert not df["project_id"].astype(str).str.startswith("demo-").any(), t.name
    shown = gate.table("projects", Scope.everything())
    assert (shown["data_kind"] == "demo").any()


def test_the_audit_finds_the_planted_inconsistencies_and_nothing_else():
    audit = pytest.importorskip("perfeval.domain.audit")
    findings = audit.findings_frame(audit.run_audit(DataGate(Lake(DATA)), Scope.everything()))
    flagged = set(findings.loc[findings["project_id"].str.startswith("demo-"), "project_id"])
    # the veto (B13 = 0) is a scored finding, not an inconsistency between figures
    planted = {pid for pid, what, _ in demo.PLANTED if "veto" not in what}
    assert flagged == planted, findings[findings["project_id"].isin(flagged ^ planted)]
