import { gunzipSync } from 'node:zlib';

/**
 * An independent, deliberately naive model of what rtlake's lake must hold, for comparing with
 * the real output: flatten entity[].vehicle, drop rows without vehicle id or timestamp, keep one
 * row per (vehicle_id, timestamp) by (feed timestamp, source key, entity index), newest first
 * (the README's keep=latest rule), and place it in the UTC day of its own timestamp.
 */
export interface ReferenceFile {
  key: string;
  bytes: Buffer;
}

const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

interface Row {
  vehicleId: string;
  ts: number;
  feedTs: number | null;
  key: string;
  index: number;
  lat: number | null;
  lon: number | null;
}

/** Returns the same core strings as lakeCore(): partition | vehicle_id | epoch | source_key | entity_index | lat | lon. */
export function referenceLake(files: ReferenceFile[]): string[] {
  const best = new Map<string, Row>();
  for (const f of files) {
    const raw = f.bytes[0] === 0x1f && f.bytes[1] === 0x8b ? gunzipSync(f.bytes) : f.bytes;
    const feed = JSON.parse(raw.toString('utf8')) as {
      header?: { timestamp?: unknown };
      entity?: { vehicle?: Record<string, any> }[];
    };
    const feedTs = num(feed.header?.timestamp);
    (feed.entity ?? []).forEach((e, index) => {
      const v = e?.vehicle;
      if (!v) return;
      const vehicleId = v.vehicle?.id;
      const ts = num(v.timestamp);
      if (vehicleId === undefined || vehicleId === null || ts === null) return;
      const row: Row = {
        vehicleId: String(vehicleId),
        ts,
        feedTs,
        key: f.key,
        index,
        lat: num(v.position?.latitude),
        lon: num(v.position?.longitude),
      };
      const group = `${row.vehicleId}\n${ts}`;
      const held = best.get(group);
      if (!held || newer(row, held)) best.set(group, row);
    });
  }
  return [...best.values()]
    .map((r) => {
      const d = new Date(r.ts * 1000);
      const partition = `year=${d.getUTCFullYear()}/month=${d.getUTCMonth() + 1}/day=${d.getUTCDate()}`;
      return [partition, r.vehicleId, Math.round(r.ts), r.key, r.index, r.lat, r.lon].join('|');
    })
    .sort();
}

function newer(a: Row, b: Row): boolean {
  // NULL feed timestamps sort last (never preferred).
  if (a.feedTs !== b.feedTs) {
    if (a.feedTs === null) return false;
    if (b.feedTs === null) return true;
    return a.feedTs > b.feedTs;
  }
  if (a.key !== b.key) return Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) > 0;
  return a.index > b.index;
}
