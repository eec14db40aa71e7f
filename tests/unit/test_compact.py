"""Compaction (perfeval.data.compact): many batches → one file per table, the same rows, nothing lost."""
import hashlib
import shutil

import duckdb
import pandas as pd
import pytest

from perfeval.cli import main as cli_main
from perfeval.data import compact, schema
from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import DERIVED_DIR, NODES_PREFIX, Lake
from tests.conftest import DATA

SPLIT = ("projects", "indicators", "budget", "outcomes", "surveys")


def _digest(root):
    """Every file below ``root`` (archive included) → sha256 of its bytes, by path relative to root."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.endswith(".lock")
            and DERIVED_DIR not in p.relative_to(root).parts}  # _derived/: the app's cache, not data


def _tables(root):
    gate = DataGate(Lake(root))
    return {t.name: gate.table(t.name, Scope.everything()) for t in schema.TABLES}


@pytest.fixture()
def batched(tmp_path):
    """The bundled lake with the demo tables of SPLIT cut into 3 batches each, in two layouts:
    ``lake/<table>/batch=<i>/part.parquet`` (folder named after the table) for all but surveys, and
    ``batches/b<i>/surveys.parquet`` (file named after the table) for surveys."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(DERIVED_DIR))
    con = duckdb.connect()
    for table in SPLIT:
        src = root / "demo" / f"{table}.parquet"
        for i in range(3):
            if table == "surveys":
                out = root / "batches" / f"b{i}" / "surveys.parquet"
            else:
                out = root / "lake" / table / f"batch={i}" / "part.parquet"
            out.parent.mkdir(parents=True)
            con.execute(f"COPY (SELECT * FROM read_parquet('{src}') WHERE (hash(project_id) + {i}) % 3 = 0) "
                        f"TO '{out}' (FORMAT parquet)")
        src.unlink()
    return root


def test_splitting_the_fixture_changes_no_row(batched):
    """The fixture itself: the batched lake reads exactly as the bundled one (else the tests below
    would compare against the wrong thing)."""
    before, after = _tables(DATA), _tables(batched)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], check_dtype=True, obj=name)


def test_compaction_keeps_every_row_and_archives_the_batches_byte_identical(batched):
    tables_before = _tables(batched)
    files_before = _digest(batched)
    overview_before = DataGate(Lake(batched)).query("overview_projects", Scope.everything(), **_filters())

    done = compact.compact(batched)

    assert sorted(d.table for d in done) == sorted(SPLIT)
    assert all(d.files == 3 for d in done)
    # one live file per compacted table, placed where the lake finds it
    lake = Lake(batched)
    for d in done:
        _, parquets = lake.table_files(d.table)
        assert parquets == [d.path]
        assert d.table in d.path.relative_to(batched).parts[:-1]
    # the same rows through the gate, and the same query result
    tables_after = _tables(batched)
    for name in tables_before:
        pd.testing.assert_frame_equal(tables_before[name], tables_after[name], obj=name)
    pd.testing.assert_frame_equal(
        overview_before, DataGate(Lake(batched)).query("overview_projects", Scope.everything(), **_filters()))
    # every replaced file is in the archive, byte for byte; every other file is untouched
    files_after = _digest(batched)
    archived = {}
    for rel, digest in files_after.items():
        if rel.startswith("_archive/"):
            archived[rel.split("/", 2)[2]] = digest
    replaced = {rel for rel in files_before if rel not in files_after}
    assert replaced == set(archived)
    assert len(replaced) == 3 * len(SPLIT)
    assert all(archived[rel] == files_before[rel] for rel in replaced)
    assert all(files_after[rel] == d for rel, d in files_before.items() if rel not in replaced)
    # no empty batch folders left behind, nothing staged
    assert not (batched / "lake" / "projects" / "batch=0").exists()
    assert not (batched / "_staging").exists()


def test_a_second_compaction_has_nothing_to_do_and_a_new_batch_is_merged(batched):
    compact.compact(batched)
    assert compact.compact(batched) == []
    # a new batch lands: the next compaction merges it with the compacted file
    con = duckdb.connect()
    extra = batched / "lake" / "projects" / "batch=9" / "part.parquet"
    extra.parent.mkdir()
    con.execute(f"COPY (SELECT * REPLACE ('新项目' || project_id AS project_id) FROM "
                f"read_parquet('{DATA / 'demo' / 'projects.parquet'}') LIMIT 2) TO '{extra}' (FORMAT parquet)")
    n = len(Lake(batched).read_table("projects"))
    done = compact.compact(batched)
    assert [(d.table, d.files) for d in done] == [("projects", 2)]
    assert len(Lake(batched).read_table("projects")) == n


def test_a_compacted_file_hides_the_files_it_replaces_even_before_they_are_archived(batched):
    """What a reader sees between the rename and the archiving (or after a crash there): no duplicate."""
    n = len(Lake(batched).read_table("indicators"))
    done = compact.compact(batched, tables=["indicators"])
    archive = done[0].archive
    for p in archive.rglob("*.parquet"):  # put the originals back beside the compacted file
        back = batched / p.relative_to(archive)
        back.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, back)
    lake = Lake(batched)
    assert lake.table_files("indicators")[1] == [done[0].path]
    assert len(lake.read_table("indicators")) == n
    assert len(lake.data_files()) > len(lake.live_files())


def test_a_rewrite_that_does_not_match_changes_nothing(batched, monkeypatch):
    before = _digest(batched)
    calls = iter(range(100))
    monkeypatch.setattr(compact, "_fingerprint", lambda con, src: (1, next(calls)))
    with pytest.raises(compact.CompactionError, match="differs"):
        compact.compact(batched)
    after = _digest(batched)
    assert after == before


def test_only_one_compaction_at_a_time(batched):
    with compact._locked(batched):
        with pytest.raises(compact.CompactionError, match="another compaction"):
            compact.compact(batched)


def test_csv_files_are_never_rewritten(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    assert compact.plan(Lake(root)) == []  # the bundled lake: CSV seeds and one Parquet per demo table
    assert compact.compact(root) == []


def test_cli_dry_run_lists_and_compact_merges(batched, capsys):
    assert cli_main(["--data", str(batched), "compact", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "projects: 3" in out and "surveys: 3" in out
    assert not (batched / "_archive").exists()
    assert cli_main(["--data", str(batched), "compact", "--table", "budget"]) == 0
    out = capsys.readouterr().out
    assert "budget: 3" in out and "projects" not in out
    assert len(Lake(batched).table_files("budget")[1]) == 1
    assert len(Lake(batched).table_files("projects")[1]) == 3
    assert "indicator roll-up" not in out  # the indicator files did not change


def test_cli_compact_derives_the_indicator_roll_up_of_the_new_files(batched, capsys):
    assert cli_main(["--data", str(batched), "compact"]) == 0
    assert "indicator roll-up derived" in capsys.readouterr().out
    derived = sorted((batched / DERIVED_DIR).glob(NODES_PREFIX + "*.parquet"))
    assert len(derived) == 1
    # the app's first Lake over the compacted files finds it and builds nothing
    DataGate(Lake(batched)).query("portfolio_points_lost_level1", Scope.everything(), **_filters())
    assert sorted((batched / DERIVED_DIR).glob(NODES_PREFIX + "*.parquet")) == derived


def _filters():
    return {"region": None, "year_from": None, "year_to": None, "category": None, "evaluator_type": None}


def test_rows_never_move_between_top_level_folders(batched):
    """A batch imported under lake/ is not merged with the committed demo/targets.parquet."""
    demo = batched / "demo" / "targets.parquet"
    before = demo.read_bytes()
    (batched / "lake" / "targets" / "batch=9").mkdir(parents=True)
    shutil.copy2(demo, batched / "lake" / "targets" / "batch=9" / "part.parquet")
    assert "targets" not in [t for t, _ in compact.plan(Lake(batched))]  # one file in demo/, one in lake/
    shutil.copy2(demo, batched / "lake" / "targets" / "part-b.parquet")
    groups = [(t, sorted(p.relative_to(batched).parts[0] for p in files)) for t, files in compact.plan(Lake(batched))]
    assert ("targets", ["lake", "lake"]) in groups
    (done,) = compact.compact(batched, tables=["targets"])
    assert done.files == 2 and done.path.relative_to(batched).parts[:2] == ("lake", "targets")
    assert demo.read_bytes() == before
    assert Lake(batched).table_files("targets")[1] == sorted([demo, done.path])
