-- Grain: one row per top-level column stored in the lake's Parquet files, in file order, with the
-- type that Athena engine v3, Glue and Spark should declare for it. Reads: the footers of {{files}}
-- only (parquet_schema and DESCRIBE, no data pages). Makes: nothing (a report); `problem` is set for
-- a column that those engines cannot read exactly (a leaf anywhere inside it), or whose type differs
-- between files. No DDL is written then. A nested column (alerts' LIST of STRUCT) has athena_type
-- NULL and its DuckDB type in duckdb_type; the caller spells it as array<struct<…>>.
WITH nodes AS (
  -- parquet_schema lists each file's schema tree in pre-order, column_id 0 the root.
  SELECT file_name, column_id, name, type AS physical_type, converted_type, logical_type, duckdb_type,
         coalesce(num_children, 0) AS num_children
  FROM parquet_schema({{files}})
),
balance AS (
  -- In pre-order, a subtree's (children - 1) sum to -1; so a node is a child of the root (a
  -- top-level column) exactly when the running sum before it reaches a new minimum.
  SELECT
    *,
    sum_so_far - (num_children - 1) AS before,
    min(sum_so_far) OVER (
      PARTITION BY file_name ORDER BY column_id ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING
    ) AS low
  FROM (
    SELECT *, sum(num_children - 1) OVER (PARTITION BY file_name ORDER BY column_id) AS sum_so_far
    FROM nodes
  )
),
placed AS (
  SELECT
    *,
    column_id > 0 AND (low IS NULL OR before < low) AS top_level
  FROM balance
),
leaves AS (
  -- Every node with its top-level column (the last top-level node at or before it).
  SELECT
    *,
    max(CASE WHEN top_level THEN column_id END) OVER (PARTITION BY file_name ORDER BY column_id ROWS UNBOUNDED PRECEDING) AS top_id
  FROM placed
  WHERE column_id > 0
),
typed AS (
  SELECT
    *,
    CASE
      WHEN num_children > 0 THEN NULL
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
      WHEN duckdb_type = 'TIMESTAMP_NS' OR logical_type LIKE '%NANOS=NanoSeconds%'
        THEN 'a nanosecond timestamp: Athena engine v3 and Spark read INT64 microsecond timestamps'
      WHEN duckdb_type IN ('UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT')
        THEN 'an unsigned integer: Athena and Spark have no unsigned types'
    END AS type_problem,
    physical_type || coalesce(' ' || converted_type, '')
      || CASE WHEN logical_type LIKE '%isAdjustedToUTC=1%' THEN ' (UTC)' ELSE '' END AS parquet_type
  FROM leaves
),
per_file AS (
  -- One row per top-level column per file: a flat column's own mapping, or a nested column's
  -- leaves (their types as a signature, to compare files, and the first problem of any leaf).
  SELECT
    file_name,
    top_id AS column_id,
    any_value(name) FILTER (WHERE column_id = top_id) AS name,
    bool_or(num_children > 0) AS nested,
    any_value(duckdb_type) FILTER (WHERE column_id = top_id) AS duckdb_type,
    any_value(parquet_type) FILTER (WHERE column_id = top_id) AS parquet_type,
    any_value(athena_type) FILTER (WHERE column_id = top_id) AS athena_type,
    string_agg(name || ' ' || coalesce(duckdb_type, converted_type, '-'), ', ' ORDER BY column_id) AS signature,
    any_value(type_problem) FILTER (WHERE type_problem IS NOT NULL) AS type_problem
  FROM typed
  GROUP BY file_name, top_id
),
unified AS (
  -- The DuckDB type of every top-level column across the files (a nested one spelled in full).
  SELECT column_name, column_type
  FROM (DESCRIBE SELECT * FROM read_parquet({{files}}, hive_partitioning = false, union_by_name = true))
),
per_column AS (
  SELECT
    name,
    min(column_id) AS position,
    count(DISTINCT file_name) AS files,
    bool_or(nested) AS nested,
    string_agg(DISTINCT CASE WHEN nested THEN 'nested' ELSE duckdb_type END, ' / ') AS duckdb_type,
    string_agg(DISTINCT CASE WHEN nested THEN 'nested' ELSE parquet_type END, ' / ') AS parquet_type,
    string_agg(DISTINCT CASE WHEN nested THEN 'nested' ELSE coalesce(athena_type, '?') END, ' / ') AS athena_type,
    count(DISTINCT CASE WHEN nested THEN signature ELSE coalesce(athena_type, duckdb_type) END) AS variants,
    string_agg(DISTINCT CASE WHEN nested THEN signature ELSE duckdb_type END, ' / ') AS described,
    any_value(type_problem) FILTER (WHERE type_problem IS NOT NULL) AS type_problem
  FROM per_file
  GROUP BY name
)
SELECT
  c.name,
  c.position,
  c.files,
  CASE WHEN c.nested THEN u.column_type ELSE c.duckdb_type END AS duckdb_type,
  CASE WHEN c.nested THEN 'group' ELSE c.parquet_type END AS parquet_type,
  CASE WHEN c.nested THEN NULL ELSE c.athena_type END AS athena_type,
  c.nested,
  CASE
    WHEN lower(c.name) IN ('year', 'month', 'day')
      THEN 'a partition column stored inside the files: year, month and day belong in the path only'
    WHEN c.type_problem IS NOT NULL THEN c.type_problem
    WHEN c.variants > 1 THEN 'of a type that differs between files (' || c.described || ')'
    WHEN NOT c.nested AND c.athena_type = '?' THEN 'DuckDB type ' || c.duckdb_type || ' has no Athena equivalent here'
  END AS problem
FROM per_column AS c
LEFT JOIN unified AS u ON u.column_name = c.name
ORDER BY c.position, c.name;
