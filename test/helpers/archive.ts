import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ReferenceFile } from './tinyReference.js';

export const fixturesDir = join(import.meta.dirname, '../fixtures');

/** The real MBTA snapshots that seed generated archives (test/fixtures/seed-snapshots/), by file name. */
export const seedSnapshots = [
  '2022-01-01T00:00:03Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz',
  '2022-07-05T12:35:16Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz',
  '2024-02-08_rtr_VehiclePositions_enhanced.json',
  '2024-09-18_screens_excerpt_VehiclePositions_enhanced.json',
] as const;

/** The seed snapshots' bytes, in the order above. */
export function realFixtures(): { name: string; bytes: Buffer }[] {
  return seedSnapshots.map((name) => ({
    name,
    bytes: readFileSync(join(fixturesDir, 'seed-snapshots', name)),
  }));
}

function plain(bytes: Buffer): string {
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

/**
 * A multi-day archive built from the real fixtures: each real snapshot followed by `variants - 1`
 * snapshots derived from it 2 s apart (a third of the vehicles advance and move a little, the rest
 * are re-published unchanged), named like MBTA's archive and gzipped on every other file.
 */
export function multiDayArchive(variants = 4): ReferenceFile[] {
  const out: ReferenceFile[] = [];
  for (const { bytes } of realFixtures()) {
    const base = JSON.parse(plain(bytes)) as {
      header: { timestamp: number | string };
      entity: { vehicle?: any }[];
    };
    for (let i = 0; i < variants; i++) {
      const feed = structuredClone(base);
      const headerTs = Number(feed.header.timestamp) + 2 * i;
      feed.header.timestamp = headerTs;
      feed.entity.forEach((e, index) => {
        if (i > 0 && e.vehicle && index % 3 === i % 3 && e.vehicle.timestamp !== undefined) {
          e.vehicle.timestamp = Number(e.vehicle.timestamp) + 2 * i;
          if (e.vehicle.position?.latitude !== undefined)
            e.vehicle.position.latitude = Number(e.vehicle.position.latitude) + 0.0001 * i;
        }
      });
      const iso = new Date(headerTs * 1000).toISOString().replace('.000', '');
      const day = iso.slice(0, 10).replaceAll('-', '/');
      const gz = i % 2 === 0;
      const text = Buffer.from(JSON.stringify(feed));
      out.push({
        key: `${day}/${iso}_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json${gz ? '.gz' : ''}`,
        bytes: gz ? gzipSync(text) : text,
      });
    }
  }
  return out;
}
