"""The import page's model, as pure functions: what it shows of an upload (`checked`: the problems as a
table and as a CSV a person can open in Excel beside the workbook, or what the upload holds and a preview of
each table), of the imports this session made and withdrew, of the lake's batches (active and withdrawn, with
who imported them and when) and of an upload that would supersede batches (`superseding`), in words.

The page (app_pages/import.py) only lays these out; perfeval.data.imports.ingest reads, checks and writes, and
perfeval.ui.upload calls it (cached per file and lake version).
"""
from __future__ import annotations

import io
import pathlib
from typing import Iterable

import pandas as pd

from perfeval.data import schema
from perfeval.data.gate import Scope
from perfeval.data.imports.batches import all_batches, outside_scope, project_regions
from perfeval.data.imports.folders import LOCAL_WHO
from perfeval.data.validation.problems import Problem
from perfeval.text.i18n import Translator

# columns of the problem table: (key, zh, en)
PROBLEM_COLUMNS = (("file", "文件 / 工作表", "File / sheet"), ("row", "行", "Row"), ("column", "列", "Column"),
                   ("value", "值", "Value"), ("message", "问题", "Problem"))
PREVIEW_ROWS = 20  # rows of each table of an upload shown before the import


def table_label(name: str, lang: str) -> str:
    """A table as people call it: 指标（indicators） / Indicators (indicators)."""
    try:
        t = schema.table(name)
    except KeyError:
        return name
    return f"{t.zh}（{name}）" if lang == "zh" else f"{t.en} ({name})"


def problem_table(problems: Iterable[Problem], lang: str) -> pd.DataFrame:
    """One row per problem with the file (and sheet), the Excel row (empty for the whole file or its
    header), the column, the value as written and the message in ``lang``."""
    rows = [{"file": p.file, "row": p.row, "column": p.column or "", "value": "" if p.value is None else p.value,
             "message": p.message_zh if lang == "zh" else p.message_en} for p in problems]
    df = pd.DataFrame(rows, columns=[c for c, _, _ in PROBLEM_COLUMNS])
    df["row"] = df["row"].astype("Int64")
    return df


def problems_csv(problems: Iterable[Problem]) -> bytes:
    """The problems as a UTF-8 CSV with a byte-order mark (so Excel on Chinese Windows opens it right),
    both languages side by side."""
    df = pd.DataFrame([{"文件/工作表 file": p.file, "行 row": p.row, "列 column": p.column or "",
                        "值 value": "" if p.value is None else p.value, "问题": p.message_zh,
                        "problem": p.message_en, "code": p.code} for p in problems],
                      columns=["文件/工作表 file", "行 row", "列 column", "值 value", "问题", "problem", "code"])
    df["行 row"] = df["行 row"].astype("Int64")
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def rows_summary(rows: dict[str, int], lang: str) -> str:
    """``项目（projects）12 行、指标（indicators）360 行`` / ``Projects (projects) 12 rows, …``."""
    t = Translator(lang)
    parts = [t(f"{table_label(n, lang)} {k:,} 行", f"{table_label(n, lang)} {k:,} rows") for n, k in rows.items()]
    return t("、", ", ").join(parts) if parts else t("没有数据行", "no data rows")


def problems_headline(problems: list[Problem], lang: str) -> str:
    """The one line above the problem table: how many, in how many rows, and that nothing was written."""
    t = Translator(lang)
    n = len(problems)
    rows = len({(p.file, p.row) for p in problems if p.row is not None})
    return t(f"发现 {n:,} 处问题（涉及 {rows:,} 行），未导入任何数据。请按下表逐项修改后重新上传。",
             f"{n:,} problems found (in {rows:,} rows); nothing was imported. Fix each one below and upload "
             "again.")


def not_real_kinds(frames: dict[str, pd.DataFrame]) -> list[str]:
    """The data kinds of an upload's rows that are not real (``demo``, ``generated``), from their
    ``source`` (``kind:name``), so the page can say so before the import."""
    kinds: set[str] = set()
    for df in frames.values():
        if "source" in df.columns:
            kinds |= {schema.data_kind(s) for s in df["source"].dropna().astype(str)}
    return sorted(kinds - {"report", "import"})


BATCH_COLUMNS = (("batch", "批次", "Batch"), ("status", "状态", "Status"), ("when", "导入时间", "Imported"),
                 ("who", "导入人", "By"), ("file", "上传文件", "File"), ("rows", "内容", "Rows"))


def batches(q, *, lake: str, lang: str, scope: Scope | None = None) -> dict:
    """The page model of the import page's list of batches: every batch the lake has had, active and withdrawn
    (read from its folders, not through ``q``: a batch's folder is the lake's own layout), as ``table``
    (`batches_table`) and as ``choices`` for the withdraw / restore picker: (batch id, label, status). Cached per
    lake version, which an import, a withdrawal or a restore changes. ``scope`` (the viewer's): only the batches
    whose every project lies inside it (the folders are read around the data gate, so the scope is applied here;
    a batch of another district's projects is not even named)."""
    infos = all_batches(lake)
    if scope is not None and not scope.unrestricted:
        root = pathlib.Path(lake)
        infos = [b for b in infos if (regions := project_regions(root, b.folder)) and not outside_scope(scope, regions)]
    table = batches_table(infos, lang)
    choices = tuple((b.id, f"{b.id} · {row['status']} · {row['file'] or '—'}", b.status)
                    for b, row in zip(infos, table.to_dict("records")))
    return {"table": table, "choices": choices}


def _when(iso: str) -> str:
    """``2026-11-22T23:53:22`` → ``2026-11-22 23:53``."""
    return iso[:16].replace("T", " ") if iso else ""


def who_label(who: str, lang: str) -> str:
    """Who imported or withdrew a batch: the recorded name; 本机 / local for the local default; 未记录 / not
    recorded for a batch written before manifests."""
    t = Translator(lang)
    if not who:
        return t("未记录", "not recorded")
    return t("本机", "local") if who == LOCAL_WHO else who


def status_label(b, lang: str) -> str:
    """有效 / 已撤回（who, when）/ 已被 <id> 替代 (active / withdrawn / superseded by <id>)."""
    t = Translator(lang)
    if b.status == "active":
        return t("有效", "active")
    if b.superseded_by:
        return t(f"已被批次 {b.superseded_by} 替代", f"superseded by batch {b.superseded_by}")
    by = "，".join(x for x in (who_label(b.withdrawn_by, lang) if b.withdrawn_by else "", _when(b.withdrawn_at)) if x)
    by_en = ", ".join(x for x in (who_label(b.withdrawn_by, lang) if b.withdrawn_by else "", _when(b.withdrawn_at)) if x)
    return t("已撤回" + (f"（{by}）" if by else ""), "withdrawn" + (f" ({by_en})" if by_en else ""))


def batches_table(infos, lang: str) -> pd.DataFrame:
    """The lake's batches (perfeval.data.imports.batches.BatchInfo, newest first) as rows: the batch id, its status
    (`status_label`), when it was imported (its manifest, else its id ``YYYYMMDD-HHMMSS-…``; empty for an id named
    otherwise), who imported it (`who_label`), the uploaded file and what it holds."""
    rows = [{"batch": b.id, "status": status_label(b, lang), "when": _when(b.when), "who": who_label(b.who, lang),
             "file": b.file or "、".join(b.uploads), "rows": rows_summary(b.rows, lang)} for b in infos]
    return pd.DataFrame(rows, columns=[c for c, _, _ in BATCH_COLUMNS])


def batch_action(action: str, batch_id: str, lang: str) -> str:
    """The line saying a batch was withdrawn or restored from the list."""
    t = Translator(lang)
    if action == "withdraw":
        return t(f"批次 {batch_id} 已撤回：已移至归档，各页面不再显示，可恢复。",
                 f"Batch {batch_id} was withdrawn: moved to the archive, no page shows it; it can be restored.")
    return t(f"批次 {batch_id} 已恢复，各页面重新显示其数据。", f"Batch {batch_id} was restored: every page shows its "
             "data again.")


SUPERSEDE_COLUMNS = (("batch", "批次", "Batch"), ("file", "上传文件", "File"), ("when", "导入时间", "Imported"),
                     ("who", "导入人", "By"), ("document", "来源文档", "Document"), ("project", "项目编号", "Project"),
                     ("name", "项目名称", "Name"), ("in_file", "新文件中", "In the new file"))


def superseding(offer, filename: str, lang: str) -> dict:
    """What the page says of a supersede offer (perfeval.data.imports.ingest.Superseding) for an upload whose
    keys the lake already holds: ok (it may be confirmed), headline, table (one row per project of each batch
    it would withdraw: the batch, its file, when and by whom it was imported, its document, the project and
    whether the new file holds it), note (the projects withdrawn with their batch although the new file does
    not hold them, or None) and refusals (why it cannot, one line each)."""
    t = Translator(lang)
    rows = []
    for b in offer.batches:
        doc = "；".join(f"{title}（{src}）" if title else src for src, title in b.documents) if lang == "zh" else \
            "; ".join(f"{title} ({src})" if title else src for src, title in b.documents)
        for p in b.projects:
            rows.append({"batch": b.id, "file": b.file, "when": _when(b.when), "who": who_label(b.who, lang),
                         "document": doc, "project": p.project_id, "name": p.name,
                         "in_file": t("是", "yes") if p.in_upload else t("否：将一并撤回", "no: withdrawn too")})
    table = pd.DataFrame(rows, columns=[c for c, _, _ in SUPERSEDE_COLUMNS])
    gone = [p.project_id for b in offer.batches for p in b.projects if not p.in_upload]
    n, ids = len(offer.batches), t("、", ", ").join(offer.batch_ids)
    return {
        "ok": offer.ok,
        "headline": t(f"「{filename}」中的项目已在数据湖中（批次 {ids}）。可以用本文件替代：旧批次移至归档（可恢复），"
                      "本文件作为新批次导入，两步一次完成。",
                      f"The projects of “{filename}” are already in the lake (batch{'es' if n > 1 else ''} {ids}). "
                      "This file can supersede them: the old batch moves to the archive (it can be restored) and "
                      "this file is imported as a new batch, in one step."),
        "table": table,
        "note": (t(f"注意：新文件中没有项目 {'、'.join(gone)}，替代后它们随旧批次一并撤回。",
                   f"Note: the new file does not hold project{'s' if len(gone) > 1 else ''} {', '.join(gone)}: "
                   "superseding withdraws them with the old batch.") if gone else None),
        "refusals": [t(zh, en) for zh, en in offer.refusals],
    }


def checked(staged, lang: str) -> dict:
    """What the page shows of an upload read and checked (perfeval.data.imports.ingest.Staged).

    With problems: ok False, headline (the error), table (`problem_table`), csv (`problems_csv`) and
    csv_name. Without: ok True, success (what it holds), not_real (the warning on rows that are not real
    data, or None) and previews: (expander title, the table's first PREVIEW_ROWS rows, the caption saying
    so or None) per table.
    """
    t = Translator(lang)
    if not staged.ok:
        return {"ok": False, "headline": problems_headline(staged.problems, lang),
                "table": problem_table(staged.problems, lang), "csv": problems_csv(staged.problems),
                "csv_name": f"{staged.filename}.problems.csv"}
    not_real = not_real_kinds(staged.frames)
    return {
        "ok": True,
        "success": t("检查通过，可以导入：", "No problems found; ready to import: ") + rows_summary(staged.rows, lang),
        "not_real": (t("⚠️ 本文件含非真实数据（数据来源类型：", "⚠️ This file holds data that are not real (source kinds: ")
                     + t("、", ", ").join(not_real) + t("），导入后各页面会标示。", "); every page will mark them.")
                     if not_real else None),
        "previews": [(table_label(name, lang) + t(f"：{len(df):,} 行", f": {len(df):,} rows"), df.head(PREVIEW_ROWS),
                      t(f"仅显示前 {PREVIEW_ROWS} 行。", f"The first {PREVIEW_ROWS} rows only.")
                      if len(df) > PREVIEW_ROWS else None)
                     for name, df in staged.frames.items()],
    }


def review(staged, lang: str) -> list[tuple[str, str, pd.DataFrame]]:
    """What to look at beside an upload's problems, shown whether or not it has any: (kind, headline, table)
    for the warnings (kind ``warning``: what looks wrong but may be right, e.g. an amount that looks like 元
    in a 万元 column or a rate of 95 with unit %; never blocking; `problem_table` of ``staged.warnings``) and
    for the outcome metrics the upload adds to the catalogue (kind ``info``: key, names, unit, category,
    direction, to review before the import). Empty when there is neither."""
    t = Translator(lang)
    out = []
    warnings = list(getattr(staged, "warnings", []) or [])
    if warnings:
        n = len(warnings)
        out.append(("warning", t(f"⚠️ {n:,} 处提示：看起来可能有误，但也可能正确，请逐项核对（不阻止导入）。",
                                 f"⚠️ {n:,} warning{'' if n == 1 else 's'}: these look wrong but may be right; "
                                 "check each (they do not block the import)."),
                    problem_table(warnings, lang)))
    new = getattr(staged, "new_metrics", None)
    if new is not None and len(new):
        direction = {"higher": t("越高越好", "higher is better"), "lower": t("越低越好", "lower is better")}
        table = pd.DataFrame({
            t("指标键", "Metric key"): new["metric_key"].tolist(),
            t("中文名称", "Chinese name"): new["name_zh"].tolist(),
            t("英文名称", "English name"): new["name_en"].tolist(),
            t("单位", "Unit"): new["unit"].tolist(),
            t("类别", "Category"): new["category"].tolist(),
            t("方向", "Direction"): [direction.get(d, d) for d in new["direction"].tolist()],
        })
        out.append(("info", t(f"本文件新增 {len(new):,} 个成效指标，导入后进入指标目录；请核对名称、单位和方向：",
                              f"This file adds {len(new):,} outcome metric{'' if len(new) == 1 else 's'} to the "
                              "catalogue on import; check their names, units and directions:"), table))
    return out


def imported(filename: str, batch_id: str, rows: dict[str, int], lang: str) -> str:
    """The line saying an upload was imported as a batch, and what it holds."""
    t = Translator(lang)
    return (t(f"已导入「{filename}」为批次 {batch_id}：", f"“{filename}” was imported as batch {batch_id}: ")
            + rows_summary(rows, lang))


def withdrawn(filename: str, batch_id: str, lang: str) -> str:
    """The line saying an import was just withdrawn (and that the file is checked again below)."""
    t = Translator(lang)
    return t(f"「{filename}」的导入（批次 {batch_id}）已撤回：已移至归档，可恢复。下方为该文件重新检查的结果。",
             f"The import of “{filename}” (batch {batch_id}) was withdrawn: moved to the archive, it can "
             "be restored. Below, the file checked again.")


def read_only(folder: str, lang: str) -> str:
    """The warning when this server may not write to the lake folder."""
    t = Translator(lang)
    return t(f"数据目录 {folder} 不可写，本服务不能导入；请联系管理员。",
             f"The data folder {folder} is read-only: this server cannot import. Ask the administrator.")
