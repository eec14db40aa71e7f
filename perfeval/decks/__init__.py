"""Slide decks (PPTX) for review meetings: ``portfolio`` (the overview's ten slides), ``project`` (one project's),
``common`` (what both share: file name, MIME type, badges, filters in words, title slide, notes), ``slides``
(the building blocks: a 16:9 deck, text boxes, cards, tables, native charts), ``fonts`` (the faces every run
names) and ``fitting`` (text measured and cut to fit its box)."""
