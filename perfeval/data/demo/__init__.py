"""The demonstration portfolio of a fictional city (docs/demo-data.md): ``portfolio`` (generate and write the
Parquet files, the planted findings), ``places`` (the places and the seeded generator's helpers), ``rows`` (what
every project adds), ``team``, ``tech`` and ``build`` (each kind of project)."""
