-- The articles dataset as a DuckDB view. {root} is replaced by the output root; the date column
-- comes from the date=YYYY-MM-DD/ folder names (Hive partitioning).
CREATE OR REPLACE VIEW articles AS
SELECT * FROM read_parquet('{root}/articles/**/*.parquet', hive_partitioning = true, union_by_name = true);
