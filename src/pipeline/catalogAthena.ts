import { UsageError } from '../errors.js';
import { describeLakeTable, type LakeTable, type LakeTableOptions } from './catalogTable.js';

export interface AthenaOptions extends LakeTableOptions {
  /** Omitted: the table is created in the query editor's current database. */
  database?: string;
  table: string;
}

export interface AthenaSummary extends LakeTable {
  database: string | null;
  table: string;
  ddl: string;
}

/** Athena database and table names: lower-case letters, digits and underscores. */
export function checkAthenaName(name: string, flag: string): string {
  if (!/^[a-z0-9_]{1,255}$/.test(name)) {
    throw new UsageError(
      `${flag} "${name}" must be lower-case letters, digits and underscores (Athena's rule for names)`,
    );
  }
  return name;
}

/** `name` in backticks, as Athena DDL quotes identifiers (`timestamp` is a reserved word). */
const ident = (name: string) => `\`${name.replaceAll('`', '``')}\``;

/** A DDL string literal; characters Hive DDL would need escaped are refused rather than escaped. */
function literal(text: string): string {
  if (/['\\\n\r]/.test(text))
    throw new UsageError(
      `cannot write ${JSON.stringify(text)} into Athena DDL: it contains a quote, backslash or line break`,
    );
  return `'${text}'`;
}

/** CREATE EXTERNAL TABLE with the lake's own columns and partition projection over year/month/day. */
export function athenaDdl(table: LakeTable, database: string | null, name: string): string {
  const width = Math.max(...table.columns.map((c) => ident(c.name).length));
  const columns = table.columns.map((c) => `  ${ident(c.name).padEnd(width)} ${c.ddl_type}`);
  const properties = Object.entries(table.parameters).map(([k, v]) => `  ${literal(k)} = ${literal(v)}`);
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${database ? `${ident(database)}.` : ''}${ident(name)} (`,
    columns.join(',\n'),
    ')',
    `PARTITIONED BY (${table.partition_keys.map((k) => `${ident(k.name)} ${k.type}`).join(', ')})`,
    'STORED AS PARQUET',
    `LOCATION ${literal(table.location)}`,
    'TBLPROPERTIES (',
    properties.join(',\n'),
    ');',
  ].join('\n');
}

export async function catalogAthena(options: AthenaOptions): Promise<AthenaSummary> {
  const database = options.database === undefined ? null : checkAthenaName(options.database, '--database');
  const table = checkAthenaName(options.table, '--table');
  const described = await describeLakeTable(options);
  return { database, table, ...described, ddl: athenaDdl(described, database, table) };
}
