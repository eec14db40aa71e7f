"""数据导入 Import: the Excel template, an upload checked cell by cell against the lake, and, once
nothing is wrong and the person confirms, a new batch in the lake that every page reads at once.

Nothing is written before the confirmation, a refused upload writes nothing, and a batch is never
changed afterwards (perfeval.data.imports.ingest, docs/data-model.md "Importing data"). A corrected file for
projects already imported is offered to supersede their batch; every batch is listed with withdraw / restore. The page draws no chart;
what it says of an upload is made by its page model, perfeval.views.imports.
"""
import streamlit as st

from perfeval.ui import audit, state, upload
from perfeval.views import imports as ingest_view

t = state.tr()
lang = state.lang()
state.write_url()

st.title(t("数据导入", "Import data"))
st.markdown(t(
    "1. 下载导入模板，每张表一个工作表（说明见模板首页）；金额单位为万元，比率填小数（71.72% 写作 0.7172），"
    "日期写作 2023-06-30。\n"
    "2. 上传填好的 Excel 工作簿（或单张表的 CSV / Parquet 文件）。系统逐格检查，列出每处问题的工作表、行、列和值。\n"
    "3. 检查通过后确认导入：数据作为新的批次写入，原文件原样保存，已有数据不作任何改动。改正后重新上传的文件可替代原批次（原批次移至归档，可恢复）。",
    "1. Download the template: one sheet per table (its first sheet explains how to fill it); amounts in "
    "10k CNY, rates as fractions (71.72% is 0.7172), dates as 2023-06-30.\n"
    "2. Upload the filled workbook (or one table's CSV / Parquet file). Every cell is checked; each problem "
    "is listed with its sheet, row, column and value.\n"
    "3. Once nothing is wrong, confirm: the data are written as a new batch, the uploaded file is kept as "
    "it was, and nothing already in the lake is changed. A corrected file for projects already imported can "
    "supersede their batch (the old batch moves to the archive and can be restored)."))
st.download_button(t("⬇️ 下载导入模板（Excel）", "⬇️ Download the template (Excel)"), data=upload.template(lang),
                   file_name=t("绩效评价数据导入模板.xlsx", "perfeval-import-template.xlsx"),
                   mime=upload.XLSX_MIME, key="template")

upload.batch_list(lang)  # every batch, active and withdrawn, with its withdraw / restore buttons

file = st.file_uploader(t("上传数据文件", "Upload a data file"), type=["xlsx", "xlsm", "xls", "et", "csv", "parquet"],
                        key="w_upload",
                        help=t("Excel 工作簿：工作表以表名命名（如 projects、indicators），或按原样上传的项目支出绩效自评表"
                               "（按版式识别）。CSV 可为 UTF-8 或 GBK 编码。",
                               "Excel workbook: sheets named by table (projects, indicators, …), or a 项目支出绩效自评表 "
                               "(self-evaluation form) as published, recognised by its layout. CSV in UTF-8 or GBK."))
if file is None:
    st.stop()

data = file.getvalue()
digest = upload.digest(data)
done = st.session_state.setdefault("imported", {})  # digest of an upload imported in this session → batch
withdrawn = st.session_state.pop("withdrawn", None)  # (file, batch) just withdrawn: said once
if withdrawn:
    st.info(ingest_view.withdrawn(*withdrawn, lang))
if digest in done and not upload.active(done[digest][0]):
    del done[digest]  # withdrawn meanwhile (from the list, or in another session): checked again below
if digest in done:
    batch_id, rows = done[digest]
    st.success(ingest_view.imported(file.name, batch_id, rows, lang))
    c1, c2 = st.columns([1, 1])
    c1.page_link("app_pages/overview.py", label=t("📊 查看总览", "📊 Open the overview"))
    if c2.button(t("↩️ 撤回本次导入", "↩️ Withdraw this import"), key="withdraw",
                 help=t("将本批次移至归档（_archive/imports/），各页面不再显示；文件不删除，可恢复。",
                        "Moves the batch to the archive (_archive/imports/): no page shows it any more; "
                        "nothing is deleted, it can be restored.")):
        try:
            upload.withdraw(batch_id)
        except (upload.WithdrawRefused, audit.AuditLogError) as e:  # refused, or its entry cannot be written
            st.error(str(e))
            st.stop()
        del done[digest]
        st.session_state["withdrawn"] = (file.name, batch_id)
        st.rerun()
    st.stop()

with st.spinner(t("正在检查…", "Checking…")):
    staged = upload.stage(file.name, data, digest)
v = ingest_view.checked(staged, lang)
for kind, headline, table in ingest_view.review(staged, lang):  # warnings and new metrics, beside the problems
    (st.warning if kind == "warning" else st.info)(headline)
    st.dataframe(table, hide_index=True, width="stretch")

if not v["ok"]:
    superseded = upload.supersede_box(staged, digest, lang)  # projects already imported: offer to supersede them
    if superseded:
        done[digest] = (superseded.id, dict(superseded.rows))
        st.rerun()
    if superseded is not None:
        st.stop()
    st.error(v["headline"])
    st.dataframe(v["table"], hide_index=True, width="stretch",
                 column_config={k: (st.column_config.NumberColumn(t(zh, en), format="%d") if k == "row"
                                    else st.column_config.TextColumn(t(zh, en), width="large" if k == "message"
                                                                     else None))
                                for k, zh, en in ingest_view.PROBLEM_COLUMNS})
    st.download_button(t("⬇️ 下载问题清单（CSV）", "⬇️ Download the problems (CSV)"), data=v["csv"],
                       file_name=v["csv_name"], mime="text/csv", key="problems_csv",
                       on_click=audit.on_download("problems_csv", file=v["csv_name"]))  # logged when clicked
    st.stop()

st.success(v["success"])
if v["not_real"]:
    st.warning(v["not_real"])
for title, preview, note in v["previews"]:
    with st.expander(title):
        st.dataframe(preview, hide_index=True, width="stretch")
        if note:
            st.caption(note)

writable = upload.lake_writable()
if not writable:
    st.warning(ingest_view.read_only(str(state.data_dir()), lang))
if st.button(t("确认导入", "Import"), type="primary", disabled=not writable, key="commit"):
    try:
        batch = upload.commit(staged)
    except upload.ImportRefused as e:  # the lake changed since the check (another batch took the same keys)
        st.error(ingest_view.problems_headline(e.problems, lang))
        st.dataframe(ingest_view.problem_table(e.problems, lang), hide_index=True, width="stretch")
        st.stop()
    except audit.AuditLogError as e:  # no entry in the audit log, no import (or none reported done)
        st.error(str(e))
        st.stop()
    done[digest] = (batch.id, dict(batch.rows))
    st.rerun()
