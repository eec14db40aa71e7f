"""The imported batches of a lake: list them, and withdraw one that was imported by mistake.

A batch (perfeval.data.imports.ingest) is the folder ``<lake>/imports/<id>/``. Withdrawing it is a move, not a
delete (docs/data-model.md): the folder is renamed, in one step, to ``<lake>/_archive/imports/<id>/``,
byte-identical, so every page stops showing its rows on its next query and the batch can be put back by
moving the folder again. It is refused, and nothing moves, when

- rows outside the batch depend on it: they belong to one of its projects, or cite one of its
  documents as their ``source`` (a later batch with the indicators of a project this batch brought);
  withdrawing it would leave them pointing at nothing, so those are withdrawn first;
- the batch's files were merged into a compacted file (``python -m perfeval compact``): its rows are no
  longer its own to move.

Withdrawing holds the imports' lock (``imports/.lock``), as an import's commit does.
"""
from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass, field

import pandas as pd
import pyarrow.parquet as pq

from perfeval.data import schema
from perfeval.data.imports.folders import (
    IMPORTS_DIR,
    UPLOAD_DIR,
    check_batch_id,
    locked,
)
from perfeval.data.lake import COMPACTED_PREFIX, Lake, supersedes

ARCHIVE = pathlib.PurePath("_archive", "imports")


class WithdrawRefused(ValueError):
    """A batch that cannot be withdrawn; the message says why, in Chinese and English."""


@dataclass(frozen=True)
class BatchInfo:
    id: str
    folder: pathlib.Path
    rows: dict[str, int]                      # table → rows, from the Parquet footers
    uploads: list[str] = field(default_factory=list)   # the uploaded file(s) kept under _upload/

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _info(folder: pathlib.Path) -> BatchInfo:
    rows = {p.stem: pq.ParquetFile(p).metadata.num_rows for p in sorted(folder.glob("*.parquet"))
            if p.stem in schema.TABLE_BY_NAME}
    uploads = sorted(p.name for p in (folder / UPLOAD_DIR).glob("*")) if (folder / UPLOAD_DIR).is_dir() else []
    return BatchInfo(folder.name, folder, rows, uploads)


def list_batches(lake: str | os.PathLike, withdrawn: bool = False) -> list[BatchInfo]:
    """The lake's imported batches, newest first (their ids begin with the time of the import); with
    ``withdrawn``, those under ``_archive/imports/`` instead."""
    root = pathlib.Path(lake).resolve()
    base = root / ARCHIVE if withdrawn else root / IMPORTS_DIR
    if not base.is_dir():
        return []
    folders = [p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))]
    return [_info(p) for p in sorted(folders, key=lambda p: p.name, reverse=True)]


def _values(path: pathlib.Path, column: str) -> set[str]:
    """The distinct values of one column of a data file ('' if it has no such column)."""
    if path.suffix == ".parquet":
        if column not in pq.read_schema(path).names:
            return set()
        return {v for v in pq.read_table(path, columns=[column]).column(column).unique().to_pylist() if v}
    head = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    if column not in head:
        return set()
    return set(pd.read_csv(path, usecols=[column], dtype=str, encoding="utf-8-sig")[column].dropna())


def dependants(lake: str | os.PathLike, batch: str) -> list[str]:
    """The lake files outside the batch whose rows belong to the batch's projects or cite its documents,
    each with how many of those projects or sources it touches (``imports/…/indicators.parquet: 3 项目 /
    projects``)."""
    root = pathlib.Path(lake).resolve()
    folder = root / IMPORTS_DIR / batch
    mine = [p for p in Lake(root).live_files() if p.is_relative_to(folder)]
    projects = set().union(*(_values(p, "project_id") for p in mine if p.stem == "projects"))
    sources = set().union(*(_values(p, "source") for p in mine if p.stem == "documents"))
    out = []
    for p in Lake(root).live_files():
        if p.is_relative_to(folder):
            continue
        hit_p = len(_values(p, "project_id") & projects) if projects else 0
        hit_s = len(_values(p, "source") & sources) if sources else 0
        if hit_p or hit_s:
            what = ([f"{hit_p} 个项目 / projects"] if hit_p else []) + ([f"{hit_s} 个来源 / sources"] if hit_s else [])
            out.append(f"{p.relative_to(root)}: " + ", ".join(what))
    return out


def compacted_into(lake: str | os.PathLike, batch: str) -> list[pathlib.Path]:
    """The compacted files (perfeval.data.compact) that hold rows of the batch: each names, in its metadata,
    the files it replaced, whether or not they have been moved to the archive yet."""
    root = pathlib.Path(lake).resolve()
    prefix = pathlib.PurePath(IMPORTS_DIR, batch).as_posix() + "/"
    return [p for p in Lake(root).live_files()
            if p.suffix == ".parquet" and p.name.startswith(COMPACTED_PREFIX)
            and any(f.startswith(prefix) for f in supersedes(p))]


def withdraw(lake: str | os.PathLike, batch: str) -> pathlib.Path:
    """Move the batch ``imports/<batch>`` to ``_archive/imports/<batch>`` (see the module docstring);
    returns where it now is. Raises `WithdrawRefused` (nothing moved) or ValueError for a malformed id."""
    check_batch_id(batch)
    root = pathlib.Path(lake).resolve()
    imports = root / IMPORTS_DIR
    folder = imports / batch
    if not folder.is_dir():
        raise WithdrawRefused(f"没有批次 {batch}（{imports}）/ no batch {batch} under {imports}")
    with locked(imports):
        if compacted_into(root, batch):
            raise WithdrawRefused(f"批次 {batch} 的数据已被合并（compact）进其他文件，不能单独撤回 / the rows of batch "
                                  f"{batch} were merged into a compacted file: it cannot be withdrawn alone")
        deps = dependants(root, batch)
        if deps:
            raise WithdrawRefused(f"其他数据依赖批次 {batch}，请先撤回它们 / other rows depend on batch {batch}; "
                                  "withdraw them first:\n  " + "\n  ".join(deps))
        target = root / ARCHIVE / batch
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise WithdrawRefused(f"归档中已有 {target} / {target} already exists in the archive")
        os.rename(folder, target)
    return target
