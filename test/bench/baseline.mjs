#!/usr/bin/env node
// The benchmark's baseline: the whole job as ONE DuckDB statement over local archive files, the
// way someone who knows DuckDB would write it by hand. read_json reads every file (gzip bodies,
// pinned schema, numbers as text then cast), the entities are flattened to the 17 seed columns
// plus lineage, deduplicated on (vehicle_id, timestamp) and written as hive-partitioned Parquet.
// It does none of the real tool's bookkeeping (per-file checks, incremental state, S3), so it is
// the floor the real CLI is measured against. Its output is the same as the real tool's with
// --dedupe key (pinned schema and casts of sql/10_load_batch.sql, rule of sql/20_dedupe.sql).
//
// Usage: node test/bench/baseline.mjs --source DIR --out DIR
//          [--threads N] [--memory-limit 4GB] [--format auto|unstructured|newline_delimited]
//          [--files-from list|glob] [--profile FILE]
// Prints one JSON line on stdout: rows read (vehicle entities with a vehicle id and a timestamp),
// rows written, seconds. --profile keeps DuckDB's JSON profile of the statement in FILE and prints
// its operator tree on stderr. Every archive object must be gzip, whatever its name says.
import { DuckDBInstance, quotedString } from '@duckdb/node-api';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listArchiveFiles, round } from './archiveFiles.mjs';
import { copyDedupedPings } from './copyDedupedPings.mjs';

const usage =
  'usage: node test/bench/baseline.mjs --source DIR --out DIR [--threads N] [--memory-limit SIZE] [--format auto|unstructured|newline_delimited] [--files-from list|glob] [--profile FILE]';

const { values } = parseArgs({
  options: {
    source: { type: 'string' },
    out: { type: 'string' },
    threads: { type: 'string' },
    'memory-limit': { type: 'string' },
    format: { type: 'string', default: 'auto' },
    'files-from': { type: 'string', default: 'list' },
    profile: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(usage + '\n');
  process.exit(0);
}
if (!values.source || !values.out) fail('--source and --out are required');
if (!['auto', 'unstructured', 'newline_delimited'].includes(values.format))
  fail(`--format must be auto, unstructured or newline_delimited, got ${values.format}`);
if (!['list', 'glob'].includes(values['files-from']))
  fail(`--files-from must be list or glob, got ${values['files-from']}`);
const threads = values.threads === undefined ? undefined : Number(values.threads);
if (threads !== undefined && !(Number.isInteger(threads) && threads > 0))
  fail(`--threads must be a positive integer, got ${values.threads}`);

const sourceRoot = resolve(values.source);
const outDir = resolve(values.out);
if (existsSync(outDir) && readdirSync(outDir).length > 0)
  fail(`--out ${outDir} is not empty; remove it first`);

// The archive layout is YYYY/MM/DD/<time>_<feed>.json[.gz]; every object is gzip whatever its name
// (MBTA stores them with Content-Encoding: gzip), hence compression = 'gzip' below.
const files = values['files-from'] === 'list' ? listArchiveFiles(sourceRoot) : null;
if (files && files.length === 0) fail(`no *.json or *.json.gz files under ${sourceRoot}/YYYY/MM/DD/`);
const filesSql = files
  ? `[${files.map((f) => quotedString(f)).join(', ')}]`
  : quotedString(join(sourceRoot, '*', '*', '*', '*.json*'));

// The feed schema is pinned as in sql/10_load_batch.sql: numbers are read as text and cast below,
// because feeds carry integers where floats are expected, numbers as strings and absent fields.
const readJsonSql = `read_json(
        ${filesSql},
        format = '${values.format}',
        records = true,
        compression = 'gzip',
        filename = true,
        columns = {
          header: 'STRUCT("timestamp" VARCHAR)',
          entity: 'STRUCT(
            id VARCHAR,
            vehicle STRUCT(
              current_status VARCHAR,
              current_stop_sequence VARCHAR,
              occupancy_status VARCHAR,
              position STRUCT(bearing VARCHAR, latitude VARCHAR, longitude VARCHAR),
              stop_id VARCHAR,
              "timestamp" VARCHAR,
              trip STRUCT(
                direction_id VARCHAR,
                route_id VARCHAR,
                schedule_relationship VARCHAR,
                start_date VARCHAR,
                start_time VARCHAR,
                trip_id VARCHAR
              ),
              vehicle STRUCT(id VARCHAR, label VARCHAR)
            )
          )[]'
        }
      )`;

// One statement: read -> flatten -> dedupe -> partitioned Parquet.
const copySql = copyDedupedPings(
  `
    WITH files AS (
      -- A file without a header is not a feed; the real tool skips it.
      SELECT filename, header, entity
      FROM ${readJsonSql}
      WHERE header IS NOT NULL
    ),
    entities AS (
      SELECT
        filename,
        header."timestamp" AS header_timestamp,
        unnest(entity) AS e,
        generate_subscripts(entity, 1) - 1 AS entity_index
      FROM files
    )
    SELECT
      -- TRY: an epoch outside TIMESTAMPTZ's range (an unset uint64) is NULL, not a failed run.
      TRY(to_timestamp(TRY_CAST(header_timestamp AS DOUBLE)))    AS feed_timestamp,
      e.vehicle.vehicle.id                                       AS vehicle_id,
      e.vehicle.current_status                                   AS current_status,
      TRY_CAST(TRY_CAST(e.vehicle.current_stop_sequence AS DOUBLE) AS INTEGER) AS current_stop_sequence,
      e.vehicle.occupancy_status                                 AS occupancy_status,
      -- NaN and infinities are no position at all.
      CASE WHEN isfinite(TRY_CAST(e.vehicle.position.bearing AS DOUBLE)) THEN TRY_CAST(e.vehicle.position.bearing AS DOUBLE) END AS bearing,
      CASE WHEN isfinite(TRY_CAST(e.vehicle.position.latitude AS DOUBLE)) THEN TRY_CAST(e.vehicle.position.latitude AS DOUBLE) END AS latitude,
      CASE WHEN isfinite(TRY_CAST(e.vehicle.position.longitude AS DOUBLE)) THEN TRY_CAST(e.vehicle.position.longitude AS DOUBLE) END AS longitude,
      e.vehicle.stop_id                                          AS stop_id,
      TRY(to_timestamp(TRY_CAST(e.vehicle."timestamp" AS DOUBLE))) AS "timestamp",
      TRY_CAST(TRY_CAST(e.vehicle.trip.direction_id AS DOUBLE) AS INTEGER) AS direction_id,
      e.vehicle.trip.route_id                                    AS route_id,
      e.vehicle.trip.schedule_relationship                       AS schedule_relationship,
      e.vehicle.trip.start_date                                  AS start_date,
      e.vehicle.trip.start_time                                  AS start_time,
      e.vehicle.trip.trip_id                                     AS trip_id,
      e.vehicle.vehicle.label                                    AS label,
      substr(filename, length(${quotedString(sourceRoot)}) + 2)     AS source_key,
      entity_index::INTEGER                                      AS entity_index
    FROM entities
    WHERE e.vehicle IS NOT NULL`,
  outDir,
);

const config = {};
if (threads) config.threads = String(threads);
if (values['memory-limit']) config.memory_limit = values['memory-limit'];
const instance = await DuckDBInstance.create(':memory:', config);
const connection = await instance.connect();
// TIMESTAMPTZ values print in UTC (partitions do not depend on it). Set after start-up: passing
// TimeZone in the instance config fails with @duckdb/node-api 1.5.6-r.1 ("icu extension needs to
// be loaded"), although icu is built in.
await connection.run(`SET TimeZone = 'UTC'`);

// COPY reports only the rows it wrote. The rows read come from DuckDB's profile of the same
// statement (the cardinality of its WINDOW operator, whose input is every vehicle entity with a
// vehicle id and a timestamp), so the files are read once; the profile also gives the
// per-operator split printed with --profile.
const profilePath = values.profile
  ? resolve(values.profile)
  : join(mkdtempSync(join(tmpdir(), 'rtlake-baseline-')), 'profile.json');
await connection.run(`PRAGMA enable_profiling = 'json'`);
await connection.run(`SET profiling_output = ${quotedString(profilePath)}`);

const t0 = performance.now();
const copied = await connection.runAndReadAll(copySql);
const seconds = (performance.now() - t0) / 1000;
await connection.run(`PRAGMA disable_profiling`);
const rowsWritten = Number(copied.getRows()[0][0]);
const threadCount = Number(
  (await connection.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0][0],
);
connection.closeSync();
instance.closeSync();

const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
const operators = flattenProfile(profile);
const window = operators.find((o) => o.name === 'WINDOW');
const rowsRead = window ? window.rows : null;
if (values.profile) {
  // Operator times are summed over threads (and count time a thread waited for a core), so they
  // can add up to more than the wall time.
  for (const o of operators)
    process.stderr.write(
      `${' '.repeat(o.depth * 2)}${o.name} rows=${o.rows} thread_s=${o.seconds.toFixed(2)}\n`,
    );
} else {
  rmSync(dirname(profilePath), { recursive: true, force: true });
}

process.stdout.write(
  JSON.stringify({
    tool: 'baseline',
    files: files ? files.length : null,
    rows_read: rowsRead,
    rows_written: rowsWritten,
    seconds: round(seconds),
    rows_per_second: rowsRead === null ? null : Math.round(rowsRead / seconds),
    threads: threadCount,
    format: values.format,
  }) + '\n',
);

/** The profile's operator tree as a list in pre-order, with depth. */
function flattenProfile(node, depth = 0, out = []) {
  if (node.operator_type) {
    out.push({
      name: node.operator_type,
      rows: Number(node.operator_cardinality ?? 0),
      seconds: Number(node.operator_timing ?? 0),
      depth,
    });
  }
  for (const child of node.children ?? []) flattenProfile(child, node.operator_type ? depth + 1 : depth, out);
  return out;
}

function fail(message) {
  process.stderr.write(`baseline: ${message}\n${usage}\n`);
  process.exit(2);
}
