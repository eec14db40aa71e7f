"""Outcome metrics and performance targets: formatting, trends, normalisation, met / not met.

Pure functions (no Streamlit, no data access).

Direction comes from the metric catalogue (data/catalog/metrics.csv): ``higher`` or ``lower`` is better.
A "decline rate" metric (接报诈骗警情同比下降率) is higher-is-better: a bigger decline is good news.
A falling count of a lower-is-better metric (a rank, a daily peak of cases) is good news too.
"""
from __future__ import annotations

import pandas as pd

from perfeval.domain.survey import clean, missing
from perfeval.text import fmt

GOOD, BAD, FLAT, UNKNOWN = "good", "bad", "flat", "unknown"
CHANGE_COLORS = {GOOD: "#1a7f37", BAD: "#cf222e", FLAT: "#8b949e", UNKNOWN: "#8b949e"}
MET_COLORS = {True: "#1a7f37", False: "#cf222e", None: "#8b949e"}

# Units whose values are not quantities that scale with money or people: rates, ranks, streaks, peaks.
NOT_NORMALISABLE_UNITS = frozenset({"%", "名", "个月", "天", "年", "起"})


# English words for the catalogue's units (the Chinese unit is the data; this is only how it is read out)
UNIT_EN = {"条": "records", "个": "", "人次": "person-times", "宗": "cases", "场": "events", "人": "people",
           "个月": "months", "天": "days", "起": "cases", "项": "items"}


def unit_text(unit: str, lang: str = "zh") -> str:
    """The unit as shown: Chinese as stored, English from UNIT_EN (unknown units stay as they are)."""
    if lang == "zh" or not isinstance(unit, str):
        return unit or ""
    return UNIT_EN.get(unit, unit)


def _count_en(value: float) -> str:
    v = float(value)
    if abs(v) >= 1e6:
        return f"{fmt.number(v / 1e6, 2, 'en')} million"
    return fmt.number(v, 2, "en")


def format_value(value, unit: str, qualifier=None, lang: str = "zh") -> str:
    """A metric's value as a report would write it, qualifier kept.

    (0.8635, "%") → "86.35%"; (26000000, "条", over) → "2,600万余条"; (5800, "万元", over) → "5,800余万元".
    """
    value, qualifier = clean(value), clean(qualifier)
    if value is None:
        return fmt.not_reported(lang)
    if unit == "%":
        return fmt.with_qualifier(fmt.pct(value, lang), qualifier, lang)
    if unit == "万元":
        if lang == "zh":
            if qualifier == "over":
                return f"{fmt.number(value, 2, lang)}余万元"
            return fmt.with_qualifier(f"{fmt.number(value, 2, lang)}万元", qualifier, lang)
        return fmt.with_qualifier(fmt.wan(value, lang), qualifier, lang)
    if unit == "万人":
        if lang == "zh":
            if qualifier == "over":
                return f"{fmt.number(value, 2, lang)}万余人"
            return fmt.with_qualifier(f"{fmt.number(value, 2, lang)}万人", qualifier, lang)
        return fmt.with_qualifier(f"{_count_en(value * 1e4)} people", qualifier, lang)
    if unit == "名":
        return f"第{fmt.number(value, 0, lang)}名" if lang == "zh" else f"No. {fmt.number(value, 0, lang)}"
    if lang == "en":
        return fmt.with_qualifier(f"{_count_en(value)} {unit_text(unit, lang)}".strip(), qualifier, lang)
    return fmt.big_count(value, unit, lang, qualifier)


def normalisable(unit: str) -> bool:
    """True when a value in ``unit`` may be divided by money or population (a count or an amount)."""
    return isinstance(unit, str) and unit not in NOT_NORMALISABLE_UNITS


def per_wan_spent(value, spent, unit: str) -> float | None:
    """value per 万元 actually spent; None where not meaningful or an input is missing."""
    if not normalisable(unit) or missing(value) or missing(spent) or float(spent) <= 0:
        return None
    return float(value) / float(spent)


def per_10k_residents(value, population_wan, unit: str) -> float | None:
    """value per 10 000 residents; ``population_wan`` in 万人 (projects.population). None if unknown."""
    if not normalisable(unit) or missing(value) or missing(population_wan) or float(population_wan) <= 0:
        return None
    return float(value) / float(population_wan)


def change_quality(previous, current, direction: str) -> str:
    """Whether a change from ``previous`` to ``current`` is good news, given the metric's direction."""
    if missing(previous) or missing(current):
        return UNKNOWN
    if direction not in ("higher", "lower"):
        raise ValueError(f"direction must be 'higher' or 'lower', got {direction!r}")
    diff = float(current) - float(previous)
    if abs(diff) < 1e-12:
        return FLAT
    up_is_good = direction == "higher"
    return GOOD if (diff > 0) == up_is_good else BAD


def delta_color(direction: str) -> str:
    """st.metric's delta_color for a metric: "normal" (up is green) or "inverse" (down is green)."""
    return "inverse" if direction == "lower" else "normal"


# st.metric's explicit delta colours for a change's quality
QUALITY_DELTA_COLOR = {GOOD: "green", BAD: "red", FLAT: "gray", UNKNOWN: "gray"}


def trend_metrics(df: pd.DataFrame) -> list[tuple[str, str]]:
    """(project_id, metric_key) pairs that have values for two or more distinct years, in data order."""
    yearly = df.dropna(subset=["year"])
    counts = yearly.groupby(["project_id", "metric_key"], sort=False)["year"].nunique()
    return [k for k, n in counts.items() if n >= 2]


def with_changes(series: pd.DataFrame, direction: str) -> pd.DataFrame:
    """One metric's yearly rows (year, value) sorted by year, with the change from the year before and
    its quality (good / bad / flat / unknown for the first year)."""
    s = series.sort_values("year").reset_index(drop=True).copy()
    prev = s["value"].shift(1)
    s["change"] = s["value"] - prev
    s["quality"] = [change_quality(p, c, direction) for p, c in zip(prev, s["value"])]
    return s


def multiple_statements(df: pd.DataFrame) -> pd.DataFrame:
    """Rows where one project gives one metric for the same year (or for no year) more than one value:
    two statements of one figure (天津's 封堵涉诈域名网址 “430余万个” and “近440万个”) or parts the report
    keeps apart (推送预警数据 of the old and the new service). They are listed, never added up."""
    key = ["project_id", "metric_key", df["year"].fillna(-1).rename("_y")]
    groups = df.groupby(key, sort=False)["value"].transform("nunique")
    return df[groups > 1]


# ----------------------------------------------------------------------------------------- targets
def target_met(actual, operator, target) -> bool | None:
    """Is ``actual operator target`` true? None when an input or the operator is missing."""
    actual, operator, target = clean(actual), clean(operator), clean(target)
    if actual is None or target is None or operator is None:
        return None
    a, t = float(actual), float(target)
    eps = 1e-9
    if operator == ">=":
        return a >= t - eps
    if operator == "<=":
        return a <= t + eps
    if operator == ">":
        return a > t + eps
    if operator == "<":
        return a < t - eps
    if operator == "=":
        return abs(a - t) <= eps
    raise ValueError(f"unknown operator {operator!r}")


def target_verdict(row) -> dict:
    """For one target row: the computed verdict, the report's, and whether they agree.

    Returns {"computed": bool|None, "stated": bool|None, "met": bool|None, "disagree": bool}.
    ``met`` is the computed verdict where the figures allow one, else the report's conclusion.
    """
    computed = target_met(row.get("actual_value"), row.get("operator"), row.get("target_value"))
    stated = clean(row.get("stated_met"))
    stated = None if stated is None else bool(stated)
    met = computed if computed is not None else stated
    return {"computed": computed, "stated": stated, "met": met,
            "disagree": computed is not None and stated is not None and computed != stated}


OPERATOR_TEXT = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}


def target_text(row, lang: str = "zh") -> str:
    """"≥ 110 人", "= 100%", or the report's words (“全年开展”); 未披露 if none."""
    tv, unit = clean(row.get("target_value")), clean(row.get("unit")) or ""
    op = OPERATOR_TEXT.get(clean(row.get("operator")) or "", "")
    if tv is not None:
        value = format_value(tv, unit, None, lang)
        return f"{op} {value}".strip()
    text = clean(row.get("target_text"))
    return text if text else fmt.not_reported(lang)


def actual_text(row, lang: str = "zh") -> str:
    av, unit = clean(row.get("actual_value")), clean(row.get("unit")) or ""
    if av is not None:
        return format_value(av, unit, None, lang)
    text = clean(row.get("actual_text"))
    return text if text else fmt.not_reported(lang)


def verdict_text(verdict: dict, lang: str = "zh") -> str:
    """"达成" / "未达成" / "未披露"; "（报告称达成）" appended where the report concludes otherwise."""
    words = {True: ("达成", "met"), False: ("未达成", "not met"), None: ("未披露", "not reported")}
    text = words[verdict["met"]][0 if lang == "zh" else 1]
    if verdict["disagree"]:
        said = words[verdict["stated"]][0 if lang == "zh" else 1]
        text += f"（报告结论：{said}）" if lang == "zh" else f" (the report says: {said})"
    elif verdict["computed"] is None and verdict["stated"] is not None:
        text += "（报告结论）" if lang == "zh" else " (report's conclusion)"
    return text


# ----------------------------------------------------------------------------------------- page pieces
# the metric catalogue's categories (schema: metrics.category), in the order the outcomes page shows them
CATEGORY_ORDER = ("拦截", "劝阻", "止付返还", "打击", "宣传", "案件", "队伍", "数据", "建设", "服务")
CATEGORY_EN = {"拦截": "Interception", "劝阻": "Dissuasion", "止付返还": "Stop-payment and refunds",
               "打击": "Arrests and cases solved", "宣传": "Awareness", "案件": "Cases", "队伍": "Staff", "数据": "Data", "建设": "Build", "服务": "Service"}


def category_label(category: str, lang: str = "zh") -> str:
    return category if lang == "zh" else CATEGORY_EN.get(category, category)


def _name(row: dict, lang: str) -> str:
    en = clean(row.get("name_en"))
    return en if lang == "en" and en else (clean(row.get("name_zh")) or row["metric_key"])


def _change_text(change: float, unit: str, lang: str) -> str:
    sign = "+" if change > 0 else "-" if change < 0 else "±"  # ASCII "-": st.metric points the arrow by it
    mag = abs(change)
    if unit == "%":
        return f"{sign}{mag * 100:.2f}" + (" 个百分点" if lang == "zh" else " pp")
    if unit == "名":
        return f"{sign}{fmt.number(mag, 0, lang)}" + (" 名" if lang == "zh" else " places")
    if unit == "万人" and lang == "en":
        return f"{sign}{_count_en(mag * 1e4)} people"
    return f"{sign}{fmt.number(mag, 2, lang)} {unit_text(unit, lang)}".strip()


def cards(df: pd.DataFrame, lang: str = "zh", with_project: bool = False) -> list[dict]:
    """Metric cards for rows of outcomes_values: one per (project, metric) with the latest year's value and
    the change from the year before, or one per statement where a metric has several values for one period.

    Each card: category, metric_key, project_id, label (the metric's name), period (the year or the report's
    words for the period, or None), value (text, qualifier kept), delta (text or None),
    delta_color (green good news / red bad news / gray no change, judged by the metric's direction; "off"
    when no change is shown), delta_arrow ("off" for no change), series (the yearly values, for a sparkline,
    or None), help (the report's words).
    Ordered by category (CATEGORY_ORDER), then as the rows come.
    """
    out: list[dict] = []
    rank = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    for (pid, key), part in df.groupby(["project_id", "metric_key"], sort=False):
        rows = part.to_dict("records")
        first = rows[0]
        name = _name(first, lang)
        if with_project:
            name += f"（{first.get('short_name') or pid}）" if lang == "zh" else f" ({first.get('short_name') or pid})"
        direction = clean(first.get("direction")) or "higher"
        years = part.dropna(subset=["year"])
        base = {"category": clean(first.get("category")) or "", "metric_key": key, "project_id": pid}
        if years["year"].nunique() >= 2 and years["year"].nunique() == len(years):
            s = with_changes(years, direction)
            last, prev = s.iloc[-1].to_dict(), s.iloc[-2].to_dict()
            change = last["change"]
            out.append({**base,
                        "label": name,
                        "period": f"{int(last['year'])}" + ("年" if lang == "zh" else ""),
                        "value": format_value(last["value"], last["unit"], last.get("qualifier"), lang),
                        "delta": None if missing(change) else
                        _change_text(change, last["unit"], lang) + (f"（较{int(prev['year'])}年）" if lang == "zh"
                                                                    else f" vs {int(prev['year'])}"),
                        "delta_color": QUALITY_DELTA_COLOR[last["quality"]],
                        "delta_arrow": "off" if last["quality"] == FLAT else "auto",
                        "series": [float(v) for v in s["value"]],
                        "help": " / ".join(str(q) for q in s["quote"] if isinstance(q, str)) if "quote" in s else None})
            continue
        for r in rows:
            year = None if missing(r.get("year")) else str(int(r["year"]))
            # in English a year reads better than the report's Chinese words for it
            period = (year if lang == "en" and year else clean(r.get("period_label"))) or year or ""
            out.append({**base, "label": name, "period": period or None,
                        "value": format_value(r["value"], r["unit"], r.get("qualifier"), lang),
                        "delta": None, "delta_color": "off", "delta_arrow": "auto", "series": None,
                        "help": clean(r.get("quote"))})
    out.sort(key=lambda c: rank.get(c["category"], len(rank)))
    return out


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of outcomes_values with per_wan (value per 万元 spent: that year's spending for a yearly figure,
    else the project's total), spent_basis ("year" / "total" / None) and per_10k (per 10 000 residents,
    None where the project gives no population). Rates, ranks and streaks are not normalised."""
    out = df.copy()
    per_wan, basis = [], []
    for r in out.to_dict("records"):
        yearly = not missing(r.get("year")) and not missing(r.get("spent_year"))
        spent = r.get("spent_year") if yearly else r.get("spent_total")
        v = per_wan_spent(r["value"], spent, r["unit"])
        per_wan.append(v)
        basis.append(None if v is None else ("year" if yearly else "total"))
    out["per_wan"] = per_wan
    out["spent_basis"] = basis
    out["per_10k"] = [per_10k_residents(v, p, u) for v, p, u in zip(out["value"], out["population"], out["unit"])]
    return out


def normalised_text(value, unit: str, qualifier=None, lang: str = "zh") -> str:
    """A normalised figure for a table: "—" where the unit does not scale, 未披露 where an input is missing,
    "约" in front where the figure it comes from was vague (近 / 余 / 约 / 大于)."""
    if not normalisable(unit):
        return "—"
    if missing(value):
        return fmt.not_reported(lang)
    text = fmt.number(value, 2, lang)
    q = clean(qualifier)
    if q and q != "exact":
        text = ("约" if lang == "zh" else "about ") + text
    return text
