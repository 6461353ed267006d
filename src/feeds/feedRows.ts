import protobuf from 'protobufjs';
import {
  feedMessageType,
  float32ShortestText,
  type EntityKinds,
  type FeedMessage,
} from './decodeProtobuf.js';
import { ruleTime, type RunCopies } from './runCopies.js';

/**
 * The columns of a decoded feed's vehicle rows file, in file order: one CSV line per entity with
 * a vehicle, only the leaves sql/ingest/02_batch_rows.sql keeps, as the text the JSON read would
 * have given (it casts them the same way). `part`: which feed of the file's run the line is from
 * (src/feeds/writeDecodedFeed.ts). `doc_entities` is on each feed's first line only: its vehicle count.
 */
export const vehicleRowColumns = [
  'part',
  'entity_index',
  'doc_entities',
  'header_timestamp',
  'vehicle_id',
  'label',
  'current_status',
  'current_stop_sequence',
  'occupancy_status',
  'bearing',
  'latitude',
  'longitude',
  'stop_id',
  'timestamp',
  'direction_id',
  'route_id',
  'schedule_relationship',
  'start_date',
  'start_time',
  'trip_id',
] as const;

type Message = Record<string, unknown>;
type Long = { toNumber(): number };

const hasOwn = Object.prototype.hasOwnProperty;

/** A present field's message, or undefined (protobufjs puts absent fields' defaults on the prototype). */
function sub(message: Message | undefined, field: string): Message | undefined {
  if (message === undefined || !hasOwn.call(message, field)) return undefined;
  const value = message[field];
  return value === null || value === undefined ? undefined : (value as Message);
}

/**
 * A CSV field: empty (NULL in the read) when the field is absent, a string always quoted (so an
 * empty string stays '', read with allow_quoted_nulls = false), a number as JSON writes it.
 */
export function csvText(value: string): string {
  return value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
}

function stringField(message: Message | undefined, field: string): string {
  if (message === undefined || !hasOwn.call(message, field)) return '';
  const value = message[field];
  return typeof value === 'string' ? csvText(value) : '';
}

function integerField(message: Message | undefined, field: string): string {
  if (message === undefined || !hasOwn.call(message, field)) return '';
  const value = message[field];
  if (typeof value === 'number') return String(value);
  if (value !== null && typeof value === 'object' && typeof (value as Long).toNumber === 'function')
    return String((value as Long).toNumber());
  return '';
}

// A direct-mapped cache of float32 texts by bit pattern (a Map keyed by doubles costs more than
// the lookup saves): 262,144 slots of key bits and text (a day of positions has ~100,000).
const cacheBits = 18;
const cachedKeys = new Int32Array(1 << cacheBits);
const cachedTexts: (string | undefined)[] = new Array<string | undefined>(1 << cacheBits);
const float32 = new Float32Array(1);
const float32Bits = new Int32Array(float32.buffer);

/**
 * A float32 as its shortest round-trip decimal (float32Shortest), as text; NaN and infinities by
 * name. Positions repeat from snapshot to snapshot (a parked bus, a bearing): ~90% of a day's were
 * seen before, so a small cache saves most of the search (~1 µs each).
 */
export function csvFloat(value: number): string {
  float32[0] = value;
  const bits = float32Bits[0]!;
  const slot = Math.imul(bits, 0x9e3779b1) >>> (32 - cacheBits);
  const known = cachedTexts[slot];
  if (known !== undefined && cachedKeys[slot] === bits) return known;
  const text = float32ShortestText(value);
  cachedKeys[slot] = bits;
  cachedTexts[slot] = text;
  return text;
}

function floatField(message: Message | undefined, field: string): string {
  if (message === undefined || !hasOwn.call(message, field)) return '';
  const value = message[field];
  return typeof value === 'number' ? csvFloat(value) : '';
}

/** An enum as its name in proto/gtfs-realtime.proto (a number it does not know stays a number). */
function enumField(message: Message | undefined, field: string, names: Record<number, string>): string {
  if (message === undefined || !hasOwn.call(message, field)) return '';
  const value = message[field];
  if (typeof value !== 'number') return '';
  const name = names[value];
  return name === undefined ? String(value) : csvText(name);
}

let enums:
  | { stopStatus: Record<number, string>; occupancy: Record<number, string>; trip: Record<number, string> }
  | undefined;

function enumNames(field: string, type: protobuf.Type): Record<number, string> {
  const resolved = type.fields[field]?.resolve().resolvedType;
  if (!(resolved instanceof protobuf.Enum)) throw new Error(`${type.name}.${field} is not an enum`);
  return resolved.valuesById;
}

function vehicleEnums() {
  if (enums) return enums;
  const root = feedMessageType().root;
  const vehicle = root.lookupType('transit_realtime.VehiclePosition');
  const trip = root.lookupType('transit_realtime.TripDescriptor');
  enums = {
    stopStatus: enumNames('current_status', vehicle),
    occupancy: enumNames('occupancy_status', vehicle),
    trip: enumNames('schedule_relationship', trip),
  };
  return enums;
}

/**
 * A vehicle entity's line after its first three columns (entity_index, doc_entities,
 * header_timestamp, which depend on the file): vehicle_id … trip_id and the newline. It depends only
 * on the entity, so a line once made serves every later copy of the same entity (EntityLineCache).
 */
function vehicleLineTail(v: Message): string {
  const names = vehicleEnums();
  const trip = sub(v, 'trip');
  const descriptor = sub(v, 'vehicle');
  const position = sub(v, 'position');
  return (
    `${stringField(descriptor, 'id')},${stringField(descriptor, 'label')},` +
    `${enumField(v, 'current_status', names.stopStatus)},${integerField(v, 'current_stop_sequence')},` +
    `${enumField(v, 'occupancy_status', names.occupancy)},` +
    `${floatField(position, 'bearing')},${floatField(position, 'latitude')},${floatField(position, 'longitude')},` +
    `${stringField(v, 'stop_id')},${integerField(v, 'timestamp')},` +
    `${integerField(trip, 'direction_id')},${stringField(trip, 'route_id')},` +
    `${enumField(trip, 'schedule_relationship', names.trip)},` +
    `${stringField(trip, 'start_date')},${stringField(trip, 'start_time')},${stringField(trip, 'trip_id')}\n`
  );
}

/** Writes the decimal digits of a non-negative integer at `at`; returns the position after them. */
function writeDigits(out: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let i = at + digits - 1, rest = value; i >= at; i--, rest = Math.floor(rest / 10))
    out[i] = 48 + (rest % 10);
  return at + digits;
}

/**
 * A file's lines from its vehicle entities' indexes and line tails, doc_entities on the first, as
 * the bytes written: the tails are copied, not joined as strings (joining re-walks each cached
 * tail's text and then converts the whole file to UTF-8 to write it). A tail is its bytes, or the
 * number of the cache slot that holds them. Lines in `skip` are left out (never the first, which
 * carries the count of all); `starts`, when given, gets where each line begins, by line (a left-out
 * line is empty), and where the last ends.
 */
function joinLines(
  part: number,
  headerTimestamp: string,
  indexes: number[],
  tails: (Buffer | number)[],
  cache?: EntityLineCache,
  skip?: ReadonlySet<number>,
  starts?: Int32Array,
): Buffer {
  const prefix = Buffer.from(`${part},`, 'latin1');
  const timestamp = Buffer.from(headerTimestamp, 'latin1');
  let size = 0;
  for (const tail of tails) size += typeof tail === 'number' ? cache!.tailLength(tail) : tail.length;
  // The part, entity_index (at most 10 digits), doc_entities on one line, the timestamp, commas.
  size += tails.length * (prefix.length + 10 + timestamp.length + 3) + 10;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < tails.length; i++) {
    if (starts) starts[i] = at;
    if (i > 0 && skip?.has(i)) continue;
    at += prefix.copy(out, at);
    at = writeDigits(out, at, indexes[i]!);
    out[at++] = 44; // ,
    if (i === 0) at = writeDigits(out, at, tails.length);
    out[at++] = 44;
    at += timestamp.copy(out, at);
    out[at++] = 44;
    const tail = tails[i]!;
    at += typeof tail === 'number' ? cache!.copyTail(tail, out, at) : tail.copy(out, at);
  }
  if (starts) starts[tails.length] = at;
  return out.subarray(0, at);
}

/**
 * The vehicle rows of a decoded feed as CSV (vehicleRowColumns), written straight from the
 * protobufjs message: no enhanced-JSON object is built and no JSON is parsed again. Absent fields
 * are empty (NULL), never the library's defaults. null when no entity has a vehicle.
 */
export function vehicleRowsCsv(message: FeedMessage, vehicles: number, part = 0): Buffer | null {
  if (vehicles === 0) return null;
  const indexes: number[] = [];
  const tails: Buffer[] = [];
  const entities = message.entity;
  for (let index = 0; index < entities.length; index++) {
    const v = sub(entities[index], 'vehicle');
    if (v === undefined) continue;
    indexes.push(index);
    tails.push(Buffer.from(vehicleLineTail(v), 'utf8'));
  }
  return joinLines(part, integerField(sub(message, 'header'), 'timestamp'), indexes, tails);
}

/** What one entity's bytes decode to, for the rows: its vehicle line's tail, and what it carries. */
/** What an entity carries besides a vehicle (the bits of EntityLineCache's carries). */
const carriesTripUpdate = 1;
const carriesAlert = 2;

/**
 * Entity lines by the entity's bytes. An archive is a series of snapshots, and most entities of
 * one are byte for byte those of the snapshot before (a vehicle that has not reported since: on
 * MBTA's feed ~3 in 4), so their lines are made once. Direct-mapped: a slot holds one entity's
 * bytes, compared in full before its line is used; a different entity in the slot replaces it.
 *
 * 32,768 slots (~60 snapshots of 550 vehicles; the bench archive's share found: 0.675, against
 * 0.680 with twice as many) of 256 bytes of entity and 256 of line, in two buffers (16 MB) and a
 * few typed arrays. No object per entry, and none per lookup: entries kept as objects and buffers
 * of their own left the thread's heap at 176 MB for 27 MB in use (1,500 snapshots), ~0.3 GB of
 * resident memory. An entity or line longer than a slot is not kept.
 */
export class EntityLineCache {
  private static readonly width = 256;
  private readonly keys: Buffer;
  private readonly tails: Buffer;
  /** Bytes of entity in the slot; -1 for an empty slot. */
  private readonly keyLengths: Int32Array;
  /** Bytes of line in the slot; -1 when the entity has no vehicle. */
  private readonly tailLengths: Int32Array;
  private readonly carries: Uint8Array;
  private readonly hashes: Int32Array;
  /** The file that last used the slot: a slot a file's lines point to stays as it is until the next. */
  private readonly usedBy: Int32Array;
  /** The vehicle's timestamp (seconds) when the dedupe rule can use it, else NaN (RunCopies). */
  private readonly vehicleTimes: Float64Array;
  /** 1 when the vehicle has an id. */
  private readonly vehicleIds: Uint8Array;
  /** The line of this entity that RunCopies keeps in its run: run, part, line; run -1 for none. */
  private readonly keptRun: Int32Array;
  private readonly keptPart: Int32Array;
  private readonly keptLine: Int32Array;
  private file = 0;
  /** The slot and hash find() computed last, for keep(). */
  private slot = 0;
  private hash = 0;

  /** 2^bits slots (the tests use a few, so that entities share slots). */
  constructor(private readonly bits = 15) {
    const slots = 1 << bits;
    this.keys = Buffer.alloc(slots * EntityLineCache.width);
    this.tails = Buffer.alloc(slots * EntityLineCache.width);
    this.keyLengths = new Int32Array(slots).fill(-1);
    this.tailLengths = new Int32Array(slots);
    this.carries = new Uint8Array(slots);
    this.hashes = new Int32Array(slots);
    this.usedBy = new Int32Array(slots);
    this.vehicleTimes = new Float64Array(slots);
    this.vehicleIds = new Uint8Array(slots);
    this.keptRun = new Int32Array(slots).fill(-1);
    this.keptPart = new Int32Array(slots);
    this.keptLine = new Int32Array(slots);
  }

  /** A new file: slots the last one pointed to may now be replaced. */
  nextFile(): void {
    this.file++;
  }

  /** The slot holding the entity at bytes[start, end), or -1 (then keep() may store it there). */
  find(bytes: Buffer, start: number, end: number): number {
    const length = end - start;
    // FNV-1a over the length and every eighth byte. Entities that hash alike are still told apart
    // (the bytes are compared): a collision costs a miss, and the newer entity takes the slot, as
    // a vehicle's new report takes over from its last one. Every byte cost a fifth of the decoder.
    let hash = 0x811c9dc5 ^ length;
    for (let i = start; i < end; i += 8) hash = Math.imul(hash ^ bytes[i]!, 16777619);
    const slot = hash >>> (32 - this.bits);
    const at = slot * EntityLineCache.width;
    this.slot = slot;
    this.hash = hash;
    if (
      this.keyLengths[slot] !== length ||
      this.hashes[slot] !== hash ||
      bytes.compare(this.keys, at, at + length, start, end) !== 0
    )
      return -1;
    this.usedBy[slot] = this.file;
    return slot;
  }

  /**
   * Stores the entity find() just missed, with its line's tail (null: no vehicle) and what else it
   * carries, in the slot find() named; returns the slot, or -1 when it is not kept (too long, or
   * the slot holds a line this file points to).
   */
  keep(
    bytes: Buffer,
    start: number,
    end: number,
    tail: Buffer | null,
    carries: number,
    vehicle?: { time: number; hasId: boolean },
  ): number {
    const width = EntityLineCache.width;
    const slot = this.slot;
    if (end - start > width || (tail && tail.length > width) || this.usedBy[slot] === this.file) return -1;
    const at = slot * width;
    bytes.copy(this.keys, at, start, end);
    this.keyLengths[slot] = end - start;
    this.hashes[slot] = this.hash;
    this.carries[slot] = carries;
    this.usedBy[slot] = this.file;
    this.vehicleTimes[slot] = vehicle ? vehicle.time : NaN;
    this.vehicleIds[slot] = vehicle?.hasId ? 1 : 0;
    // New content: whatever was known about the old one's copies is not about this one.
    this.keptRun[slot] = -1;
    if (tail === null) this.tailLengths[slot] = -1;
    else {
      tail.copy(this.tails, at);
      this.tailLengths[slot] = tail.length;
    }
    return slot;
  }

  carriesOf(slot: number): number {
    return this.carries[slot]!;
  }

  /** Bytes of the slot's line tail; -1 when its entity has no vehicle. */
  tailLength(slot: number): number {
    return this.tailLengths[slot]!;
  }

  /** The slot's vehicle timestamp in seconds (NaN when the rule cannot use it), and whether it has an id. */
  vehicleTime(slot: number): number {
    return this.vehicleTimes[slot]!;
  }

  hasVehicleId(slot: number): boolean {
    return this.vehicleIds[slot] === 1;
  }

  /** The part and line RunCopies keeps of the slot's entity in `run`, or undefined. */
  keptCopy(slot: number, run: number): { part: number; line: number } | undefined {
    return this.keptRun[slot] === run
      ? { part: this.keptPart[slot]!, line: this.keptLine[slot]! }
      : undefined;
  }

  setKeptCopy(slot: number, run: number, part: number, line: number): void {
    this.keptRun[slot] = run;
    this.keptPart[slot] = part;
    this.keptLine[slot] = line;
  }

  /** Copies the slot's line tail to out[at]; returns its length. */
  copyTail(slot: number, out: Buffer, at: number): number {
    const from = slot * EntityLineCache.width;
    return this.tails.copy(out, at, from, from + this.tailLengths[slot]!);
  }
}

/** What RunCopies needs to know of a vehicle: its timestamp as the rule reads it, and whether it has an id. */
function vehicleFacts(v: Message): { time: number; hasId: boolean } {
  const descriptor = sub(v, 'vehicle');
  return {
    time: ruleTime(integerField(v, 'timestamp')),
    hasId: descriptor !== undefined && hasOwn.call(descriptor, 'id') && typeof descriptor.id === 'string',
  };
}

let entityType: protobuf.Type | undefined;
let headerType: protobuf.Type | undefined;

/**
 * A feed of vehicles only, straight from its bytes: the CSV of vehicleRowsCsv and the entity
 * counts, each entity decoded by protobufjs's own FeedEntity decoder unless the cache already
 * holds its line. The message's fields are walked with protobufjs's Reader (header = 1,
 * entity = 2, anything else skipped as the full decoder skips it). null when the feed is not
 * that simple, and the caller decodes it whole (decodeFeed): it has trip updates or alerts, no
 * usable header, or any fault at all (decodeFeed then names it). With `copies` (ingest), lines the
 * run's dedupe rule would drop are left out (RunCopies: settled only once the walk succeeded).
 */
export function vehicleRowsFromWire(
  bytes: Buffer,
  cache: EntityLineCache,
  part = 0,
  copies?: RunCopies,
): { csv: Buffer | null; kinds: EntityKinds } | null {
  const root = feedMessageType().root;
  entityType ??= root.lookupType('transit_realtime.FeedEntity');
  headerType ??= root.lookupType('transit_realtime.FeedHeader');
  const entity = entityType;
  cache.nextFile();
  try {
    const reader = protobuf.Reader.create(bytes);
    let header: Message | undefined;
    const indexes: number[] = [];
    const tails: (Buffer | number)[] = [];
    // (slot, line, found) of each vehicle line the cache holds, for copies.settle.
    const events: number[] = [];
    let entities = 0;
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      const wire = tag & 7;
      // The header or an entity not length-delimited, field 0, groups or no wire type at all:
      // left to the full decoder, which fails or decodes as it always does.
      if (((field === 1 || field === 2) && wire !== 2) || field === 0 || wire === 3 || wire === 4 || wire > 5)
        return null;
      if (tag === 10) {
        header = headerType.decode(reader, reader.uint32()) as unknown as Message;
      } else if (tag === 18) {
        const length = reader.uint32();
        const start = reader.pos;
        const end = start + length;
        if (end > reader.len) return null;
        let slot = cache.find(bytes, start, end);
        let carries: number;
        let tail: Buffer | null = null;
        let hasTail: boolean;
        if (slot >= 0) {
          carries = cache.carriesOf(slot);
          hasTail = cache.tailLength(slot) >= 0;
        } else {
          const decoded = entity.decode(reader, length) as unknown as Message;
          const v = sub(decoded, 'vehicle');
          carries =
            (sub(decoded, 'trip_update') !== undefined ? carriesTripUpdate : 0) |
            (sub(decoded, 'alert') !== undefined ? carriesAlert : 0);
          tail = v === undefined ? null : Buffer.from(vehicleLineTail(v), 'utf8');
          hasTail = tail !== null;
          // The facts go in with or without `copies`: the thread's cache outlives the run, and an
          // entry kept without them would never be left out by a later ingest's run.
          slot = cache.keep(bytes, start, end, tail, carries, v && vehicleFacts(v));
        }
        if (carries !== 0) return null;
        reader.pos = end;
        if (hasTail) {
          if (copies && slot >= 0) events.push(slot, tails.length, tail === null ? 1 : 0);
          indexes.push(entities);
          tails.push(slot >= 0 ? slot : tail!);
        }
        entities++;
      } else {
        reader.skipType(tag & 7);
      }
    }
    if (
      header === undefined ||
      header.gtfs_realtime_version == null ||
      !hasOwn.call(header, 'gtfs_realtime_version')
    )
      return null;
    const kinds: EntityKinds = { entities, vehicles: tails.length, tripUpdates: 0, alerts: 0 };
    if (tails.length === 0) return { csv: null, kinds };
    const timestamp = integerField(header, 'timestamp');
    if (!copies) return { csv: joinLines(part, timestamp, indexes, tails, cache), kinds };
    const skip = copies.settle(part, timestamp, events, cache);
    const starts = copies.starts(part, tails.length);
    return { csv: joinLines(part, timestamp, indexes, tails, cache, skip, starts), kinds };
  } catch {
    return null;
  }
}
