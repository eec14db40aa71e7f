"""The data gate turns a query's Arrow result into pandas itself (perfeval.data.lake.arrow_to_pandas), faster than
DuckDB's ``.df()``; the frames must be the ones ``.df()`` gives: same column names, types and values.

Checked on literal results covering every type with and without NULLs (deterministic), and on every
query of queries/ over the bundled data and a generated bench lake, where the same Arrow result is
also converted by DuckDB (a second run could add floating-point sums in another order).
"""
from __future__ import annotations

import pathlib

import duckdb
import pandas as pd
import pytest

from bench.measure_queries import query_names, sample_params, variants
from perfeval.data.gate import DataGate, Scope, query_text
from perfeval.data.lake import Lake, arrow_to_pandas
from tests.conftest import DATA, ROOT

LITERALS = [
    "SELECT 1 AS a, 2 AS a, 3 AS A",
    "SELECT 'x' AS v, 1 AS n, DATE '2024-01-01' AS d WHERE false",
    "SELECT * FROM range(0) t(i)",
    "SELECT NULL::VARCHAR AS v, 'x' AS w, NULL::INT AS n, 1::TINYINT AS t, NULL::DATE AS d, DATE '2024-01-02' AS d2,"
    " 1.5::DECIMAL(10,2) AS dd, NULL::BOOLEAN AS b, true AS b2, NULL::DOUBLE AS f, NULL AS nothing",
    "SELECT * FROM (VALUES (1, 'a', true, DATE '2023-05-06', TIMESTAMP '2023-05-06 07:08:09', 2::BIGINT, 1.25),"
    " (NULL, NULL, NULL, NULL, NULL, NULL, NULL), (3, 'c', false, DATE '1999-12-31', NULL, 4, NULL))"
    " t(i, s, b, d, ts, big, f)",
    "SELECT [1, 2] AS l, {'x': 1} AS s, INTERVAL 1 day AS i, 3::HUGEINT AS h, 7 AS plain",
    "SELECT 'é中' AS s, -1::SMALLINT AS sm, 255::UTINYINT AS u, 12345678901234567890::UBIGINT AS ub",
]


@pytest.mark.parametrize("sql", LITERALS)
def test_literal_results_convert_as_duckdb_does(sql):
    con = duckdb.connect()
    pd.testing.assert_frame_equal(arrow_to_pandas(con.sql(sql).to_arrow_table()), con.sql(sql).df(),
                                  check_exact=True)


def _lakes():
    out = [DATA]
    bench = ROOT / "bench" / "lake" / "1000"
    if (bench / "lake").is_dir():
        out.append(bench)
    return out


@pytest.mark.parametrize("lake", _lakes(), ids=lambda p: p.name)
def test_every_query_gives_the_frame_duckdb_gives(lake: pathlib.Path):
    gate = DataGate(Lake(lake))
    sample = sample_params(lake)
    con = duckdb.connect()
    checked = 0
    for name in query_names():
        for label, params in variants(name, sample):
            cur, _ = gate._cursor(Scope.everything())
            try:
                table = cur.sql(query_text(name), params=params).to_arrow_table()
            finally:
                cur.close()
            pd.testing.assert_frame_equal(arrow_to_pandas(table), con.from_arrow(table).df(), check_exact=True,
                                          obj=label)
            checked += 1
    assert checked > len(query_names())


def test_the_gate_returns_the_converted_frame():
    gate = DataGate(Lake(DATA))
    df = gate.query("overview_projects", Scope.everything(), region=None, year_from=None, year_to=None,
                    category=None, evaluator_type=None)
    assert str(df["period_start"].dtype) == "datetime64[us]"
    n = gate.run_sql("SELECT count(*) AS n FROM projects", Scope.everything())["n"].iloc[0]
    assert len(df) == n and df["project_id"].is_unique
