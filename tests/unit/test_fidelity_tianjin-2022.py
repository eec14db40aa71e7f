"""Fidelity of the 天津 2022年电诈运行保障经费 report (seed 000_492c04fdf255f27c.txt) to data/seed/tianjin-2022.

Every expected value below is copied from the report (quoted in the comment beside it), not from our CSVs.
The report's inconsistencies are asserted as inconsistencies: the audit is meant to find them.
"""
from __future__ import annotations

import csv
import pathlib

import pandas as pd
import pytest

from perfeval.data import schema

PID = "tj-2022-fraud-ops"
SOURCE = "report:tianjin-2022"
SEED_DIR = pathlib.Path(__file__).resolve().parents[2] / "data" / "seed" / "tianjin-2022"
TABLES_WITH_ROWS = ("documents", "projects", "subprojects", "budget", "payments", "vendor_aliases",
                    "indicators", "targets", "outcomes", "surveys", "outputs", "figures", "findings")


def approx(x):
    return pytest.approx(x, abs=1e-9)


def one(df: pd.DataFrame, **where) -> pd.Series:
    """The single row of df matching every column=value in where (None matches NULL)."""
    mask = pd.Series(True, index=df.index)
    for col, val in where.items():
        mask &= df[col].isna() if val is None else (df[col] == val)
    rows = df[mask]
    assert len(rows) == 1, f"{where}: {len(rows)} rows"
    return rows.iloc[0]


def iso(value) -> str:
    return pd.Timestamp(value).date().isoformat()


def figure(tables, key: str, scope: str) -> pd.Series:
    return one(tables("figures", PID), figure=key, scope=scope)


# ---------------------------------------------------------------------------------------- files
@pytest.mark.parametrize("name", TABLES_WITH_ROWS)
def test_csv_header_is_the_schema(name):
    with open(SEED_DIR / f"{name}.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == schema.table(name).column_names


@pytest.mark.parametrize("name", TABLES_WITH_ROWS)
def test_every_row_names_this_report(tables, name):
    df = tables(name, PID)
    if name in ("documents", "vendor_aliases"):
        df = df[df["source"] == SOURCE]
    assert len(df) > 0
    assert set(df["source"]) == {SOURCE}


# ---------------------------------------------------------------------------------------- project
def test_project_facts(tables):
    p = one(tables("projects", PID))
    # "该项目评价结果为91.50分，评价等级为“优”"
    assert p["reported_total_score"] == approx(91.5)
    assert p["reported_grade"] == "优"
    assert p["tree_depth"] == 1  # only 表3 (分值/得分/得分率 of the four level-1 indicators)
    assert p["region_code"] == "120000"
    assert p["implementing_unit"] == "天津市公安局刑事侦查总队"
    assert p["supervising_unit"] == "天津市公安局"
    assert p["evaluator_type"] == "财政重点评价"
    # "于2023年7月-11月 … 开展了绩效评价"
    assert (iso(p["evaluation_start"]), iso(p["evaluation_end"])) == ("2023-07-01", "2023-11-30")
    # "截至 2023 年 6 月 30 日，累计拨付承办企业资金 824.81 万元"
    assert iso(p["data_cutoff"]) == "2023-06-30"
    assert (iso(p["period_start"]), iso(p["period_end"])) == ("2022-01-01", "2022-12-31")


def test_five_subprojects_in_the_reports_order(tables):
    # "该项目主要包括…等5个子项目"
    sp = tables("subprojects", PID).set_index("subproject_id")
    assert list(sp.index) == ["S1", "S2", "S3", "S4", "S5"]
    assert sp.loc["S1", "name"] == "天津市反电信网络诈骗犯罪系统相关服务项目"
    assert sp.loc["S5", "name"] == "刑侦总队反诈中心通讯费项目"
    # "项目单位于 2022 年 7 月通过竞争性磋商确定中国联合网络通信有限公司天津市分公司为中标单位"
    assert sp.loc["S5", "procurement"] == "竞争性磋商"
    assert sp.loc["S5", "procurement_date"] == "2022-07"
    assert figure(tables, "subproject_count", "total")["value"] == approx(5)


# ---------------------------------------------------------------------------------------- scores
LEVEL1 = [  # 表3 电诈运行保障经费项目绩效得分情况表: 分值 / 得分 / 得分率
    ("A", "项目决策", 17, 15, 0.8824),
    ("B", "项目过程", 23, 19.15, 0.8326),
    ("C", "项目产出", 38, 37, 0.9737),
    ("D", "项目效益", 22, 20.35, 0.9250),
]


@pytest.mark.parametrize("code,name,weight,score,rate", LEVEL1)
def test_level1_scores(tables, code, name, weight, score, rate):
    # "其中，项目决策 15 分，项目过程 19.15 分，项目产出 37 分，项目效益 20.35 分"
    row = one(tables("indicators", PID), code=code)
    assert row["name"] == name
    assert row["level"] == 1
    assert row["weight"] == approx(weight)
    assert row["reported_score"] == approx(score)
    # 得分率 88.24% / 83.26% / 97.37% / 92.50%
    assert figure(tables, "score_rate", f"indicator:{code}")["value"] == approx(rate)
    # the stated rates are score / weight rounded to 0.01%
    assert abs(score / weight - rate) < 5e-5


def test_only_level1_is_reported(tables):
    ind = tables("indicators", PID)
    assert set(ind["level"]) == {1}
    assert len(ind) == 4


def test_total_score_and_weight(tables):
    ind = tables("indicators", PID)
    # 表3 合计: 分值 100, 得分 91.5, 得分率 91.50%
    assert figure(tables, "total_score", "total")["value"] == approx(91.5)
    assert figure(tables, "indicator_weight", "total")["value"] == approx(100)
    assert figure(tables, "score_rate", "total")["value"] == approx(0.915)
    # consistent: the level-1 rows add up to the stated totals
    assert ind["weight"].sum() == approx(100)
    assert ind["reported_score"].sum() == approx(91.5)


# ---------------------------------------------------------------------------------------- budget
BUDGET = {"S1": 500, "S2": 190, "S3": 200, "S4": 200, "S5": 60}  # 表1 项目预算情况表 (万元)


def test_budget_inputs(tables):
    b = tables("budget", PID)
    per_sub = b[b["subproject_id"].notna()].set_index("subproject_id")
    assert per_sub["initial_budget"].to_dict() == {k: approx(v) for k, v in BUDGET.items()}
    assert (per_sub["year"] == 2022).all()
    whole = one(b, subproject_id=None)
    # "财政资金到位 1150 万元"
    assert whole["received"] == approx(1150)
    # "截至 2023 年 6 月 30 日，累计拨付承办企业资金 824.81 万元"
    assert whole["spent"] == approx(824.81)
    assert iso(whole["as_of"]) == "2023-06-30"


def test_budget_measures_never_at_two_levels(tables):
    b = tables("budget", PID)
    for measure in ("estimated_investment", "initial_budget", "adjusted_budget", "received", "spent"):
        given = b[b[measure].notna()]
        assert given["subproject_id"].isna().all() or given["subproject_id"].notna().all(), measure


def test_budget_derived_figures(tables):
    b = tables("budget", PID)
    received, spent = b["received"].sum(), b["spent"].sum()
    # "该项目预算合计 1150 万元" (表1 合计 1150)
    assert figure(tables, "budget_total", "total")["value"] == approx(1150)
    assert b["initial_budget"].sum() == approx(1150)
    # "资金到位率 100%"
    assert figure(tables, "arrival_rate", "total")["value"] == approx(1.0)
    assert received / b["initial_budget"].sum() == approx(1.0)
    # "尚未拨付资金 325.19 万元"
    assert figure(tables, "unspent_total", "total")["value"] == approx(325.19)
    assert received - spent == pytest.approx(325.19, abs=1e-6)
    # "预算执行率 71.72%" (stated twice, same value)
    assert figure(tables, "execution_rate", "total")["value"] == approx(0.7172)
    assert abs(spent / received - 0.7172) < 5e-5


# ---------------------------------------------------------------------------------------- payments
PAYMENTS = [  # 表2 项目资金使用情况表 (万元), in the table's order
    ("P01", "S1", "深圳安巽科技有限公司", 4.35),
    ("P02", "S1", "珠海市新德汇信息技术有限公司", 21.39),
    ("P03", "S1", "珠海市新德汇信息技术有限公司", 128.34),  # vendor cell blank under 珠海市新德汇
    ("P04", "S1", "腾讯云计算（北京）有限责任公司", 9.45),
    ("P05", "S1", "广东世纪网通信设备股份有限公司", 15.21),
    ("P06", "S1", "广东世纪网通信设备股份有限公司", 86.24),  # vendor cell blank under 广东世纪网通信
    ("P07", "S1", "浙江百应科技有限公司", 94.00),
    ("P08", "S2", "三六零数字安全科技集团有限公司", 54.78),
    ("P09", "S3", "天画视界文化传播（天津）有限公司", 97.50),
    ("P10", "S3", "天津艾丽莎文化传媒有限公司", 97.00),
    ("P11", "S4", "山西卓正会计师事务所有限公司", 185.05),  # spelled 山西 in 表2
    ("P12", "S5", "中国联合网络通信有限公司天津市分公司", 31.50),
]


@pytest.mark.parametrize("pid,sub,vendor,amount", PAYMENTS)
def test_payment_lines(tables, pid, sub, vendor, amount):
    row = one(tables("payments", PID), payment_id=pid)
    assert (row["subproject_id"], row["vendor"]) == (sub, vendor)
    assert row["amount"] == approx(amount)


def test_payment_totals(tables):
    pay = tables("payments", PID)
    assert len(pay) == 12
    # 表2 小计 358.98 (天津市反电信网络诈骗犯罪系统相关服务项目)
    assert figure(tables, "payment_subtotal", "subproject:S1")["value"] == approx(358.98)
    assert pay.loc[pay["subproject_id"] == "S1", "amount"].sum() == pytest.approx(358.98, abs=1e-6)
    # 表2 合计 824.81 = 累计拨付承办企业资金 824.81 万元
    assert figure(tables, "payment_total", "total")["value"] == approx(824.81)
    assert pay["amount"].sum() == pytest.approx(824.81, abs=1e-6)
    assert pay["amount"].sum() == pytest.approx(tables("budget", PID)["spent"].sum(), abs=1e-6)


def test_payments_stay_within_each_subprojects_budget(tables):
    pay = tables("payments", PID).groupby("subproject_id")["amount"].sum()
    for sub, budget in BUDGET.items():
        assert pay[sub] <= budget + 1e-9, sub


def test_vendor_spelled_two_ways(tables):
    # "确定陕西卓正会计师事务所有限公司为中标单位" vs 表2 "山西卓正会计师事务所有限公司 185.05"
    al = tables("vendor_aliases")
    al = al[al["source"] == SOURCE].set_index("alias")["vendor"]
    assert al["山西卓正会计师事务所有限公司"] == al["陕西卓正会计师事务所有限公司"] == "陕西卓正会计师事务所有限公司"
    assert one(tables("subprojects", PID), subproject_id="S4")["contractor"] == "陕西卓正会计师事务所有限公司"


# ---------------------------------------------------------------------------------------- outcomes
OUTCOMES = [  # (outcome_id, metric_key, value, qualifier or None, the report's words)
    ("OC01", "intercepted_fraud_calls", 26_000_000, "over"),   # "累计拦截涉诈通话 2600 余万条"
    ("OC02", "blocked_fraud_domains", 4_300_000, "over"),      # "封堵涉诈域名网址 430 余万个"
    ("OC03", "blocked_fraud_domains", 4_400_000, "nearly"),    # "封堵涉诈域名网址近440万个"
    ("OC04", "ministry_rank_first_months", 6, None),           # "连续 6 个月位居全国第一"
    ("OC05", "reports_to_ministry", 3_400_000, "over"),        # "上报涉诈黑灰产数据340余万条"
    ("OC06", "dissuaded_persons", 12_000_000, "nearly"),       # "成功劝阻潜在受骗人近 1200 万人次"
    ("OC07", "stop_paid_funds", 5800, "over"),                 # "拦截止付资金 5800 余万元"
    ("OC08", "refunded_victims", 600, "nearly"),               # "向近 600 名被害人发还、返还"
    ("OC09", "refunded_funds", 4900, "nearly"),                # "被骗资金近 4900 万元"
    ("OC10", "warning_records_pushed", 1_800_000, "nearly"),   # "累计完成推送预警数据近180万条"
    ("OC11", "warning_records_pushed", 450_000, "nearly"),     # "新增服务项目推送数据近45万条"
    ("OC12", "fraud_accounts_analysed", 60_000, "over"),       # "梳理各类涉诈账号 6 万余个"
    ("OC13", "interception_models", 170, "nearly"),            # "先后建立近170个拦截封堵模型"
    ("OC14", "fraud_type_daily_peak", 30, "over"),             # "此类警情由单日最高30起以上"
    ("OC15", "zero_case_days", 7, None),                       # "实现连续7天零发案"
]


@pytest.mark.parametrize("oid,metric,value,qualifier", OUTCOMES)
def test_outcomes(tables, oid, metric, value, qualifier):
    row = one(tables("outcomes", PID), outcome_id=oid)
    assert row["metric_key"] == metric
    assert row["value"] == approx(value)
    assert (None if pd.isna(row["qualifier"]) else row["qualifier"]) == qualifier


def test_outcome_units_follow_the_catalogue(tables):
    units = tables("metrics").set_index("metric_key")["unit"]
    for _, row in tables("outcomes", PID).iterrows():
        assert row["unit"] == units[row["metric_key"]], row["outcome_id"]


def test_blocked_domains_stated_two_ways(tables):
    # Inconsistency kept on purpose: 三、（四） "封堵涉诈域名网址 430 余万个" vs 四、（一）1.(1) "封堵涉诈域名网址近440万个".
    # 430余 means > 430万, 近440 means just under 440万: they can agree only if the true figure is in (430万, 440万).
    oc = tables("outcomes", PID)
    vals = oc.loc[oc["metric_key"] == "blocked_fraud_domains", "value"].sort_values().tolist()
    assert vals == [approx(4_300_000), approx(4_400_000)]
    # the ETC/医保 subset "累计封堵近700个涉诈域名网址" is its own metric, not a second total
    sub = one(oc[oc["metric_key"] == "blocked_fraud_domains_targeted"])
    assert sub["value"] == approx(700) and sub["qualifier"] == "nearly"


# ---------------------------------------------------------------------------------------- survey
def test_public_survey(tables):
    sv = one(tables("surveys", PID))
    # "市公安局委托天津社会科学院舆情研究所开展公众评议问卷调查 … 调查结果评议分值均大于 95 分"
    assert sv["conducted_by"] == "天津社会科学院舆情研究所"
    assert sv["satisfaction_score"] == approx(95)
    assert sv["score_qualifier"] == "greater_than"
    assert pd.isna(sv["issued"]) and pd.isna(sv["valid"])  # not reported, not zero


# ---------------------------------------------------------------------------------------- outputs, targets, facts
OUTPUTS = [  # (output_id, item, planned, actual)
    ("O01", "反诈直播", 5, None),                          # "反诈直播 5 场"
    ("O02", "大赛前期宣传视频", 3, None),                  # "大赛前期宣传视频 3 部"
    ("O03", "反诈短视频", 24, None),                       # "反诈短视频 24 部"
    ("O04", "反诈云课堂培训视频", 20, None),               # "反诈云课堂培训视频 20 部"
    ("O05", "动漫视频", 4, None),                          # "动漫视频 4 部"
    ("O06", "宣传视频（制作完成）", None, 21),             # "制作完成 21 部宣传视频"
    ("O07", "防范宣传视频", 20, None),                     # "仅编制计划制作防范宣传视频 20 部"
    ("O08", "反诈小卫士盾盾卡通形象公仔", 60_000, 60_000),  # "公仔 6 万个" / "制作完成反诈小卫士盾盾公仔 6 万个"
    ("O09", "电信诈骗宣传海报", 100_000, 100_000),          # "宣传海报 10 万张"
    ("O10", "电信诈骗宣传手册", 10_000, 10_000),            # "宣传手册 1 万本" / "制作宣传手册 1 万册"
    ("O11", "500Mbps 光纤互联网专线接入服务", 2, None),     # "2 条 500Mbps 光纤互联网专线接入服务"
    ("O12", "短信服务（一年）", 8_400_000, None),          # "一年 840 万条短信服务"
    ("O13", "语音中继 E1 线路接入", 8, None),              # "语音中继 E1 线路 8 条接入"
    ("O14", "语音直连语音服务（一年）", 3_600_000, None),  # "一年 360 万次的语音直连语音服务"
]


@pytest.mark.parametrize("oid,item,planned,actual", OUTPUTS)
def test_outputs(tables, oid, item, planned, actual):
    row = one(tables("outputs", PID), output_id=oid)
    assert row["item"] == item
    assert (None if pd.isna(row["planned"]) else row["planned"]) == (None if planned is None else approx(planned))
    assert (None if pd.isna(row["actual"]) else row["actual"]) == (None if actual is None else approx(actual))


def test_video_counts_do_not_reconcile(tables):
    # Inconsistency kept on purpose: the contract lists 3 + 24 + 20 + 4 = 51 videos, the budget estimate planned 20,
    # and "制作完成 21 部宣传视频"; the report does not reconcile them (the sub-project passed acceptance as 合格).
    out = tables("outputs", PID).set_index("output_id")
    contracted = out.loc[["O02", "O03", "O04", "O05"], "planned"].sum()
    assert contracted == approx(51)
    assert out.loc["O07", "planned"] == approx(20)
    assert out.loc["O06", "actual"] == approx(21)
    assert len({contracted, out.loc["O07", "planned"], out.loc["O06", "actual"]}) == 3


def test_targets(tables):
    tg = tables("targets", PID)
    # "预警信息准确率提高到 90%" (S1 and S2)
    for sub in ("S1", "S2"):
        row = one(tg, subproject_id=sub, name="预警信息准确率")
        assert (row["operator"], row["target_value"]) == (">=", approx(0.9))
        assert pd.isna(row["actual_value"])  # not reported
    # "“产出指标—时效指标”指标值设定为“全年开展”" (S2 and S4)
    assert set(tg.loc[tg["target_text"] == "全年开展", "subproject_id"]) == {"S2", "S4"}


FACTS = [  # (figure key, scope, value, unit)
    ("service_term", "subproject:S2", 1, "年"),            # "合同规定项目服务期为 1 年，服务期至 2023 年 12 月"
    ("service_term", "subproject:S4", 1, "年"),            # "合同规定项目服务期为 1 年"
    ("service_term", "subproject:S5", 1, "年"),            # "合同规定项目服务期为 1 年，服务期至 2023 年 8 月"
    ("unit_price_video", "subproject:S3", 8000, "元/分钟"),  # "视频单价 8000 元/分钟"
    ("unit_cost_per_person", "subproject:S3", 6.25, "元/人"),  # "防范宣传资料人均标准 6.25 元"
    ("line_bandwidth", "subproject:S5", 500, "Mbps"),       # "2 条 500Mbps 光纤互联网专线"
    ("publicity_network_levels", "total", 4, "级"),         # "群众四级宣传网络"
]


@pytest.mark.parametrize("key,scope,value,unit", FACTS)
def test_fact_figures(tables, key, scope, value, unit):
    row = figure(tables, key, scope)
    assert row["kind"] == "fact"
    assert (row["value"], row["unit"]) == (approx(value), unit)


def test_derived_figures_are_marked_derived(tables):
    fg = tables("figures", PID)
    derived = set(fg.loc[fg["kind"] == "derived", "figure"])
    assert {"total_score", "score_rate", "budget_total", "arrival_rate", "payment_subtotal", "payment_total",
            "unspent_total", "execution_rate"} <= derived


# ---------------------------------------------------------------------------------------- findings
def test_findings(tables):
    fd = tables("findings", PID)
    counts = fd["kind"].value_counts().to_dict()
    # 四、（一）主要经验及做法: 3 headings × (3, 2, 2) sub-items; 四、（二）: 4 problems with (1, 3, 3, 2) sub-items;
    # 五、相关建议: (一)–(四), (三) with two numbered paragraphs
    assert counts == {"practice": 7, "problem": 9, "recommendation": 5}
    assert one(fd, finding_id="Q2.3")["title"] == "预算执行率偏低"
    assert "824.81 万元，预算执行率 71.72%" in one(fd, finding_id="Q2.3")["text"]
    assert one(fd, finding_id="Q1")["title"] == "部分指标不够明确合理"
    assert one(fd, finding_id="R4")["title"] == "统筹项目建设进度，加强项目总结归纳"
