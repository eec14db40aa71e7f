"""Chinese-first labels with an English switch.

Labels live next to the code that uses them as (zh, en) pairs: ``t("总览", "Overview")``; a term used in
several places is named once in perfeval.text.glossary and called as ``t(terms.PROJECT)``. A `Translator`
is a pure function of the language, so texts stay testable without Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Translator:
    lang: str = "zh"

    def __post_init__(self):
        if self.lang not in LANGUAGES:
            raise ValueError(f"unknown language {self.lang!r}")

    def __call__(self, zh: str | tuple[str, str], en: str | None = None) -> str:
        """``zh`` or ``en`` for the language; ``t(("项目", "Project"))`` takes a glossary term's pair."""
        if en is None:
            zh, en = zh
        return zh if self.lang == "zh" else en

    def pick(self, row, zh_col: str, en_col: str) -> str:
        """The row's English text when English is chosen and it has one, else the Chinese."""
        if self.lang == "en":
            v = row.get(en_col) if hasattr(row, "get") else None
            if isinstance(v, str) and v.strip():
                return v
        return row.get(zh_col) if hasattr(row, "get") else row[zh_col]
