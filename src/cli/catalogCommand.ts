import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseLocation, type Location } from '../location.js';
import { catalogAthena } from '../pipeline/catalogAthena.js';
import { catalogDuckdb } from '../pipeline/catalogDuckdb.js';
import { catalogGlue } from '../pipeline/catalogGlue.js';
import type { Reporter } from '../pipeline/reporter.js';
import { lakeTablesPresent } from '../pipeline/catalogLakeFiles.js';
import { parseLakeTables, type LakeTableName } from '../pipeline/lakeTables.js';
import { glueEndpoint, required, resolveConfig, type ResolvedConfig } from './config.js';
import { lakeDays, reporterFor } from './context.js';
import {
  addJsonFlag,
  addLakeDaysFlags,
  addS3Flags,
  defaults,
  httpUrl,
  addLakeTableFlag,
  type DayRangeFlags,
  type FeedFlags,
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
        'the lake: what ingest --out was given (it holds vehicle_positions/, trip_updates/, alerts/)',
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

interface TableFlags extends LakeFlags, FeedFlags {
  database?: string;
  table?: string;
  location?: string;
  years?: string;
  glueEndpoint?: string;
}

const feedHelp =
  'the lake table: vehicle_positions (default), trip_updates, alerts, or all (every table the lake holds); repeatable';

function addTableFlags(cmd: Command): Command {
  return addLakeTableFlag(addLakeFlags(cmd), feedHelp)
    .option('--table <name>', `catalog table name (default: the lake table's, ${defaults.table})`)
    .option('--location <s3://bucket/prefix>', 'the S3 copy of a local --lake (the table must point at S3)')
    .option(
      '--years <first,last>',
      "years Athena projects (default: the lake's first year to five years after this one)",
    );
}

/**
 * The lake tables a catalog command declares, each with its catalog name. Without --feed:
 * vehicle_positions, as before the other tables existed, so every existing invocation does what it
 * did. `--feed all` is every table the lake holds. --table renames a single table only.
 */
async function chosenTables(
  flags: TableFlags | (LakeFlags & FeedFlags),
  lake: Store,
  reporter: Reporter,
): Promise<{ lakeTable: LakeTableName; name: string }[]> {
  const { tables, all } = parseLakeTables(flags.feed);
  const given = 'table' in flags ? flags.table : undefined;
  let present = tables;
  if (all) {
    const found = await lakeTablesPresent(lake, tables);
    present = found.present;
    if (found.absent.length) reporter.info(`the lake holds no ${found.absent.join(' or ')} yet: left out`);
  }
  if (given !== undefined && present.length > 1)
    throw new UsageError(
      `--table ${given} names one catalog table, but --feed chose ${present.join(', ')}: each is named after its lake table (or run once per --feed with its --table)`,
    );
  return present.map((t) => ({ lakeTable: t, name: given ?? t }));
}

/** One summary as before --feed; several as { tables: [...] }. */
const jsonOf = <T>(summaries: T[]) =>
  JSON.stringify(summaries.length === 1 ? summaries[0] : { tables: summaries }, null, 2);

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
      const summaries = [];
      for (const { lakeTable, name } of await chosenTables(flags, stage.lake, stage.reporter)) {
        const summary = await catalogAthena({
          ...stage,
          lakeTable,
          table: name,
          ...(flags.database !== undefined ? { database: flags.database } : {}),
          ...(flags.location !== undefined ? { location: parseS3Location(flags.location)! } : {}),
          ...(flags.years !== undefined ? { years: parseYears(flags.years)! } : {}),
        });
        if (summary.location_is_placeholder) {
          stage.reporter.warn(
            `${summary.lake} is a local folder: LOCATION below is a placeholder. Upload the lake (aws s3 sync ${summary.lake} s3://bucket/prefix) and re-run with --lake s3://bucket/prefix or --location s3://bucket/prefix`,
          );
        }
        summaries.push(summary);
      }
      await io.stdout(flags.json ? jsonOf(summaries) : summaries.map((s) => s.ddl).join('\n\n'));
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
      const summaries = [];
      for (const { lakeTable, name } of await chosenTables(flags, stage.lake, stage.reporter)) {
        summaries.push(
          await catalogGlue({
            ...stage,
            lakeTable,
            database: flags.database!,
            table: name,
            glue: {
              ...(glue.url ? { endpoint: glue.url } : {}),
              ...(config.s3Settings.region ? { region: config.s3Settings.region } : {}),
              ...(config.s3Settings.profile ? { profile: config.s3Settings.profile } : {}),
            },
            ...(flags.location !== undefined ? { location: parseS3Location(flags.location)! } : {}),
            ...(flags.years !== undefined ? { years: parseYears(flags.years)! } : {}),
          }),
        );
      }
      if (flags.json) {
        await io.stdout(jsonOf(summaries));
        return;
      }
      const lines: string[] = [];
      for (const summary of summaries) {
        const what = `${summary.database}.${summary.table}`;
        lines.push(
          summary.status === 'unchanged'
            ? `unchanged: Glue table ${what} already matches the lake`
            : `${summary.status} Glue table ${what}${summary.changes.length ? ` (${summary.changes.join(', ')})` : ''}`,
          `  ${summary.columns.length} columns, partitions year/month/day projected for ${summary.parameters['projection.year.range']!.replace(',', '-')}`,
          `  location ${summary.location}`,
        );
        if (summary.database_status === 'created') lines.push(`  created Glue database ${summary.database}`);
      }
      const first = summaries[0]!;
      lines.push(
        `Query it in Athena: SELECT count(*) FROM ${first.database}.${first.table} WHERE year = ${first.last_day.slice(0, 4)}`,
      );
      await io.stdout(lines.join('\n'));
    });

  const duckdb = addLakeTableFlag(
    addLakeFlags(
      catalog
        .command('duckdb')
        .description(
          'write a DuckDB database file with a view per lake table (vehicle_positions; --feed for the others) for Tableau, DBeaver, Python',
        ),
    ),
    'the lake table to make a view of: vehicle_positions (default), trip_updates, alerts, or all (every table the lake holds); repeatable',
  );
  duckdb
    .addOption(required(new Option('--out <file.duckdb>', 'the DuckDB database file to create or update')))
    .option(
      '--copy-dir <folder>',
      'for an S3 lake: where its local copy is kept (default: <out name>-parquet/ beside --out)',
    );
  addLakeDaysFlags(duckdb).action(
    async (flags: LakeFlags & FeedFlags & DayRangeFlags & { out: string; copyDir?: string }) => {
      const { stage } = lakeContext(flags);
      const selectDays = lakeDays(flags);
      const { tables, all } = parseLakeTables(flags.feed);
      const summary = await catalogDuckdb({
        ...stage,
        ...(selectDays ? { selectDays } : {}),
        tables,
        presentOnly: all,
        out: flags.out,
        ...(flags.copyDir ? { copyDir: flags.copyDir } : {}),
      });
      if (flags.json) {
        await io.stdout(JSON.stringify(summary, null, 2));
        return;
      }
      const lines: string[] = [];
      for (const [view, t] of Object.entries(summary.tables)) {
        lines.push(
          `wrote ${summary.database}: view ${view} over ${t.partitions} day partition(s), ${t.rows.toLocaleString('en-US')} rows`,
          selectDays
            ? `  reads the ${t.partitions} partition file(s) of the days asked for, under ${t.parquet_glob.replace(new RegExp(`/${view}/.*$`), '')}`
            : `  reads ${t.parquet_glob}`,
        );
      }
      const them = summary.views.length > 1 ? 'views read' : 'view reads';
      if (summary.local_copy && summary.copy) {
        lines.push(
          `  DuckDB cannot read S3 here, so the ${them} a local copy of ${summary.lake} in ${summary.local_copy}` +
            ` (${summary.copy.downloaded} downloaded, ${summary.copy.reused} already there, ${summary.copy.removed} removed); re-run this command to refresh it`,
        );
      } else if (!selectDays) {
        lines.push(
          `  days ingested later appear in the ${summary.views.length > 1 ? 'views' : 'view'} without re-running this command`,
        );
      }
      lines.push(`Try: duckdb -readonly ${summary.database} "${tryQuery[summary.views[0]!]}"`);
      await io.stdout(lines.join('\n'));
    },
  );
}

/** A first query to try on each view. */
const tryQuery: Record<LakeTableName, string> = {
  vehicle_positions: 'SELECT route_id, count(*) FROM vehicle_positions GROUP BY ALL ORDER BY 2 DESC LIMIT 5',
  trip_updates:
    'SELECT route_id, count(*) AS predictions FROM trip_updates GROUP BY ALL ORDER BY 2 DESC LIMIT 5',
  alerts: 'SELECT effect, count(*) AS versions FROM alerts GROUP BY ALL ORDER BY 2 DESC',
};
