"""The validator (perfeval.data.validation.validate): every check on small hand-made files, and the promises it makes
(rows as in Excel, both languages, agreement with DuckDB's casts, nothing written)."""
from __future__ import annotations

import csv
import hashlib
import io
import pathlib

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from perfeval.data import schema
from perfeval.data.validation import checks
from perfeval.data.validation import validate as v
from perfeval.data.validation.cross import parse_scope
from perfeval.data.validation.files import decode, table_of
from perfeval.data.validation.problems import MESSAGES

# A valid row per table used below (required columns only); a case changes one cell.
BASE = {
    "documents": {"source": "report:x", "kind": "report", "title": "报告"},
    "projects": {"project_id": "p1", "name": "项目", "short_name": "项目", "category": "反诈",
                 "province": "广东省", "region_code": "440304", "implementing_unit": "分局",
                 "evaluator": "机构", "evaluator_type": "自评", "period_start": "2022-01-01",
                 "period_end": "2022-12-31", "source": "report:x"},
    "budget": {"project_id": "p1", "year": "2022", "source": "report:x"},
    "targets": {"project_id": "p1", "target_id": "T1", "name": "目标", "source": "report:x"},
    "surveys": {"project_id": "p1", "survey_id": "SV1", "source": "report:x"},
    "outcomes": {"project_id": "p1", "outcome_id": "O1", "metric_key": "m1", "value": "1", "unit": "条",
                 "source": "report:x"},
}


def csv_bytes(table: str, rows: list[dict], columns: list[str] | None = None, encoding="utf-8") -> bytes:
    """A CSV of ``table`` with the schema's columns (or ``columns``), one line per dict."""
    cols = columns or schema.table(table).column_names
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([r.get(c, "") for c in cols])
    return buf.getvalue().encode(encoding)


def write(root: pathlib.Path, rel: str, table: str, rows: list[dict]) -> pathlib.Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(table, rows))
    return path


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# ---------------------------------------------------------------------------------------- reading
def test_decode_utf8_with_and_without_bom_and_gb18030():
    text = "名称,值\n反诈,1\n"
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8")
    assert decode(text.encode("gbk")) == (text, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        decode(b"\xff\xfe\x00\x81")


def test_gbk_upload_is_read_as_chinese():
    data = csv_bytes("targets", [dict(BASE["targets"], name="蓝马甲人员数", unit="人")], encoding="gbk")
    df, problems = v.validate_bytes("targets.csv", data)
    assert problems == []
    assert df.loc[0, "name"] == "蓝马甲人员数" and df.loc[0, "unit"] == "人"


def test_undecodable_bytes_are_rejected_with_a_message():
    df, problems = v.validate_bytes("targets.csv", b"project_id\n\xff\xfe\x00\x81\n")
    assert df is None
    assert codes(problems) == ["decode"]
    assert "UTF-8" in problems[0].message_zh and "GB18030" in problems[0].message_en


@pytest.mark.parametrize("path, table", [
    ("budget.csv", "budget"),
    ("seed/x/budget.csv", "budget"),
    ("demo/budget.parquet", "budget"),
    ("lake/budget/province=44/b-001.parquet", "budget"),
    ("lake/payments/budget.parquet", "budget"),   # the file's own name wins over its folder
    ("lake/budget/b-001.csv", None),               # a CSV is known by its name only (as the lake reads it)
    ("budget.xlsx", None),
    ("budgets.csv", None),
])
def test_table_is_told_from_the_file_name(path, table):
    t = table_of(path)
    assert (t.name if t else None) == table


def test_unknown_table_name():
    df, problems = v.validate_bytes("budgets.csv", csv_bytes("budget", [BASE["budget"]]))
    assert df is None and codes(problems) == ["unknown_table"]
    assert "budget" in problems[0].message_en


def test_empty_file():
    df, problems = v.validate_bytes("budget.csv", b"")
    assert df is None and codes(problems) == ["empty_file"]


# ---------------------------------------------------------------------------------------- header
def test_unknown_missing_and_repeated_columns():
    data = "project_id,yeer,source,source\np1,2022,report:x,report:x\n".encode()
    _, problems = v.validate_bytes("budget.csv", data)
    got = {(p.code, p.column) for p in problems}
    assert ("unknown_column", "yeer") in got
    assert ("missing_column", "year") in got        # required
    assert ("duplicate_column", "source") in got
    assert not any(p.column == "subproject_id" for p in problems)  # optional columns may be left out
    assert all(p.row == 1 for p in problems if p.code.endswith("_column"))


# ---------------------------------------------------------------------------------------- cells
CELL_CASES = [
    # table, column, value, expected code (None = no problem)
    ("budget", "year", "20x2", "not_integer"),
    ("budget", "year", "2022.5", "not_integer"),
    ("budget", "year", "2022.0", None),
    ("budget", "year", "1989", "below_min"),
    ("budget", "year", "99999999999", "not_integer"),
    ("budget", "initial_budget", "1,234.5", "not_number"),
    ("budget", "initial_budget", "71.72%", "not_number"),
    ("budget", "initial_budget", "NaN", "not_number"),
    ("budget", "initial_budget", "十万", "not_number"),
    ("budget", "initial_budget", "-1", "below_min"),
    ("budget", "initial_budget", "1e3", None),
    ("budget", "initial_budget", " 824.81 ", None),
    ("budget", "as_of", "2023/06/30", "not_date"),
    ("budget", "as_of", "2023-6-30", "not_date"),
    ("budget", "as_of", "2023-02-30", "not_date"),
    ("budget", "as_of", "2023-06-30", None),
    ("budget", "project_id", "", "required_empty"),
    ("budget", "project_id", "   ", "required_empty"),
    ("budget", "source", "tianjin-2022", "bad_source"),
    ("budget", "source", "report:", "bad_source"),
    ("budget", "source", "web:tianjin", "bad_source"),
    ("budget", "source", "import:batch-2024-01", None),
    ("targets", "stated_met", "是", "not_boolean"),
    ("targets", "stated_met", "TRUE", None),
    ("targets", "stated_met", "0", None),
    ("targets", "operator", "≥", "not_allowed"),
    ("targets", "operator", ">=", None),
    ("surveys", "awareness_rate", "59.59", "above_max"),
    ("surveys", "awareness_rate", "0.5959", None),
    ("surveys", "issued", "-3", "below_min"),
    ("projects", "region_code", "4403", "pattern"),
    ("projects", "reported_grade", "优秀", "not_allowed"),
    ("projects", "period_end", "2021-12-31", "period_order"),
    ("outcomes", "qualifier", "approx", "not_allowed"),
]


@pytest.mark.parametrize("table, column, value, code", CELL_CASES)
def test_cell_checks(table, column, value, code):
    row = dict(BASE[table], **{column: value})
    df, problems = v.validate_bytes(f"{table}.csv", csv_bytes(table, [row]))
    if code is None:
        assert problems == []
        return
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [(code, 2, column, value)]
    p = problems[0]
    assert p.file == f"{table}.csv" and p.table == table
    assert any("\u4e00" <= ch <= "\u9fff" for ch in p.message_zh)  # Chinese
    assert p.message_en.isascii() or column in p.message_en       # English (may quote the value)
    assert column in p.message_en
    if table != "documents":
        assert df is not None and pd.isna(df.loc[0, column]) or code in ("not_allowed", "pattern",
                                                                        "bad_source", "below_min",
                                                                        "above_max", "period_order",
                                                                        "required_empty")


def test_rate_given_as_percent_gets_a_hint():
    row = dict(BASE["surveys"], awareness_rate="59.59")
    _, problems = v.validate_bytes("surveys.csv", csv_bytes("surveys", [row]))
    assert "0.5959" in problems[0].message_zh and "0.5959" in problems[0].message_en


@pytest.mark.parametrize("type_, values", [
    ("DOUBLE", ["1", " 1 ", "1.5", "-3", "+2", ".5", "5.", "1e3", "1E-2", "1,234", "71.72%", "NaN", "inf",
                "0x10", "１２", "1_000", "abc"]),
    ("INTEGER", ["1", " 7 ", "-3", "+2", "2022.0", "1.5", "1e3", "0x10", "2147483647", "2147483648",
                 "1_000", "abc"]),
    ("DATE", ["2023-06-30", "2023-6-30", "2023/06/30", "2023-02-30", "20230630", "2023-06-30 10:00"]),
    ("BOOLEAN", ["true", "false", "TRUE", "False", "1", "0", "yes", " true ", "是"]),
])
def test_what_the_validator_accepts_duckdb_casts_exactly(type_, values):
    """A cell the validator lets through never breaks or changes in the lake's typed views."""
    c = schema.Column("x", type_, "x", "x")
    text, empty, bad, typed = checks._parse(pd.Series(values, dtype=object), c)
    con = duckdb.connect()
    for value, is_bad, parsed in zip(values, bad, typed):
        if is_bad:
            continue
        cast = con.execute(f"SELECT TRY_CAST(? AS {type_})", [value]).fetchone()[0]
        assert cast is not None, f"{value!r} accepted as {type_} but DuckDB cannot cast it"
        if type_ in ("DOUBLE", "INTEGER"):
            assert float(cast) == float(parsed), value
        elif type_ == "DATE":
            assert pd.Timestamp(cast) == parsed, value
        else:
            assert bool(cast) == bool(parsed), value
    assert bad.any()  # every list has values to reject


# ---------------------------------------------------------------------------------------- rows
def test_rows_are_counted_as_in_excel_even_with_multiline_cells_and_blank_lines():
    header = ",".join(schema.table("findings").column_names)
    data = (header + "\n"
            'p1,F1,problem,标题,"第一行\n第二行\n第三行",,report:x,\n'   # Excel row 2
            "\n"                                                         # Excel row 3 (blank)
            "p1,F2,remark,标题,,,report:x,\n").encode()                  # Excel row 4
    _, problems = v.validate_bytes("findings.csv", data)
    assert [(p.code, p.row, p.value) for p in problems] == [("not_allowed", 4, "remark")]


def test_wrong_number_of_fields():
    header = ",".join(schema.table("budget").column_names)
    data = (header + "\np1,2022,,,,1,,,,,report:x\n").encode()  # one field short
    _, problems = v.validate_bytes("budget.csv", data)
    assert [(p.code, p.row) for p in problems] == [("field_count", 2)]
    assert "11" in problems[0].message_zh and "12" in problems[0].message_en


def test_duplicate_key_within_a_file_names_the_first_row():
    rows = [BASE["targets"], dict(BASE["targets"], name="别的"), dict(BASE["targets"], target_id="T2")]
    _, problems = v.validate_bytes("targets.csv", csv_bytes("targets", rows))
    assert [(p.code, p.row) for p in problems] == [("duplicate_key", 3)]
    assert "第 2 行" in problems[0].message_zh and "row 2" in problems[0].message_en


def test_empty_key_parts_are_equal_for_duplicates():
    rows = [dict(BASE["budget"], received="1"), dict(BASE["budget"], spent="1")]  # same p1/2022/∅/∅
    _, problems = v.validate_bytes("budget.csv", csv_bytes("budget", rows))
    assert codes(problems) == ["duplicate_key"]


def test_typed_frame_has_schema_columns_and_types():
    row = dict(BASE["budget"], initial_budget="500", as_of="2023-06-30")
    df, problems = v.validate_bytes("budget.csv", csv_bytes("budget", [row], columns=list(row)))
    assert problems == []
    assert list(df.columns) == schema.table("budget").column_names
    assert df.loc[0, "year"] == 2022 and df.loc[0, "initial_budget"] == 500.0
    assert df.loc[0, "as_of"] == pd.Timestamp("2023-06-30")
    assert pd.isna(df.loc[0, "spent"]) and pd.isna(df.loc[0, "subproject_id"])
    assert df.attrs["rows"] == [2]


# ---------------------------------------------------------------------------------------- parquet
def parquet_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def test_parquet_with_native_types_is_valid():
    t = pa.table({"project_id": ["p1", "p1"], "year": pa.array([2021, 2022], pa.int32()),
                  "spent": [1.5, None], "as_of": pa.array([pd.Timestamp("2023-06-30").date()] * 2, pa.date32()),
                  "source": ["report:x"] * 2})
    df, problems = v.validate_bytes("lake/budget/b1.parquet", parquet_bytes(t))
    assert problems == []
    assert list(df["year"]) == [2021, 2022] and df.loc[0, "spent"] == 1.5 and pd.isna(df.loc[1, "spent"])


def test_parquet_problems_use_the_same_row_numbers():
    t = pa.table({"project_id": ["p1", "p1", "p1"], "year": ["2021", "twenty", "2021"],
                  "spent": [1.0, -2.0, 3.0], "source": ["report:x"] * 3})
    _, problems = v.validate_bytes("budget.parquet", parquet_bytes(t))
    assert [(p.code, p.row, p.column) for p in problems] == [
        ("not_integer", 3, "year"), ("below_min", 3, "spent"), ("duplicate_key", 4, "project_id,year,"
                                                                                  "subproject_id,fund_source")]


def test_broken_parquet():
    df, problems = v.validate_bytes("budget.parquet", b"PAR1 not really")
    assert df is None and codes(problems) == ["parquet_unreadable"]


# ---------------------------------------------------------------------------------------- lake-wide
@pytest.fixture()
def lake(tmp_path):
    """A small valid lake: catalogue, two projects, sub-projects, budget, indicators, figures."""
    root = tmp_path / "data"
    write(root, "catalog/documents.csv", "documents",
          [{"source": "report:x", "kind": "report", "title": "报告"}])
    write(root, "catalog/metrics.csv", "metrics",
          [{"metric_key": "m1", "name_zh": "拦截", "name_en": "calls", "unit": "条", "category": "拦截",
            "direction": "higher", "source": "report:x"}])
    write(root, "seed/x/projects.csv", "projects", [BASE["projects"], dict(BASE["projects"], project_id="p2")])
    write(root, "seed/x/subprojects.csv", "subprojects",
          [{"project_id": "p1", "subproject_id": "S1", "name": "子项目", "source": "report:x"}])
    write(root, "seed/x/budget.csv", "budget", [
        dict(BASE["budget"], subproject_id="S1", initial_budget="100"),
        dict(BASE["budget"], received="90", spent="80"),
    ])
    write(root, "seed/x/indicators.csv", "indicators", [
        {"project_id": "p1", "code": "A", "level": "1", "name": "决策", "source": "report:x"},
        {"project_id": "p1", "code": "A1", "parent_code": "A", "level": "2", "name": "立项", "source": "report:x"},
        {"project_id": "p1", "code": "A11", "parent_code": "A1", "level": "3", "name": "依据", "weight": "100",
         "source": "report:x"},
    ])
    write(root, "seed/x/outcomes.csv", "outcomes", [BASE["outcomes"]])
    write(root, "seed/x/figures.csv", "figures", [
        {"project_id": "p1", "figure_id": f"F{i}", "kind": "derived", "figure": "f", "scope": s, "label": "l",
         "value": "1", "unit": "%", "source": "report:x"}
        for i, s in enumerate(["total", "year:2022", "subproject:S1", "indicator:A1", "metric:m1",
                               "level:2;indicator:A", " year:2022 ; metric:m1 "])
    ])
    return root


def test_the_fixture_lake_is_valid(lake):
    report = v.validate_folder(lake)
    assert report.problems == []
    assert report.files == 8 and report.rows == 18


def test_a_key_repeated_in_another_file(lake):
    write(lake, "lake/projects/more.csv", "projects", [])  # a CSV under a folder is not a projects file
    path = write(lake, "seed/y/projects.csv", "projects", [dict(BASE["projects"], name="另一个")])
    report = v.validate_folder(lake, shown="data")
    dup = [p for p in report.problems if p.code == "duplicate_key_lake"]
    assert [(p.file, p.row) for p in dup] == [("data/seed/y/projects.csv", 2)]
    assert "data/seed/x/projects.csv" in dup[0].message_zh and "row 2" in dup[0].message_en
    assert path.exists()


@pytest.mark.parametrize("rel, table, row, code, column", [
    ("seed/x/outcomes2/outcomes.csv", "outcomes", dict(BASE["outcomes"], outcome_id="O2", metric_key="m9"),
     "unknown_reference", "metric_key"),
    ("seed/x/outcomes2/outcomes.csv", "outcomes", dict(BASE["outcomes"], outcome_id="O2", unit="万条"),
     "unit_mismatch", "unit"),
    ("seed/x/outcomes2/outcomes.csv", "outcomes", dict(BASE["outcomes"], outcome_id="O2", project_id="p9"),
     "unknown_reference", "project_id"),
    ("seed/x/outcomes2/outcomes.csv", "outcomes", dict(BASE["outcomes"], outcome_id="O2", source="report:y"),
     "unknown_reference", "source"),
    ("seed/x/b2/budget.csv", "budget", dict(BASE["budget"], project_id="p2", subproject_id="S1"),
     "unknown_reference", "subproject_id"),   # S1 belongs to p1, not p2
    ("seed/x/b2/budget.csv", "budget", dict(BASE["budget"], fund_source="专项", initial_budget="20"),
     "budget_both", "initial_budget"),         # p1 2022 has initial_budget on S1 already
    ("seed/x/i2/indicators.csv", "indicators",
     {"project_id": "p1", "code": "B1", "parent_code": "B", "level": "2", "name": "n", "source": "report:x"},
     "parent_missing", "parent_code"),
    ("seed/x/i2/indicators.csv", "indicators",
     {"project_id": "p2", "code": "A1", "parent_code": "A", "level": "2", "name": "n", "source": "report:x"},
     "parent_missing", "parent_code"),         # A exists, but in p1
    ("seed/x/i2/indicators.csv", "indicators",
     {"project_id": "p1", "code": "A12", "parent_code": "A", "level": "3", "name": "n", "source": "report:x"},
     "parent_level", "parent_code"),
    ("seed/x/i2/indicators.csv", "indicators",
     {"project_id": "p1", "code": "B", "parent_code": "A", "level": "1", "name": "n", "source": "report:x"},
     "parent_forbidden", "parent_code"),
    ("seed/x/i2/indicators.csv", "indicators",
     {"project_id": "p1", "code": "B1", "level": "2", "name": "n", "source": "report:x"},
     "parent_required", "parent_code"),
    ("catalog/d2/documents.csv", "documents", {"source": "demo:z", "kind": "report", "title": "t"},
     "document_kind", "kind"),
])
def test_cross_checks(lake, rel, table, row, code, column):
    write(lake, rel, table, [row])
    report = v.validate_folder(lake)
    assert [(p.code, p.column, p.row) for p in report.problems] == [(code, column, 2)]
    assert report.problems[0].file.endswith(rel)


def test_budget_rule_blames_the_new_rows_when_checking_one_file(lake, tmp_path):
    new = tmp_path / "budget.csv"
    new.write_bytes(csv_bytes("budget", [dict(BASE["budget"], subproject_id="S1", fund_source="专项", spent="5"),
                                         dict(BASE["budget"], year="2023", subproject_id="S1", spent="5")]))
    problems = v.validate_file(new, lake).problems
    # p1 2022 has `spent` for the whole project already (data/seed/x/budget.csv); 2023 has none
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [("budget_both", 2, "spent", "5")]
    assert "2022" in problems[0].message_zh and "S1" in problems[0].message_en


@pytest.mark.parametrize("scope, ok", [
    ("total", True), ("year:2023", True), ("level:3;indicator:A11", True),
    ("Total", False), ("yaer:2022", False), ("year:22", False), ("level:4", False), ("year", False),
    ("year:2022;year:2023", False), ("subproject:S9", False), ("indicator:Z", False), ("metric:m9", False),
    ("survey:SV1", False), ("", None),
])
def test_figure_scopes(lake, scope, ok):
    write(lake, "seed/x/f2/figures.csv", "figures", [
        {"project_id": "p1", "figure_id": "G1", "kind": "fact", "figure": "f", "scope": scope, "label": "l",
         "value": "1", "unit": "%", "source": "report:x"}])
    problems = v.validate_folder(lake).problems
    if ok is None:
        assert codes(problems) == ["required_empty"]
    elif ok:
        assert problems == []
    else:
        assert [(p.code, p.value) for p in problems] == [("bad_scope", scope)]
        assert problems[0].message_zh and problems[0].message_en


def test_parse_scope():
    assert parse_scope("total") == ({}, None)
    assert parse_scope("year:2022;metric:campaigns_held") == ({"year": "2022", "metric": "campaigns_held"}, None)
    parts, reason = parse_scope("year:2022;yaer:2022")
    assert parts == {} and "yaer" in reason[0] and "yaer" in reason[1]


def test_gb18030_csv_inside_the_lake_is_an_error(lake):
    (lake / "seed/x/outcomes.csv").write_bytes(csv_bytes("outcomes", [BASE["outcomes"]], encoding="gb18030"))
    problems = v.validate_folder(lake).problems
    assert codes(problems) == ["encoding_not_utf8"]


def test_one_file_is_checked_against_the_lake(lake, tmp_path):
    outside = tmp_path / "upload" / "outcomes.csv"
    outside.parent.mkdir()
    outside.write_bytes(csv_bytes("outcomes", [BASE["outcomes"], dict(BASE["outcomes"], outcome_id="O3",
                                                                      metric_key="m9")], encoding="gbk"))
    report = v.validate_file(outside, lake)
    # GBK is fine outside the lake; O1 repeats the lake's row; m9 is not in the catalogue
    assert [(p.code, p.row) for p in report.problems] == [("duplicate_key_lake", 2), ("unknown_reference", 3)]
    # a file inside the lake is not compared with itself
    assert v.validate_file(lake / "seed/x/outcomes.csv", lake).problems == []
    # without a lake, references to other tables are not checked
    assert [p.code for p in v.validate_file(outside).problems] == []


def test_a_sub_folder_is_checked_against_its_lake(lake):
    assert v.validate_folder(lake / "seed", lake=lake).problems == []
    alone = v.validate_folder(lake / "seed").problems
    # without the catalogue, sources and metrics are unknown
    assert {(p.code, p.column) for p in alone} == {("unknown_reference", "source"),
                                                   ("unknown_reference", "metric_key"), ("bad_scope", "scope")}


def test_validation_writes_nothing(lake):
    (lake / "seed/x/budget.csv").write_bytes(b"project_id,year\np1,20x2\n\xff\n")

    def snapshot():
        return {str(p.relative_to(lake)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(lake.rglob("*")) if p.is_file()} | {"_dirs": sorted(str(d) for d in lake.rglob("*") if d.is_dir())}

    before = snapshot()
    assert v.validate_folder(lake).problems
    v.validate_file(lake / "seed/x/budget.csv", lake)
    assert snapshot() == before


def test_a_table_appended_to_the_schema_is_checked(monkeypatch):
    extra = schema.Table("extra_things", "附加", "extra", ("project_id", "thing_id"), columns=(
        schema.PROJECT_ID,
        schema.Column("thing_id", "VARCHAR", "编号", "id", required=True),
        schema.Column("share", "DOUBLE", "占比", "share", min=0, max=1),
        schema.SOURCE,
    ))
    monkeypatch.setattr(schema, "TABLES", schema.TABLES + (extra,))
    monkeypatch.setitem(schema.TABLE_BY_NAME, "extra_things", extra)
    data = csv_bytes("extra_things", [{"project_id": "p1", "thing_id": "1", "share": "12", "source": "report:x"},
                                      {"project_id": "p1", "thing_id": "1", "share": "0.5", "source": "x"}])
    _, problems = v.validate_bytes("extra_things.csv", data)
    assert [(p.code, p.row) for p in problems] == [("above_max", 2), ("duplicate_key", 3), ("bad_source", 3)]


def test_every_message_formats_in_both_languages():
    for code, (zh, en) in MESSAGES.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), code
        assert en and not any("\u4e00" <= ch <= "\u9fff" for ch in en.replace("{", "").split("}")[0]), code
