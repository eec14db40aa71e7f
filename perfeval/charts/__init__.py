"""Plotly figure builders: DataFrame in, figure out, no Streamlit and no data access. ``base`` holds the layout,
fonts, colours and `base.spec` (a figure's JSON, what a page model returns); one module per page's charts."""
