"""Text measuring and fitting for the PPTX decks: how wide a text is (`text_width`), how many lines it takes
in a box (`lines_needed`), and text cut with "…" to one line (`clip`), to some lines (`fit_lines`), or a
box's paragraphs fitted to its height (`fit_paragraphs`). Widths and heights in points.

python-pptx cannot measure text, so widths are estimated conservatively (a CJK character one em, a Latin
letter or digit about 0.6 em, 10 % more in bold; YaHei's Latin letters and digits are narrower) and text is
cut with "…" to the lines its box holds. Paragraphs get an exact line spacing (`LINE`, 1.3 em), so a box's
height is known whatever face a viewer substitutes; table cells are kept to one line, so rows never grow past
the slide.
"""
from __future__ import annotations

import re
import unicodedata

LINE = 1.3  # exact line spacing, in ems

_NARROW = {".": 0.36, ",": 0.36, ":": 0.36, ";": 0.36, "'": 0.3, "|": 0.3, "!": 0.32, "i": 0.3, "l": 0.3,
           "j": 0.3, "%": 0.9, "W": 0.95, "M": 0.9, "m": 0.9, "w": 0.8, "—": 1.0, "…": 1.0}


def _char_em(c: str) -> float:
    if unicodedata.east_asian_width(c) in ("W", "F"):
        return 1.0
    if c == " ":
        return 0.3
    if c in _NARROW:
        return _NARROW[c]
    if c.isupper():
        return 0.72
    if c.isdigit():
        return 0.64
    return 0.62


def _is_wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in ("W", "F")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width of ``text`` in points at ``size`` pt (conservative: rather too wide than too narrow).
    A quarter em is added where Chinese meets a Latin letter or digit: PowerPoint, WPS and LibreOffice space
    them apart (autospace)."""
    text = str(text)
    em = sum(_char_em(c) for c in text)
    em += 0.25 * sum(1 for a, b in zip(text, text[1:])
                     if _is_wide(a) != _is_wide(b) and not a.isspace() and not b.isspace()
                     and (a.isalnum() or b.isalnum()))
    return em * size * (1.1 if bold else 1.0)


def clip(text, width: float, size: float, bold: bool = False) -> str:
    """``text`` cut with "…" so that it fits ``width`` points on one line."""
    text = "" if text is None else str(text).replace("\n", " ")
    if text_width(text, size, bold) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + "…", size, bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip(" ，,、；;：:（(") + "…"


_TOKEN = re.compile(r"[A-Za-z0-9%.,:;!?()'\"/+\-–—]+ ?|\s|.", re.S)


def lines_needed(text: str, width: float, size: float, bold: bool = False) -> int:
    """Estimated number of lines ``text`` takes in a box ``width`` points wide (Latin words kept whole, CJK
    broken anywhere; explicit newlines count)."""
    total = 0
    for para in str(text).split("\n"):
        lines, used = 1, 0.0
        for tok in _TOKEN.findall(para):
            w = text_width(tok, size, bold)
            if used + w > width and used > 0:
                lines += 1
                used = text_width(tok.lstrip(), size, bold)
            else:
                used += w
            while used > width:  # a word longer than the line breaks inside it
                lines += 1
                used -= width
        total += lines
    return total


def fit_lines(text, width: float, size: float, max_lines: int, bold: bool = False) -> str:
    """``text`` cut with "…" so that it takes at most ``max_lines`` lines of ``width`` points."""
    text = "" if text is None else str(text)
    if lines_needed(text, width, size, bold) <= max_lines:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if lines_needed(text[:mid].rstrip() + "…", width, size, bold) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip(" ，,、；;：:（(") + "…"


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a wide (CJK) character."""
    return any(unicodedata.east_asian_width(c) in ("W", "F") for c in str(text))


def fit_paragraphs(paras: list[list[tuple[str, bool, str]]], width: float, height: float, size: float,
                   min_size: float, space_after: float):
    """(font size, paragraphs) such that the paragraphs fit ``width`` × ``height`` points: shrink the font
    down to ``min_size``, then cut the paragraphs that do not fit to the lines left."""
    def height_of(ps, sz):
        lines = sum(lines_needed("".join(t for t, _, _ in runs), width, sz,
                                 any(b for _, b, _ in runs)) for runs in ps)
        return lines * sz * LINE + max(0, len(ps) - 1) * sz * space_after

    sz = size
    while sz > min_size and height_of(paras, sz) > height:
        sz -= 1
    if height_of(paras, sz) <= height:
        return sz, paras
    out: list = []
    used = 0.0
    line_h = sz * LINE
    for runs in paras:
        text = "".join(t for t, _, _ in runs)
        bold = any(b for _, b, _ in runs)
        need = lines_needed(text, width, sz, bold) * line_h
        gap = sz * space_after if out else 0
        if used + gap + need <= height:
            out.append(runs)
            used += gap + need
            continue
        left = int((height - used - gap) // line_h)
        if left >= 1:
            out.append(_cut_runs(runs, width, sz, left))
        elif out:
            out[-1] = _cut_runs(out[-1], width, sz, max(1, lines_needed(
                "".join(t for t, _, _ in out[-1]), width, sz) - 1))
        break
    return sz, out


def _cut_runs(runs, width: float, size: float, lines: int):
    """A paragraph of runs cut with "…" to ``lines`` lines."""
    whole = "".join(t for t, _, _ in runs)
    cut = fit_lines(whole, width, size, lines, any(b for _, b, _ in runs))
    if cut == whole:
        return runs
    keep = len(cut) - 1  # characters kept before the "…"
    out = []
    for text, b, c in runs:
        if keep <= 0:
            break
        out.append((text[:keep], b, c))
        keep -= len(text)
    last_t, last_b, last_c = out[-1]
    out[-1] = (last_t.rstrip(" ，,、；;：:") + "…", last_b, last_c)
    return out
