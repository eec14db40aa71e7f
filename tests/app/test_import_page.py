"""数据导入 Import page (AppTest): the template download, an upload with problems (listed by sheet, row,
column and value; nothing written), a clean upload imported as a batch that the overview shows at once."""
from __future__ import annotations

import hashlib
import io
import shutil

import openpyxl
import pytest

from tests.app.helpers import run_page, texts
from tests.conftest import DATA

PID = "imp-test-0001"


def _lake(tmp_path):
    lake = tmp_path / "data"
    shutil.copytree(DATA, lake, ignore=shutil.ignore_patterns("_derived"))
    return lake


def _files(lake) -> dict[str, str]:
    return {str(p.relative_to(lake)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(lake.rglob("*")) if p.is_file() and "_derived" not in p.parts}


def workbook(name: str = "导入测试项目", score="88.5", pid: str = PID) -> bytes:
    """A workbook with one project and its budget, as a district would fill the template."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "projects"
    ws.append(["project_id", "name", "short_name", "category", "province", "city", "district", "region_code",
               "implementing_unit", "evaluator", "evaluator_type", "period_start", "period_end",
               "reported_total_score", "reported_grade"])
    ws.append([pid, name, "南山反诈", "反诈", "广东省", "深圳市", "南山区", "440305", "南山公安分局", "南山区财政局",
               "自评", "2023-01-01", "2023-12-31", score, "良"])
    b = wb.create_sheet("budget")
    b.append(["project_id", "year", "initial_budget", "received", "spent"])
    b.append([pid, 2023, 120.5, 100, 90.25])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(at, name: str, data: bytes):
    at.file_uploader(key="w_upload").set_value((name, data, "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_offers_the_template(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFEVAL_DATA", str(_lake(tmp_path)))
    at = run_page("import")
    assert not at.exception
    assert at.title[0].value == "数据导入"
    assert at.get("download_button")[0].proto.label.startswith("⬇️ 下载导入模板")
    assert at.file_uploader(key="w_upload").allowed_type == [".xlsx", ".xlsm", ".xls", ".et", ".csv", ".parquet"]


def test_bad_upload_lists_each_problem_and_writes_nothing(tmp_path, monkeypatch):
    lake = _lake(tmp_path)
    before = _files(lake)
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    at = _upload(run_page("import"), "南山.xlsx", workbook(score="八十八"))
    assert at.error and "未导入任何数据" in at.error[0].value
    problems = at.dataframe[0].value
    row = problems[problems["column"] == "reported_total_score"].iloc[0]
    assert row["file"] == "南山.xlsx:projects" and row["row"] == 2 and row["value"] == "八十八"
    assert "应为数字" in row["message"]
    assert [b.proto.label for b in at.get("download_button")][-1].startswith("⬇️ 下载问题清单")
    assert "commit" not in [b.key for b in at.button], "no import button while anything is wrong"
    assert _files(lake) == before, "a refused upload writes nothing"


def test_clean_upload_is_imported_and_shown(tmp_path, monkeypatch):
    lake = _lake(tmp_path)
    before = _files(lake)
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    data = workbook()
    at = _upload(run_page("import"), "南山.xlsx", data)
    assert at.success and "检查通过" in at.success[0].value
    assert not (lake / "imports").exists(), "nothing is written before the confirmation"
    at.button(key="commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已导入" in at.success[0].value
    batches = [p for p in (lake / "imports").iterdir() if not p.name.startswith(".")]
    assert len(batches) == 1 and batches[0].name in at.success[0].value
    assert (batches[0] / "_upload" / "南山.xlsx").read_bytes() == data, "the upload is kept as it was"
    after = _files(lake)
    assert {k: v for k, v in after.items() if k in before} == before, "nothing that was there changed"

    listed = run_page("import")
    assert list(listed.dataframe[0].value["batch"]) == [batches[0].name], "the page lists the batch"

    ov = run_page("overview")
    assert not ov.exception
    table = ov.dataframe[0].value
    mine = table[table["name"] == "导入测试项目"]
    assert len(mine) == 1 and mine.iloc[0]["data"] == "导入"
    assert "导入批次" in texts(ov)


@pytest.mark.parametrize("lang", ["en"])
def test_english(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("PERFEVAL_DATA", str(_lake(tmp_path)))
    at = _upload(run_page("import", lang=lang), "nanshan.xlsx", workbook(score="x"))
    assert at.title[0].value == "Import data"
    assert "nothing was imported" in at.error[0].value
    assert "must be a number" in at.dataframe[0].value["message"].iloc[0]


def test_an_import_can_be_withdrawn_from_the_page(tmp_path, monkeypatch):
    lake = _lake(tmp_path)
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    at = _upload(run_page("import"), "南山.xlsx", workbook())
    at.button(key="commit").click().run()
    [batch] = [p for p in (lake / "imports").iterdir() if not p.name.startswith(".")]
    at.button(key="withdraw").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已撤回" in at.info[0].value
    assert at.success and "检查通过" in at.success[0].value, "the same file, checked again, may be imported again"
    assert not batch.exists() and (lake / "_archive" / "imports" / batch.name / "_upload" / "南山.xlsx").exists()
    ov = run_page("overview")
    assert "导入测试项目" not in set(ov.dataframe[0].value["name"])


def test_the_filters_are_not_offered_on_the_import_page_and_are_kept_for_the_others():
    at = run_page("overview", demo="0")
    at.selectbox(key="w_region").set_value("4403").run()
    at.slider(key="w_years").set_value((2022, 2023)).run()
    at.switch_page("app_pages/import.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "数据导入"
    keys = {w.key for kind in ("selectbox", "slider", "toggle") for w in getattr(at, kind)}
    assert not keys & {"w_region", "w_years", "w_category", "w_evaluator", "w_demo"}, keys
    assert any("筛选条件不适用于本页" in c.value for c in at.sidebar.caption)
    assert at.radio(key="w_lang").value == "zh", "the language switch stays"
    assert "4403" in str(at.query_params["region"]), "the URL keeps the filters"
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception
    assert at.selectbox(key="w_region").value == "4403"
    assert at.slider(key="w_years").value == (2022, 2023)
    assert at.toggle(key="w_demo").value is False


# ------------------------------------------------------------------------------------------ issue 18: correct,
# withdraw and restore from the page; real data first
def _committed(lake, name: str = "南山.xlsx", data: bytes | None = None, who: str = "futian"):
    """A batch imported before this session (by the data layer, as another session or the CLI would)."""
    from perfeval.data.imports import ingest

    staged = ingest.stage(name, data or workbook(), lake)
    assert staged.ok
    return ingest.commit(staged, lake, who=who)


def _active(lake) -> list[str]:
    return sorted(p.name for p in (lake / "imports").iterdir() if p.is_dir() and not p.name.startswith("."))


def test_a_corrected_file_supersedes_the_old_batch_which_can_be_restored(tmp_path, monkeypatch):
    lake = _lake(tmp_path)
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    old = _committed(lake)
    old_files = {k: v for k, v in _files(lake).items() if k.startswith(f"imports/{old.id}/")}
    before = _files(lake)

    at = _upload(run_page("import"), "南山-更正.xlsx", workbook(score="91"))
    assert "未导入任何数据" not in texts(at), "not a list of errors: an offer"
    offer = at.warning[0].value
    assert "已在数据湖中" in offer and old.id in offer and "可恢复" in offer
    table = at.dataframe[-1].value
    assert table.iloc[0][["batch", "file", "who", "project", "name", "in_file"]].tolist() == [
        old.id, "南山.xlsx", "futian", PID, "导入测试项目", "是"]
    assert "import:" in table.iloc[0]["document"]
    assert _files(lake) == before, "nothing is written before the confirmation"

    at.button(key="supersede").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已导入" in at.success[0].value
    [new] = _active(lake)
    assert new != old.id
    archived = {k.replace(f"_archive/imports/{old.id}/", f"imports/{old.id}/"): v for k, v in _files(lake).items()
                if k.startswith(f"_archive/imports/{old.id}/")}
    assert archived == old_files, "the old batch is in the history, byte-identical"
    listed = at.dataframe[0].value
    status = dict(zip(listed["batch"], listed["status"]))
    assert status == {new: "有效", old.id: f"已被批次 {new} 替代"}

    ov = run_page("overview")
    mine = ov.dataframe[0].value
    assert len(mine[mine["name"] == "导入测试项目"]) == 1, "the project once, with its corrected figures"

    # restore: refused while the project is in the new batch (nothing moves), then done once it is withdrawn
    at.selectbox(key="w_batch").set_value(old.id).run()
    at.button(key="batch_restore").click().run()
    assert not at.exception
    assert any("重新导入" in e.value and new in e.value for e in at.error)
    assert _active(lake) == [new]
    at.selectbox(key="w_batch").set_value(new).run()
    at.button(key="batch_withdraw").click().run()
    assert "已撤回" in at.success[0].value and _active(lake) == []
    at.selectbox(key="w_batch").set_value(old.id).run()
    at.button(key="batch_restore").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已恢复" in at.success[0].value and _active(lake) == [old.id]
    assert {k: v for k, v in _files(lake).items() if k.startswith(f"imports/{old.id}/")} == old_files


def test_a_batch_imported_in_a_previous_session_can_be_withdrawn_and_restored(tmp_path, monkeypatch):
    lake = _lake(tmp_path)
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    b = _committed(lake)
    mine = {k: v for k, v in _files(lake).items() if k.startswith(f"imports/{b.id}/")}
    at = run_page("import")
    row = at.dataframe[0].value.iloc[0]
    assert (row["batch"], row["status"], row["who"], row["file"]) == (b.id, "有效", "futian", "南山.xlsx")
    assert at.button(key="batch_restore").disabled, "an active batch: only withdraw"
    at.button(key="batch_withdraw").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已撤回" in at.success[0].value and _active(lake) == []
    assert at.dataframe[0].value.iloc[0]["status"].startswith("已撤回（本机")
    assert at.button(key="batch_withdraw").disabled
    ov = run_page("overview")
    assert "导入测试项目" not in set(ov.dataframe[0].value["name"])
    at.button(key="batch_restore").click().run()
    assert "已恢复" in at.success[0].value
    assert {k: v for k, v in _files(lake).items() if k.startswith(f"imports/{b.id}/")} == mine, "byte-identical"


def test_a_bundled_report_is_never_superseded_from_the_page(tmp_path, monkeypatch):
    import pandas as pd

    lake = _lake(tmp_path)
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    before = _files(lake)
    seed = pd.read_csv(DATA / "seed" / "tianshui-2021" / "projects.csv", dtype=str)["project_id"][0]
    at = _upload(run_page("import"), "天水.xlsx", workbook(pid=seed))
    assert any("随附的评价报告 report:tianshui-2021" in e.value for e in at.error)
    assert "supersede" not in [b.key for b in at.button]
    assert "未导入任何数据" in texts(at), "the problems are listed as well"
    assert _files(lake) == before
    en = _upload(run_page("import", lang="en"), "tianshui.xlsx", workbook(pid=seed))
    assert any("bundled report report:tianshui-2021" in e.value and "never supersedes" in e.value for e in en.error)


def test_real_data_first(tmp_path, monkeypatch):
    lake = _lake(tmp_path)
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    monkeypatch.delenv("PERFEVAL_DEMO_DEFAULT", raising=False)
    assert run_page("overview").toggle(key="w_demo").value is True, "only the bundled reports: demo data shown"
    _committed(lake)
    ov = run_page("overview")
    assert ov.toggle(key="w_demo").value is False, "real data of its own: demo data off by default"
    assert "示例" not in set(ov.dataframe[0].value["data"]) and "demo" not in ov.query_params
    ov.toggle(key="w_demo").set_value(True).run()
    assert ov.query_params["demo"] == ["1"] or ov.query_params["demo"] == "1", "the switch stays, and the URL says so"
    assert run_page("overview", demo="1").toggle(key="w_demo").value is True
    monkeypatch.setenv("PERFEVAL_DEMO_DEFAULT", "on")
    assert run_page("overview").toggle(key="w_demo").value is True, "the setting says on"
