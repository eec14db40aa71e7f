"""The overview's score-against-execution chart at any number of projects."""
import pandas as pd


def test_scatter_of_many_projects_sends_counts_per_cell_and_counts_the_missing():
    import numpy as np

    from perfeval.charts import base as charts
    from perfeval.text.i18n import Translator

    n = charts.DOTS_MAX + 100
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"reported_total_score": rng.uniform(60, 100, n), "execution_rate": rng.uniform(0.5, 1.1, n),
                       "reported_grade": ["良"] * n, "short_name": [f"P{i}" for i in range(n)],
                       "name": [f"项目{i}" for i in range(n)]})
    df.loc[:24, "execution_rate"] = None  # 25 projects without a rate
    fig = charts.score_vs_execution(df, Translator())
    (trace,) = fig.data
    assert trace.type == "heatmap"
    z = np.array(trace.z, dtype=float)
    assert np.nansum(z) == n - 25          # every project with both figures is in one cell
    assert z.size == 40 * 30               # the browser gets the cells, not the projects
    title = fig.layout.title.text
    assert f"{n - 25:,} 个项目" in title and "P0、P1" in title and "P10" not in title and "等 25 个" in title
    small = charts.score_vs_execution(df.head(charts.DOTS_MAX), Translator())
    assert {tr.type for tr in small.data} == {"scatter"}
