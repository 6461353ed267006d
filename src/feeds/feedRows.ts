import protobuf from 'protobufjs';
import { feedMessageType, float32Shortest, type FeedMessage } from './decodeProtobuf.js';

/**
 * The columns of a decoded feed's vehicle rows file, in file order: one CSV line per entity with
 * a vehicle, only the leaves sql/ingest/02_batch_rows.sql keeps, as the text the JSON read would
 * have given (it casts them the same way). `doc_entities` is on the first line only: the file's
 * vehicle count.
 */
export const vehicleRowColumns = [
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
  const text = String(float32Shortest(value));
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
 * The vehicle rows of a decoded feed as CSV (vehicleRowColumns), written straight from the
 * protobufjs message: no enhanced-JSON object is built and no JSON is parsed again. Absent fields
 * are empty (NULL), never the library's defaults. null when no entity has a vehicle.
 */
export function vehicleRowsCsv(message: FeedMessage, vehicles: number): string | null {
  if (vehicles === 0) return null;
  const names = vehicleEnums();
  const headerTimestamp = integerField(sub(message, 'header'), 'timestamp');
  // Lines collected and joined once: appending to one string makes a rope of ~10,000 pieces
  // that costs more to flatten when written (1.3 ms a file) than everything else here.
  const lines: string[] = [];
  let first = true;
  const entities = message.entity;
  for (let index = 0; index < entities.length; index++) {
    const v = sub(entities[index], 'vehicle');
    if (v === undefined) continue;
    const trip = sub(v, 'trip');
    const descriptor = sub(v, 'vehicle');
    const position = sub(v, 'position');
    lines.push(
      `${index},${first ? vehicles : ''},${headerTimestamp},` +
        `${stringField(descriptor, 'id')},${stringField(descriptor, 'label')},` +
        `${enumField(v, 'current_status', names.stopStatus)},${integerField(v, 'current_stop_sequence')},` +
        `${enumField(v, 'occupancy_status', names.occupancy)},` +
        `${floatField(position, 'bearing')},${floatField(position, 'latitude')},${floatField(position, 'longitude')},` +
        `${stringField(v, 'stop_id')},${integerField(v, 'timestamp')},` +
        `${integerField(trip, 'direction_id')},${stringField(trip, 'route_id')},` +
        `${enumField(trip, 'schedule_relationship', names.trip)},` +
        `${stringField(trip, 'start_date')},${stringField(trip, 'start_time')},${stringField(trip, 'trip_id')}\n`,
    );
    first = false;
  }
  return lines.join('');
}
