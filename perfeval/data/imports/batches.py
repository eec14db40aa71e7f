"""The imported batches of a lake: list them (active and withdrawn), withdraw one, restore one.

A batch (perfeval.data.imports.ingest) is the folder ``<lake>/imports/<id>/``, with its manifest ``batch.json``
(who imported it, when, the file, the rows per table; a batch written before manifests lists without one).
Withdrawing it is a move, not a delete (docs/data-model.md): the folder is renamed, in one step, to
``<lake>/_archive/imports/<id>/``, byte-identical, so every page stops showing its rows on its next query; a
note beside it (``_archive/imports/<id>.withdrawn.json``: who, when, and the batch that superseded it, if one
did) says why. Restoring moves the folder back. Withdrawing is refused, and nothing moves, when

- rows outside the batch depend on it: they belong to one of its projects, or cite one of its
  documents as their ``source`` (a later batch with the indicators of a project this batch brought);
  withdrawing it would leave them pointing at nothing, so those are withdrawn first;
- the batch's files were merged into a compacted file (``python -m perfeval compact``): its rows are no
  longer its own to move;
- one of its projects lies outside the caller's `Scope` (its ``region_code`` is not under one of the
  scope's region prefixes, or the scope lists projects and not this one).

Restoring is refused, and nothing moves, when its projects were imported again meanwhile (or any of its
rows would now repeat a key of the lake or cite something the lake no longer holds), or outside the scope.

Withdrawing and restoring hold the imports' lock (``imports/.lock``), as an import's commit does, and first
finish or undo a superseding import a crash interrupted (`recover`, the journal ``imports/.supersede-<id>.json``
that perfeval.data.imports.ingest writes).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import shutil
from dataclasses import dataclass, field, replace

import pandas as pd
import pyarrow.parquet as pq

from perfeval.data import schema
from perfeval.data.gate import Scope
from perfeval.data.imports.folders import (
    ARCHIVE,
    IMPORTS_DIR,
    LOCAL_WHO,
    UPLOAD_DIR,
    check_batch_id,
    fsync,
    locked,
    read_manifest,
)
from perfeval.data.imports.staging import ImportContext, project_ids_of
from perfeval.data.lake import COMPACTED_PREFIX, Lake, supersedes
from perfeval.data.validation.checks import check_file
from perfeval.data.validation.cross import cross_check
from perfeval.data.validation.files import table_of

__all__ = ["ARCHIVE", "BatchInfo", "RestoreRefused", "WithdrawRefused", "all_batches", "batch_of",
           "compacted_into", "dependants", "list_batches", "outside_reason", "outside_scope", "project_regions", "recover",
           "restore", "withdraw"]

JOURNAL_PREFIX = ".supersede-"   # imports/.supersede-<new id>.json: a superseding import under way
WITHDRAWN_NOTE = ".withdrawn.json"  # _archive/imports/<id>.withdrawn.json: who withdrew it, when, why


class WithdrawRefused(ValueError):
    """A batch that cannot be withdrawn; the message says why, in Chinese and English."""


class RestoreRefused(ValueError):
    """A withdrawn batch that cannot be restored; the message says why, in Chinese and English."""


@dataclass(frozen=True)
class BatchInfo:
    id: str
    folder: pathlib.Path
    rows: dict[str, int]                      # table → rows, from the Parquet footers
    uploads: list[str] = field(default_factory=list)   # the uploaded file(s) kept under _upload/
    status: str = "active"                    # "active" (under imports/) or "withdrawn" (under _archive/imports/)
    who: str = ""                             # who imported it (its manifest; "" without one)
    when: str = ""                            # when (ISO 8601, its manifest; else from its id; "" if neither)
    file: str = ""                            # the uploaded file's name (manifest, else the upload kept)
    supersedes: tuple[str, ...] = ()          # the batches this one superseded when it was imported
    withdrawn_by: str = ""                    # who withdrew it, and when (the note beside it in the archive)
    withdrawn_at: str = ""
    superseded_by: str = ""                   # the batch whose import withdrew it

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _when_from_id(batch: str) -> str:
    """``20261122-235322-…`` → ``2026-11-22T23:53:22``; "" for an id named otherwise."""
    try:
        return dt.datetime.strptime(batch[:15], "%Y%m%d-%H%M%S").isoformat()
    except ValueError:
        return ""


def _note_path(root: pathlib.Path, batch: str) -> pathlib.Path:
    return root / ARCHIVE / f"{batch}{WITHDRAWN_NOTE}"


def _read_note(root: pathlib.Path, batch: str) -> dict:
    try:
        note = json.loads(_note_path(root, batch).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return note if isinstance(note, dict) else {}


def _info(folder: pathlib.Path, status: str = "active", note: dict | None = None) -> BatchInfo:
    rows = {p.stem: pq.ParquetFile(p).metadata.num_rows for p in sorted(folder.glob("*.parquet"))
            if p.stem in schema.TABLE_BY_NAME}
    uploads = sorted(p.name for p in (folder / UPLOAD_DIR).glob("*")) if (folder / UPLOAD_DIR).is_dir() else []
    m = read_manifest(folder)
    note = note or {}
    return BatchInfo(folder.name, folder, rows, uploads, status=status, who=str(m.get("who") or ""),
                     when=str(m.get("when") or _when_from_id(folder.name)),
                     file=str(m.get("file") or "、".join(uploads)),
                     supersedes=tuple(str(s) for s in m.get("supersedes") or ()),
                     withdrawn_by=str(note.get("who") or ""), withdrawn_at=str(note.get("when") or ""),
                     superseded_by=str(note.get("superseded_by") or ""))


def _folders(base: pathlib.Path) -> list[pathlib.Path]:
    if not base.is_dir():
        return []
    return sorted((p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))),
                  key=lambda p: p.name, reverse=True)


def _recover_if_needed(root: pathlib.Path) -> None:
    """Finish or undo an interrupted superseding import before listing (when the lake may be written)."""
    imports = root / IMPORTS_DIR
    if imports.is_dir() and any(imports.glob(JOURNAL_PREFIX + "*.json")):
        try:
            with locked(imports):
                recover(root)
        except OSError:  # a read-only lake: list it as it is
            pass


def list_batches(lake: str | os.PathLike, withdrawn: bool = False) -> list[BatchInfo]:
    """The lake's imported batches, newest first (their ids begin with the time of the import); with
    ``withdrawn``, those under ``_archive/imports/`` instead."""
    root = pathlib.Path(lake).resolve()
    _recover_if_needed(root)
    if withdrawn:
        return [_info(p, "withdrawn", _read_note(root, p.name)) for p in _folders(root / ARCHIVE)]
    return [_info(p) for p in _folders(root / IMPORTS_DIR)]


def all_batches(lake: str | os.PathLike) -> list[BatchInfo]:
    """Every batch the lake has had, active and withdrawn, newest first. A withdrawn batch that an active
    batch's manifest says it superseded is ``superseded_by`` that batch, even without a note."""
    active = list_batches(lake)
    gone = list_batches(lake, withdrawn=True)
    by = {old: b.id for b in active for old in b.supersedes}
    gone = [g if g.superseded_by or g.id not in by else replace(g, superseded_by=by[g.id]) for g in gone]
    return sorted(active + gone, key=lambda b: (b.when or "", b.id), reverse=True)


# ------------------------------------------------------------------------------------------ reading rows
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


def _pairs(path: pathlib.Path, columns: list[str]) -> pd.DataFrame:
    """The given columns of a data file as text (missing columns empty)."""
    if path.suffix == ".parquet":
        have = [c for c in columns if c in pq.read_schema(path).names]
        df = pq.read_table(path, columns=have).to_pandas() if have else pd.DataFrame()
    else:
        head = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
        have = [c for c in columns if c in head]
        df = pd.read_csv(path, usecols=have, dtype=str, encoding="utf-8-sig") if have else pd.DataFrame()
    for c in columns:
        if c not in df.columns:
            df[c] = None
    return df[columns].astype(object).where(df[columns].notna(), None)


def _table_files(root: pathlib.Path, files: list[pathlib.Path], table: str) -> list[pathlib.Path]:
    out = []
    for p in files:
        t = table_of(p.relative_to(root))
        if t is not None and t.name == table:
            out.append(p)
    return out


def batch_of(root: pathlib.Path, path: pathlib.Path) -> str | None:
    """The imported batch a lake file belongs to (``imports/<id>/…``), or None (a bundled report, the demo
    data, another tool's files, a compacted file)."""
    rel = path.relative_to(root).parts
    if len(rel) > 2 and rel[0] == IMPORTS_DIR and rel[1] not in schema.TABLE_BY_NAME \
            and not rel[1].startswith((".", "_")):
        return rel[1]
    return None


def project_regions(root: pathlib.Path, folder: pathlib.Path | None = None,
                    project_ids: set[str] | None = None) -> dict[str, str | None]:
    """project_id → region_code of the projects of a batch folder (``folder``: every project any of its rows
    names) or of ``project_ids``; a project the batch does not hold is looked up in the lake's live files."""
    ids: set[str] = set(project_ids or ())
    regions: dict[str, str | None] = {}
    if folder is not None:
        for p in sorted(folder.glob("*.parquet")):
            if p.stem not in schema.TABLE_BY_NAME:
                continue
            if p.stem == "projects":
                for pid, code in _pairs(p, ["project_id", "region_code"]).itertuples(index=False):
                    if pid:
                        regions[pid] = code
            ids |= _values(p, "project_id")
    missing = ids - set(regions)
    if missing:
        live = Lake(root).live_files()
        for p in _table_files(root, live, "projects"):
            if folder is not None and p.is_relative_to(folder):
                continue
            for pid, code in _pairs(p, ["project_id", "region_code"]).itertuples(index=False):
                if pid in missing and pid not in regions:
                    regions[pid] = code
    return {pid: regions.get(pid) for pid in sorted(ids | set(regions))}


def _covers(scope: Scope, pid: str, code: str | None) -> bool:
    return scope.covers_region(code) and (scope.projects is None or pid in scope.projects)


def outside_scope(scope: Scope, regions: dict[str, str | None]) -> list[tuple[str, str | None]]:
    """The (project, region code) pairs of ``regions`` that ``scope`` does not cover: a region code outside its
    region prefixes (a project with no region code is outside every scope that is not every region), or a project
    not in its list of projects, where it has one."""
    if scope.unrestricted:
        return []
    return [(pid, code) for pid, code in regions.items() if not _covers(scope, pid, code)]


def outside_reason(scope: Scope, pid: str, code: str | None) -> tuple[str, str]:
    """Why a project is outside ``scope``, in Chinese and English."""
    if not scope.covers_region(code):
        allowed = "、".join(scope.prefixes) or "—"
        return (f"项目 {pid} 的地区代码 {code or '（空）'} 不在您的权限范围（{allowed}）内",
                f"project {pid}'s region code {code or '(empty)'} is outside your scope "
                f"({', '.join(scope.prefixes) or '—'})")
    return (f"项目 {pid} 不在您可访问的项目之中", f"project {pid} is not among the projects you may access")


def scope_message(scope: Scope, outside: list[tuple[str, str | None]], what_zh: str, what_en: str) -> str:
    """``不能撤回批次 …：超出权限范围 / …: outside your scope`` and a line per project outside the scope."""
    lines = [" / ".join(outside_reason(scope, pid, code)) for pid, code in outside]
    return f"{what_zh}：超出权限范围 / {what_en}: outside your scope\n  " + "\n  ".join(lines)


def dependants(lake: str | os.PathLike, batch: str, *, also: tuple[str, ...] = (),
               provided_projects: frozenset[str] = frozenset(), provided_sources: frozenset[str] = frozenset()
               ) -> list[str]:
    """The lake files outside the batch (and outside the batches ``also``) whose rows belong to the batch's
    projects or cite its documents, each with how many of those projects or sources it touches
    (``imports/…/indicators.parquet: 3 项目 / projects``). ``provided_projects`` / ``provided_sources``: those a
    batch taking its place brings, which the rows may go on pointing at."""
    root = pathlib.Path(lake).resolve()
    folders = [root / IMPORTS_DIR / b for b in (batch, *also)]
    live = Lake(root).live_files()
    mine = [p for p in live if any(p.is_relative_to(f) for f in folders)]
    projects = set().union(*(_values(p, "project_id") for p in mine if p.stem == "projects")) - provided_projects
    sources = set().union(*(_values(p, "source") for p in mine if p.stem == "documents")) - provided_sources
    out = []
    for p in live:
        if any(p.is_relative_to(f) for f in folders):
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


# ------------------------------------------------------------------------------------------ moving
def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def archive_move(root: pathlib.Path, batch: str, *, who: str = LOCAL_WHO, superseded_by: str = "") -> pathlib.Path:
    """Move ``imports/<batch>`` to ``_archive/imports/<batch>`` (one rename, byte-identical), with the note
    beside it; the caller holds the lock and has made every check."""
    folder = root / IMPORTS_DIR / batch
    target = root / ARCHIVE / batch
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise WithdrawRefused(f"归档中已有 {target} / {target} already exists in the archive")
    note = _note_path(root, batch)
    note.write_text(json.dumps({"id": batch, "who": who or LOCAL_WHO, "when": _now(),
                                "superseded_by": superseded_by}, ensure_ascii=False) + "\n", encoding="utf-8")
    fsync(note)
    os.rename(folder, target)
    fsync(target.parent)
    return target


def _unarchive_move(root: pathlib.Path, batch: str) -> pathlib.Path:
    """Move ``_archive/imports/<batch>`` back to ``imports/<batch>`` and drop its note."""
    target = root / IMPORTS_DIR / batch
    os.rename(root / ARCHIVE / batch, target)
    fsync(target.parent)
    _note_path(root, batch).unlink(missing_ok=True)
    return target


def _check_scope(root: pathlib.Path, folder: pathlib.Path, scope: Scope, refused, zh: str, en: str) -> None:
    if scope.unrestricted:
        return
    outside = outside_scope(scope, project_regions(root, folder))
    if outside:
        raise refused(scope_message(scope, outside, zh, en))


def withdraw(lake: str | os.PathLike, batch: str, *, scope: Scope = Scope.everything(),
             who: str = LOCAL_WHO) -> pathlib.Path:
    """Move the batch ``imports/<batch>`` to ``_archive/imports/<batch>`` (see the module docstring);
    returns where it now is. Raises `WithdrawRefused` (nothing moved) or ValueError for a malformed id.
    ``scope``: the caller's; a batch with a project outside it is refused. ``who``: noted beside it."""
    check_batch_id(batch)
    root = pathlib.Path(lake).resolve()
    imports = root / IMPORTS_DIR
    folder = imports / batch
    if not folder.is_dir():
        raise WithdrawRefused(f"没有批次 {batch}（{imports}）/ no batch {batch} under {imports}")
    with locked(imports):
        recover(root)
        if not folder.is_dir():
            raise WithdrawRefused(f"没有批次 {batch}（{imports}）/ no batch {batch} under {imports}")
        _check_scope(root, folder, scope, WithdrawRefused, f"不能撤回批次 {batch}", f"batch {batch} cannot be withdrawn")
        if compacted_into(root, batch):
            raise WithdrawRefused(f"批次 {batch} 的数据已被合并（compact）进其他文件，不能单独撤回 / the rows of batch "
                                  f"{batch} were merged into a compacted file: it cannot be withdrawn alone")
        deps = dependants(root, batch)
        if deps:
            raise WithdrawRefused(f"其他数据依赖批次 {batch}，请先撤回它们 / other rows depend on batch {batch}; "
                                  "withdraw them first:\n  " + "\n  ".join(deps))
        return archive_move(root, batch, who=who)


def restore_problems(root: pathlib.Path, batch: str) -> list[str]:
    """Why the withdrawn batch cannot be put back, as lines in both languages (empty: it can): a project of it
    that the lake holds again (imported again meanwhile, naming the file that holds it now), or any other
    key its rows would repeat, or a project, document or metric its rows cite that the lake no longer has."""
    folder = root / ARCHIVE / batch
    lines = []
    mine = _values(folder / "projects.parquet", "project_id") if (folder / "projects.parquet").exists() else set()
    live = Lake(root).live_files()
    for p in _table_files(root, live, "projects"):
        again = sorted(_values(p, "project_id") & mine)
        holder = batch_of(root, p)
        where = f"批次 {holder}" if holder else str(p.relative_to(root))
        where_en = f"batch {holder}" if holder else str(p.relative_to(root))
        lines += [f"项目 {pid} 已由{where}重新导入 / project {pid} was imported again by {where_en}" for pid in again]
    if lines:
        return lines
    targets = []
    for p in sorted(folder.glob("*.parquet")):
        t = schema.TABLE_BY_NAME.get(p.stem)
        if t is None:
            continue
        c, found = check_file(p, str(p.relative_to(root)), utf8_only=False, table=t)
        if c is not None:
            targets.append(c)
        lines += [f"{q.location()}: {q.message_zh} / {q.message_en}" for q in found]
    problems = cross_check(targets, ImportContext(root, project_ids_of(targets)))
    return lines + [f"{q.location()}: {q.message_zh} / {q.message_en}" for q in problems]


def restore(lake: str | os.PathLike, batch: str, *, scope: Scope = Scope.everything(),
            who: str = LOCAL_WHO) -> pathlib.Path:
    """Move the withdrawn batch ``_archive/imports/<batch>`` back to ``imports/<batch>``, byte-identical;
    returns where it now is. Raises `RestoreRefused` (nothing moved) when its projects were imported again
    meanwhile (or its rows no longer fit the lake: `restore_problems`) or lie outside ``scope``; ValueError
    for a malformed id. ``who``: accepted for the caller's audit (the manifest is not changed)."""
    check_batch_id(batch)
    root = pathlib.Path(lake).resolve()
    imports = root / IMPORTS_DIR
    imports.mkdir(exist_ok=True)
    with locked(imports):
        recover(root)
        folder = root / ARCHIVE / batch
        if not folder.is_dir():
            raise RestoreRefused(f"归档中没有批次 {batch} / no withdrawn batch {batch} under {root / ARCHIVE}")
        if (imports / batch).exists():
            raise RestoreRefused(f"批次 {batch} 已在 {imports} 中 / batch {batch} is already in {imports}")
        _check_scope(root, folder, scope, RestoreRefused, f"不能恢复批次 {batch}", f"batch {batch} cannot be restored")
        why = restore_problems(root, batch)
        if why:
            raise RestoreRefused(f"不能恢复批次 {batch} / batch {batch} cannot be restored:\n  "
                                 + "\n  ".join(why[:20]) + (f"\n  …（共 {len(why)} 条 / {len(why)} in all）"
                                                            if len(why) > 20 else ""))
        return _unarchive_move(root, batch)


# ------------------------------------------------------------------------------------------ the journal
def journal_path(root: pathlib.Path, new: str) -> pathlib.Path:
    return root / IMPORTS_DIR / f"{JOURNAL_PREFIX}{new}.json"


def write_journal(root: pathlib.Path, new: str, old: list[str]) -> pathlib.Path:
    """Record, before anything visible changes, that batch ``new`` (written as ``imports/.<new>.tmp``) is to
    replace the batches ``old``; flushed with its folder."""
    path = journal_path(root, new)
    path.write_text(json.dumps({"new": new, "old": list(old)}, ensure_ascii=False) + "\n", encoding="utf-8")
    fsync(path)
    fsync(path.parent)
    return path


def recover(root: str | os.PathLike) -> list[str]:
    """Finish or undo every superseding import a crash interrupted (the caller holds the lock): where the new
    batch was placed, the old batches still in ``imports/`` move to the archive (the new state); where it
    was not, the old batches come back from the archive and the half-written new one is removed (the old
    state). Returns the ids of the new batches concerned."""
    root = pathlib.Path(root).resolve()
    imports = root / IMPORTS_DIR
    done = []
    for path in sorted(imports.glob(JOURNAL_PREFIX + "*.json")) if imports.is_dir() else []:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            new, old = str(record["new"]), [str(b) for b in record["old"]]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not ours to judge: left for a person
        if (imports / new).is_dir():
            for b in old:
                if (imports / b).is_dir() and not (root / ARCHIVE / b).exists():
                    archive_move(root, b, superseded_by=new)
        else:
            for b in old:
                if not (imports / b).exists() and (root / ARCHIVE / b).is_dir():
                    _unarchive_move(root, b)
            shutil.rmtree(imports / f".{new}.tmp", ignore_errors=True)
        path.unlink()
        fsync(imports)
        done.append(new)
    return done
