"""预算执行 Budget's page model for the payments by status and by fund source (pure): how much of the payment
lines is paid, how much contracted and still pending, how much the report does not say, and from which fund
source. The budget page draws it with perfeval.ui.payments.

Amounts in 万元. A status or fund source the report leaves out reads 未披露 / not reported, never a guess.
"""
from __future__ import annotations

import pandas as pd

from perfeval.text import fmt
from perfeval.text.i18n import Translator
from perfeval.views.common import Filters

STATUS = {"paid": ("已支付", "paid"), "pending": ("待支付", "pending")}


def _status_label(status, lang: str) -> str:
    if fmt.is_missing(status):
        return fmt.not_reported(lang)
    zh, en = STATUS.get(str(status), (str(status), str(status)))
    return zh if lang == "zh" else en


def build(q, *, filters: Filters, lang: str, project_id: str | None = None) -> dict:
    """``by_status`` (status_s, amount_s, share_s, lines) and ``by_source`` (fund source, paid, pending, not
    reported, total: amounts as texts), ``caption`` (what the tables count); or ``info`` (no payment lines)."""
    t = Translator(lang)
    rows = q("payments_by_status", **filters.params(), project_id=project_id)
    if rows.empty:
        return {"info": t("报告未披露支付明细（未披露）。", "No payment lines reported (not reported)."),
                "by_status": None, "by_source": None, "caption": None}
    key = rows["status"].where(rows["status"].notna(), "")
    total = float(rows["amount"].sum())
    status = rows.assign(_key=key).groupby("_key", sort=False).agg(amount=("amount", "sum"),
                                                                   lines=("payment_lines", "sum")).reset_index()
    by_status = pd.DataFrame({
        "status_s": [_status_label(k or None, lang) for k in status["_key"]],
        "amount_s": fmt_numbers(status["amount"], lang),
        "share_s": [fmt.pct(a / total if total else None, lang, 1) for a in status["amount"]],
        "lines": [int(n) for n in status["lines"]],
    })
    source_key = rows["fund_source"].where(rows["fund_source"].notna(), "")
    wide = rows.assign(_src=source_key, _st=key).pivot_table(index="_src", columns="_st", values="amount",
                                                             aggfunc="sum", sort=False)
    wide = wide.reindex(columns=[c for c in ("paid", "pending", "") if c in wide.columns])
    by_source = pd.DataFrame({
        "source_s": [s if s else fmt.not_reported(lang) for s in wide.index],
        "paid_s": fmt_numbers(wide["paid"] if "paid" in wide else [None] * len(wide), lang),
        "pending_s": fmt_numbers(wide["pending"] if "pending" in wide else [None] * len(wide), lang),
        "unknown_s": fmt_numbers(wide[""] if "" in wide else [None] * len(wide), lang),
        "total_s": fmt_numbers(wide.sum(axis=1, min_count=1), lang),
    })
    n_lines = int(rows["payment_lines"].sum())
    caption = t(f"{n_lines} 笔支付，合计 {fmt.number(total, 2, lang)} 万元；“未披露”＝报告未写明支付状态或资金来源，"
                "不按已支付计。",
                f"{n_lines} payment lines, {fmt.number(total, 2, lang)} (10k CNY) in all; “not reported” = the report "
                "does not say the status or the fund source: not counted as paid.")
    return {"info": None, "by_status": by_status, "by_source": by_source, "caption": caption}


def fmt_numbers(values, lang: str) -> list[str]:
    """Amounts in 万元 as texts; "—" where there is no line (a fund source without a line of that status: none,
    not an undisclosed figure)."""
    return ["—" if fmt.is_missing(v) else fmt.number(v, 2, lang) for v in values]
