-- Grain: one row per column stored in the lake's Parquet files, in file order, with the type that
-- Athena engine v3, Glue and Spark should declare for it. Reads: the footers of {{files}} only
-- (parquet_schema, no data pages). Makes: nothing (a report); `problem` is set for a column that
-- those engines cannot read exactly, or whose type differs between files. No DDL is written then.
WITH leaves AS (
  -- column_id 0 is the schema root; nested groups (num_children > 0) are not in the lake's schema.
  SELECT file_name, column_id, name, type AS physical_type, converted_type, logical_type, duckdb_type, num_children
  FROM parquet_schema({{files}})
  WHERE column_id > 0
),
typed AS (
  SELECT
    *,
    CASE
      WHEN coalesce(num_children, 0) > 0 THEN NULL
      WHEN duckdb_type IN ('TIMESTAMP WITH TIME ZONE', 'TIMESTAMP', 'TIMESTAMP_MS') THEN 'timestamp'
      WHEN duckdb_type = 'DOUBLE' THEN 'double'
      WHEN duckdb_type = 'FLOAT' THEN 'float'
      WHEN duckdb_type = 'BIGINT' THEN 'bigint'
      WHEN duckdb_type = 'INTEGER' THEN 'int'
      WHEN duckdb_type = 'SMALLINT' THEN 'smallint'
      WHEN duckdb_type = 'TINYINT' THEN 'tinyint'
      WHEN duckdb_type = 'BOOLEAN' THEN 'boolean'
      WHEN duckdb_type = 'VARCHAR' THEN 'string'
      WHEN duckdb_type = 'DATE' THEN 'date'
      WHEN duckdb_type = 'BLOB' THEN 'binary'
      WHEN regexp_full_match(duckdb_type, 'DECIMAL\(\d+,\d+\)') THEN lower(duckdb_type)
    END AS athena_type,
    CASE
      WHEN coalesce(num_children, 0) > 0 THEN 'a nested column: rtlake maps flat columns only'
      WHEN duckdb_type = 'TIMESTAMP_NS' OR logical_type LIKE '%NANOS=NanoSeconds%'
        THEN 'a nanosecond timestamp: Athena engine v3 and Spark read INT64 microsecond timestamps'
      WHEN duckdb_type IN ('UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT')
        THEN 'an unsigned integer: Athena and Spark have no unsigned types'
    END AS type_problem,
    physical_type || coalesce(' ' || converted_type, '')
      || CASE WHEN logical_type LIKE '%isAdjustedToUTC=1%' THEN ' (UTC)' ELSE '' END AS parquet_type
  FROM leaves
),
per_column AS (
  SELECT
    name,
    min(column_id) AS position,
    count(DISTINCT file_name) AS files,
    string_agg(DISTINCT duckdb_type, ' / ' ORDER BY duckdb_type) AS duckdb_type,
    string_agg(DISTINCT parquet_type, ' / ' ORDER BY parquet_type) AS parquet_type,
    string_agg(DISTINCT coalesce(athena_type, '?'), ' / ' ORDER BY coalesce(athena_type, '?')) AS athena_type,
    count(DISTINCT coalesce(athena_type, duckdb_type)) AS variants,
    any_value(type_problem) FILTER (WHERE type_problem IS NOT NULL) AS type_problem
  FROM typed
  GROUP BY name
)
SELECT
  name,
  position,
  files,
  duckdb_type,
  parquet_type,
  athena_type,
  CASE
    WHEN lower(name) IN ('year', 'month', 'day')
      THEN 'a partition column stored inside the files: year, month and day belong in the path only'
    WHEN type_problem IS NOT NULL THEN type_problem
    WHEN variants > 1 THEN 'its type differs between files (' || duckdb_type || ')'
    WHEN athena_type = '?' THEN 'DuckDB type ' || duckdb_type || ' has no Athena equivalent here'
  END AS problem
FROM per_column
ORDER BY position, name;
