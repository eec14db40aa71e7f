"""The checks across rows and files: duplicate keys across the lake, references, units, and the rules of
single tables (`RULES`: budget per sub-project *or* whole project, indicator parents, figure scopes,
document kinds).

`cross_check` reports problems on the rows of the files being checked only; a `LakeIndex` (the rest
of the lake, read and checked lazily table by table) gives the rows they are checked against.
"""
from __future__ import annotations

import math
import os
import pathlib
import re
from dataclasses import dataclass
from typing import Callable, Iterable

import pandas as pd

from perfeval.data import schema
from perfeval.data.validation.checks import Checked, check_file, key_strings
from perfeval.data.validation.files import display_path, lake_files, table_of
from perfeval.data.validation.problems import Problem, column_details, problem


@dataclass(frozen=True)
class Reference:
    """Values of ``column`` must exist in ``target.target_column`` (within the same project if
    ``same_project``). ``table`` None: every table that has ``column`` (except the target itself)."""

    column: str
    target: str
    target_column: str
    same_project: bool
    table: str | None = None


REFERENCES: tuple[Reference, ...] = (
    Reference("project_id", "projects", "project_id", False),
    Reference("subproject_id", "subprojects", "subproject_id", True),
    Reference("indicator_code", "indicators", "code", True),
    Reference("metric_key", "metrics", "metric_key", False),
    Reference("source", "documents", "source", False),
    Reference("code", "indicators", "code", True, table="indicator_rules"),
)

# Parts a figures.scope may have ("total" alone, or "dim:value;dim:value") and where a value must exist.
SCOPE_DIMENSIONS: dict[str, tuple[str, str] | None] = {
    "year": None, "level": None,
    "subproject": ("subprojects", "subproject_id"),
    "indicator": ("indicators", "code"),
    "metric": ("metrics", "metric_key"),
    "survey": ("surveys", "survey_id"),
    "output_group": ("outputs", "group_name"),
    "target": ("targets", "target_id"),
}


class LakeIndex:
    """The rows of a lake folder, read lazily table by table, as context for checking other files.

    ``exclude``: files not to read (the file being checked, when it lies inside the lake).
    """

    def __init__(self, root: str | os.PathLike, exclude: Iterable[str | os.PathLike] = ()):
        self.root = pathlib.Path(root)
        self.exclude = {pathlib.Path(p).resolve() for p in exclude}
        self._cache: dict[str, list[Checked]] = {}
        self._files: list[pathlib.Path] | None = None

    def files(self) -> list[pathlib.Path]:
        if self._files is None:
            self._files = [p for p in lake_files(self.root) if p.resolve() not in self.exclude]
        return self._files

    def checked(self, table: str) -> list[Checked]:
        if table not in self._cache:
            out = []
            for p in self.files():
                t = table_of(p.relative_to(self.root.resolve()))
                if t is not None and t.name == table:
                    c, _ = check_file(p, display_path(p), utf8_only=False, table=t)
                    if c is not None:
                        out.append(c)
            self._cache[table] = out
        return self._cache[table]


class _Rows:
    """Rows of each table for the cross checks: the files being checked (``target_``) + context."""

    def __init__(self, targets: list[Checked], context: LakeIndex | None):
        self.targets = targets
        self.context = context
        self._cache: dict[str, pd.DataFrame | None] = {}

    def known(self, table: str) -> bool:
        """Whether we know every row of ``table`` (a lake is given, or a target file holds it)."""
        return self.context is not None or any(c.table.name == table for c in self.targets)

    def get(self, table: str) -> pd.DataFrame | None:
        if table not in self._cache:
            parts = []
            for c in self.targets:
                if c.table.name == table:
                    parts.append(c.frame.assign(file_=c.file, target_=True))
            if self.context is not None and table in schema.TABLE_BY_NAME:
                for c in self.context.checked(table):
                    parts.append(c.frame.assign(file_=c.file, target_=False))
            if parts:
                df = pd.concat(parts, ignore_index=True)
            elif self.known(table) and table in schema.TABLE_BY_NAME:
                df = pd.DataFrame(columns=schema.table(table).column_names + ["row_", "file_", "target_"])
            else:
                df = None
            self._cache[table] = df
        return self._cache[table]


def _present(v) -> bool:
    return not (v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == "")


def _cross_duplicates(rows: _Rows, t: schema.Table) -> list[Problem]:
    df = rows.get(t.name)
    if df is None or not len(df):
        return []
    df = df.assign(key_=key_strings(df, t).values)
    # context rows first: a file being checked repeats what the lake already holds
    df = df.sort_values(["target_", "file_", "row_"], kind="stable")
    df = df.drop_duplicates(["file_", "key_"])  # repeats within a file are reported by check_frame
    out = []
    first: dict[str, tuple[str, int]] = {}
    columns = (df[c].tolist() for c in ("key_", "file_", "row_", "target_"))  # lists: fast on 300 000 rows
    for key, file, row, target in zip(*columns):
        if key not in first:
            first[key] = (file, row)
        elif target:
            f, other = first[key]
            out.append(problem(file, row, ",".join(t.key), key, "duplicate_key_lake", t.name,
                               key=", ".join(t.key), other_file=f, other_row=other))
    return out


def _cross_references(rows: _Rows, t: schema.Table) -> list[Problem]:
    out = []
    for ref in REFERENCES:
        if ref.table not in (None, t.name) or ref.column not in t.column_names or ref.target == t.name:
            continue
        if ref.target not in schema.TABLE_BY_NAME or not rows.known(ref.target):
            continue
        if ref.same_project and "project_id" not in t.column_names:
            continue
        df, target = rows.get(t.name), rows.get(ref.target)
        if df is None or target is None:
            continue
        mine = df[df["target_"] & df[ref.column].map(_present)]
        if ref.same_project:
            have = set(zip(target["project_id"], target[ref.target_column]))
            missing = [not (p, v) in have for p, v in zip(mine["project_id"], mine[ref.column])]
        else:
            have = set(target[ref.target_column])
            missing = [v not in have for v in mine[ref.column]]
        c = t.column(ref.column)
        # only the rows whose reference is missing (a tuple per row of 300 000 is slow)
        for r in mine[pd.Series(missing, index=mine.index, dtype=bool)].itertuples(index=False):
            pid = getattr(r, "project_id", "")
            out.append(problem(
                r.file_, r.row_, ref.column, getattr(r, ref.column), "unknown_reference", t.name,
                target=ref.target, target_column=ref.target_column,
                scope_zh=f"项目 {pid} 的" if ref.same_project else "",
                scope_en=f" for project {pid}" if ref.same_project else "", **column_details(c)))
    return out


def _cross_units(rows: _Rows, t: schema.Table) -> list[Problem]:
    if not {"metric_key", "unit"} <= set(t.column_names) or t.name == "metrics" or not rows.known("metrics"):
        return []
    df, metrics = rows.get(t.name), rows.get("metrics")
    unit_of = dict(zip(metrics["metric_key"], metrics["unit"]))
    out = []
    for r in df[df["target_"]].itertuples(index=False):
        expected = unit_of.get(r.metric_key)
        if expected is not None and _present(r.unit) and r.unit != expected:
            out.append(problem(r.file_, r.row_, "unit", r.unit, "unit_mismatch", t.name,
                               metric=r.metric_key, expected=expected))
    return out


# -- rules of single tables -----------------------------------------------------------------------
def _rule_budget(rows: _Rows, t: schema.Table) -> list[Problem]:
    """Per project × year, each amount is given per sub-project or for the whole project, never both."""
    df = rows.get(t.name)
    measures = [c for c in t.columns if c.unit == "万元"]
    out = []
    if not len(df):
        return out
    # Only groups holding a measure both ways need the row-by-row look below: find them in one pass
    # (a group per project × year made 300 000 budget rows of an import take 25 s). Whole groups are
    # kept, so they come in the same order as over all rows.
    whole = ~df["subproject_id"].map(_present).astype(bool)
    key = df.groupby(["project_id", "year"], dropna=False, sort=False).ngroup()
    suspect = pd.Series(False, index=df.index)
    for c in measures:
        has = df[c.name].notna()
        suspect |= ((has & ~whole).groupby(key).transform("any")
                    & (has & whole).groupby(key).transform("any"))
    df = df[suspect]
    for (pid, year), g in df.groupby(["project_id", "year"], dropna=False, sort=False):
        whole = ~g["subproject_id"].map(_present)
        for c in measures:
            has = g[c.name].notna()
            parts, total = g[has & ~whole], g[has & whole]
            if len(parts) and len(total):
                blamed = total[total["target_"]]
                if not len(blamed):
                    blamed = parts[parts["target_"]]
                subs = tuple(sorted(set(map(str, parts["subproject_id"]))))
                for r in blamed.itertuples(index=False):
                    out.append(problem(r.file_, r.row_, c.name, _fmt(getattr(r, c.name)), "budget_both",
                                       t.name, year=year, measure_zh=c.zh, measure_en=c.en, subprojects=subs))
    return out


def _rule_indicators(rows: _Rows, t: schema.Table) -> list[Problem]:
    """A parent exists in the same project, one level up; level 1 has none, deeper levels have one."""
    df = rows.get(t.name)
    level_of = {(p, c): lv for p, c, lv in zip(df["project_id"].tolist(), df["code"].tolist(),
                                                df["level"].tolist())}
    out = []
    mine = df[df["target_"]]
    columns = (mine[c].tolist() for c in ("file_", "row_", "project_id", "parent_code", "level"))
    for file, row, project, parent, level in zip(*columns):  # lists: fast on 300 000 rows
        lv = None if level is pd.NA or level is None else int(level)
        has_parent = _present(parent)
        if lv == 1 and has_parent:
            out.append(problem(file, row, "parent_code", parent, "parent_forbidden", t.name))
        elif lv is not None and lv > 1 and not has_parent:
            out.append(problem(file, row, "parent_code", "", "parent_required", t.name, level=lv))
        elif has_parent:
            key = (project, parent)
            if key not in level_of:
                out.append(problem(file, row, "parent_code", parent, "parent_missing", t.name,
                                   project=project))
            elif lv is not None and level_of[key] is not pd.NA and int(level_of[key]) != lv - 1:
                out.append(problem(file, row, "parent_code", parent, "parent_level", t.name,
                                   parent_level=int(level_of[key]), level=lv))
    return out


def parse_scope(scope: str) -> tuple[dict[str, str], tuple[str, str] | None]:
    """({dimension: value}, None) of a figures.scope, or ({}, (reason_zh, reason_en)) if malformed.

    ``total`` → {}; ``year:2022;metric:campaigns_held`` → {"year": "2022", "metric": "campaigns_held"}.
    """
    scope = scope.strip()
    if scope == "total":
        return {}, None
    parts: dict[str, str] = {}
    for part in scope.split(";"):
        dim, sep, value = (x.strip() for x in part.partition(":"))
        if not sep or not dim or not value:
            return {}, (f"「{part}」不是「维度:值」", f"“{part}” is not dim:value")
        if dim not in SCOPE_DIMENSIONS:
            return {}, (f"未知维度「{dim}」", f"unknown dimension “{dim}”")
        if dim in parts:
            return {}, (f"维度「{dim}」出现两次", f"dimension “{dim}” given twice")
        if dim == "year" and not re.fullmatch(r"[0-9]{4}", value):
            return {}, (f"年份「{value}」不是四位数字", f"year “{value}” is not a four-digit year")
        if dim == "level" and value not in ("1", "2", "3"):
            return {}, (f"层级「{value}」不是 1、2 或 3", f"level “{value}” is not 1, 2 or 3")
        parts[dim] = value
    return parts, None


def _rule_figures(rows: _Rows, t: schema.Table) -> list[Problem]:
    """A figure's scope is ``total`` or ``dim:value`` parts joined by ``;`` (see `SCOPE_DIMENSIONS`), and what
    it names (a sub-project, indicator, metric, survey, output group, target) exists in the project."""
    df = rows.get(t.name)
    dims = tuple(SCOPE_DIMENSIONS)
    out = []
    for r in df[df["target_"]].itertuples(index=False):
        if not _present(r.scope):
            continue
        parts, reason = parse_scope(r.scope)
        for dim, value in parts.items():
            target = SCOPE_DIMENSIONS[dim]
            if reason is not None or target is None or not rows.known(target[0]):
                continue
            tdf = rows.get(target[0])
            if tdf is None or target[1] not in tdf.columns:
                continue
            match = tdf[target[1]] == value
            if "project_id" in tdf.columns:
                match &= tdf["project_id"] == r.project_id
            if not match.any():
                reason = (f"本项目的 {target[0]} 中没有 {target[1]} =「{value}」",
                          f"{target[0]} of this project has no {target[1]} = “{value}”")
        if reason:
            out.append(problem(r.file_, r.row_, "scope", r.scope, "bad_scope", t.name,
                               detail_zh=reason[0], detail_en=reason[1], dims=dims))
    return out


def _rule_documents(rows: _Rows, t: schema.Table) -> list[Problem]:
    """A document's kind is the prefix of its source (report:… is a report)."""
    df = rows.get(t.name)
    out = []
    for r in df[df["target_"]].itertuples(index=False):
        if _present(r.kind) and _present(r.source) and schema.data_kind(r.source) != r.kind:
            out.append(problem(r.file_, r.row_, "kind", r.kind, "document_kind", t.name, source=r.source))
    return out


RULES: dict[str, list[Callable[[_Rows, schema.Table], list[Problem]]]] = {
    "budget": [_rule_budget],
    "indicators": [_rule_indicators],
    "figures": [_rule_figures],
    "documents": [_rule_documents],
}
RULE_DOCS: dict[str, list[str]] = {
    name: [f.__doc__.strip() for f in fs] for name, fs in RULES.items()
}


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def cross_check(targets: list[Checked], context: LakeIndex | None = None) -> list[Problem]:
    """The checks across rows and files, reported on the rows of ``targets`` only.

    ``context`` (the rest of the lake) adds the rows the targets are checked against; without it,
    references to tables the targets do not hold are not checked.
    """
    rows = _Rows(targets, context)
    out: list[Problem] = []
    for name in dict.fromkeys(c.table.name for c in targets):
        t = schema.table(name)
        if all(c.name in rows.get(name).columns for c in t.columns):
            out += _cross_duplicates(rows, t)
            out += _cross_references(rows, t)
            out += _cross_units(rows, t)
            for rule in RULES.get(name, []):
                out += rule(rows, t)
    return out
