"""The indicator table of a 项目支出绩效自评表 block (一级 / 二级 / 三级指标, 年度指标值, 实际完成值, 分值, 得分,
偏差原因分析及改进措施, 总分) as perfeval.data.imports.selfeval_form reads it: `read_indicators` adds to the block the
indicator nodes (codes 1, 1.1, 1.1.1 in the form's order; a 「产出指标（50分）」 label gives its node's 分值), one
target per 三级指标 row (perfeval.data.imports.selfeval_cells.measure; `comparable` keeps an actual's number only
where it compares with the target), the findings of the deviation column (the cause a problem, the measures a
recommendation) and the 总分 row's 分值 and 得分.
"""
from __future__ import annotations

import re

from perfeval.data.imports.selfeval_cells import Grid, Measure, column_letter, is_blank, measure, norm
from perfeval.data.imports.selfeval_layout import (
    Block,
    Finding,
    Node,
    Span,
    Target,
    Value,
    first_label,
    key_of,
    on_row,
    parse_value,
)
from perfeval.data.validation.problems import Problem

_NO_DEVIATION = {"无", "无偏差", "不适用", "已完成", "完成", "达到预期", "无差异", "正常", "按计划完成", "未发生偏差"}
_MEASURES = re.compile(r"(?:改进措施|整改措施|下一步|改进建议)[:：]?")
_RECOMMEND = re.compile(r"^(?:建议|加强|进一步|下一步|将|继续|持续|今后|拟)")


def read_indicators(grid: Grid, span: Span, b: Block, file: str, problems: list[Problem]) -> None:
    at = first_label(span, "l1")
    if at is None:
        return
    h = at[0]
    cols = {k: on_row(span, k, h) for k in ("l1", "l2", "l3", "target", "actual", "weight", "score", "deviation")}
    total = first_label(span, "total", h)
    end = total[0] if total else span.last + 1
    l1s: dict[str, str] = {}
    l2s: dict[tuple[str, str], str] = {}
    order = len(b.indicators)

    def text(r, key):
        c = cols[key]
        return grid.text(r, c).strip() if c is not None and (r, c) in grid.values else ""

    last1 = last2 = ""
    for r in range(h + 1, end):
        n1, n2 = _indicator_name(text(r, "l1")), _indicator_name(text(r, "l2"))
        n3 = _indicator_name(re.sub(r"^指标\s*\d+\s*[:：]\s*", "", text(r, "l3")))
        if re.fullmatch(r"\s*(?:…+|\.{3,}|。{3,})\s*", text(r, "l3") or text(r, "l2") or text(r, "l1") or "-"):
            b.elided = True  # 「……」: the published form leaves rows out
        if any(key_of(norm(x)) in ("l1", "l2", "l3") for x in (n1, n2, n3) if x):
            continue
        # a table copied from a web page loses its merged cells: an empty 一级 / 二级 cell is the one above
        if not n1 and last1:
            n1, n2 = last1, n2 or last2
        last1, last2 = n1 or last1, n2 or last2
        tc, ac = cols["target"], cols["actual"]
        tv = grid.value(r, tc) if tc else None
        av = grid.value(r, ac) if ac else None
        w = parse_value(grid, r, cols["weight"], "score", "分值", file, problems) \
            if cols["weight"] and grid.is_first(r, cols["weight"]) else None
        s = parse_value(grid, r, cols["score"], "score", "得分", file, problems) \
            if cols["score"] and grid.is_first(r, cols["score"]) else None
        if not (n3 or not is_blank(tv) or not is_blank(av) or w or s):
            continue
        n1 = n1 or "（未写一级指标）"
        # the deepest level the row names is the node its 分值 / 得分 belong to (a row with its 一级指标 alone is a
        # level-1 leaf, as a budget row or a 满意度指标 row often is)
        level = 3 if n3 else 2 if n2 else 1
        where = f"{grid.sheet}!{column_letter(span.col)}{r}"

        def cell(key: str, r: int = r) -> str:
            return f"{grid.sheet}!{column_letter(cols[key])}{r}" if cols[key] else where

        def node(code, parent, lvl, raw_name, key):
            nonlocal order
            order += 1
            name, points = _points(raw_name, r, cols[key])
            own = lvl == level
            n = Node(code, parent, lvl, name, r, order, (w if own else None) or points, s if own else None,
                     where=cell(key))
            b.indicators.append(n)
            return n

        if n1 not in l1s:
            l1s[n1] = str(len(l1s) + 1)
            node(l1s[n1], None, 1, n1, "l1")
        elif level == 1:  # a second row naming the same 一级指标 alone: its figures, where the first gave none
            first = next(n for n in b.indicators if n.code == l1s[n1])
            first.weight, first.score = first.weight or w, first.score or s
        code, shown = l1s[n1], n1
        if level >= 2:
            n2 = n2 or n1
            if (n1, n2) not in l2s:
                l2s[(n1, n2)] = f"{l1s[n1]}.{sum(1 for k in l2s if k[0] == n1) + 1}"
                node(l2s[(n1, n2)], l1s[n1], 2, n2, "l2")
            code, shown = l2s[(n1, n2)], n2
        if level == 3:
            parent = code
            code = f"{parent}.{sum(1 for n in b.indicators if n.parent == parent) + 1}"
            node(code, parent, 3, n3, "l3")
            shown = n3
        n3 = _points(shown, r, 0)[0]
        category = "/".join(_points(x, r, 0)[0] for x in ((n1,) if level == 1 else (n1, n2)))
        if not is_blank(tv) or not is_blank(av):
            t = measure(tv) if not is_blank(tv) else None
            a = measure(av) if not is_blank(av) else None
            if t is not None and tc is not None and grid.is_percent(r, tc) and t.operator is None and t.value is not None:
                t = Measure(t.text, None, t.value, "%")
            b.targets.append(Target(n3, category, code, r, t,
                                    comparable(t, a), tc or 0, ac or 0,
                                    f"{cell('target')}（年度指标值）；{cell('actual')}（实际完成值）"))
        dc = cols["deviation"]
        if dc is not None and (r, dc) in grid.values and grid.is_first(r, dc):
            _deviation(grid.text(r, dc), code, n3, r, f"{grid.sheet}!{column_letter(dc)}{r}", b)
    if total is not None:
        tr = total[0]
        b.total_weight = parse_value(grid, tr, cols["weight"], "score", "分值", file, problems)
        b.total_score = parse_value(grid, tr, cols["score"], "score", "得分", file, problems)


_POINTS = re.compile(r"^(.*?)\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$")


def _indicator_name(text: str) -> str:
    """An indicator's name as written; '' for a placeholder row (……, 指标1：)."""
    s = text.strip()
    return "" if not re.sub(r"[.…。、\s]", "", s) else s


def _points(name: str, row: int, col: int) -> tuple[str, Value | None]:
    """「产出指标（50分）」 → (产出指标, 50 as the node's 分值); a name without points as it is."""
    m = _POINTS.match(name)
    if not m:
        return name, None
    return m.group(1), Value(float(m.group(2)), row, col, name)


def comparable(t: Measure | None, a: Measure | None) -> Measure | None:
    """The 实际完成值 with its number kept only where it compares with the 年度指标值: a bare number against a
    % target is a percentage (96 → 0.96); 是 / 完成 only against a yes/no target; another unit than the
    target's keeps the text alone."""
    if a is None or a.value is None or t is None or t.value is None:
        return a
    yes_no = a.operator == "=" and a.unit == "" and a.value in (0.0, 1.0) and not re.search(r"\d", a.text)
    if yes_no:
        return a if t.unit == "" and t.operator == "=" and t.value in (0.0, 1.0) else Measure(a.text)
    if t.unit == "%" and a.unit == "":
        return Measure(a.text, a.operator, round(a.value / 100, 10) if a.value > 1.5 else a.value, "%")
    if a.unit and t.unit and a.unit != t.unit:
        return Measure(a.text)
    return a


def _deviation(text: str, code: str, name: str, row: int, where: str, b: Block) -> None:
    s = text.strip()
    if norm(s) in _NO_DEVIATION or is_blank(s):
        return
    pieces = _MEASURES.split(s, maxsplit=1)
    cause = re.sub(r"^(?:偏差原因(?:分析)?)[:：]?", "", pieces[0]).strip(" ；;。\n")
    remedy = pieces[1].strip(" ；;。\n") if len(pieces) > 1 else ""
    if cause and not remedy and _RECOMMEND.match(cause):
        cause, remedy = "", cause
    for kind, body in (("problem", cause), ("recommendation", remedy)):
        if body and norm(body) not in _NO_DEVIATION:
            title = re.split(r"[，。；;,\n]", body, maxsplit=1)[0][:40]
            b.findings.append(Finding(kind, f"{name}：{title}", body, code, row, where))
