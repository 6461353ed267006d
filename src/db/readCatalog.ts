import type { DuckDBConnection } from '@duckdb/node-api';

export interface CatalogRelation {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: { name: string; type: string }[];
}

/** Tables and views (not DuckDB's own) with their columns, from duckdb_columns(). */
export async function readCatalog(connection: DuckDBConnection): Promise<CatalogRelation[]> {
  const reader = await connection.runAndReadAll(`
    SELECT c.schema_name, c.table_name, CASE WHEN v.view_name IS NULL THEN 'table' ELSE 'view' END AS kind,
           c.column_name, c.data_type
    FROM duckdb_columns() AS c
    LEFT JOIN duckdb_views() AS v ON v.database_name = c.database_name AND v.schema_name = c.schema_name AND v.view_name = c.table_name
    WHERE NOT c.internal AND c.database_name <> 'system'
    ORDER BY c.database_name, c.schema_name, c.table_name, c.column_index`);
  const out: CatalogRelation[] = [];
  for (const [schema, name, kind, column, type] of reader.getRows() as [
    string,
    string,
    string,
    string,
    string,
  ][]) {
    let last = out[out.length - 1];
    if (!last || last.schema !== schema || last.name !== name) {
      last = { schema, name, kind: kind as 'table' | 'view', columns: [] };
      out.push(last);
    }
    last.columns.push({ name: column, type });
  }
  return out;
}
