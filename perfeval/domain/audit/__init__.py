"""The consistency audit: every number a report states, checked against the data it comes from.

`CHECKS` is the catalogue. Each check is a pure function of one project's data (`ProjectData`, plain
DataFrames) returning `Finding`s: severity, check, the stated and the derived value, the rows involved
and a plain explanation in Chinese and English. `load_projects` gathers that data through the data
gate (queries/audit_*.sql and scorecard_*.sql, bound ``$project_id``); `run_audit` does both, for a
national lake a batch of provinces at a time (`batch_scopes`, `loading.BATCH_PROJECTS`), so that memory
holds one batch's rows rather than the whole lake's.

A finding is not an error of the program: the seeds themselves contain such mismatches, and finding
them is the point. Severities:

- ``error``   a stated number is contradicted by the report's own data (beyond rounding, by more than
              5 % or half a point),
- ``warning`` a smaller contradiction, or a conclusion the data does not support,
- ``info``    a vague figure (约/近/余) or an approximate input that is off by more than rounding, or a
              rule that could not be applied.

Which module holds what:

- ``model``      `SEVERITIES`, `Check` and the `CHECKS` catalogue, `Finding`, `Unchecked`, `ProjectData`,
                 `ProjectAudit`, and the row helpers (`records`, `rules_by_code`, `facts_from_derived`);
- ``tolerance``  `SCORE_TOL`, the tolerance for a report's rounding (`rounding_tolerance`,
                 `stated_decimals`), `severity_for` and `compare_stated` (约/近/余/大于);
- ``scores``     the checks of scores, the indicator tree and the grade (`check_scores`, `check_total`,
                 `check_tree`, `check_grade`);
- ``figures``    the checks of stated figures, spending and targets (`check_figures`, `DERIVABLE`,
                 `check_spending`, `check_targets`);
- ``loading``    a project's data through ``q`` (`iter_projects`, `load_projects`, `gate_query`, `ByProject`)
                 and the batches of provinces (`batch_scopes`, `BATCH_PROJECTS`);
- ``run``        `audit_project`, `iter_audits`, `run_audit`, `findings_frame`, `findings_count`.

The names callers use are re-exported here (``from perfeval.domain import audit; audit.run_audit(…)``).
Command line: ``python -m perfeval audit [--project ID] [--json]`` (perfeval.cli.audit).
"""
from perfeval.domain.audit.figures import (
    DERIVABLE,
    check_figures,
    check_spending,
    check_targets,
)
from perfeval.domain.audit.loading import (
    DERIVED_QUERIES,
    ByProject,
    QueryFn,
    batch_scopes,
    gate_query,
    iter_projects,
    load_projects,
)
from perfeval.domain.audit.model import (
    CHECKS,
    SEVERITIES,
    SEVERITY_ZH,
    Check,
    Finding,
    ProjectAudit,
    ProjectData,
    Unchecked,
    facts_from_derived,
    normalise_scope,
    records,
    rules_by_code,
)
from perfeval.domain.audit.run import (
    Progress,
    audit_project,
    findings_count,
    findings_frame,
    iter_audits,
    run_audit,
)
from perfeval.domain.audit.scores import (
    check_grade,
    check_scores,
    check_total,
    check_tree,
)
from perfeval.domain.audit.tolerance import (
    CONVENTIONAL_DECIMALS,
    SCORE_TOL,
    compare_stated,
    rounding_tolerance,
    severity_for,
    stated_decimals,
)

__all__ = [
    "DERIVABLE", "check_figures", "check_spending", "check_targets",
    "DERIVED_QUERIES", "ByProject", "QueryFn", "batch_scopes", "gate_query", "iter_projects", "load_projects",
    "CHECKS", "SEVERITIES", "SEVERITY_ZH", "Check", "Finding", "ProjectAudit", "ProjectData", "Unchecked",
    "facts_from_derived", "normalise_scope", "records", "rules_by_code",
    "Progress", "audit_project", "findings_count", "findings_frame", "iter_audits", "run_audit",
    "check_grade", "check_scores", "check_total", "check_tree",
    "CONVENTIONAL_DECIMALS", "SCORE_TOL", "compare_stated", "rounding_tolerance", "severity_for", "stated_decimals",
]
