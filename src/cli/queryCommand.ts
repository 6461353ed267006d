import type { Command } from 'commander';
import { QueryError, UsageError } from '../errors.js';
import { describeDuckDBError } from '../db/describeDuckDBError.js';
import { streamRows } from '../db/streamRows.js';
import { parseLocation } from '../location.js';
import { openWorkspace } from '../pipeline/openWorkspace.js';
import { silentReporter } from '../pipeline/reporter.js';
import { parseRule, resolveConfig, type CommonFlags } from './config.js';
import { addSourceFlags } from './ingestCommand.js';
import { stderrReporter } from './stderrReporter.js';

type Format = 'table' | 'csv' | 'json' | 'jsonl';

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function tableCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

/** Writes a query's rows to stdout in the chosen format, streaming (table buffers for column widths). */
async function printQuery(
  connection: Parameters<typeof streamRows>[0],
  sql: string,
  format: Format,
  write: (s: string) => void,
): Promise<number> {
  let count = 0;
  let first = true;
  const table: string[][] = [];
  let header: string[] = [];
  await streamRows(connection, sql, ({ columns, rows }) => {
    if (first) {
      header = columns;
      if (format === 'csv') write(`${columns.map(csvCell).join(',')}\n`);
      if (format === 'json') write('[');
    }
    for (const row of rows) {
      if (format === 'csv') write(`${row.map(csvCell).join(',')}\n`);
      else if (format === 'jsonl' || format === 'json') {
        const obj = Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null]));
        write(
          format === 'json'
            ? `${count === 0 ? '\n' : ',\n'}${JSON.stringify(obj)}`
            : `${JSON.stringify(obj)}\n`,
        );
      } else table.push(row.map(tableCell));
      count++;
    }
    first = false;
  });
  if (format === 'json') write(count === 0 ? ']\n' : '\n]\n');
  if (format === 'table') {
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join(' | ')
        .trimEnd();
    write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-+-')}\n`);
    for (const r of table) write(`${line(r)}\n`);
    write(`(${count} row${count === 1 ? '' : 's'})\n`);
  }
  return count;
}

export function registerQuery(program: Command, io: { stdout: (s: string) => void }): void {
  addSourceFlags(
    program
      .command('query')
      .description(
        'run SQL over a lake (vehicle_positions) or raw sources (pings, vehicle_positions, duplicate_groups)',
      )
      .argument('<sql>', 'one SQL statement'),
  )
    .option('--lake <folder | s3://bucket/prefix>', 'what ingest --out was given')
    .option('--format <table|csv|json|jsonl>', 'output format', 'table')
    .option('--quiet', 'no progress on stderr')
    .action(
      async (
        sql: string,
        flags: CommonFlags & { source?: string[]; lake?: string; format: string; quiet?: boolean },
      ) => {
        const format = flags.format as Format;
        if (!['table', 'csv', 'json', 'jsonl'].includes(format))
          throw new UsageError(`--format must be table, csv, json or jsonl, got "${flags.format}"`);
        if (!flags.lake && !flags.source?.length)
          throw new UsageError('give --lake (what ingest --out was given) or --source');
        const config = resolveConfig(flags);
        const workspace = await openWorkspace({
          ...(flags.lake ? { lake: config.storage.open(parseLocation(flags.lake, '--lake')) } : {}),
          ...(flags.source?.length
            ? { sources: flags.source.map((s) => config.storage.open(parseLocation(s, '--source'))) }
            : {}),
          glob: flags.glob!,
          rule: parseRule(flags),
          concurrency: config.concurrency,
          cacheDir: config.cacheDir,
          maxObjectSize: config.maxObjectSize,
          reporter: flags.quiet ? silentReporter : stderrReporter(),
        });
        try {
          const write = (s: string) => void process.stdout.write(s);
          await printQuery(workspace.db.connection, sql, format, write).catch((err: unknown) => {
            throw new QueryError(`query failed: ${describeDuckDBError(err)}`, { cause: err });
          });
        } finally {
          await workspace.dispose();
        }
        void io;
      },
    );
}
