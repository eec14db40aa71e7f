"""Budget execution figures: rates, gauge readings, the money path and the notes that explain them.

Pure functions (no Streamlit, no data access). Amounts are 万元, rates fractions.

Definitions (docs/data-model.md, the reports):
- 资金到位率 arrival rate  = received / budget (budget = adjusted budget if given, else initial);
- 预算执行率 execution rate = spent / received (basis ``received``, the evaluation reports'); for a
  self-evaluation (evaluator_type 自评) that reports no receipts, 全年执行数 / 全年预算数 = spent / budget (basis
  ``budget``, the national 项目支出绩效自评表's); where the inputs are missing but the document states the rate,
  the stated rate (queries/_views.sql project_execution); `execution_definition` says which in words;
- both are "not reported" (None) when an input is missing, never 0.

A rate measured before the money's year is over (a data cutoff that is not 31 December, like 天津's
2023-06-30) is an interim reading: the gauge says so and is not coloured as a failure.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from perfeval.domain.survey import clean, missing
from perfeval.text import fmt

DEFAULT_TARGET = 1.0   # 100 %
EXECUTION_CEILING = 1.0  # spending more than was received
NEAR_BAND = 0.2        # below target by at most 20 % of it: "near" (the B11 rule gives 0 below 80 %)
MAX_CHART_VENDORS = 20      # vendors in the chart of the selection's vendor totals
MAX_SPELLING_WARNINGS = 5   # "one vendor, several spellings" warnings above that table; the rest are counted

STATUS_COLORS = {
    "met": "#1a7f37",
    "near": "#d29922",
    "below": "#cf222e",
    "over": "#d29922",
    "interim": "#2f81f7",
    "not_reported": "#8b949e",
}


SELF_EVALUATION = "自评"
# execution_basis → (Chinese, English) definition
EXECUTION_DEFINITIONS = {
    "received": ("实际支出 ÷ 到位资金", "spent ÷ funds received"),
    "budget": ("全年执行数 ÷ 全年预算数", "spent ÷ full-year budget"),
}


def execution_basis(received, evaluator_type) -> str:
    """Which execution rate a project (or a year of it) has: ``received`` (spent ÷ received) where receipts are
    reported or the project is not a self-evaluation, else ``budget`` (全年执行数 ÷ 全年预算数)."""
    return "budget" if missing(received) and evaluator_type == SELF_EVALUATION else "received"


def execution_definition(basis, stated=False, lang: str = "zh") -> str:
    """The words of an execution rate's definition: "全年执行数 ÷ 全年预算数（文件所述）"; "" for no basis."""
    if not isinstance(basis, str) or basis not in EXECUTION_DEFINITIONS:
        return ""
    zh, en = EXECUTION_DEFINITIONS[basis]
    if clean(stated):
        return f"{zh}（文件所述，未能重算）" if lang == "zh" else f"{en} (as the document states; not recomputable)"
    return zh if lang == "zh" else en


def execution_rate(spent, received, budget, evaluator_type=None) -> float | None:
    """spent ÷ received, or for a self-evaluation without receipts spent ÷ budget (`execution_basis`)."""
    if execution_basis(received, evaluator_type) == "budget":
        return rate(spent, budget)
    return rate(spent, received)


def execution_text(value, basis=None, stated=False, lang: str = "zh") -> str:
    """An execution rate as shown: its % (未披露 when missing), with its definition where it is not spent ÷
    received or where it is the document's stated figure: "95.00%（全年执行数 ÷ 全年预算数）"."""
    text = fmt.pct(value, lang)
    if clean(value) is None or (basis in (None, "received") and not clean(stated)):
        return text
    words = execution_definition(basis if isinstance(basis, str) else "received", stated, lang)
    return f"{text}（{words}）" if lang == "zh" else f"{text} ({words})"


def execution_base(df: pd.DataFrame) -> pd.Series:
    """Each project's execution-rate denominator by its definition: received, or the budget where its
    execution_basis is ``budget`` (a self-evaluation without receipts); None where the rate is the stated
    figure (nothing to weight). Rows of queries/overview_projects.sql or budget_projects.sql."""
    if "execution_basis" not in df.columns:
        return df["received"]
    stated = df["execution_stated"].fillna(False).astype(bool) if "execution_stated" in df.columns else False
    base = df["received"].where(df["execution_basis"] != "budget", df["budget"])
    return base.where(~stated, None)


def rate(numerator, denominator) -> float | None:
    """numerator / denominator, None if either is missing or the denominator is not positive."""
    if missing(numerator) or missing(denominator) or float(denominator) <= 0:
        return None
    return float(numerator) / float(denominator)


def weighted_rate(numerators: pd.Series, denominators: pd.Series) -> float | None:
    """Σ numerator / Σ denominator over the rows that report both (money-weighted); None if none do."""
    num = pd.to_numeric(numerators, errors="coerce")
    den = pd.to_numeric(denominators, errors="coerce")
    both = num.notna() & den.notna() & (den > 0)
    if not both.any():
        return None
    return float(num[both].sum() / den[both].sum())


def as_date(value) -> dt.date | None:
    """A date from a date, timestamp or ISO text; None when missing."""
    if missing(value):
        return None
    return pd.Timestamp(value).date()


def is_interim(as_of) -> bool:
    """True when figures are as of a day other than 31 December (a mid-year / in-progress reading)."""
    d = as_date(as_of)
    return d is not None and (d.month, d.day) != (12, 31)


@dataclass(frozen=True)
class GaugeReading:
    value: float | None   # fraction
    target: float         # fraction
    status: str           # met | near | below | over | interim | not_reported
    interim: bool

    @property
    def color(self) -> str:
        return STATUS_COLORS[self.status]


def gauge_reading(value, target: float = DEFAULT_TARGET, as_of=None, ceiling: float | None = None) -> GaugeReading:
    """Classify a rate against its target.

    - not_reported: no value;
    - interim: figures as of a day that is not a year end (they may still rise; never "below");
    - over: above a ``ceiling`` whatever the target (an execution rate above 1.0: more spent than received);
    - met: ≥ target; near: within NEAR_BAND of it; below: further off.
    """
    if target <= 0:
        raise ValueError("target must be positive")
    interim = is_interim(as_of)
    v = clean(value)
    if v is None:
        return GaugeReading(None, target, "not_reported", interim)
    v = float(v)
    if ceiling is not None and v > ceiling + 1e-9:
        status = "over"
    elif v >= target - 1e-9:
        status = "met"
    elif interim:
        status = "interim"
    elif v >= target * (1 - NEAR_BAND):
        status = "near"
    else:
        status = "below"
    return GaugeReading(v, target, status, interim)


def status_text(reading: GaugeReading, lang: str = "zh") -> str:
    zh = {"met": "达到目标", "near": "接近目标", "below": "低于目标", "over": "超过目标（超支）",
          "interim": "过程数据（非年末）", "not_reported": "未披露"}
    en = {"met": "target met", "near": "close to target", "below": "below target",
          "over": "above target (overspent)", "interim": "interim figure (not year end)",
          "not_reported": "not reported"}
    return (zh if lang == "zh" else en)[reading.status]


def cutoff_text(as_of, lang: str = "zh") -> str:
    """"截至 2023-06-30（非年末数据）" / "截至日期未披露"."""
    d = as_date(as_of)
    if d is None:
        return "截至日期未披露" if lang == "zh" else "cut-off date not reported"
    suffix = ""
    if is_interim(d):
        suffix = "（非年末数据）" if lang == "zh" else " (not a year-end figure)"
    return (f"截至 {d.isoformat()}" if lang == "zh" else f"as of {d.isoformat()}") + suffix


def unspent(received, spent) -> float | None:
    """Received but not (yet) spent, 万元; negative when more was spent than received."""
    if missing(received) or missing(spent):
        return None
    return float(received) - float(spent)


def money_steps(budget, received, spent) -> list[tuple[str, float, str]]:
    """The money path as waterfall steps: (key, amount 万元, "absolute" | "relative" | "total").

    budget → (not received) → received → (spent) → unspent (overspent when negative). A missing budget starts the path at
    received; a missing received stops it after the budget (no guessing).
    """
    steps: list[tuple[str, float, str]] = []
    b, r, s = clean(budget), clean(received), clean(spent)
    if b is not None:
        steps.append(("budget", float(b), "absolute"))
        if r is not None:
            steps.append(("not_received", float(r) - float(b), "relative"))
    if r is not None:
        steps.append(("received", float(r), "total" if b is not None else "absolute"))
        if s is not None:
            steps.append(("spent", -float(s), "relative"))
            left = float(r) - float(s)
            steps.append(("unspent" if left >= 0 else "overspent", left, "total"))
    elif b is None and s is not None:
        steps.append(("spent", float(s), "absolute"))
    return steps


STEP_LABELS = {
    "budget": ("预算", "budget"),
    "not_received": ("未到位", "not received"),
    "received": ("到位资金", "received"),
    "spent": ("实际支出", "spent"),
    "unspent": ("结余（未支出）", "unspent"),
    "overspent": ("超支（支出多于到位）", "overspent"),
}


def scope_label(scope: str, lang: str = "zh") -> str:
    """A figure's scope for people: total → 全项目, year:2021 → 2021年, subproject:S1 → 子项目 S1."""
    if scope == "total":
        return "全项目" if lang == "zh" else "whole project"
    kind, _, rest = scope.partition(":")
    if kind == "year":
        return f"{rest}年" if lang == "zh" else rest
    if kind == "subproject":
        return f"子项目 {rest}" if lang == "zh" else f"sub-project {rest}"
    return scope


def money_notes(project: dict, by_fund: pd.DataFrame | None = None,
                by_subproject: pd.DataFrame | None = None, lang: str = "zh") -> list[str]:
    """Sentences that explain a project's money figures where a bare rate would mislead.

    ``project``: a row of queries/budget_projects.sql; ``by_fund``: its rows of
    queries/budget_by_fund_source.sql; ``by_subproject``: its rows of queries/budget_by_subproject.sql.
    """
    zh = lang == "zh"
    notes: list[str] = []
    budget, received, spent = (clean(project.get(k)) for k in ("budget", "received", "spent"))
    est = clean(project.get("estimated_investment"))
    if budget is None:
        if est is not None:
            parts = ""
            if by_subproject is not None and len(by_subproject):
                ests = by_subproject.dropna(subset=["estimated_investment"])
                if len(ests) > 1:
                    sep = "、" if zh else ", "
                    parts = sep.join(f"{r['subproject_name'] or r['subproject_id']} {fmt.number(r['estimated_investment'], 2, lang)}"
                                     for r in ests.to_dict("records"))
                    parts = (f"（{parts}）" if zh else f" ({parts})")
            notes.append(f"报告未披露预算，仅给出估算总投资 {fmt.wan(est, lang)}{parts}；资金到位率无法计算（未披露）。"
                         if zh else f"The report gives no budget, only an estimated investment of "
                                    f"{fmt.wan(est, lang)}{parts}; the arrival rate cannot be computed (not reported).")
        else:
            notes.append("报告未披露预算，资金到位率无法计算。" if zh
                         else "The report gives no budget; the arrival rate cannot be computed.")
    if received is not None and spent is not None and spent > received + 1e-9:
        extra = spent - received
        text = (f"实际支出 {fmt.wan(spent, lang)} 超过到位资金 {fmt.wan(received, lang)}，超出 {fmt.wan(extra, lang)}，"
                f"预算执行率 {fmt.pct(spent / received, lang)} 高于 100%。" if zh else
                f"Spending of {fmt.wan(spent, lang)} exceeds the {fmt.wan(received, lang)} received by "
                f"{fmt.wan(extra, lang)}: an execution rate of {fmt.pct(spent / received, lang)}, above 100%.")
        if by_fund is not None and len(by_fund):
            unbacked = by_fund[by_fund["spent"].notna() & (by_fund["spent"] > 0) & by_fund["received"].isna()]
            for r in unbacked.to_dict("records"):
                src = r.get("fund_source") if isinstance(r.get("fund_source"), str) else ("未注明来源" if zh else "unnamed source")
                text += (f"其中 {src} {fmt.wan(r['spent'], lang)} 已支出，但报告未说明其到位，未计入到位资金。" if zh else
                         f" Of it, {fmt.wan(r['spent'], lang)} from {src} was spent but its receipt is not stated, "
                         f"so it is not counted as received.")
        notes.append(text)
    as_of = project.get("as_of")
    if is_interim(as_of):
        d = as_date(as_of).isoformat()
        notes.append(f"资金数据截至 {d}，不是年末数：预算执行率为截至该日的累计支出，项目合同仍在履行中的，执行率会继续上升。"
                     if zh else f"Money figures are as of {d}, not a year end: the execution rate is the spending "
                                f"up to that day and rises while contracts are still running.")
    elif as_date(as_of) is None and (received is not None or spent is not None):
        notes.append("报告未注明资金数据的截至日期。" if zh else "The report gives no cut-off date for the money figures.")
    return notes


def with_rates(df: pd.DataFrame) -> pd.DataFrame:
    """Add arrival_rate, execution_rate (and its execution_basis: with an ``evaluator_type`` column, a
    self-evaluation's year without receipts is spent ÷ budget), unspent and adjustment (adjusted − initial
    budget) to rows that have budget / received / spent columns (a year, a sub-project, a project). NULL where
    an input is."""
    out = df.copy()
    out["arrival_rate"] = [rate(r, b) for r, b in zip(out["received"], out["budget"])]
    kinds = out["evaluator_type"] if "evaluator_type" in out else [None] * len(out)
    out["execution_rate"] = [execution_rate(s, r, b, k)
                             for s, r, b, k in zip(out["spent"], out["received"], out["budget"], kinds)]
    out["execution_basis"] = [execution_basis(r, k) if not missing(e) else None
                              for r, k, e in zip(out["received"], kinds, out["execution_rate"])]
    out["unspent"] = [unspent(r, s) for r, s in zip(out["received"], out["spent"])]
    if "initial_budget" in out and "adjusted_budget" in out:
        out["adjustment"] = [None if missing(i) or missing(a) else float(a) - float(i)
                             for i, a in zip(out["initial_budget"], out["adjusted_budget"])]
    return out


def selection_reading(df: pd.DataFrame, numerator: str, denominator: str, target: float = DEFAULT_TARGET,
                      ceiling: float | None = None) -> tuple[GaugeReading, int, int]:
    """The money-weighted rate of a set of projects as a gauge reading, with (projects counted, left out).

    The reading is interim when any project it counts has an interim cut-off (its figures may still rise).
    """
    num = pd.to_numeric(df[numerator], errors="coerce")
    den = pd.to_numeric(df[denominator], errors="coerce")
    both = num.notna() & den.notna() & (den > 0)
    value = weighted_rate(num, den)
    interim_as_of = next((a for a, ok in zip(df["as_of"], both) if ok and is_interim(a)), None)
    reading = gauge_reading(value, target, interim_as_of, ceiling=ceiling)
    return reading, int(both.sum()), int((~both).sum())


# ------------------------------------------------------------------ the portfolio, from SQL sums
MONEY_MEASURES = ("budget", "received", "spent", "unspent")


def _num(v) -> float:
    return 0.0 if missing(v) else float(v)


def portfolio_totals(groups: pd.DataFrame) -> dict:
    """The selection's money totals from rows of queries/budget_portfolio.sql (one per cut-off date).

    Returns {"projects": int, "no_budget": int (projects without a budget), "budget" / "received" / "spent" /
    "unspent": float, or None when no project reports the measure} — the sums the page shows, over the
    projects that report each measure (never a missing figure counted as zero).
    """
    out = {"projects": int(sum(_num(v) for v in groups["projects"])) if len(groups) else 0}
    for m in MONEY_MEASURES:
        n = sum(_num(v) for v in groups[f"n_{m}"]) if len(groups) else 0
        out[m] = float(sum(_num(v) for v in groups[m])) if n else None
    n_budget = int(sum(_num(v) for v in groups["n_budget"])) if len(groups) else 0
    out["no_budget"] = out["projects"] - n_budget
    return out


def portfolio_reading(groups: pd.DataFrame, which: str, target: float = DEFAULT_TARGET,
                      ceiling: float | None = None) -> tuple[GaugeReading, int, int]:
    """selection_reading's answer from rows of queries/budget_portfolio.sql: the money-weighted ``which``
    ("arrival": received / budget, "execution": spent / received) rate as a gauge reading, with (projects
    counted, projects left out). Interim when a counted project's cut-off is not a year end."""
    if which not in ("arrival", "execution"):
        raise ValueError(f"which must be 'arrival' or 'execution', got {which!r}")
    counted = [r for r in groups.to_dict("records") if _num(r[f"{which}_n"]) > 0]
    n = int(sum(_num(r[f"{which}_n"]) for r in counted))
    projects = int(sum(_num(v) for v in groups["projects"])) if len(groups) else 0
    value = None
    if n:
        value = float(sum(_num(r[f"{which}_num"]) for r in counted) / sum(_num(r[f"{which}_den"]) for r in counted))
    interim_as_of = next((r["as_of"] for r in counted if is_interim(r["as_of"])), None)
    return gauge_reading(value, target, interim_as_of, ceiling=ceiling), n, projects - n


def notes_need(project: dict) -> tuple[bool, bool]:
    """Which of money_notes' extra inputs a project's notes would use: (its fund sources, its sub-projects).

    The fund sources explain spending above receipts; the sub-projects' estimates explain a missing budget.
    A page need not query what the notes will not read (money_notes gives the same sentences without it)."""
    budget, received, spent = (clean(project.get(k)) for k in ("budget", "received", "spent"))
    est = clean(project.get("estimated_investment"))
    by_fund = received is not None and spent is not None and spent > received + 1e-9
    by_sub = budget is None and est is not None
    return by_fund, by_sub


# stated figure key → (our column, tolerance): the report rounds rates to 0.01 % and amounts to 0.01 万元
_STATED = {
    "arrival_rate": ("arrival_rate", 5e-5),
    "execution_rate": ("execution_rate", 5e-5),
    "budget_total": ("initial_budget", 5e-3),
    "adjusted_budget_total": ("adjusted_budget", 5e-3),
    "received_total": ("received", 5e-3),
    "spent_total": ("spent", 5e-3),
    "unspent_total": ("unspent", 5e-3),
}


def compare_stated(stated: pd.DataFrame, totals: dict, years: pd.DataFrame | None = None) -> pd.DataFrame:
    """The report's own money figures beside ours, one row per distinct (figure, scope, value) stated.

    ``stated``: rows of budget_stated_rates for one project; ``totals``: that project's row of
    budget_projects; ``years``: its rows of budget_by_year passed through with_rates. Returns columns
    figure, scope, label, stated, computed, agrees (None when we cannot recompute it) and is_rate.
    A budget_total is compared with the initial budget, or with the budget when no initial one is given.
    """
    rows = []
    seen = set()
    by_year = {}
    if years is not None and len(years):
        by_year = {int(r["year"]): r for r in with_rates(years).to_dict("records")}
    for r in stated.to_dict("records"):
        if r["figure"] not in _STATED:
            continue
        key = (r["figure"], r["scope"], round(float(r["value"]), 6))
        if key in seen:
            continue
        seen.add(key)
        col, tol = _STATED[r["figure"]]
        scope = r["scope"]
        if scope == "total":
            src = totals
        elif scope.startswith("year:") and scope[5:].isdigit():
            src = by_year.get(int(scope[5:]), {})
        else:
            continue
        computed = clean(src.get(col))
        if computed is None and col == "initial_budget":
            computed = clean(src.get("budget"))
        if computed is None and col == "unspent":
            computed = unspent(src.get("received"), src.get("spent"))
        if computed is None and col in ("arrival_rate", "execution_rate"):
            computed = (rate(src.get("received"), src.get("budget")) if col == "arrival_rate"
                        else execution_rate(src.get("spent"), src.get("received"), src.get("budget"),
                                            src.get("evaluator_type")))
        agrees = None if computed is None else abs(float(computed) - float(r["value"])) <= tol
        rows.append({"figure": r["figure"], "scope": scope, "label": r["label"], "stated": float(r["value"]),
                     "computed": None if computed is None else float(computed), "agrees": agrees,
                     "is_rate": r["figure"].endswith("_rate"), "qualifier": clean(r.get("qualifier"))})
    return pd.DataFrame(rows, columns=["figure", "scope", "label", "stated", "computed", "agrees", "is_rate",
                                       "qualifier"])


def cutoff_summary(as_of_values, lang: str = "zh") -> str:
    """One line on the cut-offs of a set of projects: how many are year-end, interim or undated, with the
    dates (at most three shown per group)."""
    counts: dict = {}
    for v in as_of_values:
        d = as_date(v)
        counts[d] = counts.get(d, 0) + 1
    return cutoff_summary_counts(counts.items(), lang)


def cutoff_summary_counts(date_counts, lang: str = "zh") -> str:
    """cutoff_summary from (cut-off date or None, number of projects) pairs — one per distinct cut-off, as
    queries/budget_portfolio.sql gives them — instead of one value per project."""
    pairs = [(as_date(d), int(n)) for d, n in date_counts if int(n) > 0]
    interim = sorted({d for d, _ in pairs if d is not None and is_interim(d)})
    year_end = sorted({d for d, _ in pairs if d is not None and not is_interim(d)})
    n_interim = sum(n for d, n in pairs if d is not None and is_interim(d))
    n_year_end = sum(n for d, n in pairs if d is not None and not is_interim(d))
    n_undated = sum(n for d, n in pairs if d is None)

    def some(ds):
        shown = "、".join(d.isoformat() for d in ds[:3]) if lang == "zh" else ", ".join(d.isoformat() for d in ds[:3])
        return shown + ("…" if len(ds) > 3 else "")

    parts = []
    if lang == "zh":
        if n_year_end:
            parts.append(f"{n_year_end} 个项目为年末数据（截至 {some(year_end)}）")
        if n_interim:
            parts.append(f"{n_interim} 个项目为非年末数据（截至 {some(interim)}）")
        if n_undated:
            parts.append(f"{n_undated} 个项目未注明截至日期")
        return "数据截至：" + "；".join(parts) if parts else "数据截至：无项目"
    if n_year_end:
        parts.append(f"{n_year_end} at a year end (as of {some(year_end)})")
    if n_interim:
        parts.append(f"{n_interim} interim (as of {some(interim)})")
    if n_undated:
        parts.append(f"{n_undated} without a cut-off date")
    return "Cut-off: " + ("; ".join(parts) if parts else "no project")


def totals_by_year(years: pd.DataFrame) -> pd.DataFrame:
    """Rows of budget_by_year (one per project × year) summed over projects per year.

    A measure's total is given only where every project of that year reports it; otherwise it is NULL
    (not reported), because a sum that silently leaves a project out reads as a smaller figure. Returns
    one row per year with the measures, ``projects`` (how many that year) and project_id "all"."""
    cols = ["initial_budget", "adjusted_budget", "budget", "estimated_investment", "received", "spent"]
    g = years.groupby("year", sort=True)
    sums = g[cols].sum(min_count=1)
    complete = g[cols].count().eq(g.size(), axis=0)
    out = sums.where(complete).reset_index()
    out["projects"] = g["project_id"].nunique().values
    out["project_id"] = "all"
    out["short_name"] = ""
    return out
