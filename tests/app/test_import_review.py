"""数据导入 Import page (AppTest): the warnings (never blocking) and the new outcome metrics of an upload are shown
beside the problems, and the import goes through."""
from __future__ import annotations

import io
import shutil

import openpyxl

from tests.app.helpers import run_page
from tests.conftest import DATA

PID = "imp-review-0001"


def _workbook() -> bytes:
    """A project whose 2022 spending is typed in 元, a rate typed 95 for 95 %, and a metric the catalogue lacks."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评价项目 projects"
    ws.append(["项目编号 project_id", "项目名称 name", "简称 short_name", "项目类别 category",
               "行政区划代码 region_code", "实施单位 implementing_unit", "评价机构 evaluator", "评价方式 evaluator_type",
               "评价期起 period_start", "评价期止 period_end"])
    ws.append([PID, "南山区反诈宣传项目", "南山反诈", "反诈", "440305 广东省深圳市南山区", "南山公安分局", "某事务所", "自评",
               "2022-01-01", "2023-12-31"])
    b = wb.create_sheet("预算与资金 budget")
    b.append(["项目编号 project_id", "年度 year", "年初预算 initial_budget", "实际支出 spent"])
    b.append([PID, 2022, 500, 4_900_000])
    b.append([PID, 2023, 300, 290])
    m = wb.create_sheet("新增成效指标 metrics")
    m.append(["指标键 metric_key", "中文名称 name_zh", "英文名称 name_en", "单位 unit", "类别 category", "方向 direction"])
    m.append(["qr_scans", "宣传二维码扫码", "Publicity QR code scans", "次", "宣传", "越高越好"])
    o = wb.create_sheet("成效数据 outcomes")
    o.append(["项目编号 project_id", "编号 outcome_id", "指标键 metric_key", "年度 year", "数值 value", "单位 unit"])
    o.append([PID, "O1", "qr_scans", 2023, 5000, "次"])
    o.append([PID, "O2", "dissuasion_call_connect_rate", 2023, 95, "%"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_warnings_and_new_metrics_are_shown_and_do_not_block(tmp_path, monkeypatch):
    lake = tmp_path / "data"
    shutil.copytree(DATA, lake, ignore=shutil.ignore_patterns("_derived", "demo"))
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    at = run_page("import")
    at.file_uploader(key="w_upload").set_value(("南山.xlsx", _workbook(), "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert any("2 处提示" in w.value and "不阻止导入" in w.value for w in at.warning)
    assert any("新增 1 个成效指标" in i.value for i in at.info)
    tables = [d.value for d in at.dataframe]
    warnings = next(t for t in tables if "message" in t.columns and "spent" in set(t["column"]))
    assert warnings["column"].tolist() == ["spent", "value"]
    assert "按元填写" in warnings["message"].iloc[0] and "0.95" in warnings["message"].iloc[1]
    metrics = next(t for t in tables if "指标键" in t.columns)
    assert metrics.iloc[0].tolist() == ["qr_scans", "宣传二维码扫码", "Publicity QR code scans", "次", "宣传", "越高越好"]
    at.button(key="commit").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已导入" in s.value for s in at.success)
    assert list((lake / "imports").glob("*/metrics.parquet"))
