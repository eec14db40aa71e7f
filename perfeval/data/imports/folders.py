"""Where an imported batch lives in the lake: ``<lake>/imports/<id>/`` (`IMPORTS_DIR`) with the upload kept
byte-identical under ``_upload/`` (`UPLOAD_DIR`) and its manifest ``batch.json`` (`MANIFEST`: who imported it,
when, the file, the rows per table, the batches it superseded; `write_manifest`, `read_manifest`), the batch
ids (`new_batch_id`, `check_batch_id`), the lock (`locked`, ``imports/.lock``) under which one commit,
withdrawal or restore at a time changes ``imports/``, and the archive a withdrawn batch moves to
(`ARCHIVE`, ``_archive/imports/<id>/``).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import pathlib
import re
import secrets

from perfeval.data import schema

IMPORTS_DIR = "imports"
UPLOAD_DIR = "_upload"
ARCHIVE = pathlib.PurePath("_archive", "imports")
MANIFEST = "batch.json"   # not a data file: the lake reads .csv and .parquet only
LOCAL_WHO = "本机/local"   # who imported, withdrew or restored when the caller names no one
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


def fsync(path: pathlib.Path) -> None:
    """Flush a file or a folder to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_manifest(folder: pathlib.Path, *, batch: str, who: str, when: dt.datetime, file: str,
                   rows: dict[str, int], supersedes: list[str] | tuple[str, ...] = ()) -> pathlib.Path:
    """Write ``<folder>/batch.json`` (the batch's folder before it is placed) and flush it."""
    path = folder / MANIFEST
    record = {"id": batch, "who": who or LOCAL_WHO, "when": when.isoformat(timespec="seconds"), "file": file,
              "rows": dict(rows), "supersedes": list(supersedes)}
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    fsync(path)
    return path


def read_manifest(folder: pathlib.Path) -> dict:
    """The batch's manifest, or {} for a batch written before manifests (or one that cannot be read)."""
    try:
        record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}
