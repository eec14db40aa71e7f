"""Streamlit only: the session's state and caches (``state``: the data gate, the viewer's scope, `state.model`
for page models, `state.query`), the sidebar, the chart component (``plot``), page headers and KPI rows
(``common``), the project pickers, the deep-link widgets, the upload and the deck buttons. No SQL, no rules, no
reshaping of data: that is views/ and domain/."""
