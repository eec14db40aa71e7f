"""The satisfaction page's model (perfeval.views.satisfaction) over the bundled lake: 天水's counts and margin of
error, 天津's score without an interval, 福田's words, the comparison with its links, capped lists, English."""
from __future__ import annotations

import json
import math

from perfeval.views import capped
from perfeval.views import satisfaction as view
from perfeval.views.common import Filters, Links

TJ = "tj-2022-fraud-ops"
FT = "ft-2021-2023-anti-fraud-service"
TS = "ts-2021-security-informatization"
ALL = Filters()


def build(q, project_id=None, lang="zh", links=Links(), max_rows=capped.MAX_ROWS):
    return view.build(q, filters=ALL, project_id=project_id, lang=lang, links=links, max_rows=max_rows)


def kpis(survey) -> dict[str, str]:
    return dict(item for row in survey["kpis"] for item in row)


def test_tianshui_counts_and_margin_of_error(q):
    v = build(q, TS)
    [s] = v["surveys"]
    got = kpis(s)
    assert (got["发放问卷"], got["有效问卷"], got["有效率"]) == ("330", "323", "97.88%")
    assert (got["知晓率"], got["满意度"]) == ("59.59%", "51.39%")
    by_hand = 1.96 * math.sqrt(0.5139 * (1 - 0.5139) / 323) * 100
    assert got["误差范围（95%，百分点）"] == f"±{by_hand:.2f}" == "±5.45"
    assert s["no_interval"] is None
    assert s["interval"].startswith("满意度 51.39% ± 5.45 个百分点；95% 置信区间 [") and "正态近似" in s["interval"]
    assert s["valid_check"] == "报告所述有效率与重新计算：✅ 一致"
    assert s["kpi_help"][1][0].startswith("95% 误差范围 ± ")
    # one project: a summary, no status cards and no method caption of its own
    assert v["heading"] == "汇总" and v["status_kpis"] is None and v["method"] is None
    assert json.loads(v["chart"])["data"][0]["error_y"]["visible"]
    assert list(v["table"].columns) == ["status", "issued", "valid", "valid_rate", "awareness", "satisfaction",
                                        "wilson", "score"]


def test_tianjin_score_without_sample_size_has_no_interval(q):
    [s] = build(q, TJ)["surveys"]
    got = kpis(s)
    assert got["满意度"] == "大于95分" and got["发放问卷"] == "未披露" and got["误差范围（95%，百分点）"] == "—"
    assert "未披露样本量" in s["no_interval"] and s["interval"] is None


def test_futian_conclusion_in_words_only(q):
    v = build(q, FT)
    [s] = v["surveys"]
    assert kpis(s)["满意度"] == "未披露"
    assert "文字结论" in s["no_interval"]
    assert s["conclusion"].startswith("**报告结论**：") and "一致认为蓝马甲反诈宣传队" in s["conclusion"]
    assert s["distribution"] is None and s["no_distribution"].startswith("报告未披露五级满意度分布")
    assert v["chart"] is None  # no rate to draw for the one project


def test_comparison_of_every_project_links_each_to_its_focus(q):
    v = build(q, links=Links((("lang", "en"),)))
    assert v["surveys"] == [] and v["heading"] == "各项目比较"
    assert [label for label, _ in v["status_kpis"]] == ["有调查数据", "仅有评分", "仅有文字结论", "未开展 / 未披露"]
    assert sum(int(n) for _, n in v["status_kpis"]) == len(v["table"])
    rows = {r["short_name"]: r for r in v["table"].to_dict("records")}
    ts = rows["天水社会治安防控信息化"]
    assert ts["satisfaction"] == "51.39% ± 5.45 个百分点"
    assert ts["link"] == f"satisfaction?project={TS}&lang=en"
    assert rows["天津电诈运行保障经费"]["score"] == "大于95分"
    assert all("0" not in (r["issued"], r["valid"]) for r in rows.values())
    assert v["method"].startswith("误差范围为 95% 置信区间的半宽")
    assert v["capped_note"] is None
    assert "天津电诈运行保障经费：大于95分" in json.loads(v["chart"])["layout"]["title"]["text"]
    assert v["chart_note"] == f"图中为前 40 个项目（共 {len(v['table'])} 个），全部见下表。"


def test_a_selection_too_large_to_list_counts_every_survey_and_lists_the_lowest_first(q):
    full = build(q)
    v = build(q, max_rows=5)
    assert v["status_kpis"] == full["status_kpis"]
    assert len(v["table"]) == 5
    assert f"（共 {len(full['table']):,} 个项目）" in v["capped_note"]
    assert v["chart_note"] == f"图中为满意度最低的 5 个（共 {len(full['table']):,} 个）。"


def test_the_english_model_speaks_english(q):
    v = build(q, TS, lang="en")
    [s] = v["surveys"]
    assert kpis(s)["Issued"] == "330" and kpis(s)["Margin (95%, pp)"] == "±5.45"
    assert s["interval"].startswith("Satisfaction 51.39% ± 5.45 pp; 95% interval [")
    assert s["valid_check"] == "Stated valid rate against ours: ✅ agrees"
    assert v["heading"] == "Summary"
    assert build(q, lang="en")["method"].startswith("The margin is the half-width")
