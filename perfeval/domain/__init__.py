"""The evaluation's own rules, as pure functions over rows and DataFrames (no Streamlit, no data access):
``scoring`` (rule types, the indicator tree, grades), ``audit`` (the consistency checks of a report's numbers),
``budget``, ``outcomes``, ``survey``, ``compare`` (percentiles, fences, like for like, 同比), ``portfolio``,
``regions`` and ``facts``."""
