"""Number and text formatting for people: 万元 with separators, rates as %, qualifiers, 未披露.

All functions are pure and return strings. A missing value (None / NaN) is "未披露" (or "not
reported"), never zero.
"""
from __future__ import annotations

import pandas as pd

from perfeval.data.schema import QUALIFIER_EN, QUALIFIER_ZH

NOT_REPORTED = {"zh": "未披露", "en": "not reported"}


def is_missing(value) -> bool:
    """None, NaN, NaT and pd.NA (DuckDB's nullable integers) are missing."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array is not a missing scalar
        return False


def or_none(value):
    """The value, or None where it is missing (NaN, NaT, pd.NA)."""
    return None if is_missing(value) else value


def not_reported(lang: str = "zh") -> str:
    return NOT_REPORTED[lang]


# -- the one rule for a missing value (issue 18): every table, chart, caption and deck shows 未披露 /
# not reported for it, in grey; never None, nan, NaN, 0 or a colour that reads as a result -------------------
MISSING_COLOR = "#8c959f"  # grey: the colour of 未披露 in tables, and of a not-reported cell or bar in charts
MISSING_CSS = f"color: {MISSING_COLOR}"
_NOT_REPORTED_WORDS = frozenset(NOT_REPORTED.values())


def text(value, lang: str = "zh") -> str:
    """A text as given (a category, a grade, a name), or 未披露 where it is missing or blank."""
    if is_missing(value) or not str(value).strip():
        return not_reported(lang)
    return str(value).strip()


def is_not_reported(shown) -> bool:
    """True for a shown value that says not reported (未披露 / not reported), however it was formatted."""
    return isinstance(shown, str) and shown.strip() in _NOT_REPORTED_WORDS


def missing_css(shown) -> str:
    """The CSS of a shown cell: grey for 未披露 / not reported, else nothing (a Styler's map function)."""
    return MISSING_CSS if is_not_reported(shown) else ""


def texts(values, lang: str = "zh") -> list[str]:
    """`text` of each value (a table's column)."""
    return [text(v, lang) for v in values]


def scores(values, lang: str = "zh") -> list[str]:
    """`score` of each value (a table's column)."""
    return [score(v, lang) for v in values]


def number(value, decimals: int = 2, lang: str = "zh", strip: bool = True) -> str:
    """12345.6 → "12,345.6" (decimals dropped when they are zeros, if ``strip``)."""
    if is_missing(value):
        return not_reported(lang)
    text = f"{float(value):,.{decimals}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def wan(value, lang: str = "zh", decimals: int = 2) -> str:
    """An amount in 万元: 824.81 → "824.81 万元"; 12345 → "12,345 万元"."""
    if is_missing(value):
        return not_reported(lang)
    unit = "万元" if lang == "zh" else "×10k CNY"
    return f"{number(value, decimals, lang)} {unit}"


def pct(rate, lang: str = "zh", decimals: int = 2) -> str:
    """A fraction as a percentage: 0.7172 → "71.72%"."""
    if is_missing(rate):
        return not_reported(lang)
    return f"{float(rate) * 100:.{decimals}f}%"


def score(value, lang: str = "zh") -> str:
    """A score in points: 19.15 → "19.15"; 15.0 → "15"."""
    if is_missing(value):
        return not_reported(lang)
    return number(value, 2, lang)


def with_qualifier(text: str, qualifier: str | None, lang: str = "zh") -> str:
    """Put a report's qualifier back on a figure: ("2,600万", "over") → "2,600万余"."""
    q = qualifier if isinstance(qualifier, str) else "exact"
    if lang == "zh":
        word = QUALIFIER_ZH.get(q, "")
        if q == "over":
            return f"{text}余"
        return f"{word}{text}"
    word = QUALIFIER_EN.get(q, "")
    return f"{word} {text}".strip()


def big_count(value, unit: str = "", lang: str = "zh", qualifier: str | None = None) -> str:
    """A large count the Chinese way: 26000000 条 → "2,600万条" (en: "26,000,000 条")."""
    if is_missing(value):
        return not_reported(lang)
    v = float(value)
    # 余 follows the 万/亿 unit ("6万余个", "125万余人"); the reports also write "2600余万条",
    # which reads the same.
    if lang == "zh" and abs(v) >= 1e8:
        text = f"{number(v / 1e8, 2, lang)}亿"
    elif lang == "zh" and abs(v) >= 1e4:
        text = f"{number(v / 1e4, 2, lang)}万"
    else:
        text = number(v, 2, lang)
    if lang == "zh" and q_is_over(qualifier):
        return f"{text}余{unit}"
    return with_qualifier(f"{text}{unit}" if lang == "zh" else f"{text} {unit}".strip(), qualifier, lang)


def q_is_over(qualifier) -> bool:
    return qualifier == "over"


def date(value, lang: str = "zh") -> str:
    """A date as 2023-06-30 (ISO reads the same in both languages)."""
    if is_missing(value):
        return not_reported(lang)
    return str(value)[:10]


# How many characters of a metric's value fit on one card, by cards per row (Streamlit's metric font
# in the page's centred layout, measured on screenshots: "3,088,262.67" fits four to a row,
# "42,100,709.06" does not; a CJK character counts as two).
CARD_CHARS = {4: 12, 3: 15, 2: 24}


def display_width(text: str) -> int:
    """Width of ``text`` in half-width characters (a CJK or other wide character counts two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in str(text))


def cards_per_row(values: list[str], wanted: int) -> int:
    """How many metric cards to put in a row so that every value fits: ``wanted`` (≤ 4) if they do,
    else fewer (at least 2, or 1 when only one is wanted)."""
    widest = max((display_width(v) for v in values), default=0)
    n = wanted
    while n > 2 and widest > CARD_CHARS.get(n, CARD_CHARS[4]):
        n -= 1
    return max(1, min(n, wanted))
