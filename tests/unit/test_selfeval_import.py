"""The national 项目支出绩效自评表 (财预〔2020〕10号) as an import (perfeval.data.imports.selfeval): workbooks laid out
as finance bureaus and WPS users publish them, built here with openpyxl, recognised by their labels and imported
into an empty lake through the ordinary path (staging.stage → ingest.commit); a bad value is a problem naming
file, sheet, row, column and value in Chinese and English and changes nothing on disk."""
from __future__ import annotations

import hashlib
import io
import json
import pathlib

import openpyxl
import pandas as pd
import pytest

from perfeval import cli
from perfeval.data.gate import DataGate, Scope
from perfeval.data.imports import ingest, selfeval, staging
from perfeval.data.lake import Lake

INDICATORS = (
    ("产出指标", "数量指标", "指标1：开展禁毒宣传活动次数", "≥20次", "25次", 20, 20, "无"),
    ("产出指标", "质量指标", "指标1：宣传覆盖率", "≥95%", "96%", 20, 20, None),
    ("产出指标", "时效指标", "指标1：案件办理时限", "≤10个工作日", "8个工作日", 10, 10, None),
    ("产出指标", "质量指标", "指标2：系统可用率", "100%", "100%", 10, 10, None),
    ("效益指标", "社会效益指标", "指标1：毒品案件发案率是否下降", "是", "是", 20, 18,
     "偏差原因：部分乡镇宣传不到位；改进措施：加强乡镇宣传"),
    ("满意度指标", "服务对象满意度指标", "指标1：群众满意度", "≥90%", "93%", 10, 9.5, None),
)
MONEY = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
BUDGET = (("年度资金总额", 100, 120, 114, 10, "95%", 9.5),
          ("其中：当年财政拨款", 100, 120, 114, None, None, None),
          ("上年结转资金", None, None, None, None, None, None),
          ("其他资金", None, None, None, None, None, None))


def form(ws, r0: int = 1, c0: int = 1, *, year: int = 2022, name: str = "宣城市2022年禁毒工作经费项目",
         supervising: str = "宣城市公安局", implementing: str = "宣城市公安局禁毒支队", budget=BUDGET,
         indicators=INDICATORS, total=(100, 97), extra=(), labels: dict | None = None, order=MONEY,
         inline: bool = False, above: str | None = None) -> int:
    """Write one 自评表 block into ``ws`` with its top-left cell at (r0, c0), merged as the published form is;
    ``labels`` replaces label texts (spaces, line breaks, brackets); ``extra`` adds (label, value) rows after
    实施单位; ``order``: the money columns' order; ``inline``: 「项目名称：…」 with its value in one cell; ``above``: a
    line between the title and the table (填报单位 / 填报日期). Returns the block's last row."""
    lab = dict(labels or {})

    def put(r, c, v):
        if v is not None:
            ws.cell(r0 + r, c0 + c, lab.get(v, v) if isinstance(v, str) else v)

    def merge(r, c, r2, c2):
        ws.merge_cells(start_row=r0 + r, start_column=c0 + c, end_row=r0 + r2, end_column=c0 + c2)

    put(0, 0, "项目支出绩效自评表"); merge(0, 0, 0, 8)
    put(1, 0, f"（{year}年度）" if above is None else above); merge(1, 0, 1, 8)
    if inline:
        put(2, 0, f"项目名称：{name}"); merge(2, 0, 2, 8)
        put(3, 0, f"主管部门：{supervising}"); merge(3, 0, 3, 4)
        put(3, 5, f"实施单位：{implementing}"); merge(3, 5, 3, 8)
    else:
        put(2, 0, "项目名称"); merge(2, 0, 2, 1); put(2, 2, name); merge(2, 2, 2, 8)
        put(3, 0, "主管部门"); merge(3, 0, 3, 1); put(3, 2, supervising); merge(3, 2, 3, 4)
        put(3, 5, "实施单位"); put(3, 6, implementing); merge(3, 6, 3, 8)
    r = 4
    for label, value in extra:
        put(r, 0, label); merge(r, 0, r, 1); put(r, 2, value); merge(r, 2, r, 8)
        r += 1
    put(r, 0, "项目资金（万元）"); merge(r, 0, r + len(budget), 1)
    for j, h in enumerate(order, start=3):
        put(r, j, h)
    for i, row in enumerate(budget, start=r + 1):
        put(i, 2, row[0])
        for h, v in zip(MONEY, row[1:]):
            put(i, 3 + order.index(h), v)
    g = r + 1 + len(budget)
    put(g, 0, "年度总体目标"); merge(g, 0, g + 1, 0)
    put(g, 1, "预期目标"); merge(g, 1, g, 4); put(g, 5, "实际完成情况"); merge(g, 5, g, 8)
    put(g + 1, 1, "全年开展禁毒宣传20次以上，毒品案件发案率下降。"); merge(g + 1, 1, g + 1, 4)
    put(g + 1, 5, "开展宣传25次，发案率下降8%。"); merge(g + 1, 5, g + 1, 8)
    h = g + 2
    put(h, 0, "绩效指标"); merge(h, 0, h + len(indicators), 0)
    for j, text in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                              "偏差原因分析及改进措施"], start=1):
        put(h, j, text)
    for i, row in enumerate(indicators, start=h + 1):
        for j, v in enumerate(row, start=1):
            put(i, j, v)
    start = h + 1  # the 一级指标 of a group merged down, as published
    for i in range(h + 2, h + 2 + len(indicators)):
        if i == h + 1 + len(indicators) or indicators[i - h - 1][0] != indicators[start - h - 1][0]:
            if i - 1 > start:
                for k in range(start + 1, i):
                    ws.cell(r0 + k, c0 + 1).value = None
                merge(start, 1, i - 1, 1)
            start = i
    t = h + 1 + len(indicators)
    put(t, 0, "总分"); merge(t, 0, t, 5); put(t, 6, total[0]); put(t, 7, total[1])
    return r0 + t


def workbook(*sheets) -> bytes:
    """A workbook of (sheet name, [form keyword arguments, …]) entries, the blocks of a sheet one under another."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, blocks in sheets:
        ws = wb.create_sheet(name)
        r = 1
        for kw in blocks:
            kw = dict(kw)
            last = form(ws, kw.pop("r0", r), kw.pop("c0", 1), **kw)
            r = last + 3
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture()
def lake(tmp_path) -> pathlib.Path:
    """An empty lake."""
    root = tmp_path / "lake"
    root.mkdir()
    return root


def digest(root: pathlib.Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def imported(lake: pathlib.Path, filename: str, data: bytes):
    staged = staging.stage(filename, data, lake)
    assert staged.problems == []
    ingest.commit(staged, lake)
    gate = DataGate(Lake(lake))
    return staged, lambda name: gate.table(name, Scope.everything())


def q_of(lake: pathlib.Path):
    gate = DataGate(Lake(lake))
    return lambda name, **params: gate.query(name, Scope.everything(), **params)


# ---------------------------------------------------------------------------------------------- recognition
def test_a_form_as_published_imports_into_an_empty_lake_with_every_value_where_it_belongs(lake):
    data = workbook(("禁毒经费", [dict(r0=3, c0=2)]))  # the block starts at B3, the sheet is named as the person likes
    assert selfeval.is_selfeval("宣城.xlsx", data)
    staged, table = imported(lake, "宣城.xlsx", data)
    assert staged.rows == {"documents": 1, "projects": 1, "budget": 1, "indicators": 15, "targets": 6,
                           "figures": 4, "findings": 2}

    p = table("projects").iloc[0]
    assert (p["name"], p["supervising_unit"], p["implementing_unit"], p["evaluator"]) == (
        "宣城市2022年禁毒工作经费项目", "宣城市公安局", "宣城市公安局禁毒支队", "宣城市公安局禁毒支队")
    assert (p["evaluator_type"], p["category"], p["region_code"], p["province"], p["city"]) == (
        "自评", "禁毒", "341800", "安徽省", "宣城市")
    assert (str(p["period_start"])[:10], str(p["period_end"])[:10]) == ("2022-01-01", "2022-12-31")
    assert p["reported_total_score"] == 97 and p["tree_depth"] == 3
    assert p["goal"] == "全年开展禁毒宣传20次以上，毒品案件发案率下降。"
    assert p["goal_result"] == "开展宣传25次，发案率下降8%。"
    doc = table("documents").iloc[0]
    assert (doc["kind"], doc["source_type"], doc["file"]) == ("import", "self_evaluation", "宣城.xlsx")

    # 其中：当年财政拨款 adds up to 年度资金总额: one budget row by fund source; received empty (the form has no 到位)
    b = table("budget")
    assert b[["year", "fund_source", "initial_budget", "adjusted_budget", "spent"]].values.tolist() == [
        [2022, "当年财政拨款", 100.0, 120.0, 114.0]]
    assert b["received"].isna().all()
    f = table("figures").set_index("figure")
    assert f.loc["execution_rate", "value"] == pytest.approx(0.95) and f.loc["execution_rate", "unit"] == "%"
    assert f.loc["execution_rate", "kind"] == "derived" and f.loc["execution_rate", "scope"] == "total"
    assert f.loc["spent_total", "value"] == 114 and f.loc["adjusted_budget_total", "value"] == 120

    ind = table("indicators").set_index("code")
    assert ind.loc["0", ["level", "name", "weight", "reported_score"]].tolist() == [1, "预算执行率", 10, 9.5]
    assert ind.loc["1", ["level", "name"]].tolist() == [1, "产出指标"]
    assert ind.loc["1.2", ["parent_code", "name"]].tolist() == ["1", "质量指标"]
    assert ind.loc["1.2.2", ["parent_code", "name", "weight"]].tolist() == ["1.2", "系统可用率", 10]
    assert ind.loc["2.1.1", ["name", "weight", "reported_score"]].tolist() == ["毒品案件发案率是否下降", 20, 18]
    assert ind["weight"].sum() == 100  # 分值 of the leaves and of the budget row

    t = table("targets").set_index("name")
    rows = t[["operator", "target_value", "unit", "target_text", "actual_value", "actual_text"]]
    assert rows.loc["开展禁毒宣传活动次数"].tolist() == [">=", 20, "次", "≥20次", 25, "25次"]
    assert rows.loc["宣传覆盖率"].tolist() == [">=", 0.95, "%", "≥95%", 0.96, "96%"]
    assert rows.loc["案件办理时限"].tolist() == ["<=", 10, "个工作日", "≤10个工作日", 8, "8个工作日"]
    assert rows.loc["系统可用率"].tolist() == ["=", 1.0, "%", "100%", 1.0, "100%"]
    assert rows.loc["毒品案件发案率是否下降"].tolist() == ["=", 1.0, "", "是", 1.0, "是"] or \
        rows.loc["毒品案件发案率是否下降", "target_text"] == "是"
    assert t.loc["宣传覆盖率", "indicator_code"] == "1.2.1" and t.loc["宣传覆盖率", "category"] == "产出指标/质量指标"
    assert set(t["year"]) == {2022}

    fi = table("findings").sort_values("kind")
    assert fi[["kind", "text", "indicator_code"]].values.tolist() == [
        ["problem", "部分乡镇宣传不到位", "2.1.1"], ["recommendation", "加强乡镇宣传", "2.1.1"]]


def test_two_projects_in_one_sheet_and_one_sheet_per_project_any_names(lake):
    data = workbook(
        ("表1", [dict(name="反诈宣传经费", implementing="东方市公安局反诈中心", supervising="东方市公安局"),
                 dict(name="反诈预警平台运维经费", implementing="东方市公安局科技信息化大队", supervising="东方市公安局",
                      year=2022)]),
        ("平台运维（2）", [dict(name="雪亮工程视频监控运维", supervising="重庆市公安局", implementing="丰都县公安局",
                              year=2023, c0=3, r0=4)]),
    )
    staged, table = imported(lake, "三个项目.xlsx", data)
    p = table("projects").set_index("name")
    assert sorted(p.index) == ["反诈宣传经费", "反诈预警平台运维经费", "雪亮工程视频监控运维"]
    assert p.loc["反诈宣传经费", ["region_code", "category", "period_start"]].astype(str).tolist() == [
        "469007", "反诈", "2022-01-01 00:00:00"] or str(p.loc["反诈宣传经费", "region_code"]) == "469007"
    assert p.loc["雪亮工程视频监控运维", "region_code"] == "500230"  # 丰都县, below 重庆市
    assert p.loc["雪亮工程视频监控运维", "category"] == "雪亮工程"
    assert str(p.loc["雪亮工程视频监控运维", "period_end"])[:10] == "2023-12-31"
    assert p.loc["雪亮工程视频监控运维", "note"].startswith("自评表 平台运维（2）!C")
    assert len(table("documents")) == 1  # the workbook is the batch's one document
    assert table("budget").groupby("project_id").size().tolist() == [1, 1, 1]
    assert len(table("indicators")) == 3 * 15


def test_labels_with_spaces_line_breaks_half_width_brackets_and_another_column_order(lake):
    labels = {"项目名称": "项 目 名 称", "全年预算数": "全年预算数\n（A）", "全年执行数": "全年执行数(B)",
              "执行率": "执行率\n(B/A)", "项目资金（万元）": "项目资金\n(万元)", "偏差原因分析及改进措施": "偏差原因分析\n及改进措施",
              "年度指标值": "年度\n指标值", "实施单位": "实施单位："}
    data = workbook(("Sheet1", [dict(labels=labels)]))
    _, table = imported(lake, "wps.xlsx", data)
    assert table("budget")[["adjusted_budget", "spent"]].values.tolist() == [[120.0, 114.0]]
    assert table("projects")["implementing_unit"].tolist() == ["宣城市公安局禁毒支队"]
    # the money columns in another order: 得分, 全年执行数, 执行率 … 年初预算数
    order = ("得分", "全年执行数", "执行率", "全年预算数", "分值", "年初预算数")
    parts, problems = selfeval.read_selfeval("swapped.xlsx", workbook(("Sheet1", [dict(order=order)])))
    assert problems == []
    budget_part = next(p for p in parts if p.table.name == "budget")
    assert budget_part.raw[["initial_budget", "adjusted_budget", "spent"]].values.tolist() == [["100", "120", "114"]]
    rate = next(p for p in parts if p.table.name == "figures").raw.set_index("figure").loc["execution_rate", "value"]
    assert rate == "0.95"


def test_labels_with_their_value_in_one_cell_and_a_fill_in_date_that_is_not_the_year(lake):
    data = workbook(("S", [dict(inline=True, name="禁毒经费", above="填报单位：宣城市公安局　填报日期：2023年3月1日")]))
    staged, table = imported(lake, "宣城禁毒经费2022年度.xlsx", data)
    p = table("projects").iloc[0]
    assert (p["name"], p["supervising_unit"], p["implementing_unit"]) == ("禁毒经费", "宣城市公安局", "宣城市公安局禁毒支队")
    assert str(p["period_start"])[:4] == "2022"  # the file's name, not the date the form was filled in


def test_recognised_by_the_layout_not_by_the_sheet_name(lake):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目支出绩效自评表"
    ws.append(["项目名称", "某项目"])
    ws.append(["主管部门", "某局"])  # a few of the labels only: not the form
    buf = io.BytesIO()
    wb.save(buf)
    assert not selfeval.is_selfeval("x.xlsx", buf.getvalue())
    staged = staging.stage("x.xlsx", buf.getvalue(), lake)
    assert "unknown_sheet" in [p.code for p in staged.problems]
    assert selfeval.is_selfeval("y.xlsx", workbook(("随便什么名字", [{}])))


def test_the_xls_and_et_path_reads_the_same_cells():
    """.xls / .et are read with python-calamine (no writer of those formats is installed here, so the bytes are an
    .xlsx, which calamine reads by its content): the same values and merged ranges as openpyxl's, so the same rows."""
    from perfeval.data.imports.selfeval_cells import read_grids

    data = workbook(("禁毒经费", [dict(r0=3, c0=2)]))
    a, b = read_grids("x.xlsx", data)[0], read_grids("x.et", data)[0]
    assert a.values == b.values and a.top == b.top
    parts_a, _ = selfeval.read_selfeval("x.xlsx", data)
    parts_b, _ = selfeval.read_selfeval("x.xls", data)
    assert [(p.table.name, p.raw.to_dict("list")) for p in parts_a if p.table.name != "documents"] == \
        [(p.table.name, p.raw.to_dict("list")) for p in parts_b if p.table.name != "documents"]


def test_a_template_workbook_is_not_read_as_a_form(lake):
    from perfeval.data.imports.template import template_workbook

    assert not selfeval.is_selfeval("模板.xlsx", template_workbook())


def test_amounts_written_in_yuan_are_kept_in_wan(lake):
    data = workbook(("东方", [dict(labels={"项目资金（万元）": "项目资金（元）"},
                                 budget=(("年度资金总额", 1810000, 1810000, 1629000, None, "90%", None),))]))
    _, table = imported(lake, "元.xlsx", data)
    b = table("budget").iloc[0]
    assert (b["initial_budget"], b["adjusted_budget"], b["spent"]) == (181.0, 181.0, 162.9)
    assert "元" in b["note"]


# ---------------------------------------------------------------------------------------------- bad input
def test_a_bad_value_names_file_sheet_row_column_and_value_and_changes_nothing(lake):
    budget = (("年度资金总额", 100, 120, "一百一十四", 10, "95%", 9.5),) + BUDGET[1:]
    data = workbook(("禁毒经费", [dict(r0=3, c0=2, budget=budget)]))
    before = digest(lake)
    staged = staging.stage("宣城.xlsx", data, lake)
    bad = [p for p in staged.problems if p.code == "selfeval_amount"]
    assert len(bad) == 1
    p = bad[0]
    # the block starts at B3: 项目资金 is row 7, 年度资金总额 row 8, 全年执行数 column B + 5 = G
    assert (p.file, p.row, p.column, p.value) == ("宣城.xlsx:禁毒经费", 8, "G（全年执行数）", "一百一十四")
    assert "第 8 行" in p.message_zh and "G 列" in p.message_zh and "全年执行数" in p.message_zh
    assert "一百一十四" in p.message_zh
    assert "row 8" in p.message_en and "column G" in p.message_en and "一百一十四" in p.message_en
    assert "full-year spending" in p.message_en
    with pytest.raises(ingest.ImportRefused):
        ingest.commit(staged, lake)
    assert digest(lake) == before


def test_a_bad_rate_and_a_bad_score_are_problems_too(lake):
    budget = (("年度资金总额", 100, 120, 114, 10, "约95%", 9.5),) + BUDGET[1:]
    indicators = INDICATORS[:1] + (("产出指标", "质量指标", "宣传覆盖率", "≥95%", "96%", 20, "满分", None),)
    staged = staging.stage("x.xlsx", workbook(("S", [dict(budget=budget, indicators=indicators)])), lake)
    found = {(p.code, p.column, p.value) for p in staged.problems}
    assert ("selfeval_rate", "H（执行率）", "约95%") in found
    assert ("selfeval_score", "H（得分）", "满分") in found


def test_the_schema_checks_of_a_forms_rows_name_the_forms_cell(lake):
    budget = (("年度资金总额", 100, 120, -5, 10, "95%", 9.5),)
    indicators = INDICATORS[:1] + (("产出指标", "质量指标", "宣传覆盖率", "≥95%", "96%", 150, 20, None),)
    staged = staging.stage("x.xlsx", workbook(("S", [dict(budget=budget, indicators=indicators)])), lake)
    found = {(p.code, p.row, p.column, p.value) for p in staged.problems}
    assert ("below_min", 6, "F（全年执行数）spent", "-5") in found
    assert ("above_max", 11, "G（分值）weight", "150") in found
    below = next(p for p in staged.problems if p.code == "below_min")
    assert below.message_zh.startswith("F 列「全年执行数」：") and below.message_en.startswith("column F (full-year spending): ")


def test_a_form_without_a_place_asks_for_the_region_and_a_region_code_row_answers(lake):
    staged = staging.stage("x.xlsx", workbook(("S", [dict(supervising="市公安局", implementing="禁毒支队",
                                                            name="禁毒经费")])), lake)
    assert [p.code for p in staged.problems] == ["selfeval_region"]
    p = staged.problems[0]
    assert p.file == "x.xlsx:S" and p.row == 3 and "行政区划代码" in p.message_zh and "region code" in p.message_en
    before = digest(lake)
    with pytest.raises(ingest.ImportRefused):
        ingest.commit(staged, lake)
    assert digest(lake) == before

    data = workbook(("S", [dict(supervising="市公安局", implementing="禁毒支队", name="禁毒经费",
                                extra=(("行政区划代码", "341802"),))]))
    _, table = imported(lake, "y.xlsx", data)
    assert table("projects")[["region_code", "district"]].values.tolist() == [["341802", "宣州区"]]


def test_a_name_that_says_no_category_asks_for_it(lake):
    staged = staging.stage("x.xlsx", workbook(("S", [dict(name="宣城市专项经费")])), lake)
    assert [(p.code, p.value) for p in staged.problems] == [("selfeval_category", "宣城市专项经费")]
    _, table = imported(lake, "y.xlsx", workbook(("S", [dict(name="宣城市专项经费", extra=(("项目类别", "其他"),))])))
    assert table("projects")["category"].tolist() == ["其他"]


def test_a_grade_row_some_forms_add_is_the_reported_grade(lake):
    _, table = imported(lake, "y.xlsx", workbook(("S", [dict(extra=(("自评等级", "优秀"),))])))
    assert table("projects")["reported_grade"].tolist() == ["优"]
    staged = staging.stage("z.xlsx", workbook(("S", [dict(name="宣城市禁毒经费", extra=(("自评等级", "很好"),))])), lake)
    assert [(p.code, p.row, p.column, p.value) for p in staged.problems] == [("selfeval_grade", 5, "C（自评等级）", "很好")]


def test_a_formula_without_a_stored_result_is_read_as_written_never_dropped(lake):
    """A workbook written by a program stores no result for a formula: 「=512人」 typed into 年度指标值 is the
    target it says; 「=F6/E6」 in 执行率 is a problem naming it (open and save the file in Excel or WPS)."""
    rows = (("产出指标", "数量指标", "辅警人员", "=512人", "520人", 20, 20, None),) + INDICATORS[1:]
    budget = (("年度资金总额", 100, 120, 114, 10, "=F6/E6", 9.5),)
    staged = staging.stage("x.xlsx", workbook(("S", [dict(indicators=rows, budget=budget)])), lake)
    assert [(p.code, p.row, p.column, p.value) for p in staged.problems] == [
        ("selfeval_rate", 6, "H（执行率）", "=F6/E6")]
    _, table = imported(lake, "y.xlsx", workbook(("S", [dict(indicators=rows)])))
    t = table("targets").set_index("name").loc["辅警人员"]
    assert [t["operator"], t["target_value"], t["unit"], t["target_text"], t["actual_value"]] == [
        "=", 512.0, "人", "=512人", 520.0]


def test_a_row_naming_only_its_first_level_is_a_level_1_leaf(lake):
    rows = INDICATORS[:5] + (("满意度指标", None, None, "≥90%", "93%", 10, 9.5, None),)
    _, table = imported(lake, "x.xlsx", workbook(("S", [dict(indicators=rows)])))
    ind = table("indicators").set_index("code")
    assert ind.loc["3", ["level", "name", "weight", "reported_score"]].tolist() == [1, "满意度指标", 10, 9.5]
    assert not (ind["parent_code"] == "3").any()
    t = table("targets").set_index("indicator_code").loc["3"]
    assert (t["name"], t["category"], t["target_value"]) == ("满意度指标", "满意度指标", 0.9)


def test_a_form_that_leaves_indicator_rows_out_says_so(lake):
    rows = INDICATORS[:2] + (("", "", "……", None, None, None, None, None),)
    _, table = imported(lake, "x.xlsx", workbook(("S", [dict(indicators=rows)])))
    assert "指标表有省略行（……），只列出 2 项三级指标" in table("projects")["note"].iloc[0]
    assert len(table("targets")) == 2


def test_the_same_form_twice_is_refused(lake):
    data = workbook(("A", [{}]), ("B", [{}]))
    staged = staging.stage("x.xlsx", data, lake)
    assert [p.code for p in staged.problems] == ["selfeval_twice"]
    _, _ = imported(lake, "x.xlsx", workbook(("A", [{}])))
    again = staging.stage("x2.xlsx", workbook(("A", [{}])), lake)
    assert "duplicate_key_lake" in {p.code for p in again.problems}


def test_a_corrected_form_supersedes_the_batch_of_the_first(lake):
    imported(lake, "宣城.xlsx", workbook(("禁毒经费", [{}])))
    budget = (("年度资金总额", 100, 120, 118, 10, "98.33%", 9.8), ("其中：当年财政拨款", 100, 120, 118, None, None, None))
    staged = staging.stage("宣城（更正）.xlsx", workbook(("禁毒经费", [dict(budget=budget)])), lake)
    assert {p.code for p in staged.problems} == {"duplicate_key_lake"}  # the same project: the same keys
    offer = ingest.supersede_offer(staged, lake)
    assert offer is not None and not offer.refusals and [b.file for b in offer.batches] == ["宣城.xlsx"]
    ingest.commit(staged, lake, supersede=offer)
    b = DataGate(Lake(lake)).table("budget", Scope.everything())
    assert b["spent"].tolist() == [118.0]


# ---------------------------------------------------------------------------------------------- execution rate
def test_the_execution_rate_of_a_self_evaluation_is_shown_with_its_definition(lake, capsys):
    from perfeval.views import budget as budget_view
    from perfeval.views import overview
    from perfeval.views.common import Filters, Links

    _, table = imported(lake, "宣城.xlsx", workbook(("禁毒经费", [{}])))
    pid = table("projects")["project_id"].iloc[0]
    q = q_of(lake)
    v = budget_view.build(q, filters=Filters(), lang="zh", links=Links(), project_id=pid)
    cards = dict(item for row in v["kpis"] for item in row)
    assert cards["预算执行率"] == "95.00%"
    helps = [h for row in v["kpi_help"] for h in row if h]
    assert any("全年执行数 ÷ 全年预算数" in h for h in helps)
    dial = json.loads(v["gauges"][1][1])
    assert dial["data"][0]["value"] == pytest.approx(95.0)
    assert "全年执行数 ÷ 全年预算数" in json.dumps(dial, ensure_ascii=False)

    v = budget_view.build(q, filters=Filters(), lang="en", links=Links())
    assert v["per_project"]["table"]["execution_s"].tolist() == ["95.00% (spent ÷ full-year budget)"]
    assert "self-evaluations without receipts" in " ".join(h for row in v["kpi_help"] for h in row if h)

    from perfeval.views import project as project_view

    cards = dict(project_view.facts(q, project_id=pid, lang="zh")["kpis"])
    # the definition in the card's label, the % as its value (a long value is cut off at projector size)
    assert cards["预算执行率（全年执行数 ÷ 全年预算数）"] == "95.00%"
    r = overview.ranked(q, filters=Filters(), lang="zh", links=Links())
    assert r["table"]["execution_s"].tolist() == ["95.00%（全年执行数 ÷ 全年预算数）"]
    assert dict(item for row in r["kpis"] for item in row)["加权预算执行率"] == "95.00%"

    assert cli.main(["--data", str(lake), "summary", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["execution_rate"] == pytest.approx(0.95) and row["execution_rate_stated"] == pytest.approx(0.95)
    assert (row["execution_basis"], row["execution_definition"], row["execution_stated"]) == (
        "budget", "全年执行数 ÷ 全年预算数", False)
    assert row["funds_received"] is None


def test_districts_and_compare_count_a_self_evaluation_by_its_own_definition(lake):
    from perfeval.views.common import Filters

    imported(lake, "两地.xlsx", workbook(("A", [{}]), ("B", [dict(name="丰都县禁毒经费", supervising="丰都县公安局",
                                                                  implementing="丰都县公安局禁毒大队")])))
    q = q_of(lake)
    d = q("district_summary", year=None, metric_key=None, **Filters().params()).set_index("region_code")
    assert d.loc["341800", "execution_rate"] == pytest.approx(114 / 120)
    assert d.loc["500230", "execution_rate"] == pytest.approx(114 / 120)
    c = q("compare_projects", metric_key=None, region_codes=None, **Filters().params())
    assert c["execution_rate"].tolist() == pytest.approx([0.95, 0.95]) and set(c["execution_basis"]) == {"budget"}


def test_a_stated_rate_without_its_amounts_is_shown_as_stated_never_not_reported(lake, capsys):
    from perfeval.views import budget as budget_view
    from perfeval.views.common import Filters, Links

    budget = (("年度资金总额", None, None, None, 10, "100%", 10),)
    _, table = imported(lake, "x.xlsx", workbook(("S", [dict(budget=budget)])))
    pid = table("projects")["project_id"].iloc[0]
    v = budget_view.build(q_of(lake), filters=Filters(), lang="zh", links=Links(), project_id=pid)
    assert dict(item for row in v["kpis"] for item in row)["预算执行率"] == "100.00%"
    assert "文件所述" in json.dumps(json.loads(v["gauges"][1][1]), ensure_ascii=False)
    assert cli.main(["--data", str(lake), "summary", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["execution_rate"] == 1.0 and row["execution_stated"] is True
    assert row["execution_definition"].startswith("全年执行数 ÷ 全年预算数")


def test_third_party_reports_keep_spent_over_received(q):
    df = q("overview_projects", region=None, year_from=None, year_to=None, category=None, evaluator_type=None)
    real = df[df["data_kind"] == "report"].set_index("project_id")
    assert set(real["execution_basis"]) == {"received"} and not real["execution_stated"].any()
    assert real.loc["tj-2022-fraud-ops", "execution_rate"] == pytest.approx(824.81 / 1150)
    assert pd.isna(real.loc["ts-2021-security-informatization", "execution_rate_stated"])
