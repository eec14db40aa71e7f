"""Slide decks (PPTX) for review meetings: ``portfolio`` (the overview's ten slides), ``project`` (one project's),
``common`` (what both share: file name, MIME type, badges, filters in words, title slide, notes) and ``slides``
(the building blocks: a 16:9 deck, text boxes, tables, native charts, fonts and fitting)."""
