"""What the import page shows of an upload (perfeval.views.imports): pure functions."""
from __future__ import annotations

import io

import pandas as pd

from perfeval.data.validation.problems import Problem
from perfeval.views import imports as ingest_view

P1 = Problem("福田.xlsx:indicators", 7, "weight", "五", "not_number", "「分值（weight）」应为数字，实际为「五」",
             "weight (weight) must be a number, got “五”", "indicators")
P2 = Problem("福田.xlsx:indicators", 7, "level", "4", "above_max", "「层级（level）」为 4，大于上限 3",
             "level (level) is 4, above the maximum 3", "indicators")
P3 = Problem("福田.xlsx:projects", None, "name", None, "missing_column", "缺少必填列：项目名称（name）",
             "required column name (name) is missing", "projects")


def test_problem_table_names_file_row_column_value_in_the_language():
    zh = ingest_view.problem_table([P1, P3], "zh")
    assert list(zh.columns) == [c for c, _, _ in ingest_view.PROBLEM_COLUMNS]
    assert zh.iloc[0].to_dict() == {"file": "福田.xlsx:indicators", "row": 7, "column": "weight", "value": "五",
                                    "message": P1.message_zh}
    assert pd.isna(zh.iloc[1]["row"]) and zh.iloc[1]["column"] == "name" and zh.iloc[1]["value"] == ""
    en = ingest_view.problem_table([P1], "en")
    assert en.iloc[0]["message"] == P1.message_en


def test_problem_table_of_no_problems_has_the_columns():
    df = ingest_view.problem_table([], "zh")
    assert df.empty and list(df.columns) == ["file", "row", "column", "value", "message"]


def test_problems_csv_opens_in_excel_with_both_languages():
    data = ingest_view.problems_csv([P1, P2, P3])
    assert data.startswith("\ufeff".encode("utf-8")), "a BOM, so Excel reads it as UTF-8"
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(df["问题"]) == [P1.message_zh, P2.message_zh, P3.message_zh]
    assert list(df["problem"]) == [P1.message_en, P2.message_en, P3.message_en]
    assert list(df["行 row"]) == ["7", "7", ""]
    assert list(df["值 value"]) == ["五", "4", ""]
    assert list(df["code"]) == ["not_number", "above_max", "missing_column"]


def test_headline_counts_problems_and_rows():
    zh = ingest_view.problems_headline([P1, P2, P3], "zh")
    assert "3 处问题" in zh and "涉及 1 行" in zh and "未导入任何数据" in zh
    en = ingest_view.problems_headline([P1, P2, P3], "en")
    assert "3 problems" in en and "in 1 rows" in en and "nothing was imported" in en


def test_rows_summary_names_tables_as_people_do():
    from perfeval.data import schema

    projects, indicators = schema.table("projects").zh, schema.table("indicators").zh
    assert ingest_view.rows_summary({"projects": 12, "indicators": 3600}, "zh") == \
        f"{projects}（projects） 12 行、{indicators}（indicators） 3,600 行"
    assert ingest_view.table_label("nonsense", "zh") == "nonsense"
    assert ingest_view.rows_summary({}, "en") == "no data rows"
    assert ingest_view.rows_summary({"budget": 1}, "en").endswith("(budget) 1 rows")


def test_not_real_kinds_reads_the_sources():
    frames = {"projects": pd.DataFrame({"source": ["import:b1", "report:x"]}),
              "budget": pd.DataFrame({"source": ["demo:city", None, "generated:bench"]}),
              "regions": pd.DataFrame({"name": ["a"]})}
    assert ingest_view.not_real_kinds(frames) == ["demo", "generated"]
    assert ingest_view.not_real_kinds({"projects": frames["projects"]}) == []



def test_batches_table():
    import pathlib

    from perfeval.data.imports.batches import BatchInfo

    infos = [BatchInfo("20261122-235322-edd32a", pathlib.Path("x"), {"projects": 1, "budget": 2}, ["南山.xlsx"],
                       who="futian", when="2026-11-22T23:53:22", file="南山.xlsx"),
             BatchInfo("hand-made", pathlib.Path("y"), {}, [], status="withdrawn", withdrawn_by="本机/local",
                       withdrawn_at="2026-11-23T08:00:00"),
             BatchInfo("20261120-000000-aaaaaa", pathlib.Path("z"), {}, ["a.csv"], status="withdrawn",
                       who="本机/local", when="2026-11-20T00:00:00", superseded_by="20261122-235322-edd32a")]
    df = ingest_view.batches_table(infos, "zh")
    assert df.iloc[0].to_dict() == {"batch": "20261122-235322-edd32a", "status": "有效", "when": "2026-11-22 23:53",
                                    "who": "futian", "file": "南山.xlsx",
                                    "rows": ingest_view.rows_summary({"projects": 1, "budget": 2}, "zh")}
    assert df.iloc[1]["when"] == "" and df.iloc[1]["rows"] == "没有数据行"
    assert df.iloc[1]["who"] == "未记录" and df.iloc[1]["status"] == "已撤回（本机，2026-11-23 08:00）"
    assert df.iloc[2]["status"] == "已被批次 20261122-235322-edd32a 替代" and df.iloc[2]["file"] == "a.csv"
    en = ingest_view.batches_table(infos, "en")
    assert list(en["status"]) == ["active", "withdrawn (local, 2026-11-23 08:00)",
                                  "superseded by batch 20261122-235322-edd32a"]
    assert list(en["who"]) == ["futian", "not recorded", "local"]
    assert ingest_view.batches_table([], "en").empty


def test_superseding_says_what_would_be_replaced():
    from perfeval.data.imports.ingest import SupersededBatch, SupersededProject, Superseding

    old = SupersededBatch("20261122-235322-edd32a", "南山.xlsx", "本机/local", "2026-11-22T23:53:22",
                          (("import:20261122-235322-edd32a", "南山.xlsx"),),
                          (SupersededProject("p1", "项目一", True), SupersededProject("p2", "项目二", False)))
    v = ingest_view.superseding(Superseding((old,)), "南山-更正.xlsx", "zh")
    assert v["ok"] and "「南山-更正.xlsx」中的项目已在数据湖中（批次 20261122-235322-edd32a）" in v["headline"]
    assert list(v["table"]["in_file"]) == ["是", "否：将一并撤回"]
    assert v["table"].iloc[0][["batch", "file", "when", "who", "project", "name"]].tolist() == [
        old.id, "南山.xlsx", "2026-11-22 23:53", "本机", "p1", "项目一"]
    assert v["table"].iloc[0]["document"] == "南山.xlsx（import:20261122-235322-edd32a）"
    assert "新文件中没有项目 p2" in v["note"] and v["refusals"] == []
    en = ingest_view.superseding(Superseding((old,)), "fix.xlsx", "en")
    assert "can supersede them" in en["headline"] and list(en["table"]["in_file"]) == ["yes", "no: withdrawn too"]
    assert en["table"].iloc[0]["who"] == "local" and "does not hold project p2" in en["note"]
    refused = Superseding((), (("属于随附的评价报告", "belongs to the bundled report"),))
    assert ingest_view.superseding(refused, "x.xlsx", "en")["refusals"] == ["belongs to the bundled report"]
    assert not ingest_view.superseding(refused, "x.xlsx", "zh")["ok"]


def test_batch_action_lines():
    assert "已撤回" in ingest_view.batch_action("withdraw", "b1", "zh")
    assert "was restored" in ingest_view.batch_action("restore", "b1", "en")
