import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

/**
 * The test's own view of GTFS-realtime: the official proto parsed here (not through src/feeds),
 * an encoder for writing a snapshot as protobuf, a plain decoder for independent references, and
 * the proto3 JSON mapping's camelCase spelling of an enhanced JSON feed.
 */
const root = protobuf.parse(
  readFileSync(new URL('../../proto/gtfs-realtime.proto', import.meta.url), 'utf8'),
  {
    keepCase: true,
  },
).root;
export const FeedMessage = root.lookupType('transit_realtime.FeedMessage');

/** An enhanced-JSON feed (snake_case, enums by name) as protobuf bytes. */
export function encodeProtobuf(feed: object): Buffer {
  const message = FeedMessage.fromObject(feed);
  const problem = FeedMessage.verify(message);
  if (problem) throw new Error(`test feed does not fit the proto: ${problem}`);
  return Buffer.from(FeedMessage.encode(message).finish());
}

/** Protobuf bytes as plain JSON through protobufjs's own toObject: absent fields absent. */
export function plainDecode(bytes: Uint8Array): any {
  return FeedMessage.toObject(FeedMessage.decode(bytes), { longs: Number, enums: String, defaults: false });
}

const camel = (key: string): string => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * The proto3 JSON mapping of a snake_case feed: keys in lowerCamelCase, and (numbersAsStrings)
 * every number as a string, as exporters write uint64 and some write everything.
 */
export function toCamelCase(value: unknown, numbersAsStrings = false): unknown {
  if (Array.isArray(value)) return value.map((v) => toCamelCase(v, numbersAsStrings));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [camel(k), toCamelCase(v, numbersAsStrings)]),
    );
  }
  if (typeof value === 'number' && numbersAsStrings) return String(value);
  return value;
}

/** The float32 a protobuf position holds, as the shortest decimal that reads back as it. */
export function asFloat32(value: number): number {
  const f = Math.fround(value);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  throw new Error(`no decimal for ${value}`);
}

/**
 * What a protobuf of an enhanced JSON snapshot (gzip or not) carries, as plain enhanced JSON: the
 * canonical content, positions as the float32 values the protobuf holds.
 */
export function canonicalFeed(json: Buffer): any {
  const text = json[0] === 0x1f && json[1] === 0x8b ? gunzipSync(json) : json;
  const feed = plainDecode(encodeProtobuf(JSON.parse(text.toString())));
  for (const e of feed.entity ?? []) {
    const p = e.vehicle?.position;
    for (const k of ['latitude', 'longitude', 'bearing', 'speed'])
      if (p && typeof p[k] === 'number') p[k] = asFloat32(p[k]);
  }
  return feed;
}
