"""A project's facts, shared by the project page and its deck (perfeval.domain.facts)."""
from perfeval.domain.facts import period, project_facts

ROW = {"province": "广东省", "city": "深圳市", "district": "福田区", "region_code": "440304", "category": "反诈",
       "implementing_unit": "深圳市公安局福田分局", "supervising_unit": None, "evaluator": "某所",
       "evaluator_type": "自评", "period_start": "2021-01-01", "period_end": "2023-12-31",
       "evaluation_start": None, "evaluation_end": None, "data_cutoff": None,
       "document_title": "2021年—2023年福田区反诈骗服务项目绩效评价报告", "source": "report:futian-2021-2023"}


def test_period():
    assert period(None, None, "zh") == "未披露"
    assert period(None, None, "en") == "not reported"
    assert period("2021-01-01", "2023-12-31", "zh") == "2021-01-01 — 2023-12-31"


def test_project_facts_in_the_pages_order_and_language():
    zh = project_facts(ROW, "zh")
    assert [k for k, _, _ in zh] == ["region", "category", "implementing_unit", "supervising_unit", "evaluator",
                                     "evaluator_type", "period", "evaluation", "data_cutoff", "source"]
    got = {k: (label, value) for k, label, value in zh}
    assert got["period"] == ("评价期", "2021-01-01 — 2023-12-31")
    assert got["evaluation"] == ("评价工作时间", "未披露")
    assert got["supervising_unit"] == ("主管单位", None)
    assert "福田区" in got["region"][1]
    assert got["source"][1] == "2021年—2023年福田区反诈骗服务项目绩效评价报告（report:futian-2021-2023）"
    assert project_facts(ROW, "en")[6][1] == "Evaluated period"
