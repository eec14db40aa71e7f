"""The audit and the scorecard as page models (pure): each project's recomputed indicator tree, the audit's
findings, and how they read in a table. Used by the project page, the overview's ranked table and the deck.

Scoring and checks are `perfeval.domain.scoring` / `perfeval.domain.audit`; data comes through ``q``.
"""
from __future__ import annotations

import pandas as pd

from perfeval.domain import audit, scoring
from perfeval.text import fmt

SEVERITY_ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}
SEVERITY_LABEL = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "note")}


def audit_frames(q, *, project_id: str | None = None) -> dict[str, pd.DataFrame]:
    """The audit of one project (or of every project ``q`` sees): findings, counts, recomputed trees,
    unchecked figures and totals, as DataFrames."""
    data = audit.load_projects(q, project_id, q("scorecard_grade_bands"))
    results = [audit.audit_project(d) for d in data]
    trees = [r.tree.assign(project_id=r.project_id) for r in results if not r.tree.empty]
    unchecked = [u.__dict__ for r in results for u in r.unchecked]
    totals = []
    for d, r in zip(data, results):
        ev = scoring.total_evaluation(r.tree, d.project.get("reported_total_score"))
        totals.append({"project_id": r.project_id, "reported": d.project.get("reported_total_score"),
                       "reported_grade": d.project.get("reported_grade"), "recomputed": ev.score,
                       "recomputed_grade": scoring.grade_of(ev.score, d.bands), "method": ev.method,
                       "reason_zh": ev.reason_zh, "reason_en": ev.reason_en})
    return {
        "findings": audit.findings_frame(results),
        "counts": audit.findings_count(results),
        "trees": pd.concat(trees, ignore_index=True) if trees else pd.DataFrame(columns=scoring.TREE_COLUMNS),
        "unchecked": pd.DataFrame(unchecked),
        "totals": pd.DataFrame(totals),
    }


def scorecard_table(tree: pd.DataFrame, rules: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table the page shows: one row per indicator, numbers formatted, "未披露" for what is not given.

    ``rules`` (scorecard_indicators rows) adds each rule's ``basis``. Weight and scores in 分.
    """
    basis = dict(zip(rules["code"], rules["basis"])) if rules is not None and "basis" in rules else {}
    rows = []
    for r in tree.to_dict("records"):
        level = int(r["level"]) if not fmt.is_missing(r["level"]) else 1
        name = (r["name_en"] if lang == "en" and isinstance(r["name_en"], str) and r["name_en"] else r["name"])
        derived_w = fmt.is_missing(r["weight"]) and not fmt.is_missing(r["weight_effective"])
        derived_s = fmt.is_missing(r["reported_score"]) and not fmt.is_missing(r["reported_effective"])
        method_zh, method_en = scoring.METHODS.get(r["method"], (r["method"], r["method"]))
        b = basis.get(r["code"])
        rows.append({
            "code": r["code"],
            "name": "　" * (level - 1) + str(name),
            "weight": fmt.score(r["weight_effective"], lang) + ("*" if derived_w else ""),
            "reported": fmt.score(r["reported_effective"], lang) + ("*" if derived_s else ""),
            "recomputed": fmt.score(r["recomputed_score"], lang),
            "rate": fmt.pct(r["reported_rate"], lang),
            "check": check_mark(r),
            "method": method_zh if lang == "zh" else method_en,
            "reason": r["reason_zh"] if lang == "zh" else r["reason_en"],
            "basis": b if isinstance(b, str) else "",
        })
    return pd.DataFrame(rows, columns=["code", "name", "weight", "reported", "recomputed", "rate", "check",
                                       "method", "reason", "basis"])


def check_mark(r: dict) -> str:
    """✓ where a recomputed score agrees with the reported one, ≠ where not, blank where not recomputed."""
    if r["method"] not in ("rule", "sum") or fmt.is_missing(r["recomputed_score"]) or fmt.is_missing(r["reported_score"]):
        return ""
    return "✓" if abs(float(r["recomputed_score"]) - float(r["reported_score"])) <= audit.SCORE_TOL else "≠"


def findings_markdown(findings: pd.DataFrame, lang: str) -> list[str]:
    """One markdown line per finding: severity, check, subject, explanation."""
    out = []
    for f in findings.to_dict("records"):
        zh, en = SEVERITY_LABEL[f["severity"]]
        check = f["check_zh"] if lang == "zh" else f["check_en"]
        text = f["explanation_zh"] if lang == "zh" else f["explanation_en"]
        subject = str(f["subject"]).split()[0]  # F23, B12, T11-2022, total: the row to look up
        if lang == "zh":
            out.append(f"{SEVERITY_ICON[f['severity']]} **{zh} · {check}**（{subject}）：{text}")
        else:
            out.append(f"{SEVERITY_ICON[f['severity']]} **{en} · {check}** ({subject}): {text}")
    return out


def findings_counts(counts: pd.DataFrame, project_ids) -> pd.DataFrame:
    """Audit findings per project of ``project_ids`` (``counts``: `audit_frames`' counts): project_id, error,
    warning, info, findings."""
    return pd.DataFrame({"project_id": list(project_ids)}).merge(counts, on="project_id", how="left")


def findings_label(row: dict, lang: str) -> str:
    """"🔴 2 🟠 1" style summary of a project's findings; "—" for none, "未披露" if not audited."""
    if fmt.is_missing(row.get("findings")):
        return fmt.not_reported(lang)
    if not row["findings"]:
        return "✓"
    return " ".join(f"{SEVERITY_ICON[s]}{int(row[s])}" for s in audit.SEVERITIES if row[s])
