"""Import a person's data — an Excel workbook, a CSV or a Parquet file — as a new batch of the lake.

District staff fill in the template (perfeval.data.imports.template, ``python -m perfeval template``) or bring
their own CSV / Parquet file. `stage` (perfeval.data.imports.staging) reads the upload (perfeval.data.imports.reading) and
checks it, over all of its tables together and against the lake the batch would join; `commit` (here)
writes an upload only when not a single problem was found:

    <lake>/imports/<id>/<table>.parquet   the typed rows of each table (schema columns and order, the
                                          DuckDB types of perfeval.data.schema)
    <lake>/imports/<id>/_upload/<file>    the upload, byte-identical (``_`` keeps it out of the data)

The batch is written into ``<lake>/imports/.<id>.tmp/`` and placed with one rename, so a reader of the
lake (which ignores names starting with ``.`` or ``_``) sees all of a batch or none of it. Nothing
outside ``<lake>/imports/`` is written and no existing file is changed; ``<id>`` is
``YYYYMMDD-HHMMSS-<6 hex>`` (local time, sortable), made by `stage` (perfeval.data.imports.folders).

Between `stage` and `commit` the lake may change (another batch lands). `commit` holds a lock
(``<lake>/imports/.lock``) while it re-checks and writes, and re-checks the upload against the lake
(the cross-file checks only; the cells do not change) when the lake's files changed since `stage`,
when committing into another lake, or under another batch id: what was checked is what is written.

Which module holds what:

- ``perfeval.data.imports.reading``        reading a workbook or a CSV / Parquet file, header names, `IMPORT_TABLES`;
- ``perfeval.data.imports.staging``       `stage`, `Staged`, the sources filled in, the checks against the lake
                                  (`ImportContext`);
- ``perfeval.data.imports.folders``  ``imports/<id>/``, batch ids, the lock;
- ``perfeval.data.imports.ingest``        `commit` (the typed Parquet files, fsync, the one rename), `ImportRefused`,
                                  `Batch`; the names callers use are re-exported here;
- ``perfeval.data.imports.template``      `template_workbook`;
- ``perfeval.data.imports.batches``       listing, withdrawing and restoring batches, the supersede journal.

**Manifest.** Every batch gets ``imports/<id>/batch.json`` (perfeval.data.imports.folders.write_manifest): who
imported it (``who``, a name the caller passes; ``本机/local`` by default), when, the file, the rows per table and
the batches it superseded.

**Scope.** `commit` takes the caller's `Scope` (perfeval.data.gate; everything by default) and refuses, writing
nothing, an upload with a project whose region code the scope does not cover (the upload's own projects rows,
or the lake's for a project it only adds rows to), naming the project, its region code, sheet and row.

**Superseding.** An upload whose rows repeat keys of the lake (a corrected workbook imported again) is refused
by `stage` with one problem per row. `supersede_offer` says whether it may replace the batches that hold those
rows instead: every repeated key must lie in an imported batch (never in a bundled report, the demonstration
data, another tool's files or a compacted file: each such row refuses the offer, in both languages), the
upload must have no other problem, it must pass every check against the lake without those batches, and no row
outside them may depend on a project or document of theirs that the upload does not bring again. The offer
names the batches, their files, who imported them and when, their documents and projects (and which projects
the upload does not hold: they are withdrawn too). `commit(..., supersede=offer)` checks the offer again under
the lock against the lake as it is, then, as one operation: writes the new batch into ``imports/.<id>.tmp/``,
writes the journal ``imports/.supersede-<id>.json`` (new id, old ids), moves each old batch to
``_archive/imports/`` (perfeval.data.imports.batches.archive_move, byte-identical, noted as superseded by the new
one), renames the new batch into place and deletes the journal. A failure at any step undoes what was done (the
old state); a crash leaves the journal, and the next import, withdrawal, restore or listing under the lock
finishes it (new batch placed: the new state) or undoes it (not placed: the old state)
(perfeval.data.imports.batches.recover).
"""
from __future__ import annotations

import datetime as dt
import os
import pathlib
import shutil
from dataclasses import dataclass, replace

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from perfeval.data import schema
from perfeval.data.gate import Scope
from perfeval.data.imports import batches
from perfeval.data.imports.folders import (
    IMPORTS_DIR,
    LOCAL_WHO,
    UPLOAD_DIR,
    check_batch_id,
    fsync,
    locked,
    new_batch_id,
    write_manifest,
)
from perfeval.data.imports.reading import IMPORT_TABLES
from perfeval.data.imports.staging import (
    ImportContext,
    Staged,
    against_lake,
    batch_document,
    lake_version,
    project_ids_of,
    sorted_problems,
    stage,
)
from perfeval.data.imports.template import template_workbook
from perfeval.data.validation.checks import Checked, key_strings
from perfeval.data.validation.cross import cross_check
from perfeval.data.validation.files import display_path
from perfeval.data.validation.problems import Problem, problem

__all__ = ["IMPORTS_DIR", "UPLOAD_DIR", "IMPORT_TABLES", "ARROW_TYPES", "LOCAL_WHO", "Batch", "ImportContext",
           "ImportRefused", "Staged", "SupersededBatch", "SupersededProject", "Superseding", "arrow_table",
           "check_batch_id", "commit", "locked", "new_batch_id", "stage", "supersede_offer", "template_workbook"]

ARROW_TYPES = {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "INTEGER": pa.int32(), "DATE": pa.date32(),
               "BOOLEAN": pa.bool_()}


class ImportRefused(ValueError):
    """An upload with problems: nothing was written. ``problems``: what is wrong."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(f"导入被拒绝：发现 {n} 个问题，未写入任何数据 / import refused: {n} problem"
                         f"{'' if n == 1 else 's'} found, nothing was written")


@dataclass(frozen=True)
class Batch:
    """A batch written into the lake."""

    id: str
    folder: pathlib.Path
    rows: dict[str, int]


def _restamp(staged: Staged, batch: str) -> Staged:
    """The staged upload with its filled sources ``import:<old>`` renamed ``import:<batch>``."""
    old, new = f"import:{staged.batch}", f"import:{batch}"

    def frame(df: pd.DataFrame) -> pd.DataFrame:
        if "source" not in df.columns:
            return df
        df = df.copy()
        df["source"] = df["source"].where(df["source"] != old, new)
        return df

    targets = tuple(Checked(c.table, c.file, frame(c.frame)) for c in staged.targets)
    document = None if staged.document is None else batch_document(staged.filename, batch)
    frames = {name: frame(df) for name, df in staged.frames.items()}
    return replace(staged, frames=frames, batch=batch, targets=targets, document=document)


def arrow_table(frame: pd.DataFrame, table: str) -> pa.Table:
    """A typed frame (check_frame's, without ``row_``) as Arrow with the schema's DuckDB types."""
    t = schema.table(table)
    arrays = []
    for c in t.columns:
        s = frame[c.name]
        typ = ARROW_TYPES[c.type]
        if c.type == "VARCHAR":
            arr = pa.array(s.astype(object).where(s.notna(), None).tolist(), pa.string())
        elif c.type == "DATE":
            arr = pa.array(pd.to_datetime(s).dt.date.astype(object).where(s.notna(), None).tolist(), typ)
        elif c.type == "INTEGER":
            arr = pa.array([None if v is pd.NA else int(v) for v in s.astype("Int64").tolist()], typ)
        elif c.type == "BOOLEAN":
            arr = pa.array([None if v is pd.NA else bool(v) for v in s.astype("boolean").tolist()], typ)
        else:
            arr = pa.array(s.astype("float64").to_numpy(), typ, from_pandas=True)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, names=t.column_names)


# ------------------------------------------------------------------------------------------ superseding
@dataclass(frozen=True)
class SupersededProject:
    project_id: str
    name: str
    in_upload: bool     # False: the upload does not hold it, it is withdrawn with its batch


@dataclass(frozen=True)
class SupersededBatch:
    """A batch a superseding import would withdraw: its id, file, who imported it and when (its manifest;
    empty without one), its documents (source, title) and its projects."""

    id: str
    file: str
    who: str
    when: str
    documents: tuple[tuple[str, str], ...]
    projects: tuple[SupersededProject, ...]


@dataclass(frozen=True)
class Superseding:
    """`supersede_offer`'s answer: the batches the upload would replace, or why it cannot (``refusals``,
    (Chinese, English) pairs)."""

    batches: tuple[SupersededBatch, ...] = ()
    refusals: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return bool(self.batches) and not self.refusals

    @property
    def batch_ids(self) -> tuple[str, ...]:
        return tuple(b.id for b in self.batches)

    def problems(self, filename: str) -> list[Problem]:
        """The refusals as problems of the whole upload."""
        return [Problem(filename, None, None, None, "supersede_refused", zh, en) for zh, en in self.refusals]


class _LakeWithout(ImportContext):
    """An upload's context (``base``, whose rows are read once) without the files of some batch folders (those
    the upload would replace)."""

    def __init__(self, base: ImportContext, without: list[pathlib.Path]):
        super().__init__(base.root, base.project_ids, base.extra)
        self.base = base
        self._files = [p for p in base.files() if not any(p.is_relative_to(f) for f in without)]
        self.kept = {display_path(p) for p in self._files}

    def lake_rows(self, table: str) -> list[Checked]:
        return [c for c in self.base.lake_rows(table) if c.file in self.kept]


def _refusal(root: pathlib.Path, path: pathlib.Path | None, shown: str, t: schema.Table, row: dict) -> tuple[str, str]:
    """Why a lake row the upload repeats cannot be superseded: it is not in an imported batch."""
    rel = str(path.relative_to(root)) if path is not None else shown
    source = str(row.get("source") or "")
    kind = schema.data_kind(source) if source else ""
    pid = row.get("project_id")
    if t.name == "projects":
        what_zh, what_en = f"项目 {pid}", f"project {pid}"
    elif pid:
        what_zh, what_en = f"项目 {pid} 的{t.zh}（{t.name}）", f"the {t.name} rows of project {pid}"
    else:
        what_zh, what_en = f"{t.zh}（{t.name}）{source}", f"{t.name} {source}"
    if kind == "report":
        return (f"{what_zh}属于随附的评价报告 {source}（{rel}），导入的数据不能替代它；新项目请使用新的项目编号",
                f"{what_en} belongs to the bundled report {source} ({rel}): an import never supersedes it; give a "
                "new project its own project_id")
    if pathlib.PurePath(rel).name.startswith("compacted-"):
        return (f"{what_zh}已被合并（compact）进 {rel}，不能被替代", f"{what_en} was merged into {rel} (compact): it "
                "cannot be superseded")
    return (f"{what_zh}（{rel}，来源 {source or '—'}）不属于任何导入批次，不能被替代",
            f"{what_en} ({rel}, source {source or '—'}) is not in an imported batch: it cannot be superseded")


def _described(root: pathlib.Path, batch: str, upload_projects: set[str]) -> SupersededBatch:
    folder = root / IMPORTS_DIR / batch
    info = next((b for b in batches.list_batches(root) if b.id == batch), None)
    docs: tuple[tuple[str, str], ...] = ()
    if (folder / "documents.parquet").exists():
        d = pq.read_table(folder / "documents.parquet", columns=["source", "title"]).to_pylist()
        docs = tuple((r["source"] or "", r["title"] or "") for r in d)
    names: dict[str, str] = {}
    if (folder / "projects.parquet").exists():
        names = {r["project_id"]: r["name"] or "" for r in
                 pq.read_table(folder / "projects.parquet", columns=["project_id", "name"]).to_pylist()}
    ids = set(names) or set(batches.project_regions(root, folder))
    projects = tuple(SupersededProject(pid, names.get(pid, ""), pid in upload_projects) for pid in sorted(ids))
    return SupersededBatch(batch, info.file if info else "", info.who if info else "", info.when if info else "",
                           docs, projects)


def supersede_offer(staged: Staged, lake: str | os.PathLike) -> Superseding | None:
    """Whether the upload may replace the batches holding the rows whose keys it repeats (see the module
    docstring); None when it repeats no key of the lake. Reads the lake, writes nothing."""
    if not any(p.code == "duplicate_key_lake" for p in staged.problems):
        return None
    root = pathlib.Path(lake).resolve()
    targets = list(staged.targets)
    extra = {"documents": [staged.document]} if staged.document is not None else {}
    context = ImportContext(root, project_ids_of(targets), extra)
    shown = {display_path(p): p for p in context.files()}
    old: list[str] = []
    refusals: list[tuple[str, str]] = []
    for c in targets:
        if not len(c.frame):
            continue
        mine = set(key_strings(c.frame, c.table))
        for lc in context.lake_rows(c.table.name):
            if not len(lc.frame):
                continue
            hit = lc.frame[key_strings(lc.frame, c.table).isin(mine).to_numpy()]
            if not len(hit):
                continue
            path = shown.get(lc.file)
            batch = batches.batch_of(root, path) if path is not None else None
            if batch is not None:
                old += [batch] if batch not in old else []
                continue
            for row in hit.drop_duplicates([k for k in ("project_id", "source") if k in hit.columns]
                                           ).to_dict("records"):
                r = _refusal(root, path, lc.file, c.table, row)
                refusals += [r] if r not in refusals else []
    others = [p for p in staged.problems if p.code != "duplicate_key_lake"]
    if others:
        refusals.append((f"文件还有 {len(others)} 处其他问题，请先改正", f"the file has {len(others)} other "
                         f"problem{'' if len(others) == 1 else 's'}: fix {'it' if len(others) == 1 else 'them'} first"))
    upload_projects = set()
    for c in targets:
        if c.table.name == "projects":
            upload_projects |= {v for v in c.frame["project_id"].tolist() if isinstance(v, str)}
    described = tuple(_described(root, b, upload_projects) for b in sorted(old))
    if refusals or not old:
        return Superseding(described, tuple(refusals))
    without = [root / IMPORTS_DIR / b for b in old]
    left = cross_check(targets, _LakeWithout(context, without))
    for p in left[:10]:
        refusals.append((f"替代批次 {'、'.join(sorted(old))} 后仍有问题：{p.location()} {p.message_zh}",
                         f"with batch{'es' if len(old) > 1 else ''} {', '.join(sorted(old))} superseded, still: "
                         f"{p.location()} {p.message_en}"))
    sources = set()
    for c in targets + ([staged.document] if staged.document is not None else []):
        if c.table.name == "documents":
            sources |= {v for v in c.frame["source"].tolist() if isinstance(v, str)}
    for b in sorted(old):
        deps = batches.dependants(root, b, also=tuple(x for x in old if x != b),
                                  provided_projects=frozenset(upload_projects), provided_sources=frozenset(sources))
        if deps:
            refusals.append((f"其他数据依赖批次 {b} 中而新文件没有的项目或来源，请先撤回它们：" + "；".join(deps),
                             f"other rows depend on projects or sources of batch {b} that the new file does not "
                             "hold; withdraw them first: " + "; ".join(deps)))
    return Superseding(described, tuple(refusals))


def _scope_problems(staged: Staged, root: pathlib.Path, scope: Scope, old: list[str]) -> list[Problem]:
    """The upload's projects (and those of the batches it supersedes) whose region code ``scope`` does not
    cover, each named with its sheet and row where the upload holds it."""
    if scope.unrestricted:
        return []
    where: dict[str, tuple[str, int | None, str | None]] = {}
    for c in staged.targets:
        if c.table.name == "projects":
            for pid, code, row in zip(c.frame["project_id"], c.frame["region_code"], c.frame["row_"]):
                if isinstance(pid, str):
                    where[pid] = (c.file, int(row), code if isinstance(code, str) else None)
    others = project_ids_of(staged.targets) - set(where)
    regions = {pid: code for pid, (_, _, code) in where.items()}
    regions.update(batches.project_regions(root, None, others) if others else {})
    for b in old:
        regions.update({k: v for k, v in batches.project_regions(root, root / IMPORTS_DIR / b).items()
                        if k not in regions})
    out = []
    for pid, code in batches.outside_scope(scope, regions):
        file, row, _ = where.get(pid, (staged.filename, None, None))
        zh, en = batches.outside_reason(scope, pid, code)
        out.append(Problem(file, row, "region_code", code, "out_of_scope", f"{zh}，不能导入",
                           f"{en}: it cannot be imported", "projects"))
    return out


def restricted_to(staged: Staged, lake: str | os.PathLike, scope: Scope) -> Staged:
    """``staged`` as a user of ``scope`` may see it: when the upload names a project outside the scope, its only
    problems are those projects (it cannot be imported anyway), so that the checks against the lake (keys
    already present, the files that hold them) name nothing of another region's data. Unchanged otherwise."""
    root = pathlib.Path(lake).resolve()
    outside = _scope_problems(staged, root, scope, [])
    if not scope.unrestricted:
        # a project id the lake already holds in another region: the upload's own region code does not make it
        # the user's (else a district could learn, from the key checks, which ids other regions hold)
        held = {pid: code for pid, code in batches.project_regions(root, None, project_ids_of(staged.targets)).items()
                if code is not None}
        for pid, _ in batches.outside_scope(scope, held):
            if not any(f"project {pid}'" in p.message_en for p in outside):
                outside.append(Problem(staged.filename, None, "project_id", pid, "out_of_scope",
                                       f"项目 {pid} 已属于您权限范围以外的地区，不能导入",
                                       f"project {pid} already belongs to a region outside your scope: it cannot "
                                       "be imported", "projects"))
    return staged if not outside else replace(staged, problems=outside, warnings=[])


def commit(staged: Staged, lake: str | os.PathLike, *, batch: str | None = None,
           supersede: Superseding | None = None, scope: Scope = Scope.everything(), who: str = LOCAL_WHO) -> Batch:
    """Write a staged upload as the batch ``<lake>/imports/<id>`` (see the module docstring).

    ``batch``: another id than the one `stage` made (its filled sources follow). ``supersede``: the offer
    (`supersede_offer`) the person confirmed: the batches it names are withdrawn in the same operation; it is
    made again against the lake as it is and must name the same batches. ``scope``: the caller's (a project
    outside it refuses the upload). ``who``: the name the manifest records. Raises `ImportRefused` if the
    upload has problems, or has them now against the lake as it is (re-checked if the lake's files changed
    since `stage`, if ``lake`` is another lake, or under another id), or lies outside ``scope``; ValueError
    for a malformed id; FileNotFoundError if ``lake`` is not a folder.
    """
    if supersede is None and not staged.ok:
        raise ImportRefused(staged.problems)
    if supersede is not None and not supersede.ok:
        raise ImportRefused(staged.problems + supersede.problems(staged.filename))
    root = pathlib.Path(lake).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"没有数据湖目录 / no lake folder: {root}")
    batch = batch or staged.batch
    check_batch_id(batch)
    outside = _scope_problems(staged, root, scope, list(supersede.batch_ids) if supersede is not None else [])
    if outside:  # before anything is created (the lock's file); checked again under the lock
        raise ImportRefused(outside)
    imports = root / IMPORTS_DIR
    imports.mkdir(exist_ok=True)
    with locked(imports):
        batches.recover(root)
        changed = batch != staged.batch or str(root) != staged.lake or lake_version(root) != staged.lake_version
        if batch != staged.batch:
            staged = _restamp(staged, batch)
        old: list[str] = []
        if supersede is not None:
            now = supersede_offer(staged, root)
            if now is None or not now.ok or now.batch_ids != supersede.batch_ids:
                raise ImportRefused((now.problems(staged.filename) if now is not None and now.refusals else []) + [
                    Problem(staged.filename, None, None, None, "supersede_changed",
                            "数据湖在检查后已变化，要替代的批次不同了：请重新检查后再确认",
                            "the lake changed since the check and the batches to supersede are not the same: "
                            "check the file again, then confirm")])
            old = list(now.batch_ids)
        elif changed:
            problems = against_lake(staged.targets, staged.document, root, batch, staged.filename)
            if problems:
                raise ImportRefused(sorted_problems(problems, [c.file for c in staged.targets]))
        outside = _scope_problems(staged, root, scope, old)
        if outside:
            raise ImportRefused(outside)
        final = imports / batch
        if final.exists():
            raise ImportRefused([problem(staged.filename, None, None, batch, "batch_exists")])
        tmp = imports / f".{batch}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)  # left by a commit of this id that crashed (we hold the lock)
        journal = None
        try:
            (tmp / UPLOAD_DIR).mkdir(parents=True)
            for name, frame in staged.frames.items():
                table = arrow_table(frame, name)
                path = tmp / f"{name}.parquet"
                pq.write_table(table, path, compression="zstd")
                if not pq.read_table(path).equals(table):
                    raise OSError(f"{path}: the rows read back differ from those written")
                fsync(path)
            upload = tmp / UPLOAD_DIR / staged.filename
            upload.write_bytes(staged.data)
            fsync(upload)
            fsync(tmp / UPLOAD_DIR)
            write_manifest(tmp, batch=batch, who=who, when=dt.datetime.now(), file=staged.filename,
                           rows=staged.rows, supersedes=old)
            fsync(tmp)
            if old:
                journal = batches.write_journal(root, batch, old)
                for b in old:
                    batches.archive_move(root, b, who=who, superseded_by=batch)
            os.rename(tmp, final)  # the one step readers can see (with the moves just before it)
            if journal is not None:
                journal.unlink()
        except BaseException:
            if journal is not None and journal.exists():
                batches.recover(root)  # undo the moves (or finish, if the new batch was placed)
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        fsync(imports)
    return Batch(batch, final, dict(staged.rows))
