import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { skipReasons } from '../../src/pipeline/skipReasons.js';
import { realFixtures } from '../helpers/archive.js';
import { lakeRows } from '../helpers/lakeRows.js';
import { json, runCli } from '../helpers/runCli.js';

// Several real processes per test: generous on a loaded two-core machine.
vi.setConfig({ testTimeout: 180000 });

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rtlake-${name}-`));

/** mulberry32: a small seeded PRNG, so every case can be rebuilt from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Feed = { header?: unknown; entity?: unknown };
const structureEdits: ((feed: any, rnd: () => number) => unknown)[] = [
  (f) => (delete f.entity, f),
  (f) => (delete f.header, f),
  (f) => ((f.entity = {}), f),
  (f) => ((f.entity = 'entity'), f),
  (f) => ((f.entity = null), f),
  (f) => ((f.entity = 42), f),
  (f) => ((f.entity = []), f),
  (f, r) => ((f.entity[Math.floor(r() * f.entity.length)] = 42), f),
  (f, r) => ((f.entity[Math.floor(r() * f.entity.length)].vehicle = 'not a vehicle'), f),
  (f, r) => ((f.entity[Math.floor(r() * f.entity.length)].vehicle.timestamp = 'soon'), f),
  (f, r) => ((f.entity[Math.floor(r() * f.entity.length)].vehicle.vehicle = { id: { nested: true } }), f),
  (f, r) => ((f.entity[Math.floor(r() * f.entity.length)].vehicle.position = [1, 2]), f),
  (f) => ((f.header = 'header'), f),
  (f) => ((f.header.timestamp = { t: 1 }), f),
  (f) => [f, f],
  () => [],
  () => 'just a string',
  () => null,
  (f) => ({ header: f.header, entity: f.entity.map((e: any) => ({ id: e.id, trip_update: { trip: {} } })) }),
  (f) => ({ header: f.header, entity: f.entity, extra: { deeply: { nested: [1, 2, { x: 'y' }] } } }),
  (f, r) => (
    (f.entity[Math.floor(r() * f.entity.length)].vehicle.vehicle.label =
      '\'; DROP TABLE pings; --"\u00e9\u{1F68C}'),
    f
  ),
];

interface Case {
  name: string;
  bytes: Buffer;
}

/** Seeded mutations of the real fixture files. */
function mutants(count: number, seed: number): Case[] {
  const rnd = prng(seed);
  const bases = realFixtures().map(({ name, bytes }) => {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
    return { name, gz, text: gz ? gunzipSync(bytes) : bytes };
  });
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const base = pick(bases);
    let data = Buffer.from(base.text);
    let kind: string;
    const k = Math.floor(rnd() * 7);
    if (k === 0) {
      kind = 'bitflip';
      for (let n = 1 + Math.floor(rnd() * 8); n > 0; n--) {
        const at = Math.floor(rnd() * data.length);
        data[at]! ^= 1 << Math.floor(rnd() * 8);
      }
    } else if (k === 1) {
      kind = 'truncate';
      data = data.subarray(0, Math.floor(rnd() * data.length));
    } else if (k === 2) {
      kind = 'insert';
      const at = Math.floor(rnd() * data.length);
      const junk = Buffer.from(
        Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256)),
      );
      data = Buffer.concat([data.subarray(0, at), junk, data.subarray(at)]);
    } else if (k === 3) {
      kind = 'not-utf8';
      // Invalid UTF-8 inside a string value (a quote is followed by the string's first byte).
      const at = data.indexOf('"', Math.floor(rnd() * data.length));
      const where = at === -1 ? 1 : at + 1;
      data = Buffer.concat([data.subarray(0, where), Buffer.from([0xff, 0xfe, 0xc3]), data.subarray(where)]);
    } else {
      kind = 'structure';
      const edit = pick(structureEdits);
      const feed = JSON.parse(data.toString('utf8')) as Feed;
      const edited = (() => {
        try {
          return edit(feed, rnd);
        } catch {
          return feed; // an edit that does not apply to this file (e.g. no entities)
        }
      })();
      data = Buffer.from(edited === undefined ? '' : JSON.stringify(edited));
    }
    // Gzip the mutant when its base was gzipped, or corrupt the gzip stream itself now and then.
    let name = `case-${String(i).padStart(4, '0')}-${kind}_VehiclePositions.json`;
    if (base.gz) {
      data = gzipSync(data);
      name += '.gz';
      if (rnd() < 0.3) {
        const at = 10 + Math.floor(rnd() * (data.length - 10));
        if (rnd() < 0.5) data = data.subarray(0, at);
        else data[at]! ^= 0xff;
        name = name.replace(kind, `${kind}-badgz`);
      }
    }
    out.push({ name, bytes: data });
  }
  return out;
}

interface Summary {
  keys_listed: number;
  keys_loaded: number;
  keys_skipped: number;
  keys_failed: number;
  skipped: { key: string; reason: string; detail: string }[];
  failed: { key: string; error: string }[];
  rows_written: number;
}

const documentedReasons = Object.keys(skipReasons);

describe.concurrent('fuzz: seeded mutations of real MBTA files', () => {
  for (const seed of [1, 2]) {
    it(`seed ${seed}: 120 mutants plus a huge object, every file accounted for, only loaded files reach the lake`, async () => {
      const cases = mutants(120, seed);
      const src = tmp('fuzz-src');
      for (const c of cases) writeFileSync(join(src, c.name), c.bytes);
      // A valid feed far larger than --max-object-size below.
      const big = realFixtures().find((f) => f.name.startsWith('2024-02-08'))!;
      const feed = JSON.parse(big.bytes.toString('utf8')) as { entity: unknown[] };
      feed.entity = Array.from({ length: 20 }, () => feed.entity).flat();
      writeFileSync(join(src, 'huge_VehiclePositions.json'), JSON.stringify(feed));
      mkdirSync(join(src, 'sub'));
      writeFileSync(join(src, 'sub', 'blank_VehiclePositions.json'), '   \n');

      const out = tmp('fuzz-lake');
      const r = await runCli(
        [
          'ingest',
          '--source',
          src,
          '--out',
          out,
          '--max-object-size',
          '1MiB',
          '--json',
          '--quiet',
          '--concurrency',
          '8',
        ],
        { timeoutMs: 120_000 },
      );
      expect([0, 4], r.stderr).toContain(r.code);
      expect(r.stderr).not.toMatch(/internal error/);
      const s = json<Summary>(r);
      const all = [
        ...cases.map((c) => join(src, c.name)),
        join(src, 'huge_VehiclePositions.json'),
        join(src, 'sub', 'blank_VehiclePositions.json'),
      ];
      expect(s.keys_listed).toBe(all.length);
      expect(s.keys_loaded + s.keys_skipped + s.keys_failed).toBe(s.keys_listed);
      const notLoaded = new Set([...s.skipped.map((k) => k.key), ...s.failed.map((k) => k.key)]);
      expect(notLoaded.size).toBe(s.keys_skipped + s.keys_failed);
      for (const k of notLoaded) expect(all).toContain(k);
      for (const k of s.skipped) expect(documentedReasons).toContain(k.reason);
      expect(s.skipped).toContainEqual(
        expect.objectContaining({ key: join(src, 'huge_VehiclePositions.json'), reason: 'too_large' }),
      );
      expect(s.skipped).toContainEqual(
        expect.objectContaining({ key: join(src, 'sub', 'blank_VehiclePositions.json'), reason: 'empty' }),
      );
      // Every mutant that is not valid UTF-8 JSON at all must not be loaded.
      for (const c of cases) {
        let valid = true;
        try {
          const raw = c.bytes[0] === 0x1f && c.bytes[1] === 0x8b ? gunzipSync(c.bytes) : c.bytes;
          JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
        } catch {
          valid = false;
        }
        if (!valid)
          expect(notLoaded, `${c.name} is not valid JSON but was loaded`).toContain(join(src, c.name));
      }
      if (r.code === 4) {
        expect(s.keys_failed).toBeGreaterThan(0);
        expect(await lakeRows(out)).toEqual([]); // nothing written
        return;
      }
      // The lake holds rows only from files reported loaded.
      const loaded = new Set(all.filter((k) => !notLoaded.has(k)).map((k) => k.slice(src.length + 1)));
      const lineage = new Set(
        (await lakeRows(out)).map((row) => (JSON.parse(row) as { source_key: string }).source_key),
      );
      for (const key of lineage)
        expect(loaded, `lake has rows from ${key}, which was not loaded`).toContain(key);
      expect(
        s.rows_written,
        `all ${s.keys_listed} skipped, e.g. ${JSON.stringify(s.skipped.slice(0, 3))}`,
      ).toBeGreaterThan(0);

      if (seed !== 1) return;
      // --strict: the same folder fails before anything is written.
      const strictOut = tmp('fuzz-strict');
      const strict = await runCli(
        ['ingest', '--source', src, '--out', strictOut, '--max-object-size', '1MiB', '--strict', '--quiet'],
        { timeoutMs: 120_000 },
      );
      expect(strict.code).toBe(4);
      expect(strict.stderr.trim().split('\n')).toHaveLength(1);
      expect(await lakeRows(strictOut)).toEqual([]);
    });
  }
});
