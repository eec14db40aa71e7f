"""A 项目支出绩效自评表 uploaded on the import page as published (AppTest): recognised by its layout, checked,
imported on confirmation, and its stated execution rate shown with its definition on the budget and overview
pages (never 未披露)."""
from __future__ import annotations

import shutil

from tests.app.helpers import metric, run_page, texts
from tests.conftest import DATA
from tests.unit.test_selfeval_import import workbook


def test_a_self_evaluation_form_uploaded_as_published_is_imported_and_its_rate_shown(tmp_path, monkeypatch):
    lake = tmp_path / "data"
    shutil.copytree(DATA, lake, ignore=shutil.ignore_patterns("_derived"))
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    at = run_page("import")
    at.file_uploader(key="w_upload").set_value(("宣城禁毒.xlsx", workbook(("禁毒经费", [dict(r0=3, c0=2)])),
                                                "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success and "检查通过" in at.success[0].value
    at.button(key="commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "已导入" in at.success[0].value

    ov = run_page("overview")
    assert not ov.exception
    table = ov.dataframe[0].value
    mine = table[table["name"] == "宣城市2022年禁毒工作经费项目"]
    assert mine["execution_s"].tolist() == ["95.00%（全年执行数 ÷ 全年预算数）"]

    pid = "zp-2022-20efd29a"
    bp = run_page("budget", project=pid)
    assert not bp.exception, [e.value for e in bp.exception]
    assert metric(bp, "预算执行率") == "95.00%"
    assert "全年执行数 ÷ 全年预算数" in texts(bp) or any(
        "全年执行数 ÷ 全年预算数" in (m.proto.help or "") for m in bp.metric)
