"""What a rule reads and what it gives: `Context`, `Evaluation`, and the two ways a rule fails.

A rule function (scoring/rules.py) gets a `Context`: the indicator's weight in 分, typed access to the
rule's ``params`` and ``inputs`` cells, and the project's ``facts`` that ``@references`` resolve against
(the values it used are recorded for the reason). Reading a missing input raises `MissingInput`, an
unreadable value `BadRule`; `evaluate` turns either into a `fallback`: the evaluator's reported score
with a note saying why, never a crash and never a silent zero.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import perfeval.domain.scoring.rule_text as rule_text
from perfeval.domain.scoring.numbers import pts
from perfeval.domain.scoring.rule_text import RuleTextError


@dataclass(frozen=True)
class Evaluation:
    """The result of scoring one indicator.

    ``score`` in 分 (None when neither the rule nor the report gives one: "未披露", never 0);
    ``method`` one of `METHODS` (scoring/tree.py); ``inputs`` the values the rule used (after resolving references).
    """

    score: float | None
    method: str
    reason_zh: str
    reason_en: str
    rule_type: str = ""
    note_zh: str = ""
    note_en: str = ""
    inputs: Mapping[str, object] = field(default_factory=dict)

    @property
    def recomputed(self) -> bool:
        """True when the score comes from the rule and its inputs, not from the report."""
        return self.method in ("rule", "sum")


class MissingInput(Exception):
    """A rule input is not given (or a reference has no value)."""

    def __init__(self, name: str, ref: rule_text.Reference | None = None):
        super().__init__(name)
        self.name = name
        self.ref = ref


class BadRule(Exception):
    """A parameter or input that cannot be read, or a rule that cannot apply."""


# -- the context a rule function reads ----------------------------------------------------------

class Context:
    """What a rule function sees: the weight, typed access to params and inputs, labels.

    Reading a missing input raises MissingInput; an unreadable value raises BadRule. References
    (``@figure[scope]``) are resolved against ``facts``; the values used are recorded in ``used``.
    """

    def __init__(self, weight, params: Mapping[str, str], inputs: Mapping[str, str],
                 facts: Mapping | None, name: str, name_en: str):
        self.weight = None if weight is None or (isinstance(weight, float) and math.isnan(weight)) else float(weight)
        self.params = dict(params)
        self.inputs = dict(inputs)
        self.facts = facts
        self.name = name or "得分率"
        self.name_en = name_en or name or "rate"
        self.used: dict[str, object] = {}

    # weight
    def w(self) -> float:
        if self.weight is None:
            raise MissingInput("weight")
        if self.weight < 0:
            raise BadRule("negative weight")
        return self.weight

    # params
    def has_param(self, key: str) -> bool:
        return not rule_text.is_missing_text(self.params.get(key))

    def param_num(self, key: str, default: float | None = None) -> float:
        if not self.has_param(key):
            if default is None:
                raise BadRule(f"parameter '{key}' is required")
            return default
        try:
            return rule_text.parse_number(self.params[key])
        except RuleTextError as e:
            raise BadRule(f"parameter '{key}': {e}") from None

    def param_text(self, key: str, default: str = "") -> str:
        return self.params[key].strip() if self.has_param(key) else default

    def param_list(self, key: str) -> list[tuple[str | None, float]]:
        if not self.has_param(key):
            raise BadRule(f"parameter '{key}' is required")
        out = []
        for label, text in rule_text.split_labelled(self.params[key]):
            try:
                out.append((label, rule_text.parse_number(text)))
            except RuleTextError as e:
                raise BadRule(f"parameter '{key}': {e}") from None
        if not out:
            raise BadRule(f"parameter '{key}' is empty")
        return out

    def param_words(self, key: str, default: list[str]) -> list[str]:
        if not self.has_param(key):
            return list(default)
        return rule_text.split_list(self.params[key])

    # inputs
    def has_input(self, key: str) -> bool:
        return not rule_text.is_missing_text(self.inputs.get(key))

    def _resolve(self, key: str, text: str) -> str:
        value, ref = rule_text.resolve(text, self.facts)
        if value is None:
            raise MissingInput(key, ref)
        if rule_text.is_missing_text(value):
            raise MissingInput(key)
        return value

    def input_num(self, key: str) -> float:
        if not self.has_input(key):
            raise MissingInput(key)
        text = self._resolve(key, self.inputs[key])
        try:
            v = rule_text.parse_number(text)
        except RuleTextError as e:
            raise BadRule(f"input '{key}': {e}") from None
        self.used[key] = v
        return v

    def input_text(self, key: str) -> str:
        if not self.has_input(key):
            raise MissingInput(key)
        v = self._resolve(key, self.inputs[key]).strip()
        self.used[key] = v
        return v

    def input_bool(self, key: str) -> bool:
        text = self.input_text(key)
        try:
            v = rule_text.parse_bool(text)
        except RuleTextError as e:
            raise BadRule(f"input '{key}': {e}") from None
        self.used[key] = v
        return v

    def input_list(self, key: str) -> list[tuple[str | None, float]]:
        """A (labelled) list of numbers; each item may be a reference."""
        if not self.has_input(key):
            raise MissingInput(key)
        out = []
        for label, text in rule_text.split_labelled(self.inputs[key]):
            value = self._resolve(f"{key}[{label}]" if label else key, text)
            try:
                out.append((label, rule_text.parse_number(value)))
            except RuleTextError as e:
                raise BadRule(f"input '{key}': {e}") from None
        if not out:
            raise MissingInput(key)
        self.used[key] = [(lab, v) for lab, v in out]
        return out

    def decimals(self) -> int:
        d = self.param_num("decimals", 2)
        if d < 0 or d > 6 or d != int(d):
            raise BadRule("parameter 'decimals' must be 0–6")
        return int(d)

    def label(self) -> tuple[str, str]:
        return self.param_text("label", self.name), self.param_text("label_en", self.name_en)


def fallback(rule_type: str, reported, why_zh: str, why_en: str, used=None) -> Evaluation:
    """The Evaluation of an indicator its rule cannot score: the reported score in 分 (method
    ``fallback``), or None (method ``none``, "未披露") when the report gives none; the reason says why."""
    rep = None if reported is None or (isinstance(reported, float) and math.isnan(reported)) else float(reported)
    if rep is None:
        keep_zh, keep_en = "报告也未给出得分（未披露）", "the report gives no score either (not reported)"
    else:
        keep_zh, keep_en = f"沿用报告得分 {pts(rep)}", f"the reported score {pts(rep)} is kept"
    return Evaluation(rep, "fallback" if rep is not None else "none",
                      f"无法按规则重算：{why_zh}；{keep_zh}", f"not recomputable: {why_en}; {keep_en}",
                      rule_type=rule_type, note_zh=why_zh, note_en=why_en, inputs=dict(used or {}))
