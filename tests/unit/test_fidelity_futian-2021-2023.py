"""Fidelity of the encoded report on the 2021年—2023年福田区反诈骗服务项目 (self-evaluation by
深圳市公安局福田分局; seed file 001_3debcd7fae22c1db.txt) to our data lake.

The report gives a full three-level indicator tree (表3 评分汇总表 and the appendix 评分细则), the yearly
budget (表1/表5/表9), the contract prices, the staffing plan (表4), yearly staff and campaign figures
(表6/表7), the app install rates, the year-on-year decline of reported fraud incidents (表8), two problems,
three recommendations and one good practice. Every key figure is asserted exactly here.

Inconsistencies inside the report (kept as they are; the audit reports them):
- "5 个一级指标、9 个二级指标和 18 个三级指标", but the tree has 4 level-1 (the next sentence itself says
  "四个方面"), 12 level-2 in the appendix (10 in 表3) and 19 level-3 (表3 and the appendix alike).
- 表3 puts D11/D12 可持续影响/D13 满意度 under D1 社会效益; the appendix has D1/D11, D2/D21, D3/D31.
- Body text: "D11 … 本指标满分 10 分，得 10 分" (表3/appendix: 14/14) and "D13 居民满意度 本指标满分 4 分，
  得 4 分" (表3/appendix: 10/10). With the body's values the weights would not sum to 100.
- 成本节约率 "约 1.12%", but (3715.28 − 3674.16) / 3715.28 = 1.107%.
- C11: the plan is 110 a year and 2022/2023 had 108/109 on post (total 328 < 330), yet "该项指标达到目标值"
  (full score; the rule has no step for a shortfall under 10, and the 表2 target ≥100 人 is met).
- 表7 完成率 100% each year although 1386/1150/1540 exceed the 1000 target (the rate is capped).
- D11 evaluation point ② reads "2012 年" (for 2022); the D11 rule uses ≥0% while 表2 sets ≥5%.
- 2021 and 2022 both "安装量达到 125 万余人" while the rate rises from 81% to 83%.
- The appendix heading names "福田区二类视频服务项目" (copied from another project); A32's 指标解释 repeats A31's.
"""
from __future__ import annotations

import pytest

PID = "ft-2021-2023-anti-fraud-service"
SRC = "report:futian-2021-2023"
EXACT = dict(abs=1e-9)


def _figs(tables, figure, scope):
    df = tables("figures", PID)
    return df[(df["figure"] == figure) & (df["scope"] == scope)]


def _fig(tables, figure, scope, label=None):
    rows = _figs(tables, figure, scope)
    if label is not None:
        rows = rows[rows["label"] == label]
    assert len(rows) == 1, (figure, scope, label, len(rows))
    return rows.iloc[0]


def _by(df, key, col):
    return {r[key]: r[col] for _, r in df.iterrows()}


# --------------------------------------------------------------------------- every row's source
@pytest.mark.parametrize("name", ["projects", "budget", "indicators", "targets", "outcomes", "surveys",
                                  "outputs", "figures", "findings"])
def test_every_row_is_from_this_report(tables, name):
    df = tables(name, PID)
    assert len(df) > 0
    assert (df["source"] == SRC).all()


def test_no_subprojects_or_payments(tables):
    # the report lists no sub-projects and no payment table
    assert len(tables("subprojects", PID)) == 0
    assert len(tables("payments", PID)) == 0


def test_document(tables):
    docs = tables("documents")
    doc = docs[docs["source"] == SRC]
    assert len(doc) == 1
    assert doc.iloc[0]["kind"] == "report"
    assert doc.iloc[0]["file"] == "001_3debcd7fae22c1db.txt"
    assert doc.iloc[0]["author"] == "深圳市公安局福田分局"


# --------------------------------------------------------------------------- project and total score
def test_project(tables):
    p = tables("projects", PID)
    assert len(p) == 1
    p = p.iloc[0]
    assert p["name"] == "福田区反诈骗服务项目"
    assert (p["province"], p["city"], p["district"], p["region_code"]) == ("广东省", "深圳市", "福田区", "440304")
    assert p["category"] == "反诈"
    assert p["implementing_unit"] == "深圳市公安局福田分局"
    # "深圳市福田区财政局：负责项目资金的拨付工作。"
    assert p["supervising_unit"] == "深圳市福田区财政局"
    # "我局通过查阅相关政策文件…对 2021 年—2023 年深圳市公安局福田分局福田区反诈骗服务项目进行了绩效评价"
    assert p["evaluator"] == "深圳市公安局福田分局"
    assert p["evaluator_type"] == "自评"
    assert str(p["period_start"])[:10] == "2021-01-01"
    assert str(p["period_end"])[:10] == "2023-12-31"
    # "评价的绩效总分为 98.94 分，评价结论为“优”"
    assert p["reported_total_score"] == pytest.approx(98.94, **EXACT)
    assert p["reported_grade"] == "优"
    assert p["tree_depth"] == 3


def test_total_score_figure(tables):
    # "评价的绩效总分为 98.94 分" / 表3 "总计 100 98.94"
    assert _fig(tables, "total_score", "total")["value"] == pytest.approx(98.94, **EXACT)
    assert _fig(tables, "indicator_weight", "total")["value"] == pytest.approx(100, **EXACT)


# --------------------------------------------------------------------------- budget
def test_budget_inputs(tables):
    b = tables("budget", PID).set_index("year")
    assert list(b.index) == [2021, 2022, 2023]
    assert (b["fund_source"] == "一般公共预算财政拨款").all()  # "均为一般公共预算财政拨款"
    assert b["subproject_id"].isna().all()
    # 表1: "2021 年 本年预算资金 1232.00 1251.28 1242.66 99.31%"
    assert b.loc[2021, "initial_budget"] == pytest.approx(1232.00, **EXACT)
    assert b.loc[2021, "adjusted_budget"] == pytest.approx(1251.28, **EXACT)
    assert b.loc[2021, "spent"] == pytest.approx(1242.66, **EXACT)
    # 表1: "2022 年 本年预算资金 1232.00 1232.00 1208.99 98.13%"
    assert b.loc[2022, "initial_budget"] == pytest.approx(1232.00, **EXACT)
    assert b.loc[2022, "adjusted_budget"] == pytest.approx(1232.00, **EXACT)
    assert b.loc[2022, "spent"] == pytest.approx(1208.99, **EXACT)
    # 表1: "2023 年 本年预算资金 1232.00 1232.00 1222.51 99.23%"
    assert b.loc[2023, "initial_budget"] == pytest.approx(1232.00, **EXACT)
    assert b.loc[2023, "adjusted_budget"] == pytest.approx(1232.00, **EXACT)
    assert b.loc[2023, "spent"] == pytest.approx(1222.51, **EXACT)
    # 表5: 到位资金 1251.28 / 1232.00 / 1232.00
    assert b.loc[2021, "received"] == pytest.approx(1251.28, **EXACT)
    assert b.loc[2022, "received"] == pytest.approx(1232.00, **EXACT)
    assert b.loc[2023, "received"] == pytest.approx(1232.00, **EXACT)
    assert b["estimated_investment"].isna().all()


def test_budget_stated_totals(tables):
    # "年初预算金额 3,696 万元，调整预算金额 3,715.28 万元 … 实际使用 3,674.16 万元，预算执行率为 98.89%"
    assert _fig(tables, "budget_total", "total")["value"] == pytest.approx(3696, **EXACT)
    assert _fig(tables, "adjusted_budget_total", "total", "调整预算金额")["value"] == pytest.approx(3715.28, **EXACT)
    # A31: "总申请预算金额 3715.28 万元"; C41: "预算总金额为 3715.28 万元"
    assert _fig(tables, "adjusted_budget_total", "total", "总申请预算金额")["value"] == pytest.approx(3715.28, **EXACT)
    assert _fig(tables, "adjusted_budget_total", "total", "预算总金额")["value"] == pytest.approx(3715.28, **EXACT)
    assert _fig(tables, "spent_total", "total")["value"] == pytest.approx(3674.16, **EXACT)
    assert _fig(tables, "execution_rate", "total")["value"] == pytest.approx(0.9889, **EXACT)
    # 表5: "2021 年—2023 年总计 3715.28 3715.28 100%"; "本项目资金到位率为 100%"
    assert _fig(tables, "received_total", "total")["value"] == pytest.approx(3715.28, **EXACT)
    assert _fig(tables, "arrival_rate", "total")["value"] == pytest.approx(1.0, **EXACT)
    # "预算执行率为 99.31%" / "98.13%" / "99.23%"
    for year, rate in ((2021, 0.9931), (2022, 0.9813), (2023, 0.9923)):
        assert _fig(tables, "execution_rate", f"year:{year}")["value"] == pytest.approx(rate, **EXACT)
        assert _fig(tables, "arrival_rate", f"year:{year}")["value"] == pytest.approx(1.0, **EXACT)


def test_budget_totals_match_inputs(tables):
    b = tables("budget", PID).set_index("year")
    assert b["initial_budget"].sum() == pytest.approx(_fig(tables, "budget_total", "total")["value"], abs=1e-6)
    assert b["adjusted_budget"].sum() == pytest.approx(
        _fig(tables, "adjusted_budget_total", "total", "调整预算金额")["value"], abs=1e-6)
    assert b["received"].sum() == pytest.approx(_fig(tables, "received_total", "total")["value"], abs=1e-6)
    assert b["spent"].sum() == pytest.approx(_fig(tables, "spent_total", "total")["value"], abs=1e-6)
    # execution rate = spent / received (B12 rule: 实际支出资金/实际到位资金), rounded to 0.01%
    total = b["spent"].sum() / b["received"].sum()
    assert round(total, 4) == pytest.approx(_fig(tables, "execution_rate", "total")["value"], **EXACT)
    for year in (2021, 2022, 2023):
        rate = b.loc[year, "spent"] / b.loc[year, "received"]
        assert round(rate, 4) == pytest.approx(_fig(tables, "execution_rate", f"year:{year}")["value"], **EXACT)
        assert b.loc[year, "received"] / b.loc[year, "adjusted_budget"] == pytest.approx(1.0, **EXACT)


def test_saving_rate(tables):
    # C41: "较原预算金额节约约 1.12%"
    f = _fig(tables, "saving_rate", "total")
    assert f["value"] == pytest.approx(0.0112, **EXACT)
    assert f["qualifier"] == "about"
    # Inconsistent: (3715.28 - 3674.16) / 3715.28 = 1.107%, i.e. 1.11% not 1.12%; "约" covers it roughly.
    b = tables("budget", PID)
    computed = (b["adjusted_budget"].sum() - b["spent"].sum()) / b["adjusted_budget"].sum()
    assert round(computed, 4) == pytest.approx(0.0111, **EXACT)
    assert computed == pytest.approx(f["value"], abs=2e-4)


def test_contract_prices(tables):
    # "每人每年总经费人民币：111,900 元，每人每月经费人民币：9,325 元"
    year = _fig(tables, "contract_price_per_person_year", "total")
    month = _fig(tables, "contract_price_per_person_month", "total")
    assert (year["kind"], year["unit"], year["value"]) == ("fact", "元", pytest.approx(111900, **EXACT))
    assert (month["kind"], month["unit"], month["value"]) == ("fact", "元", pytest.approx(9325, **EXACT))
    assert month["value"] * 12 == pytest.approx(year["value"], **EXACT)
    # "服务满一个月后的 5 个工作日内"; "开展 110 人预算编制"; "2019 年分局通过购买服务方式成立了…"
    assert _fig(tables, "payment_term_working_days", "total")["value"] == pytest.approx(5, **EXACT)
    assert _fig(tables, "budgeted_headcount", "total")["value"] == pytest.approx(110, **EXACT)
    assert _fig(tables, "team_established_year", "total")["value"] == pytest.approx(2019, **EXACT)


# --------------------------------------------------------------------------- indicator tree
LEVEL3 = {  # code: (weight, score) — 表3 评分汇总表 and the appendix
    "A11": (5, 5), "A12": (3, 3), "A21": (4, 4), "A22": (3, 3), "A31": (4, 4), "A32": (2, 2),
    "B11": (2, 2), "B12": (5, 4.94), "B13": (5, 5), "B21": (2, 2), "B22": (5, 4),
    "C11": (5, 5), "C12": (5, 5), "C21": (10, 10), "C31": (5, 5), "C41": (5, 5),
    "D11": (14, 14), "D21": (6, 6), "D31": (10, 10),
}


def test_indicator_tree_shape(tables):
    ind = tables("indicators", PID)
    assert sorted(ind[ind["level"] == 1]["code"]) == ["A", "B", "C", "D"]
    assert sorted(ind[ind["level"] == 2]["code"]) == ["A1", "A2", "A3", "B1", "B2", "C1", "C2", "C3", "C4",
                                                      "D1", "D2", "D3"]
    assert sorted(ind[ind["level"] == 3]["code"]) == sorted(LEVEL3)
    parents = _by(ind, "code", "parent_code")
    for code in LEVEL3:
        assert parents[code] == code[:2]
    assert _by(ind[ind["level"] == 1], "code", "name") == {"A": "决策", "B": "过程", "C": "产出", "D": "效益"}
    # levels 1-2 carry no weight or score: the report gives none
    assert ind[ind["level"] < 3]["weight"].isna().all()
    assert ind[ind["level"] < 3]["reported_score"].isna().all()


def test_level3_weights_and_scores(tables):
    ind = tables("indicators", PID)
    l3 = ind[ind["level"] == 3]
    weights, scores = _by(l3, "code", "weight"), _by(l3, "code", "reported_score")
    for code, (w, s) in LEVEL3.items():
        assert weights[code] == pytest.approx(w, **EXACT), code
        assert scores[code] == pytest.approx(s, **EXACT), code
    # "B12 预算执行率 … 本指标满分 5 分，得 4.94 分"; "B22 制度执行有效性 本指标满分 5 分，得 4 分"
    assert scores["B12"] == pytest.approx(4.94, **EXACT)
    assert scores["B22"] == pytest.approx(4, **EXACT)


def test_scores_add_up(tables):
    l3 = tables("indicators", PID).query("level == 3")
    # 表3 "总计 100 98.94": the 19 level-3 weights and scores sum to the stated totals
    assert l3["weight"].sum() == pytest.approx(_fig(tables, "indicator_weight", "total")["value"], abs=1e-9)
    assert l3["reported_score"].sum() == pytest.approx(_fig(tables, "total_score", "total")["value"], abs=1e-9)
    # B12 rule "得分=预算执行率*权重": 98.89% × 5 = 4.9445 → 4.94
    b12 = l3.set_index("code").loc["B12"]
    assert round(_fig(tables, "execution_rate", "total")["value"] * b12["weight"], 2) == pytest.approx(
        b12["reported_score"], **EXACT)


def test_rule_texts(tables):
    ind = tables("indicators", PID).set_index("code")
    assert ind.loc["B12", "rule_text"] == "得分=预算执行率*权重"
    assert ind.loc["B11", "explanation"].startswith("资金到位率=（实际到位资金/预算资金）×100%。")
    assert "①2021 年接报诈骗警情同比下降率≥0%；" in ind.loc["D11", "explanation"]
    assert "②2012 年接报诈骗警情同比下降率≥0%；" in ind.loc["D11", "explanation"]  # sic
    assert ind.loc["C41", "rule_text"].startswith("1.当成本节约率＞0%时，得满分；")
    assert ind[ind["level"] == 3]["rule_text"].notna().all()
    # the summary-table codes are kept in note
    assert "D12" in ind.loc["D21", "note"]
    assert "D13" in ind.loc["D31", "note"]


def test_stated_indicator_counts_differ_from_tree(tables):
    ind = tables("indicators", PID)
    counts = ind.groupby("level")["code"].count().to_dict()
    assert counts == {1: 4, 2: 12, 3: 19}
    # "共分为 5 个一级指标、9 个二级指标和 18 个三级指标" — inconsistent with the tree (4 / 12 / 19)
    assert _fig(tables, "indicator_count", "level:1", "一级指标")["value"] == pytest.approx(5, **EXACT)
    assert _fig(tables, "indicator_count", "level:2", "二级指标")["value"] == pytest.approx(9, **EXACT)
    assert _fig(tables, "indicator_count", "level:3", "三级指标")["value"] == pytest.approx(18, **EXACT)
    # "一级指标根据规定要求分为项目决策、过程、产出、效益四个方面" — consistent with the tree
    assert _fig(tables, "indicator_count", "level:1", "一级指标…四个方面")["value"] == pytest.approx(counts[1], **EXACT)
    # "产出指标主要考核…四个方面"; "效益指标主要考核…三个方面" — consistent with the appendix
    l2 = ind[ind["level"] == 2]
    assert _fig(tables, "indicator_count", "level:2;indicator:C")["value"] == pytest.approx(
        (l2["parent_code"] == "C").sum(), **EXACT)
    assert _fig(tables, "indicator_count", "level:2;indicator:D")["value"] == pytest.approx(
        (l2["parent_code"] == "D").sum(), **EXACT)


def test_body_text_weights_differ(tables):
    ind = tables("indicators", PID).set_index("code")
    # D11 body: "本指标满分 10 分，得 10 分" vs 表3/appendix 14 / 14
    assert _fig(tables, "indicator_weight", "indicator:D11")["value"] == pytest.approx(10, **EXACT)
    assert _fig(tables, "indicator_score", "indicator:D11")["value"] == pytest.approx(10, **EXACT)
    assert ind.loc["D11", "weight"] == pytest.approx(14, **EXACT)
    # D13 居民满意度 body: "本指标满分 4 分，得 4 分" vs 表3 D13 / appendix D31 10 / 10
    assert _fig(tables, "indicator_weight", "indicator:D31")["value"] == pytest.approx(4, **EXACT)
    assert _fig(tables, "indicator_score", "indicator:D31")["value"] == pytest.approx(4, **EXACT)
    assert ind.loc["D31", "weight"] == pytest.approx(10, **EXACT)


# --------------------------------------------------------------------------- outputs: 表4 人员分配表
def test_staff_allocation(tables):
    out = tables("outputs", PID)
    assert len(out) == 17
    assert (out["group_name"] == "人员分配").all()
    posts = _by(out, "item", "planned")
    # "1 福田派出所 7" … "15 皇岗口岸派出所 1" "16 分局呼叫中心 10" "17 福田公安分局 6"
    assert posts["福田派出所"] == 7
    assert posts["华强北派出所"] == 8
    assert posts["皇岗口岸派出所"] == 1
    assert posts["分局呼叫中心"] == 10
    assert posts["福田公安分局"] == 6
    # "合计 110"
    total = _fig(tables, "planned_total", "output_group:人员分配")["value"]
    assert total == pytest.approx(110, **EXACT)
    assert out["planned"].sum() == pytest.approx(total, **EXACT)


# --------------------------------------------------------------------------- targets
def test_target_table(tables):
    t = tables("targets", PID).set_index("target_id")
    # 表2 has 17 targets
    assert len([i for i in t.index if "-" not in i]) == 17
    # "反诈骗蓝马甲人员数 ≥100 人"; "开展集中宣传场数 ≥1000 场"; "国家反诈中心 APP 安装率 ≥80%"
    assert (t.loc["T11", "operator"], t.loc["T11", "target_value"], t.loc["T11", "unit"]) == (">=", 100, "人")
    assert (t.loc["T12", "operator"], t.loc["T12", "target_value"]) == (">=", 1000)
    assert t.loc["T13", "target_value"] == pytest.approx(0.80, **EXACT)
    # "接报诈骗警情同比下降率 ≥5%"; "预算执行率 100%"
    assert t.loc["T15", "target_value"] == pytest.approx(0.05, **EXACT)
    assert t.loc["T02", "target_value"] == pytest.approx(1.0, **EXACT)
    assert t.loc["T02", "actual_value"] == pytest.approx(0.9889, **EXACT)
    assert not t.loc["T02", "stated_met"]  # "预算执行率未达目标值问题"
    assert t.loc["T17", "target_text"] == "满意"


def test_staff_targets_table6(tables):
    t = tables("targets", PID).set_index("target_id")
    # 表6: "2021 年 110 111" "2022 年 110 108" "2023 年 110 109" "总计 330 328"
    actual = {y: t.loc[f"T11-{y}", "actual_value"] for y in (2021, 2022, 2023)}
    assert actual == {2021: 111, 2022: 108, 2023: 109}
    assert all(t.loc[f"T11-{y}", "target_value"] == 110 for y in (2021, 2022, 2023))
    planned_total = _fig(tables, "planned_total", "metric:staff_on_post")["value"]
    actual_total = _fig(tables, "actual_total", "metric:staff_on_post")["value"]
    assert planned_total == pytest.approx(330, **EXACT)
    assert actual_total == pytest.approx(328, **EXACT)
    assert sum(actual.values()) == pytest.approx(actual_total, **EXACT)
    assert 110 * 3 == pytest.approx(planned_total, **EXACT)
    # "根据评分标准，该项指标达到目标值" although 108 and 109 < 110: stated_met is kept as the report says
    assert all(t.loc[f"T11-{y}", "stated_met"] for y in (2021, 2022, 2023))


def test_campaign_targets_table7(tables):
    t = tables("targets", PID).set_index("target_id")
    # 表7: "2021 ≥1000 场 1386 场 100%" "2022 ≥1000 场 1150 场 100%" "2023 ≥1000 场 1540 场 100%"
    for year, n in ((2021, 1386), (2022, 1150), (2023, 1540)):
        row = t.loc[f"T12-{year}"]
        assert (row["operator"], row["target_value"], row["actual_value"]) == (">=", 1000, n)
        assert row["stated_met"]
        # completion rate stated 100% although actual / target > 1 (capped)
        rate = _fig(tables, "completion_rate", f"year:{year};metric:campaigns_held")["value"]
        assert rate == pytest.approx(1.0, **EXACT)
        assert min(n / 1000, 1.0) == pytest.approx(rate, **EXACT)


def test_yearly_rate_targets(tables):
    t = tables("targets", PID).set_index("target_id")
    # "安装率占全区实有人口 81%" / "83%" / "2023 年底福田区实有人口安装率为 86.35%"
    for year, rate in ((2021, 0.81), (2022, 0.83), (2023, 0.8635)):
        assert t.loc[f"T13-{year}", "actual_value"] == pytest.approx(rate, **EXACT)
    # 表8 "2021 年 27.40%" "2022 年 7.76%" "2023 年 32.41%"
    for year, rate in ((2021, 0.2740), (2022, 0.0776), (2023, 0.3241)):
        assert t.loc[f"T15-{year}", "actual_value"] == pytest.approx(rate, **EXACT)
        assert t.loc[f"T15-{year}", "actual_value"] >= t.loc[f"T15-{year}", "target_value"]


# --------------------------------------------------------------------------- outcomes
def _outcome(tables, metric, year):
    o = tables("outcomes", PID)
    rows = o[(o["metric_key"] == metric) & (o["year"] == year)]
    assert len(rows) == 1, (metric, year, len(rows))
    return rows.iloc[0]


def test_outcomes(tables):
    # 表6 实际到岗人员数
    for year, n in ((2021, 111), (2022, 108), (2023, 109)):
        assert _outcome(tables, "staff_on_post", year)["value"] == pytest.approx(n, **EXACT)
    # "2021 年共开展集中宣传 1386 场" "2022 年共开展集中宣传 1150 场" "2023 年组织开展线下反诈宣传 1540 场"
    for year, n in ((2021, 1386), (2022, 1150), (2023, 1540)):
        assert _outcome(tables, "campaigns_held", year)["value"] == pytest.approx(n, **EXACT)
    # "2021 年底安装量达到 125 万余人，安装率占全区实有人口 81%，安装率全市排名第一"
    r = _outcome(tables, "app_installs", 2021)
    assert (r["value"], r["unit"], r["qualifier"]) == (125, "万人", "over")
    assert _outcome(tables, "app_installs", 2022)["value"] == pytest.approx(125, **EXACT)
    assert _outcome(tables, "app_install_rate", 2021)["value"] == pytest.approx(0.81, **EXACT)
    assert _outcome(tables, "app_install_rate", 2022)["value"] == pytest.approx(0.83, **EXACT)
    assert _outcome(tables, "app_install_rate", 2023)["value"] == pytest.approx(0.8635, **EXACT)
    assert [_outcome(tables, "app_install_rank", y)["value"] for y in (2021, 2022, 2023)] == [1, 3, 3]
    # "2021 年接收预警数据 35 万余条，劝阻拨通率保持 96%；2022 年接收预警数据 6 万余条"
    r = _outcome(tables, "warnings_received", 2021)
    assert (r["value"], r["qualifier"]) == (350000, "over")
    assert _outcome(tables, "warnings_received", 2022)["value"] == pytest.approx(60000, **EXACT)
    assert _outcome(tables, "dissuasion_call_connect_rate", 2021)["value"] == pytest.approx(0.96, **EXACT)
    # "线下劝阻成功拦截诈骗案件六百余宗"
    r = _outcome(tables, "cases_prevented", 2023)
    assert (r["value"], r["unit"], r["qualifier"]) == (600, "宗", "over")


def test_outcome_metrics_are_catalogued(tables):
    keys = set(tables("metrics")["metric_key"])
    assert set(tables("outcomes", PID)["metric_key"]) <= keys


def test_fraud_decline_average(tables):
    # "三年接报诈骗警情平均下降率为 22.52%"
    avg = _fig(tables, "average_rate", "metric:fraud_reports_yoy_decline")["value"]
    assert avg == pytest.approx(0.2252, **EXACT)
    years = [_outcome(tables, "fraud_reports_yoy_decline", y)["value"] for y in (2021, 2022, 2023)]
    assert years == [pytest.approx(0.2740, **EXACT), pytest.approx(0.0776, **EXACT), pytest.approx(0.3241, **EXACT)]
    assert round(sum(years) / 3, 4) == pytest.approx(avg, **EXACT)


# --------------------------------------------------------------------------- survey and findings
def test_survey_has_no_counts(tables):
    s = tables("surveys", PID)
    assert len(s) == 1
    # the report gives no questionnaire numbers at all: nothing is stored as 0
    for col in ("issued", "valid", "satisfaction_rate", "satisfaction_score", "n_very_satisfied"):
        assert s[col].isna().all(), col


def test_findings(tables):
    f = tables("findings", PID)
    assert f.groupby("kind")["finding_id"].count().to_dict() == {"practice": 1, "problem": 2, "recommendation": 3}
    titles = set(f["title"])
    assert {"预算执行率未达目标值问题及原因分析", "资金支付超时及原因分析", "构建严密防范体系",
            "加强预算编制的前瞻性", "对下年预算安排的建议"} <= titles
    p1 = f.set_index("finding_id").loc["P1"]
    assert "预算执行率为 98.89%" in p1["text"] and p1["indicator_code"] == "B12"
