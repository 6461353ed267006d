import { describe, expect, it } from 'vitest';
import { jsonSpelling } from '../../src/pipeline/ingest/jsonSpelling.js';

const b = (text: string) => Buffer.from(text, 'latin1');

describe('jsonSpelling (issue 15: the snake_case-only read)', () => {
  it('says snake for an enhanced JSON head, entities first (as MBTA writes it) or the header first', () => {
    expect(
      jsonSpelling(
        b('{"entity":[{"id":"y1628","vehicle":{"current_status":"IN_TRANSIT_TO","current_stop_sequence":11,'),
      ),
    ).toBe('snake');
    expect(
      jsonSpelling(
        b(
          '{"header":{"gtfs_realtime_version":"2.0","incrementality":"FULL_DATASET","timestamp":1630886400},"entity":[{"id":"y1","vehicle":{"current_status":"IN_TRANSIT_TO","trip":{"trip_id":"t',
        ),
      ),
    ).toBe('snake');
  });

  it('says either for camelCase, for a mix, and when the head cannot tell', () => {
    expect(
      jsonSpelling(b('{"header":{"gtfsRealtimeVersion":"2.0","timestamp":"1630886400"},"entity":[]}')),
    ).toBe('either');
    // A snake header over camelCase entities: read with both spellings.
    expect(
      jsonSpelling(
        b('{"header":{"gtfs_realtime_version":"2.0"},"entity":[{"vehicle":{"currentStatus":"STOPPED_AT"'),
      ),
    ).toBe('either');
    expect(
      jsonSpelling(b('{"header":{"gtfs_realtime_version":"2.0"},"entity":[{"vehicle":{"trip":{"tripId":"x"')),
    ).toBe('either');
    // Neither spelling's names in the head: cannot tell.
    expect(
      jsonSpelling(b('{"entity":[{"id":"1","vehicle":{"timestamp":1630886400,"vehicle":{"id":"y1"')),
    ).toBe('either');
    expect(jsonSpelling(b(''))).toBe('either');
  });

  it('knows each name with two spellings in both', () => {
    // Written out by hand, not derived from the code's list.
    const pairs = [
      ['current_status', 'currentStatus'],
      ['current_stop_sequence', 'currentStopSequence'],
      ['occupancy_status', 'occupancyStatus'],
      ['stop_id', 'stopId'],
      ['direction_id', 'directionId'],
      ['route_id', 'routeId'],
      ['schedule_relationship', 'scheduleRelationship'],
      ['start_date', 'startDate'],
      ['start_time', 'startTime'],
      ['trip_id', 'tripId'],
      ['gtfs_realtime_version', 'gtfsRealtimeVersion'],
    ];
    for (const [snake, camel] of pairs) {
      expect(jsonSpelling(b(`{"entity":[{"vehicle":{"${snake}":"x"`)), snake).toBe('snake');
      expect(jsonSpelling(b(`{"entity":[{"vehicle":{"${camel}":"x"`)), camel).toBe('either');
      expect(jsonSpelling(b(`{"entity":[{"vehicle":{"${snake}":"x","${camel}":"y"`)), camel).toBe('either');
      // A name inside a longer one is not the name.
      expect(jsonSpelling(b(`{"entity":[{"vehicle":{"x${snake}":"x"`)), `x${snake}`).toBe('either');
    }
  });

  it('reads a subarray of a larger buffer as itself', () => {
    const whole = b('{"header":{"gtfs_realtime_version":"2.0"}}{"tripId":1}');
    expect(jsonSpelling(whole.subarray(0, 42))).toBe('snake');
    expect(jsonSpelling(whole)).toBe('either');
  });
});
