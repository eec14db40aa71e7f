"""The Excel-editable text form of scoring rules: ``key=value; key=value`` cells and references.

A rule row (table ``indicator_rules``) holds a rule type plus two text cells a person types in Excel:

    params:  step=1%; deduction=5%; floor=80%
    inputs:  numerator=@spent_total; denominator=@received_total

Grammar (see docs/scoring.md):

- pairs are separated by ``;`` (or a new line), key and value by ``=``; full-width ``；＝，％`` are
  accepted and circled numbers ①②③ count as 1, 2, 3;
- a value is a number (``0.9889``, ``98.89%`` → 0.9889), a word (``很满意``, ``是``), a list
  (``1,1,2``) or a labelled list (``2021:5, 2022:5, 2023:4``);
- ``@figure`` or ``@figure[scope]`` is a reference to a value derived from the project's own data
  (the keys and scopes of the ``figures`` table: ``@execution_rate``, ``@spent_total[year:2021]``,
  ``@outcome_value[metric:staff_on_post;year:2022]``). A reference with no value is a missing input.

Everything here is pure: text in, Python values out.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
MISSING_WORDS = {"", "na", "n/a", "none_given", "未披露", "不详", "-", "—", "null", "nan"}
TRUE_WORDS = {"是", "有", "yes", "y", "true", "t", "1", "存在", "√", "✓"}
FALSE_WORDS = {"否", "无", "no", "n", "false", "f", "0", "不存在", "×", "✗"}
_REF = re.compile(r"^@([A-Za-z_][A-Za-z0-9_]*)(?:\[([^\]]*)\])?$")
_LABELLED = re.compile(r"^([^@\[\]:]+):(.+)$")


class RuleTextError(ValueError):
    """A params/inputs cell that cannot be read."""


def normalise(text: str) -> str:
    """Full-width punctuation to ASCII, circled numbers to ``n,``; strips the ends."""
    if text is None:
        return ""
    out = []
    for ch in str(text):
        i = CIRCLED.find(ch)
        out.append(f"{i + 1}," if i >= 0 else ch)
    text = unicodedata.normalize("NFKC", "".join(out))
    return re.sub(r",\s*(?=$|;|\n)", "", text.strip())


def is_missing_text(value) -> bool:
    """True for None, NaN and the words people type for 'no value' (未披露, NA, empty)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip().lower() in MISSING_WORDS


def parse_pairs(text) -> dict[str, str]:
    """``"a=1; b=2,3"`` → ``{"a": "1", "b": "2,3"}``. Empty or missing text gives ``{}``.

    Raises RuleTextError for a part without ``=`` or a key given twice.
    """
    if is_missing_text(text):
        return {}
    out: dict[str, str] = {}
    for part in _split_outside_brackets(normalise(text), ";\n"):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise RuleTextError(f"'{part}' has no '=' (write key=value)")
        key, value = part.split("=", 1)
        key = key.strip()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise RuleTextError(f"bad key '{key}'")
        if key in out:
            raise RuleTextError(f"key '{key}' given twice")
        out[key] = value.strip()
    return out


def _split_outside_brackets(text: str, seps: str) -> list[str]:
    """Split ``text`` on any of ``seps`` that is not inside ``[...]`` (a reference's scope)."""
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def format_pairs(pairs: Mapping[str, object]) -> str:
    """The inverse of `parse_pairs` for writing a cell: ``{"a": 1, "b": "x"}`` → ``"a=1; b=x"``."""
    return "; ".join(f"{k}={v}" for k, v in pairs.items())


def split_list(text: str) -> list[str]:
    """Split a list value on commas that are not inside ``[...]`` (a reference's scope)."""
    items = _split_outside_brackets(normalise(text).replace("、", ","), ",")
    return [i.strip() for i in items if i.strip() != ""]


def split_labelled(text: str) -> list[tuple[str | None, str]]:
    """``"2021:5, 2022:@x[year:2022]"`` → ``[("2021", "5"), ("2022", "@x[year:2022]")]``.

    Items without a label get ``None``.
    """
    out = []
    for item in split_list(text):
        m = _LABELLED.match(item)
        out.append((m.group(1).strip(), m.group(2).strip()) if m else (None, item))
    return out


def normalise_scope(scope: str | None) -> str:
    """A scope with its parts in a fixed order: ``"year:2021;metric:x"`` → ``"metric:x;year:2021"``.

    An empty scope is ``"total"``.
    """
    if scope is None or (isinstance(scope, float) and math.isnan(scope)) or not str(scope).strip():
        return "total"
    parts = [p.strip() for p in unicodedata.normalize("NFKC", str(scope)).split(";") if p.strip()]
    return ";".join(sorted(parts)) if parts else "total"


def scope_parts(scope: str | None) -> dict[str, str]:
    """``"level:2;indicator:C"`` → ``{"level": "2", "indicator": "C"}``; ``"total"`` → ``{}``."""
    out = {}
    for part in normalise_scope(scope).split(";"):
        if part == "total":
            continue
        k, _, v = part.partition(":")
        out[k.strip()] = v.strip()
    return out


@dataclass(frozen=True)
class Reference:
    figure: str
    scope: str = "total"

    @property
    def key(self) -> tuple[str, str]:
        return (self.figure, normalise_scope(self.scope))

    def text(self) -> str:
        return f"@{self.figure}" + ("" if self.scope == "total" else f"[{self.scope}]")


def parse_reference(text: str) -> Reference | None:
    """``"@spent_total[year:2021]"`` → Reference; anything that is not a reference → None."""
    m = _REF.match(normalise(text))
    if not m:
        return None
    return Reference(m.group(1), normalise_scope(m.group(2)))


def parse_number(text) -> float:
    """``"98.89%"`` → 0.9889, ``"3,674.16"`` → 3674.16, ``"5"`` → 5.0.

    Raises RuleTextError when the text is not a number.
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if isinstance(text, float) and math.isnan(text):
            raise RuleTextError("empty number")
        return float(text)
    s = normalise(str(text)).replace(" ", "")
    pct = s.endswith("%")
    if pct:
        s = s[:-1]
    # a thousands separator only where it separates groups of three digits
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    try:
        v = float(s)
    except ValueError:
        raise RuleTextError(f"'{text}' is not a number") from None
    if math.isnan(v) or math.isinf(v):
        raise RuleTextError(f"'{text}' is not a finite number")
    return v / 100 if pct else v


def parse_bool(text) -> bool:
    """是/否, yes/no, true/false, 1/0 → bool. Raises RuleTextError otherwise."""
    s = normalise(str(text)).lower()
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise RuleTextError(f"'{text}' is not yes/no (是/否)")


def resolve(text: str, facts: Mapping[tuple[str, str], float] | None) -> tuple[str | None, Reference | None]:
    """Replace a reference by its value from ``facts`` (a mapping (figure, scope) → value).

    Returns (text of the value or None when the reference has no value, the reference or None).
    A text that is not a reference comes back unchanged.
    """
    ref = parse_reference(text)
    if ref is None:
        return text, None
    if facts is None:
        return None, ref
    value = facts.get(ref.key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, ref
    return repr(float(value)), ref
