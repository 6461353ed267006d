import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeQueryError, interruptQueries, isInterrupted } from '../db/interruptible.js';
import { exportQuery, type ExportFormat } from '../db/exportQuery.js';
import { openQueryPage, type QueryCursor, type QueryPage } from '../db/queryPage.js';
import { readCatalog, type CatalogRelation } from '../db/readCatalog.js';

/**
 * What the workbench needs from DuckDB, as a handful of calls. User queries run on the main
 * connection (which holds the open stream for fetch-more); the catalog, exports and the dedupe
 * panel run on a second connection so they never close that stream.
 */
export interface WorkbenchBackend {
  /** One line saying what is open. */
  description: string;
  /** Relations the workspace made, in the order the catalog shows them first. */
  relations: string[];
  /** duplicate_groups exists (raw sources were loaded). */
  hasDuplicateGroups: boolean;
  /** How the kept row of a duplicate group is chosen, in words. */
  ruleText: string;
  open(sql: string, limit: number): Promise<QueryCursor>;
  /** Reads the first `limit` rows of a query on the side connection. */
  peek(sql: string, limit: number): Promise<QueryPage>;
  catalog(): Promise<CatalogRelation[]>;
  exportResult(sql: string, format: ExportFormat): Promise<{ file: string; rows: number }>;
  cancel(): void;
  isInterrupted(err: unknown): boolean;
  describeError(err: unknown): string;
}

/** rtlake-export-20240105-143012.csv in `dir`, with -2, -3… if taken. */
export function exportFileName(dir: string, format: ExportFormat, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  for (let i = 1; ; i++) {
    const name = `rtlake-export-${stamp}${i === 1 ? '' : `-${i}`}.${format}`;
    if (!existsSync(join(dir, name))) return name;
  }
}

export function createBackend(options: {
  connection: DuckDBConnection;
  side: DuckDBConnection;
  description: string;
  relations: string[];
  ruleText: string;
  exportDir: string;
}): WorkbenchBackend {
  const { connection, side } = options;
  return {
    description: options.description,
    relations: options.relations,
    hasDuplicateGroups: options.relations.includes('duplicate_groups'),
    ruleText: options.ruleText,
    open: (sql, limit) => openQueryPage(connection, sql, limit),
    peek: async (sql, limit) => {
      const page = await openQueryPage(side, sql, limit);
      return { columns: page.columns, types: page.types, rows: page.rows, hasMore: page.hasMore };
    },
    catalog: async () => {
      const all = await readCatalog(side);
      const rank = (r: CatalogRelation) => {
        const i = options.relations.indexOf(r.name);
        return i === -1 ? options.relations.length : i;
      };
      return all.sort((a, b) => rank(a) - rank(b));
    },
    exportResult: async (sql, format) => {
      const file = exportFileName(options.exportDir, format);
      const rows = await exportQuery(side, sql, join(options.exportDir, file), format);
      return { file, rows };
    },
    cancel: () => interruptQueries([connection, side]),
    isInterrupted,
    describeError: describeQueryError,
  };
}
