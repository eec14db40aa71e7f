"""Fidelity of the encoded report 天水市公安局2021年社会治安防控体系信息化建设项目绩效评价报告
(甘肃禾兴会计师事务所（普通合伙）; seed file 002_29023dd7fe89d66a.txt) to our data lake.

The report is a short slide-deck summary: it gives the total score only (no indicator tree), the two
phases' estimated investment, receipts, the payment list, the 12 build items' status, one survey and the
year-on-year case changes. Every key figure is asserted exactly here.

Inconsistencies inside the report (kept as they are; the audit reports them):
- 资金来源: "项目一期、二期资金来源为天水市级财政预算资金" and receipts "共计收到…资金800.00万元", yet the
  spending is 866.47万元 "其中：天水市财政局专项资金800.00万元，中央财政转移支付资金66.47万元" — spent exceeds
  received by 66.47 and a central transfer appears that the funding section never mentions.
- 知晓率59.59% matches no whole number of the 323 valid questionnaires (192/323 = 59.44%, 193/323 = 59.75%);
  满意度51.39% = 166/323 exactly.
- Section 三 says "已按既定绩效目标完成项目一、二期建设内容" while section 二 says 2 items were never started.
- Item names differ between the 批复 lists and sections 二/三 (无线宽带融合调度指挥平台/系统, 城市公共交通智慧防控
  体系/系统, 重点人员管理分析模型系统/重点人员管控分析模型, 养犬管理系统/养犬管理信息系统, 网络安全管控系统/建设).
"""
from __future__ import annotations

import pandas as pd
import pytest

PID = "ts-2021-security-informatization"
SRC = "report:tianshui-2021"
EXACT = dict(abs=1e-9)


def _fig(tables, figure, scope):
    df = tables("figures", PID)
    rows = df[(df["figure"] == figure) & (df["scope"] == scope)]
    assert len(rows) == 1, (figure, scope, len(rows))
    return rows.iloc[0]


def _date(x) -> str:
    return str(pd.Timestamp(x).date())


# --------------------------------------------------------------------------- every row's source
@pytest.mark.parametrize("name", ["projects", "subprojects", "budget", "payments", "outputs", "surveys",
                                  "outcomes", "figures", "findings"])
def test_every_row_is_from_this_report(tables, name):
    df = tables(name, PID)
    assert len(df) > 0
    assert (df["source"] == SRC).all()


def test_document(tables):
    docs = tables("documents")
    doc = docs[docs["source"] == SRC]
    assert len(doc) == 1
    assert doc.iloc[0]["kind"] == "report"
    assert doc.iloc[0]["file"] == "002_29023dd7fe89d66a.txt"
    assert doc.iloc[0]["author"] == "甘肃禾兴会计师事务所（普通合伙）"


# --------------------------------------------------------------------------- project and total score
def test_project(tables):
    p = tables("projects", PID)
    assert len(p) == 1
    p = p.iloc[0]
    assert p["name"] == "天水市公安局2021年社会治安防控体系信息化建设项目"
    assert p["region_code"] == "620500"
    assert p["province"] == "甘肃省" and p["city"] == "天水市" and pd.isna(p["district"])
    assert p["implementing_unit"] == "天水市公安局"
    assert p["evaluator_type"] == "第三方评价"
    # "于2021年7月13日启动建设，2022年3月26日完成项目一、二期全部建设内容中的10项"
    assert _date(p["period_start"]) == "2021-07-13"
    assert _date(p["period_end"]) == "2022-03-26"
    # "截止评价日" — no date given
    assert pd.isna(p["data_cutoff"])
    # "最终得分82.06分，得分率82.06%，绩效评定等级为“良”"
    assert p["reported_total_score"] == pytest.approx(82.06, **EXACT)
    assert p["reported_grade"] == "良"
    # only the total score is given: no indicator tree
    assert p["tree_depth"] == 0
    assert len(tables("indicators", PID)) == 0


def test_score_rate_and_grade(tables):
    # "最终得分82.06分，得分率82.06%"
    f = _fig(tables, "score_rate", "total")
    assert f["kind"] == "derived"
    assert f["value"] == pytest.approx(0.8206, **EXACT)
    # "评价总分设置为100分" → 得分率 = 82.06 / 100
    total = tables("projects", PID).iloc[0]["reported_total_score"]
    max_score = _fig(tables, "max_score", "total")["value"]
    assert max_score == pytest.approx(100, **EXACT)
    assert total / max_score == pytest.approx(f["value"], abs=5e-5)
    # "80（含）-90分为良"
    assert _fig(tables, "grade_min_good", "total")["value"] <= total < _fig(tables, "grade_min_excellent", "total")["value"]
    assert _fig(tables, "grade_min_medium", "total")["value"] == pytest.approx(60, **EXACT)
    assert _fig(tables, "grade_count", "total")["value"] == pytest.approx(4, **EXACT)


# --------------------------------------------------------------------------- sub-projects and investment
def test_subprojects(tables):
    s = tables("subprojects", PID).set_index("subproject_id")
    assert list(s.index) == ["P1", "P2"]
    assert s.loc["P1", "name"] == "一期" and s.loc["P2", "name"] == "二期"
    assert "天发改投资〔2020〕167号" in s.loc["P1", "note"]
    assert "天发改投资〔2021〕254号" in s.loc["P2", "note"]


def test_estimated_investment(tables):
    b = tables("budget", PID)
    est = b.dropna(subset=["estimated_investment"]).set_index("subproject_id")["estimated_investment"]
    # "项目估算总投资2,920.00万元" (一期)
    assert est["P1"] == pytest.approx(2920.00, **EXACT)
    # "项目估算总投资3,682.39万元" (二期)
    assert est["P2"] == pytest.approx(3682.39, **EXACT)
    assert len(est) == 2


def test_phase2_investment_breakdown(tables):
    # "其中：工程建设直接费用3,606.29万元，系统集成费19.60万元，其他费用56.50万元"
    direct = _fig(tables, "construction_direct_cost", "subproject:P2")["value"]
    integ = _fig(tables, "system_integration_cost", "subproject:P2")["value"]
    other = _fig(tables, "other_cost", "subproject:P2")["value"]
    assert direct == pytest.approx(3606.29, **EXACT)
    assert integ == pytest.approx(19.60, **EXACT)
    assert other == pytest.approx(56.50, **EXACT)
    total = _fig(tables, "investment_total", "subproject:P2")
    assert total["kind"] == "derived"
    assert total["value"] == pytest.approx(3682.39, **EXACT)
    # consistent: 3,606.29 + 19.60 + 56.50 = 3,682.39
    assert direct + integ + other == pytest.approx(total["value"], abs=0.005)


# --------------------------------------------------------------------------- funds received and spent
def test_received(tables):
    b = tables("budget", PID)
    rec = b.dropna(subset=["received"])
    # "共计收到天水市财政局下达的…资金800.00万元" — at project level, not split by phase
    assert len(rec) == 1
    assert pd.isna(rec.iloc[0]["subproject_id"])
    assert rec.iloc[0]["received"] == pytest.approx(800.00, **EXACT)
    assert _fig(tables, "received_total", "total")["value"] == pytest.approx(800.00, **EXACT)


def test_spent_by_fund_source(tables):
    b = tables("budget", PID)
    sp = b.dropna(subset=["spent"])
    p1 = sp[sp["subproject_id"] == "P1"].set_index("fund_source")["spent"]
    # "其中：天水市财政局专项资金800.00万元，中央财政转移支付资金66.47万元"
    assert p1["市级财政专项资金"] == pytest.approx(800.00, **EXACT)
    assert p1["中央财政转移支付"] == pytest.approx(66.47, **EXACT)
    # "二期项目尚未支付资金" — a reported zero
    p2 = sp[sp["subproject_id"] == "P2"]["spent"]
    assert list(p2) == [0]
    # spent is given per sub-project only
    assert sp["subproject_id"].notna().all()


def test_spent_total(tables):
    b = tables("budget", PID)
    # "该项目支付资金866.47万元，全部用于一期项目支出"
    f = _fig(tables, "spent_total", "total")
    assert f["value"] == pytest.approx(866.47, **EXACT)
    assert _fig(tables, "spent_total", "subproject:P1")["value"] == pytest.approx(866.47, **EXACT)
    # consistent: 800.00 + 66.47 = 866.47
    assert b["spent"].sum() == pytest.approx(f["value"], abs=0.005)
    assert b.loc[b["subproject_id"] == "P1", "spent"].sum() == pytest.approx(866.47, abs=0.005)


def test_spent_exceeds_received_inconsistency(tables):
    # Inconsistency kept as reported: received "800.00万元" (all 市级财政), spent "866.47万元" incl.
    # "中央财政转移支付资金66.47万元" whose receipt the report never states.
    b = tables("budget", PID)
    gap = b["spent"].sum() - b["received"].sum()
    assert gap == pytest.approx(66.47, abs=0.005)


# --------------------------------------------------------------------------- payments
def test_payments(tables):
    p = tables("payments", PID).set_index("payment_id")
    assert len(p) == 5
    # "甘肃纵横嘉业电子信息技术有限公司项目进度款347.55万元"
    assert p.loc["PAY1", "vendor"] == "甘肃纵横嘉业电子信息技术有限公司"
    assert p.loc["PAY1", "amount"] == pytest.approx(347.55, **EXACT)
    # "中国移动集团甘肃有限公司进度款486.70万元"
    assert p.loc["PAY2", "vendor"] == "中国移动集团甘肃有限公司"
    assert p.loc["PAY2", "amount"] == pytest.approx(486.70, **EXACT)
    # "北京易柯森特科技有限公司监理费6.30万元"
    assert p.loc["PAY3", "vendor"] == "北京易柯森特科技有限公司"
    assert p.loc["PAY3", "amount"] == pytest.approx(6.30, **EXACT)
    # "天元瑞信通信技术股份有限公司可研、设计服务费7.00万元"
    assert p.loc["PAY4", "vendor"] == "天元瑞信通信技术股份有限公司"
    assert p.loc["PAY4", "amount"] == pytest.approx(7.00, **EXACT)
    # "项目前期资料、印刷等费用18.92万元" — no vendor named
    assert pd.isna(p.loc["PAY5", "vendor"])
    assert p.loc["PAY5", "amount"] == pytest.approx(18.92, **EXACT)
    # "全部用于一期项目支出"
    assert (p["subproject_id"] == "P1").all()


def test_payment_total(tables):
    # "该项目支付资金866.47万元" = 347.55 + 486.70 + 6.30 + 7.00 + 18.92 (consistent)
    f = _fig(tables, "payment_total", "total")
    assert f["value"] == pytest.approx(866.47, **EXACT)
    assert tables("payments", PID)["amount"].sum() == pytest.approx(f["value"], abs=0.005)


# --------------------------------------------------------------------------- build items (outputs)
def test_build_items(tables):
    o = tables("outputs", PID)
    assert len(o) == 12
    assert (o[o["subproject_id"] == "P1"].shape[0], o[o["subproject_id"] == "P2"].shape[0]) == (6, 6)
    assert (o["planned"] == 1).all()
    # "新一代公安信息网改造、网络安全管控建设2项内容尚未开工建设"
    not_started = set(o.loc[o["status"] == "未开工", "item"])
    assert not_started == {"新一代公安信息网改造", "网络安全管控系统"}
    # "只通过了无线宽带融合调度指挥系统、养犬管理信息系统2项建设内容的初步验收"
    accepted = set(o.loc[o["status"] == "已完成，已初步验收", "item"])
    assert accepted == {"无线宽带融合调度指挥平台", "养犬管理系统"}


def test_build_item_counts(tables):
    o = tables("outputs", PID)
    done = o["status"].str.startswith("已完成")
    # "完成项目一、二期全部建设内容中的10项"
    assert _fig(tables, "completed_count", "total")["value"] == pytest.approx(10, **EXACT)
    assert done.sum() == 10
    assert o["actual"].sum() == pytest.approx(10, **EXACT)
    # "2项内容尚未开工建设"
    assert _fig(tables, "not_started_count", "subproject:P2")["value"] == pytest.approx(2, **EXACT)
    assert (o["status"] == "未开工").sum() == 2
    # "2项建设内容的初步验收" / "其余8项建设内容尚未组织初步验收"
    assert _fig(tables, "accepted_count", "total")["value"] == pytest.approx(2, **EXACT)
    assert _fig(tables, "not_accepted_count", "total")["value"] == pytest.approx(8, **EXACT)
    assert (o["status"] == "已完成，未初步验收").sum() == 8


def test_completion_rate(tables):
    # "项目总体完工率83.33%"
    f = _fig(tables, "completion_rate", "total")
    assert f["kind"] == "derived"
    assert f["value"] == pytest.approx(0.8333, **EXACT)
    # consistent: 10 / 12 = 0.83333
    o = tables("outputs", PID)
    assert o["actual"].sum() / o["planned"].sum() == pytest.approx(f["value"], abs=5e-5)


# --------------------------------------------------------------------------- survey
def test_survey(tables):
    s = tables("surveys", PID)
    assert len(s) == 1
    s = s.iloc[0]
    # "调查问卷共设置14个绩效评价相关问题"
    assert s["questions"] == 14
    # "发放调查问卷330份，收回有效问卷323份"
    assert s["issued"] == 330
    assert s["valid"] == 323
    # "知晓率59.59%，满意度51.39%"
    assert s["awareness_rate"] == pytest.approx(0.5959, **EXACT)
    assert s["satisfaction_rate"] == pytest.approx(0.5139, **EXACT)
    assert s["respondents"] == "社会公众"


def test_survey_valid_rate(tables):
    # "有效率97.88%"
    f = _fig(tables, "valid_rate", "survey:SV1")
    assert f["kind"] == "derived"
    assert f["value"] == pytest.approx(0.9788, **EXACT)
    # consistent: 323 / 330 = 0.97879
    s = tables("surveys", PID).iloc[0]
    assert s["valid"] / s["issued"] == pytest.approx(f["value"], abs=5e-5)


def test_survey_rates_against_counts(tables):
    s = tables("surveys", PID).iloc[0]
    n = int(s["valid"])
    # 满意度51.39% = 166 / 323 (consistent)
    assert round(s["satisfaction_rate"] * n) / n == pytest.approx(s["satisfaction_rate"], abs=5e-5)
    # 知晓率59.59% is NOT a whole count of 323 (192/323 = 0.5944, 193/323 = 0.5975): inconsistent or an
    # average over questions the report does not explain. Kept as reported.
    assert round(s["awareness_rate"] * n) / n != pytest.approx(s["awareness_rate"], abs=5e-5)


# --------------------------------------------------------------------------- outcomes
EXPECTED_OUTCOMES = {
    "telecom_fraud_cases_yoy_decline": 0.535,     # "全市电诈案件发案数同比下降53.5%"
    "telecom_fraud_solved_yoy_increase": 2.523,   # "破案数同比上升252.3%"
    "theft_cases_yoy_decline": 0.642,             # "盗窃案件发案数同比下降64.2%"
    "theft_solved_yoy_increase": 0.498,           # "破案数同比上升49.8%"
    "criminal_cases_yoy_decline": 0.39,           # "刑事案件同比下降39%"
    "homicide_cases_yoy_decline": 0.4545,         # "命案同比下降45.45%"
    "public_order_cases_yoy_decline": 0.3705,     # "治安案件同比下降37.05%"
}


def test_outcomes(tables):
    o = tables("outcomes", PID)
    assert len(o) == len(EXPECTED_OUTCOMES)
    got = o.set_index("metric_key")["value"].to_dict()
    assert set(got) == set(EXPECTED_OUTCOMES)
    for key, value in EXPECTED_OUTCOMES.items():
        assert got[key] == pytest.approx(value, **EXACT), key
    # "2022年项目建成以来"
    assert (o["year"] == 2022).all()
    assert (o["unit"] == "%").all()
    assert o["qualifier"].isna().all()


def test_outcome_metrics_are_catalogued(tables):
    keys = set(tables("metrics")["metric_key"])
    assert set(tables("outcomes", PID)["metric_key"]) <= keys


# --------------------------------------------------------------------------- other facts
def test_facts(tables):
    # "项目验收后由系统集成商提供免费维护五年驻场服务"
    assert _fig(tables, "free_maintenance_years", "total")["value"] == pytest.approx(5, **EXACT)
    # "刑事、治安案件发案均下降至近8年最低值"
    assert _fig(tables, "record_low_years", "total")["value"] == pytest.approx(8, **EXACT)
    # "高效警务运行“六大体系”"
    assert _fig(tables, "system_pillar_count", "total")["value"] == pytest.approx(6, **EXACT)


# --------------------------------------------------------------------------- findings
def test_findings(tables):
    f = tables("findings", PID)
    assert (f["kind"] == "problem").sum() == 3
    assert (f["kind"] == "practice").sum() == 2
    assert (f["kind"] == "recommendation").sum() == 0  # the report makes no recommendations
    texts = " ".join(f["text"])
    assert "后期管护相关的配套资金尚未落实" in texts
    assert "其余8项建设内容尚未组织初步验收" in texts
