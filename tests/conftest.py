"""Shared fixtures."""
from __future__ import annotations

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture(scope="session", autouse=True)
def audit_log_of_the_tests(tmp_path_factory):
    """The audit log (perfeval.auth.audit_log) of the whole run, app processes started by tests included, goes
    to a temporary folder, not beside the bundled data (a test that reads its own sets $PERFEVAL_AUDIT_LOG)."""
    path = tmp_path_factory.mktemp("audit") / "audit.jsonl"
    before = os.environ.get("PERFEVAL_AUDIT_LOG")
    os.environ["PERFEVAL_AUDIT_LOG"] = str(path)
    yield path
    if before is None:
        os.environ.pop("PERFEVAL_AUDIT_LOG", None)
    else:
        os.environ["PERFEVAL_AUDIT_LOG"] = before


@pytest.fixture(scope="session")
def tables():
    """tables(name, project_id=None) -> DataFrame of the typed view ``name`` over the bundled lake."""
    from perfeval.data.lake import Lake

    lake = Lake(DATA)

    def read(name: str, project_id: str | None = None):
        df = lake.read_table(name)
        if project_id is not None and "project_id" in df.columns:
            df = df[df["project_id"] == project_id].reset_index(drop=True)
        return df

    return read


@pytest.fixture(scope="session")
def q():
    """A page model's ``q(name, **params)`` over the bundled lake, for a viewer who sees everything (what
    perfeval.ui.state.model binds for the app)."""
    from perfeval.data.gate import DataGate, Scope
    from perfeval.data.lake import Lake

    gate = DataGate(Lake(DATA))

    def run(name, **params):
        return gate.query(name, Scope.everything(), **params)

    return run
