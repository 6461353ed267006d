import { openDatabase } from './openDatabase.js';
import { sqlString } from './sqlText.js';

/**
 * Which day partitions of the lake a query can read, told from DuckDB's own parse tree
 * (json_serialize_sql) without running it: the year/month/day comparisons in the WHERE of every
 * place the query reads `vehicle_positions`. The answer is a superset (a partition it might read is
 * never left out); null means rtlake cannot tell, and every partition is needed.
 */

export interface PartitionKey {
  year: number;
  month: number;
  day: number;
}

export type PartitionTest = (p: PartitionKey) => boolean;

type Node = Record<string, unknown>;
const partColumns = new Set(['year', 'month', 'day']);

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function integerConstant(node: unknown): number | undefined {
  if (!isNode(node)) return undefined;
  if (node.class === 'CAST' && isNode(node.child)) return integerConstant(node.child);
  if (node.class !== 'CONSTANT' || !isNode(node.value) || node.value.is_null) return undefined;
  const v = node.value.value;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

function partColumn(node: unknown): keyof PartitionKey | undefined {
  if (!isNode(node) || node.class !== 'COLUMN_REF' || !Array.isArray(node.column_names)) return undefined;
  const name = String(node.column_names.at(-1)).toLowerCase();
  return partColumns.has(name) ? (name as keyof PartitionKey) : undefined;
}

const flipped: Record<string, string> = {
  COMPARE_LESSTHAN: 'COMPARE_GREATERTHAN',
  COMPARE_GREATERTHAN: 'COMPARE_LESSTHAN',
  COMPARE_LESSTHANOREQUALTO: 'COMPARE_GREATERTHANOREQUALTO',
  COMPARE_GREATERTHANOREQUALTO: 'COMPARE_LESSTHANOREQUALTO',
  COMPARE_EQUAL: 'COMPARE_EQUAL',
  COMPARE_NOTEQUAL: 'COMPARE_NOTEQUAL',
};

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case 'COMPARE_EQUAL':
      return a === b;
    case 'COMPARE_NOTEQUAL':
      return a !== b;
    case 'COMPARE_LESSTHAN':
      return a < b;
    case 'COMPARE_GREATERTHAN':
      return a > b;
    case 'COMPARE_LESSTHANOREQUALTO':
      return a <= b;
    default:
      return a >= b;
  }
}

/** The partitions an expression can be true for; null when it says nothing rtlake can use. */
export function predicateOf(expr: unknown): PartitionTest | null {
  if (!isNode(expr)) return null;
  if (expr.type === 'CONJUNCTION_AND' && Array.isArray(expr.children)) {
    const parts = expr.children.map(predicateOf).filter((p): p is PartitionTest => p !== null);
    return parts.length === 0 ? null : (k) => parts.every((p) => p(k));
  }
  if (expr.type === 'CONJUNCTION_OR' && Array.isArray(expr.children)) {
    const parts = expr.children.map(predicateOf);
    if (parts.some((p) => p === null)) return null;
    return (k) => parts.some((p) => p!(k));
  }
  if (expr.class === 'COMPARISON' && typeof expr.type === 'string' && flipped[expr.type]) {
    const op = expr.type;
    const [lc, rc] = [partColumn(expr.left), partColumn(expr.right)];
    const [lv, rv] = [integerConstant(expr.left), integerConstant(expr.right)];
    if (lc && rv !== undefined) return (k) => compare(op, k[lc], rv);
    if (rc && lv !== undefined) return (k) => compare(flipped[op]!, k[rc], lv);
    return null;
  }
  if (expr.type === 'COMPARE_IN' && Array.isArray(expr.children)) {
    const [first, ...rest] = expr.children;
    const column = partColumn(first);
    const values = rest.map(integerConstant);
    if (!column || values.some((v) => v === undefined)) return null;
    return (k) => values.includes(k[column]);
  }
  if (expr.type === 'COMPARE_BETWEEN') {
    const column = partColumn(expr.input);
    const [lo, hi] = [integerConstant(expr.lower), integerConstant(expr.upper)];
    if (!column || lo === undefined || hi === undefined) return null;
    return (k) => k[column] >= lo && k[column] <= hi;
  }
  return null;
}

function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) node.forEach((c) => walk(c, visit));
  else if (isNode(node)) {
    visit(node);
    for (const v of Object.values(node)) walk(v, visit);
  }
}

const readsTable = (n: unknown, table: string) =>
  isNode(n) && n.type === 'BASE_TABLE' && String(n.table_name).toLowerCase() === table;

/**
 * From a serialized parse tree: the union of what each read of `table` can select, or null when any
 * read of it has no usable WHERE (a join, no filter, a filter on other columns only).
 */
export function partitionsFromTree(tree: unknown, table = 'vehicle_positions'): PartitionTest | null {
  if (!isNode(tree) || tree.error !== false) return null;
  let reads = 0;
  const tests: PartitionTest[] = [];
  walk(tree, (n) => {
    if (readsTable(n, table)) reads++;
    if (n.type === 'SELECT_NODE' && readsTable(n.from_table, table)) {
      const test = predicateOf(n.where_clause);
      if (test) tests.push(test);
    }
  });
  if (reads === 0 || tests.length !== reads) return null;
  return (k) => tests.some((t) => t(k));
}

/** Parses the script with DuckDB (json_serialize_sql, which only parses) and reads its partitions. */
export async function partitionsOfQuery(
  sql: string,
  table = 'vehicle_positions',
): Promise<PartitionTest | null> {
  const db = await openDatabase();
  try {
    const reader = await db.connection.runAndReadAll(`SELECT json_serialize_sql(${sqlString(sql).text})`);
    const text = reader.getRows()[0]?.[0];
    return typeof text === 'string' ? partitionsFromTree(JSON.parse(text), table) : null;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

/** How often the parsed script reads `table` (a view or table of that name). */
function readsOf(tree: unknown, table: string): number {
  let reads = 0;
  walk(tree, (n) => {
    if (readsTable(n, table)) reads++;
  });
  return reads;
}

/**
 * For each of the lake's tables, what the script needs of it: 'unread' (never named), a partition
 * test (its reads' year/month/day predicates), or null (every partition). Null as a whole when the
 * script names none of them, or cannot be parsed: then rtlake cannot tell, and opens everything.
 */
export async function lakeTablesOfQuery<T extends string>(
  sql: string,
  tables: readonly T[],
): Promise<Record<T, PartitionTest | null | 'unread'> | null> {
  const db = await openDatabase();
  let tree: unknown;
  try {
    const reader = await db.connection.runAndReadAll(`SELECT json_serialize_sql(${sqlString(sql).text})`);
    const text = reader.getRows()[0]?.[0];
    tree = typeof text === 'string' ? JSON.parse(text) : null;
  } catch {
    return null;
  } finally {
    db.close();
  }
  if (!isNode(tree) || tree.error !== false) return null;
  if (tables.every((t) => readsOf(tree, t) === 0)) return null;
  const result = {} as Record<T, PartitionTest | null | 'unread'>;
  for (const t of tables) result[t] = readsOf(tree, t) === 0 ? 'unread' : partitionsFromTree(tree, t);
  return result;
}
