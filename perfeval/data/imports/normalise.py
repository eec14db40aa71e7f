"""What an upload's cells may say as a report or a person writes it, made into the values the schema holds,
before the cells are checked (perfeval.data.imports.staging calls `normalise_part` on each sheet or file).

- comparison operators (targets.operator): ``≥ ≧ 不低于 不少于 大于等于`` → ``>=``; ``≤ ≦ 不高于 不超过 不多于
  小于等于`` → ``<=``; ``＞ 大于 高于 超过`` → ``>``; ``＜ 小于 低于`` → ``<``; ``＝ 等于`` → ``=`` (full-width
  ``＞＝`` too);
- yes / no (every BOOLEAN column, e.g. targets.stated_met): ``是 / 否``, ``yes / no``, ``y / n``, ``达成 / 未达成``
  → ``true / false``;
- qualifiers (约 / 近 / 余 / 大于 as perfeval.data.schema.QUALIFIER_ZH writes them, 多 and 超过 too) → ``about``,
  ``nearly``, ``over``, ``greater_than``; ``精确`` → ``exact``;
- documents.source_type: its Chinese names (第三方评价报告, 自评, 部门/财政评价, 审计, 新闻发布, 统计发布, 目录, and
  评价报告, 财政评价, 部门评价, 统计公报) → the keys of schema.SOURCE_TYPES;
- metrics.direction: 越高越好 / 越低越好 → ``higher`` / ``lower``;
- payments.status: 已支付 / 已付 / 待支付 / 未支付 / 应付未付 → ``paid`` / ``pending``;
- a region code picked from the template's drop-down (``440304 广东省深圳市福田区``) → ``440304``, and the
  empty province / city / district of a project filled from the bundled GB/T 2260 list (perfeval.data.gbt2260).

A cell that matches none of these is left as it is, for the checks to report. Typed Parquet cells (a boolean,
a number) are left alone. Surrounding spaces are ignored when matching.
"""
from __future__ import annotations

import re

import pandas as pd

from perfeval.data import gbt2260, schema

OPERATOR_WORDS: dict[str, str] = {}
for _op, _words in {
    ">=": ("≥", "≧", "⩾", "＞＝", ">＝", "＞=", "=>", "不低于", "不少于", "不小于", "大于等于", "大于或等于"),
    "<=": ("≤", "≦", "⩽", "＜＝", "<＝", "＜=", "=<", "不高于", "不超过", "不多于", "不大于", "小于等于", "小于或等于"),
    ">": ("＞", "大于", "高于", "超过", "多于"),
    "<": ("＜", "小于", "低于", "少于"),
    "=": ("＝", "==", "等于"),
}.items():
    for _w in _words:
        OPERATOR_WORDS[_w] = _op

BOOLEAN_WORDS = {"是": "true", "否": "false", "yes": "true", "no": "false", "y": "true", "n": "false",
                 "达成": "true", "已达成": "true", "未达成": "false", "√": "true", "×": "false"}
QUALIFIER_WORDS = {zh: key for key, zh in schema.QUALIFIER_ZH.items() if zh}
QUALIFIER_WORDS.update({"多": "over", "超过": "greater_than", "精确": "exact", "准确": "exact"})
SOURCE_TYPE_WORDS = {zh: key for key, (zh, _en) in schema.SOURCE_TYPES.items()}
SOURCE_TYPE_WORDS.update({"评价报告": "evaluation_report", "第三方评价": "evaluation_report",
                          "财政评价": "finance_evaluation", "部门评价": "finance_evaluation",
                          "财政重点评价": "finance_evaluation", "自评报告": "self_evaluation",
                          "审计报告": "audit", "新闻稿": "press_release", "统计公报": "statistics_release"})
DIRECTION_WORDS = {"越高越好": "higher", "越大越好": "higher", "越低越好": "lower", "越小越好": "lower",
                   "高": "higher", "低": "lower"}
PAYMENT_STATUS_WORDS = {"已支付": "paid", "已付": "paid", "已付款": "paid", "支付": "paid",
                        "待支付": "pending", "未支付": "pending", "待付": "pending", "应付未付": "pending",
                        "尚未支付": "pending"}
_REGION = re.compile(r"^\s*([0-9]{6})(?:\s+\S.*)?$")


def _mapped(series: pd.Series, words: dict[str, str], lower: bool = False) -> pd.Series:
    """The text cells of ``series`` found in ``words`` (after stripping; lower-cased if ``lower``)
    replaced by their value; every other cell as it was."""
    def one(v):
        if type(v) is not str:
            return v
        key = v.strip().lower() if lower else v.strip()
        return words.get(key, v)
    return pd.Series([one(v) for v in series.tolist()], index=series.index, dtype=object)


def _maps(t: schema.Table) -> dict[str, tuple[dict[str, str], bool]]:
    """Column → (the words it accepts, whether matching ignores case) for table ``t``."""
    out: dict[str, tuple[dict[str, str], bool]] = {}
    for c in t.columns:
        if c.allowed == schema.OPERATORS:
            out[c.name] = (OPERATOR_WORDS, False)
        elif c.type == "BOOLEAN":
            out[c.name] = (BOOLEAN_WORDS, True)
        elif c.allowed == schema.QUALIFIERS:
            out[c.name] = (QUALIFIER_WORDS, False)
    if t.name == "documents":
        out["source_type"] = (SOURCE_TYPE_WORDS, False)
    if t.name == "metrics":
        out["direction"] = (DIRECTION_WORDS, False)
    if t.name == "payments":
        out["status"] = (PAYMENT_STATUS_WORDS, False)
    return out


def normalise_frame(t: schema.Table, raw: pd.DataFrame) -> pd.DataFrame:
    """``raw`` (one sheet's or file's cells of table ``t``, columns named) with the words above made into
    the schema's values and a project's empty place names filled from its region code; a new frame."""
    raw = raw.copy()
    for name, (words, lower) in _maps(t).items():
        if name in raw.columns:
            raw[name] = _mapped(raw[name], words, lower)
    if t.name == "projects" and "region_code" in raw.columns:
        raw = _regions(raw)
    return raw


def _regions(raw: pd.DataFrame) -> pd.DataFrame:
    codes = []
    for v in raw["region_code"].tolist():
        m = _REGION.match(v) if type(v) is str else None
        codes.append(m[1] if m else v)
    raw["region_code"] = pd.Series(codes, index=raw.index, dtype=object)
    for level in ("province", "city", "district"):
        have = raw[level].tolist() if level in raw.columns else [""] * len(raw)
        filled = []
        for code, v in zip(codes, have):
            empty = v is None or (type(v) is str and not v.strip()) or (isinstance(v, float) and v != v)
            region = gbt2260.lookup(code) if empty and type(code) is str else None
            filled.append(getattr(region, level) if region is not None else v)
        if level in raw.columns or any(type(v) is str and v for v in filled):
            raw[level] = pd.Series([("" if v is None else v) for v in filled], index=raw.index, dtype=object)
    return raw
