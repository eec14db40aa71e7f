"""docs/data-dictionary.md is generated from perfeval/data/schema.py and must stay in sync with it."""
from __future__ import annotations

import re

from perfeval.data import dictionary, schema


def test_the_data_dictionary_is_up_to_date():
    assert dictionary.DEFAULT_PATH.is_file(), "run: python -m perfeval dictionary"
    assert dictionary.DEFAULT_PATH.read_text(encoding="utf-8") == dictionary.render(), (
        "docs/data-dictionary.md is out of date: run `python -m perfeval dictionary`")


def section(text: str, table: str) -> str:
    start = text.index(f"## `{table}`")
    nxt = text.find("\n## `", start + 1)
    return text[start: nxt if nxt > 0 else None]


def rows_of(text: str) -> dict[str, list[str]]:
    """{column: cells} of a table section's Markdown table."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\| `([a-z_0-9]+)`", line)
        if m:
            out[m.group(1)] = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
    return out


WORDS = {"VARCHAR": "text", "DOUBLE": "number", "INTEGER": "integer", "DATE": "date", "BOOLEAN": "boolean"}


def test_every_table_and_column_is_described_with_its_declaration():
    text = dictionary.render()
    for t in schema.TABLES:
        sec = section(text, t.name)
        assert t.zh in sec and t.en in sec
        rows = rows_of(sec)
        assert list(rows) == t.column_names, t.name
        for c in t.columns:
            name, zh, en, type_, unit, required, constraints = rows[c.name]
            assert zh == c.zh.replace("|", "\\|") and en == c.en.replace("|", "\\|")
            assert type_.split()[0] == WORDS[c.type], (t.name, c.name)
            assert unit == c.unit
            assert (required != "") == c.required
            assert ("🔑" in name) == (c.name in t.key)
            for a in c.allowed:
                assert f"`{a}`" in constraints
            if c.min is not None:
                assert f"{c.min:g}" in constraints


def test_types_are_named_in_words():
    text = dictionary.render()
    rows = rows_of(section(text, "budget"))
    assert rows["year"][3].startswith("integer") and rows["as_of"][3].startswith("date")
    assert rows["initial_budget"][3].startswith("number") and rows["initial_budget"][4] == "万元"
    assert rows["source"][3].startswith("text")
    assert "never both" in section(text, "budget")  # the table's rule is stated


def test_a_table_appended_to_the_schema_appears():
    extra = schema.Table("extra_things", "附加表", "extra things", ("project_id", "thing_id"),
                         row="one extra thing", columns=(
                             schema.PROJECT_ID,
                             schema.Column("thing_id", "VARCHAR", "编号|号", "id", required=True),
                             schema.Column("share", "DOUBLE", "占比", "share", unit="%", min=0, max=1),
                             schema.SOURCE))
    text = dictionary.render(schema.TABLES + (extra,))
    sec = section(text, "extra_things")
    rows = rows_of(sec)
    assert list(rows) == ["project_id", "thing_id", "share", "source"]
    assert rows["thing_id"][1] == "编号\\|号"          # a pipe in a description does not break the table
    assert rows["share"][6] == "range 范围: 0 – 1"
    assert "[`extra_things`](#extra_things)" in text


def test_is_current_and_write(tmp_path):
    path = tmp_path / "dd.md"
    assert not dictionary.is_current(path)
    assert dictionary.write(path) is True
    assert dictionary.is_current(path)
    assert dictionary.write(path) is False
    path.write_text(path.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    assert not dictionary.is_current(path)
