import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseLocation } from '../location.js';
import { exportFormats, exportLake, parseDay, type ExportFormat } from '../pipeline/exportLake.js';
import { addLakeFlags, lakeContext, type LakeFlags } from './catalogCommand.js';
import { parseLakeTable } from '../pipeline/lakeTables.js';
import { collect, isoDay } from './flags.js';
import type { Io } from './program.js';
const dayShape = /^\d{4}-\d{2}-\d{2}$/;

interface ExportFlags extends LakeFlags {
  table?: string;
  date?: string;
  from?: string;
  to?: string[];
  out?: string;
  where?: string;
  columns?: string;
  format?: string;
}

/**
 * `--to` names the destination, as the examples spell it; with `--from`, a `--to` that is a
 * day (YYYY-MM-DD) ends the range instead. So `--from 2021-09-01 --to 2021-09-07 --to ./out` reads
 * as it is meant. A folder literally named like a day is written ./2021-09-07.
 */
function splitTo(flags: ExportFlags): { destination: string; until?: string } {
  const values = flags.to ?? [];
  const days = values.filter((v) => dayShape.test(v));
  const places = [
    ...values.filter((v) => !dayShape.test(v)),
    ...(flags.out !== undefined ? [flags.out] : []),
  ];
  if (places.length !== 1) {
    throw new UsageError(
      places.length === 0
        ? 'give the destination: --to <folder | s3://bucket/prefix | file.parquet|.csv|.jsonl>'
        : `give one destination, got ${places.join(' and ')}`,
    );
  }
  if (days.length > 1) throw new UsageError(`give one last day, got --to ${days.join(' and --to ')}`);
  return { destination: places[0]!, ...(days[0] !== undefined ? { until: days[0] } : {}) };
}

export function registerExport(program: Command, io: Io): void {
  addLakeFlags(
    program
      .command('export')
      .description(
        'export some UTC days of the lake to one Parquet, CSV or JSON-lines file (a folder or S3)',
      ),
  )
    .addOption(new Option('--date <YYYY-MM-DD>', 'one UTC day').argParser(isoDay))
    .addOption(
      new Option(
        '--from <YYYY-MM-DD>',
        "first UTC day (to the lake's last day unless --to YYYY-MM-DD ends the range)",
      ).argParser(isoDay),
    )
    .option(
      '--to <folder | s3://bucket/prefix | file | YYYY-MM-DD>',
      'the destination; a day here ends the --from range',
      collect,
    )
    .option('--out <folder | s3://bucket/prefix | file>', 'the destination (same as --to)')
    .option('--table <name>', 'the lake table: vehicle_positions (default), trip_updates or alerts')
    .option(
      '--where <sql>',
      'keep rows where this SQL expression is true, e.g. "route_id = \'Red\'" (runs in a read-only session over the chosen days)',
    )
    .option(
      '--columns <a,b,…>',
      'columns to export, in this order (default: every column but year/month/day)',
    )
    .option(
      '--format <parquet|csv|jsonl>',
      'file format; json and ndjson mean jsonl (default: from the file name, else parquet)',
    )
    .action(async (flags: ExportFlags) => {
      const { destination, until } = splitTo(flags);
      if (flags.date !== undefined && (flags.from !== undefined || until !== undefined)) {
        throw new UsageError('give either --date, or --from/--to, not both');
      }
      if (flags.date === undefined && flags.from === undefined && until === undefined) {
        throw new UsageError('choose the days: --date YYYY-MM-DD, or --from YYYY-MM-DD [--to YYYY-MM-DD]');
      }
      const from = flags.date ?? flags.from;
      const to = flags.date ?? until;
      // DuckDB's "json" output is newline-delimited: json and ndjson are names people use for it.
      const format = flags.format === 'json' || flags.format === 'ndjson' ? 'jsonl' : flags.format;
      if (format !== undefined && !exportFormats.includes(format as ExportFormat)) {
        throw new UsageError(`--format must be ${exportFormats.join(', ')}, got "${flags.format}"`);
      }
      const columns = flags.columns
        ?.split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      if (flags.columns !== undefined && columns!.length === 0) throw new UsageError('--columns is empty');
      const table = parseLakeTable(flags.table ?? 'vehicle_positions', '--table');
      const { stage, config } = lakeContext(flags);
      const summary = await exportLake({
        ...stage,
        table,
        destination: config.storage.open(parseLocation(destination, '--to')),
        ...(from !== undefined
          ? { from: parseDay(from, flags.date !== undefined ? '--date' : '--from') }
          : {}),
        ...(to !== undefined ? { to: parseDay(to, flags.date !== undefined ? '--date' : '--to') } : {}),
        ...(format !== undefined ? { format: format as ExportFormat } : {}),
        ...(flags.where !== undefined ? { where: flags.where } : {}),
        ...(columns ? { columns } : {}),
      });
      if (flags.json) {
        await io.stdout(JSON.stringify(summary, null, 2));
        return;
      }
      const days = summary.from === summary.to ? summary.from : `${summary.from} to ${summary.to}`;
      await io.stdout(
        `exported ${summary.rows.toLocaleString('en-US')} ${summary.table} rows (${days}, ${summary.partitions_read} day partition(s)) to ${summary.destination}` +
          ` as ${summary.format}, ${summary.bytes.toLocaleString('en-US')} bytes`,
      );
    });
}
