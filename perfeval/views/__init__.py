"""Page models: what each page draws, as pure functions (no ``streamlit`` import).

One module per page (``views/overview.py`` for ``app_pages/overview.py`` …). A page model is a function

    build(q, *, lang, ..., **choices) -> dict | dataclass

- ``q(name, **params) -> DataFrame`` runs ``queries/<name>.sql`` through the data gate, already bound to the
  viewer's scope and the lake's version (the page passes nothing of who asks: ``perfeval.ui.state.model``
  binds it). A model reads data only through ``q``.
- Everything else it reads is an explicit keyword argument: the language, the sidebar's `Filters`, the
  page's widget choices, and a `Links` for the links it puts in tables (the URL's global parameters).
  Nothing is read from a module global, the session or the URL.
- It returns what the page draws: DataFrames ready to show (formatted texts, link columns), figure specs
  (``perfeval.charts.base.spec``: the JSON the browser draws), texts and captions (language applied), and
  the options of the page's widgets. It draws nothing.

``perfeval.ui.state.model(build, **kwargs)`` caches a model's result with ``st.cache_data`` on exactly its
arguments plus the viewer's scope, the lake and its version: a rerun, or another viewer with the same scope
and choices, takes it from the cache, and nothing a model reads can be left out of the key.
"""
