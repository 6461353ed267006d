#!/usr/bin/env node
// Writes a deterministic, seeded archive of MBTA-shaped GTFS-realtime VehiclePositions snapshots for
// the benchmark: DIR/YYYY/MM/DD/<ISO UTC time>_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz
//
// Modelled on the real files in /work/shared/fixtures/mbta/: a snapshot every ~2-4 s, 400-850
// vehicles depending on the Boston time of day, each vehicle moving and bumping its own timestamp
// every ~5-30 s (sometimes stalling for minutes) and otherwise re-published unchanged, so most
// (vehicle_id, timestamp) pings appear in several files. A few pings change occupancy or trip without
// a new timestamp (conflicting duplicates). Fields go missing the way they do in the public feed
// (no trip, no bearing, no occupancy, no stop, no start_time), a few numbers are strings, a few keys
// come in another order, and ~1% of the keys end in plain .json although the bytes are gzip.
//
// The same arguments always give byte-identical files: all randomness comes from one seeded stream
// consumed in a fixed order, and only gzip + writes run concurrently (on libuv's thread pool, which
// is what makes 30,000 files fit in a few minutes on 2 cores).
//
// Usage: node test/bench/generate.mjs --out DIR --files N [--seed S] [--start ISO] [--period-seconds P]
//        [--level 1-9] [--format json|pb]
// --format pb writes the same snapshots as GTFS-realtime protobuf (protobufjs with proto/gtfs-realtime.proto),
// named <ISO UTC time>_https_cdn.mbta.com_realtime_VehiclePositions.pb and not gzipped, as MBTA stored its .pb
// files; the random stream is consumed exactly as for JSON, so both archives hold the same snapshots
// (positions as float32, as protobuf carries them).
// Prints one JSON line (files, bytes, seconds, first/last key) on stdout; progress goes to stderr.
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

const FEED_SUFFIX = '_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json';
const PB_SUFFIX = '_https_cdn.mbta.com_realtime_VehiclePositions.pb';

let feedMessage;
/** The snapshot's JSON body as protobuf bytes (protobufjs, loaded only for --format pb). */
function toProtobuf(body) {
  const message = feedMessage.fromObject(JSON.parse(body.toString()));
  return Buffer.from(feedMessage.encode(message).finish());
}
const OPEN_BRACE = Buffer.from('{');
const CLOSE_BRACE = Buffer.from('}');
const COMMA = Buffer.from(',');
const ENTITY_OPEN = Buffer.from('"entity":[');
const OPEN_ENTITY = Buffer.from('{"entity":[');
const CLOSE_ALL = Buffer.from(']}');
const CLOSE_ENTITY_COMMA = Buffer.from('],');

// ---------------------------------------------------------------------------------------------
// Seeded randomness: splitmix32 to spread the seed, xoshiro128** for the stream.

function splitmix32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function makeRandom(seed) {
  const sm = splitmix32(seed);
  let a = sm(),
    b = sm(),
    c = sm(),
    d = sm();
  const next = () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const rnd = () => next() / 4294967296;
  return {
    float: rnd,
    /** Integer in [lo, hi]. */
    int: (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)),
    range: (lo, hi) => lo + rnd() * (hi - lo),
    chance: (p) => rnd() < p,
    pick: (arr) => arr[Math.floor(rnd() * arr.length)],
    /** Picks from [[weight, value], ...]. */
    weighted: (pairs) => {
      let total = 0;
      for (const [w] of pairs) total += w;
      let x = rnd() * total;
      for (const [w, v] of pairs) if ((x -= w) < 0) return v;
      return pairs[pairs.length - 1][1];
    },
  };
}

function rotl(x, k) {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Time helpers. Timestamps are whole epoch seconds, as in the feed.

const pad2 = (n) => (n < 10 ? '0' + n : '' + n);

function isoSeconds(sec) {
  return new Date(sec * 1000).toISOString().slice(0, 19) + 'Z';
}

const bostonOffsetCache = new Map();
/** Boston's UTC offset in seconds (negative) at epoch second `sec`, cached per hour. */
function bostonOffset(sec) {
  const hour = Math.floor(sec / 3600);
  let off = bostonOffsetCache.get(hour);
  if (off === undefined) {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      timeZoneName: 'longOffset',
    });
    const name = fmt.formatToParts(new Date(hour * 3600 * 1000)).find((p) => p.type === 'timeZoneName').value;
    const m = /GMT([+-])(\d\d):(\d\d)/.exec(name);
    off = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : -5 * 3600;
    bostonOffsetCache.set(hour, off);
  }
  return off;
}

/** Hours since local midnight in Boston, as a float in [0, 24). */
function bostonHour(sec) {
  const local = sec + bostonOffset(sec);
  return (((local % 86400) + 86400) % 86400) / 3600;
}

/** GTFS service date (YYYYMMDD) and start_time (may pass 24:00) of a trip starting at `sec`. */
function serviceDateAndTime(sec) {
  const local = sec + bostonOffset(sec);
  // A service day runs from 03:00 to 27:00 local time.
  const dayStart = Math.floor((local - 3 * 3600) / 86400) * 86400;
  const d = new Date(dayStart * 1000);
  const date = `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;
  const secOfDay = Math.floor((local - dayStart) / 60) * 60;
  const time = `${pad2(Math.floor(secOfDay / 3600))}:${pad2(Math.floor(secOfDay / 60) % 60)}:00`;
  return { date, time };
}

// ---------------------------------------------------------------------------------------------
// How many vehicles run at a given Boston hour (the public feed has ~400 at night, ~850 at peaks).

const FLEET_CURVE = [
  [0, 470],
  [2, 415],
  [4.5, 400],
  [6, 620],
  [7.5, 800],
  [8.5, 850],
  [9.5, 720],
  [10.5, 660],
  [14.5, 690],
  [16.5, 800],
  [17.5, 840],
  [18.5, 740],
  [20, 600],
  [23, 490],
  [24, 470],
];

function targetFleet(hour) {
  for (let i = 1; i < FLEET_CURVE.length; i++) {
    const [h1, v1] = FLEET_CURVE[i];
    const [h0, v0] = FLEET_CURVE[i - 1];
    if (hour <= h1) return v0 + ((v1 - v0) * (hour - h0)) / (h1 - h0);
  }
  return FLEET_CURVE[0][1];
}

// Share of the running fleet per kind of vehicle, roughly as in the 2022 fixtures.
const KINDS = ['bus', 'light', 'heavy', 'commuter'];
const KIND_SHARE = { bus: 0.8, light: 0.08, heavy: 0.08, commuter: 0.04 };

// Boston area bounding boxes: [minLat, maxLat, minLon, maxLon].
const BBOX = {
  bus: [42.2, 42.52, -71.28, -70.9],
  light: [42.32, 42.4, -71.25, -71.05],
  heavy: [42.2, 42.44, -71.15, -70.99],
  commuter: [41.6, 42.85, -71.85, -70.65],
};

const OCCUPANCY = [
  [0.62, ['MANY_SEATS_AVAILABLE', 0]],
  [0.22, ['MANY_SEATS_AVAILABLE', 20]],
  [0.06, ['MANY_SEATS_AVAILABLE', 40]],
  [0.05, ['FEW_SEATS_AVAILABLE', 40]],
  [0.025, ['FEW_SEATS_AVAILABLE', 60]],
  [0.015, ['FEW_SEATS_AVAILABLE', 80]],
  [0.01, ['FULL', 100]],
];

const CR_LINES = [
  ['CR-Fitchburg', 'FR'],
  ['CR-Newburyport', 'ER'],
  ['CR-Haverhill', 'WR'],
  ['CR-Lowell', 'NHRML'],
  ['CR-Worcester', 'WML'],
  ['CR-Franklin', 'FB'],
  ['CR-Providence', 'NEC'],
  ['CR-Needham', 'NB'],
  ['CR-Fairmount', 'DB'],
  ['CR-Kingston', 'KB'],
  ['CR-Middleborough', 'MM'],
  ['CR-Greenbush', 'GRB'],
];

// ---------------------------------------------------------------------------------------------
// The fleet: a fixed set of vehicles, a varying subset of which is running.

function buildRoutes(rng) {
  const busRoutes = [];
  const names = new Set();
  for (let i = 1; i <= 121; i++) if (rng.chance(0.75)) names.add(String(i));
  for (let i = 0; i < 45; i++) names.add(String(rng.int(130, 747)));
  for (const n of ['SL1', 'SL2', 'SL4', 'SL5', '741', '742', '743', '746', 'CT2', 'CT3', '34E', '70A'])
    names.add(n);
  for (const name of names) {
    const stops = [0, 1].map(() => Array.from({ length: rng.int(18, 70) }, () => String(rng.int(1, 39999))));
    busRoutes.push({ route: name, stops, seqStep: 1 });
  }
  const railStops = (n) => [0, 1].map(() => Array.from({ length: n }, () => String(rng.int(70001, 70290))));
  const light = ['Green-B', 'Green-C', 'Green-D', 'Green-E'].map((route) => ({
    route,
    stops: railStops(rng.int(13, 24)),
    seqStep: 10,
    seqBase: 10 * rng.int(1, 60),
  }));
  const heavy = ['Red', 'Red', 'Orange', 'Blue'].map((route) => ({
    route,
    stops: railStops(rng.int(12, 22)),
    seqStep: 10,
    seqBase: 10,
  }));
  const commuter = CR_LINES.map(([route, code]) => ({
    route,
    stops: [0, 1].map(() =>
      Array.from(
        { length: rng.int(8, 20) },
        (_, i) =>
          `${code}-${String(i * rng.int(5, 40)).padStart(4, '0')}${rng.chance(0.3) ? '-0' + rng.int(1, 3) : ''}`,
      ),
    ),
    seqStep: 1,
    seqBase: 1,
    code,
  }));
  return { bus: busRoutes, light, heavy, commuter };
}

function hex8(rng) {
  return (rng.int(0x54000000, 0x54ffffff) >>> 0).toString(16).toUpperCase();
}

function buildFleet(rng) {
  const vehicles = [];
  // Car numbers are unique within a kind of vehicle (a bus and a train may share "1652").
  const labelPicker = () => {
    const used = new Set();
    return (lo, hi) => {
      for (;;) {
        const n = String(rng.int(lo, hi)).padStart(4, '0');
        if (!used.has(n)) {
          used.add(n);
          return n;
        }
      }
    };
  };
  const add = (kind, id, label, consist, line) =>
    vehicles.push({
      kind,
      id,
      label,
      line,
      vehicleJson: `{${consist ? `"consist":[${consist.map((l) => `{"label":"${l}"}`).join(',')}],` : ''}"id":"${id}","label":"${label}"}`,
      active: false,
      // Buses without an automatic passenger counter never report occupancy.
      hasApc: kind === 'bus' && rng.chance(0.7),
      baseInterval:
        kind === 'commuter' ? rng.range(10, 40) : kind === 'bus' ? rng.range(8, 22) : rng.range(5, 18),
    });
  const busLabel = labelPicker();
  for (let i = 0; i < 1150; i++) {
    const l = busLabel(400, 3399);
    add('bus', 'y' + l, l);
  }
  const greenLabel = labelPicker();
  for (let i = 0; i < 110; i++) {
    const cars = Array.from(
      {
        length: rng.weighted([
          [0.15, 1],
          [0.8, 2],
          [0.05, 3],
        ]),
      },
      () => greenLabel(3600, 3999),
    );
    add('light', `G-1${String(rng.int(0, 9999)).padStart(4, '0')}`, cars.join('-'), cars);
  }
  // [line, trains, cars per train, first car number, last car number]
  for (const [line, trains, cars, lo, hi] of [
    ['R', 50, 6, 1500, 1899],
    ['O', 33, 6, 1400, 1699],
    ['B', 18, 4, 700, 799],
  ]) {
    const carLabel = labelPicker();
    for (let i = 0; i < trains; i++) {
      const consist = Array.from({ length: cars }, () => carLabel(lo, hi));
      add('heavy', `${line}-${hex8(rng)}`, consist[consist.length - 1], consist, line);
    }
  }
  const crLabel = labelPicker();
  for (let i = 0; i < 55; i++) {
    const l = crLabel(1000, 2099);
    add('commuter', l, l);
  }
  return vehicles;
}

// ---------------------------------------------------------------------------------------------
// One vehicle's life: start a trip, move, bump its timestamp, end the trip.

function routeFor(rng, routes, v) {
  if (v.kind === 'heavy') {
    const name = v.line === 'R' ? 'Red' : v.line === 'O' ? 'Orange' : 'Blue';
    return rng.pick(routes.heavy.filter((r) => r.route === name));
  }
  return rng.pick(routes[v.kind]);
}

let addedTripCounter = 1580992000;

function startTrip(rng, routes, v, now) {
  if (!v.routeInfo || rng.chance(0.3)) v.routeInfo = routeFor(rng, routes, v);
  v.direction = v.direction === undefined ? rng.int(0, 1) : 1 - v.direction;
  v.hasTrip = !rng.chance(0.012);
  v.scheduleRelationship = rng.weighted([
    [0.955, 'SCHEDULED'],
    [0.04, 'ADDED'],
    [0.005, 'UNSCHEDULED'],
  ]);
  if (v.kind === 'commuter') v.tripId = `CR-${rng.int(500000, 560000)}-${rng.int(100, 2399)}`;
  else if (v.scheduleRelationship === 'ADDED') v.tripId = `ADDED-${addedTripCounter++}`;
  else v.tripId = String(rng.int(49000000, 53999999));
  const service = serviceDateAndTime(now - rng.int(0, 240));
  v.startDate = rng.chance(0.99) ? service.date : undefined;
  v.startTime = v.scheduleRelationship === 'ADDED' || rng.chance(0.08) ? undefined : service.time;
  v.seqIndex = 0;
  v.hasStop = !rng.chance(0.02);
  v.hasDirection = !rng.chance(0.003);
  v.tripEndsAt = now + (v.kind === 'bus' ? rng.int(15, 70) : rng.int(25, 80)) * 60;
  v.status = 'IN_TRANSIT_TO';
}

function placeVehicle(rng, v) {
  const [la0, la1, lo0, lo1] = BBOX[v.kind];
  v.lat = rng.range(la0, la1);
  v.lon = rng.range(lo0, lo1);
  v.bearing = rng.int(0, 359);
  v.speedMs = v.kind === 'commuter' ? rng.range(8, 30) : rng.range(2, 9);
}

function activate(rng, routes, v, now) {
  v.active = true;
  placeVehicle(rng, v);
  startTrip(rng, routes, v, now);
  [v.occupancyStatus, v.occupancyPercentage] = rng.weighted(OCCUPANCY);
  v.ts = now - rng.int(1, 20);
  v.nextUpdate = now + rng.int(1, Math.ceil(v.baseInterval));
}

function moveVehicle(rng, v, dt) {
  if (rng.chance(0.15)) v.bearing = (v.bearing + rng.pick([-90, 90, 180, rng.int(-30, 30)]) + 360) % 360;
  else v.bearing = (v.bearing + rng.int(-8, 8) + 360) % 360;
  const stopped = rng.chance(0.12);
  const d = stopped ? 0 : v.speedMs * dt * rng.range(0.3, 1.4);
  const rad = (v.bearing * Math.PI) / 180;
  v.lat += (d * Math.cos(rad)) / 111_000;
  v.lon += (d * Math.sin(rad)) / 82_000;
  const [la0, la1, lo0, lo1] = BBOX[v.kind];
  if (v.lat < la0 || v.lat > la1) {
    v.lat = Math.min(la1, Math.max(la0, v.lat));
    v.bearing = (540 - v.bearing) % 360;
  }
  if (v.lon < lo0 || v.lon > lo1) {
    v.lon = Math.min(lo1, Math.max(lo0, v.lon));
    v.bearing = (360 - v.bearing) % 360;
  }
  v.status = stopped
    ? 'STOPPED_AT'
    : rng.weighted([
        [0.9, 'IN_TRANSIT_TO'],
        [0.1, 'INCOMING_AT'],
      ]);
  if (!stopped && rng.chance(0.3)) v.seqIndex++;
  v.speed = stopped ? 0 : v.speedMs * rng.range(0.2, 1.5);
}

// ---------------------------------------------------------------------------------------------
// Serialising one entity, the way the public feed does (sorted keys, absent fields omitted), with
// the occasional oddity.

function coordinate(v, x) {
  // Buses report 5 or 8-9 decimals, rail reports float32s printed as doubles.
  if (v.kind === 'heavy' && v.line !== 'R') return String(Math.round(x * 1e5) / 1e5);
  if (v.kind === 'commuter' || v.kind === 'heavy') return String(Math.fround(x));
  return v.id.charCodeAt(4) % 2 ? String(Math.round(x * 1e5) / 1e5) : String(Math.round(x * 1e9) / 1e9);
}

function shuffleInPlace(rng, arr) {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = arr[i];
    arr[i] = arr[j];
    arr[j] = t;
  }
  return arr;
}

function object(rng, pairs, reorder) {
  if (reorder) shuffleInPlace(rng, pairs);
  const parts = new Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) parts[i] = '"' + pairs[i][0] + '":' + pairs[i][1];
  return '{' + parts.join(',') + '}';
}

function serialize(rng, v, withPercentage) {
  // Rare oddities, decided per serialisation: a number written as a string, keys in another
  // order, a field left out or an explicit null.
  const stringy = rng.chance(0.006) ? rng.int(0, 5) : -1;
  const num = (text, which) => (which === stringy ? '"' + text + '"' : text);
  const reorder = rng.chance(0.03);
  const route = v.routeInfo;
  const stops = route.stops[v.direction];
  const stopIndex = Math.min(v.seqIndex, stops.length - 1);

  const position = [];
  if (!rng.chance(0.005))
    position.push([
      'bearing',
      rng.chance(0.001)
        ? 'null'
        : num(rng.chance(0.01) ? (v.bearing + 0.5).toString() : String(v.bearing), 0),
    ]);
  position.push(['latitude', num(coordinate(v, v.lat), 1)]);
  position.push(['longitude', num(coordinate(v, v.lon), 2)]);
  if ((v.kind === 'commuter' || v.kind === 'light') && v.speed !== undefined)
    position.push(['speed', String(Math.round(v.speed * 10) / 10)]);

  const vehicle = [['current_status', '"' + v.status + '"']];
  if (v.hasTrip && v.hasStop)
    vehicle.push(['current_stop_sequence', num(String((route.seqBase ?? 1) + stopIndex * route.seqStep), 3)]);
  if (v.hasApc) {
    if (withPercentage) vehicle.push(['occupancy_percentage', String(v.occupancyPercentage)]);
    vehicle.push(['occupancy_status', rng.chance(0.001) ? 'null' : '"' + v.occupancyStatus + '"']);
  }
  vehicle.push(['position', object(rng, position, reorder)]);
  if (v.hasTrip && v.hasStop) vehicle.push(['stop_id', '"' + stops[stopIndex] + '"']);
  vehicle.push(['timestamp', num(String(v.ts), 4)]);
  if (v.hasTrip) {
    const trip = [];
    if (v.hasDirection) trip.push(['direction_id', num(String(v.direction), 5)]);
    trip.push(['route_id', '"' + route.route + '"']);
    trip.push(['schedule_relationship', '"' + v.scheduleRelationship + '"']);
    if (v.startDate) trip.push(['start_date', '"' + v.startDate + '"']);
    if (v.startTime) trip.push(['start_time', '"' + v.startTime + '"']);
    trip.push(['trip_id', '"' + v.tripId + '"']);
    vehicle.push(['trip', object(rng, trip, reorder)]);
  }
  vehicle.push(['vehicle', v.vehicleJson]);
  return object(
    rng,
    [
      ['id', '"' + v.id + '"'],
      ['vehicle', object(rng, vehicle, reorder)],
    ],
    reorder,
  );
}

// ---------------------------------------------------------------------------------------------
// The snapshot loop.

function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      files: { type: 'string' },
      seed: { type: 'string', default: '1' },
      start: { type: 'string', default: '2021-09-06T00:00:00Z' },
      'period-seconds': { type: 'string', default: '3' },
      level: { type: 'string', default: '5' },
      format: { type: 'string', default: 'json' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const usage =
    'usage: node test/bench/generate.mjs --out DIR --files N [--seed S] [--start 2021-09-06T00:00:00Z] [--period-seconds 3] [--level 1-9] [--format json|pb]';
  if (values.help) {
    process.stdout.write(usage + '\n');
    process.exit(0);
  }
  const files = Number(values.files);
  const seed = Number(values.seed);
  const startMs = Date.parse(values.start);
  const period = Number(values['period-seconds']);
  const level = Number(values.level);
  const problems = [];
  if (!values.out) problems.push('--out is required');
  if (!Number.isSafeInteger(files) || files < 1)
    problems.push(`--files must be a positive integer, got ${values.files}`);
  if (!Number.isSafeInteger(seed)) problems.push(`--seed must be an integer, got ${values.seed}`);
  if (Number.isNaN(startMs)) problems.push(`--start must be an ISO time, got ${values.start}`);
  if (!(period >= 1)) problems.push(`--period-seconds must be >= 1, got ${values['period-seconds']}`);
  if (!Number.isInteger(level) || level < 1 || level > 9)
    problems.push(`--level must be 1-9, got ${values.level}`);
  if (values.format !== 'json' && values.format !== 'pb')
    problems.push(`--format must be json or pb, got ${values.format}`);
  if (problems.length) {
    process.stderr.write(problems.join('\n') + '\n' + usage + '\n');
    process.exit(2);
  }
  return {
    out: values.out,
    files,
    seed,
    startSec: Math.floor(startMs / 1000),
    period,
    level,
    format: values.format,
  };
}

async function main() {
  const opts = parseCli(process.argv.slice(2));
  if (opts.format === 'pb') {
    const { default: protobuf } = await import('protobufjs');
    const proto = readFileSync(new URL('../../proto/gtfs-realtime.proto', import.meta.url), 'utf8');
    feedMessage = protobuf.parse(proto, { keepCase: true }).root.lookupType('transit_realtime.FeedMessage');
  }
  const t0 = performance.now();
  const rng = makeRandom(opts.seed);
  const routes = buildRoutes(rng);
  const fleet = buildFleet(rng);
  const byKind = Object.fromEntries(KINDS.map((k) => [k, fleet.filter((v) => v.kind === k)]));
  // Entity order in the feed: mostly stable from one snapshot to the next, with some churn.
  const order = [];

  let clock = opts.startSec;
  let lastKeySec = opts.startSec - 1;
  const madeDirs = new Set();
  const inFlight = new Set();
  const maxInFlight = 8;
  let bytes = 0;
  let entities = 0;
  let firstKey;
  let lastKey;

  for (let f = 0; f < opts.files; f++) {
    clock += opts.period * rng.range(0.7, 1.3);
    const keySec = Math.max(lastKeySec + 1, Math.round(clock));
    lastKeySec = keySec;
    const headerTs = keySec - rng.int(1, 2);
    const hour = bostonHour(headerTs);
    const total = targetFleet(hour);
    const withPercentage = headerTs >= Date.UTC(2022, 1, 1) / 1000;

    // Bring the running fleet towards the target for this hour: at first all at once, later a
    // couple of vehicles per snapshot (the rest wait for their trip to end, below).
    for (const kind of KINDS) {
      const pool = byKind[kind];
      const target = Math.round(total * KIND_SHARE[kind]);
      let running = 0;
      for (const v of pool) if (v.active) running++;
      let toStart = f === 0 ? target - running : Math.min(2, target - running);
      for (let guard = 0; toStart > 0 && guard < 50; guard++) {
        const v = rng.pick(pool);
        if (v.active) continue;
        activate(rng, routes, v, headerTs);
        v.json = Buffer.from(serialize(rng, v, withPercentage));
        order.splice(rng.int(0, order.length), 0, v);
        toStart--;
      }
      if (running > target + 2) {
        // Too many running: retire one whose trip is over.
        const done = pool.find((v) => v.active && v.tripEndsAt <= headerTs);
        if (done) done.active = false;
      }
    }
    for (let i = order.length - 1; i >= 0; i--) if (!order[i].active) order.splice(i, 1);
    for (let k = Math.floor(order.length * 0.01); k > 0; k--) {
      const i = rng.int(0, order.length - 1);
      const j = rng.int(0, order.length - 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }

    for (const v of order) {
      if (v.nextUpdate <= headerTs) {
        // A new ping: the vehicle reported a little before the feed was built.
        const ts = Math.max(
          v.ts + 1,
          headerTs -
            rng.weighted([
              [0.4, 1],
              [0.3, 2],
              [0.2, 3],
              [0.1, rng.int(4, 9)],
            ]),
        );
        moveVehicle(rng, v, ts - v.ts);
        v.ts = ts;
        if (ts >= v.tripEndsAt) startTrip(rng, routes, v, ts);
        if (rng.chance(0.05)) [v.occupancyStatus, v.occupancyPercentage] = rng.weighted(OCCUPANCY);
        // Now and then a vehicle goes quiet for minutes and its last ping is re-published.
        const stall = rng.chance(0.004) ? rng.int(60, 420) : 0;
        v.nextUpdate = ts + Math.max(3, Math.round(v.baseInterval * rng.range(0.6, 1.5))) + stall;
        v.json = Buffer.from(serialize(rng, v, withPercentage));
      } else if (rng.chance(0.0012)) {
        // Same (vehicle, timestamp), different content: occupancy updated on its own, or more
        // rarely the trip reassigned, without a new position fix.
        if (rng.chance(0.75) || !v.hasTrip)
          [v.occupancyStatus, v.occupancyPercentage] = rng.weighted(OCCUPANCY);
        else v.tripId = String(rng.int(49000000, 53999999));
        v.json = Buffer.from(serialize(rng, v, withPercentage));
      }
    }

    // The body is assembled from each entity's bytes, kept from when it last changed: copying
    // buffers is far cheaper than joining and re-encoding ~300 KB of strings per snapshot.
    const header = Buffer.from(
      `"header":{"gtfs_realtime_version":"2.0","incrementality":"FULL_DATASET","timestamp":${headerTs}}`,
    );
    const headerFirst = rng.chance(0.03);
    const parts = [headerFirst ? Buffer.concat([OPEN_BRACE, header, COMMA, ENTITY_OPEN]) : OPEN_ENTITY];
    for (let i = 0; i < order.length; i++) {
      if (i) parts.push(COMMA);
      parts.push(order[i].json);
    }
    parts.push(headerFirst ? CLOSE_ALL : Buffer.concat([CLOSE_ENTITY_COMMA, header, CLOSE_BRACE]));
    const body = Buffer.concat(parts);
    entities += order.length;

    const iso = isoSeconds(keySec);
    const dir = `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`;
    const plainName = rng.chance(0.01); // drawn in both formats, so the stream stays the same
    const key =
      opts.format === 'pb'
        ? `${dir}/${iso}${PB_SUFFIX}`
        : `${dir}/${iso}${FEED_SUFFIX}${plainName ? '' : '.gz'}`;
    if (!madeDirs.has(dir)) {
      mkdirSync(join(opts.out, dir), { recursive: true });
      madeDirs.add(dir);
    }
    firstKey ??= key;
    lastKey = key;

    const job = (
      opts.format === 'pb' ? Promise.resolve(toProtobuf(body)) : gzipAsync(body, { level: opts.level })
    )
      .then((gz) => {
        bytes += gz.length;
        return writeFile(join(opts.out, key), gz);
      })
      .finally(() => inFlight.delete(job));
    inFlight.add(job);
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if ((f + 1) % 5000 === 0) process.stderr.write(`generate: ${f + 1}/${opts.files} files, up to ${key}\n`);
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    JSON.stringify({
      files: opts.files,
      entities,
      gzip_bytes: bytes,
      seconds: Number(seconds.toFixed(2)),
      first_key: firstKey,
      last_key: lastKey,
      out: opts.out,
      seed: opts.seed,
    }) + '\n',
  );
}

await main();
