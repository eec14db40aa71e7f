"""Data contracts of the bundled lake (data/), checked on the typed views the app reads.

The validator is one check (every file, zero problems); the others re-state the contracts directly on
the views, so that a gap in the validator cannot hide a broken contract.
"""
from __future__ import annotations

import pathlib

import pandas as pd
import pytest

from perfeval.data import schema
from perfeval.data.validation import validate as v

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"
SOURCE_TABLES = [t.name for t in schema.TABLES if "source" in t.column_names and t.name != "documents"]
RATE_COLUMNS = [(t.name, c.name) for t in schema.TABLES for c in t.columns if c.min == 0 and c.max == 1]


def test_every_file_of_the_bundled_lake_validates():
    report = v.validate_folder(DATA, shown="data")
    shown = "\n".join(f"{p.location()} {p.value!r}: {p.message_en}" for p in report.problems[:30])
    assert report.problems == [], f"{len(report.problems)} problems:\n{shown}"
    assert report.files >= 30 and report.rows > 300


@pytest.mark.parametrize("name", [t.name for t in schema.TABLES])
def test_keys_are_unique(tables, name):
    t = schema.table(name)
    df = tables(name)
    dup = df[df.duplicated(list(t.key), keep=False)]
    assert dup.empty, f"{name}: repeated keys\n{dup[list(t.key)].to_string()}"


@pytest.mark.parametrize("name", [t.name for t in schema.TABLES])
def test_required_columns_are_filled(tables, name):
    df = tables(name)
    for c in schema.table(name).columns:
        if c.required:
            assert df[c.name].notna().all(), f"{name}.{c.name} has empty cells"


def test_the_seed_tables_hold_rows(tables):
    for name in ("documents", "projects", "budget", "indicators", "targets", "metrics", "outcomes",
                 "surveys", "figures", "findings"):
        assert len(tables(name)) > 0, name


def test_outcome_units_are_the_catalogue_units(tables):
    out = tables("outcomes").merge(tables("metrics")[["metric_key", "unit"]], on="metric_key", how="left",
                                   suffixes=("", "_catalogue"))
    assert out["unit_catalogue"].notna().all(), "every outcome's metric is in the catalogue"
    bad = out[out["unit"] != out["unit_catalogue"]]
    assert bad.empty, bad[["project_id", "outcome_id", "metric_key", "unit", "unit_catalogue"]].to_string()


def full_tree_projects(tables) -> list[str]:
    p = tables("projects")
    return list(p.loc[p["tree_depth"] == 3, "project_id"])


def test_futian_is_a_full_tree(tables):
    assert "ft-2021-2023-anti-fraud-service" in full_tree_projects(tables)


def test_full_trees_leaves_sum_to_100(tables):
    ind = tables("indicators")
    for pid in full_tree_projects(tables):
        tree = ind[ind["project_id"] == pid]
        leaves = tree[~tree["code"].isin(tree["parent_code"].dropna())]
        assert (leaves["level"] == 3).all(), f"{pid}: a leaf above level 3"
        assert leaves["weight"].notna().all(), f"{pid}: a leaf without a weight"
        assert leaves["weight"].sum() == pytest.approx(100), pid


def weight_mismatches(tree: pd.DataFrame) -> tuple[list[str], int]:
    """(problems, parents checked) of one project's tree: where a parent states a weight, its children's
    weights (each as stated, else its own children's sum) add up to it; level 1 adds up to 100."""
    weight, problems, checked = {}, [], 0
    for level in (3, 2, 1):
        for r in tree[tree["level"] == level].itertuples():
            kids = tree[tree["parent_code"] == r.code]["code"]
            kid_sum = sum(weight[k] for k in kids) if len(kids) else None
            if pd.notna(r.weight) and kid_sum is not None:
                checked += 1
                if abs(kid_sum - r.weight) > 1e-9:
                    problems.append(f"{r.code}: children {kid_sum:g} ≠ {r.weight:g}")
            weight[r.code] = r.weight if pd.notna(r.weight) else kid_sum
    total = sum(weight[c] for c in tree.loc[tree["level"] == 1, "code"])
    if abs(total - 100) > 1e-9:
        problems.append(f"level 1 sums to {total:g}, not 100")
    return problems, checked


def test_full_trees_children_sum_to_a_stated_parent_weight(tables):
    ind = tables("indicators")
    for pid in full_tree_projects(tables):
        problems, _ = weight_mismatches(ind[ind["project_id"] == pid])
        assert problems == [], pid


def test_the_weight_check_finds_a_wrong_parent():
    tree = pd.DataFrame([
        ("A", None, 1, 40.0), ("A1", "A", 2, None), ("A11", "A1", 3, 25.0), ("A12", "A1", 3, 10.0),
        ("B", None, 1, None), ("B1", "B", 2, 65.0), ("B11", "B1", 3, 65.0)],
        columns=["code", "parent_code", "level", "weight"])
    problems, checked = weight_mismatches(tree)
    assert checked == 2 and problems == ["A: children 35 ≠ 40", "level 1 sums to 105, not 100"]


def test_tree_depth_is_the_deepest_level_given(tables):
    ind = tables("indicators")
    deepest = ind.groupby("project_id")["level"].max()
    for r in tables("projects").itertuples():
        if pd.isna(r.tree_depth):
            continue
        assert int(deepest.get(r.project_id, 0)) == int(r.tree_depth), r.project_id


def test_indicator_parents_exist_one_level_up(tables):
    ind = tables("indicators")
    parents = ind.merge(ind[["project_id", "code", "level"]], left_on=["project_id", "parent_code"],
                        right_on=["project_id", "code"], how="left", suffixes=("", "_parent"))
    child = parents[parents["parent_code"].notna()]
    assert child["code_parent"].notna().all(), "a parent_code that is not in the project's tree"
    assert (child["level_parent"] == child["level"] - 1).all()
    assert parents.loc[parents["level"] == 1, "parent_code"].isna().all()
    assert parents.loc[parents["level"] > 1, "parent_code"].notna().all()


@pytest.mark.parametrize("name", SOURCE_TABLES)
def test_every_source_has_a_document(tables, name):
    docs = set(tables("documents")["source"])
    df = tables(name)
    missing = sorted(set(df["source"]) - docs)
    assert not missing, f"{name}: sources without a documents row: {missing}"


def test_documents_kind_is_the_source_prefix(tables):
    d = tables("documents")
    assert (d["kind"] == d["source"].str.split(":").str[0]).all()
    assert set(d["kind"]) <= set(schema.DATA_KINDS)


@pytest.mark.parametrize("name, column", RATE_COLUMNS)
def test_rates_are_fractions(tables, name, column):
    values = tables(name)[column].dropna()
    assert ((values >= 0) & (values <= 1)).all(), f"{name}.{column}: {values[(values < 0) | (values > 1)].tolist()}"


def test_rate_columns_exist():
    assert ("surveys", "awareness_rate") in RATE_COLUMNS and ("surveys", "satisfaction_rate") in RATE_COLUMNS


def test_budget_per_subproject_or_whole_project_never_both(tables):
    b = tables("budget")
    b = b.assign(whole=b["subproject_id"].isna())
    for c in [c.name for c in schema.table("budget").columns if c.unit == "万元"]:
        given = b[b[c].notna()]
        ways = given.groupby(["project_id", "year"])["whole"].nunique()
        assert (ways <= 1).all(), f"budget.{c} given both ways for {list(ways[ways > 1].index)}"


def test_references_hold(tables):
    projects = set(tables("projects")["project_id"])
    subs = set(zip(tables("subprojects")["project_id"], tables("subprojects")["subproject_id"]))
    codes = set(zip(tables("indicators")["project_id"], tables("indicators")["code"]))
    metrics = set(tables("metrics")["metric_key"])
    for t in schema.TABLES:
        if "project_id" not in t.column_names or t.name == "projects":
            continue
        df = tables(t.name)
        assert set(df["project_id"]) <= projects, t.name
        if "subproject_id" in t.column_names and t.name != "subprojects":
            pairs = {(p, s) for p, s in zip(df["project_id"], df["subproject_id"]) if pd.notna(s)}
            assert pairs <= subs, f"{t.name}: {sorted(pairs - subs)}"
        if "indicator_code" in t.column_names:
            pairs = {(p, c) for p, c in zip(df["project_id"], df["indicator_code"]) if pd.notna(c)}
            assert pairs <= codes, f"{t.name}: {sorted(pairs - codes)}"
    assert set(tables("outcomes")["metric_key"]) <= metrics
