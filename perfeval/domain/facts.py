"""A project's facts as label–value pairs (region, units, evaluator, periods, source), for the project
page and its slide deck alike, so both say the same things the same way."""
from __future__ import annotations

from perfeval.domain.regions import region_label
from perfeval.text import fmt
from perfeval.text import glossary as terms
from perfeval.text.i18n import Translator


def period(start, end, lang: str) -> str:
    """``2021-01-01 — 2023-12-31``; 未披露 / not reported when neither end is given."""
    if fmt.is_missing(start) and fmt.is_missing(end):
        return fmt.not_reported(lang)
    return f"{fmt.date(start, lang)} — {fmt.date(end, lang)}"


def project_facts(p: dict, lang: str) -> list[tuple[str, str, object]]:
    """(key, label, value) of a project row of queries/project_facts.sql, in the page's order. A value may
    be missing (None / empty): the caller shows it as 未披露."""
    t = Translator(lang)
    return [
        ("region", t(terms.REGION), region_label(p)),
        ("category", t(terms.CATEGORY), p.get("category")),
        ("implementing_unit", t("实施单位", "Implementing unit"), p.get("implementing_unit")),
        ("supervising_unit", t("主管单位", "Supervising unit"), p.get("supervising_unit")),
        ("evaluator", t("评价机构", "Evaluator"), p.get("evaluator")),
        ("evaluator_type", t(terms.EVALUATOR), p.get("evaluator_type")),
        ("period", t("评价期", "Evaluated period"), period(p.get("period_start"), p.get("period_end"), lang)),
        ("evaluation", t("评价工作时间", "Evaluation work"),
         period(p.get("evaluation_start"), p.get("evaluation_end"), lang)),
        ("data_cutoff", t("数据截至", "Data cutoff"), fmt.date(p.get("data_cutoff"), lang)),
        ("source", t("来源文档", "Source document"), f"{p.get('document_title') or ''}（{p.get('source')}）"),
    ]
