"""项目详情 Project's page model for what a report states beyond its scores (pure): the outputs (产出数量: planned,
actual, status), the findings (problems, recommendations, good practice), the report's own conclusion and the
plain figures that fit no other table (figures of kind 'fact'). The project page draws them as tabs
(perfeval.ui.project_sections).

Every value the report leaves out reads 未披露 / not reported (fmt), never None, nan or 0.
"""
from __future__ import annotations

from perfeval.data import schema
from perfeval.text import fmt
from perfeval.text.i18n import Translator

FINDING_KINDS = (("problem", "问题", "Problems"), ("recommendation", "建议", "Recommendations"),
                 ("practice", "经验做法", "Good practice"))
# columns of projects that hold a report's own words on its result, shown under 报告结论 where the schema has
# them (a 自评表's 年度总体目标 and 实际完成情况; a report's 评价结论), in this order
CONCLUSION_COLUMNS = ("goal", "goal_result", "conclusion")


def _quantity(value, qualifier, lang: str) -> str:
    if fmt.is_missing(value):
        return fmt.not_reported(lang)
    return fmt.with_qualifier(fmt.number(value, 2, lang), qualifier, lang)


def outputs(q, *, project_id: str, lang: str) -> dict:
    """The outputs: ``table`` (group, item, unit, planned_s, actual_s, done_s = actual ÷ planned, status_s;
    None when the report lists none, then ``info`` says so) and ``caption`` (how many, how many with both
    quantities)."""
    t = Translator(lang)
    rows = q("project_outputs", project_id=project_id)
    if rows.empty:
        return {"table": None, "caption": None, "n": 0,
                "info": t("报告未列出产出（未披露）。", "The report lists no outputs (not reported).")}
    done = [None if fmt.is_missing(p) or fmt.is_missing(a) or not p else float(a) / float(p)
            for p, a in zip(rows["planned"], rows["actual"])]
    table = rows.assign(
        group_s=fmt.texts(rows["group_name"], lang),
        item_s=fmt.texts(rows["item"], lang),
        unit_s=fmt.texts(rows["unit"], lang),
        planned_s=[_quantity(v, None, lang) for v in rows["planned"]],
        actual_s=[_quantity(v, ql, lang) for v, ql in zip(rows["actual"], rows["qualifier"])],
        done_s=[fmt.pct(d, lang, 1) for d in done],
        status_s=fmt.texts(rows["status"], lang),
    )[["output_id", "group_s", "item_s", "unit_s", "planned_s", "actual_s", "done_s", "status_s"]]
    both = sum(d is not None for d in done)
    return {"table": table, "info": None, "n": len(rows),
            "caption": t(f"共 {len(rows)} 项产出，其中 {both} 项计划数与实际数均已披露（完成率 = 实际数 ÷ 计划数）。",
                         f"{len(rows)} outputs, {both} with both the planned and the actual quantity "
                         "(done = actual ÷ planned).")}


def findings(q, *, project_id: str, lang: str) -> dict:
    """The findings by kind: ``groups`` [(heading, [markdown line, …])] for the kinds the report lists,
    ``missing`` (the kinds it lists none of, as one sentence, or None), ``n``; ``info`` when it lists none."""
    t = Translator(lang)
    rows = q("project_findings", project_id=project_id)
    groups, absent = [], []
    for kind, zh, en in FINDING_KINDS:
        mine = rows[rows["kind"] == kind]
        if mine.empty:
            absent.append(t(zh, en.lower()))
            continue
        lines = []
        for r in mine.to_dict("records"):
            title = fmt.text(r["title"], lang)
            body = r["text"] if isinstance(r["text"], str) and r["text"].strip() else None
            ind = f"（{t('相关指标', 'indicator')} {r['indicator_code']}）" if isinstance(r["indicator_code"], str) else ""
            lines.append(f"**{title}**{ind}" + (("：" if lang == "zh" else ": ") + body.replace("\n", " ")
                                                 if body else ""))
        groups.append((f"{t(zh, en)}（{len(mine)}）" if lang == "zh" else f"{en} ({len(mine)})", lines))
    info = None if len(rows) else t("报告未列出问题、建议或经验做法（未披露）。",
                                    "The report lists no problems, recommendations or good practice (not reported).")
    missing = (t("报告未列出：" + "、".join(absent) + "（未披露）。", "Not listed in the report: " + ", ".join(absent)
                 + " (not reported).") if absent and len(rows) else None)
    return {"groups": groups, "missing": missing, "info": info, "n": len(rows)}


def conclusion(q, *, project_id: str, lang: str) -> dict:
    """The report's own conclusion: ``items`` [(label, text)]: who evaluated, the stated total and grade (each
    未披露 where the report gives none) and the report's own words on its result where the schema holds them
    (`CONCLUSION_COLUMNS`); ``source`` (the document's title)."""
    t = Translator(lang)
    rows = q("project_facts", project_id=project_id)
    p = rows.iloc[0].to_dict() if len(rows) else {}
    items = [
        (t("评价机构", "Evaluator"), fmt.text(p.get("evaluator"), lang)),
        (t("评价方式", "Evaluator type"), fmt.text(p.get("evaluator_type"), lang)),
        (t("报告总分", "Reported total score"), fmt.score(p.get("reported_total_score"), lang)),
        (t("评价等级", "Grade"), fmt.text(p.get("reported_grade"), lang)),
    ]
    projects = schema.table("projects")
    for name in CONCLUSION_COLUMNS:
        if name in projects.column_names:
            col = projects.column(name)
            items.append((t(col.zh, col.en[:1].upper() + col.en[1:]), fmt.text(p.get(name), lang)))
    return {"items": items, "source": fmt.text(p.get("document_title"), lang)}


def fact_figures(q, *, project_id: str, lang: str) -> dict:
    """The plain figures (figures of kind 'fact'): ``table`` (label, value_s with its qualifier and unit,
    scope, quote) or None with ``info``; ``n``."""
    t = Translator(lang)
    rows = q("project_fact_figures", project_id=project_id)
    if rows.empty:
        return {"table": None, "n": 0, "info": t("没有其他数据（未披露）。", "No other figures (not reported).")}
    values = []
    for r in rows.to_dict("records"):
        number = fmt.with_qualifier(fmt.number(r["value"], 4, lang), r["qualifier"], lang)
        unit = r["unit"] if isinstance(r["unit"], str) else ""
        values.append(f"{number} {unit}".strip() if not fmt.is_missing(r["value"]) else fmt.not_reported(lang))
    table = rows.assign(label_s=fmt.texts(rows["label"], lang), value_s=values,
                        scope_s=fmt.texts(rows["scope"], lang),
                        quote_s=[q_ if isinstance(q_, str) and q_.strip() else "" for q_ in rows["quote"]])
    return {"table": table[["figure_id", "label_s", "value_s", "scope_s", "quote_s"]], "n": len(rows), "info": None}


def build(q, *, project_id: str, lang: str) -> dict:
    """The four tabs: ``tabs`` [(label with the count of rows)], and ``outputs``, ``findings``, ``conclusion``
    and ``facts`` as the functions above make them."""
    t = Translator(lang)
    v = {"outputs": outputs(q, project_id=project_id, lang=lang),
         "findings": findings(q, project_id=project_id, lang=lang),
         "conclusion": conclusion(q, project_id=project_id, lang=lang),
         "facts": fact_figures(q, project_id=project_id, lang=lang)}
    v["tabs"] = [t(f"产出（{v['outputs']['n']}）", f"Outputs ({v['outputs']['n']})"),
                 t(f"问题与建议（{v['findings']['n']}）", f"Problems and recommendations ({v['findings']['n']})"),
                 t("报告结论", "The report's conclusion"),
                 t(f"其他数据（{v['facts']['n']}）", f"Other figures ({v['facts']['n']})")]
    return v
