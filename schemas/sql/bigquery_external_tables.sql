-- BigQuery external tables over the same files (replace PROJECT, DATASET and BUCKET/ROOT).
-- The date column comes from the date=YYYY-MM-DD/ folders, as in DuckDB.
CREATE OR REPLACE EXTERNAL TABLE `PROJECT.DATASET.events`
WITH PARTITION COLUMNS (date DATE)
OPTIONS (
  format = 'PARQUET',
  uris = ['gs://BUCKET/ROOT/events/*'],
  hive_partition_uri_prefix = 'gs://BUCKET/ROOT/events'
);

CREATE OR REPLACE EXTERNAL TABLE `PROJECT.DATASET.conditions`
WITH PARTITION COLUMNS (date DATE)
OPTIONS (
  format = 'PARQUET',
  uris = ['gs://BUCKET/ROOT/conditions/*'],
  hive_partition_uri_prefix = 'gs://BUCKET/ROOT/conditions'
);

CREATE OR REPLACE EXTERNAL TABLE `PROJECT.DATASET.articles`
WITH PARTITION COLUMNS (date DATE)
OPTIONS (
  format = 'PARQUET',
  uris = ['gs://BUCKET/ROOT/articles/*'],
  hive_partition_uri_prefix = 'gs://BUCKET/ROOT/articles'
);

CREATE OR REPLACE EXTERNAL TABLE `PROJECT.DATASET.failures`
WITH PARTITION COLUMNS (date DATE)
OPTIONS (
  format = 'PARQUET',
  uris = ['gs://BUCKET/ROOT/failures/*'],
  hive_partition_uri_prefix = 'gs://BUCKET/ROOT/failures'
);
