"""The data layer: the tables (``schema``), the lake of CSV/Parquet files (``lake``), the one data gate every read
passes through with the viewer's scope (``gate``), the checks of a file (``validate``, ``problems``, ``checks``,
``cross``, ``files``), imports as batches (``ingest``, ``batches``), ``compact``, the demonstration portfolio
(``demo``) and the generated data dictionary (``dictionary``). No rule of the evaluation here: that is domain/."""
