"""Imported batches: listed, withdrawn to the archive (a move, byte-identical, reversible), and refused
when other rows depend on them or they were compacted (perfeval.data.imports.batches)."""
from __future__ import annotations

import hashlib
import os
import shutil

import pytest

from perfeval import cli
from perfeval.data import compact
from perfeval.data.gate import DataGate, Scope
from perfeval.data.imports import batches, ingest
from perfeval.data.lake import Lake
from tests.app.test_import_page import PID, workbook
from tests.conftest import DATA


@pytest.fixture
def lake(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("_derived"))
    return root


def _import(lake, name: str, data: bytes) -> ingest.Batch:
    staged = ingest.stage(name, data, lake)
    assert staged.ok, [p.location() + " " + p.message_en for p in staged.problems]
    return ingest.commit(staged, lake)


def _projects(lake) -> set[str]:
    return set(DataGate(Lake(lake)).table("projects", Scope.everything())["project_id"])


def _hashes(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_list_withdraw_and_restore(lake):
    b = _import(lake, "南山.xlsx", workbook())
    [info] = batches.list_batches(lake)
    assert info.id == b.id and info.rows == {"projects": 1, "budget": 1, "documents": 1}
    assert info.uploads == ["南山.xlsx"] and info.total_rows == 3
    assert PID in _projects(lake)
    before = _hashes(b.folder)

    target = batches.withdraw(lake, b.id)
    assert target == lake.resolve() / "_archive" / "imports" / b.id
    assert not b.folder.exists() and _hashes(target) == before, "moved byte-identical"
    assert PID not in _projects(lake), "no page shows a withdrawn batch"
    assert batches.list_batches(lake) == []
    assert [i.id for i in batches.list_batches(lake, withdrawn=True)] == [b.id]

    os.rename(target, b.folder)  # restoring is moving it back
    assert PID in _projects(lake)


def test_newest_first(lake):
    a = _import(lake, "南山.xlsx", workbook())
    b = _import(lake, "budget.csv", f"project_id,year,initial_budget\n{PID},2024,50\n".encode())
    assert [i.id for i in batches.list_batches(lake)] == sorted([a.id, b.id], reverse=True)


def test_refused_while_another_batch_depends_on_it(lake):
    a = _import(lake, "南山.xlsx", workbook())
    b = _import(lake, "budget.csv", f"project_id,year,initial_budget\n{PID},2024,50\n".encode())
    with pytest.raises(batches.WithdrawRefused) as e:
        batches.withdraw(lake, a.id)
    assert f"imports/{b.id}/budget.parquet" in str(e.value) and "1 个项目" in str(e.value)
    assert a.folder.exists(), "nothing moved"
    batches.withdraw(lake, b.id)
    batches.withdraw(lake, a.id)
    assert PID not in _projects(lake)


def test_refused_once_compacted(lake):
    a = _import(lake, "南山.xlsx", workbook())
    _import(lake, "南山2.xlsx", workbook(name="另一个导入项目", pid="imp-test-0002"))
    done = compact.compact(lake, ["projects"])
    assert [d.table for d in done] == ["projects"]
    assert batches.compacted_into(lake, a.id), "the compacted file names the batch's file"
    with pytest.raises(batches.WithdrawRefused, match="compact"):
        batches.withdraw(lake, a.id)
    assert a.folder.exists()


def test_unknown_and_malformed_ids(lake):
    with pytest.raises(batches.WithdrawRefused, match="no batch"):
        batches.withdraw(lake, "20990101-000000-abcdef")
    with pytest.raises(ValueError):
        batches.withdraw(lake, "../seed")


def test_cli(lake, capsys):
    a = _import(lake, "南山.xlsx", workbook())
    assert cli.main(["--data", str(lake), "batches"]) == 0
    assert a.id in capsys.readouterr().out
    assert cli.main(["--data", str(lake), "withdraw", "nope"]) == 1
    assert "no batch" in capsys.readouterr().out
    assert cli.main(["--data", str(lake), "withdraw", a.id]) == 0
    assert cli.main(["--data", str(lake), "batches", "--withdrawn", "--json"]) == 0
    assert a.id in capsys.readouterr().out.split("withdrawn, moved to")[-1]
