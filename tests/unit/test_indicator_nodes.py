"""indicator_nodes: the indicator roll-up the lake derives once per version of the indicator files
(queries/_indicator_nodes.sql, perfeval.data.lake.Lake.indicator_nodes_file) and the tree queries read.

Its figures are checked against the joined forms of the queries it replaced in
test_compare_equivalence.py and test_points_lost_equivalence.py; here: where the file lives, when it is
built again, that building it in parts changes nothing, and that the view is scoped like every table.
"""
from __future__ import annotations

import os
import shutil
import time

import pandas as pd
import pytest

from perfeval.data import lake as db
from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from tests.conftest import DATA

FT = "ft-2021-2023-anti-fraud-service"
ORDER = ["project_id", "code"]


@pytest.fixture()
def lake_copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst, ignore=shutil.ignore_patterns(db.DERIVED_DIR))
    return dst


def _nodes(lake: Lake, scope: Scope = Scope.everything()) -> pd.DataFrame:
    return DataGate(lake).run_sql("SELECT * FROM indicator_nodes ORDER BY project_id, code", scope)


def _derived(root) -> list[str]:
    return sorted(p.name for p in (root / db.DERIVED_DIR).glob(db.NODES_PREFIX + "*"))


def test_built_once_under_the_lake_and_not_read_as_data(lake_copy):
    lake = Lake(lake_copy)
    version = lake.version()
    nodes = _nodes(lake)
    files = _derived(lake_copy)
    assert len(files) == 1 and files[0].endswith(".parquet")
    assert lake.version() == version  # _derived/ is not data: the lake's version is unchanged
    assert not any(db.DERIVED_DIR in p.parts for p in lake.data_files())
    built = (lake_copy / db.DERIVED_DIR / files[0]).stat().st_mtime_ns
    # a second lake over the same files (another process) reads the same file, without building it again
    again = Lake(lake_copy)
    pd.testing.assert_frame_equal(_nodes(again), nodes)
    assert (lake_copy / db.DERIVED_DIR / files[0]).stat().st_mtime_ns == built
    assert _derived(lake_copy) == files


def test_the_seed_reports_are_summed_up_the_tree(lake_copy):
    n = _nodes(Lake(lake_copy), Scope(("440304",), include_demo=False)).set_index("code")
    assert set(n["project_id"]) == {FT}
    # 福田 states only its leaves: every level-1 and level-2 figure is their sum, marked derived
    l1 = n[n["level"] == 1]
    assert l1["own_weight"].isna().all() and l1["derived"].all()
    assert l1["weight"].sum() == pytest.approx(100)
    leaves = n[n["is_leaf"]]
    assert (leaves["level"] == 3).all() and not leaves["derived"].any()
    assert (leaves["weight"] == leaves["own_weight"]).all()
    # each node's dimension is its level-1 ancestor's name
    for code, row in n.iterrows():
        top = code
        while n.loc[top, "parent_code"] is not None and not pd.isna(n.loc[top, "parent_code"]):
            top = n.loc[top, "parent_code"]
        assert row["dimension"] == n.loc[top, "name"], code


def test_a_new_indicator_batch_builds_a_new_roll_up(lake_copy):
    lake = Lake(lake_copy)
    lake.VERSION_TTL = 0
    before = _nodes(lake)
    first = _derived(lake_copy)
    real = Scope.everything(include_demo=False)
    g = DataGate(lake)
    proj = g.table("projects", real).iloc[[0]].drop(columns=["data_kind"])
    proj = proj.assign(project_id="import-1", source="import:batch-1", name="新导入项目")
    (lake_copy / "lake" / "projects").mkdir(parents=True)
    proj.to_parquet(lake_copy / "lake" / "projects" / "batch-1.parquet")
    # a batch of another table leaves the roll-up as it was
    assert len(g.table("projects", real)) == 4
    assert _derived(lake_copy) == first
    ind = pd.DataFrame([
        dict(project_id="import-1", code="A", parent_code=None, level=1, name="决策", weight=None,
             reported_score=None, source="import:batch-1"),
        dict(project_id="import-1", code="A1", parent_code="A", level=2, name="项目立项", weight=12.0,
             reported_score=9.5, source="import:batch-1")])
    (lake_copy / "lake" / "indicators").mkdir(parents=True)
    ind.to_parquet(lake_copy / "lake" / "indicators" / "batch-1.parquet")
    after = _nodes(lake)
    assert len(after) == len(before) + 2
    new = after[after["project_id"] == "import-1"].set_index("code")
    assert new.loc["A", ["weight", "score", "derived", "is_leaf"]].tolist() == [12.0, 9.5, True, False]
    assert new.loc["A1", ["dimension", "is_leaf"]].tolist() == ["决策", True]
    assert len(_derived(lake_copy)) == 2  # the earlier version's file stays for its readers, for a while


def test_earlier_versions_are_removed_once_superseded_for_the_grace(lake_copy):
    """A roll-up goes once a newer one has existed for DERIVED_GRACE seconds (a process on the earlier
    version may still read it until it sees the new files); an abandoned temporary file once that old."""
    folder = lake_copy / db.DERIVED_DIR
    folder.mkdir()
    now = time.time()
    older, old = (folder / (db.NODES_PREFIX + f"{i:016d}.parquet") for i in (1, 2))
    abandoned = folder / ("." + old.name + ".123.4.tmp")
    for p, age in ((older, 3), (old, 2), (abandoned, 2)):
        p.write_bytes(b"x")
        os.utime(p, (now - age * db.DERIVED_GRACE,) * 2)
    _nodes(Lake(lake_copy))  # builds the current version's file
    assert not older.exists()    # superseded by `old` for longer than the grace
    assert old.exists()          # superseded only now, by the file just built
    assert not abandoned.exists()
    assert len(_derived(lake_copy)) == 2


def test_a_deleted_roll_up_is_built_again(lake_copy):
    lake = Lake(lake_copy)
    before = _nodes(lake)
    shutil.rmtree(lake_copy / db.DERIVED_DIR)
    pd.testing.assert_frame_equal(_nodes(lake), before)
    assert len(_derived(lake_copy)) == 1


def test_a_lake_it_cannot_write_to_gets_its_roll_up_elsewhere(lake_copy, tmp_path, monkeypatch):
    """Where <lake>/_derived cannot be made (here a file stands in its place; a read-only lake is the
    same to the code), the roll-up goes to the system's temporary folder, and the lake is untouched."""
    (lake_copy / db.DERIVED_DIR).write_bytes(b"")
    monkeypatch.setattr(db.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    nodes = _nodes(Lake(lake_copy))
    assert (lake_copy / db.DERIVED_DIR).read_bytes() == b""
    made = list((tmp_path / "tmp").glob("perfeval-*/" + db.NODES_PREFIX + "*.parquet"))
    assert len(made) == 1
    pd.testing.assert_frame_equal(nodes, _nodes(Lake(DATA)))


def test_built_in_parts_gives_the_same_rows(lake_copy, monkeypatch):
    whole = _nodes(Lake(DATA))
    monkeypatch.setattr(db, "NODES_ROWS_PER_PART", 50)
    lake = Lake(lake_copy)
    parts = _nodes(lake)
    assert len(whole) > 500  # so 50 rows a part is more than ten parts
    pd.testing.assert_frame_equal(parts.sort_values(ORDER, ignore_index=True),
                                  whole.sort_values(ORDER, ignore_index=True))


@pytest.mark.parametrize("regions", [("440304",), ("120000",), ("620500", "120000")])
def test_the_view_is_scoped(regions):
    scope = Scope(regions, include_demo=False)
    g = DataGate(Lake(DATA))
    visible = set(g.table("projects", scope)["project_id"])
    seen = set(_nodes(Lake(DATA), scope)["project_id"])
    assert seen == set(g.table("indicators", scope)["project_id"]) and seen <= visible and seen
    assert set(_nodes(Lake(DATA), Scope.everything(include_demo=True))["project_id"]) > seen
