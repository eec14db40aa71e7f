"""What the commands share (perfeval.cli): the lake folder and the data gate from ``--data``, the command
line's scope, cells and rows as JSON, plain text tables aligned for CJK text, and validation problems printed
in Chinese and English."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import pathlib
import unicodedata

import pandas as pd

from perfeval import config
from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake


def data_path(value: str | None = None) -> pathlib.Path:
    """The lake folder: ``value`` (from --data), else $PERFEVAL_DATA, else the bundled data/."""
    return config.data_dir(value)


def gate(args: argparse.Namespace) -> DataGate:
    """The data gate over ``args.data``. The command line sees every region (and demo rows, marked
    by ``data_kind``)."""
    return DataGate(Lake(args.data))


def cli_scope(args: argparse.Namespace | None = None) -> Scope:
    """Every region; demo rows unless ``--no-demo`` (they are marked by ``data_kind`` anyway)."""
    return Scope.everything(include_demo=not getattr(args, "no_demo", False))


def jsonable(value):
    """A cell as JSON: dates ISO (2023-06-30), NaN / NA / NaT → None, numpy scalars → Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return float(f"{value:.12g}")  # 3715.2799999999997 (a float sum) → 3715.28
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "tolist"):
        return jsonable(value.tolist())
    return value


def records(df: pd.DataFrame) -> list[dict]:
    """Rows of ``df`` as JSON-ready dicts (see `jsonable`)."""
    cols = list(df.columns)
    return [{c: jsonable(v) for c, v in zip(cols, row)} for row in df.itertuples(index=False, name=None)]


def _width(text: str) -> int:
    """Columns a text takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    if limit <= 0 or _width(text) <= limit:
        return text
    out, w = "", 0
    for ch in text:
        cw = _width(ch)
        if w + cw > limit - 1:
            break
        out, w = out + ch, w + cw
    return out + "…"


def render_table(headers: list[str], rows: list[list[str]], max_width: int = 0,
                 right: set[int] = frozenset()) -> str:
    """A plain text table aligned for CJK text; ``right``: indexes of right-aligned columns."""
    rows = [[_clip(c, max_width) for c in r] for r in rows]
    headers = [_clip(h, max_width) for h in headers]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            pad = " " * (widths[i] - _width(c))
            out.append(pad + c if i in right else c + pad)
        return "  ".join(out).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep] + [line(r) for r in rows])


def print_problems(problems, limit: int = 0) -> None:
    """Each problems.Problem as ``location 值/value="…"`` and its Chinese and English message; at most
    ``limit`` of them (0 = all), then how many were left out."""
    shown = problems[:limit] if limit > 0 else problems
    for p in shown:
        value = "" if p.value is None else f" 值/value={json.dumps(p.value, ensure_ascii=False)}"
        print(f"{p.location()}{value}\n    {p.message_zh}\n    {p.message_en}")
    if len(shown) < len(problems):
        print(f"… 另有 {len(problems) - len(shown)} 个问题未列出 / {len(problems) - len(shown)} more not shown")
