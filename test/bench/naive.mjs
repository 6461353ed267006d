#!/usr/bin/env node
// The "naive" benchmark: the old Spark job ported literally to Node. One file at a time it reads,
// gunzips and JSON.parses in JS, builds a row object per entity[].vehicle and appends it to a
// DuckDB table with the Appender; then the same dedupe + partitioned COPY as the baseline.
// It shows what moving the parsing out of DuckDB costs.
//
// Usage: node test/bench/naive.mjs --source DIR --out DIR [--threads N] [--memory-limit SIZE]
// Prints one JSON line on stdout: rows read (vehicle entities with a vehicle id and a timestamp),
// rows written, seconds.
import { DuckDBInstance, DuckDBTimestampTZValue } from '@duckdb/node-api';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { listArchiveFiles, round } from './archiveFiles.mjs';
import { copyDedupedPings } from './copyDedupedPings.mjs';

// Beyond DuckDB's TIMESTAMPTZ range (about ±290,000 years; e.g. an unset uint64) is NULL.
const MAX_EPOCH_SECONDS = 9.2e12;

const usage = 'usage: node test/bench/naive.mjs --source DIR --out DIR [--threads N] [--memory-limit SIZE]';

const { values } = parseArgs({
  options: {
    source: { type: 'string' },
    out: { type: 'string' },
    threads: { type: 'string' },
    'memory-limit': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(usage + '\n');
  process.exit(0);
}
if (!values.source || !values.out) fail('--source and --out are required');
const threads = values.threads === undefined ? undefined : Number(values.threads);
if (threads !== undefined && !(Number.isInteger(threads) && threads > 0))
  fail(`--threads must be a positive integer, got ${values.threads}`);

const sourceRoot = resolve(values.source);
const outDir = resolve(values.out);
if (existsSync(outDir) && readdirSync(outDir).length > 0)
  fail(`--out ${outDir} is not empty; remove it first`);
const files = listArchiveFiles(sourceRoot);
if (files.length === 0) fail(`no *.json or *.json.gz files under ${sourceRoot}/YYYY/MM/DD/`);

const config = {};
if (threads) config.threads = String(threads);
if (values['memory-limit']) config.memory_limit = values['memory-limit'];
const instance = await DuckDBInstance.create(':memory:', config);
const connection = await instance.connect();
// TIMESTAMPTZ values print in UTC (partitions do not depend on it). Set after start-up: passing
// TimeZone in the instance config fails with @duckdb/node-api 1.5.6-r.1 ("icu extension needs to
// be loaded"), although icu is built in.
await connection.run(`SET TimeZone = 'UTC'`);
await connection.run(`
  CREATE TABLE pings (
    feed_timestamp TIMESTAMPTZ, vehicle_id VARCHAR, current_status VARCHAR,
    current_stop_sequence INTEGER, occupancy_status VARCHAR, bearing DOUBLE, latitude DOUBLE,
    longitude DOUBLE, stop_id VARCHAR, "timestamp" TIMESTAMPTZ, direction_id INTEGER,
    route_id VARCHAR, schedule_relationship VARCHAR, start_date VARCHAR, start_time VARCHAR,
    trip_id VARCHAR, label VARCHAR, source_key VARCHAR, entity_index INTEGER
  )`);

const t0 = performance.now();
const appender = await connection.createAppender('pings');
let rowsRead = 0;
for (const file of files) {
  // Every archive object is gzip, whatever its name says.
  const feed = JSON.parse(gunzipSync(await readFile(file)).toString('utf8'));
  // A file without a header is not a feed; the real tool skips it.
  if (feed?.header == null) continue;
  const sourceKey = relative(sourceRoot, file).split(sep).join('/');
  const feedTimestamp = toTimestamp(feed.header?.timestamp);
  const entities = Array.isArray(feed.entity) ? feed.entity : [];
  for (let i = 0; i < entities.length; i++) {
    const v = entities[i]?.vehicle;
    if (v == null) continue;
    const row = {
      feed_timestamp: feedTimestamp,
      vehicle_id: text(v.vehicle?.id),
      current_status: text(v.current_status),
      current_stop_sequence: integer(v.current_stop_sequence),
      occupancy_status: text(v.occupancy_status),
      bearing: double(v.position?.bearing),
      latitude: double(v.position?.latitude),
      longitude: double(v.position?.longitude),
      stop_id: text(v.stop_id),
      timestamp: toTimestamp(v.timestamp),
      direction_id: integer(v.trip?.direction_id),
      route_id: text(v.trip?.route_id),
      schedule_relationship: text(v.trip?.schedule_relationship),
      start_date: text(v.trip?.start_date),
      start_time: text(v.trip?.start_time),
      trip_id: text(v.trip?.trip_id),
      label: text(v.vehicle?.label),
      source_key: sourceKey,
      entity_index: i,
    };
    appendRow(row);
    // Counted like the baseline's rows read: the dedupe's input.
    if (row.vehicle_id !== null && row.timestamp !== null) rowsRead++;
  }
}
appender.closeSync();
const loadSeconds = (performance.now() - t0) / 1000;

const t1 = performance.now();
const copied = await connection.runAndReadAll(copyDedupedPings('    SELECT * FROM pings', outDir));
const copySeconds = (performance.now() - t1) / 1000;
const seconds = (performance.now() - t0) / 1000;

process.stdout.write(
  JSON.stringify({
    tool: 'naive',
    files: files.length,
    rows_read: rowsRead,
    rows_written: Number(copied.getRows()[0][0]),
    seconds: round(seconds),
    rows_per_second: Math.round(rowsRead / seconds),
    load_seconds: round(loadSeconds),
    copy_seconds: round(copySeconds),
    threads: Number((await connection.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0][0]),
  }) + '\n',
);
connection.closeSync();
instance.closeSync();

function appendRow(r) {
  appendOrNull(r.feed_timestamp, (x) => appender.appendTimestampTZ(x));
  appendOrNull(r.vehicle_id, (x) => appender.appendVarchar(x));
  appendOrNull(r.current_status, (x) => appender.appendVarchar(x));
  appendOrNull(r.current_stop_sequence, (x) => appender.appendInteger(x));
  appendOrNull(r.occupancy_status, (x) => appender.appendVarchar(x));
  appendOrNull(r.bearing, (x) => appender.appendDouble(x));
  appendOrNull(r.latitude, (x) => appender.appendDouble(x));
  appendOrNull(r.longitude, (x) => appender.appendDouble(x));
  appendOrNull(r.stop_id, (x) => appender.appendVarchar(x));
  appendOrNull(r.timestamp, (x) => appender.appendTimestampTZ(x));
  appendOrNull(r.direction_id, (x) => appender.appendInteger(x));
  appendOrNull(r.route_id, (x) => appender.appendVarchar(x));
  appendOrNull(r.schedule_relationship, (x) => appender.appendVarchar(x));
  appendOrNull(r.start_date, (x) => appender.appendVarchar(x));
  appendOrNull(r.start_time, (x) => appender.appendVarchar(x));
  appendOrNull(r.trip_id, (x) => appender.appendVarchar(x));
  appendOrNull(r.label, (x) => appender.appendVarchar(x));
  appender.appendVarchar(r.source_key);
  appender.appendInteger(r.entity_index);
  appender.endRow();
}

function appendOrNull(value, append) {
  if (value === null) appender.appendNull();
  else append(value);
}

// The casts mirror the baseline's SQL: numbers may arrive as strings, and what does not parse is
// NULL (TRY_CAST), never an error.

function number(x) {
  if (typeof x === 'number') return Number.isFinite(x) ? x : null;
  if (typeof x === 'string' && x.trim() !== '') {
    const n = Number(x);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function double(x) {
  return number(x); // NaN and infinities are already NULL
}

function integer(x) {
  const n = number(x);
  if (n === null) return null;
  const r = Math.round(n);
  return r >= -2147483648 && r <= 2147483647 ? r : null;
}

function text(x) {
  if (x === undefined || x === null) return null;
  return typeof x === 'string' ? x : JSON.stringify(x);
}

function toTimestamp(x) {
  const n = number(x);
  if (n === null || Math.abs(n) > MAX_EPOCH_SECONDS) return null;
  return new DuckDBTimestampTZValue(BigInt(Math.round(n * 1e6)));
}

function fail(message) {
  process.stderr.write(`naive: ${message}\n${usage}\n`);
  process.exit(2);
}
