"""Satisfaction page: the 天水 counts and margin, 天津's score without an interval, 福田's words, no zeros."""
import json
import math

import pytest

from tests.app.helpers import chart_specs, metric, run_page, texts

TJ = "tj-2022-fraud-ops"
FT = "ft-2021-2023-anti-fraud-service"
TS = "ts-2021-security-informatization"


def test_tianshui_counts_and_margin_of_error():
    at = run_page("satisfaction", project=TS)
    assert not at.exception
    # "发放调查问卷330份，收回有效问卷323份，有效率97.88%。经统计，知晓率59.59%，满意度51.39%。"
    assert metric(at, "发放问卷") == "330"
    assert metric(at, "有效问卷") == "323"
    assert metric(at, "有效率") == "97.88%"
    assert metric(at, "知晓率") == "59.59%"
    assert metric(at, "满意度") == "51.39%"
    by_hand = 1.96 * math.sqrt(0.5139 * (1 - 0.5139) / 323) * 100
    assert metric(at, "误差范围（95%，百分点）") == f"±{by_hand:.2f}" == "±5.45"
    assert "正态近似" in texts(at)
    assert "报告所述有效率与重新计算：✅ 一致" in texts(at)
    chart = json.loads(chart_specs(at)[0])
    assert chart["data"][0]["error_y"]["visible"]


def test_tianjin_score_without_sample_size_has_no_interval():
    at = run_page("satisfaction", project=TJ)
    assert not at.exception
    assert metric(at, "满意度") == "大于95分"                  # "调查结果评议分值均大于 95 分"
    assert metric(at, "发放问卷") == "未披露"
    assert metric(at, "误差范围（95%，百分点）") == "—"
    assert any("未披露样本量" in i.value for i in at.info)


def test_futian_conclusion_in_words_only():
    at = run_page("satisfaction", project=FT)
    assert not at.exception
    assert metric(at, "满意度") == "未披露"
    assert "一致认为蓝马甲反诈宣传队" in texts(at)
    assert any("文字结论" in i.value for i in at.info)


def test_comparison_of_the_three_reports_has_no_zero():
    at = run_page("satisfaction", demo="0")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "status" in d.value.columns)
    rows = {r["short_name"]: r for r in table.to_dict("records")}
    assert rows["天水社会治安防控信息化"]["satisfaction"] == "51.39% ± 5.45 个百分点"
    assert rows["天津电诈运行保障经费"]["score"] == "大于95分"
    assert rows["福田反诈骗服务 2021—2023"]["status"] == "仅有文字结论"
    for r in rows.values():
        assert "0" not in (r["issued"], r["valid"])
    chart = json.loads(chart_specs(at)[0])
    assert "天津电诈运行保障经费：大于95分" in chart["layout"]["title"]["text"]


def test_project_without_survey_says_not_conducted_or_not_reported(tmp_path, monkeypatch):
    # a lake with one project and no survey at all
    import shutil

    from tests.conftest import DATA
    lake = tmp_path / "data"
    (lake / "seed").mkdir(parents=True)
    shutil.copytree(DATA / "catalog", lake / "catalog")
    shutil.copytree(DATA / "seed" / "tianjin-2022", lake / "seed" / "tianjin-2022")
    (lake / "seed" / "tianjin-2022" / "surveys.csv").unlink()
    monkeypatch.setenv("PERFEVAL_DATA", str(lake))
    at = run_page("satisfaction", project=TJ)
    assert not at.exception
    assert any("未开展 / 未披露" in i.value for i in at.info)
    table = at.dataframe[0].value
    assert list(table["status"]) == ["未开展 / 未披露"]


def test_english():
    at = run_page("satisfaction", project=TS, lang="en")
    assert metric(at, "Issued") == "330"
    assert metric(at, "Margin (95%, pp)") == "±5.45"


@pytest.mark.parametrize("pid", [TJ, FT, TS])
def test_url_keeps_the_project(pid):
    at = run_page("satisfaction", project=pid)
    assert pid in str(at.query_params["project"])


def test_a_selection_too_large_to_list_counts_every_survey_and_lists_the_lowest_first(monkeypatch):
    """Beyond capped.MAX_ROWS rows (500; 5 here) the status counts still cover every project, the table lists
    the 5 lowest satisfaction rates and a caption says how many there are in all."""
    from perfeval.views import capped

    full = run_page("satisfaction")
    monkeypatch.setattr(capped, "MAX_ROWS", 5)
    at = run_page("satisfaction")
    assert not at.exception
    assert [(m.label, m.value) for m in at.metric] == [(m.label, m.value) for m in full.metric]
    table = next(d.value for d in at.dataframe if "status" in d.value.columns)
    everything = next(d.value for d in full.dataframe if "status" in d.value.columns)
    assert len(table) == 5

    def rate(text):
        return float(text.split("%")[0]) if "%" in text else float("inf")
    rates = [rate(v) for v in table["satisfaction"]]
    assert rates == sorted(rate(v) for v in everything["satisfaction"])[:5]
    assert any(f"（共 {len(everything):,} 个项目）" in c.value for c in at.caption)
