"""Budget maths: rates, weighted rates, gauge readings (interim, over, not reported), money path, notes."""
import datetime as dt

import pandas as pd
import pytest

from perfeval.domain import budget


def test_rates_from_the_reports():
    # 天津: "累计拨付承办企业资金 824.81 万元 … 预算执行率 71.72%", received 1150
    assert round(budget.rate(824.81, 1150) * 100, 2) == 71.72
    # 福田: "实际使用 3,674.16 万元 … 预算执行率为 98.89%", received 3715.28
    assert round(budget.rate(3674.16, 3715.28) * 100, 2) == 98.89
    # 天水: spent 866.47 of 800 received
    assert round(budget.rate(866.47, 800) * 100, 2) == 108.31


@pytest.mark.parametrize("num,den", [(None, 10), (10, None), (10, 0), (pd.NA, 10), (float("nan"), 5)])
def test_rate_not_reported(num, den):
    assert budget.rate(num, den) is None


def test_weighted_rate_skips_rows_missing_an_input():
    num = pd.Series([824.81, 3674.16, 866.47])
    den = pd.Series([1150, 3715.28, None])
    assert budget.weighted_rate(num, den) == pytest.approx((824.81 + 3674.16) / (1150 + 3715.28))
    assert budget.weighted_rate(pd.Series([1.0]), pd.Series([None])) is None


@pytest.mark.parametrize("as_of,interim", [
    ("2023-06-30", True), (dt.date(2022, 12, 31), False), (pd.Timestamp("2021-12-31"), False),
    (None, False), (pd.NaT, False),
])
def test_interim(as_of, interim):
    assert budget.is_interim(as_of) is interim


@pytest.mark.parametrize("value,as_of,cap,status", [
    (0.7172, "2023-06-30", True, "interim"),   # 天津: mid-year, not a failure
    (0.7172, "2022-12-31", True, "below"),     # the same rate at a year end is
    (0.7172, None, True, "below"),
    (0.9889, None, True, "near"),
    (1.0, None, True, "met"),
    (1.0831, None, True, "over"),              # 天水: spent more than received
    (1.0831, None, False, "met"),              # an arrival rate above 100 % is not overspending
    (None, "2023-06-30", True, "not_reported"),
    (pd.NA, None, False, "not_reported"),
])
def test_gauge_reading(value, as_of, cap, status):
    r = budget.gauge_reading(value, 1.0, as_of, ceiling=(budget.EXECUTION_CEILING if cap else None))
    assert r.status == status
    assert r.color == budget.STATUS_COLORS[status]


def test_gauge_target_is_configurable():
    assert budget.gauge_reading(0.95, 0.9).status == "met"
    assert budget.gauge_reading(0.95, 1.0).status == "near"
    assert budget.gauge_reading(0.75, 1.0).status == "below"
    with pytest.raises(ValueError):
        budget.gauge_reading(0.5, 0)


def test_cutoff_text():
    assert budget.cutoff_text("2023-06-30") == "截至 2023-06-30（非年末数据）"
    assert budget.cutoff_text("2023-12-31") == "截至 2023-12-31"
    assert budget.cutoff_text(None) == "截至日期未披露"
    assert budget.cutoff_text("2023-06-30", "en") == "as of 2023-06-30 (not a year-end figure)"


def test_money_steps_full_path_adds_up():
    steps = budget.money_steps(1150, 1150, 824.81)
    assert [k for k, *_ in steps] == ["budget", "not_received", "received", "spent", "unspent"]
    d = {k: v for k, v, _ in steps}
    assert d["not_received"] == 0
    assert d["unspent"] == pytest.approx(325.19)  # "尚未拨付资金 325.19 万元"
    assert d["budget"] + d["not_received"] + d["spent"] == pytest.approx(d["unspent"])


def test_money_steps_without_budget_start_at_received_and_may_go_negative():
    steps = budget.money_steps(None, 800, 866.47)
    assert [k for k, *_ in steps] == ["received", "spent", "overspent"]
    assert steps[0][2] == "absolute"
    assert steps[-1][1] == pytest.approx(-66.47)


def test_money_steps_never_invent():
    assert budget.money_steps(None, None, None) == []
    assert [k for k, *_ in budget.money_steps(500, None, None)] == ["budget"]


def test_unspent():
    assert budget.unspent(1150, 824.81) == pytest.approx(325.19)
    assert budget.unspent(None, 824.81) is None


def test_notes_for_a_project_without_budget_that_overspent():
    project = {"budget": None, "estimated_investment": 6602.39, "received": 800.0, "spent": 866.47, "as_of": None}
    by_fund = pd.DataFrame({"fund_source": ["市级财政专项资金", "中央财政转移支付", "市级财政预算资金"],
                            "received": [800.0, None, None], "spent": [800.0, 66.47, 0.0]})
    subs = pd.DataFrame({"subproject_id": ["P1", "P2"], "subproject_name": ["一期", "二期"],
                         "estimated_investment": [2920.0, 3682.39]})
    notes = budget.money_notes(project, by_fund, subs)
    text = "\n".join(notes)
    assert "未披露预算" in text and "6,602.39 万元" in text and "一期 2,920" in text and "二期 3,682.39" in text
    assert "108.31%" in text and "66.47 万元" in text and "中央财政转移支付" in text
    assert "市级财政预算资金" not in text  # nothing spent from it: not an explanation
    assert "未注明资金数据的截至日期" in text


def test_notes_for_a_mid_year_cutoff():
    notes = budget.money_notes({"budget": 1150, "received": 1150, "spent": 824.81, "as_of": "2023-06-30"})
    assert len(notes) == 1 and "2023-06-30" in notes[0] and "不是年末数" in notes[0]


def test_no_notes_when_nothing_needs_explaining():
    assert budget.money_notes({"budget": 100, "received": 100, "spent": 90, "as_of": "2022-12-31"}) == []


def test_with_rates_per_year():
    years = pd.DataFrame({"year": [2021, 2022], "initial_budget": [1232.0, 1232.0], "adjusted_budget": [1251.28, 1232.0],
                          "budget": [1251.28, 1232.0], "received": [1251.28, None], "spent": [1242.66, 1208.99]})
    out = budget.with_rates(years)
    assert round(out["execution_rate"][0] * 100, 2) == 99.31   # "实际使用 1242.66 万元，预算执行率为 99.31%"
    assert out["adjustment"][0] == pytest.approx(19.28)
    assert out["adjustment"][1] == 0
    assert pd.isna(out["execution_rate"][1]) and pd.isna(out["arrival_rate"][1])  # no received: not reported


def _sel():
    return pd.DataFrame({"received": [1150.0, 3715.28, 800.0], "spent": [824.81, 3674.16, 866.47],
                         "budget": [1150.0, 3715.28, None],
                         "as_of": [pd.Timestamp("2023-06-30"), pd.NaT, pd.NaT]})


def test_selection_reading_is_weighted_and_interim_when_a_member_is():
    reading, counted, left_out = budget.selection_reading(_sel(), "spent", "received", ceiling=budget.EXECUTION_CEILING)
    assert reading.value == pytest.approx((824.81 + 3674.16 + 866.47) / (1150 + 3715.28 + 800))
    assert (counted, left_out) == (3, 0)
    assert reading.interim and reading.status == "interim"
    reading, counted, left_out = budget.selection_reading(_sel(), "received", "budget")
    assert (counted, left_out) == (2, 1) and reading.status == "met"
    reading, *_ = budget.selection_reading(_sel().iloc[1:], "spent", "received", ceiling=budget.EXECUTION_CEILING)
    assert not reading.interim


def test_compare_stated_checks_rates_totals_and_years():
    stated = pd.DataFrame({
        "figure": ["execution_rate", "execution_rate", "adjusted_budget_total", "adjusted_budget_total", "budget_total",
                   "saving_rate", "execution_rate"],
        "scope": ["total", "year:2021", "total", "total", "total", "total", "year:2022"],
        "label": ["预算执行率"] * 2 + ["调整预算金额", "总申请预算金额", "年初预算金额", "成本节约率", "预算执行率"],
        "value": [0.9889, 0.9931, 3715.28, 3715.28, 3696.0, 0.0112, 0.99],
        "qualifier": [None] * 7,
    })
    totals = {"initial_budget": 3696.0, "adjusted_budget": 3715.28, "budget": 3715.28, "received": 3715.28,
              "spent": 3674.16, "execution_rate": 3674.16 / 3715.28}
    years = pd.DataFrame({"year": [2021, 2022], "initial_budget": [1232.0] * 2, "adjusted_budget": [1251.28, 1232.0],
                          "budget": [1251.28, 1232.0], "received": [1251.28, 1232.0], "spent": [1242.66, 1208.99]})
    cmp = budget.compare_stated(stated, totals, years)
    assert list(cmp["figure"]) == ["execution_rate", "execution_rate", "adjusted_budget_total", "budget_total",
                                   "execution_rate"]  # the repeated 3715.28 once, saving_rate not ours
    assert list(cmp["agrees"]) == [True, True, True, True, False]  # 2022 is 98.13%, not the 99% fed in


def test_compare_stated_without_inputs_cannot_agree():
    stated = pd.DataFrame({"figure": ["execution_rate"], "scope": ["total"], "label": ["x"], "value": [0.7],
                           "qualifier": [None]})
    cmp = budget.compare_stated(stated, {"received": None, "spent": 5.0})
    assert cmp["agrees"].tolist() == [None] and cmp["computed"].tolist() == [None]


def test_cutoff_summary_counts_interim_year_end_and_undated():
    values = [pd.Timestamp("2023-06-30"), pd.NaT, None, pd.Timestamp("2022-12-31"), pd.Timestamp("2024-06-30")]
    text = budget.cutoff_summary(values)
    assert text == ("数据截至：1 个项目为年末数据（截至 2022-12-31）；2 个项目为非年末数据（截至 2023-06-30、2024-06-30）；"
                    "2 个项目未注明截至日期")
    assert budget.cutoff_summary([pd.NaT], "en") == "Cut-off: 1 without a cut-off date"
    many = [pd.Timestamp(f"20{y}-06-30") for y in range(10, 16)]
    assert budget.cutoff_summary(many).endswith("…）")


def test_scope_label():
    assert budget.scope_label("total") == "全项目"
    assert budget.scope_label("year:2021") == "2021年"
    assert budget.scope_label("year:2021", "en") == "2021"
    assert budget.scope_label("subproject:S1") == "子项目 S1"


def test_totals_by_year_keep_missing_as_missing():
    years = pd.DataFrame({"project_id": ["a", "b", "a"], "year": [2022, 2022, 2023],
                          "initial_budget": [100.0, None, 50.0], "adjusted_budget": [None, None, None],
                          "budget": [100.0, None, 50.0], "estimated_investment": [None, 10.0, None],
                          "received": [100.0, 80.0, 50.0], "spent": [90.0, 70.0, None]})
    out = budget.totals_by_year(years)
    assert list(out["year"]) == [2022, 2023]
    assert list(out["received"]) == [180.0, 50.0]
    assert out["spent"].tolist()[0] == 160.0 and pd.isna(out["spent"].tolist()[1])
    assert out["adjusted_budget"].isna().all()
    assert list(out["projects"]) == [2, 1]
    # b reports no initial budget for 2022: the year's total would leave it out, so it is not given
    assert pd.isna(out["initial_budget"].tolist()[0]) and out["initial_budget"].tolist()[1] == 50.0


def test_overspending_is_judged_against_100_percent_not_the_target():
    # a 95 % target does not make 98.89 % an overspend; 108.31 % stays one under any target
    assert budget.gauge_reading(0.9889, 0.95, ceiling=budget.EXECUTION_CEILING).status == "met"
    assert budget.gauge_reading(1.0831, 1.2, ceiling=budget.EXECUTION_CEILING).status == "over"


# ------------------------------------------------------------------------------------ the queries on a tiny lake

from perfeval.data.gate import DataGate, Scope  # noqa: E402
from perfeval.data.lake import Lake  # noqa: E402
from tests.lakes import write_table as _write  # noqa: E402

NO_FILTERS = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)



def _project(pid, source):
    return dict(project_id=pid, name=f"{pid} 项目", short_name=pid, category="反诈", province="某省", region_code="990000",
                implementing_unit="单位", evaluator="机构", evaluator_type="自评", period_start="2022-01-01",
                period_end="2022-12-31", source=source)


@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    root = tmp_path_factory.mktemp("budget_lake") / "data"
    _write(root, "catalog/documents.csv", "documents", [dict(source="report:a", kind="report", title="A"),
                                                        dict(source="demo:b", kind="demo", title="B")])
    _write(root, "seed/a/projects.csv", "projects", [_project("A", "report:a")])
    _write(root, "seed/b/projects.csv", "projects", [_project("B", "demo:b")])
    _write(root, "seed/a/subprojects.csv", "subprojects", [
        dict(project_id="A", subproject_id="S1", name="一号", source="report:a"),
        dict(project_id="A", subproject_id="S2", name="二号", source="report:a")])
    # budgets per sub-project; received and spent for the whole project, from two fund sources
    _write(root, "seed/a/budget.csv", "budget", [
        dict(project_id="A", year=2022, subproject_id="S1", fund_source="F1", initial_budget=100, source="report:a"),
        dict(project_id="A", year=2022, subproject_id="S2", fund_source="F1", initial_budget=50, source="report:a"),
        dict(project_id="A", year=2022, fund_source="F1", received=150, spent=80, as_of="2023-06-30", source="report:a"),
        dict(project_id="A", year=2022, fund_source="F2", spent=10, source="report:a")])
    _write(root, "seed/a/payments.csv", "payments", [
        dict(project_id="A", payment_id="P1", subproject_id="S1", vendor="甲公司", amount=30, source="report:a"),
        dict(project_id="A", payment_id="P2", subproject_id="S1", vendor="甲公司（旧写法）", amount=20, source="report:a"),
        dict(project_id="A", payment_id="P3", subproject_id="S2", amount=5, source="report:a")])
    _write(root, "seed/a/vendor_aliases.csv", "vendor_aliases", [
        dict(alias="甲公司", vendor="甲公司", source="report:a"),
        dict(alias="甲公司（旧写法）", vendor="甲公司", source="report:a")])
    _write(root, "seed/a/figures.csv", "figures", [
        dict(project_id="A", figure_id="F1", kind="derived", figure="execution_rate", scope="total", label="执行率",
             value=0.6, unit="%", source="report:a"),
        dict(project_id="A", figure_id="F2", kind="derived", figure="score_rate", scope="total", label="得分率",
             value=0.9, unit="%", source="report:a")])
    return DataGate(Lake(root))


def test_budget_projects_query(gate):
    df = gate.query("budget_projects", Scope.everything(), **NO_FILTERS, project_id=None).set_index("project_id")
    a = df.loc["A"]
    # budget 100 + 50 (per sub-project); received 150; spent 80 + 10 (two fund sources)
    assert (a["budget"], a["received"], a["spent"]) == (150, 150, 90)
    assert a["execution_rate"] == pytest.approx(0.6) and a["arrival_rate"] == pytest.approx(1.0)
    assert a["unspent"] == pytest.approx(60)
    assert str(a["as_of"])[:10] == "2023-06-30"
    b = df.loc["B"]
    assert pd.isna(b["budget"]) and pd.isna(b["spent"]) and pd.isna(b["execution_rate"])  # not reported, not 0
    only = gate.query("budget_projects", Scope.everything(include_demo=False), **NO_FILTERS, project_id=None)
    assert list(only["project_id"]) == ["A"]
    one = gate.query("budget_projects", Scope.everything(), **NO_FILTERS, project_id="B")
    assert list(one["project_id"]) == ["B"]


def test_budget_by_subproject_and_fund_source(gate):
    sub = gate.query("budget_by_subproject", Scope.everything(), project_id="A")
    rows = {r["subproject_id"] if isinstance(r["subproject_id"], str) else None: r for r in sub.to_dict("records")}
    assert (rows["S1"]["budget"], rows["S1"]["paid"], rows["S1"]["payment_lines"]) == (100, 50, 2)
    assert (rows["S2"]["budget"], rows["S2"]["paid"]) == (50, 5)
    assert rows["S1"]["subproject_name"] == "一号"
    assert (rows[None]["received"], rows[None]["spent"]) == (150, 90)  # both fund sources, whole project
    fund = gate.query("budget_by_fund_source", Scope.everything(), project_id="A").set_index("fund_source")
    assert fund.loc["F2", "spent"] == 10 and pd.isna(fund.loc["F2", "received"])
    assert fund.loc["F1", "budget"] == 150


def test_budget_by_year_and_stated_rates(gate):
    years = gate.query("budget_by_year", Scope.everything(), **NO_FILTERS, project_id="A")
    assert list(years["year"]) == [2022] and years["spent"][0] == 90
    stated = gate.query("budget_stated_rates", Scope.everything(), **NO_FILTERS, project_id=None)
    assert list(stated["figure"]) == ["execution_rate"]  # the score rate is not a money figure


def test_payments_queries_merge_spellings(gate):
    v = gate.query("payments_by_vendor", Scope.everything(), **NO_FILTERS, project_id=None)
    named = v[v["vendor"].notna()].iloc[0]
    assert (named["vendor"], named["amount"], named["payment_lines"], named["n_spellings"]) == ("甲公司", 50, 2, 2)
    assert named["known_spellings"] == "甲公司；甲公司（旧写法）"
    unnamed = v[v["vendor"].isna()].iloc[0]
    assert unnamed["amount"] == 5
    lines = gate.query("payments_lines", Scope.everything(), project_id="A").set_index("payment_id")
    assert list(lines["respelled"]) == [False, True, False]
    assert lines.loc["P2", "vendor"] == "甲公司" and lines.loc["P2", "spelling"] == "甲公司（旧写法）"


# ------------------------------------------------------------------ the portfolio from SQL sums (budget_portfolio)
def _groups():
    """Rows as queries/budget_portfolio.sql gives them: one per cut-off date (NaT = undated)."""
    return pd.DataFrame({
        "as_of": [pd.Timestamp("2022-12-31"), pd.Timestamp("2023-06-30"), pd.NaT],
        "projects": [2, 1, 2],
        "n_budget": [2, 1, 0], "budget": [300.0, 100.0, None],
        "n_received": [2, 1, 1], "received": [280.0, 100.0, 50.0],
        "n_spent": [2, 1, 1], "spent": [250.0, 40.0, 60.0],
        "n_unspent": [2, 1, 1], "unspent": [30.0, 60.0, -10.0],
        "arrival_n": [2, 1, 0], "arrival_num": [280.0, 100.0, None], "arrival_den": [300.0, 100.0, None],
        "execution_n": [2, 1, 1], "execution_num": [250.0, 40.0, 60.0], "execution_den": [280.0, 100.0, 50.0],
    })


def test_portfolio_totals_sum_the_groups_and_count_the_missing():
    totals = budget.portfolio_totals(_groups())
    assert totals == {"projects": 5, "budget": 400.0, "received": 430.0, "spent": 350.0, "unspent": 80.0,
                      "no_budget": 2}
    none = budget.portfolio_totals(_groups().assign(n_budget=0, budget=None))
    assert none["budget"] is None and none["no_budget"] == 5           # not reported, never 0
    empty = budget.portfolio_totals(_groups().iloc[0:0])
    assert empty["projects"] == 0 and empty["received"] is None


def test_portfolio_reading_is_weighted_and_interim_when_a_counted_project_is():
    reading, n, left = budget.portfolio_reading(_groups(), "execution", ceiling=budget.EXECUTION_CEILING)
    assert reading.value == pytest.approx(350 / 430) and (n, left) == (4, 1)
    assert reading.interim and reading.status == "interim"              # the 2023-06-30 group counts
    reading, n, left = budget.portfolio_reading(_groups(), "arrival")
    assert reading.value == pytest.approx(380 / 400) and (n, left) == (3, 2)
    only_year_end = _groups().iloc[[0, 2]]
    reading, *_ = budget.portfolio_reading(only_year_end, "execution", 0.8, ceiling=budget.EXECUTION_CEILING)
    assert not reading.interim and reading.status == "met"              # (250 + 60) / 330 ≥ 80 %
    reading, n, left = budget.portfolio_reading(_groups().assign(arrival_n=0), "arrival")
    assert reading.status == "not_reported" and (n, left) == (0, 5)
    with pytest.raises(ValueError):
        budget.portfolio_reading(_groups(), "spent")


def test_cutoff_summary_counts_takes_one_row_per_date():
    pairs = [(pd.Timestamp("2022-12-31"), 3), (pd.Timestamp("2023-06-30"), 2), (pd.NaT, 1), (None, 1),
             (pd.Timestamp("2024-06-30"), 0)]
    assert budget.cutoff_summary_counts(pairs) == (
        "数据截至：3 个项目为年末数据（截至 2022-12-31）；2 个项目为非年末数据（截至 2023-06-30）；2 个项目未注明截至日期")
    values = [pd.Timestamp("2022-12-31")] * 3 + [pd.Timestamp("2023-06-30")] * 2 + [pd.NaT, None]
    assert budget.cutoff_summary_counts(pairs, "en") == budget.cutoff_summary(values, "en")
    assert budget.cutoff_summary_counts([]) == "数据截至：无项目"


def test_notes_need_says_which_inputs_the_notes_read(tables):
    """money_notes gives the same sentences when a page leaves out the inputs notes_need says it will not read
    (every seed and demo project, both languages)."""
    from perfeval.data.gate import DataGate, Scope
    from perfeval.data.lake import Lake
    from tests.conftest import DATA

    gate = DataGate(Lake(DATA))
    flt = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)
    rows = gate.query("budget_projects", Scope.everything(), **flt, project_id=None).to_dict("records")
    needed = {"fund": 0, "sub": 0}
    for r in rows:
        by_fund = gate.query("budget_by_fund_source", Scope.everything(), project_id=r["project_id"])
        by_sub = gate.query("budget_by_subproject", Scope.everything(), project_id=r["project_id"])
        need_fund, need_sub = budget.notes_need(r)
        needed["fund"] += need_fund
        needed["sub"] += need_sub
        for lang in ("zh", "en"):
            assert (budget.money_notes(r, by_fund if need_fund else None, by_sub if need_sub else None, lang)
                    == budget.money_notes(r, by_fund, by_sub, lang)), r["project_id"]
    assert needed["fund"] >= 1 and needed["sub"] >= 1   # 天水 overspent, and reports no budget


def test_notes_need():
    assert budget.notes_need({"budget": None, "estimated_investment": 6602.39, "received": 800, "spent": 866.47}) \
        == (True, True)
    assert budget.notes_need({"budget": 1150, "received": 1150, "spent": 824.81}) == (False, False)
    assert budget.notes_need({"budget": None, "received": None, "spent": 5}) == (False, False)
