"""The import page's Streamlit pieces: the template download, checking an upload (cached per file and
lake version), committing it as a new batch (or in place of the batches it supersedes: `supersede_box`), and the
list of every batch with its withdraw / restore buttons (`batch_list`). The reading, checks and writing are
perfeval.data.imports.ingest's and .batches'; what is shown of them is perfeval.views.imports's.

Every change takes the regions the signed-in user may change (``scope``, by default perfeval.ui.auth.writable_scope:
an admin any, a district its own, other roles none) and the name it records (``who``, by default the signed-in
user's, 本机/local in local mode), which the data layer checks and writes; the list of batches shows only those of
the viewer's scope."""
from __future__ import annotations

import functools
import hashlib
import os

import streamlit as st

from perfeval.auth.users import LOCAL_ADMIN
from perfeval.data.gate import Scope
from perfeval.data.imports import batches, ingest
from perfeval.data.imports.batches import RestoreRefused, WithdrawRefused
from perfeval.data.imports.folders import IMPORTS_DIR, LOCAL_WHO
from perfeval.data.imports.ingest import ImportRefused  # noqa: F401 - the page catches it as upload.ImportRefused
from perfeval.text.i18n import Translator
from perfeval.ui import audit, auth, state
from perfeval.views import imports as ingest_view

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
    """The upload read and checked against the lake as it is now; ``key`` = ``digest(data)``. An upload naming a
    project outside the regions the signed-in user may import into shows only that (ingest.restricted_to): the
    checks against the lake would name other regions' keys and files."""
    staged = _stage(str(state.data_dir()), filename, key, state.gate().version(), data)
    return ingest.restricted_to(staged, state.data_dir(), auth.writable_scope())


def digest(data: bytes) -> str:
    """What an upload is known by in this session (its checks' cache, the imports it made)."""
    return hashlib.sha256(data).hexdigest()


def lake_writable() -> bool:
    """Whether this process may add a batch: the lake folder (or its imports/ folder) is writable."""
    root = state.data_dir()
    imports = root / "imports"
    return os.access(imports if imports.exists() else root, os.W_OK)


def _scope(scope: Scope | None) -> Scope:
    """What this viewer may change: the caller's scope, else the signed-in user's regions to import into
    (perfeval.ui.auth.writable_scope: an admin any, a district its own, every other role none)."""
    return scope if scope is not None else auth.writable_scope()


def _who(who: str | None) -> str:
    """The name a change records: the caller's, else the signed-in user's (本机/local in local mode)."""
    if who:
        return who
    user = auth.current_user()
    return LOCAL_WHO if user is None or user.name == LOCAL_ADMIN.name else user.name


def _changed() -> None:
    """The lake has changed: every page of this process reads it anew on its next query (other processes within
    a second), and the cached checks of uploads are forgotten."""
    state.gate().lake.changed()
    _stage.clear()
    _offer.clear()


@audit.audited(lambda args: "supersede" if args["supersede"] is not None else "import")  # entries before and after
def commit(staged: ingest.Staged, *, supersede: ingest.Superseding | None = None, scope: Scope | None = None,
           who: str | None = None) -> ingest.Batch:
    """Write the batch (in place of the batches ``supersede`` names, if given), then forget the cached checks and
    the lake's version."""
    batch = ingest.commit(staged, state.data_dir(), supersede=supersede, scope=_scope(scope), who=_who(who))
    _changed()
    return batch


def active(batch_id: str) -> bool:
    """Whether the batch is in the lake (not withdrawn meanwhile, from the list or by another session)."""
    return (state.data_dir() / IMPORTS_DIR / batch_id).is_dir()


@audit.audited("withdraw")
def withdraw(batch_id: str, *, scope: Scope | None = None, who: str | None = None) -> None:
    """Move a batch (any, imported in any session) to the archive (perfeval.data.imports.batches.withdraw); the
    lake has changed, as after an import."""
    batches.withdraw(state.data_dir(), batch_id, scope=_scope(scope), who=_who(who))
    _changed()


@audit.audited("restore")
def restore(batch_id: str, *, scope: Scope | None = None, who: str | None = None) -> None:
    """Move a withdrawn batch back from the archive (perfeval.data.imports.batches.restore)."""
    batches.restore(state.data_dir(), batch_id, scope=_scope(scope), who=_who(who))
    _changed()


@st.cache_data(show_spinner=False, max_entries=4)
def _offer(path: str, digest: str, version: str, _staged: ingest.Staged) -> ingest.Superseding | None:
    return ingest.supersede_offer(_staged, path)


def offer(staged: ingest.Staged, key: str) -> ingest.Superseding | None:
    """Whether the upload (``key`` = its digest) may supersede the batches holding the keys it repeats."""
    return _offer(str(state.data_dir()), key, state.gate().version(), staged)


def supersede_box(staged: ingest.Staged, key: str, lang: str) -> ingest.Batch | bool | None:
    """For an upload with problems: the supersede offer, if it has one. None: no offer (draw the problems);
    a refused offer draws why and returns None too. False: the offer is drawn, not confirmed. A Batch: confirmed
    and imported."""
    if any(p.code == "out_of_scope" for p in staged.problems):
        return None  # not the user's to import: no offer naming the batches that hold those projects
    found = offer(staged, key)
    if found is None:
        return None
    t = Translator(lang)
    v = ingest_view.superseding(found, staged.filename, lang)
    if not v["ok"]:
        for line in v["refusals"]:
            st.error(line)
        return None
    st.warning(v["headline"])
    st.dataframe(v["table"], hide_index=True, width="stretch",
                 column_config={k: t(zh, en) for k, zh, en in ingest_view.SUPERSEDE_COLUMNS})
    if v["note"]:
        st.warning(v["note"])
    if not st.button(t("替代并导入", "Supersede and import"), type="primary", key="supersede",
                     disabled=not lake_writable(),
                     help=t("旧批次移至归档（_archive/imports/，可恢复），本文件作为新批次导入。",
                            "The old batch moves to the archive (_archive/imports/, restorable); this file is "
                            "imported as a new batch.")):
        return False
    try:
        return commit(staged, supersede=found)
    except ImportRefused as e:  # the lake changed since the check
        st.error(ingest_view.problems_headline(e.problems, lang))
        st.dataframe(ingest_view.problem_table(e.problems, lang), hide_index=True, width="stretch")
        return False
    except audit.AuditLogError as e:  # no entry in the audit log, no supersession (or none reported done)
        st.error(str(e))
        return False


def batch_list(lang: str) -> None:
    """Every batch of the lake, active and withdrawn (who imported it, when, the file, the rows, its status),
    and a picker with the withdraw / restore buttons, for any batch, in any session."""
    t = Translator(lang)
    listed = state.model(ingest_view.batches, lake=str(state.data_dir()), lang=lang, scope=state.scope())
    done = st.session_state.pop("batch_action", None)
    with st.expander(t("全部批次（撤回与恢复）", "All batches (withdraw and restore)"), expanded=bool(done)):
        if done:
            st.success(ingest_view.batch_action(*done, lang))
        if listed["table"].empty:
            st.caption(t("尚无导入的批次。", "No batch has been imported yet."))
            return
        st.dataframe(listed["table"], hide_index=True, width="stretch", column_config={
            k: st.column_config.TextColumn(t(zh, en), width="large" if k == "rows" else None)
            for k, zh, en in ingest_view.BATCH_COLUMNS})
        labels = {b: label for b, label, _ in listed["choices"]}
        status = {b: s for b, _, s in listed["choices"]}
        pick = st.selectbox(t("选择批次", "Choose a batch"), list(labels), format_func=labels.__getitem__,
                            key="w_batch")
        c1, c2 = st.columns(2)
        writable = lake_writable()
        action = None
        if c1.button(t("↩️ 撤回该批次", "↩️ Withdraw this batch"), key="batch_withdraw",
                     disabled=status.get(pick) != "active" or not writable,
                     help=t("移至归档（_archive/imports/），各页面不再显示；文件不删除，可恢复。",
                            "Moves it to the archive (_archive/imports/): no page shows it; nothing is deleted, it "
                            "can be restored.")):
            action = "withdraw"
        if c2.button(t("⤴️ 恢复该批次", "⤴️ Restore this batch"), key="batch_restore",
                     disabled=status.get(pick) != "withdrawn" or not writable,
                     help=t("从归档移回数据湖；若其项目已被重新导入则不能恢复。",
                            "Moves it back from the archive; refused if its projects were imported again.")):
            action = "restore"
        if action is None:
            return
        try:
            (withdraw if action == "withdraw" else restore)(pick)
        except (WithdrawRefused, RestoreRefused, ValueError, audit.AuditLogError) as e:
            st.error(str(e))
            return
        st.session_state["batch_action"] = (action, pick)
        st.rerun()
