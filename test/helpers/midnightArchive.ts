import { gunzipSync, gzipSync } from 'node:zlib';

/** One generated archive object and how to store it. */
export interface ArchiveObject {
  key: string;
  bytes: Buffer;
  /** Set when the object is stored gzipped under a plain `.json` name, as MBTA's archive did. */
  contentEncoding?: 'gzip';
}

export interface MidnightArchiveOptions {
  /** Key prefix before YYYY/MM/DD/, e.g. "mbta/". */
  prefix: string;
  /** header.timestamp of the first snapshot (epoch seconds). */
  start: number;
  count: number;
  stepSeconds: number;
  /** How many of the real snapshot's vehicles to carry. */
  vehicles: number;
  seed: number;
}

type Vehicle = Record<string, any>;

/** mulberry32: a small seeded generator, so the archive is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const occupancies = ['MANY_SEATS_AVAILABLE', 'FEW_SEATS_AVAILABLE', 'STANDING_ROOM_ONLY', 'FULL'];
const round9 = (x: number) => Number(x.toFixed(9));
const pad = (n: number) => String(n).padStart(2, '0');

function keyFor(prefix: string, epochSeconds: number, gzipName: boolean): string {
  const d = new Date(epochSeconds * 1000);
  const day = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  const iso = d.toISOString().replace('.000Z', 'Z');
  return `${prefix}${day}/${iso}_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json${gzipName ? '.gz' : ''}`;
}

/** proto3 JSON writes 64-bit integers as strings; some archives carry every number as a string. */
function withNumbersAsStrings(entity: Vehicle): Vehicle {
  const copy = structuredClone(entity);
  const v = copy.vehicle;
  if (!v) return copy;
  for (const k of ['timestamp', 'current_stop_sequence']) if (typeof v[k] === 'number') v[k] = String(v[k]);
  for (const k of ['bearing', 'latitude', 'longitude'])
    if (typeof v.position?.[k] === 'number') v.position[k] = String(v.position[k]);
  if (typeof v.trip?.direction_id === 'number') v.trip.direction_id = String(v.trip.direction_id);
  return copy;
}

/**
 * A run of consecutive VehiclePositions snapshots derived from one real MBTA snapshot, behaving
 * like the live feed around midnight: about a third of the vehicles advance per snapshot (new
 * timestamp, moved a little, sometimes the next stop), the rest are re-published unchanged, some
 * re-publications change occupancy without a new timestamp, and a few vehicles stall just before
 * midnight so their 23:59 pings are re-published for the rest of the archive. Also: snapshots
 * sharing a header timestamp (tie on feed_timestamp), a vehicle repeated within a file (tie on
 * source_key), numbers as strings, vehicles without trip or bearing, rows without id or
 * timestamp, and the three storage forms (gzip by name, gzip by Content-Encoding, plain JSON).
 */
export function midnightArchive(seedSnapshotGz: Buffer, options: MidnightArchiveOptions): ArchiveObject[] {
  const rand = random(options.seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const seedFeed = JSON.parse(gunzipSync(seedSnapshotGz).toString('utf8'));
  const seedTime = Number(seedFeed.header.timestamp);
  const midnight = Math.ceil(options.start / 86400) * 86400;
  const vehicles: Vehicle[] = seedFeed.entity
    .filter((e: Vehicle) => e.vehicle?.vehicle?.id && e.vehicle?.timestamp)
    .slice(0, options.vehicles)
    .map((e: Vehicle, n: number) => {
      const entity = structuredClone(e);
      const v = entity.vehicle;
      // Keep each vehicle's real lag behind the feed.
      v.timestamp = options.start - (seedTime - Number(v.timestamp));
      if (n % 7 === 2) delete v.trip;
      if (n % 6 === 4 && v.position) delete v.position.bearing;
      return entity;
    });
  const stalls = (n: number) => n % 10 === 3;

  const objects: ArchiveObject[] = [];
  let feedTime = options.start;
  for (let i = 0; i < options.count; i++) {
    const keyTime = options.start + i * options.stepSeconds + 1;
    // Every 97th snapshot repeats the previous header timestamp (a re-archived feed).
    if (i > 0 && i % 97 !== 50) feedTime = options.start + i * options.stepSeconds;
    vehicles.forEach((entity, n) => {
      const v = entity.vehicle;
      const stalled = stalls(n) && feedTime >= midnight - 8;
      if (!stalled && rand() < 1 / 3) {
        v.timestamp = Math.max(Number(v.timestamp) + 1, feedTime - pick(5));
        if (v.position) {
          v.position.latitude = round9(v.position.latitude + (rand() - 0.5) * 0.002);
          v.position.longitude = round9(v.position.longitude + (rand() - 0.5) * 0.002);
          if ('bearing' in v.position) v.position.bearing = pick(360);
        }
        if (rand() < 0.2 && typeof v.current_stop_sequence === 'number') v.current_stop_sequence += 1;
      } else if (rand() < (stalled ? 0.2 : 0.05)) {
        v.occupancy_status = occupancies[pick(occupancies.length)];
      }
    });
    // The live feed's entity order is not stable.
    const entities: Vehicle[] = vehicles.map((e) => structuredClone(e));
    for (let j = entities.length - 1; j > 0; j--) {
      const k = pick(j + 1);
      [entities[j], entities[k]] = [entities[k]!, entities[j]!];
    }
    if (i % 40 === 7) {
      const again = structuredClone(entities[pick(entities.length)]!);
      again.vehicle.occupancy_status = occupancies[pick(occupancies.length)];
      entities.push(again);
    }
    if (i % 100 === 13) {
      entities.push({});
      entities.push({
        id: 'no-vehicle-id',
        vehicle: { timestamp: feedTime, position: { latitude: 42.35, longitude: -71.06 } },
      });
      entities.push({
        id: 'y9999',
        vehicle: {
          vehicle: { id: 'y9999', label: '9999' },
          position: { latitude: 42.36, longitude: -71.05 },
        },
      });
    }
    const asStrings = i % 5 === 1;
    const feed = {
      header: {
        gtfs_realtime_version: '2.0',
        incrementality: 'FULL_DATASET',
        timestamp: asStrings ? String(feedTime) : feedTime,
      },
      entity: asStrings ? entities.map(withNumbersAsStrings) : entities,
    };
    const json = Buffer.from(JSON.stringify(feed));
    const form = i % 3;
    if (form === 0) objects.push({ key: keyFor(options.prefix, keyTime, true), bytes: gzipSync(json) });
    else if (form === 1)
      objects.push({
        key: keyFor(options.prefix, keyTime, false),
        bytes: gzipSync(json),
        contentEncoding: 'gzip',
      });
    else objects.push({ key: keyFor(options.prefix, keyTime, false), bytes: json });
  }
  return objects;
}
