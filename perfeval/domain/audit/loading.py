"""Loading the audit's data: one project's rows (`ProjectData`) through ``q`` (queries/audit_*.sql and
scorecard_*.sql, bound ``$project_id``), taken project by project from one frame per query (`ByProject`),
and a national lake cut into batches of whole provinces (`batch_scopes`, `BATCH_PROJECTS`), so that memory
holds one batch's rows rather than the whole lake's.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd

from perfeval.domain import scoring
from perfeval.domain.audit.model import ProjectData, records

DERIVED_QUERIES = ("audit_budget_values", "audit_payment_values", "audit_indicator_values",
                   "audit_output_values", "audit_outcome_values", "audit_survey_values", "audit_target_values")

QueryFn = Callable[..., pd.DataFrame]


class ByProject:
    """The rows of one frame per project, taken on demand: one pass over the frame finds every project's
    row positions (a frame of every project in a national lake is millions of rows; comparing its
    project_id column once per project would take hours)."""

    def __init__(self, df: pd.DataFrame | None):
        self.df = df if df is not None else pd.DataFrame()
        self.positions = {} if self.df.empty else self.df.groupby("project_id", sort=False).indices

    def rows(self, pid: str) -> pd.DataFrame:
        """Project ``pid``'s rows in their order, index 0…n-1 (no row: an empty frame, same columns)."""
        if self.df.empty:
            return self.df
        at = self.positions.get(pid)
        return self.df.take(at if at is not None else []).reset_index(drop=True)


def iter_projects(query: QueryFn, project_id: str | None = None,
                  grade_bands: pd.DataFrame | None = None) -> Iterator[ProjectData]:
    """The audit's data for one project (``project_id``) or every visible project, one project at a time
    (in project_id order). ``query`` and ``grade_bands`` as in `load_projects`."""
    projects = query("scorecard_projects", project_id=project_id)
    indicators = ByProject(query("scorecard_indicators", project_id=project_id))
    figures = ByProject(query("audit_figures", project_id=project_id))
    targets = ByProject(query("audit_targets", project_id=project_id))
    spending = ByProject(query("audit_spending", project_id=project_id))
    derived = ByProject(pd.concat([query(q, project_id=project_id) for q in DERIVED_QUERIES],
                                   ignore_index=True))
    bands = scoring.bands_from_frame(grade_bands)
    for p in records(projects):
        pid = p["project_id"]
        yield ProjectData(p, indicators.rows(pid), figures.rows(pid), targets.rows(pid), derived.rows(pid),
                          spending.rows(pid), bands)


def load_projects(query: QueryFn, project_id: str | None = None,
                  grade_bands: pd.DataFrame | None = None) -> list[ProjectData]:
    """The audit's data for one project (``project_id``) or every visible project.

    ``query(name, **params)`` runs queries/<name>.sql for the viewer (a `DataGate.query` bound to a
    scope, or the app's cached query); ``grade_bands`` is the grade_bands table (default bands if None).
    """
    return list(iter_projects(query, project_id, grade_bands))


def gate_query(gate, scope) -> QueryFn:
    """A `QueryFn` over a `perfeval.data.gate.DataGate` for one viewer's scope."""
    return lambda name, **params: gate.query(name, scope, **params)


# A national lake is audited a batch of provinces at a time, so that only one batch's rows are in memory
# (the derived values alone are ≈ 170 rows per project).
BATCH_PROJECTS = 10_000


def batch_scopes(gate, scope, size: int | None = None) -> list:
    """``scope`` cut into scopes of whole provinces (two-digit region-code prefixes) with at most ``size``
    projects each where possible (a larger province is a batch of its own), in prefix order.

    Every table keyed by project is scoped through its projects, so the batches together see exactly
    the rows ``scope`` sees, each project's rows in one batch. A regional viewer's scope, a lake of at
    most ``size`` projects (default `BATCH_PROJECTS`), or one where some project has no two-digit region
    code is one batch."""
    size = size or BATCH_PROJECTS
    if scope.regions is not None:
        return [scope]
    counts = gate.query("audit_batches", scope)
    if counts.empty or counts["prefix"].isna().any() or int(counts["n"].sum()) <= size:
        return [scope]
    batches: list[list[str]] = []
    n_batch = 0
    for prefix, n in zip(counts["prefix"].tolist(), counts["n"].tolist()):
        if not batches or n_batch + n > size:
            batches.append([])
            n_batch = 0
        batches[-1].append(str(prefix))
        n_batch += int(n)
    return [type(scope)(tuple(b), scope.include_demo) for b in batches]
