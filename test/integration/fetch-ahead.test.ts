import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseLocation } from '../../src/location.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { silentReporter, type Reporter } from '../../src/pipeline/reporter.js';
import { makeStorage } from '../../src/store/openStore.js';

// Issue 15: fetching runs at most one batch ahead of loading (the heap holds one batch's fetches,
// not the whole listing's), and a folder's files, ready at once, go in full batches.
const T = 1630886400; // 2021-09-06T00:00:00Z
const files = 30;
const batchFiles = 4;

function archive(): string {
  const root = mkdtempSync(join(tmpdir(), 'rtlake-fetch-ahead-'));
  const day = join(root, 'archive', '2021', '09', '06');
  mkdirSync(day, { recursive: true });
  for (let i = 0; i < files; i++) {
    const ts = T + 10 * i;
    const name = `${new Date(ts * 1000).toISOString().slice(0, 19)}Z_VehiclePositions_enhanced.json.gz`;
    const feed = {
      header: { gtfs_realtime_version: '2.0', timestamp: ts },
      // One vehicle per file, a new ping each time: every row is kept.
      entity: [{ id: 'v1', vehicle: { vehicle: { id: 'v1' }, timestamp: ts - 1 } }],
    };
    writeFileSync(join(day, name), gzipSync(JSON.stringify(feed)));
  }
  return root;
}

describe('the fetch stage', () => {
  it('runs at most one batch ahead of the loader, and loads a folder in full batches', async () => {
    const root = archive();
    const storage = makeStorage({ s3: {} });
    let fetched = 0;
    let loaded = 0;
    let mostAhead = 0;
    const batches: number[] = [];
    const reporter: Reporter = {
      ...silentReporter,
      fileFetched: () => {
        fetched++;
        mostAhead = Math.max(mostAhead, fetched - loaded);
      },
      filesLoaded: (keys) => {
        loaded += keys.length;
        batches.push(keys.length);
      },
    };
    const summary = await ingest({
      sources: [storage.open(parseLocation(join(root, 'archive'), '--source'))],
      out: storage.open(parseLocation(join(root, 'lake'), '--out')),
      glob: '*VehiclePositions*.json*',
      rule: { grain: 'key', keep: 'latest' },
      concurrency: 8,
      batchFiles,
      cacheDir: join(root, 'cache'),
      maxObjectSize: 16 * 1024 * 1024,
      strict: false,
      reporter,
    });
    expect(summary).toMatchObject({ keys_loaded: files, rows_read: files, rows_written: files });
    expect(fetched).toBe(files);
    // One batch in the loader and at most one batch's files fetched and waiting beside it.
    expect(mostAhead).toBeLessThanOrEqual(2 * batchFiles);
    // 30 files in batches of 4: seven full ones, then the last 2.
    expect(batches).toEqual([4, 4, 4, 4, 4, 4, 4, 2]);
  });
});
