import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/openDatabase.js';
import {
  createFeedTables,
  loadAlertBatch,
  loadTripUpdateBatch,
  mergeAlerts,
  mergeTripUpdates,
  pointFeedView,
  type FeedBatchCounts,
  type FeedFile,
} from '../../src/feeds/feedTables.js';
import { sniffEncoding } from '../../src/feeds/sniffFormat.js';
import { writeDecodedFeed } from '../../src/feeds/writeDecodedFeed.js';
import { assertFeedChecks } from './lakeChecks.js';

export interface FeedTablesResult {
  tripUpdates: Record<string, unknown>[];
  alerts: Record<string, unknown>[];
  tripUpdateCounts: FeedBatchCounts[];
  alertCounts: FeedBatchCounts[];
}

/**
 * Reads named files (key -> bytes) into the trip_updates and alerts tables with src/feeds, in
 * batches of `batchSize` files, as ingest will: protobuf decoded to enhanced JSON first, then each
 * batch's winners, then the merge. Returns the kept rows, ordered, with DuckDB's JSON rendering.
 */
export async function readFeedTables(
  files: Record<string, Buffer>,
  batchSize = 1000,
): Promise<FeedTablesResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rtlake-feeds-'));
  const ready: FeedFile[] = [];
  let n = 0;
  for (const [key, bytes] of Object.entries(files)) {
    const raw = join(dir, `raw-${++n}`);
    writeFileSync(raw, bytes);
    const encoding = sniffEncoding(bytes.subarray(0, 4096));
    if (encoding.format === 'protobuf') {
      await writeDecodedFeed(raw, `${raw}.json`);
      ready.push({ path: `${raw}.json`, sourceKey: key });
    } else {
      const path = `${raw}.json${encoding.gzip ? '.gz' : ''}`;
      writeFileSync(path, readFileSync(raw));
      ready.push({ path, sourceKey: key });
    }
  }
  const db = await openDatabase();
  try {
    const c = db.connection;
    await createFeedTables(c);
    const tuFiles: string[] = [];
    const alertFiles: string[] = [];
    const result: FeedTablesResult = { tripUpdates: [], alerts: [], tripUpdateCounts: [], alertCounts: [] };
    for (let i = 0; i < ready.length; i += batchSize) {
      const batch = ready.slice(i, i + batchSize);
      const tu = join(dir, `tu-${i}.parquet`);
      const al = join(dir, `al-${i}.parquet`);
      result.tripUpdateCounts.push(
        await loadTripUpdateBatch(c, batch, { maxObjectSize: 16 << 20, keptFile: tu }),
      );
      result.alertCounts.push(await loadAlertBatch(c, batch, { maxObjectSize: 16 << 20, keptFile: al }));
      tuFiles.push(tu);
      alertFiles.push(al);
    }
    await pointFeedView(c, 'trip_updates_run', tuFiles);
    await pointFeedView(c, 'alerts_run', alertFiles);
    await mergeTripUpdates(c);
    await mergeAlerts(c);
    result.tripUpdates = (
      await c.runAndReadAll(
        'SELECT * EXCLUDE (from_run, day_date) FROM trip_updates_kept ORDER BY source_key, entity_index, update_index',
      )
    ).getRowObjectsJson() as Record<string, unknown>[];
    result.alerts = (
      await c.runAndReadAll(
        'SELECT * EXCLUDE (day_date) FROM alerts_kept ORDER BY first_seen, alert_id, source_key',
      )
    ).getRowObjectsJson() as Record<string, unknown>[];
    return result;
  } finally {
    db.close();
  }
}

/**
 * One ingest run of trip_updates and alerts into a lake folder: the files' batches, then for each
 * table the merge with the lake's partitions and the write of the changed ones. Returns which
 * partitions were written or left unchanged.
 */
export async function ingestFeedTables(
  files: Record<string, Buffer>,
  lake: string,
): Promise<Record<string, 'written' | 'unchanged'>> {
  const { LocalStore } = await import('../../src/store/localStore.js');
  const { RetryTally } = await import('../../src/retry.js');
  const { mergeFeedTable } = await import('../../src/feeds/ingestFeedTables.js');
  const dir = mkdtempSync(join(tmpdir(), 'rtlake-feeds-run-'));
  const ready: FeedFile[] = [];
  let n = 0;
  for (const [key, bytes] of Object.entries(files)) {
    const raw = join(dir, `raw-${++n}`);
    writeFileSync(raw, bytes);
    const encoding = sniffEncoding(bytes.subarray(0, 4096));
    const path = encoding.format === 'protobuf' ? `${raw}.json` : `${raw}.json${encoding.gzip ? '.gz' : ''}`;
    if (encoding.format === 'protobuf') await writeDecodedFeed(raw, path);
    else writeFileSync(path, bytes);
    ready.push({ path, sourceKey: key });
  }
  const out = new LocalStore(lake, lake, new RetryTally());
  const db = await openDatabase();
  const statuses: Record<string, 'written' | 'unchanged'> = {};
  try {
    const c = db.connection;
    await createFeedTables(c);
    const tu = join(dir, 'tu.parquet');
    const al = join(dir, 'al.parquet');
    await loadTripUpdateBatch(c, ready, { maxObjectSize: 16 << 20, keptFile: tu });
    await loadAlertBatch(c, ready, { maxObjectSize: 16 << 20, keptFile: al });
    for (const [table, file] of [
      ['trip_updates', tu],
      ['alerts', al],
    ] as const) {
      const merged = await mergeFeedTable(c, table, [file], { out, workDir: dir, replace: false });
      for (const p of merged.partitions) statuses[p.rel] = p.changed ? 'written' : 'unchanged';
    }
    return statuses;
  } finally {
    db.close();
  }
}

/**
 * A lake table's rows as stored, read straight from its Parquet files (with the path's day). The
 * table's sql/checks/ run first (test/helpers/lakeChecks.ts): a lake breaking them fails the test.
 */
export async function lakeTableRows(
  lake: string,
  table: string,
  order: string,
): Promise<Record<string, unknown>[]> {
  if (table === 'trip_updates' || table === 'alerts') await assertFeedChecks(lake, table);
  const db = await openDatabase();
  try {
    const glob = join(lake, table, '*', '*', '*', 'data.parquet').replaceAll("'", "''");
    const reader = await db.connection.runAndReadAll(
      `SELECT * FROM read_parquet('${glob}', hive_partitioning = true) ORDER BY ${order}`,
    );
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
