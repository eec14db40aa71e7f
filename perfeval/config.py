"""Where things are: the repository, the query files, the docs and the lake folder, resolved in one place.

The lake folder is, in this order: a path given explicitly (the CLI's ``--data``), ``$PERFEVAL_DATA``, else
the bundled ``data/``. The app, the command line, the warmer and the benchmarks all ask `data_dir`.
"""
from __future__ import annotations

import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
DOCS = ROOT / "docs"
BUNDLED_DATA = ROOT / "data"
DATA_ENV = "PERFEVAL_DATA"
AUTH_ENV = "PERFEVAL_AUTH"  # the auth settings file (perfeval.auth.settings); unset: local mode, no sign-in


def data_dir(value: str | os.PathLike | None = None) -> pathlib.Path:
    """The lake folder: ``value`` if given, else $PERFEVAL_DATA, else the bundled data/."""
    if value:
        return pathlib.Path(value)
    env = os.environ.get(DATA_ENV)
    return pathlib.Path(env) if env else BUNDLED_DATA


def auth_settings_path() -> pathlib.Path | None:
    """The auth settings file: $PERFEVAL_AUTH, else None (local mode: one machine, no sign-in)."""
    env = os.environ.get(AUTH_ENV)
    return pathlib.Path(env) if env else None
