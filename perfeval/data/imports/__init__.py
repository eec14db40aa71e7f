"""A person's data into the lake as batches: ``reading`` (an uploaded workbook, CSV or Parquet file, header
names), ``staging`` (checked against the schema and the lake, nothing written), ``ingest`` (committing a batch),
``folders`` (the imports/ folder, batch ids, the lock), ``batches`` (listing and withdrawing) and ``template``
(the Excel workbook to fill in)."""
