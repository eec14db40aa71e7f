"""审计日志 Audit log: who signed in (or failed to), viewed which page with which filters, imported, withdrew,
downloaded or ran which command, when, from where, and how it ended. For administrators only; read only:
the log is appended by the app and the command line and changed by nobody (perfeval.auth.audit_log).

The entries are read from the log's files on every run (perfeval.ui.audit.read: they are not the lake's
data, so not cached with it); the page model perfeval.views.audit_log makes the table.
"""
import datetime as dt

import streamlit as st

from perfeval.ui import audit, state
from perfeval.views import audit_log as audit_view

t = state.tr()
lang = state.lang()
state.write_url()

st.title(t("审计日志", "Audit log"))
if not audit.is_admin():
    st.error(t("仅管理员可查看审计日志。", "Only administrators can read the audit log."))
    st.stop()
st.caption(t("记录登录与登录失败、页面访问（含筛选条件）、导入、替换、撤回、恢复、下载与命令行调用：谁、角色、参数、行数、"
             "时间与客户端地址。日志只追加，任何人不能在此修改；文件：",
             "Sign-ins and failed sign-ins, page views (with their filters), imports, supersessions, "
             "withdrawals, restores, downloads and command-line calls: who, role, parameters, rows, time and "
             "client address. The log is only appended to; nobody can change it here. File: ")
           + f"`{audit.log_path()}`")

today = dt.datetime.now(dt.timezone.utc).date()
c1, c2, c3, c4 = st.columns([1, 1, 1, 2])
since = c1.date_input(t("起始日期（UTC）", "From (UTC)"), value=today - dt.timedelta(days=6), key="audit_since")
until = c2.date_input(t("截止日期（UTC）", "To (UTC)"), value=today, key="audit_until")
entries, damaged = audit.read(since, until)
opts = audit_view.options(entries, lang)
user = c3.selectbox(t("用户", "User"), [None, *opts["users"]], key="audit_user",
                    format_func=lambda u: t("全部", "All") if u is None else u)
actions = c4.multiselect(t("操作", "Actions"), list(opts["actions"]), key="audit_actions",
                         format_func=opts["actions"].__getitem__, placeholder=t("全部", "All"))

v = audit_view.table(entries, lang=lang, user=user, actions=tuple(actions))
warning = audit_view.damaged(damaged, lang)
if warning:
    st.warning(warning)
if v["table"].empty:
    st.info(v["empty"])
else:
    st.dataframe(v["table"], hide_index=True, width="stretch", column_config=v["columns"])
st.caption(v["caption"])
st.caption(t("命令行：python -m perfeval log --since 2026-12-01 --user <用户> --action import --json",
             "Command line: python -m perfeval log --since 2026-12-01 --user <user> --action import --json"))
