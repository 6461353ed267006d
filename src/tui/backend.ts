import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/openDatabase.js';
import { describeQueryError, isInterrupted } from '../db/duckdbErrors.js';
import { interruptQueries } from '../db/interruptible.js';
import { exportQuery, type ExportFormat } from '../db/exportQuery.js';
import { openQueryPage, type Cell, type QueryCursor } from '../db/queryPage.js';
import {
  readCatalog,
  readChart,
  readCompletionWords,
  readDuplicateGroups,
  readGroupCandidates,
  readMapDots,
  readMapExtent,
  type Candidates,
  type CatalogRelation,
  type Chart,
  type DedupeGroup,
  type Dot,
  type DotGrid,
  type MapExtent,
} from '../db/workbenchQueries.js';
import { describeRule, ruleOrderBy, type DedupeRule } from '../pipeline/dedupeRule.js';
import type { CompletionWords } from './completion.js';

/**
 * What the workbench needs from DuckDB, as typed calls. User queries run on the main connection
 * (which holds the open stream for fetch-more); the catalog, exports, charts, the map and the
 * dedupe panel run on a second connection so they never close that stream.
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
  catalog(): Promise<CatalogRelation[]>;
  completionWords(): Promise<CompletionWords>;
  duplicateGroups(): Promise<DedupeGroup[]>;
  groupCandidates(group: DedupeGroup): Promise<Candidates>;
  chart(sql: string, column: string, type: string, bins: number): Promise<Chart>;
  mapExtent(sql: string, latitude: string, longitude: string): Promise<MapExtent>;
  mapDots(sql: string, latitude: string, longitude: string, grid: DotGrid, colour?: string): Promise<Dot[]>;
  /** The whole result (header first) as rows of text, or undefined when it has more than `maxRows`. */
  allRows(sql: string, maxRows: number): Promise<{ columns: string[]; rows: Cell[][] } | undefined>;
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

export async function createBackend(options: {
  db: Database;
  description: string;
  relations: string[];
  rule: DedupeRule;
  exportDir: string;
}): Promise<WorkbenchBackend & { close(): Promise<void> }> {
  const connection = options.db.connection;
  const side = await options.db.instance.connect();
  // Closing a connection while DuckDB still runs a statement on it can crash the process (a test
  // worker died so): close() interrupts what runs and waits for it before closing.
  const running = new Set<Promise<unknown>>();
  const track = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => {
    return (...args: A): Promise<R> => {
      const p = call(...args);
      running.add(p);
      void p.then(
        () => running.delete(p),
        () => running.delete(p),
      );
      return p;
    };
  };
  const backend: WorkbenchBackend = {
    description: options.description,
    relations: options.relations,
    hasDuplicateGroups: options.relations.includes('duplicate_groups'),
    ruleText: `Rule (--dedupe ${options.rule.grain} --keep ${options.rule.keep}): ${describeRule(options.rule)}.`,
    open: track((sql, limit) => openQueryPage(connection, sql, limit)),
    catalog: track(async () => {
      const all = await readCatalog(side);
      const rank = (r: CatalogRelation) => {
        const i = options.relations.indexOf(r.name);
        return i === -1 ? options.relations.length : i;
      };
      return all.sort((a, b) => rank(a) - rank(b));
    }),
    completionWords: track(() => readCompletionWords(side)),
    duplicateGroups: track(() => readDuplicateGroups(side)),
    groupCandidates: track((g) => readGroupCandidates(side, g, ruleOrderBy(options.rule, { alias: 'p' }))),
    chart: track((sql, column, type, bins) => readChart(side, sql, column, type, bins)),
    mapExtent: track((sql, lat, lon) => readMapExtent(side, sql, lat, lon)),
    mapDots: track((sql, lat, lon, grid, colour) => readMapDots(side, sql, lat, lon, grid, colour)),
    allRows: track(async (sql, maxRows) => {
      const page = await openQueryPage(side, sql, maxRows);
      return page.hasMore ? undefined : { columns: page.columns, rows: page.rows };
    }),
    exportResult: track(async (sql, format) => {
      const file = exportFileName(options.exportDir, format);
      const rows = await exportQuery(side, sql, join(options.exportDir, file), format);
      return { file, rows };
    }),
    cancel: () => interruptQueries([connection, side]),
    isInterrupted,
    describeError: describeQueryError,
  };
  return {
    ...backend,
    close: async () => {
      backend.cancel();
      await Promise.allSettled([...running]);
      side.closeSync();
    },
  };
}
