import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseLocation, type Location } from '../location.js';
import { catalogAthena } from '../pipeline/catalogAthena.js';
import { catalogDuckdb } from '../pipeline/catalogDuckdb.js';
import { catalogGlue } from '../pipeline/catalogGlue.js';
import type { Reporter } from '../pipeline/reporter.js';
import { glueEndpoint, required, resolveConfig, type ResolvedConfig } from './config.js';
import { lakeDays, reporterFor } from './context.js';
import {
  addJsonFlag,
  addLakeDaysFlags,
  addS3Flags,
  defaults,
  httpUrl,
  type DayRangeFlags,
  type GlobalFlags,
  type JsonFlag,
  type S3Flags,
} from './flags.js';
import type { Io } from './program.js';
import type { Store } from '../store/store.js';

export type LakeFlags = S3Flags & JsonFlag & GlobalFlags & { lake?: string };

/** Flags of every command that reads a lake written by ingest. */
export function addLakeFlags(cmd: Command): Command {
  cmd.addOption(
    required(
      new Option(
        '--lake <s3://bucket/prefix | folder>',
        'the lake: what ingest --out was given (it holds vehicle_positions/)',
      ),
    ),
  );
  addS3Flags(cmd);
  return addJsonFlag(cmd);
}

/** The lake, the resolved config and the stage options every lake-reading command passes down. */
export function lakeContext(flags: LakeFlags): {
  lake: Location;
  config: ResolvedConfig;
  stage: LakeStageOptions;
} {
  const config = resolveConfig(flags);
  const lake = parseLocation(flags.lake!, '--lake');
  return {
    lake,
    config,
    stage: {
      lake: config.storage.open(lake),
      cacheDir: config.cacheDir,
      concurrency: config.concurrency,
      reporter: reporterFor(flags),
    },
  };
}

interface LakeStageOptions {
  lake: Store;
  cacheDir: string;
  concurrency: number;
  reporter: Reporter;
}

/** --years 2019,2030: the range of years Athena projects. */
function parseYears(text: string | undefined): [number, number] | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d{4})\s*,\s*(\d{4})\s*$/.exec(text);
  if (!m || Number(m[1]) > Number(m[2]))
    throw new UsageError(`--years must be FIRST,LAST such as 2019,2030, got "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

function parseS3Location(text: string | undefined): Extract<Location, { kind: 's3' }> | undefined {
  if (text === undefined) return undefined;
  const location = parseLocation(text, '--location');
  if (location.kind !== 's3')
    throw new UsageError(`--location must be an s3:// URL (where the lake is in S3), got "${text}"`);
  return location;
}

interface TableFlags extends LakeFlags {
  database?: string;
  table: string;
  location?: string;
  years?: string;
  glueEndpoint?: string;
}

function addTableFlags(cmd: Command): Command {
  return addLakeFlags(cmd)
    .option('--table <name>', 'table name', defaults.table)
    .option('--location <s3://bucket/prefix>', 'the S3 copy of a local --lake (the table must point at S3)')
    .option(
      '--years <first,last>',
      "years Athena projects (default: the lake's first year to five years after this one)",
    );
}

export function registerCatalog(program: Command, io: Io): void {
  const catalog = program
    .command('catalog')
    .description(
      'make the lake queryable from Athena, Glue, Tableau, QuickSight, DBeaver or DuckDB, without a crawler',
    );

  addTableFlags(
    catalog
      .command('athena')
      .description(
        'print CREATE EXTERNAL TABLE DDL (columns read from the Parquet files, partition projection)',
      ),
  )
    .option('--database <name>', 'qualify the table with this database')
    .action(async (flags: TableFlags) => {
      const { stage } = lakeContext(flags);
      const summary = await catalogAthena({
        ...stage,
        table: flags.table,
        ...(flags.database !== undefined ? { database: flags.database } : {}),
        ...(flags.location !== undefined ? { location: parseS3Location(flags.location)! } : {}),
        ...(flags.years !== undefined ? { years: parseYears(flags.years)! } : {}),
      });
      if (summary.location_is_placeholder) {
        stage.reporter.warn(
          `${summary.lake} is a local folder: LOCATION below is a placeholder. Upload the lake (aws s3 sync ${summary.lake} s3://bucket/prefix) and re-run with --lake s3://bucket/prefix or --location s3://bucket/prefix`,
        );
      }
      await io.stdout(flags.json ? JSON.stringify(summary, null, 2) : summary.ddl);
    });

  addTableFlags(
    catalog
      .command('glue')
      .description('create or update the table in the AWS Glue Data Catalog (idempotent)'),
  )
    .addOption(required(new Option('--database <name>', 'Glue database (created if missing)')))
    .addOption(
      new Option(
        '--glue-endpoint <url>',
        'Glue endpoint (else AWS_ENDPOINT_URL_GLUE / AWS_ENDPOINT_URL, else a custom S3 endpoint)',
      ).argParser(httpUrl),
    )
    .action(async (flags: TableFlags) => {
      const { stage, config } = lakeContext(flags);
      const glue = glueEndpoint(flags.glueEndpoint, config.s3Settings.endpoint);
      if (glue.borrowed) {
        stage.reporter.info(`using the S3 endpoint ${glue.url} for Glue too (set --glue-endpoint to change)`);
      }
      const summary = await catalogGlue({
        ...stage,
        database: flags.database!,
        table: flags.table,
        glue: {
          ...(glue.url ? { endpoint: glue.url } : {}),
          ...(config.s3Settings.region ? { region: config.s3Settings.region } : {}),
          ...(config.s3Settings.profile ? { profile: config.s3Settings.profile } : {}),
        },
        ...(flags.location !== undefined ? { location: parseS3Location(flags.location)! } : {}),
        ...(flags.years !== undefined ? { years: parseYears(flags.years)! } : {}),
      });
      if (flags.json) {
        await io.stdout(JSON.stringify(summary, null, 2));
        return;
      }
      const what = `${summary.database}.${summary.table}`;
      const lines = [
        summary.status === 'unchanged'
          ? `unchanged: Glue table ${what} already matches the lake`
          : `${summary.status} Glue table ${what}${summary.changes.length ? ` (${summary.changes.join(', ')})` : ''}`,
        `  ${summary.columns.length} columns, partitions year/month/day projected for ${summary.parameters['projection.year.range']!.replace(',', '-')}`,
        `  location ${summary.location}`,
      ];
      if (summary.database_status === 'created') lines.push(`  created Glue database ${summary.database}`);
      lines.push(
        `Query it in Athena: SELECT count(*) FROM ${what} WHERE year = ${summary.last_day.slice(0, 4)}`,
      );
      await io.stdout(lines.join('\n'));
    });

  const duckdb = addLakeFlags(
    catalog
      .command('duckdb')
      .description(
        'write a DuckDB database file with the view vehicle_positions over the lake (Tableau, DBeaver, Python)',
      ),
  );
  duckdb
    .addOption(required(new Option('--out <file.duckdb>', 'the DuckDB database file to create or update')))
    .option(
      '--copy-dir <folder>',
      'for an S3 lake: where its local copy is kept (default: <out name>-parquet/ beside --out)',
    );
  addLakeDaysFlags(duckdb).action(
    async (flags: LakeFlags & DayRangeFlags & { out: string; copyDir?: string }) => {
      const { stage } = lakeContext(flags);
      const selectDays = lakeDays(flags);
      const summary = await catalogDuckdb({
        ...stage,
        ...(selectDays ? { selectDays } : {}),
        out: flags.out,
        ...(flags.copyDir ? { copyDir: flags.copyDir } : {}),
      });
      if (flags.json) {
        await io.stdout(JSON.stringify(summary, null, 2));
        return;
      }
      const lines = [
        `wrote ${summary.database}: view vehicle_positions over ${summary.partitions} day partition(s), ${summary.rows.toLocaleString('en-US')} rows`,
        selectDays
          ? `  reads the ${summary.partitions} partition file(s) of the days asked for, under ${summary.parquet_glob.replace(/\/vehicle_positions\/.*$/, '')}`
          : `  reads ${summary.parquet_glob}`,
      ];
      if (summary.local_copy && summary.copy) {
        lines.push(
          `  DuckDB cannot read S3 here, so the view reads a local copy of ${summary.lake} in ${summary.local_copy}` +
            ` (${summary.copy.downloaded} downloaded, ${summary.copy.reused} already there, ${summary.copy.removed} removed); re-run this command to refresh it`,
        );
      } else if (!selectDays) {
        lines.push('  days ingested later appear in the view without re-running this command');
      }
      lines.push(
        `Try: duckdb -readonly ${summary.database} "SELECT route_id, count(*) FROM vehicle_positions GROUP BY ALL ORDER BY 2 DESC LIMIT 5"`,
      );
      await io.stdout(lines.join('\n'));
    },
  );
}
