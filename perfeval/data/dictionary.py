"""The data dictionary (docs/data-dictionary.md), generated from perfeval.data.schema.

``python -m perfeval dictionary`` rewrites the file; tests/unit/test_dictionary.py fails when it is
out of date, so the document can never drift from the tables the code reads and validates.
"""
from __future__ import annotations

import pathlib

from perfeval import config
from perfeval.data import schema

DEFAULT_PATH = config.DOCS / "data-dictionary.md"

_TYPE = {"VARCHAR": "text 文本", "DOUBLE": "number 数字", "INTEGER": "integer 整数",
         "DATE": "date 日期 (YYYY-MM-DD)", "BOOLEAN": "boolean 布尔 (true/false)"}


def _cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _range(c: schema.Column) -> str:
    if c.min is not None and c.max is not None:
        return f"{c.min:g} – {c.max:g}"
    if c.min is not None:
        return f"≥ {c.min:g}"
    if c.max is not None:
        return f"≤ {c.max:g}"
    return ""


def _constraints(t: schema.Table, c: schema.Column) -> str:
    from perfeval.data.validation.checks import PATTERNS
    from perfeval.data.validation.cross import REFERENCES

    parts = []
    if c.allowed:
        parts.append("one of 取值: " + ", ".join(f"`{a}`" for a in c.allowed))
    if _range(c):
        parts.append("range 范围: " + _range(c))
    if (t.name, c.name) in PATTERNS:
        parts.append(PATTERNS[(t.name, c.name)][2])
    if c.name == "source":
        parts.append("`<kind>:<name>`, kind 类型 ∈ " + ", ".join(f"`{k}`" for k in schema.DATA_KINDS))
    for ref in REFERENCES:
        if ref.column == c.name and ref.table in (None, t.name) and ref.target != t.name \
                and ref.target in schema.TABLE_BY_NAME:
            where = " (same project 同一项目)" if ref.same_project else ""
            parts.append(f"→ `{ref.target}.{ref.target_column}`{where}")
    return "; ".join(parts)


def render(tables: tuple[schema.Table, ...] | None = None) -> str:
    """The whole dictionary as Markdown, for ``tables`` (default: every table of the schema)."""
    from perfeval.data.validation.cross import RULE_DOCS

    tables = schema.TABLES if tables is None else tables
    out = [
        "# 数据字典 · Data dictionary",
        "",
        "<!-- Generated from perfeval/data/schema.py by `python -m perfeval dictionary`. Do not edit by hand:",
        "     tests/unit/test_dictionary.py fails when this file differs from what the schema generates. -->",
        "",
        "Generated from `perfeval/data/schema.py`, the single declaration of the lake's tables that the DuckDB",
        "views, the validator (`python -m perfeval validate`) and this document all read. The data model",
        "behind it is explained in [data-model.md](data-model.md).",
        "",
        "Conventions 约定:",
        "",
        "- amounts 金额 in 万元 (10,000 CNY); rates 比率 as fractions (0.7172 = 71.72%); years as integers;",
        "  dates as `YYYY-MM-DD`; an empty cell means *not reported* 未披露, never zero.",
        "- every row has `source` = `<kind>:<name>`; the kind 数据类型 is one of "
        + ", ".join(f"`{k}`" for k in schema.DATA_KINDS) + " (real report, import batch, demonstration,",
        "  generated for benchmarks) and every source has a row in `documents`.",
        "- `qualifier` 数值限定 of a vague figure: "
        + ", ".join(f"`{q}`" + (f" {schema.QUALIFIER_ZH[q]}" if schema.QUALIFIER_ZH[q] else "")
                    for q in schema.QUALIFIERS) + ".",
        "- *required* 必填 columns may not be empty; the *key* 主键 is unique across the whole lake.",
        "",
        "Tables 表: " + " · ".join(f"[`{t.name}`](#{t.name}) {t.zh}" for t in tables),
        "",
    ]
    for t in tables:
        out += [
            f'<a id="{t.name}"></a>',
            "",
            f"## `{t.name}` — {t.zh} · {t.en}",
            "",
            f"One row per 每行: {t.row}." if t.row else "",
            "",
            "Key 主键: " + ", ".join(f"`{k}`" for k in t.key),
            "",
        ]
        rules = RULE_DOCS.get(t.name, [])
        if rules:
            out += ["Rules 规则 (checked by the validator):", ""]
            out += [f"- {' '.join(r.split())}" for r in rules]
            out.append("")
        out += [
            "| column 列 | 中文 | English | type 类型 | unit 单位 | required 必填 | constraints 约束 |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in t.columns:
            out.append("| " + " | ".join([
                f"`{c.name}`" + (" 🔑" if c.name in t.key else ""),
                _cell(c.zh), _cell(c.en), _TYPE.get(c.type, c.type), _cell(c.unit),
                "yes 是" if c.required else "", _cell(_constraints(t, c)),
            ]) + " |")
        out.append("")
    return "\n".join(line for line in _squeeze(out)) + "\n"


def _squeeze(lines: list[str]) -> list[str]:
    """No two blank lines in a row."""
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return out


def is_current(path: str | pathlib.Path = DEFAULT_PATH) -> bool:
    """Whether the file at ``path`` is exactly what the schema generates."""
    path = pathlib.Path(path)
    return path.is_file() and path.read_text(encoding="utf-8") == render()


def write(path: str | pathlib.Path = DEFAULT_PATH) -> bool:
    """Write the dictionary to ``path``; True if the file changed."""
    path = pathlib.Path(path)
    text = render()
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
