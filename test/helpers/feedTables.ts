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
