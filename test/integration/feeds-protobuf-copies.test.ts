import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeDecodedRun } from '../../src/feeds/writeDecodedFeed.js';
import { canonicalFeed, encodeProtobuf } from '../helpers/feedEncodings.js';
import { midnightArchive } from '../helpers/midnightArchive.js';
import { readLakeFolder } from '../helpers/parquetLake.js';
import { lakeDifferences, referenceLake, type ArchiveFile } from '../helpers/referenceLake.js';
import { json, runCli } from '../helpers/runCli.js';

// Ingest's decoder leaves out copies of an entity that the batch's dedupe would drop anyway
// (src/feeds/runCopies.ts). Consecutive protobuf snapshots re-publish most vehicles unchanged, with
// ties on feed_timestamp, vehicles repeated within a file, re-publications that change a field
// without a new timestamp, rows without id or timestamp, and midnight in the middle
// (midnightArchive). The lake must be exactly the independent reference's, in one batch, in small
// batches and in day mode, and the counts the same as if every copy had been read.

const fixtures = join(import.meta.dirname, '../fixtures');
const seed = readFileSync(
  join(
    fixtures,
    'real-mbta/2022-01-01T00:00:03Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz',
  ),
);
const midnight = Date.UTC(2022, 0, 1) / 1000;

const snapshots = midnightArchive(seed, {
  prefix: '',
  start: midnight - 90,
  count: 40,
  stepSeconds: 5,
  vehicles: 40,
  seed: 21,
});
const files: ArchiveFile[] = [];
const reference: ArchiveFile[] = [];
snapshots.forEach((s, i) => {
  const feed = canonicalFeed(s.bytes);
  const pb = encodeProtobuf(feed);
  const stem = s.key.replace(/_enhanced\.json(\.gz)?$/, '');
  const key = i % 3 === 0 ? `${stem}.pb.gz` : `${stem}.pb`;
  files.push({ key, bytes: key.endsWith('.gz') ? gzipSync(pb) : pb });
  reference.push({ key, bytes: Buffer.from(JSON.stringify(feed)) });
});

const work = mkdtempSync(join(tmpdir(), 'rtlake-pb-copies-'));
const archive = join(work, 'archive');
for (const f of files) {
  mkdirSync(dirname(join(archive, f.key)), { recursive: true });
  writeFileSync(join(archive, f.key), f.bytes);
}

const ingest = (out: string, extra: string[] = []) =>
  runCli([
    'ingest',
    '--source',
    archive,
    '--out',
    out,
    '--cache-dir',
    join(work, 'cache'),
    '--json',
    '--quiet',
    ...extra,
  ]);

describe('protobuf snapshots: copies left out by the decoder change nothing', () => {
  it('the archive has copies to leave out: a run of its feeds writes far fewer lines with the rule', () => {
    const sources = files.slice(0, 8).map((f) => join(archive, f.key));
    const lines = (rule?: { keep: 'latest' }) => {
      const stem = join(mkdtempSync(join(work, 'run-')), 'run');
      writeDecodedRun(sources, stem, rule);
      return readFileSync(`${stem}.vehicles.csv`, 'utf8').split('\n').length - 1;
    };
    const all = lines();
    const left = lines({ keep: 'latest' });
    expect(left).toBeGreaterThan(8);
    expect(left).toBeLessThan(all * 0.8);
  });

  const expected = referenceLake(reference);

  it.each([
    ['one batch', []],
    ['batches of 4 (runs of decoded feeds cross batches)', ['--batch-files', '4']],
  ])('%s: exactly the reference rows and counts', async (_name, extra) => {
    const out = join(work, `lake-${extra.length}`);
    const r = await ingest(out, extra);
    expect(r.code, r.stderr).toBe(0);
    const s = json<any>(r);
    expect(s.keys_loaded).toBe(files.length);
    expect(s.rows_read).toBe(expected.rowsRead);
    expect(s.rows_rejected).toBe(expected.rowsRejected);
    expect(s.duplicates_dropped).toBe(expected.duplicatesDropped);
    const lake = await readLakeFolder(out);
    expect(lakeDifferences(lake.rows, expected)).toEqual([]);
    expect(lake.rows.length).toBeGreaterThan(40);
  });

  it("day mode: the day's partition is exactly the reference's, pings of the next day left to its job", async () => {
    const out = join(work, 'lake-day');
    const r = await ingest(out, ['--date', '2021-12-31']);
    expect(r.code, r.stderr).toBe(0);
    const day = 'year=2021/month=12/day=31';
    const only = { ...expected, partitions: new Map([[day, expected.partitions.get(day)!]]) };
    expect(only.partitions.get(day)!.size).toBeGreaterThan(10);
    expect(readdirSync(join(out, 'vehicle_positions'))).toEqual(['year=2021']);
    expect(lakeDifferences((await readLakeFolder(out)).rows, only)).toEqual([]);
  });
});
