"""绩效评价看板: a dashboard over the performance evaluations of public-security spending projects.

The package is layered; each sub-package may import only the ones below it (docs/architecture.md draws it,
tests/unit/test_layers.py holds it):

    config                 where things are (repository, queries, docs, the lake folder)
    data.schema            the lake's tables, declared once
    text                   formatting and the zh/en terms
    data                   the lake, the one data gate, validation, import, batches, compaction, demo data
    domain                 the evaluation's rules: scoring, audit, budget, outcomes, survey, compare, portfolio
    charts                 Plotly figure builders (DataFrame in, figure out)
    decks                  PPTX slide decks for review meetings
    views                  one page model per page: what the page draws, from queries (pure)
    ui, app.py, app_pages  Streamlit: widgets, caching, drawing
    cli                    the command line (argparse and printing only)
    pages                  the page registry
"""
