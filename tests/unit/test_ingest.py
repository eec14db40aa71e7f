"""The import of a person's data (perfeval.data.imports.ingest): a workbook, CSV or Parquet upload checked against the
schema and the lake, then written as one immutable batch — or, with a single problem, not at all."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import pathlib
import re
import shutil

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from perfeval import cli
from perfeval.data import schema
from perfeval.data.gate import DataGate, Scope
from perfeval.data.imports import ingest, staging, template
from perfeval.data.imports import reading as upload
from perfeval.data.lake import DERIVED_DIR, Lake
from perfeval.data.validation.checks import as_text
from perfeval.data.validation.cross import LakeIndex, cross_check
from tests.conftest import DATA
from tests.lakes import write_table

DEMO = "demo-990101-tech-2022"  # a demonstration project with rows in every table keyed by project
NEW = "imp-990101-tech-2022"    # its copy, imported
TJ = "tj-2022-fraud-ops"        # a real report's project, in the lake only


@pytest.fixture()
def lake(tmp_path):
    """A copy of the bundled lake (never the bundled one itself)."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(DERIVED_DIR))
    return root


def digest(root: pathlib.Path) -> dict[str, str]:
    """Every file below ``root`` → sha256 of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx with one sheet per entry, its rows as given ([] = a blank row)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(table: str, rows: list[dict], encoding: str = "utf-8") -> bytes:
    """A CSV of ``table`` with the columns the rows name (in schema order)."""
    cols = [c for c in schema.table(table).column_names if any(c in r for r in rows)]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow(["" if r.get(c) is None else r.get(c) for c in cols])
    return buf.getvalue().encode(encoding)


def finding(fid: str, project: str = TJ, **kw) -> dict:
    return dict({"project_id": project, "finding_id": fid, "kind": "problem", "title": "宣传覆盖面不足"}, **kw)


def demo_sheets(project: str = DEMO, new: str = NEW) -> dict[str, list[list]]:
    """The demo project's rows of every importable table keyed by project, as workbook sheets (typed
    cells: numbers, dates, booleans) with its id replaced and no source column."""
    sheets = {}
    for name in ingest.IMPORT_TABLES:
        t = schema.table(name)
        path = DATA / "demo" / f"{name}.parquet"
        if "project_id" not in t.column_names or not path.exists():
            continue
        rows = [r for r in pq.read_table(path).to_pylist() if r["project_id"] == project]
        if rows:
            cols = [c for c in t.column_names if c != "source"]
            sheets[name] = [cols] + [[new if c == "project_id" else r.get(c) for c in cols] for r in rows]
    return sheets


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# ---------------------------------------------------------------------------------------- workbooks
def test_workbook_round_trip_reads_back_through_the_lake(lake):
    sheets = demo_sheets()
    assert {"projects", "subprojects", "budget", "indicators", "targets", "outcomes", "surveys"} <= set(sheets)
    sheets["indicators"].insert(3, [])  # a blank row: skipped
    data = workbook(sheets)
    staged = ingest.stage("示例一区.xlsx", data, lake)
    assert staged.problems == []
    expected = {name: len(rows) - 1 for name, rows in sheets.items()}
    expected["indicators"] -= 1
    assert staged.rows == dict(expected, documents=1)

    batch = ingest.commit(staged, lake)
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{6}", batch.id) and batch.id == staged.batch
    assert batch.folder == lake.resolve() / "imports" / batch.id and batch.rows == staged.rows
    # the values read back through the lake's views equal the demo project's, table by table
    gate = DataGate(Lake(lake))
    for name in sheets:
        df = gate.table(name, Scope.everything())
        mine = df[df["project_id"] == NEW]
        assert set(mine["source"]) == {f"import:{batch.id}"} and set(mine["data_kind"]) == {"import"}
        before = df[df["project_id"] == DEMO].drop(columns=["source", "data_kind"]).reset_index(drop=True)
        after = mine.drop(columns=["source", "data_kind"]).reset_index(drop=True)
        before["project_id"] = NEW
        assert len(after) == expected[name]
        pd.testing.assert_frame_equal(after, before, obj=name)
    docs = gate.table("documents", Scope.everything())
    doc = docs[docs["source"] == f"import:{batch.id}"]
    assert doc[["kind", "title", "file"]].values.tolist() == [["import", "示例一区.xlsx", "示例一区.xlsx"]]
    # each file holds the schema's columns with its DuckDB types
    arrow = {"VARCHAR": "string", "DOUBLE": "double", "INTEGER": "int32", "DATE": "date32[day]", "BOOLEAN": "bool"}
    for name in staged.rows:
        written = pq.read_schema(batch.folder / f"{name}.parquet")
        assert [(f.name, str(f.type)) for f in written] == [(c.name, arrow[c.type]) for c in schema.table(name).columns]
    # the upload itself is kept byte for byte, out of the data
    assert (batch.folder / "_upload" / "示例一区.xlsx").read_bytes() == data
    assert not any("_upload" in p.parts for p in Lake(lake).data_files())


def test_problems_name_the_sheet_the_excel_row_the_column_and_the_value(lake):
    header = ["project_id", "code", "parent_code", "level", "name"]
    data = workbook({"indicators": [header,
                                    [TJ, "Z1", None, 1, "新指标"],
                                    [],                                   # row 3: blank
                                    [TJ, "Z2", None, "三", "新指标"]]})    # row 4
    staged = ingest.stage("福田.xlsx", data, lake)
    assert not staged.ok
    [p] = staged.problems
    assert (p.file, p.row, p.column, p.value, p.code, p.table) == (
        "福田.xlsx:indicators", 4, "level", "三", "not_integer", "indicators")
    assert "层级（level）" in p.message_zh and "「三」" in p.message_zh
    assert p.message_en.startswith("level (level) must be a whole number") and "“三”" in p.message_en
    assert p.location() == "福田.xlsx:indicators:4 [level]"


def test_chinese_sheet_names_and_column_labels_are_read_as_the_schema_names(lake):
    data = workbook({"说明": [["这里随便写，导入时忽略"]],
                     "评价指标": [["项目编号", "指标编码", "上级编码", "层级", "指标名称"],
                              [TJ, "Z1", None, 1.0, "新指标"],
                              [TJ, "Z11", "Z1", 2, "新指标"],
                              [TJ, "Z12", "Z9", 2, "新指标"]]})
    staged = ingest.stage("天津.xlsx", data, lake)
    assert [(p.file, p.row, p.column, p.code) for p in staged.problems] == [
        ("天津.xlsx:评价指标", 4, "parent_code", "parent_missing")]
    df = staged.frames["indicators"]
    assert list(df.columns) == schema.table("indicators").column_names
    assert df["code"].tolist() == ["Z1", "Z11", "Z12"] and df["level"].tolist() == [1, 2, 2]


def test_cells_typed_by_excel_are_checked_as_their_text(lake):
    """Excel stores 2022 as 2022.0, a date as a date, TRUE as a boolean, 71.72% as 0.7172: they read as a
    CSV with 2022, 2023-06-30, true and 0.7172 would; a time of day is not a date."""
    header = ["project_id", "target_id", "year", "name", "target_value", "actual_value", "stated_met", "source"]
    data = workbook({"targets": [header,
                                 [TJ, "IMP-T1", 2022.0, "知晓率", 0.7, 0.7172, True, "report:tianjin-2022"]],
                     "budget": [["project_id", "year", "fund_source", "spent", "as_of"],
                                [TJ, 2030, "区级财政", 10, dt.date(2030, 6, 30)],
                                [TJ, 2031, "区级财政", 10, dt.datetime(2031, 6, 30, 12, 5)]]})
    staged = ingest.stage("x.xlsx", data, lake)
    assert [(p.file, p.row, p.column, p.value, p.code) for p in staged.problems] == [
        ("x.xlsx:budget", 3, "as_of", "2031-06-30 12:05:00", "not_date")]
    t = staged.frames["targets"].iloc[0]
    assert (t["year"], t["actual_value"], t["stated_met"], t["source"]) == (2022, 0.7172, True, "report:tianjin-2022")
    assert staged.frames["budget"]["as_of"].tolist()[0] == pd.Timestamp("2030-06-30")


@pytest.mark.parametrize("value, text", [
    (2022.0, "2022"), (0.7172, "0.7172"), (1e20, "1e+20"), (True, "true"), (False, "false"),
    (dt.date(2023, 6, 30), "2023-06-30"), (dt.datetime(2023, 6, 30), "2023-06-30"),
    (dt.datetime(2023, 6, 30, 12, 5), "2023-06-30 12:05:00"), (" x ", " x "), (None, ""), ("", ""),
])
def test_a_cell_becomes_the_text_validate_makes_of_the_same_parquet_value(value, text):
    assert upload.cell_text(value) == text
    assert upload.column_text([value, "a"]) == [text, "a"]
    parquet = pd.Timestamp(value) if isinstance(value, dt.datetime) else value
    assert as_text(pd.Series([parquet, "a"], dtype=object)).tolist() == [text, "a"]


def test_header_problems_a_column_twice_and_data_without_a_name(lake):
    data = workbook({"findings": [["project_id", "finding_id", "kind", "title", "项目编号", None, "备注 "],
                                  [TJ, "IMP-1", "problem", "标题", TJ, "丢失的数据", "备注"]]})
    staged = ingest.stage("x.xlsx", data, lake)
    got = [(p.row, p.column, p.value, p.code) for p in staged.problems]
    assert got == [(1, "project_id", "项目编号", "duplicate_column"), (1, None, None, "unnamed_column")]
    assert "F" in staged.problems[1].message_zh and "column F" in staged.problems[1].message_en


def test_unknown_sheets_are_problems_help_and_empty_sheets_are_not(lake):
    data = workbook({
        "说明": [["填写说明"]],
        "Sheet1": [],                                        # no cell at all: nothing could be lost
        "findings": [["project_id", "finding_id", "kind", "title"], [TJ, "IMP-1", "problem", "标题"]],
        "Sheet2": [["project_id", "amount"], [TJ, 12.5]],
        "grade_bands": [["band_set", "grade", "min_score"], ["x", "优", 90]],
    })
    staged = ingest.stage("区.xlsx", data, lake)
    assert [(p.file, p.code, p.value) for p in staged.problems] == [
        ("区.xlsx:Sheet2", "unknown_sheet", "Sheet2"), ("区.xlsx:grade_bands", "not_importable", "grade_bands")]
    unknown, catalogue = staged.problems
    assert "projects" in unknown.message_zh and "评价项目" in unknown.message_zh and "说明" in unknown.message_zh
    assert "findings" in unknown.message_en and "lost" in unknown.message_en
    assert "目录" in catalogue.message_zh and "catalogue" in catalogue.message_en
    assert staged.rows == {"findings": 1, "documents": 1}
    with pytest.raises(ingest.ImportRefused):
        ingest.commit(staged, lake)


def test_nothing_to_import_and_files_that_are_no_upload(lake):
    staged = ingest.stage("空.xlsx", workbook({"findings": [["project_id", "finding_id", "kind", "title"], []]}), lake)
    assert codes(staged.problems) == ["no_rows"] and staged.frames == {}
    assert "没有" in staged.problems[0].message_zh and "nothing to import" in staged.problems[0].message_en
    assert codes(ingest.stage("报告.docx", b"PK...", lake).problems) == ["unknown_format"]
    assert codes(ingest.stage("x.xlsx", b"not a zip file", lake).problems) == ["workbook_unreadable"]
    assert codes(ingest.stage("预算.csv", csv_bytes("findings", [finding("F")]), lake).problems) == ["unknown_table"]
    assert codes(ingest.stage("grade_bands.csv", b"band_set\nx\n", lake).problems) == ["not_importable"]


# ---------------------------------------------------------------------------------------- CSV / Parquet
def test_a_gb18030_csv_is_imported_and_kept_as_uploaded(lake):
    data = csv_bytes("findings", [finding("IMP-1", text="偏远街道知晓率偏低")], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    staged = ingest.stage("问题、建议与经验.csv", data, lake)  # the table's Chinese name says which it is
    assert staged.ok and staged.rows == {"findings": 1, "documents": 1}
    batch = ingest.commit(staged, lake)
    df = Lake(lake).read_table("findings")
    row = df[df["finding_id"] == "IMP-1"].iloc[0]
    assert (row["project_id"], row["title"], row["text"]) == (TJ, "宣传覆盖面不足", "偏远街道知晓率偏低")
    assert (batch.folder / "_upload" / "问题、建议与经验.csv").read_bytes() == data


def test_a_parquet_upload_with_the_table_given(lake):
    """A Parquet file keeps its own types (int64 year, float value); the unit must be the catalogue's."""
    table = pa.table({"project_id": [TJ, TJ], "outcome_id": ["IMP-O1", "IMP-O2"],
                      "metric_key": ["intercepted_fraud_calls"] * 2, "year": pa.array([2022, None], pa.int64()),
                      "value": [1200.0, 5.0], "unit": ["条", "个"]})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    staged = ingest.stage("upload.parquet", buf.getvalue(), lake, table="outcomes")
    assert [(p.file, p.row, p.column, p.value, p.code) for p in staged.problems] == [
        ("upload.parquet", 3, "unit", "个", "unit_mismatch")]
    assert "条" in staged.problems[0].message_zh
    df = staged.frames["outcomes"]
    assert df["year"].tolist()[0] == 2022 and pd.isna(df["year"].tolist()[1])
    assert df["value"].tolist() == [1200.0, 5.0]


def test_a_reference_to_a_project_only_the_lake_holds_is_accepted_an_unknown_one_is_not(lake):
    data = csv_bytes("findings", [finding("IMP-1"), finding("IMP-2", project="no-such-project")])
    staged = ingest.stage("findings.csv", data, lake)
    assert [(p.row, p.column, p.value, p.code) for p in staged.problems] == [
        (3, "project_id", "no-such-project", "unknown_reference")]
    ok = ingest.stage("findings.csv", csv_bytes("findings", [finding("IMP-1")]), lake)
    assert ok.ok


def test_a_key_the_lake_already_holds_is_refused_naming_where(lake):
    sheets = demo_sheets(new=DEMO)  # the demo project again, under its own id
    staged = ingest.stage("again.xlsx", workbook({"projects": sheets["projects"]}), lake)
    [p] = staged.problems
    demo_row = [r["project_id"] for r in pq.read_table(DATA / "demo" / "projects.parquet").to_pylist()].index(DEMO) + 2
    assert (p.file, p.row, p.value, p.code) == ("again.xlsx:projects", 2, DEMO, "duplicate_key_lake")
    assert "projects.parquet" in p.message_en and f"row {demo_row}" in p.message_en
    assert f"第 {demo_row} 行" in p.message_zh


# ---------------------------------------------------------------------------------------- sources
def test_empty_sources_are_filled_with_the_batch_and_a_document_is_added(lake):
    data = workbook({
        "findings": [["project_id", "finding_id", "kind", "title", "source"],
                     [TJ, "IMP-1", "problem", "标题", None],
                     [TJ, "IMP-2", "problem", "标题", "report:district-2024"]],
        "documents": [["source", "kind", "title"], ["report:district-2024", "report", "某区 2024 年自评报告"]],
    })
    staged = ingest.stage("自评.xlsx", data, lake)
    assert staged.ok
    assert staged.frames["findings"]["source"].tolist() == [f"import:{staged.batch}", "report:district-2024"]
    assert staged.frames["documents"][["source", "kind", "title", "file"]].values.tolist() == [
        ["report:district-2024", "report", "某区 2024 年自评报告", None],
        [f"import:{staged.batch}", "import", "自评.xlsx", "自评.xlsx"]]
    # another id at commit: the filled sources follow it, the person's own stays
    batch = ingest.commit(staged, lake, batch="district-2024-q1")
    assert batch.id == "district-2024-q1"
    df = Lake(lake).read_table("findings").set_index("finding_id")
    assert df.loc["IMP-1", "source"] == "import:district-2024-q1"
    assert df.loc["IMP-2", "source"] == "report:district-2024"
    docs = Lake(lake).read_table("documents").set_index("source")
    assert docs.loc["import:district-2024-q1", "title"] == "自评.xlsx"
    assert docs.loc["report:district-2024", "kind"] == "report"


def test_a_documents_row_with_an_empty_source_is_the_batch_document(lake):
    data = workbook({
        "findings": [["project_id", "finding_id", "kind", "title"], [TJ, "IMP-1", "problem", "标题"]],
        "documents": [["source", "kind", "title"], [None, None, "福田区 2024 年自评"]],
    })
    staged = ingest.stage("f.xlsx", data, lake)
    assert staged.ok
    assert staged.frames["documents"][["source", "kind", "title"]].values.tolist() == [
        [f"import:{staged.batch}", "import", "福田区 2024 年自评"]]


def test_a_source_must_be_a_document(lake):
    data = csv_bytes("findings", [finding("IMP-1", source="report:nowhere")])
    staged = ingest.stage("findings.csv", data, lake)
    assert [(p.column, p.value, p.code) for p in staged.problems] == [("source", "report:nowhere", "unknown_reference")]
    assert "documents" not in staged.frames  # nothing was filled, so no document added


# ---------------------------------------------------------------------------------------- commit
def test_a_refused_upload_leaves_the_lake_byte_identical(lake):
    before = digest(lake)
    data = workbook({"projects": [["project_id", "name"], ["imp-1", "项目"]]})  # required columns missing
    staged = ingest.stage("bad.xlsx", data, lake)
    assert not staged.ok and "missing_column" in codes(staged.problems)
    with pytest.raises(ingest.ImportRefused) as e:
        ingest.commit(staged, lake)
    assert e.value.problems == staged.problems
    n = len(staged.problems)
    assert f"{n} 个问题" in str(e.value) and f"{n} problems" in str(e.value)
    assert digest(lake) == before
    assert not (lake / "imports").exists()


def test_the_batch_appears_with_one_rename_and_no_reader_sees_half_of_it(lake, monkeypatch):
    staged = ingest.stage("findings.csv", csv_bytes("findings", [finding("IMP-1")]), lake)
    findings_before = len(Lake(lake).read_table("findings"))
    seen = {}
    rename = os.rename

    def watching(src, dst):
        src = pathlib.Path(src)
        seen["staged"] = sorted(p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file())
        seen["tmp"] = src
        seen["files"] = Lake(lake).data_files()
        seen["findings"] = len(Lake(lake).read_table("findings"))
        rename(src, dst)

    monkeypatch.setattr(ingest.os, "rename", watching)
    batch = ingest.commit(staged, lake)
    # just before the rename: everything written in a hidden folder the lake does not read
    assert seen["tmp"] == lake.resolve() / "imports" / f".{batch.id}.tmp"
    assert seen["staged"] == ["_upload/findings.csv", "batch.json", "documents.parquet", "findings.parquet"]
    assert not any(seen["tmp"] in p.parents for p in seen["files"])
    assert seen["findings"] == findings_before
    # after it: the whole batch, no temporary folder left
    assert [p.name for p in (lake / "imports").iterdir() if p.name != ".lock"] == [batch.id]
    assert {batch.folder / "findings.parquet", batch.folder / "documents.parquet"} <= set(Lake(lake).data_files())
    assert len(Lake(lake).read_table("findings")) == findings_before + 1


def test_a_failed_write_leaves_nothing_behind(lake, monkeypatch):
    staged = ingest.stage("findings.csv", csv_bytes("findings", [finding("IMP-1")]), lake)
    before = digest(lake)
    write, calls = pq.write_table, []

    def failing(table, where, **kw):
        calls.append(where)
        if len(calls) == 2:
            raise OSError("disk full")
        return write(table, where, **kw)

    monkeypatch.setattr(ingest.pq, "write_table", failing)
    with pytest.raises(OSError, match="disk full"):
        ingest.commit(staged, lake)
    after = digest(lake)
    assert set(after) - set(before) == {"imports/.lock"}
    assert all(after[k] == v for k, v in before.items())
    assert [p.name for p in (lake / "imports").iterdir()] == [".lock"]


def test_commit_checks_again_when_the_lake_changed_since_stage(lake):
    data = csv_bytes("findings", [finding("IMP-1")])
    first = ingest.stage("a.csv", data, lake, table="findings")
    second = ingest.stage("b.csv", data, lake, table="findings")
    assert first.ok and second.ok and first.batch != second.batch
    ingest.commit(first, lake)
    with pytest.raises(ingest.ImportRefused) as e:
        ingest.commit(second, lake)
    assert codes(e.value.problems) == ["duplicate_key_lake"]
    assert e.value.problems[0].file == "b.csv" and "a.csv" not in e.value.problems[0].message_en
    assert len(list((lake / "imports").glob("2*"))) == 1


def test_batch_ids(lake):
    staged = ingest.stage("findings.csv", csv_bytes("findings", [finding("IMP-1")]), lake)
    for bad in ("../x", ".hidden", "_x", "a/b", "", "projects"):
        with pytest.raises(ValueError):
            ingest.commit(staged, lake, batch=bad or "/")
    ingest.commit(staged, lake, batch="2024-q1")
    again = ingest.stage("findings.csv", csv_bytes("findings", [finding("IMP-2")]), lake)
    with pytest.raises(ingest.ImportRefused) as e:
        ingest.commit(again, lake, batch="2024-q1")
    assert "batch_exists" in codes(e.value.problems)
    ids = [ingest.new_batch_id(dt.datetime(2026, 11, 22, 15, 30, s)) for s in (12, 13)]
    assert all(re.fullmatch(r"20261122-1530\d\d-[0-9a-f]{6}", i) for i in ids) and sorted(ids) == ids


# ---------------------------------------------------------------------------------------- the lake as context
def _project(pid: str) -> dict:
    return {"project_id": pid, "name": "项目", "short_name": "项目", "category": "反诈", "province": "广东省",
            "region_code": "440304", "implementing_unit": "分局", "evaluator": "机构", "evaluator_type": "自评",
            "period_start": "2022-01-01", "period_end": "2022-12-31", "source": "report:a"}


def _indicator(pid: str, code: str, parent: str | None, level: int) -> dict:
    return {"project_id": pid, "code": code, "parent_code": parent, "level": level, "name": code,
            "source": "report:a"}


def test_the_fast_lake_context_finds_exactly_what_lakeindex_finds(tmp_path):
    """ImportContext reads only the rows of the upload's projects (Parquet row group by row group); the
    problems, messages included, are those of LakeIndex reading every row of the lake."""
    root = tmp_path / "lake"
    shutil.copytree(DATA / "catalog", root / "catalog")
    write_table(root, "seed/a/documents.csv", "documents", [{"source": "report:a", "kind": "report", "title": "A"}])
    write_table(root, "seed/a/projects.csv", "projects", [_project("p1"), _project("p2")])
    write_table(root, "seed/a/subprojects.csv", "subprojects",
                [{"project_id": p, "subproject_id": "S1", "name": "一期", "source": "report:a"} for p in ("p1", "p2")])
    write_table(root, "seed/a/budget.csv", "budget",
                [{"project_id": "p2", "year": 2022, "spent": 5, "source": "report:a"}])
    # Parquet: 9 projects, 3 indicators each, in row groups of 4 rows
    more = [_project(f"p{i}") for i in range(3, 10)]
    (root / "lake" / "projects").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(more), root / "lake" / "projects" / "b1.parquet")
    tree = (("A", None, 1), ("A1", "A", 2), ("A11", "A1", 3))
    rows = [_indicator(f"p{i}", c, p, lv) for i in range(1, 10) for c, p, lv in tree]
    cols = {k: [r[k] for r in rows] for k in rows[0]}
    cols["level"] = pa.array(cols["level"], pa.int32())
    (root / "lake" / "indicators").mkdir(parents=True)
    pq.write_table(pa.table(cols), root / "lake" / "indicators" / "b1.parquet", row_group_size=4)

    metrics = pd.read_csv(DATA / "catalog" / "metrics.csv")
    metric, unit = metrics.loc[0, "metric_key"], metrics.loc[0, "unit"]
    data = workbook({
        "projects": [list(_project("p1")), list(_project("p1").values()), list(_project("p10").values())],
        "indicators": [["project_id", "code", "parent_code", "level", "name"],
                       ["p1", "A", None, 1, "重复"],            # a key of the Parquet file, group 1
                       ["p7", "A11", "A1", 3, "重复"],          # a key in a later row group
                       ["p1", "A12", "A1", 3, "父级在湖中"],      # parent only in the lake: fine
                       ["p1", "B1", "A", 3, "层级不符"],        # parent one level too high
                       ["p5", "X1", "nope", 2, "父级不存在"],
                       ["p10", "A", None, 1, "新项目"],
                       ["nobody", "A", None, 1, "无此项目"]],
        "budget": [["project_id", "year", "subproject_id", "spent"], ["p2", 2022, "S1", 1]],  # lake: whole project
        "outcomes": [["project_id", "outcome_id", "metric_key", "value", "unit"],
                     ["p1", "O1", metric, 1, unit + "x"], ["p1", "O2", "no_such_metric", 1, "条"]],
        "figures": [["project_id", "figure_id", "kind", "figure", "scope", "label", "value", "unit"],
                    ["p1", "F1", "fact", "x", "subproject:S1", "x", 1, "个"],
                    ["p1", "F2", "fact", "x", "subproject:S9", "x", 1, "个"]],
        "findings": [["project_id", "finding_id", "kind", "title", "source"],
                     ["p1", "G1", "problem", "t", "report:a"], ["p1", "G2", "problem", "t", "report:zzz"]],
    })
    staged = ingest.stage("up.xlsx", data, root)

    class Whole(LakeIndex):  # every row of the lake, and the batch's own documents row
        def checked(self, table):
            return super().checked(table) + ([staged.document] if table == "documents" else [])

    expected = cross_check(list(staged.targets), Whole(root))
    context = staging.ImportContext(root, staging.project_ids_of(staged.targets), {"documents": [staged.document]})
    got = cross_check(list(staged.targets), context)
    assert got == expected
    assert {"duplicate_key_lake", "parent_level", "parent_missing", "unknown_reference", "budget_both",
            "unit_mismatch", "bad_scope"} <= set(codes(got))
    assert sum(p.code == "duplicate_key_lake" and p.table == "indicators" for p in got) == 2
    # the context held only the rows of the upload's projects (p2: its budget row), with their rows
    [parquet] = [c for c in context.checked("indicators") if c.file.endswith("b1.parquet")]
    assert sorted(set(parquet.frame["project_id"])) == ["p1", "p2", "p5", "p7"]
    assert parquet.frame["row_"].tolist() == [2, 3, 4, 5, 6, 7, 14, 15, 16, 20, 21, 22]
    # and stage found the same
    assert all(p in staged.problems for p in got)


# ---------------------------------------------------------------------------------------- template
@pytest.mark.parametrize("lang, help_sheet", [("zh", "说明"), ("en", "Help")])
def test_the_template_has_a_sheet_per_table_and_imports_empty_as_nothing(lake, lang, help_sheet):
    data = ingest.template_workbook(lang)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    names = [template.sheet_name(n, lang) for n in ingest.IMPORT_TABLES]
    assert wb.sheetnames[:len(names) + 1] == [help_sheet] + names
    assert wb.sheetnames[len(names) + 1:] == ([template.CATALOGUE_SHEET[0], template.LISTS_SHEET[0]] if lang == "zh"
                                              else [template.CATALOGUE_SHEET[1], template.LISTS_SHEET[1]])
    assert not any("grade_bands" in n for n in wb.sheetnames)
    help_text = "\n".join(str(c.value) for row in wb[help_sheet].iter_rows() for c in row if c.value)
    for words in ("万元", "0.7172", "YYYY-MM-DD", "import:", "one fact per row", "每行一条"):
        assert words in help_text
    first = next(wb[help_sheet].iter_rows(max_row=1, values_only=True))[0]
    assert (any("\u4e00" <= ch <= "\u9fff" for ch in first)) == (lang == "zh")
    for name in ingest.IMPORT_TABLES:
        ws, t = wb[template.sheet_name(name, lang)], schema.table(name)
        assert [c.value for c in ws[1]] == [template.header(c, lang) for c in t.columns]
        assert all(c.name in str(cell.value).split() for cell, c in zip(ws[1], t.columns))
        assert ws.freeze_panes == "A2" and ws.max_row == 1
        for cell, c in zip(ws[1], t.columns):
            note = cell.comment.text
            assert c.zh in note and c.en in note
            assert ("必填" in note) == c.required
            assert all(a in note for a in c.allowed) and (c.unit in note)
    staged = ingest.stage(f"template-{lang}.xlsx", data, lake)
    assert codes(staged.problems) == ["no_rows"] and staged.frames == {}


def test_a_filled_in_template_imports(lake):
    wb = openpyxl.load_workbook(io.BytesIO(ingest.template_workbook()))
    ws = wb["问题、建议与经验 findings"]
    row = dict(finding("IMP-1"), text="文字")
    ws.append([row.get(c) for c in schema.table("findings").column_names])
    buf = io.BytesIO()
    wb.save(buf)
    staged = ingest.stage("模板.xlsx", buf.getvalue(), lake)
    assert staged.ok and staged.rows == {"findings": 1, "documents": 1}


# ---------------------------------------------------------------------------------------- command line
def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_import_and_template(capsys, lake, tmp_path):
    good = tmp_path / "findings.csv"
    good.write_bytes(csv_bytes("findings", [finding("IMP-1")]))
    bad = tmp_path / "问题.csv"
    bad.write_bytes(csv_bytes("findings", [finding("IMP-2", kind="remark")]))
    before = digest(lake)

    code, out, _ = run(capsys, "--data", str(lake), "import", str(good), "--dry-run")
    assert code == 0 and "dry-run" in out and digest(lake) == before

    code, out, _ = run(capsys, "--data", str(lake), "import", str(bad), "--table", "findings")
    assert code == 1 and digest(lake) == before
    assert "问题.csv:2 [kind]" in out and '值/value="remark"' in out and "nothing was imported" in out

    code, out, _ = run(capsys, "--data", str(lake), "import", str(good), "--json")
    result = json.loads(out)
    assert code == 0 and result["ok"] and result["rows"] == {"findings": 1, "documents": 1}
    assert pathlib.Path(result["folder"]) == lake.resolve() / "imports" / result["batch"]
    assert (pathlib.Path(result["folder"]) / "findings.parquet").is_file()

    code, out, _ = run(capsys, "--data", str(lake), "import", str(good), "--json")  # the same rows again
    result = json.loads(out)
    assert code == 1 and not result["ok"] and result["batch"] is None
    assert {p["code"] for p in result["problems"]} == {"duplicate_key_lake"}

    assert run(capsys, "--data", str(lake), "import", str(tmp_path / "missing.xlsx"))[0] == 2
    assert run(capsys, "--data", str(lake), "import", str(good), "--table", "grade_bands")[0] == 2

    out_file = tmp_path / "模板.xlsx"
    code, out, _ = run(capsys, "template", str(out_file))
    assert code == 0 and openpyxl.load_workbook(out_file).sheetnames[0] == "说明"
    assert run(capsys, "template", str(out_file), "--lang", "en")[0] == 2  # will not overwrite
    assert run(capsys, "template", str(out_file), "--lang", "en", "--force")[0] == 0
    assert openpyxl.load_workbook(out_file).sheetnames[0] == "Help"
