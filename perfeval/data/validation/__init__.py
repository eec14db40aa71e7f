"""Checking data files against perfeval.data.schema, in Chinese and English, naming file, sheet, row, column and
value: ``problems`` (Problem and the message catalogue), ``files`` (decoding and reading CSV/Parquet, which table
a file is), ``checks`` (one file's header and cells), ``cross`` (keys and references across tables, the rules of
single tables) and ``validate`` (a file, a folder or a whole lake: the entry points)."""
