"""Shared fixtures."""
from __future__ import annotations

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


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
