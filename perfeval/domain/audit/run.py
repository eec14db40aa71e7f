"""Running the audit: every check over one project (`audit_project`), over every project a scope shows
(`iter_audits`, `run_audit`, a batch of provinces at a time), and the findings as tables (`findings_frame`,
`findings_count`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pandas as pd

from perfeval.domain import scoring
from perfeval.domain.audit.figures import check_figures, check_spending, check_targets
from perfeval.domain.audit.loading import batch_scopes, gate_query, iter_projects
from perfeval.domain.audit.model import SEVERITIES, ProjectAudit, ProjectData
from perfeval.domain.audit.scores import (
    check_grade,
    check_scores,
    check_total,
    check_tree,
)


def audit_project(data: ProjectData) -> ProjectAudit:
    """Run every check of `CHECKS` over one project's data. Pure: DataFrames in, findings out."""
    tree = data.tree()
    findings = []
    findings += check_scores(data, tree)
    findings += check_total(data, tree)
    findings += check_tree(data, tree)
    findings += check_grade(data, tree)
    figs, unchecked = check_figures(data)
    findings += figs
    findings += check_spending(data)
    findings += check_targets(data)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (order[f.severity], f.check, f.subject))
    return ProjectAudit(data.project_id, findings, unchecked, tree)


_NO_TREE = pd.DataFrame(columns=scoring.TREE_COLUMNS)  # shared by the audits that drop their trees


Progress = Callable[[int, int, int], None]  # (batches done, batches in all, projects audited so far)


def iter_audits(gate, scope, project_id: str | None = None, batch_size: int | None = None,
                keep_trees: bool = True, progress: Progress | None = None) -> Iterator[ProjectAudit]:
    """Audit one project or every project the scope shows, reading through ``gate`` one batch of
    provinces at a time (`batch_scopes`); in project_id order within a batch. ``keep_trees=False`` drops
    each recomputed tree once audited (the command line prints findings only); ``progress`` is called
    after each batch."""
    bands = gate.table("grade_bands", scope)
    scopes = [scope] if project_id is not None else batch_scopes(gate, scope, batch_size)
    done = 0
    for i, s in enumerate(scopes, 1):
        for d in iter_projects(gate_query(gate, s), project_id, bands):
            a = audit_project(d)
            if not keep_trees:
                a.tree = _NO_TREE
            done += 1
            yield a
        if progress is not None:
            progress(i, len(scopes), done)


def run_audit(gate, scope, project_id: str | None = None, batch_size: int | None = None,
              keep_trees: bool = True, progress: Progress | None = None) -> list[ProjectAudit]:
    """Audit one project or every project the scope shows, reading through ``gate``; in project_id order."""
    return sorted(iter_audits(gate, scope, project_id, batch_size, keep_trees, progress),
                  key=lambda a: a.project_id)


def findings_frame(audits: Iterable[ProjectAudit]) -> pd.DataFrame:
    """All findings as one DataFrame (one row per finding, columns of `Finding.to_dict`)."""
    rows = [f.to_dict() for a in audits for f in a.findings]
    cols = ["project_id", "check", "check_zh", "check_en", "severity", "subject", "stated", "derived",
            "difference", "unit", "rows", "explanation_zh", "explanation_en"]
    return pd.DataFrame(rows, columns=cols)


def findings_count(audits: Iterable[ProjectAudit]) -> pd.DataFrame:
    """One row per project: number of findings by severity (error, warning, info) and in all."""
    rows = []
    for a in audits:
        c = a.counts()
        rows.append({"project_id": a.project_id, **c, "findings": sum(c.values())})
    return pd.DataFrame(rows, columns=["project_id", *SEVERITIES, "findings"])
