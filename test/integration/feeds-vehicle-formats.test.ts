import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/openDatabase.js';
import { DecoderPool } from '../../src/feeds/decoderPool.js';
import { createLoadTables, loadBatch } from '../../src/pipeline/ingest/loadBatch.js';
import { vehiclePositions } from '../../src/pipeline/ingest/feedTable.js';
import type { ReadyFile } from '../../src/pipeline/ingest/fetchInput.js';
import type { DecodedFiles } from '../../src/feeds/writeDecodedFeed.js';
import { asFloat32, encodeProtobuf, plainDecode } from '../helpers/feedEncodings.js';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const pool = new DecoderPool(1);
afterAll(() => pool.close());

/** A float32 position written as JSON says what the protobuf said: its shortest decimal. */
function float32Positions(feed: any): any {
  for (const e of feed.entity ?? []) {
    const p = e.vehicle?.position;
    if (!p) continue;
    for (const k of ['latitude', 'longitude', 'bearing', 'speed'])
      if (typeof p[k] === 'number') p[k] = asFloat32(p[k]);
  }
  return feed;
}

/** A file as the fetch stage hands it over: a JSON file's path, or a protobuf's and what its decoding wrote. */
type Fetched = { path: string; decoded?: DecodedFiles };

/** vehicle_positions rows (every column but source_key) of one file read with today's loader. */
async function vehicleRows({ path, decoded }: Fetched): Promise<Record<string, unknown>[]> {
  const db = await openDatabase();
  try {
    await createLoadTables(db.connection, vehiclePositions);
    const file = {
      input: { key: 'k', uri: path, rel: 'k', size: 0 },
      path,
      bytes: 0,
      ...(decoded ? { decoded } : {}),
    } as unknown as ReadyFile;
    const emptyFile = join(dir, 'empty.json');
    writeFileSync(emptyFile, '');
    const result = await loadBatch(db.connection, [file], {
      table: vehiclePositions,
      maxObjectSize: 16 << 20,
      emptyFile,
      keep: 'all',
    });
    expect(result.skipped).toEqual([]);
    const reader = await db.connection.runAndReadAll(
      'SELECT * EXCLUDE (source_key) FROM pings ORDER BY entity_index',
    );
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'rtlake-vp-formats-'));
let n = 0;
async function asProtobufFile(bytes: Buffer): Promise<Fetched> {
  const source = join(dir, `${++n}.pb`);
  writeFileSync(source, bytes);
  const decoded = await pool.decode(source, dir);
  // The decoder's flat vehicle rows are what vehicle_positions reads of a protobuf: the lines of
  // its run's CSV (a run of one feed here: each decode is awaited alone).
  expect(decoded.vehicles).toEqual({ file: expect.stringMatching(/\.vehicles\.csv$/), part: 0 });
  return { path: source, decoded };
}
function asJsonFile(feed: unknown, gzip: boolean): Fetched {
  const path = join(dir, `${++n}.json${gzip ? '.gz' : ''}`);
  const text = Buffer.from(JSON.stringify(feed));
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return { path };
}

describe('vehicle_positions: the same snapshot gives the same rows in every encoding', () => {
  it.each([
    'mbta-trip-updates-alerts/vehiclepositions.pb',
    'mbta-trip-updates-alerts/VehiclePositions-staging.pb',
    'protobuf-agencies/bullrunner-vehicle-positions',
    'protobuf-agencies/g.pb',
  ])('real protobuf %s and its enhanced JSON', async (path) => {
    const bytes = fixture(path);
    const asJson = float32Positions(plainDecode(bytes));
    const fromProtobuf = await vehicleRows(await asProtobufFile(bytes));
    expect(fromProtobuf.length).toBe(asJson.entity.filter((e: any) => e.vehicle).length);
    expect(fromProtobuf.length).toBeGreaterThan(5);
    expect(await vehicleRows(asJsonFile(asJson, false))).toEqual(fromProtobuf);
    expect(await vehicleRows(asJsonFile(asJson, true))).toEqual(fromProtobuf);
  });

  it('a real MBTA enhanced JSON snapshot written as protobuf', async () => {
    const feed = JSON.parse(
      gunzipSync(
        fixture(
          'seed-snapshots/2022-07-05T12:35:16Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz',
        ),
      ).toString(),
    );
    const fromProtobuf = await vehicleRows(await asProtobufFile(encodeProtobuf(feed)));
    const fromJson = await vehicleRows(asJsonFile(float32Positions(feed), true));
    expect(fromProtobuf).toEqual(fromJson);
    expect(fromJson.length).toBe(683);
  });
});
