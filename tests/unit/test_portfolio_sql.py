"""The budget, outcomes and satisfaction pages' portfolio figures, now computed in SQL, equal what the Python
they replaced computes from the per-project rows.

With no project picked the pages used to load every selected project's rows (budget_projects, budget_by_year,
payments_by_vendor, outcomes_values, targets_list, survey_projects) and add them up in Python. They now ask
queries/budget_portfolio.sql, budget_totals_by_year.sql, payments_vendor_totals.sql, outcomes_summary.sql,
outcomes_trends.sql, outcomes_projects_without.sql, targets_summary.sql and survey_status_counts.sql for the
totals, and budget_projects_attention.sql, budget_by_year_attention.sql, targets_attention.sql,
survey_projects_attention.sql (and outcomes_values.sql with $limit) for the rows a capped table lists.
Each test computes the old answer from the old inputs with the old functions (perfeval.domain.budget.selection_reading,
cutoff_summary, totals_by_year, perfeval.domain.outcomes.trend_metrics, target_verdict, perfeval.domain.survey.survey_view;
the old outcomes_values query is kept in tests/reference/sql/) and compares — on the seed reports with the
demo portfolio, on a tiny lake of awkward cases, and on a generated bench lake when one is present
(bench/lake/1000, not in git).
"""
from __future__ import annotations

import collections
import pathlib

import pandas as pd
import pytest

from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.domain import budget, outcomes, survey
from tests.conftest import DATA, ROOT
from tests.lakes import write_table

NO_FILTERS = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)
REFERENCE_SQL = pathlib.Path(__file__).parents[1] / "reference" / "sql"
BENCH_LAKE = ROOT / "bench" / "lake" / "1000"
SCOPES = [Scope.everything(), Scope.everything(include_demo=False)]
CATS = list(outcomes.CATEGORY_ORDER)


def _project(pid, region="990101", category="反诈"):
    return dict(project_id=pid, name=f"{pid} 项目", short_name=f"{pid} 简称", category=category, province="某省",
                region_code=region, implementing_unit="单位", evaluator="机构", evaluator_type="自评",
                period_start="2022-01-01", period_end="2022-12-31", population=50 if pid == "A" else None,
                source="report:a")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> pathlib.Path:
    """Awkward cases: no budget, a zero budget, overspending, an interim cut-off, a vendor spelled two ways and
    a payment naming no vendor, a project with no outcome, targets without figures or a verdict, a survey with
    only a distribution, only a score, only words, an empty distribution, and no survey."""
    root = tmp_path_factory.mktemp("tiny") / "data"
    write_table(root, "catalog/documents.csv", "documents", [dict(source="report:a", kind="report", title="A")])
    write_table(root, "catalog/metrics.csv", "metrics", [
        dict(metric_key="m_count", name_zh="宣传场数", name_en="campaigns", unit="场", category="宣传",
             direction="higher", source="report:a"),
        dict(metric_key="m_rate", name_zh="下降率", name_en="decline", unit="%", category="案件",
             direction="higher", source="report:a"),
        dict(metric_key="m_other", name_zh="其他", name_en="other", unit="项", category="其他",
             direction="higher", source="report:a")])
    write_table(root, "seed/a/projects.csv", "projects", [
        _project("A"), _project("B", "990102"), _project("C", "990102", "治安"), _project("D"), _project("E")])
    write_table(root, "seed/a/budget.csv", "budget", [
        dict(project_id="A", year=2021, initial_budget=100, adjusted_budget=120, received=110, spent=99,
             as_of="2021-12-31", source="report:a"),
        dict(project_id="A", year=2022, initial_budget=50, received=50, spent=60, source="report:a"),
        dict(project_id="C", year=2022, received=80, spent=40, as_of="2022-06-30", source="report:a"),
        dict(project_id="D", year=2022, initial_budget=30, source="report:a"),
        dict(project_id="E", year=2022, initial_budget=0, received=5, spent=5, source="report:a")])
    write_table(root, "seed/a/vendor_aliases.csv", "vendor_aliases", [
        dict(alias="甲公司（旧）", vendor="甲公司", source="report:a")])
    write_table(root, "seed/a/payments.csv", "payments", [
        dict(project_id="A", payment_id="P1", vendor="甲公司", amount=10, source="report:a"),
        dict(project_id="A", payment_id="P2", vendor="甲公司（旧）", amount=5, source="report:a"),
        dict(project_id="C", payment_id="P1", vendor="甲公司", amount=3, source="report:a"),
        dict(project_id="C", payment_id="P2", amount=2, source="report:a"),
        dict(project_id="E", payment_id="P1", vendor="乙公司", amount=7, source="report:a")])
    write_table(root, "seed/a/outcomes.csv", "outcomes", [
        dict(project_id="A", outcome_id="O1", metric_key="m_count", year=2021, value=10, unit="场", source="report:a"),
        dict(project_id="A", outcome_id="O2", metric_key="m_count", year=2022, value=12, unit="场", source="report:a"),
        dict(project_id="A", outcome_id="O3", metric_key="m_rate", year=2022, value=0.5, unit="%", source="report:a"),
        dict(project_id="C", outcome_id="O1", metric_key="m_count", value=7, unit="场", source="report:a"),
        dict(project_id="C", outcome_id="O2", metric_key="m_other", year=2022, value=1, unit="项", source="report:a"),
        dict(project_id="D", outcome_id="O1", metric_key="m_rate", year=2021, value=0.1, unit="%", source="report:a"),
        dict(project_id="D", outcome_id="O2", metric_key="m_rate", year=2022, value=0.2, unit="%", source="report:a")])
    write_table(root, "seed/a/targets.csv", "targets", [
        dict(project_id="A", target_id="T1", name="场数", unit="场", operator=">=", target_value=11, actual_value=12,
             stated_met="true", source="report:a"),
        dict(project_id="A", target_id="T2", name="人数", unit="人", operator=">=", target_value=100, actual_value=90,
             stated_met="true", source="report:a"),
        dict(project_id="A", target_id="T3", name="文字", stated_met="false", source="report:a"),
        dict(project_id="A", target_id="T4", name="无结论", source="report:a"),
        dict(project_id="C", target_id="T1", name="执行率", unit="%", operator="=", target_value=1.0,
             actual_value=1.0, source="report:a"),
        dict(project_id="C", target_id="T2", name="发案", unit="起", operator="<", target_value=5, actual_value=6,
             source="report:a"),
        dict(project_id="C", target_id="T3", name="零目标", unit="起", operator=">=", target_value=0, actual_value=1,
             source="report:a")])
    write_table(root, "seed/a/surveys.csv", "surveys", [
        dict(project_id="A", survey_id="SV1", issued=200, valid=180, satisfaction_rate=0.8, source="report:a"),
        dict(project_id="C", survey_id="SV1", n_very_satisfied=10, n_satisfied=20, n_neutral=5, n_dissatisfied=3,
             n_very_dissatisfied=2, source="report:a"),
        dict(project_id="C", survey_id="SV2", satisfaction_score=95, source="report:a"),
        dict(project_id="D", survey_id="SV1", level_text="群众满意", source="report:a"),
        dict(project_id="E", survey_id="SV1", n_very_satisfied=0, n_satisfied=0, n_neutral=0, n_dissatisfied=0,
             n_very_dissatisfied=0, source="report:a")])
    return root


LAKES = ["bundled", "tiny", "bench"]


@pytest.fixture(scope="module", params=LAKES)
def case(request, tiny):
    """(gate, list of (scope, filters)) for each lake: both demo settings and a few filters."""
    if request.param == "bundled":
        gate = DataGate(Lake(DATA))
        filters = [NO_FILTERS, {**NO_FILTERS, "region": "12"}, {**NO_FILTERS, "year_from": 2023}]
    elif request.param == "tiny":
        gate = DataGate(Lake(tiny))
        filters = [NO_FILTERS, {**NO_FILTERS, "region": "990102"}, {**NO_FILTERS, "category": "治安"}]
    else:
        if not (BENCH_LAKE / "lake").is_dir():
            pytest.skip("no generated bench lake (python -m bench.generate)")
        gate = DataGate(Lake(BENCH_LAKE))
        filters = [NO_FILTERS]
    return gate, [(sc, flt) for sc in SCOPES for flt in filters]


def _q(gate, name, sc, flt, **params):
    return gate.query(name, sc, **flt, **params)


def _close(a, b):
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return (a is None or pd.isna(a)) and (b is None or pd.isna(b))
    return a == pytest.approx(b, rel=1e-9, abs=1e-9)


# ------------------------------------------------------------------------------------------------ budget
def test_budget_portfolio_gives_the_old_totals_rates_and_cutoffs(case):
    gate, variants = case
    for sc, flt in variants:
        projects = _q(gate, "budget_projects", sc, flt, project_id=None)
        groups = _q(gate, "budget_portfolio", sc, flt, project_id=None)
        totals = budget.portfolio_totals(groups)
        assert totals["projects"] == len(projects)
        assert totals["no_budget"] == int(projects["budget"].isna().sum())
        for col in budget.MONEY_MEASURES:
            s = projects[col].dropna()
            assert _close(totals[col], float(s.sum()) if len(s) else None), col
        for which, num, den, ceiling in (("arrival", "received", "budget", None),
                                         ("execution", "spent", "received", budget.EXECUTION_CEILING)):
            for target in (1.0, 0.9):
                old, old_n, old_left = budget.selection_reading(projects, num, den, target, ceiling=ceiling)
                new, n, left = budget.portfolio_reading(groups, which, target, ceiling=ceiling)
                assert (n, left) == (old_n, old_left)
                assert _close(new.value, old.value)
                assert (new.status, new.interim, new.target) == (old.status, old.interim, old.target)
        for lang in ("zh", "en"):
            assert (budget.cutoff_summary_counts(zip(groups["as_of"], groups["projects"]), lang)
                    == budget.cutoff_summary(projects["as_of"], lang))


def test_budget_portfolio_of_one_project_is_its_row(case):
    gate, variants = case
    sc, flt = variants[0]
    projects = _q(gate, "budget_projects", sc, flt, project_id=None)
    for r in projects.head(5).to_dict("records"):
        totals = budget.portfolio_totals(_q(gate, "budget_portfolio", sc, flt, project_id=r["project_id"]))
        assert totals["projects"] == 1
        for col in budget.MONEY_MEASURES:
            assert _close(totals[col], r[col]), col


def test_budget_totals_by_year_equal_the_python_sums(case):
    gate, variants = case
    for sc, flt in variants:
        years = _q(gate, "budget_by_year", sc, flt, project_id=None)
        new = _q(gate, "budget_totals_by_year", sc, flt)
        if years.empty:
            assert new.empty
            continue
        old = budget.totals_by_year(years)
        assert list(new["year"]) == list(old["year"])
        for col in ("initial_budget", "adjusted_budget", "budget", "estimated_investment", "received", "spent",
                    "projects"):
            assert all(_close(a, b) for a, b in zip(new[col], old[col])), col
        assert set(new["all_projects"]) == {years["project_id"].nunique()}
        assert set(new["project_years"]) == {len(years)}
        assert set(new["project_id"]) == {"all"}


def _cells(df: pd.DataFrame) -> list[list]:
    """The values of a frame, row by row, every kind of missing as None (a query's column dtype depends on
    whether its rows hold a NULL: Int32 or int32, str or object)."""
    return [[None if (not isinstance(v, (list, tuple)) and pd.isna(v)) else v for v in row]
            for row in df.astype(object).itertuples(index=False)]


def _rank(values):
    """Sort keys: lowest first, missing last."""
    return [(pd.isna(v), 0 if pd.isna(v) else v) for v in values]


def test_budget_attention_rows_are_the_lowest_execution_rates(case):
    gate, variants = case
    for sc, flt in variants:
        projects = _q(gate, "budget_projects", sc, flt, project_id=None)
        every = _q(gate, "budget_projects_attention", sc, flt, limit=len(projects) + 1)
        assert sorted(every["project_id"]) == sorted(projects["project_id"])
        assert list(every.columns) == list(projects.columns)
        keys = _rank(every["execution_rate"])
        assert keys == sorted(keys)
        # the capped list is its head; the rates it shows are the project's own (as in budget_projects)
        some = _q(gate, "budget_projects_attention", sc, flt, limit=3)
        assert list(some["project_id"]) == list(every["project_id"].head(3))
        mine = projects.set_index("project_id").loc[list(every["project_id"])]
        assert all(_close(a, b) for a, b in zip(every["execution_rate"], mine["execution_rate"]))
        # the chart of the uncapped page (the 30 lowest in pandas) draws the same rates
        old = projects.sort_values("execution_rate", na_position="last").head(30)
        assert all(_close(a, b) for a, b in zip(every["execution_rate"].head(30), old["execution_rate"]))


def test_budget_by_year_attention_rows_are_the_years_with_the_lowest_execution_rates(case):
    gate, variants = case
    for sc, flt in variants:
        years = _q(gate, "budget_by_year", sc, flt, project_id=None)
        every = _q(gate, "budget_by_year_attention", sc, flt, limit=len(years) + 1)
        assert list(every.columns) == list(years.columns)
        key = ["project_id", "year"]
        assert _cells(every.sort_values(key)) == _cells(years.sort_values(key))
        keys = _rank(budget.with_rates(every)["execution_rate"])
        assert keys == sorted(keys)


def test_vendor_totals_are_the_sums_of_the_project_vendor_rows(case):
    gate, variants = case
    for sc, flt in variants:
        pairs = _q(gate, "payments_by_vendor", sc, flt, project_id=None)
        new = _q(gate, "payments_vendor_totals", sc, flt, limit=100_000)
        if pairs.empty:
            assert new.empty
            continue
        key = pairs["vendor"].fillna("\0none")
        old = pairs.assign(key=key).groupby("key", sort=False).agg(
            amount=("amount", "sum"), payment_lines=("payment_lines", "sum"), projects=("project_id", "nunique"),
            n_known_spellings=("n_known_spellings", "max"))
        got = new.assign(key=new["vendor"].fillna("\0none")).set_index("key")
        assert set(got.index) == set(old.index)
        for col in ("amount", "payment_lines", "projects", "n_known_spellings"):
            assert all(_close(got.loc[k, col], old.loc[k, col]) for k in old.index), col
        # a vendor's spellings are those of its project rows together
        for k in old.index:
            mine = set(";".join(pairs.loc[key == k, "spellings"].dropna()).replace("；", ";").split(";")) - {""}
            spelled = got.loc[k, "spellings"]
            theirs = set((spelled if isinstance(spelled, str) else "").split("；")) - {""}
            assert mine == theirs
        assert set(new["vendors"]) == {len(old)}
        assert set(new["pairs"]) == {len(pairs)}
        assert _close(new["total_amount"].iloc[0], float(pairs["amount"].sum()))
        amounts = list(new["amount"])
        assert amounts == sorted(amounts, reverse=True)
        top = _q(gate, "payments_vendor_totals", sc, flt, limit=2)
        assert list(top["vendor"].fillna("-")) == list(new["vendor"].fillna("-").head(2))


# ------------------------------------------------------------------------------------------------ outcomes
def _old_values(gate, sc, flt, project_id=None):
    sql = (REFERENCE_SQL / "outcomes_values.sql").read_text(encoding="utf-8")
    return gate.run_sql(sql, sc, {**flt, "project_id": project_id}, label="outcomes_values (old)")


def test_outcomes_summary_counts_the_old_rows(case):
    gate, variants = case
    for sc, flt in variants:
        old = _old_values(gate, sc, flt)
        new = _q(gate, "outcomes_summary", sc, flt, project_id=None)
        if old.empty:
            assert new.empty
            continue
        assert set(new["all_figures"]) == {len(old)} and set(new["all_projects"]) == {old["project_id"].nunique()}
        cats = old.assign(c=old["category"].fillna("\0")).groupby("c")
        got = new.assign(c=new["category"].fillna("\0")).set_index("c")
        assert set(got.index) == set(cats.groups)
        for c, part in cats:
            assert (got.loc[c, "figures"], got.loc[c, "projects"]) == (len(part), part["project_id"].nunique())


def test_outcomes_values_pages_the_old_rows(case):
    gate, variants = case
    for sc, flt in variants:
        old = _old_values(gate, sc, flt)
        for chosen in (CATS, CATS[:3], ["宣传"]):
            want = old[old["category"].isin(chosen)].reset_index(drop=True)
            for limit in (None, 2, 500):
                new = _q(gate, "outcomes_values", sc, flt, project_id=None, categories=chosen, limit=limit)
                head = want if limit is None else want.head(limit)
                assert _cells(new[list(want.columns)]) == _cells(head), (chosen, limit)
                assert set(new["figures"]) <= {len(want)} and set(new["projects"]) <= {want["project_id"].nunique()}
                assert len(new) == 0 or new["figures"].iloc[0] == len(want)
        for pid in old["project_id"].unique()[:3]:
            one = _old_values(gate, sc, flt, pid)
            new = _q(gate, "outcomes_values", sc, flt, project_id=pid, categories=None, limit=None)
            assert _cells(new[list(one.columns)]) == _cells(one[one["category"].notna()])


def test_outcomes_trends_are_the_first_series_of_the_old_rows(case):
    gate, variants = case
    for sc, flt in variants:
        old = _old_values(gate, sc, flt)
        shown = old[old["category"].isin(CATS)]
        keys = outcomes.trend_metrics(shown)
        for limit in (12, 2):
            keep = set(keys[:limit])
            want = shown[[(p, k) in keep for p, k in zip(shown["project_id"], shown["metric_key"])]]
            new = _q(gate, "outcomes_trends", sc, flt, project_id=None, categories=CATS, limit=limit)
            assert list(zip(new["project_id"], new["outcome_id"])) == list(zip(want["project_id"], want["outcome_id"]))
            assert len(new) == 0 or set(new["series"]) == {len(keys)}
            assert all(_close(a, b) for a, b in zip(new["value"], want["value"]))


def test_outcomes_projects_without_figures(case):
    gate, variants = case
    for sc, flt in variants:
        sel = _q(gate, "budget_projects", sc, flt, project_id=None)
        old = _old_values(gate, sc, flt)
        want = sorted(set(sel["short_name"]) - set(old["short_name"]))
        new = _q(gate, "outcomes_projects_without", sc, flt, project_id=None, limit=21)
        assert list(new["short_name"]) == want[:21]
        assert len(new) == 0 or set(new["names"]) == {len(want)}


def test_the_tiny_lake_has_a_project_without_outcomes(tiny):
    new = DataGate(Lake(tiny)).query("outcomes_projects_without", Scope.everything(), **NO_FILTERS, project_id=None,
                                     limit=5)
    assert list(new["short_name"]) == ["B 简称", "E 简称"]


def test_targets_summary_counts_the_python_verdicts(case):
    gate, variants = case
    for sc, flt in variants:
        targets = _q(gate, "targets_list", sc, flt, project_id=None)
        (s,) = _q(gate, "targets_summary", sc, flt, project_id=None).to_dict("records")
        verdicts = [outcomes.target_verdict(r) for r in targets.to_dict("records")]
        numeric = targets[targets["actual_value"].notna() & targets["target_value"].notna()
                          & (targets["target_value"] != 0)]
        assert s["targets"] == len(targets)
        assert s["met"] == sum(v["met"] is True for v in verdicts)
        assert s["not_met"] == sum(v["met"] is False for v in verdicts)
        assert s["no_verdict"] == sum(v["met"] is None for v in verdicts)
        assert s["disagree"] == sum(v["disagree"] for v in verdicts)
        assert s["numeric"] == len(numeric) and s["numeric_projects"] == numeric["project_id"].nunique()
        assert s["with_actual"] == int(targets["actual_value"].notna().sum())


def test_targets_attention_puts_first_what_the_chart_put_first(case):
    gate, variants = case
    rank = {False: 0, None: 1, True: 2}
    for sc, flt in variants:
        targets = _q(gate, "targets_list", sc, flt, project_id=None)
        num = targets[targets["actual_value"].notna() & targets["target_value"].notna() & (targets["target_value"] != 0)]
        met = [outcomes.target_verdict(r)["met"] for r in num.to_dict("records")]
        # the old chart: a stable sort of the numeric targets by verdict, its first 40
        old = num.assign(_r=[rank[m] for m in met]).sort_values("_r", kind="stable").head(40)
        new = _q(gate, "targets_attention", sc, flt, numeric_only=True, limit=40)
        assert list(zip(new["project_id"], new["target_id"])) == list(zip(old["project_id"], old["target_id"]))
        every = _q(gate, "targets_attention", sc, flt, numeric_only=False, limit=len(targets) + 1)
        assert list(every.columns) == list(targets.columns)
        assert sorted(zip(every["project_id"], every["target_id"])) == sorted(zip(targets["project_id"],
                                                                                  targets["target_id"]))
        ranks = [rank[outcomes.target_verdict(r)["met"]] for r in every.to_dict("records")]
        assert ranks == sorted(ranks)


# ------------------------------------------------------------------------------------------------ surveys
def test_survey_status_counts_equal_the_python_views(case):
    gate, variants = case
    for sc, flt in variants:
        rows = _q(gate, "survey_projects", sc, flt, project_id=None)
        old = collections.Counter(survey.survey_view(r).status for r in rows.to_dict("records"))
        new = survey.status_counts(_q(gate, "survey_status_counts", sc, flt, project_id=None))
        assert new == {s: old.get(s, 0) for s in survey.STATUSES}


def test_the_tiny_lake_covers_every_survey_status(tiny):
    counts = DataGate(Lake(tiny)).query("survey_status_counts", Scope.everything(), **NO_FILTERS, project_id=None)
    assert survey.status_counts(counts) == {"figures": 2, "score": 1, "conclusion": 1, "none": 2}


def test_survey_attention_rows_are_the_lowest_satisfaction(case):
    gate, variants = case
    for sc, flt in variants:
        rows = _q(gate, "survey_projects", sc, flt, project_id=None)
        every = _q(gate, "survey_projects_attention", sc, flt, limit=len(rows) + 1)
        assert list(every.columns) == list(rows.columns)
        key = ["project_id", "survey_id"]
        assert _cells(every.sort_values(key)) == _cells(rows.sort_values(key))
        keys = _rank([survey.survey_view(r).satisfaction_rate for r in every.to_dict("records")])
        assert keys == sorted(keys)
