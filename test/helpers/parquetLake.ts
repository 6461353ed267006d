import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance, quotedString } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { LakeRow } from './referenceLake.js';
import type { DedupeGrain } from '../../src/pipeline/dedupeRule.js';
import { assertLakeChecks } from './lakeChecks.js';

/** The 19 columns of every partition file, in order, with their DuckDB types. */
export const expectedSchema: [string, string][] = [
  ['feed_timestamp', 'TIMESTAMP WITH TIME ZONE'],
  ['vehicle_id', 'VARCHAR'],
  ['current_status', 'VARCHAR'],
  ['current_stop_sequence', 'INTEGER'],
  ['occupancy_status', 'VARCHAR'],
  ['bearing', 'DOUBLE'],
  ['latitude', 'DOUBLE'],
  ['longitude', 'DOUBLE'],
  ['stop_id', 'VARCHAR'],
  ['timestamp', 'TIMESTAMP WITH TIME ZONE'],
  ['direction_id', 'INTEGER'],
  ['route_id', 'VARCHAR'],
  ['schedule_relationship', 'VARCHAR'],
  ['start_date', 'VARCHAR'],
  ['start_time', 'VARCHAR'],
  ['trip_id', 'VARCHAR'],
  ['label', 'VARCHAR'],
  ['source_key', 'VARCHAR'],
  ['entity_index', 'INTEGER'],
];

/** A lake as the test reads it back, with its own DuckDB: rows, each file's schema and digest. */
export interface ReadLake {
  /** Every row, with the partition folder of the file it came from. */
  rows: (LakeRow & { partition: string })[];
  /** partition ("year=2021/month=12/day=31") -> file names in its folder. */
  files: Map<string, string[]>;
  /** partition -> [column name, DuckDB type] of its data.parquet. */
  schemas: Map<string, [string, string][]>;
  /** partition -> sha256 of its data.parquet. */
  digests: Map<string, string>;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out.sort();
}

/**
 * Reads every file under <lakeDir>/vehicle_positions/ with a fresh in-memory DuckDB, after the
 * lake's checks (sql/checks/, under the dedupe grain it was written with) found nothing.
 */
export async function readLakeFolder(lakeDir: string, grain: DedupeGrain = 'key'): Promise<ReadLake> {
  const table = join(lakeDir, 'vehicle_positions');
  await assertLakeChecks(
    walk(table).filter((f) => f.endsWith('.parquet')),
    grain,
  );
  const lake: ReadLake = { rows: [], files: new Map(), schemas: new Map(), digests: new Map() };
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const file of walk(table)) {
      const rel = relative(table, file).split(sep);
      const partition = rel.slice(0, -1).join('/');
      lake.files.set(partition, [...(lake.files.get(partition) ?? []), rel.at(-1)!]);
      if (!file.endsWith('.parquet')) continue;
      lake.digests.set(partition, createHash('sha256').update(readFileSync(file)).digest('hex'));
      const source = `read_parquet(${quotedString(file)}, hive_partitioning = false)`;
      const schema = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
      lake.schemas.set(
        partition,
        schema.getRowObjects().map((r) => [String(r.column_name), String(r.column_type)]),
      );
      const reader = await connection.runAndReadAll(`
        SELECT epoch_us(feed_timestamp) AS feed_timestamp, vehicle_id, current_status, current_stop_sequence,
          occupancy_status, bearing, latitude, longitude, stop_id, epoch_us("timestamp") AS "timestamp",
          direction_id, route_id, schedule_relationship, start_date, start_time, trip_id, label, source_key, entity_index
        FROM ${source}`);
      for (const r of reader.getRowObjects()) {
        const row = Object.fromEntries(
          Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
        );
        lake.rows.push({ ...(row as unknown as LakeRow), partition });
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return lake;
}

/** Copies every object under s3://bucket/prefix into dir (same relative paths); returns the keys. */
export async function downloadPrefix(
  client: S3Client,
  bucket: string,
  prefix: string,
  dir: string,
): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  for (const key of keys) {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const target = join(dir, key.slice(prefix.length));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, await got.Body!.transformToByteArray());
  }
  return keys.sort();
}
