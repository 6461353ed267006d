#!/usr/bin/env node
// Builds the bundled demo sample (src/demo/sample/) from real MBTA files: VehiclePositions (and
// derived snapshots), TripUpdates and Alerts, JSON and protobuf.
// Maintainer script: run once with the real files' folder; users and tests only read its output.
//
//   node src/demo/buildSample.mjs /path/to/shared/fixtures/mbta
//
// The real files are single snapshots from different days. To show deduplication the way the live
// feed behaves, the 2022-01-01T00:00:03Z snapshot (taken just after midnight, so its pings straddle
// two UTC days) is followed by derived snapshots, one every 2 s: in each, about a third of the
// vehicles advance (new timestamp, moved a little, sometimes the next stop) and the rest are
// re-published unchanged; a few re-publications change occupancy_status without a new timestamp,
// as the real feed does. Everything is seeded, so the sample is the same every time it is built.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';

const src = process.argv[2];
if (!src) {
  console.error('usage: node src/demo/buildSample.mjs <folder with the real MBTA files>');
  process.exit(2);
}
const out = new URL('./sample/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20220101);

function put(rel, bytes) {
  const file = join(out, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, bytes);
}
const isoKey = (epoch) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
const enhanced = '_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz';

// 1. Real snapshots, byte for byte.
const first = '2022-01-01T00:00:03Z' + enhanced;
put(`2022/01/01/${first}`, readFileSync(join(src, first)));
const peak = '2022-07-05T12:35:16Z' + enhanced;
put(`2022/07/05/${peak}`, readFileSync(join(src, peak)));
// MBTA stored some older snapshots gzipped under a plain .json name: keep that quirk.
const old =
  '2019-12-12T00_00_10_https___mbta_gtfs_s3_dev.s3.amazonaws.com_concentrate_VehiclePositions_enhanced.json';
put(`2019/12/12/${old}`, gzipSync(readFileSync(join(src, old)), { level: 9 }));

// 2. Derived consecutive snapshots after the first one.
let feed = JSON.parse(gunzipSync(readFileSync(join(src, first))).toString('utf8'));
const occupancies = ['MANY_SEATS_AVAILABLE', 'FEW_SEATS_AVAILABLE', 'FULL'];
for (let i = 1; i <= 9; i++) {
  feed = structuredClone(feed);
  feed.header.timestamp += 2;
  for (const entity of feed.entity) {
    const v = entity.vehicle;
    if (!v || typeof v.timestamp !== 'number') continue;
    const r = random();
    if (r < 0.33) {
      // A new reading always carries a newer timestamp than the vehicle's previous one.
      v.timestamp = Math.max(v.timestamp + 1, feed.header.timestamp - 1 - Math.floor(random() * 3));
      if (v.position) {
        v.position.latitude = Math.round((v.position.latitude + (random() - 0.5) * 0.0008) * 1e8) / 1e8;
        v.position.longitude = Math.round((v.position.longitude + (random() - 0.5) * 0.0008) * 1e8) / 1e8;
      }
      if (random() < 0.2 && typeof v.current_stop_sequence === 'number') {
        v.current_stop_sequence += 1;
        v.current_status = 'IN_TRANSIT_TO';
      }
    } else if (r < 0.36 && v.occupancy_status) {
      // Re-published with a new occupancy reading but the same ping timestamp: a conflicting duplicate.
      v.occupancy_status = occupancies[(occupancies.indexOf(v.occupancy_status) + 1) % occupancies.length];
    }
  }
  const key = isoKey(feed.header.timestamp + 1) + enhanced;
  put(`2022/01/01/${key}`, gzipSync(Buffer.from(JSON.stringify(feed)), { level: 9 }));
}
// 3. The other feeds (issue 14), byte for byte: MBTA's enhanced TripUpdates and Alerts, and its
// 2017 protobuf TripUpdates and Alerts (mbta/concentrate's fixtures) under archive-style names, so
// `rtlake demo` fills all three tables from real files, JSON and protobuf. No VehiclePositions
// protobuf: the sample's vehicle_positions (and every test and README figure over it) stay as they were.
const tripUpdates = '2022-05-08T06:04:57Z_https_cdn.mbta.com_realtime_TripUpdates_enhanced.json.gz';
put(`2022/05/08/${tripUpdates}`, readFileSync(join(src, tripUpdates)));
const alerts = '2022-05-04T15:59:48Z_https_cdn.mbta.com_realtime_Alerts_enhanced.json.gz';
put(`2022/05/04/${alerts}`, readFileSync(join(src, alerts)));
const concentrate = '___.s3.amazonaws.com_concentrate_';
put(
  `2017/12/18/2017-12-18T18:46:14${concentrate}TripUpdates.pb`,
  readFileSync(join(src, 'concentrate-2017/tripupdates.pb')),
);
put(
  `2017/12/23/2017-12-23T13:00:20${concentrate}Alerts.pb`,
  readFileSync(join(src, 'concentrate-2017/alerts.pb')),
);
console.log(`wrote the demo sample to ${out}`);
