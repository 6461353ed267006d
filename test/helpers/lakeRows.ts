import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance, quotedString } from '@duckdb/node-api';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { DedupeGrain } from '../../src/pipeline/dedupeRule.js';
import { assertLakeChecks } from './lakeChecks.js';

/** Every file under a folder, as paths relative to it (sorted). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/** Every key under an S3 prefix. */
export async function keysUnder(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Copies an S3 lake (every object under prefix) into a local folder, keeping the relative paths. */
export async function downloadLake(
  client: S3Client,
  bucket: string,
  prefix: string,
  dir: string,
): Promise<void> {
  for (const key of await keysUnder(client, bucket, prefix)) {
    const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const file = join(dir, key.slice(prefix.length));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(await r.Body!.transformToByteArray()));
  }
}

/**
 * Every row of a local lake as one JSON string per row (all columns plus the partition path),
 * sorted, so two lakes compare row by row with toEqual; after the lake's checks (sql/checks/,
 * under the dedupe grain it was written with) found nothing.
 */
export async function lakeRows(lakeDir: string, grain: DedupeGrain = 'key'): Promise<string[]> {
  const files = filesUnder(join(lakeDir, 'vehicle_positions')).filter((f) => f.endsWith('.parquet'));
  if (files.length === 0) return [];
  await assertLakeChecks(
    files.map((f) => join(lakeDir, 'vehicle_positions', f)),
    grain,
  );
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    const list = `[${files.map((f) => quotedString(join(lakeDir, 'vehicle_positions', f))).join(', ')}]`;
    const reader = await c.runAndReadAll(
      `SELECT * EXCLUDE (filename), regexp_extract(filename, 'year=[0-9]+/month=[0-9]+/day=[0-9]+') AS partition
       FROM read_parquet(${list}, hive_partitioning = false, filename = true, union_by_name = true)`,
    );
    return (reader.getRowObjectsJson() as Record<string, unknown>[]).map((r) => JSON.stringify(r)).sort();
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** The comparable core of lake rows: partition | vehicle_id | epoch seconds | source_key | entity_index | lat | lon. */
export async function lakeCore(lakeDir: string, grain: DedupeGrain = 'key'): Promise<string[]> {
  return (await lakeRows(lakeDir, grain))
    .map((line) => {
      const r = JSON.parse(line) as Record<string, string | number | null>;
      const ts = Math.round(Date.parse(String(r.timestamp)) / 1000);
      return [r.partition, r.vehicle_id, ts, r.source_key, r.entity_index, r.latitude, r.longitude].join('|');
    })
    .sort();
}

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
