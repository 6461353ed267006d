-- Grain: one row per column of every table and view the user can query (DuckDB's own excluded), in
-- column order. Reads: duckdb_columns(), duckdb_views(). Makes: the catalog pane and completion's names.
SELECT c.schema_name, c.table_name, CASE WHEN v.view_name IS NULL THEN 'table' ELSE 'view' END AS kind,
       c.column_name, c.data_type
FROM duckdb_columns() AS c
LEFT JOIN duckdb_views() AS v
  ON v.database_name = c.database_name AND v.schema_name = c.schema_name AND v.view_name = c.table_name
WHERE NOT c.internal AND c.database_name <> 'system'
ORDER BY c.database_name, c.schema_name, c.table_name, c.column_index
