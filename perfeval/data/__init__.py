"""The data layer: the tables (``schema``), the lake of CSV/Parquet files (``lake``), the one data gate every read
passes through with the viewer's scope (``gate``), checking files (``validation/``), a person's data in as
batches (``imports/``), ``compact``, the demonstration portfolio (``demo/``) and the generated data dictionary
(``dictionary``). No rule of the evaluation here: that is domain/."""
