"""The import page's Streamlit pieces: the template download, checking an upload (cached per file and
lake version) and committing it as a new batch. The reading, checks and writing are perfeval.data.imports.ingest's;
what is shown of them is perfeval.views.imports's."""
from __future__ import annotations

import functools
import hashlib
import os

import streamlit as st

from perfeval.data.imports import batches, ingest
from perfeval.data.imports.batches import WithdrawRefused  # noqa: F401 - the page catches it as upload.WithdrawRefused
from perfeval.data.imports.ingest import ImportRefused  # noqa: F401 - the page catches it as upload.ImportRefused
from perfeval.ui import state

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@functools.lru_cache(maxsize=2)
def template(lang: str) -> bytes:
    """The import template (.xlsx) in ``lang``, made once per process: it depends on the schema alone, and
    bytes cannot be changed by a caller, so no copy is needed (an st.cache_data hit cost a hash and an
    unpickling on every run of the page)."""
    return ingest.template_workbook(lang)


@st.cache_data(show_spinner=False, max_entries=4)
def _stage(path: str, filename: str, digest: str, version: str, _data: bytes) -> ingest.Staged:
    # digest and version are the key: the same bytes against the same lake give the same answer
    return ingest.stage(filename, _data, path)


def stage(filename: str, data: bytes, key: str) -> ingest.Staged:
    """The upload read and checked against the lake as it is now; ``key`` = ``digest(data)``."""
    return _stage(str(state.data_dir()), filename, key, state.gate().version(), data)


def digest(data: bytes) -> str:
    """What an upload is known by in this session (its checks' cache, the imports it made)."""
    return hashlib.sha256(data).hexdigest()


def lake_writable() -> bool:
    """Whether this process may add a batch: the lake folder (or its imports/ folder) is writable."""
    root = state.data_dir()
    imports = root / "imports"
    return os.access(imports if imports.exists() else root, os.W_OK)


def commit(staged: ingest.Staged) -> ingest.Batch:
    """Write the batch, then forget the cached checks and the lake's version (the lake has changed: the
    next query of any session of this process reads the new version; other processes within a second)."""
    batch = ingest.commit(staged, state.data_dir())
    state.gate().lake.changed()  # every page of this process reads the new batch on its next query
    _stage.clear()
    return batch


def withdraw(batch_id: str) -> None:
    """Move a batch this session imported to the archive (perfeval.data.imports.batches.withdraw); the lake has
    changed, as after an import."""
    batches.withdraw(state.data_dir(), batch_id)
    state.gate().lake.changed()
    _stage.clear()
