import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainDecode } from '../helpers/feedEncodings.js';
import { referenceAlerts, referenceTripUpdates } from '../helpers/feedScenarios.js';
import { lakeTableRows } from '../helpers/feedTables.js';
import { json, runCli } from '../helpers/runCli.js';

const fixture = (path: string) => readFileSync(join(import.meta.dirname, '../fixtures', path));
const seeds = [
  ['tripupdates', fixture('mbta-trip-updates-alerts/tripupdates.pb')],
  ['alerts', fixture('mbta-trip-updates-alerts/alerts.pb')],
  ['g', fixture('protobuf-agencies/g.pb')],
] as const;

/** Seeded mutants of real protobuf feeds: bit flips, cuts, inserted bytes, a zeroed run. */
function mutants(count: number): { key: string; bytes: Buffer }[] {
  let seed = 14;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const out: { key: string; bytes: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const [name, base] = seeds[i % seeds.length]!;
    let bytes = Buffer.from(base);
    switch (i % 4) {
      case 0:
        {
          const at = next() % bytes.length;
          bytes[at] = bytes[at]! ^ (1 << (next() % 8));
        }
        break;
      case 1:
        bytes = bytes.subarray(0, 1 + (next() % (bytes.length - 1)));
        break;
      case 2: {
        const at = next() % bytes.length;
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          Buffer.from([next() & 0xff, next() & 0xff]),
          bytes.subarray(at),
        ]);
        break;
      }
      default: {
        const at = next() % bytes.length;
        bytes.fill(0, at, Math.min(bytes.length, at + 8));
      }
    }
    out.push({ key: `${String(i).padStart(3, '0')}-${name}.pb`, bytes });
  }
  return out;
}

describe('fuzz: protobuf mutants of real feeds', () => {
  it('every mutant is loaded or skipped with a protobuf reason, and what loads equals the library decode', async () => {
    const work = mkdtempSync(join(tmpdir(), 'rtlake-feeds-fuzz-'));
    const archive = join(work, 'archive');
    mkdirSync(archive);
    const files = mutants(60);
    for (const f of files) writeFileSync(join(archive, f.key), f.bytes);
    const r = await runCli([
      'ingest',
      '--source',
      archive,
      '--out',
      join(work, 'lake'),
      '--cache-dir',
      join(work, 'cache'),
      '--feed',
      'all',
      '--glob',
      '*',
      '--json',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = json<any>(r);
    expect(s.keys_failed).toBe(0);
    expect(s.keys_loaded + s.keys_skipped).toBe(files.length);
    const reasons = new Set(s.skipped.map((k: any) => k.reason));
    for (const reason of reasons)
      expect(['corrupt_protobuf', 'truncated_protobuf', 'not_a_feed', 'feed_not_selected']).toContain(reason);
    expect(s.keys_skipped).toBeGreaterThan(0);
    expect(s.keys_loaded).toBeGreaterThan(0);
    // The loaded mutants' trip updates and alerts, against protobufjs's own decode of each (where the
    // strict library decode accepts the mutant; rtlake relaxes required fields, so it may load more).
    const skipped = new Set(s.skipped.map((k: any) => k.key.split('/').pop()));
    const loaded = files.filter((f) => !skipped.has(f.key));
    const comparable = loaded.filter((f) => {
      try {
        const feed = plainDecode(f.bytes);
        return feed.header?.gtfs_realtime_version !== undefined;
      } catch {
        return false;
      }
    });
    expect(comparable.length).toBeGreaterThan(5);
    const lake = join(work, 'lake');
    const tu = await lakeTableRows(lake, 'trip_updates', 'source_key, entity_index, update_index');
    const al = await lakeTableRows(lake, 'alerts', 'alert_id, source_key');
    for (const f of comparable) {
      const strip = (rows: Record<string, unknown>[]) =>
        rows
          .filter((row) => row.source_key === f.key)
          .map(({ year: _y, month: _m, day: _d, ...rest }) => rest);
      // Each mutant is alone under its key, but dedupe runs over the day: compare what it contributed.
      const expectedTu = referenceTripUpdates(f.key, f.bytes);
      const gotTu = strip(tu);
      for (const row of gotTu) expect(expectedTu).toContainEqual(row);
      const expectedAl = referenceAlerts(f.key, f.bytes);
      const gotAl = strip(al);
      for (const row of gotAl)
        expect(
          expectedAl.map((a: any) => ({ ...a, last_seen: row.last_seen, first_seen: row.first_seen })),
        ).toContainEqual(row);
    }
  });
});
