import type { DuckDBConnection } from '@duckdb/node-api';
import { loadSql, readSqlFile, renderSql } from './runSqlFile.js';
import type { WorkbenchSqlName } from './sqlFiles.js';
import {
  sqlDouble,
  sqlIdent,
  sqlInteger,
  sqlKeyword,
  sqlString,
  sqlUserQuery,
  type SqlFragment,
} from './sqlText.js';

/**
 * The workbench's SQL, from the files in sql/workbench/, and what they return as typed values. A
 * user's query goes in as a subquery (sqlUserQuery); names and values are quoted by sqlText.
 */
const file = (name: WorkbenchSqlName) => loadSql(`workbench/${name}`);

/** The user's query re-sorted by one column (the grid's `s`). */
export function sortedQuery(sql: string, column: string, direction: 'asc' | 'desc'): string {
  return renderSql(file('sorted_result'), {
    query: sqlUserQuery(sql),
    column: sqlIdent(column),
    direction: sqlKeyword(direction === 'asc' ? 'ASC' : 'DESC', ['ASC', 'DESC']),
  });
}

/** DuckDB's SUMMARIZE of the user's query (the grid's `p`). */
export function summarizeQuery(sql: string): string {
  return renderSql(file('result_summary'), { query: sqlUserQuery(sql) });
}

/** Value frequencies of one column of the user's query (the grid's `f`). */
export function frequencyQuery(sql: string, column: string): string {
  return renderSql(file('value_frequencies'), { query: sqlUserQuery(sql), column: sqlIdent(column) });
}

/** Degrees of a box selected on the map. */
export interface Box {
  south: number;
  north: number;
  west: number;
  east: number;
}

/** The user's query kept to the rows inside a box (what the map's selection turns into). */
export function boxQuery(sql: string, latitude: string, longitude: string, box: Box): string {
  return renderSql(file('filtered_by_box'), {
    query: sqlUserQuery(sql),
    latitude: sqlIdent(latitude),
    longitude: sqlIdent(longitude),
    south: sqlDouble(box.south),
    north: sqlDouble(box.north),
    west: sqlDouble(box.west),
    east: sqlDouble(box.east),
  });
}

export interface CatalogRelation {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: { name: string; type: string }[];
}

/** Tables and views (not DuckDB's own) with their columns. */
export async function readCatalog(connection: DuckDBConnection): Promise<CatalogRelation[]> {
  const rows = await readSqlFile(connection, 'workbench/catalog_columns');
  const out: CatalogRelation[] = [];
  for (const r of rows) {
    const schema = String(r.schema_name);
    const name = String(r.table_name);
    let last = out[out.length - 1];
    if (!last || last.schema !== schema || last.name !== name) {
      last = { schema, name, kind: r.kind === 'view' ? 'view' : 'table', columns: [] };
      out.push(last);
    }
    last.columns.push({ name: String(r.column_name), type: String(r.data_type) });
  }
  return out;
}

/** SQL keywords and DuckDB's function names, for completion. */
export async function readCompletionWords(
  connection: DuckDBConnection,
): Promise<{ keywords: string[]; functions: string[] }> {
  const rows = await readSqlFile(connection, 'workbench/completion_words');
  const keywords: string[] = [];
  const functions: string[] = [];
  for (const r of rows) (r.kind === 'keyword' ? keywords : functions).push(String(r.word));
  return { keywords, functions };
}

export interface DedupeGroup {
  vehicleId: string;
  /** As DuckDB prints it (UTC). */
  timestamp: string;
  candidates: number;
  conflicting: boolean;
  /** The columns whose values differ among the candidates, comma-separated. */
  differing: string;
  /** The timestamp in epoch microseconds: names the group exactly. */
  timestampUs: bigint;
}

/** Duplicate groups, conflicting first (at most 1000). */
export async function readDuplicateGroups(connection: DuckDBConnection): Promise<DedupeGroup[]> {
  const rows = await readSqlFile(connection, 'workbench/duplicate_group_list');
  return rows.map((r) => ({
    vehicleId: String(r.vehicle_id),
    timestamp: String(r.timestamp),
    candidates: Number(r.candidates),
    conflicting: r.conflicting === true,
    differing: String(r.differing ?? ''),
    timestampUs: BigInt(String(r.ts_us)),
  }));
}

export interface Candidates {
  columns: string[];
  /** One entry per candidate row: the rule kept it, and its values as text (null for NULL). */
  rows: { kept: boolean; values: (string | null)[] }[];
}

/** A group's candidate pings, kept first, then in the rule's order (ruleOrderBy with alias p). */
export async function readGroupCandidates(
  connection: DuckDBConnection,
  group: Pick<DedupeGroup, 'vehicleId' | 'timestampUs'>,
  ruleOrder: SqlFragment,
): Promise<Candidates> {
  const reader = await connection.runAndReadAll(
    renderSql(file('group_candidates'), {
      vehicle_id: sqlString(group.vehicleId),
      timestamp_us: sqlInteger(Number(group.timestampUs)),
      rule_order: ruleOrder,
    }),
  );
  const columns = reader.columnNames();
  const keptAt = columns.indexOf('kept');
  return {
    columns: columns.filter((_c, i) => i !== keptAt),
    rows: reader.getRows().map((r) => ({
      kept: r[keptAt] === true,
      values: r
        .filter((_v, i) => i !== keptAt)
        .map((v) => (v === null || v === undefined ? null : String(v))),
    })),
  };
}

/** A chart of one column over a whole result, binned by DuckDB. */
export type Chart =
  | {
      kind: 'histogram';
      column: string;
      rows: number;
      values: number;
      lo: number;
      hi: number;
      width: number;
      /** counts[i]: rows with lo + i*width <= x < lo + (i+1)*width (the last bin holds hi too). */
      counts: number[];
    }
  | {
      kind: 'time';
      column: string;
      rows: number;
      values: number;
      /** Bucket width in microseconds and its name ('second', 'minute', 'hour', 'day', '2 days'…). */
      widthUs: number;
      unit: string;
      /** Start of the first bucket (epoch microseconds, UTC). */
      startUs: number;
      counts: number[];
    }
  | {
      kind: 'top';
      column: string;
      rows: number;
      distinct: number;
      values: { value: string | null; n: number }[];
    };

export const timeUnits: { name: string; us: number }[] = [
  { name: 'second', us: 1e6 },
  { name: 'minute', us: 60e6 },
  { name: 'hour', us: 3600e6 },
  { name: 'day', us: 86400e6 },
];

/** The smallest of second, minute, hour, day (then whole days) giving at most `maxBuckets` buckets. */
export function timeBucketWidth(
  loUs: number,
  hiUs: number,
  maxBuckets: number,
): { us: number; unit: string } {
  const buckets = (w: number) => Math.floor(hiUs / w) - Math.floor(loUs / w) + 1;
  for (const u of timeUnits) if (buckets(u.us) <= maxBuckets) return { us: u.us, unit: u.name };
  const day = 86400e6;
  let k = 2;
  while (buckets(k * day) > maxBuckets) k++;
  return { us: k * day, unit: `${k} days` };
}

export type ChartKind = 'histogram' | 'time' | 'top';

/** Which chart a DuckDB type gets: numbers a histogram, times buckets, everything else top values. */
export function chartKindFor(type: string): ChartKind {
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(
      type,
    )
  )
    return 'histogram';
  if (/^(TIMESTAMP|DATE)/.test(type)) return 'time';
  return 'top';
}

/** Bins one column of the whole result into at most `bins` bars. */
export async function readChart(
  connection: DuckDBConnection,
  sql: string,
  column: string,
  type: string,
  bins: number,
): Promise<Chart> {
  const slots = { query: sqlUserQuery(sql), column: sqlIdent(column) };
  const kind = chartKindFor(type);
  if (kind === 'histogram') {
    const [e] = await readSqlFile(connection, 'workbench/numeric_extent', slots);
    const rows = Number(e!.rows);
    const values = Number(e!.values);
    if (values === 0) return { kind, column, rows, values, lo: 0, hi: 0, width: 1, counts: [] };
    const lo = Number(e!.lo);
    const hi = Number(e!.hi);
    const n = hi === lo ? 1 : bins;
    const width = hi === lo ? 1 : (hi - lo) / n;
    const counts = new Array<number>(n).fill(0);
    for (const r of await readSqlFile(connection, 'workbench/numeric_histogram', {
      ...slots,
      bins: sqlInteger(n),
      lo: sqlDouble(lo),
      width: sqlDouble(width),
    }))
      counts[Number(r.bin)] = Number(r.n);
    return { kind, column, rows, values, lo, hi, width, counts };
  }
  if (kind === 'time') {
    const [e] = await readSqlFile(connection, 'workbench/time_extent', slots);
    const rows = Number(e!.rows);
    const values = Number(e!.values);
    if (values === 0)
      return { kind, column, rows, values, widthUs: 1e6, unit: 'second', startUs: 0, counts: [] };
    const loUs = Number(e!.lo_us);
    const hiUs = Number(e!.hi_us);
    const w = timeBucketWidth(loUs, hiUs, bins);
    const first = Math.floor(loUs / w.us);
    const counts = new Array<number>(Math.floor(hiUs / w.us) - first + 1).fill(0);
    for (const r of await readSqlFile(connection, 'workbench/time_buckets', {
      ...slots,
      width_us: sqlInteger(w.us),
    }))
      counts[Number(r.bucket) - first] = Number(r.n);
    return { kind, column, rows, values, widthUs: w.us, unit: w.unit, startUs: first * w.us, counts };
  }
  const top = await readSqlFile(connection, 'workbench/top_values', { ...slots, limit: sqlInteger(bins) });
  return {
    kind,
    column,
    rows: Number(top[0]?.total_rows ?? 0),
    distinct: Number(top[0]?.distinct_values ?? 0),
    values: top.map((r) => ({ value: r.is_null === true ? null : String(r.value), n: Number(r.n) })),
  };
}

export interface MapExtent extends Box {
  rows: number;
  points: number;
}

/** Where the result's points lie (NaN box when there are none). */
export async function readMapExtent(
  connection: DuckDBConnection,
  sql: string,
  latitude: string,
  longitude: string,
): Promise<MapExtent> {
  const [e] = await readSqlFile(connection, 'workbench/map_extent', {
    query: sqlUserQuery(sql),
    latitude: sqlIdent(latitude),
    longitude: sqlIdent(longitude),
  });
  const num = (v: unknown) => (v === null || v === undefined ? Number.NaN : Number(v));
  return {
    rows: Number(e!.rows),
    points: Number(e!.points),
    south: num(e!.south),
    north: num(e!.north),
    west: num(e!.west),
    east: num(e!.east),
  };
}

/** The dot grid of a map view: dot (x, y) covers [west + x*dlon, +dlon) × (north - (y+1)*dlat, north - y*dlat]. */
export interface DotGrid {
  west: number;
  north: number;
  dlon: number;
  dlat: number;
  dotsX: number;
  dotsY: number;
}

export interface Dot {
  x: number;
  y: number;
  n: number;
  colour?: string | null;
}

/** Every point of the whole result binned into the view's dots (and the dot's commonest colour value). */
export async function readMapDots(
  connection: DuckDBConnection,
  sql: string,
  latitude: string,
  longitude: string,
  grid: DotGrid,
  colour?: string,
): Promise<Dot[]> {
  const slots = {
    query: sqlUserQuery(sql),
    latitude: sqlIdent(latitude),
    longitude: sqlIdent(longitude),
    west: sqlDouble(grid.west),
    north: sqlDouble(grid.north),
    east: sqlDouble(grid.west + grid.dotsX * grid.dlon),
    south: sqlDouble(grid.north - grid.dotsY * grid.dlat),
    dlon: sqlDouble(grid.dlon),
    dlat: sqlDouble(grid.dlat),
  };
  const rows = colour
    ? await readSqlFile(connection, 'workbench/map_dots_by_colour', { ...slots, colour: sqlIdent(colour) })
    : await readSqlFile(connection, 'workbench/map_dots', slots);
  return rows.map((r) => ({
    x: Number(r.x),
    y: Number(r.y),
    n: Number(r.n),
    ...(colour ? { colour: r.colour === null ? null : String(r.colour) } : {}),
  }));
}
