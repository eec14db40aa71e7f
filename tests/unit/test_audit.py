"""The consistency audit: what it finds in the three real reports, and, for each kind of check, that
changing one number in a copy of the data makes the matching finding appear."""
import csv
import io
import json
import shutil
from contextlib import redirect_stdout

import pytest

from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake
from perfeval.domain import audit
from tests.conftest import DATA

FT, TJ, TS = "ft-2021-2023-anti-fraud-service", "tj-2022-fraud-ops", "ts-2021-security-informatization"
SEED = {FT: "futian-2021-2023", TJ: "tianjin-2022", TS: "tianshui-2021"}

# What the reports really contain: (project, check, subject's first word) → why it is real.
KNOWN = {
    (FT, "derived_figure", "F20"): "约1.12% saving; (3715.28 − 3674.16) / 3715.28 = 1.107% rounds to 1.11%",
    (FT, "derived_figure", "F23"): "body text: D11 满分 10 分; 表3 and the appendix: weight 14",
    (FT, "derived_figure", "F24"): "body text: D11 得 10 分; 表3 and the appendix: score 14",
    (FT, "derived_figure", "F25"): "body text: D13 居民满意度 满分 4 分; 表3/appendix: weight 10",
    (FT, "derived_figure", "F26"): "body text: D13 居民满意度 得 4 分; 表3/appendix: score 10",
    (FT, "derived_figure", "F27"): "“5 个一级指标”, the tree has 4 (the next sentence says 四个方面)",
    (FT, "derived_figure", "F29"): "“9 个二级指标”, the appendix tree has 12",
    (FT, "derived_figure", "F30"): "“18 个三级指标”, 表3 and the appendix list 19",
    (FT, "target_met", "T11-2022"): "表6: 108 on post against 110 planned, yet “该项指标达到目标值”",
    (FT, "target_met", "T11-2023"): "表6: 109 on post against 110 planned, yet “该项指标达到目标值”",
    (TS, "spent_vs_received", "total"): "866.47 paid against 800.00 received (66.47 中央转移支付 never stated as received)",
}


def _key(f):
    return (f.project_id, f.check, f.subject.split()[0])


@pytest.fixture(scope="module")
def seed_audits():
    gate = DataGate(Lake(DATA))
    return {a.project_id: a for a in audit.run_audit(gate, Scope.everything(include_demo=False))}


def test_the_seeds_raise_exactly_the_inconsistencies_really_in_the_reports(seed_audits):
    assert set(seed_audits) == {FT, TJ, TS}
    found = {_key(f) for a in seed_audits.values() for f in a.findings}
    assert found == set(KNOWN), {"unexpected": found - set(KNOWN), "missed": set(KNOWN) - found}


def test_seed_findings_say_what_they_compare(seed_audits):
    by_key = {_key(f): f for a in seed_audits.values() for f in a.findings}
    f = by_key[(FT, "derived_figure", "F20")]
    assert f.severity == "info"  # a vague 约 figure, off by more than rounding only
    assert f.stated == pytest.approx(0.0112) and f.derived == pytest.approx(41.12 / 3715.28)
    assert "1.12%" in f.explanation_zh and "3715.28" in f.explanation_zh and f.explanation_en
    f = by_key[(FT, "derived_figure", "F30")]
    assert f.severity == "error" and (f.stated, f.derived) == (18, 19)
    f = by_key[(TS, "spent_vs_received", "total")]
    assert (f.stated, f.derived) == (800, pytest.approx(866.47)) and "66.47" in f.explanation_zh
    f = by_key[(FT, "target_met", "T11-2022")]
    assert f.rows == ("targets:T11-2022",) and "108" in f.explanation_zh


def test_unchecked_figures_are_listed_not_silently_passed(seed_audits):
    ft = {u.figure_id for u in seed_audits[FT].unchecked}
    assert {"F33", "F34", "F36", "F38"} <= ft  # no derivation known for these keys / scopes
    for u in seed_audits[FT].unchecked:
        assert u.reason_zh and u.reason_en


# -- one changed number → the matching finding ------------------------------------------------------------

@pytest.fixture()
def lake_copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst


def edit_csv(root, project_id, table, match: dict, column, value):
    """Set ``column`` to ``value`` in the one row of seed CSV ``table`` whose columns equal ``match``."""
    path = root / "seed" / SEED[project_id] / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, (table, match, len(hits))
    hits[0][column] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def audit_of(root, project_id):
    [a] = audit.run_audit(DataGate(Lake(root)), Scope.everything(), project_id)
    return a


def findings(a, check, subject=None):
    return [f for f in a.findings if f.check == check and (subject is None or f.subject.split()[0] == subject)]


def test_score_recompute(lake_copy):
    edit_csv(lake_copy, FT, "indicators", {"code": "B12"}, "reported_score", "4.5")
    [f] = findings(audit_of(lake_copy, FT), "score_recompute", "B12")
    assert (f.stated, f.derived) == (4.5, 4.94) and f.severity == "warning"
    assert "98.89%" in f.explanation_zh and f.rows == ("indicators:B12", "indicator_rules:B12")


def test_total_recompute_follows_the_projects_own_money(lake_copy):
    # spending 100 万元 lower: 3574.16 / 3715.28 = 96.20 % × 5 = 4.81 instead of the reported 4.94
    edit_csv(lake_copy, FT, "budget", {"year": "2022"}, "spent", "1108.99")
    a = audit_of(lake_copy, FT)
    [f] = findings(a, "score_recompute", "B12")
    assert f.derived == 4.81
    [t] = findings(a, "total_recompute")
    assert t.stated == 98.94 and t.derived == pytest.approx(98.81) and "indicators:B12" in t.rows
    assert findings(a, "derived_figure", "F10")  # the stated 实际使用 3674.16 no longer adds up either


def test_children_weights(lake_copy):
    edit_csv(lake_copy, FT, "indicators", {"code": "A"}, "weight", "20")
    [f] = findings(audit_of(lake_copy, FT), "children_weights", "A")
    assert (f.stated, f.derived) == (20, 21)
    assert set(f.rows) == {"indicators:A", "indicators:A1", "indicators:A2", "indicators:A3"}


def test_children_scores(lake_copy):
    edit_csv(lake_copy, TJ, "projects", {"project_id": TJ}, "reported_total_score", "92.5")
    [f] = findings(audit_of(lake_copy, TJ), "children_scores", "total")
    assert (f.stated, f.derived) == (92.5, 91.5)


def test_leaf_weights_100(lake_copy):
    edit_csv(lake_copy, TJ, "indicators", {"code": "A"}, "weight", "18")
    [f] = findings(audit_of(lake_copy, TJ), "leaf_weights_100")
    assert f.derived == 101


def test_score_above_weight(lake_copy):
    edit_csv(lake_copy, TJ, "indicators", {"code": "A"}, "reported_score", "17.5")
    [f] = findings(audit_of(lake_copy, TJ), "score_above_weight", "A")
    assert (f.stated, f.derived) == (17.5, 17) and f.severity == "error"


def test_grade_band(lake_copy):
    edit_csv(lake_copy, TS, "projects", {"project_id": TS}, "reported_grade", "优")
    [f] = findings(audit_of(lake_copy, TS), "grade_band")
    assert f.stated == 82.06 and "良" in f.explanation_zh


def test_grade_bands_are_read_from_the_catalogue(lake_copy):
    path = lake_copy / "catalog" / "grade_bands.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("default,良,good,80", "default,良,good,85"),
                    encoding="utf-8")
    found = findings(audit_of(lake_copy, TS), "grade_band")
    grade = [f for f in found if f.subject == "grade"]
    assert len(grade) == 1 and "中" in grade[0].explanation_zh  # 82.06 is now 中
    bands = [f for f in found if f.subject.startswith("band")]
    assert [(f.stated, f.derived) for f in bands] == [(80, 85)]  # the report's own 80（含）-90 分为良


def test_derived_figure(lake_copy):
    edit_csv(lake_copy, TJ, "figures", {"figure_id": "F13"}, "value", "0.7272")
    [f] = findings(audit_of(lake_copy, TJ), "derived_figure", "F13")
    assert f.stated == 0.7272 and f.derived == pytest.approx(824.81 / 1150) and f.severity == "warning"


def test_derived_figure_within_rounding_is_no_finding(lake_copy):
    edit_csv(lake_copy, TJ, "figures", {"figure_id": "F13"}, "value", "0.717")  # 71.7 % for 71.72 %
    a = audit_of(lake_copy, TJ)
    [f] = findings(a, "derived_figure", "F13")
    assert f.severity == "info"  # agrees only if the report wrote one decimal
    edit_csv(lake_copy, TJ, "figures", {"figure_id": "F13"}, "value", "0.71723")
    assert not findings(audit_of(lake_copy, TJ), "derived_figure", "F13")


def test_payments_vs_spending(lake_copy):
    edit_csv(lake_copy, TJ, "payments", {"payment_id": "P12"}, "amount", "41.50")
    a = audit_of(lake_copy, TJ)
    [f] = findings(a, "payments_vs_spending", "total")
    assert (f.stated, f.derived) == (824.81, pytest.approx(834.81))
    assert any(r.startswith("payments:") for r in f.rows)


def test_spent_vs_received(lake_copy):
    edit_csv(lake_copy, TJ, "budget", {"subproject_id": "", "year": "2022"}, "spent", "1200")
    [f] = findings(audit_of(lake_copy, TJ), "spent_vs_received", "total")
    assert (f.stated, f.derived) == (1150, 1200)


def test_target_met(lake_copy):
    edit_csv(lake_copy, FT, "targets", {"target_id": "T02"}, "stated_met", "true")  # 98.89 % against = 100 %
    [f] = findings(audit_of(lake_copy, FT), "target_met", "T02")
    assert (f.stated, f.derived) == (1.0, 0.9889)


def test_rule_coverage(lake_copy):
    edit_csv(lake_copy, FT, "indicator_rules", {"code": "B12"}, "inputs",
             "numerator=@no_such_figure; denominator=@received_total")
    a = audit_of(lake_copy, FT)
    [f] = findings(a, "rule_coverage", "B12")
    assert f.severity == "info" and "@no_such_figure" in f.explanation_zh
    assert not findings(a, "score_recompute", "B12")  # the reported score is kept, not replaced by 0
    assert a.tree.set_index("code").loc["B12", "recomputed_score"] == 4.94


def test_survey_stated_rate_against_its_counts(lake_copy):
    path = lake_copy / "seed" / SEED[TS] / "surveys.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0].update(n_very_satisfied="100", n_satisfied="66", n_neutral="100", n_dissatisfied="40",
                   n_very_dissatisfied="17")  # 166 / 323 = 51.39 %, as the report says
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert not findings(audit_of(lake_copy, TS), "derived_figure", "SV1.satisfaction_rate")
    edit_csv(lake_copy, TS, "surveys", {"survey_id": "SV1"}, "n_satisfied", "76")
    [f] = findings(audit_of(lake_copy, TS), "derived_figure", "SV1.satisfaction_rate")
    assert f.derived == pytest.approx(176 / 333)


# -- the comparison rule, table-driven ---------------------------------------------------------------------

@pytest.mark.parametrize("stated,derived,unit,qualifier,approx,expected", [
    (0.9889, 0.988932, "%", "exact", False, None),        # within the report's rounding
    (0.9889, 0.9880, "%", "exact", False, "warning"),
    (0.9889, 0.80, "%", "exact", False, "error"),          # more than 5 % off
    (1.0, 0.9977, "%", "exact", False, "info"),            # "100%" fits only at whole percents
    (1.0, 0.99, "%", "exact", False, "warning"),
    (866.47, 866.47, "万元", "exact", False, None),
    (800.0, 800.4, "万元", "exact", False, "info"),         # 800 fits only if the report dropped decimals
    (18, 19, "个", "exact", False, "error"),
    (0.0112, 0.011068, "%", "about", False, "info"),       # 约: close, beyond rounding
    (0.0112, 0.0112, "%", "about", False, None),
    (0.0112, 0.02, "%", "about", False, "warning"),
    (1200, 1150, "万人次", "nearly", False, None),            # 近 1200: a little below
    (1200, 1250, "万人次", "nearly", False, "info"),
    (1200, 900, "万人次", "nearly", False, "warning"),
    (2600, 2650, "万条", "over", False, None),               # 2600 余: a little above
    (2600, 2500, "万条", "over", False, "info"),
    (95, 96, "分", "greater_than", False, None),
    (95, 95, "分", "greater_than", False, "warning"),
    (0.9889, 0.80, "%", "exact", True, "info"),            # derived from vague inputs: at most info
])
def test_compare_stated(stated, derived, unit, qualifier, approx, expected):
    assert audit.compare_stated(stated, derived, unit, qualifier, approx) == expected


def test_rounding_tolerance_reads_the_stated_digits():
    near = lambda x: pytest.approx(x, rel=1e-3)  # noqa: E731 (plus a hair for float noise)
    assert audit.rounding_tolerance(0.9889, "%") == near(0.00005)
    assert audit.rounding_tolerance(1.0, "%") == near(0.005)
    assert audit.rounding_tolerance(1.0, "%", strict=True) == near(0.00005)
    assert audit.rounding_tolerance(866.47, "万元") == near(0.005)
    assert audit.rounding_tolerance(5.0, "个") == near(0.5)


# -- the command line ----------------------------------------------------------------------------------------

def run_cli(*argv):
    from perfeval import cli

    buf = io.StringIO()
    with redirect_stdout(buf):
        code = cli.main(["audit", *argv])
    return code, buf.getvalue()


def test_cli_json_for_one_project():
    code, out = run_cli("--project", FT, "--json", "--data", str(DATA))
    assert code == 0
    doc = json.loads(out)
    [p] = doc["projects"]
    assert p["project_id"] == FT and p["counts"]["error"] == 7
    f = p["findings"][0]
    assert {"severity", "check", "stated", "derived", "rows", "explanation_zh", "explanation_en"} <= set(f)
    assert set(doc["checks"]) == set(audit.CHECKS)


def test_cli_text_exit_codes():
    code, out = run_cli("--project", TJ, "--fail-on", "error")
    assert code == 0 and TJ in out
    code, _ = run_cli("--project", FT, "--fail-on", "error")
    assert code == 1
    code, _ = run_cli("--project", "no-such-project")
    assert code == 2
    code, out = run_cli("--checks", "--lang", "en")
    assert code == 0 and all(k in out for k in audit.CHECKS)


# -- the demonstration portfolio: the inconsistencies planted on purpose, and no others ------------------

PLANTED_CHECK = {  # perfeval.data.demo.portfolio.PLANTED's "where" → the check that must catch it
    "indicators / indicator_rules B12": ("score_recompute", "B12"),
    "projects.reported_total_score": ("children_scores", "total"),
    "projects.reported_grade": ("grade_band", "grade"),
    "payments": ("payments_vs_spending", "total"),
    "surveys": ("derived_figure", "SV1.satisfaction_rate"),
    "figures execution_rate": ("derived_figure", "F4"),
}


def test_demo_planted_inconsistencies_are_found_and_nothing_else():
    from perfeval.data.demo.portfolio import PLANTED

    gate = DataGate(Lake(DATA))
    audits = {a.project_id: a for a in audit.run_audit(gate, Scope.everything())}
    demo = {pid for pid in audits if pid.startswith("demo-")}
    if not demo:
        pytest.skip("no demo data in the lake")
    planted = {pid for pid, _, _ in PLANTED}
    for pid, what, where in PLANTED:
        if where in PLANTED_CHECK:
            check, subject = PLANTED_CHECK[where]
            assert findings(audits[pid], check, subject), (pid, what)
        elif "B13" in where:  # a veto that holds is no inconsistency: the rule gives 0 and so does the report
            b13 = audits[pid].tree.set_index("code").loc["B13"]
            assert b13["recomputed_score"] == 0 == b13["reported_score"]
    noisy = {pid for pid in demo if audits[pid].findings} - planted
    assert not noisy, {pid: [f.explanation_en for f in audits[pid].findings] for pid in noisy}
