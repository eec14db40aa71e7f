"""The faces of the PPTX decks: every run, default run and chart text names its latin, East-Asian and
complex-script face (`set_faces`, `apply_fonts`), and the theme's fonts are set too (`theme_fonts`).

python-pptx writes only a run's latin face; PowerPoint, WPS and LibreOffice then choose the face for
Chinese characters from the theme's East-Asian font, which in python-pptx's default template is empty, with
a Japanese face (ＭＳ Ｐゴシック) first in the script list — Chinese came out in a Japanese face. Every run,
default run and chart text here therefore names its latin, East-Asian (``a:ea``) and complex-script
(``a:cs``) face explicitly, and the theme's East-Asian font is set too (for text a person adds later).
The face is Microsoft YaHei (微软雅黑): on every Chinese Windows since Vista and installed with Office, so
PowerPoint and WPS on the police's Windows desktops have it. ``charset="-122"`` (GB2312, 134 as a signed
byte) and the face's PANOSE tell a viewer without it (WPS or LibreOffice on 麒麟 / 统信 UOS) that the text is
Simplified Chinese, so it substitutes a Simplified Chinese face (Noto Sans CJK SC / 思源黑体 there), not a
Japanese one; each run's ``lang`` (zh-CN) says the same.
"""
from __future__ import annotations

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from perfeval.decks.fitting import has_cjk

FONT = "Microsoft YaHei"            # 微软雅黑 (see the module's docstring)
FONT_PANOSE = "020B0503020204020204"
FONT_CHARSET = "-122"               # GB2312_CHARSET (134) as a signed byte
FONT_PITCH = "34"                   # variable pitch, swiss family


_AFTER_FACES = {qn("a:sym"), qn("a:hlinkClick"), qn("a:hlinkMouseOver"), qn("a:rtl"), qn("a:extLst")}
_FACES = (qn("a:latin"), qn("a:ea"), qn("a:cs"))


def set_faces(rpr, lang: str | None = None) -> None:
    """Name the latin, East-Asian and complex-script face on one ``a:rPr`` / ``a:defRPr`` / ``a:endParaRPr``
    (in the schema's order: after fill and underline, before sym / hyperlinks)."""
    for child in list(rpr):
        if child.tag in _FACES:
            rpr.remove(child)
    anchor = next((i for i, child in enumerate(rpr) if child.tag in _AFTER_FACES), len(rpr))
    for offset, tag in enumerate(("a:latin", "a:ea", "a:cs")):
        el = etree.Element(qn(tag), typeface=FONT, panose=FONT_PANOSE, pitchFamily=FONT_PITCH,
                           charset=FONT_CHARSET)
        rpr.insert(anchor + offset, el)
    if lang:
        rpr.set("lang", lang)
        if lang != "zh-CN":
            rpr.set("altLang", "zh-CN")


def apply_fonts(element, lang: str) -> None:
    """Every run, default run and end-of-paragraph run under ``element`` gets the faces (runs without
    properties get them); ``lang`` is the deck's, zh-CN for a run holding Chinese."""
    tag_lang = "zh-CN" if lang == "zh" else "en-US"
    for r in element.iter(qn("a:r")):
        rpr = r.find(qn("a:rPr"))
        if rpr is None:
            rpr = etree.Element(qn("a:rPr"))
            r.insert(0, rpr)
        t = r.find(qn("a:t"))
        text = t.text if t is not None and t.text else ""
        set_faces(rpr, "zh-CN" if has_cjk(text) else tag_lang)
    for tag in ("a:defRPr", "a:endParaRPr"):
        for rpr in element.iter(qn(tag)):
            set_faces(rpr, tag_lang)


def theme_fonts(prs) -> None:
    """The theme's East-Asian font (majorFont / minorFont) and its Simplified Chinese script entry."""
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for scheme in ("a:majorFont", "a:minorFont"):
        for font in root.iter(qn(scheme)):
            for tag in ("a:latin", "a:ea"):
                el = font.find(qn(tag))
                if el is not None:
                    el.set("typeface", FONT)
                    el.set("panose", FONT_PANOSE)
                    el.set("pitchFamily", FONT_PITCH)
                    el.set("charset", FONT_CHARSET)
            for el in font.findall(qn("a:font")):
                if el.get("script") == "Hans":
                    el.set("typeface", "微软雅黑")
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
