"""Draws the budget page's payments by status (paid / pending / 未披露) and by fund source
(perfeval.views.payments). Streamlit only; the page model made every text."""
from __future__ import annotations

import streamlit as st

from perfeval.ui import common, state
from perfeval.views import payments


def draw(project_id: str | None) -> None:
    """The section for ``project_id`` (None: every project the sidebar's filters select)."""
    t = state.tr()
    v = state.model(payments.build, filters=state.filters(), lang=state.lang(), project_id=project_id)
    st.subheader(t("支付状态与资金来源", "Payments by status and fund source"))
    if v["info"]:
        st.info(v["info"])
        return
    c1, c2 = st.columns([2, 3])
    with c1:
        common.table(v["by_status"], key="pay_status", column_config={
            "status_s": t("支付状态", "Status"), "amount_s": t("金额（万元）", "Amount (10k CNY)"),
            "share_s": t("占比", "Share"), "lines": t("笔数", "Lines")})
    with c2:
        common.table(v["by_source"], key="pay_source", column_config={
            "source_s": t("资金来源", "Fund source"), "paid_s": t("已支付（万元）", "Paid"),
            "pending_s": t("待支付（万元）", "Pending"), "unknown_s": t("状态未披露（万元）", "Status not reported"),
            "total_s": t("合计（万元）", "Total")})
    st.caption(v["caption"])
