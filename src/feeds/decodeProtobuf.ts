import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { FeedFormatError } from './feedErrors.js';

/** The official GTFS-realtime schema (proto/gtfs-realtime.proto, copied with its source and licence). */
export const protoPath = new URL('../../proto/gtfs-realtime.proto', import.meta.url);

let feedMessage: protobuf.Type | undefined;

/**
 * The FeedMessage type, parsed once per thread with the proto's own snake_case field names (the
 * names of MBTA's enhanced JSON, so a decoded feed reads through the same SQL). Every `required`
 * is relaxed to optional: real feeds omit required fields (an entity id, a translation's text),
 * and one missing field must cost that field (NULL), not the whole file. A missing header is
 * checked here instead: without it the bytes are not a feed.
 */
export function feedMessageType(): protobuf.Type {
  if (feedMessage) return feedMessage;
  const root = protobuf.parse(relaxRequired(readFileSync(protoPath, 'utf8')), { keepCase: true }).root;
  oneByteEnumNames(root);
  feedMessage = root.lookupType('transit_realtime.FeedMessage');
  return feedMessage;
}

/**
 * The enum names as strings of their own. The parser's names are slices of the proto's text,
 * which holds a few non-Latin-1 characters in its comments, so V8 keeps them two bytes a
 * character; every decoded row they went into became two-byte too, and writing it cost a tenth
 * of the decoder thread (String::WriteToFlat<unsigned short> and UTF-16 to UTF-8 in a perf profile).
 */
function oneByteEnumNames(namespace: protobuf.NamespaceBase): void {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Enum) {
      for (const id of Object.keys(nested.valuesById)) {
        const name = nested.valuesById[Number(id)]!;
        nested.valuesById[Number(id)] = Buffer.from(name, 'utf8').toString('utf8');
      }
    }
    if (nested instanceof protobuf.Namespace) oneByteEnumNames(nested);
  }
}

/**
 * The proto's text with every `required` field made `optional`. protobufjs 8 reads presence from
 * the proto's features once the root resolves (Field.required is a getter), so the rule is
 * changed where it is written: relaxing the parsed fields no longer takes effect.
 */
function relaxRequired(proto: string): string {
  return proto.replace(/^(\s*)required(\s)/gm, '$1optional$2');
}

/** Counts of the entities of one feed by what they carry (an entity can carry several). */
export interface EntityKinds {
  entities: number;
  vehicles: number;
  tripUpdates: number;
  alerts: number;
}

export interface DecodedFeed {
  /** The feed as MBTA's enhanced JSON spells it: snake_case, enums by name, absent fields absent. */
  feed: Record<string, unknown>;
  kinds: EntityKinds;
}

/**
 * The shortest decimal that reads back as the same float32: a float32 latitude 42.35059 widened
 * to double is 42.35059356689453, digits the sender never had. Its shortest round-trip string
 * ("42.35059") is what it meant; DuckDB's DOUBLE of that string is what the lake keeps. A
 * non-finite value is kept as its name (the SQL reads it as no position, as for JSON).
 */
export function float32Shortest(value: number): number | string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) <= 16777216) return value;
  return Number(float32ShortestText(value));
}

/**
 * float32Shortest as text, for writers of text (src/feeds/feedRows.ts): the digits toPrecision
 * gives, not turned into a number and back (exponent notation for large or small values, which
 * DuckDB's cast reads as the same DOUBLE). Integers up to 2^24 and non-finite values as String().
 */
export function float32ShortestText(value: number): string {
  if (!Number.isFinite(value) || (Number.isInteger(value) && Math.abs(value) <= 16777216))
    return String(value);
  // Fewest significant digits that round-trip: if p digits do, so do p + 1 (the nearest
  // (p+1)-digit decimal is at least as near as the p-digit one), so a binary search over 1..9 finds
  // it. found is the text of the last high set; 9 digits always round-trip.
  let low = 1;
  let high = 9;
  let found = '';
  while (low < high) {
    const mid = (low + high) >> 1;
    const text = value.toPrecision(mid);
    if (Math.fround(Number(text)) === value) {
      high = mid;
      found = text;
    } else low = mid + 1;
  }
  return found !== '' ? found : value.toPrecision(9);
}

type Long = { toNumber(): number };

function isLong(value: unknown): value is Long {
  return typeof value === 'object' && value !== null && typeof (value as Long).toNumber === 'function';
}

/** One decoded message as plain JSON: only the fields present on the wire, in declaration order. */
function toPlain(type: protobuf.Type, message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(message, field.name)) continue;
    const value = message[field.name];
    if (field.repeated) {
      if (!Array.isArray(value) || value.length === 0) continue;
      out[field.name] = value.map((v) => plainValue(field, v));
    } else if (value !== null && value !== undefined) {
      out[field.name] = plainValue(field, value);
    }
  }
  return out;
}

function plainValue(field: protobuf.Field, value: unknown): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return toPlain(resolved, value as Record<string, unknown>);
  if (resolved instanceof protobuf.Enum) return resolved.valuesById[value as number] ?? value;
  if (field.type === 'float') return float32Shortest(value as number);
  if (isLong(value)) return value.toNumber();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/** Wire-format faults (protobufjs's words) that mean the bytes stop before the message does. */
const truncation = /index out of range|premature end|unexpected end/i;

/** A decoded FeedMessage as protobufjs gives it: a field is present when it is an own property. */
export type FeedMessage = Record<string, unknown> & { entity: Record<string, unknown>[] };

const has = (message: object, field: string): boolean => Object.prototype.hasOwnProperty.call(message, field);

/**
 * Decodes a GTFS-realtime FeedMessage. Unknown fields and extensions (NYCT's, MBTA's) are
 * skipped by the decoder. Bytes that are not a FeedMessage with a header throw FeedFormatError
 * `not_a_feed`; a feed whose bytes end early, `truncated_protobuf`; other damage, `corrupt_protobuf`.
 * The message stays protobufjs's (see feedRows.ts, which writes the rows straight from it).
 */
export function decodeFeed(bytes: Uint8Array): { message: FeedMessage; kinds: EntityKinds } {
  const type = feedMessageType();
  let message: FeedMessage;
  try {
    message = type.decode(bytes) as unknown as FeedMessage;
  } catch (err) {
    const words = err instanceof Error ? err.message : String(err);
    if (!startsWithFeedHeader(bytes)) {
      throw new FeedFormatError('not_a_feed', `neither JSON nor a GTFS-realtime protobuf (${words})`);
    }
    if (truncation.test(words))
      throw new FeedFormatError('truncated_protobuf', `protobuf feed ends early: ${words}`);
    throw new FeedFormatError('corrupt_protobuf', `protobuf feed is damaged: ${words}`);
  }
  const header = has(message, 'header') ? (message.header as Record<string, unknown> | null) : null;
  if (!header || !has(header, 'gtfs_realtime_version') || header.gtfs_realtime_version == null) {
    throw new FeedFormatError('not_a_feed', 'decodes as protobuf, but has no GTFS-realtime header');
  }
  const entity = Array.isArray(message.entity) ? message.entity : [];
  message.entity = entity;
  const kinds: EntityKinds = { entities: entity.length, vehicles: 0, tripUpdates: 0, alerts: 0 };
  for (const e of entity) {
    if (e.vehicle != null) kinds.vehicles += 1;
    if (e.trip_update != null) kinds.tripUpdates += 1;
    if (e.alert != null) kinds.alerts += 1;
  }
  return { message, kinds };
}

/** A decoded message as MBTA's enhanced JSON: only the fields present on the wire, in declaration order. */
export function enhancedJson(message: FeedMessage): Record<string, unknown> {
  const plain = toPlain(feedMessageType(), message);
  plain.entity = plain.entity ?? [];
  return plain;
}

/** decodeFeed, then the feed as enhanced JSON (decodeFeed's errors). */
export function decodeFeedMessage(bytes: Uint8Array): DecodedFeed {
  const { message, kinds } = decodeFeed(bytes);
  return { feed: enhancedJson(message), kinds };
}

/**
 * Whether the bytes open with field 1 (the header) as a length-delimited message whose own
 * fields decode: a damaged feed still has its header; arbitrary bytes almost never do.
 */
function startsWithFeedHeader(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x0a) return false;
  try {
    const reader = protobuf.Reader.create(bytes);
    reader.uint32();
    const header = feedMessageType().lookupType('FeedHeader');
    const decoded = header.decode(reader.bytes()) as unknown as Record<string, unknown>;
    return typeof decoded.gtfs_realtime_version === 'string';
  } catch {
    return false;
  }
}
