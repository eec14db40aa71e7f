"""The data layer: the tables (``schema``), the lake of CSV/Parquet files (``lake``), the one data gate every read
passes through with the viewer's scope (``gate``), the checks of a file (``validate``, ``problems``, ``checks``,
``cross``, ``files``), imports as batches (``upload`` reads an upload, ``staging`` checks it against the lake,
``ingest`` commits it into the folder ``batch_folder`` describes, ``template`` is the workbook to fill in,
``batches`` lists and withdraws them), ``compact``, the demonstration portfolio (``demo``, built
by ``demo_places``, ``demo_rows``, ``demo_team``, ``demo_tech``, ``demo_build``) and the generated data dictionary
(``dictionary``). No rule of the evaluation here: that is domain/."""
