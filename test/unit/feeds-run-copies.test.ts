import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleTime, type CopyRule } from '../../src/feeds/runCopies.js';
import { writeDecodedRun, type DecodeOutcome } from '../../src/feeds/writeDecodedFeed.js';
import { encodeProtobuf } from '../helpers/feedEncodings.js';

// Ingest's decoder leaves out copies of an entity that the batch's dedupe would drop in favour of
// another copy of the same run (src/feeds/runCopies.ts). Each case says by hand which lines of
// which feeds stay: (feed, entity index) pairs. A left-out line must never change a count, and a
// copy is left out only for one that is certainly read.

interface Vehicle {
  id?: string;
  timestamp?: number;
  latitude?: number;
}

function entity(name: string, v: Vehicle) {
  return {
    id: name,
    vehicle: {
      trip: { trip_id: `t-${name}`, route_id: 'Red' },
      position: { latitude: v.latitude ?? 42.1, longitude: -71.05 },
      ...(v.timestamp === undefined ? {} : { timestamp: v.timestamp }),
      ...(v.id === undefined ? {} : { vehicle: { id: v.id } }),
    },
  };
}

const feed = (timestamp: number, entities: object[]) =>
  encodeProtobuf({ header: { gtfs_realtime_version: '2.0', timestamp }, entity: entities });

/** A vehicle that is new in every feed, so that each feed's first line is not a copy. */
const lead = (n: number) => entity(`lead${n}`, { id: `lead${n}`, timestamp: 1_000 + n });
// Entities of different lengths: the cache hashes a sample of an entity's bytes and its length, and
// two entities in one slot cannot both be kept there (then neither is left out: a miss).
const A = entity('A', { id: 'a', timestamp: 90 });
const B = entity('BB', { id: 'bb', timestamp: 91 });
const C = entity('CCC', { id: 'ccc', timestamp: 92 });
const C2 = entity('CCC', { id: 'ccc', timestamp: 93 });

/** Decodes the feeds as one run; returns the outcomes and the run's lines as "feed:entity_index". */
function decodeRun(feeds: Buffer[], rule?: CopyRule) {
  const dir = mkdtempSync(join(tmpdir(), 'rtlake-copies-'));
  const sources = feeds.map((bytes, i) => {
    const path = join(dir, `${i}.pb`);
    writeFileSync(path, bytes);
    return path;
  });
  const outcomes = writeDecodedRun(sources, join(dir, 'run'), rule);
  let text = '';
  try {
    text = readFileSync(join(dir, 'run.vehicles.csv'), 'utf8');
  } catch {
    // No vehicle at all.
  }
  const lines = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(','));
  return {
    outcomes,
    kept: lines.map((f) => `${f[0]}:${f[1]}`),
    counts: lines.filter((f) => f[2] !== '').map((f) => `${f[0]}:${f[2]}`),
  };
}

const vehicles = (outcomes: DecodeOutcome[]) =>
  outcomes.map((o) => ('files' in o ? o.files.kinds.vehicles : o));

describe('copies a run leaves out (RunCopies)', () => {
  const run = [feed(100, [lead(0), A, B]), feed(200, [lead(1), A, B, C]), feed(300, [lead(2), A, C2])];

  it('latest: only the newest feed copy of each entity stays; counts are of every vehicle', () => {
    const { outcomes, kept, counts } = decodeRun(run, { keep: 'latest' });
    expect(kept).toEqual(['0:0', '1:0', '1:2', '1:3', '2:0', '2:1', '2:2']);
    expect(counts).toEqual(['0:3', '1:4', '2:3']);
    expect(vehicles(outcomes)).toEqual([3, 4, 3]);
  });

  it('earliest: only the oldest feed copy stays', () => {
    const { kept, counts } = decodeRun(run, { keep: 'earliest' });
    expect(kept).toEqual(['0:0', '0:1', '0:2', '1:0', '1:3', '2:0', '2:2']);
    expect(counts).toEqual(['0:3', '1:4', '2:3']);
  });

  it('without a rule (dedupe reports, the workbench) every line is written', () => {
    expect(decodeRun(run).kept).toEqual([
      '0:0',
      '0:1',
      '0:2',
      '1:0',
      '1:1',
      '1:2',
      '1:3',
      '2:0',
      '2:1',
      '2:2',
    ]);
  });

  it('feeds out of order: the rule follows the header timestamps, not the order in the run', () => {
    const { kept } = decodeRun([feed(300, [lead(0), A]), feed(100, [lead(1), A])], { keep: 'latest' });
    expect(kept).toEqual(['0:0', '0:1', '1:0']);
  });

  it('equal header timestamps: both copies stay (DuckDB orders them by source key)', () => {
    const { kept } = decodeRun([feed(100, [lead(0), A]), feed(100, [lead(1), A])], { keep: 'latest' });
    expect(kept).toEqual(['0:0', '0:1', '1:0', '1:1']);
  });

  it("a feed's first vehicle line always stays: it carries the feed's vehicle count", () => {
    const { kept, counts } = decodeRun([feed(100, [A, lead(0)]), feed(200, [A, lead(1)])], {
      keep: 'latest',
    });
    expect(kept).toEqual(['0:0', '0:1', '1:0', '1:1']);
    expect(counts).toEqual(['0:2', '1:2']);
  });

  it('rows the loader counts as rejected or outside the day always stay', () => {
    const noId = entity('N', { timestamp: 95 });
    const noTime = entity('TT', { id: 'tt' });
    const day = Math.floor(1_700_000_000 / 86400);
    const today = entity('DDD', { id: 'ddd', timestamp: day * 86400 + 10 });
    const yesterday = entity('YYYY', { id: 'yyyy', timestamp: day * 86400 - 10 });
    const feeds = [
      feed(100, [lead(0), noId, noTime, today, yesterday]),
      feed(200, [lead(1), noId, noTime, today, yesterday]),
    ];
    // Without a day, both dated pings are keepable: only their newest copies stay.
    expect(decodeRun(feeds, { keep: 'latest' }).kept).toEqual([
      '0:0',
      '0:1',
      '0:2',
      '1:0',
      '1:1',
      '1:2',
      '1:3',
      '1:4',
    ]);
    // In day mode, yesterday's ping is counted outside the day in every copy.
    expect(decodeRun(feeds, { keep: 'latest', day }).kept).toEqual([
      '0:0',
      '0:1',
      '0:2',
      '0:4',
      '1:0',
      '1:1',
      '1:2',
      '1:3',
      '1:4',
    ]);
    expect(decodeRun(feeds, { keep: 'latest', day: day - 1 }).kept).toEqual([
      '0:0',
      '0:1',
      '0:2',
      '0:3',
      '1:0',
      '1:1',
      '1:2',
      '1:3',
      '1:4',
    ]);
  });

  it('a copy is not left out for one in a feed that then fails', () => {
    const broken = feed(200, [lead(1), A, B, C]);
    const { outcomes, kept } = decodeRun([feed(100, [lead(0), A]), broken.subarray(0, broken.length - 3)], {
      keep: 'latest',
    });
    expect(outcomes[1]).toMatchObject({ reason: 'truncated_protobuf' });
    expect(kept).toEqual(['0:0', '0:1']);
  });

  it('copies in different runs all stay: each run is read whole or not at all', () => {
    expect(decodeRun([feed(100, [lead(0), A])], { keep: 'latest' }).kept).toEqual(['0:0', '0:1']);
    // The thread's cache still holds A's line from the run before; nothing of that run is left out.
    expect(decodeRun([feed(200, [lead(1), A])], { keep: 'latest' }).kept).toEqual(['0:0', '0:1']);
  });
});

describe('ruleTime', () => {
  it('takes whole seconds DuckDB reads exactly, nothing else', () => {
    expect(ruleTime('1630886400')).toBe(1630886400);
    expect(ruleTime('0')).toBe(0);
    expect(ruleTime('')).toBeNaN();
    expect(ruleTime('1.5')).toBeNaN();
    expect(ruleTime('18446744073709551615')).toBeNaN();
    expect(ruleTime('100000000000')).toBeNaN();
  });
});
