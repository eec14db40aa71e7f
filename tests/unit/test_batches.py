"""Imported batches: listed (active and withdrawn, with their manifests), withdrawn to the archive (a move,
byte-identical, reversible), restored, superseded by a corrected file (one operation: a fault or a crash between
its steps leaves the old state or the new, never a mix), and refused — writing nothing — when other rows depend
on them, they were compacted, their projects lie outside the caller's scope, or (superseding) the rows belong to
a bundled report (perfeval.data.imports.batches, perfeval.data.imports.ingest)."""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from perfeval import cli
from perfeval.data import compact
from perfeval.data.gate import DataGate, Scope
from perfeval.data.imports import batches, ingest
from perfeval.data.lake import Lake
from tests.app.test_import_page import PID, workbook
from tests.conftest import DATA, ROOT


@pytest.fixture
def lake(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("_derived"))
    return root


def projects_csv(pids: list[str], score: str = "88.5") -> bytes:
    """A projects.csv with one project per id, in 深圳市南山区."""
    head = ("project_id,name,short_name,category,province,city,district,region_code,implementing_unit,evaluator,"
            "evaluator_type,period_start,period_end,reported_total_score,reported_grade\n")
    return (head + "".join(f"{pid},项目{pid},{pid},反诈,广东省,深圳市,南山区,440305,南山公安分局,南山区财政局,自评,"
                           f"2023-01-01,2023-12-31,{score},良\n" for pid in pids)).encode()


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


# ------------------------------------------------------------------------------------------ issue 18: supersede,
# restore, manifests, scope
def _lake_hashes(lake) -> dict[str, str]:
    """Every file of the lake (the derived cache aside), hashed: what a refusal must leave as it was."""
    return {k: v for k, v in _hashes(lake).items() if not k.startswith("_derived")}


def _score(lake, pid: str = PID):
    df = DataGate(Lake(lake)).table("projects", Scope.everything())
    return df.loc[df["project_id"] == pid, "reported_total_score"].tolist()


def test_manifest_records_who_when_file_and_rows(lake):
    staged = ingest.stage("南山.xlsx", workbook(), lake)
    b = ingest.commit(staged, lake, who="futian")
    m = json.loads((b.folder / "batch.json").read_text(encoding="utf-8"))
    assert m["id"] == b.id and m["who"] == "futian" and m["file"] == "南山.xlsx" and m["supersedes"] == []
    assert m["rows"] == {"projects": 1, "budget": 1, "documents": 1}
    assert m["when"][:10] == f"{b.id[:4]}-{b.id[4:6]}-{b.id[6:8]}"
    [info] = batches.list_batches(lake)
    assert (info.who, info.file, info.status) == ("futian", "南山.xlsx", "active")
    # the default importer, and a batch written before manifests: still listed, its time from its id
    c = _import(lake, "南山2.xlsx", workbook(name="另一个导入项目", pid="imp-test-0002"))
    assert json.loads((c.folder / "batch.json").read_text(encoding="utf-8"))["who"] == "本机/local"
    (c.folder / "batch.json").unlink()
    old = next(i for i in batches.list_batches(lake) if i.id == c.id)
    assert old.who == "" and old.file == "南山2.xlsx" and old.when.startswith(f"{c.id[:4]}-{c.id[4:6]}-{c.id[6:8]}T")


def test_a_corrected_file_supersedes_the_batch_of_its_projects(lake):
    a = ingest.commit(ingest.stage("南山.xlsx", workbook(), lake), lake, who="futian")
    archived_as = _hashes(a.folder)
    corrected = ingest.stage("南山-更正.xlsx", workbook(score="91"), lake)
    assert {p.code for p in corrected.problems} == {"duplicate_key_lake"}, "one error per repeated row, as before"
    offer = ingest.supersede_offer(corrected, lake)
    assert offer.ok and offer.batch_ids == (a.id,) and not offer.refusals
    [old] = offer.batches
    assert (old.file, old.who) == ("南山.xlsx", "futian") and old.when
    assert old.documents == ((f"import:{a.id}", "南山.xlsx"),)
    assert [(p.project_id, p.name, p.in_upload) for p in old.projects] == [(PID, "导入测试项目", True)]
    with pytest.raises(ingest.ImportRefused):
        ingest.commit(corrected, lake)  # without the person's confirmation: refused as before

    b = ingest.commit(corrected, lake, supersede=offer, who="futian")
    assert _score(lake) == [91.0], "the corrected figures, once"
    assert not a.folder.exists()
    archived = lake.resolve() / "_archive" / "imports" / a.id
    assert _hashes(archived) == archived_as, "the old batch is in the history, byte-identical"
    assert json.loads((b.folder / "batch.json").read_text(encoding="utf-8"))["supersedes"] == [a.id]
    listed = {i.id: i for i in batches.all_batches(lake)}
    assert listed[b.id].status == "active" and listed[a.id].status == "withdrawn"
    assert listed[a.id].superseded_by == b.id and listed[a.id].withdrawn_by == "futian"
    assert not list((lake / "imports").glob(".supersede-*")), "no journal left"

    # the old one cannot come back while its project is in the new batch …
    before = _lake_hashes(lake)
    with pytest.raises(batches.RestoreRefused) as e:
        batches.restore(lake, a.id)
    assert f"项目 {PID} 已由批次 {b.id}重新导入" in str(e.value) and f"imported again by batch {b.id}" in str(e.value)
    assert _lake_hashes(lake) == before
    # … and can once that one is withdrawn
    batches.withdraw(lake, b.id)
    back = batches.restore(lake, a.id)
    assert back == a.folder.resolve() and _hashes(back) == archived_as and _score(lake) == [88.5]
    assert not (lake / "_archive" / "imports" / f"{a.id}.withdrawn.json").exists()


def test_the_offer_names_projects_the_new_file_does_not_hold(lake):
    a = _import(lake, "projects.csv", projects_csv([PID, "imp-test-0002"]))
    corrected = ingest.stage("projects.csv", projects_csv([PID], score="90"), lake)
    offer = ingest.supersede_offer(corrected, lake)
    assert offer.ok and offer.batch_ids == (a.id,)
    assert [(p.project_id, p.in_upload) for p in offer.batches[0].projects] == [(PID, True), ("imp-test-0002", False)]
    ingest.commit(corrected, lake, supersede=offer)
    assert "imp-test-0002" not in _projects(lake), "withdrawn with its batch, as the offer said"


def test_rows_of_the_bundled_reports_are_never_superseded(lake):
    seed = pd.read_csv(DATA / "seed" / "tianjin-2022" / "projects.csv", dtype=str)["project_id"][0]
    staged = ingest.stage("天津.xlsx", workbook(pid=seed), lake)
    offer = ingest.supersede_offer(staged, lake)
    assert not offer.ok and offer.batches == ()
    [(zh, en)] = offer.refusals
    assert f"项目 {seed}属于随附的评价报告 report:tianjin-2022" in zh and "seed/tianjin-2022/projects.csv" in zh
    assert f"project {seed} belongs to the bundled report report:tianjin-2022" in en and "never supersedes" in en
    before = _lake_hashes(lake)
    with pytest.raises(ingest.ImportRefused) as e:
        ingest.commit(staged, lake, supersede=offer)
    assert any(p.code == "supersede_refused" and "bundled report" in p.message_en for p in e.value.problems)
    assert _lake_hashes(lake) == before


def test_an_upload_with_other_problems_is_not_offered(lake):
    _import(lake, "南山.xlsx", workbook())
    staged = ingest.stage("南山.xlsx", workbook(score="八十八"), lake)
    offer = ingest.supersede_offer(staged, lake)
    assert not offer.ok and any("其他问题" in zh and "fix it first" in en for zh, en in offer.refusals)


def test_the_offer_must_still_hold_when_confirmed(lake):
    a = _import(lake, "南山.xlsx", workbook())
    corrected = ingest.stage("南山.xlsx", workbook(score="91"), lake)
    offer = ingest.supersede_offer(corrected, lake)
    batches.withdraw(lake, a.id)  # meanwhile, from another session
    before = _lake_hashes(lake)
    with pytest.raises(ingest.ImportRefused) as e:
        ingest.commit(corrected, lake, supersede=offer)
    assert e.value.problems[-1].code == "supersede_changed" and "check the file again" in e.value.problems[-1].message_en
    assert _lake_hashes(lake) == before


def test_a_fault_between_the_steps_leaves_the_old_state(lake, monkeypatch):
    a = _import(lake, "南山.xlsx", workbook())
    corrected = ingest.stage("南山.xlsx", workbook(score="91"), lake)
    offer = ingest.supersede_offer(corrected, lake)
    before = _lake_hashes(lake)
    real = batches.archive_move

    def then_fail(*args, **kwargs):
        real(*args, **kwargs)  # the old batch has moved to the archive; the new one is not placed yet
        raise OSError("disk full (injected)")

    monkeypatch.setattr(batches, "archive_move", then_fail)
    with pytest.raises(OSError, match="injected"):
        ingest.commit(corrected, lake, supersede=offer)
    assert _lake_hashes(lake) == before, "the old state, byte for byte: the old batch back, nothing new"
    assert _score(lake) == [88.5] and a.folder.is_dir()


CRASH = """
import os, sys
from perfeval.data.imports import batches, ingest
lake, step = sys.argv[1], sys.argv[2]
staged = ingest.stage("南山.xlsx", open(sys.argv[3], "rb").read(), lake)
offer = ingest.supersede_offer(staged, lake)
real_move, real_rename = batches.archive_move, ingest.os.rename
def move(*a, **k):
    real_move(*a, **k)
    if step == "after_move":
        os._exit(3)  # the process dies: no handler runs
def rename(src, dst):
    real_rename(src, dst)
    if step == "after_place" and str(src).endswith(".tmp"):  # the new batch placed (os is one module for all)
        os._exit(3)
batches.archive_move = move
ingest.os.rename = rename
ingest.commit(staged, lake, supersede=offer)
"""


@pytest.mark.parametrize("step", ["after_move", "after_place"])
def test_a_crash_between_the_steps_is_undone_or_finished(lake, tmp_path, step):
    a = _import(lake, "南山.xlsx", workbook())
    before = _lake_hashes(lake)
    upload = tmp_path / "corrected.xlsx"
    upload.write_bytes(workbook(score="91"))
    run = subprocess.run([sys.executable, "-c", CRASH, str(lake), step, str(upload)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 3, run.stderr
    assert list((lake / "imports").glob(".supersede-*.json")), "the crash left its journal"
    batches.list_batches(lake)  # the next look at the batches (or import, withdrawal, restore) recovers
    assert not list((lake / "imports").glob(".supersede-*.json"))
    assert not [p for p in (lake / "imports").iterdir() if p.name.endswith(".tmp")]
    if step == "after_move":  # the new batch was not placed: back to the old state, byte for byte
        assert _lake_hashes(lake) == before and _score(lake) == [88.5]
    else:  # it was: the new state, the old batch in the history
        assert _score(lake) == [91.0] and not a.folder.exists()
        assert [i.superseded_by != "" for i in batches.list_batches(lake, withdrawn=True)] == [True]


def test_scope_refuses_writing_nothing(lake):
    before = _lake_hashes(lake)
    staged = ingest.stage("南山.xlsx", workbook(), lake)  # region 440305 (深圳市南山区)
    with pytest.raises(ingest.ImportRefused) as e:
        ingest.commit(staged, lake, scope=Scope(("1201",)))
    [p] = e.value.problems
    assert (p.file, p.row, p.column, p.value) == ("南山.xlsx:projects", 2, "region_code", "440305")
    assert f"项目 {PID} 的地区代码 440305 不在您的权限范围（1201）内" in p.message_zh
    assert f"project {PID}'s region code 440305 is outside your scope (1201)" in p.message_en
    assert _lake_hashes(lake) == before
    a = ingest.commit(staged, lake, scope=Scope(("440300",)))  # 深圳市 covers 南山区
    # a batch that only adds rows to a project: the project's region comes from the lake
    rows = ingest.stage("budget.csv", f"project_id,year,initial_budget\n{PID},2024,50\n".encode(), lake)
    with pytest.raises(ingest.ImportRefused) as e:
        ingest.commit(rows, lake, scope=Scope(("12",)))
    assert [(p.value, p.row) for p in e.value.problems] == [("440305", None)] and PID in e.value.problems[0].message_en
    before = _lake_hashes(lake)
    with pytest.raises(batches.WithdrawRefused) as w:
        batches.withdraw(lake, a.id, scope=Scope(("1201",)))
    assert f"项目 {PID} 的地区代码 440305" in str(w.value) and "outside your scope (1201)" in str(w.value)
    assert _lake_hashes(lake) == before
    batches.withdraw(lake, a.id, scope=Scope(("44",)))
    before = _lake_hashes(lake)
    with pytest.raises(batches.RestoreRefused, match="440305"):
        batches.restore(lake, a.id, scope=Scope(("1201",)))
    assert _lake_hashes(lake) == before
    batches.restore(lake, a.id, scope=Scope(("4403",)))
    assert PID in _projects(lake)


def test_restore_refusals(lake):
    with pytest.raises(batches.RestoreRefused, match="no withdrawn batch"):
        batches.restore(lake, "20990101-000000-abcdef")
    with pytest.raises(ValueError):
        batches.restore(lake, "../seed")


def test_cli_supersede_restore_and_list(lake, capsys):
    a = _import(lake, "南山.xlsx", workbook())
    corrected = lake.parent / "南山-更正.xlsx"
    corrected.write_bytes(workbook(score="91"))
    before = _lake_hashes(lake)
    assert cli.main(["--data", str(lake), "import", str(corrected)]) == 1
    out = capsys.readouterr().out
    assert a.id in out and "--supersede" in out and PID in out
    assert _lake_hashes(lake) == before
    assert cli.main(["--data", str(lake), "import", str(corrected), "--supersede", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["ok"] and res["supersede"]["done"] and res["supersede"]["batches"][0]["id"] == a.id
    assert _score(lake) == [91.0]
    assert cli.main(["--data", str(lake), "batches", "--all", "--json"]) == 0
    listed = {b["id"]: b for b in json.loads(capsys.readouterr().out)}
    assert listed[a.id]["status"] == "withdrawn" and listed[a.id]["superseded_by"] == res["batch"]
    assert cli.main(["--data", str(lake), "restore", a.id]) == 1
    assert "imported again" in capsys.readouterr().out
    assert cli.main(["--data", str(lake), "withdraw", res["batch"]]) == 0
    assert cli.main(["--data", str(lake), "restore", a.id]) == 0
    assert "已恢复 / restored" in capsys.readouterr().out and _score(lake) == [88.5]
    seed = pd.read_csv(DATA / "seed" / "futian-2021-2023" / "projects.csv", dtype=str)["project_id"][0]
    bundled = lake.parent / "福田.xlsx"
    bundled.write_bytes(workbook(pid=seed))
    before = _lake_hashes(lake)
    assert cli.main(["--data", str(lake), "import", str(bundled), "--supersede"]) == 1
    assert "bundled report" in capsys.readouterr().out and _lake_hashes(lake) == before


def test_a_scope_with_a_list_of_projects(lake):
    staged = ingest.stage("南山.xlsx", workbook(), lake)
    before = _lake_hashes(lake)
    with pytest.raises(ingest.ImportRefused) as e:
        ingest.commit(staged, lake, scope=Scope(("44",), True, ("another-project",)))
    assert "不在您可访问的项目之中" in e.value.problems[0].message_zh and _lake_hashes(lake) == before
    a = ingest.commit(staged, lake, scope=Scope(("44",), True, (PID,)))
    with pytest.raises(batches.WithdrawRefused, match="not among the projects you may access"):
        batches.withdraw(lake, a.id, scope=Scope(("44",), True, ("another-project",)))
    with pytest.raises(batches.WithdrawRefused, match="outside your scope"):
        batches.withdraw(lake, a.id, scope=Scope.nothing())


def test_no_offer_when_rows_outside_would_lose_their_project(lake):
    a = _import(lake, "projects.csv", projects_csv([PID, "imp-test-0002"]))
    b = _import(lake, "budget.csv", b"project_id,year,initial_budget\nimp-test-0002,2024,50\n")
    offer = ingest.supersede_offer(ingest.stage("projects.csv", projects_csv([PID], score="90"), lake), lake)
    assert offer.batch_ids == (a.id,) and not offer.ok
    [(zh, en)] = offer.refusals
    assert f"其他数据依赖批次 {a.id}" in zh and f"imports/{b.id}/budget.parquet" in en and "withdraw them first" in en
    # an upload citing a project only the superseded batch holds fails the checks without that batch
    wb = openpyxl.load_workbook(io.BytesIO(workbook(score="90")))
    wb["budget"].append(["imp-test-0002", 2030, 1, 1, 1])
    buf = io.BytesIO()
    wb.save(buf)
    batches.withdraw(lake, b.id)
    offer = ingest.supersede_offer(ingest.stage("南山.xlsx", buf.getvalue(), lake), lake)
    assert not offer.ok and any("imp-test-0002" in en and "still" in en for _, en in offer.refusals)
