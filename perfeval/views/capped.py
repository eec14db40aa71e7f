"""Tables over every selected project at national scale: how many rows a page lists, and the words that say
the list is cut. Pure functions (no Streamlit, no data access).

With no project picked, the budget, outcomes and satisfaction pages show the portfolio's totals over every
selected project (computed in SQL) and list the rows one by one only up to ``MAX_ROWS``; beyond that a table
holds the rows that need attention first (the page's query says which) and a caption says how many there
are in all and how to narrow the list. A selection that fits is listed in full, in the usual order.
"""
from __future__ import annotations

MAX_ROWS = 500   # rows a per-project table lists before it is capped


def is_capped(total, limit: int | None = None) -> bool:
    """True when ``total`` rows are more than a table lists (``limit``, default MAX_ROWS)."""
    return int(total or 0) > (MAX_ROWS if limit is None else limit)


def note(shown: int, total: int, noun_zh: str, noun_en: str, order_zh: str, order_en: str,
         lang: str = "zh") -> str:
    """The caption of a capped table: which rows it shows, how many there are, how to narrow the list.

    ``noun_zh`` carries its measure word ("个项目"), ``noun_en`` is plural ("projects"); ``order_zh`` /
    ``order_en`` say which rows come first ("预算执行率最低" / "the lowest execution rates").
    """
    if lang == "zh":
        return (f"表中为{order_zh}的 {shown:,} {noun_zh}（共 {total:,} {noun_zh}）；"
                "可用侧栏筛选条件或上方的项目选择缩小范围。")
    return (f"The table lists the {shown:,} {noun_en} with {order_en} (of {total:,} {noun_en}); "
            "narrow the list with the sidebar filters or by picking a project above.")
