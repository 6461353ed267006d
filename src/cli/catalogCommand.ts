import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseLocation, type Location } from '../location.js';
import { catalogAthena } from '../pipeline/catalogAthena.js';
import { catalogDuckdb } from '../pipeline/catalogDuckdb.js';
import { catalogGlue } from '../pipeline/catalogGlue.js';
import { silentReporter, type Reporter } from '../pipeline/reporter.js';
import { resolveConfig, type CommonFlags, type ResolvedConfig } from './config.js';
import { stderrReporter } from './stderrReporter.js';
import type { Store } from '../store/store.js';

type Io = { stdout: (s: string) => void };

export interface LakeFlags extends CommonFlags {
  lake?: string;
  quiet?: boolean;
}

/** Flags of every command that reads a lake written by ingest. */
export function addLakeFlags(cmd: Command): Command {
  return cmd
    .requiredOption(
      '--lake <s3://bucket/prefix | folder>',
      'the lake: what ingest --out was given (it holds vehicle_positions/)',
    )
    .option('--endpoint <url>', 'S3-compatible endpoint (else AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)')
    .option('--region <region>', 'AWS region (else AWS_REGION, else us-east-1)')
    .option('--profile <name>', 'AWS profile from ~/.aws/config (SSO works)')
    .option('--concurrency <n>', 'parallel S3 downloads', '32')
    .option(
      '--cache-dir <folder>',
      "where an S3 lake's partitions are copied to be read (else RTLAKE_CACHE_DIR or ~/.cache/rtlake)",
    )
    .option('--json', 'print one JSON summary on stdout')
    .option('--quiet', 'no progress on stderr');
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
      reporter: flags.quiet ? silentReporter : stderrReporter(),
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
    .option('--table <name>', 'table name', 'vehicle_positions')
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
      io.stdout(flags.json ? JSON.stringify(summary, null, 2) : summary.ddl);
    });

  addTableFlags(
    catalog
      .command('glue')
      .description('create or update the table in the AWS Glue Data Catalog (idempotent)'),
  )
    .requiredOption('--database <name>', 'Glue database (created if missing)')
    .option(
      '--glue-endpoint <url>',
      'Glue endpoint (else AWS_ENDPOINT_URL_GLUE / AWS_ENDPOINT_URL, else a custom S3 endpoint)',
    )
    .action(async (flags: TableFlags) => {
      const { stage, config } = lakeContext(flags);
      const glueEndpoint =
        flags.glueEndpoint ??
        process.env.AWS_ENDPOINT_URL_GLUE ??
        process.env.AWS_ENDPOINT_URL ??
        config.s3Settings.endpoint;
      if (glueEndpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(glueEndpoint)) {
        throw new UsageError(`Glue endpoint "${glueEndpoint}" must be an http:// or https:// URL`);
      }
      if (
        !flags.glueEndpoint &&
        !process.env.AWS_ENDPOINT_URL_GLUE &&
        !process.env.AWS_ENDPOINT_URL &&
        glueEndpoint
      ) {
        stage.reporter.info(
          `using the S3 endpoint ${glueEndpoint} for Glue too (set --glue-endpoint to change)`,
        );
      }
      const summary = await catalogGlue({
        ...stage,
        database: flags.database!,
        table: flags.table,
        glue: {
          ...(glueEndpoint ? { endpoint: glueEndpoint } : {}),
          ...(config.s3Settings.region ? { region: config.s3Settings.region } : {}),
          ...(config.s3Settings.profile ? { profile: config.s3Settings.profile } : {}),
        },
        ...(flags.location !== undefined ? { location: parseS3Location(flags.location)! } : {}),
        ...(flags.years !== undefined ? { years: parseYears(flags.years)! } : {}),
      });
      if (flags.json) {
        io.stdout(JSON.stringify(summary, null, 2));
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
      io.stdout(lines.join('\n'));
    });

  addLakeFlags(
    catalog
      .command('duckdb')
      .description(
        'write a DuckDB database file with the view vehicle_positions over the lake (Tableau, DBeaver, Python)',
      ),
  )
    .requiredOption('--out <file.duckdb>', 'the DuckDB database file to create or update')
    .option(
      '--copy-dir <folder>',
      'for an S3 lake: where its local copy is kept (default: <out name>-parquet/ beside --out)',
    )
    .action(async (flags: LakeFlags & { out: string; copyDir?: string }) => {
      const { stage } = lakeContext(flags);
      const summary = await catalogDuckdb({
        ...stage,
        out: flags.out,
        ...(flags.copyDir ? { copyDir: flags.copyDir } : {}),
      });
      if (flags.json) {
        io.stdout(JSON.stringify(summary, null, 2));
        return;
      }
      const lines = [
        `wrote ${summary.database}: view vehicle_positions over ${summary.partitions} day partition(s), ${summary.rows.toLocaleString('en-US')} rows`,
        `  reads ${summary.parquet_glob}`,
      ];
      if (summary.local_copy && summary.copy) {
        lines.push(
          `  DuckDB cannot read S3 here, so the view reads a local copy of ${summary.lake} in ${summary.local_copy}` +
            ` (${summary.copy.downloaded} downloaded, ${summary.copy.reused} already there, ${summary.copy.removed} removed); re-run this command to refresh it`,
        );
      } else {
        lines.push('  days ingested later appear in the view without re-running this command');
      }
      lines.push(
        `Try: duckdb -readonly ${summary.database} "SELECT route_id, count(*) FROM vehicle_positions GROUP BY ALL ORDER BY 2 DESC LIMIT 5"`,
      );
      io.stdout(lines.join('\n'));
    });
}
