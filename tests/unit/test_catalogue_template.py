"""The template that helps the person filling it, and the open metric catalogue (issue 18, items 4 and 5):
Chinese-first sheets and headers read back (and the old English ones), drop-down lists, ≥ ≤ 是 否 normalised,
GB/T 2260 names filled and checked, warnings that never block, new metrics listed for review and found by
``python -m perfeval metrics``."""
from __future__ import annotations

import io
import json
import pathlib
import shutil

import openpyxl
import pandas as pd
import pytest

from perfeval import cli
from perfeval.data import gbt2260, schema
from perfeval.data.imports import ingest, template
from perfeval.data.imports.normalise import normalise_frame
from perfeval.data.lake import Lake
from perfeval.data.validation.problems import MESSAGES, problem, warning
from perfeval.views import imports as imports_view
from tests.conftest import DATA

PID = "imp-nanshan-2023"


@pytest.fixture()
def lake(tmp_path):
    """The bundled reports (no demonstration data: faster) in a folder of the test's own."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("_derived", "demo"))
    return root


def _bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _template(lang="zh"):
    return openpyxl.load_workbook(io.BytesIO(template.template_workbook(lang)))


def _row(table: str, **values) -> list:
    """A row for the template's sheet of ``table``, in its column order."""
    return [values.get(c) for c in schema.table(table).column_names]


def _project(**kw) -> dict:
    return dict({"project_id": PID, "name": "南山区反诈骗宣传服务项目", "short_name": "南山反诈", "category": "反诈",
                 "region_code": "440305 广东省深圳市南山区", "implementing_unit": "南山公安分局", "evaluator": "某事务所",
                 "evaluator_type": "第三方评价", "period_start": "2023-01-01", "period_end": "2023-12-31"}, **kw)


def _validations(ws) -> dict[str, str]:
    """Header text → the list formula of its column's drop-down."""
    heads = {cell.column_letter: cell.value for cell in ws[1]}
    out = {}
    for dv in ws.data_validations.dataValidation:
        letter = str(dv.sqref).split(":")[0].rstrip("0123456789")
        out[heads[letter]] = dv.formula1
    return out


# ------------------------------------------------------------------------------------------ the template
def test_the_template_opens_with_chinese_first_sheets_headers_and_drop_downs():
    wb = _template()
    assert wb.sheetnames[1] == "评价项目 projects" and "新增成效指标 metrics" in wb.sheetnames
    assert [c.value for c in wb["绩效目标 targets"][1]][:3] == ["项目编号 project_id", "目标编号 target_id",
                                                            "子项目编号 subproject_id"]
    targets = _validations(wb["绩效目标 targets"])
    assert targets["比较 operator"] == '"≥,≤,=,>,<,>=,<="'
    assert targets["报告结论：是否达成 stated_met"] == '"是,否"'
    projects = _validations(wb["评价项目 projects"])
    assert "反诈" in projects["项目类别 category"] and "治安防控" in projects["项目类别 category"]
    assert projects["评价方式 evaluator_type"] == '"第三方评价,自评,财政重点评价"'
    assert projects["行政区划代码 region_code"].startswith("'列表'!$A$2:$A$")
    outcomes = _validations(wb["成效数据 outcomes"])
    assert outcomes["数值限定 qualifier"].startswith('"约,近,余,大于')
    assert outcomes["指标键 metric_key"].startswith("'列表'!$B$2:$B$")
    assert "第三方评价报告" in _validations(wb["来源文档 documents"])["来源类型 source_type"]
    metrics = _validations(wb["新增成效指标 metrics"])
    assert "打击" in metrics["类别 category"] and "指标键 metric_key" not in metrics  # new keys: no list
    # Excel refuses (asks to repair) an inline list longer than 255 characters: long lists go on a sheet
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert dv.formula1.startswith("'列表'!") or len(dv.formula1) <= 255, (ws.title, dv.formula1)
            assert dv.showErrorMessage is False  # a suggestion: the checks on import say what is wrong
    # the long lists: a hidden sheet with every GB/T 2260 code and the catalogue's keys
    lists = wb["列表"]
    assert lists.sheet_state == "hidden"
    codes = [c.value for c in lists["A"][1:] if c.value]
    assert len(codes) == len(gbt2260.regions()) > 3000
    assert "440304 广东省深圳市福田区" in codes and "120000 天津市" in codes and "469007 海南省东方市" in codes
    keys = [c.value for c in lists["B"][1:] if c.value]
    catalogue = pd.read_csv(DATA / "catalog" / "metrics.csv")
    assert sorted(keys) == sorted(catalogue["metric_key"])
    # the catalogue to read: every metric with its names, unit, category and direction
    cat = wb["指标目录"]
    rows = {r[0]: r for r in cat.iter_rows(min_row=2, values_only=True)}
    assert rows["suspects_arrested"][1:6] == ("抓获犯罪嫌疑人", "Suspects arrested", "人", "打击", "higher")
    help_text = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    for words in ("≥", "是 / 否", "指标目录", "提示", "新闻发布"):
        assert words in help_text


def test_the_english_template_puts_the_keys_first_and_reads_back(lake):
    wb = _template("en")
    assert wb.sheetnames[0] == "Help" and wb.sheetnames[1] == "projects 评价项目"
    assert wb["projects 评价项目"]["A1"].value == "project_id 项目编号"
    wb["projects 评价项目"].append(_row("projects", **_project()))
    staged = ingest.stage("en.xlsx", _bytes(wb), lake)
    assert staged.ok, [p.message_en for p in staged.problems]
    assert staged.frames["projects"]["region_code"].tolist() == ["440305"]


def test_a_filled_template_round_trips_through_the_lake(lake):
    wb = _template()
    wb["评价项目 projects"].append(_row("projects", **_project(province=None, city=None, district=None)))
    wb["预算与资金 budget"].append(_row("budget", project_id=PID, year=2023, fund_source="区级财政",
                                       initial_budget=120.5, received=100, spent=90.25))
    wb["绩效目标 targets"].append(_row("targets", project_id=PID, target_id="T1", year=2023, name="宣传活动场次",
                                    unit="场", operator="≥", target_value=50, actual_value=62, stated_met="是"))
    wb["绩效目标 targets"].append(_row("targets", project_id=PID, target_id="T2", year=2023, name="投诉办结时限",
                                    unit="个工作日", operator="≤", target_value=10, actual_value=12, stated_met="否"))
    wb["成效数据 outcomes"].append(_row("outcomes", project_id=PID, outcome_id="O1", metric_key="publicity_events",
                                    year=2023, value=62, unit="场"))
    wb["成效数据 outcomes"].append(_row("outcomes", project_id=PID, outcome_id="O2", metric_key="leaflets_qr_scans",
                                    year=2023, value=1.2, unit="万次", qualifier="近"))
    wb["新增成效指标 metrics"].append(_row("metrics", metric_key="leaflets_qr_scans", name_zh="宣传二维码扫码",
                                      name_en="Publicity QR code scans", unit="万次", category="宣传",
                                      direction="越高越好"))
    wb["来源文档 documents"].append(_row("documents", source="report:nanshan-2023", kind="report",
                                     title="南山区反诈骗宣传服务项目绩效自评报告", source_type="自评"))
    for ws in wb.worksheets:  # every row of the report's data names it
        if ws.max_row > 1 and ws.title not in ("说明", "指标目录", "列表", "来源文档 documents"):
            for r in ws.iter_rows(min_row=2):
                r[schema.table(ws.title.split()[-1]).column_names.index("source")].value = "report:nanshan-2023"
    staged = ingest.stage("南山.xlsx", _bytes(wb), lake)
    assert staged.ok, [p.message_en for p in staged.problems]
    assert staged.warnings == []
    batch = ingest.commit(staged, lake)
    lk = Lake(lake)
    p = lk.read_table("projects").set_index("project_id").loc[PID]
    assert (p["province"], p["city"], p["district"], p["region_code"]) == ("广东省", "深圳市", "南山区", "440305")
    t = lk.read_table("targets")
    t = t[t["project_id"] == PID].set_index("target_id")
    assert t.loc["T1", "operator"] == ">=" and t.loc["T2", "operator"] == "<="
    assert bool(t.loc["T1", "stated_met"]) is True and bool(t.loc["T2", "stated_met"]) is False
    o = lk.read_table("outcomes")
    assert o[o["project_id"] == PID].set_index("outcome_id").loc["O2", "qualifier"] == "nearly"
    m = lk.read_table("metrics").set_index("metric_key").loc["leaflets_qr_scans"]
    assert (m["name_zh"], m["unit"], m["direction"], m["source"]) == ("宣传二维码扫码", "万次", "higher",
                                                                       "report:nanshan-2023")
    d = lk.read_table("documents").set_index("source").loc["report:nanshan-2023"]
    assert d["source_type"] == "self_evaluation"
    b = lk.read_table("budget")
    assert b[b["project_id"] == PID]["spent"].tolist() == [90.25]
    assert (lake / "imports" / batch.id).is_dir()


def test_old_english_sheet_and_column_names_still_import(lake):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "projects"
    p = _project(region_code="440305", province="广东省", city="深圳市", district="南山区")
    cols = [c for c in schema.table("projects").column_names if c in p]
    ws.append(cols)
    ws.append([p[c] for c in cols])
    t = wb.create_sheet("targets")
    t.append(["project_id", "target_id", "name", "operator", "target_value", "stated_met"])
    t.append([PID, "T1", "办结率", ">=", 0.95, "true"])
    staged = ingest.stage("old.xlsx", _bytes(wb), lake)
    assert staged.ok and staged.rows["projects"] == 1 and staged.rows["targets"] == 1
    assert staged.frames["targets"]["stated_met"].tolist() == [True]


@pytest.mark.parametrize("written, operator", [("≥", ">="), ("≧", ">="), ("不低于", ">="), ("＞＝", ">="), (">=", ">="),
                                               ("≤", "<="), ("≦", "<="), ("不高于", "<="), ("不超过", "<="),
                                               ("＞", ">"), ("＜", "<"), ("＝", "="), (" ≥ ", ">=")])
def test_operators_as_reports_write_them_are_normalised(written, operator):
    raw = pd.DataFrame({"operator": [written]}, dtype=object)
    assert normalise_frame(schema.table("targets"), raw)["operator"].tolist() == [operator]


@pytest.mark.parametrize("written, value", [("是", True), ("否", False), ("Yes", True), ("no", False),
                                            ("TRUE", True), ("false", False)])
def test_yes_and_no_import_as_booleans(lake, written, value):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效目标 targets"
    ws.append(["项目编号 project_id", "目标编号 target_id", "指标 name", "比较 operator", "目标值 target_value",
               "是否达成 stated_met", "数据来源 source"])
    ws.append(["tj-2022-fraud-ops", "IMP-T9", "拦截率", "≥", 0.9, written, "report:tianjin-2022"])
    staged = ingest.stage("t.xlsx", _bytes(wb), lake)
    assert staged.ok, [p.message_en for p in staged.problems]
    assert staged.frames["targets"]["stated_met"].tolist() == [value]
    assert staged.frames["targets"]["operator"].tolist() == [">="]


def test_a_word_that_is_no_operator_is_still_refused_with_its_message(lake):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "targets"
    ws.append(["project_id", "target_id", "name", "operator", "stated_met"])
    ws.append(["tj-2022-fraud-ops", "IMP-T9", "拦截率", "约等于", "也许"])
    staged = ingest.stage("t.xlsx", _bytes(wb), lake)
    got = {(p.column, p.code, p.value) for p in staged.problems}
    assert got == {("operator", "not_allowed", "约等于"), ("stated_met", "not_boolean", "也许")}
    assert all(not p.is_warning for p in staged.problems)


# ------------------------------------------------------------------------------------------ GB/T 2260
def test_region_names_are_filled_from_the_code_and_checked():
    assert gbt2260.lookup("440304").label == "广东省深圳市福田区"
    assert gbt2260.lookup("120000").city == "天津市"          # a municipality's city is itself
    assert gbt2260.lookup("500230").label == "重庆市丰都县"
    assert gbt2260.lookup("341800").name == "宣城市"
    raw = pd.DataFrame({"region_code": ["469007 海南省东方市", "440304", "120000"], "province": ["", "", "天津市"],
                        "city": ["", "深圳", None]}, dtype=object)
    out = normalise_frame(schema.table("projects"), raw)
    assert out["region_code"].tolist() == ["469007", "440304", "120000"]
    assert out["province"].tolist() == ["海南省", "广东省", "天津市"]
    assert out["city"].tolist() == ["", "深圳", "天津市"]           # written names are kept as written
    assert out["district"].tolist() == ["东方市", "福田区", ""]


def test_unknown_codes_and_names_that_differ_are_warnings(lake):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "projects"
    rows = [_project(project_id="imp-a", region_code="440399"),                            # no such district
            _project(project_id="imp-b", region_code="440305", province="广东省", district="福田区"),  # 南山区
            _project(project_id="imp-c", region_code="990101", province="示例省")]  # the fictional city
    cols = [c for c in schema.table("projects").column_names if any(c in r for r in rows)]
    ws.append(cols)
    for r in rows:
        ws.append([r.get(c) for c in cols])
    staged = ingest.stage("r.xlsx", _bytes(wb), lake)
    got = [(p.row, p.column, p.code, p.severity) for p in staged.warnings]
    assert got == [(2, "region_code", "region_unknown", "warning"), (3, "district", "region_name", "warning")]
    assert "GB/T 2260" in staged.warnings[0].message_zh and "南山区" in staged.warnings[1].message_zh
    # imp-a: no names to fill, so province (required) is missing: an error, as before
    assert [(p.row, p.column, p.code) for p in staged.problems] == [(2, "province", "required_empty")]


# ------------------------------------------------------------------------------------------ warnings
def _budget_workbook(spent_2022, spent_2023=310.0, region="440305") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "projects"
    p = _project(region_code=region)
    cols = [c for c in schema.table("projects").column_names if c in p]
    ws.append(cols)
    ws.append([p[c] for c in cols])
    b = wb.create_sheet("budget")
    b.append(["project_id", "year", "initial_budget", "received", "spent"])
    b.append([PID, 2022, 500, 520, spent_2022])
    b.append([PID, 2023, 300, 310, spent_2023])
    o = wb.create_sheet("outcomes")
    o.append(["project_id", "outcome_id", "metric_key", "year", "value", "unit"])
    o.append([PID, "O1", "dissuasion_call_connect_rate", 2023, 95, "%"])
    o.append([PID, "O2", "dissuasion_call_connect_rate", 2022, 0.93, "%"])
    return _bytes(wb)


def test_an_amount_in_yuan_and_a_rate_in_percent_are_warnings_that_do_not_block(lake, capsys, tmp_path):
    staged = ingest.stage("区.xlsx", _budget_workbook(5_100_000), lake)
    assert staged.ok and staged.problems == []
    got = [(p.file, p.row, p.column, p.value, p.code) for p in staged.warnings]
    assert got == [("区.xlsx:budget", 2, "spent", "5,100,000", "amount_in_yuan"),
                   ("区.xlsx:outcomes", 2, "value", "95", "rate_as_percent")]
    yuan, rate = staged.warnings
    assert "元" in yuan.message_zh and "510" in yuan.message_zh and "yuan" in yuan.message_en
    assert "0.95" in rate.message_zh and "0.95" in rate.message_en
    assert all(p.is_warning and p.severity == "warning" for p in staged.warnings)
    # shown beside the errors: the page's review and the command line; the import goes through
    review = imports_view.review(staged, "zh")
    assert [k for k, _, _ in review] == ["warning"] and "不阻止导入" in review[0][1]
    assert review[0][2]["column"].tolist() == ["spent", "value"]
    path = tmp_path / "区.xlsx"
    path.write_bytes(_budget_workbook(5_100_000))
    code = cli.main(["--data", str(lake), "import", str(path)])
    out = capsys.readouterr().out
    assert code == 0 and "⚠ 2 处提示" in out and "区.xlsx:budget:2 [spent]" in out and "已导入批次" in out


def test_a_district_projects_huge_amount_is_a_warning_even_alone(lake):
    # every amount in 元: no sibling to compare with, but 10 亿 for a district project is rare
    staged = ingest.stage("区.xlsx", _budget_workbook(3_100_000, 3_000_000), lake)
    assert [(p.row, p.column) for p in staged.warnings if p.code == "amount_in_yuan"] == [(2, "spent"), (3, "spent")]
    staged = ingest.stage("市.xlsx", _budget_workbook(310, 300, region="440300"), lake)
    assert not [p for p in staged.warnings if p.code == "amount_in_yuan"]


def test_warnings_sit_beside_errors_and_errors_still_block(lake):
    data = _budget_workbook(5_100_000)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb["budget"]["E3"] = "三百"
    staged = ingest.stage("区.xlsx", _bytes(wb), lake)
    assert [p.code for p in staged.problems] == ["not_number"] and not staged.ok
    # the rule compares with the amounts that are numbers: 5 100 000 against 500, 520, 300, 310
    assert {p.code for p in staged.warnings} == {"amount_in_yuan", "rate_as_percent"}
    with pytest.raises(ingest.ImportRefused):
        ingest.commit(staged, lake)


def test_problems_are_errors_unless_made_as_warnings():
    p = problem("f.csv", 2, "spent", "1", "not_number", "budget", column_zh="x", column_en="x")
    assert p.severity == "error" and not p.is_warning and p.as_dict()["severity"] == "error"
    w = warning("f.csv", 2, "unit", "%", "rate_as_percent", "outcomes", column_zh="x", column_en="x", fraction="0.95")
    assert w.is_warning and w.message_zh == MESSAGES["rate_as_percent"][0].format(
        column_zh="x", value="%", fraction="0.95")


# ------------------------------------------------------------------------------------------ the catalogue
def test_the_catalogue_holds_the_common_anti_fraud_measures():
    m = pd.read_csv(DATA / "catalog" / "metrics.csv", dtype=str, keep_default_na=False).set_index("metric_key")
    for key in ("intercepted_fraud_calls", "intercepted_fraud_sms", "dissuaded_persons", "face_to_face_dissuasions",
                "stop_paid_funds", "stop_paid_accounts", "frozen_accounts", "frozen_funds", "refunded_funds",
                "recovered_losses", "avoided_losses", "suspects_arrested", "fraud_cases_solved", "gangs_dismantled",
                "publicity_events", "publicity_reach", "app_installs", "app_registrations",
                "early_warning_instructions", "warning_records_pushed"):
        assert key in m.index, key
    assert set(m["direction"]) == {"higher", "lower"}
    assert set(m["category"]) <= set(schema.table("metrics").column("category").allowed)
    assert (m["name_zh"] != "").all() and (m["name_en"] != "").all() and (m["unit"] != "").all()
    assert set(m["source"]) == {"report:catalog", "report:catalog-public"}
    assert m.loc["fraud_losses", "direction"] == "lower" and m.loc["frozen_funds", "unit"] == "万元"


def test_a_new_metric_arriving_with_the_data_is_listed_and_then_found(lake, capsys, tmp_path):
    wb = _template()
    wb["新增成效指标 metrics"].append(_row("metrics", metric_key="mule_accounts_found", name_zh="发现涉诈“两卡”账户",
                                      name_en="Mule accounts found", unit="个", category="打击", direction="higher"))
    wb["成效数据 outcomes"].append(_row("outcomes", project_id="tj-2022-fraud-ops", outcome_id="IMP-O1",
                                    metric_key="mule_accounts_found", year=2022, value=1234, unit="个"))
    path = tmp_path / "新指标.xlsx"
    path.write_bytes(_bytes(wb))
    staged = ingest.stage(path.name, path.read_bytes(), lake)
    assert staged.ok and staged.new_metrics["metric_key"].tolist() == ["mule_accounts_found"]
    [(kind, headline, table)] = imports_view.review(staged, "zh")
    assert kind == "info" and "新增 1 个成效指标" in headline
    assert table.iloc[0].tolist() == ["mule_accounts_found", "发现涉诈“两卡”账户", "Mule accounts found", "个", "打击",
                                      "越高越好"]
    code = cli.main(["--data", str(lake), "import", str(path), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["new_metrics"][0]["metric_key"] == "mule_accounts_found"
    code = cli.main(["--data", str(lake), "metrics", "两卡", "--json"])
    [found] = json.loads(capsys.readouterr().out)
    assert code == 0 and found["metric_key"] == "mule_accounts_found" and found["n_outcomes"] == 1
    # a key the catalogue already holds is no new metric: refused, naming where it is
    wb = _template()
    wb["新增成效指标 metrics"].append(_row("metrics", metric_key="suspects_arrested", name_zh="抓获", name_en="x",
                                      unit="人", category="打击", direction="higher"))
    staged = ingest.stage("again.xlsx", _bytes(wb), lake)
    assert [p.code for p in staged.problems] == ["duplicate_key_lake"]
    assert "metrics.csv" in staged.problems[0].message_zh


def test_metrics_command_lists_the_catalogue_without_sql(capsys):
    code = cli.main(["metrics"])
    out = capsys.readouterr().out
    n = len(pd.read_csv(DATA / "catalog" / "metrics.csv"))
    assert code == 0 and f"{n} 个指标" in out and "suspects_arrested" in out and "越低越好" in out
    code = cli.main(["metrics", "--category", "打击", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0 and rows and {r["category"] for r in rows} == {"打击"}
    assert {"metric_key", "name_zh", "name_en", "unit", "direction", "source_title", "n_outcomes"} <= set(rows[0])
    code = cli.main(["metrics", "intercepted_fraud_calls", "--json"])
    [row] = json.loads(capsys.readouterr().out)
    assert row["n_outcomes"] >= 1 and row["source_title"].startswith("成效指标目录")


def test_payment_status_as_reports_write_it():
    """已支付 / 待支付 (and their usual variants) become the schema's paid / pending; anything else is left for
    the checks to report, and an empty cell stays empty (未披露)."""
    from perfeval.data.imports.normalise import normalise_frame

    raw = pd.DataFrame({"status": ["已支付", " 待支付 ", "应付未付", "paid", "", "部分支付"]})
    out = normalise_frame(schema.table("payments"), raw)
    assert out["status"].tolist() == ["paid", "pending", "pending", "paid", "", "部分支付"]
