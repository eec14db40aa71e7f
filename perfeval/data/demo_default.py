"""Real data first: whether the demonstration portfolio is shown by default.

The sidebar's switch 显示示例数据 (URL ``demo=0`` / ``demo=1``) shows or hides the demonstration rows. Its
default comes from the setting ``$PERFEVAL_DEMO_DEFAULT`` (`ENV`):

- ``auto`` (the default, also for an empty or unknown value): on while the lake holds no real data beyond the
  bundled reports, off as soon as it does, so that a district's own projects are not ranked among 64 fictional
  ones. Real data beyond the bundled reports: a documents row or a project whose source is of a real kind (not
  ``demo``, not ``generated``) and is not one of the bundled data's own sources (the documents of the
  repository's ``data/catalog/`` and ``data/seed/``): an imported batch (``import:<id>``), or a report,
  self-evaluation, audit … that a person added.
- ``on``: always shown by default; ``off``: always hidden by default.

The switch stays: a person can always show or hide them. `show_demo_by_default` is the decision, a pure
function; perfeval.views.sidebar.demo_default reads the lake's real sources for it (queries/real_sources.sql).
"""
from __future__ import annotations

import functools
import os
import pathlib
from typing import Iterable

import pandas as pd

from perfeval import config
from perfeval.data import schema

ENV = "PERFEVAL_DEMO_DEFAULT"
SETTINGS = ("auto", "on", "off")
NOT_REAL = ("demo", "generated")


def setting(value: str | None = None) -> str:
    """``value`` (else ``$PERFEVAL_DEMO_DEFAULT``) as one of `SETTINGS`; empty or unknown → ``auto``
    (``1``/``true``/``yes`` count as ``on``, ``0``/``false``/``no`` as ``off``)."""
    raw = (os.environ.get(ENV, "") if value is None else value).strip().lower()
    if raw in ("1", "true", "yes"):
        return "on"
    if raw in ("0", "false", "no"):
        return "off"
    return raw if raw in SETTINGS else "auto"


@functools.cache
def bundled_sources(root: pathlib.Path = config.BUNDLED_DATA) -> frozenset[str]:
    """The sources of the documents the repository bundles (``catalog/`` and ``seed/<report>/``)."""
    out: set[str] = set()
    for path in sorted(root.glob("catalog/documents.csv")) + sorted(root.glob("seed/*/documents.csv")):
        out |= set(pd.read_csv(path, usecols=["source"], dtype=str, encoding="utf-8-sig")["source"].dropna())
    return frozenset(out)


def real_beyond_bundled(sources: Iterable[str], bundled: Iterable[str]) -> list[str]:
    """The sources of real kinds (not demo, not generated) that are not bundled, sorted."""
    known = set(bundled)
    return sorted({s for s in sources if isinstance(s, str) and s and s not in known
                   and schema.data_kind(s) not in NOT_REAL})


def show_demo_by_default(mode: str, sources: Iterable[str], bundled: Iterable[str]) -> bool:
    """Whether the demonstration data are shown by default: ``on`` → True, ``off`` → False, ``auto`` (or
    anything else) → True unless ``sources`` (the lake's) hold a real source beyond ``bundled``."""
    mode = setting(mode)
    if mode != "auto":
        return mode == "on"
    return not real_beyond_bundled(sources, bundled)
