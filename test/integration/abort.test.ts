import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { parseLocation } from '../../src/location.js';
import { ingest, type IngestOptions } from '../../src/pipeline/ingest.js';
import { silentReporter, type Reporter } from '../../src/pipeline/reporter.js';
import { makeStorage } from '../../src/store/openStore.js';

const realMbta = join(import.meta.dirname, '../fixtures/real-mbta');

/** Every file under a folder with its bytes, to compare a lake before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[path.slice(dir.length)] = readFileSync(path).toString('base64');
    }
  }
  return out;
}

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'rtlake-abort-test-'));
  // The run's work folder goes under os.tmpdir(): a private one here, to see that it is removed.
  const work = join(root, 'tmp');
  mkdirSync(work);
  process.env.TMPDIR = work;
  const first = join(root, 'first');
  mkdirSync(first);
  cpSync(
    join(realMbta, '2024-09-18_screens_excerpt_VehiclePositions_enhanced.json'),
    join(first, 'a_VehiclePositions.json'),
  );
  const storage = makeStorage({ s3: {} });
  const options = (source: string, reporter: Reporter, signal?: AbortSignal): IngestOptions => ({
    sources: [storage.open(parseLocation(source, '--source'))],
    out: storage.open(parseLocation(join(root, 'lake'), '--out')),
    glob: '*VehiclePositions*.json*',
    rule: { grain: 'key', keep: 'latest' },
    concurrency: 4,
    cacheDir: join(root, 'cache'),
    maxObjectSize: 16 * 1024 * 1024,
    strict: false,
    reporter,
    ...(signal ? { signal } : {}),
  });
  return { root, work, first, lake: join(root, 'lake'), options };
}

describe('an aborted ingest', () => {
  for (const when of ['fetching', 'merging'] as const) {
    it(`stops while ${when}: InterruptedError, work folder and lock removed, the lake as it was`, async () => {
      const { work, first, lake, options } = setup();
      await ingest(options(first, silentReporter));
      const before = snapshot(lake);
      expect(Object.keys(before).some((k) => k.endsWith('data.parquet'))).toBe(true);

      const controller = new AbortController();
      const reporter: Reporter = {
        ...silentReporter,
        fileFetched: () => {
          if (when === 'fetching') controller.abort();
        },
        stage: (name) => {
          if (when === 'merging' && name === 'merging partitions') controller.abort();
        },
      };
      const run = ingest(options(realMbta, reporter, controller.signal));
      await expect(run).rejects.toBeInstanceOf(InterruptedError);
      expect(snapshot(lake)).toEqual(before);
      expect(existsSync(join(lake, '.rtlake.lock'))).toBe(false);
      expect(readdirSync(lake).filter((n) => n.startsWith('.rtlake-staging-'))).toEqual([]);
      expect(readdirSync(work)).toEqual([]);
    });
  }
});
