import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import {
  defaultFeedGlob,
  FeedSelectionError,
  judgeSelection,
  parseFeedSelection,
} from '../../src/feeds/feedKinds.js';

describe('parseFeedSelection', () => {
  it('defaults to vehicle_positions, expands all, keeps table order without repeats', () => {
    expect(parseFeedSelection([])).toEqual(['vehicle_positions']);
    expect(parseFeedSelection(['all'])).toEqual(['vehicle_positions', 'trip_updates', 'alerts']);
    expect(parseFeedSelection(['alerts', 'trip_updates', 'alerts'])).toEqual(['trip_updates', 'alerts']);
    expect(parseFeedSelection(['alerts,vehicle_positions'])).toEqual(['vehicle_positions', 'alerts']);
    expect(() => parseFeedSelection(['tripupdates'])).toThrow(FeedSelectionError);
  });
});

describe('defaultFeedGlob', () => {
  // File names of MBTA's archive in each naming era, and names that are not feed snapshots.
  const vehicle = [
    '2022-01-01T00:00:03Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz',
    '2022-07-05T12:35:16Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json',
    '2019-12-12T00_00_10_https___mbta_gtfs_s3_dev.s3.amazonaws.com_concentrate_VehiclePositions_enhanced.json',
    '2019-02-08T00:00:06___.s3.amazonaws.com_concentrate_VehiclePositions.pb',
    '2019-02-08T00:00:06___.s3.amazonaws.com_concentrate_VehiclePositions.pb.gz',
    '2018-08-01T00:00:07Z_https_s3.amazonaws.com_mbta-busloc-s3_prod_VehiclePositions_enhanced.json',
  ];
  const trips = [
    '2019-02-08T00:00:07___.s3.amazonaws.com_concentrate_TripUpdates_enhanced.json',
    '2022-05-08T06:04:57Z_https_cdn.mbta.com_realtime_TripUpdates_enhanced.json.gz',
    '2018-08-01T00:00:07Z_https_s3.amazonaws.com_mbta-busloc-s3_prod_TripUpdates.pb',
  ];
  const alerts = ['2019-02-08T00:00:23___cdn.mbta.com_realtime_Alerts_enhanced.json'];
  const others = [
    '2019-02-08T00:00:27.960548___integration.mybluemix.net_vehicleCount',
    'VehiclePositions.csv',
    'README.md',
  ];

  it('lists the selected kinds in every era, ending in .json or .pb, gzipped or not', () => {
    const vp = picomatch(defaultFeedGlob(['vehicle_positions']));
    expect(defaultFeedGlob(['vehicle_positions'])).toBe('*VehiclePositions*.{json,pb}{,.gz}');
    expect(vehicle.filter((n) => vp(n))).toEqual(vehicle);
    expect([...trips, ...alerts, ...others].filter((n) => vp(n))).toEqual([]);
    const all = picomatch(defaultFeedGlob(['vehicle_positions', 'trip_updates', 'alerts']));
    expect([...vehicle, ...trips, ...alerts].every((n) => all(n))).toBe(true);
    expect(others.filter((n) => all(n))).toEqual([]);
    const tu = picomatch(defaultFeedGlob(['trip_updates']));
    expect([...vehicle, ...trips, ...alerts].filter((n) => tu(n))).toEqual(trips);
  });
});

describe('judgeSelection', () => {
  const k = (vehicles: number, tripUpdates: number, alerts: number) => ({
    entities: vehicles + tripUpdates + alerts,
    vehicles,
    tripUpdates,
    alerts,
  });
  it('skips a file only when it holds other kinds and none selected, naming what it holds', () => {
    expect(judgeSelection(k(5, 0, 0), ['vehicle_positions'])).toBeNull();
    expect(judgeSelection(k(0, 0, 0), ['vehicle_positions'])).toBeNull();
    expect(judgeSelection(k(21, 21, 0), ['trip_updates'])).toBeNull();
    expect(judgeSelection(k(0, 79, 0), ['vehicle_positions'])).toEqual({
      reason: 'feed_not_selected',
      detail: 'holds TripUpdates (79 trip_update entities); --feed selects vehicle_positions',
    });
    expect(judgeSelection(k(0, 3, 2), ['vehicle_positions'])?.detail).toBe(
      'holds TripUpdates and Alerts (3 trip_update and 2 alert entities); --feed selects vehicle_positions',
    );
  });
});
