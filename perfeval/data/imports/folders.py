"""Where an imported batch lives in the lake: ``<lake>/imports/<id>/`` (`IMPORTS_DIR`) with the upload kept
byte-identical under ``_upload/`` (`UPLOAD_DIR`), the batch ids (`new_batch_id`, `check_batch_id`), and the
lock (`locked`, ``imports/.lock``) under which one commit or withdrawal at a time changes ``imports/``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import pathlib
import re
import secrets

from perfeval.data import schema

IMPORTS_DIR = "imports"
UPLOAD_DIR = "_upload"
_BATCH_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")


def new_batch_id(now: dt.datetime | None = None) -> str:
    """``YYYYMMDD-HHMMSS-<6 hex>``: sortable by time, unique by its random part."""
    return (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


def check_batch_id(batch: str) -> None:
    """A batch id names a folder the lake reads: letters, digits, ``. _ -``, not starting with ``.`` or
    ``_`` (the lake would ignore it) and not a table's name (the lake would read every file below it
    as that table)."""
    if not _BATCH_ID.match(batch or "") or batch in schema.TABLE_BY_NAME:
        raise ValueError(f"批次编号无效 / bad batch id {batch!r}: letters, digits, . _ - only, not starting "
                         "with . or _, not a table's name")


@contextlib.contextmanager
def locked(imports: pathlib.Path):
    """One commit at a time per lake (``imports/.lock``): the re-check and the rename go together."""
    with open(imports / ".lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
