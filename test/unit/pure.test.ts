import { describe, expect, it } from 'vitest';
import { parseLocation, joinKey } from '../../src/location.js';
import {
  addDays,
  daySources,
  daysBetween,
  keyTime,
  parseDay,
  renderLayout,
} from '../../src/pipeline/dayMode.js';
import { makeNameMatcher } from '../../src/pipeline/ingest/listInputs.js';
import { renderSql } from '../../src/db/runSqlFile.js';
import {
  SqlFragment,
  sql,
  sqlString,
  sqlIdent,
  sqlStringList,
  sqlUserExpression,
} from '../../src/db/sqlText.js';
import { parseRule, parseSize, resolveConfig } from '../../src/cli/config.js';
import {
  dedupeSlots,
  describeRule,
  describeRuleOrder,
  grainColumns,
  ruleOrderBy,
  ruleWindow,
} from '../../src/pipeline/dedupeRule.js';
import { UsageError } from '../../src/errors.js';
import { makeStorage } from '../../src/store/openStore.js';

describe('parseLocation', () => {
  it('keeps S3 prefixes exactly, colons included', () => {
    expect(parseLocation('s3://mbta-gtfs-s3/2021/09/06/2021-09-06T00:00:05Z_x', '--source')).toMatchObject({
      kind: 's3',
      bucket: 'mbta-gtfs-s3',
      prefix: '2021/09/06/2021-09-06T00:00:05Z_x',
    });
    expect(parseLocation('s3://bucket', '--source')).toMatchObject({
      kind: 's3',
      bucket: 'bucket',
      prefix: '',
    });
  });
  it('rejects malformed URLs with a usage error naming the flag', () => {
    for (const bad of ['s3://', 's3://Bad_Bucket/x', 's3a://b/x', 'gs://b/x', '']) {
      expect(() => parseLocation(bad, '--source')).toThrow(UsageError);
    }
  });
  it('joins keys with one slash', () => {
    expect(joinKey('', 'a')).toBe('a');
    expect(joinKey('p', 'a')).toBe('p/a');
    expect(joinKey('p/', 'a')).toBe('p/a');
  });
});

describe('glob on the file name', () => {
  const m = makeNameMatcher('*VehiclePositions*.json*');
  it('matches after the last slash only', () => {
    expect(
      m('2021/09/06/2021-09-06T00:00:05Z_https_cdn.mbta.com_realtime_VehiclePositions_enhanced.json.gz'),
    ).toBe(true);
    expect(m('VehiclePositions/2021/x_TripUpdates.json')).toBe(false);
    expect(m('2021/09/06/x_VehiclePositions.pb')).toBe(false);
  });
});

describe('day mode', () => {
  it('reads both key time forms MBTA uses', () => {
    expect(keyTime('2021/09/06/2021-09-06T00:00:05Z_https_cdn')).toBe(Date.UTC(2021, 8, 6, 0, 0, 5) / 1000);
    expect(keyTime('2019/12/12/2019-12-12T00_00_10_https___mbta')).toBe(
      Date.UTC(2019, 11, 12, 0, 0, 10) / 1000,
    );
    expect(keyTime('2019/12/12/no-time.json')).toBeNull();
  });
  it('validates dates and walks ranges across months', () => {
    expect(() => parseDay('2021-02-29', '--date')).toThrow(UsageError);
    expect(daysBetween(parseDay('2021-01-30', 'f'), parseDay('2021-02-02', 't')).length).toBe(4);
    expect(addDays(parseDay('2021-12-31', 'd'), 1)).toEqual({ year: 2022, month: 1, day: 1 });
    expect(renderLayout('YYYY/MM/DD/', parseDay('2021-09-06', 'd'))).toBe('2021/09/06/');
  });
  it('keeps neighbours only within the window around the day', () => {
    const storage = makeStorage({ s3: {} });
    const day = daySources(
      [storage.open(parseLocation('s3://bkt/root/', 's'))],
      parseDay('2021-09-06', 'd'),
      'YYYY/MM/DD/',
      900,
    );
    expect(day.stores.map((l) => [l.store.uri, l.neighbour])).toEqual([
      ['s3://bkt/root/2021/09/06/', false],
      ['s3://bkt/root/2021/09/05/', true],
      ['s3://bkt/root/2021/09/07/', true],
    ]);
    expect(day.select('2021/09/05/2021-09-05T23:50:00Z_x', true)).toBe(true);
    expect(day.select('2021/09/05/2021-09-05T23:40:00Z_x', true)).toBe(false);
    expect(day.select('2021/09/07/2021-09-07T00:14:59Z_x', true)).toBe(true);
    expect(day.select('2021/09/07/2021-09-07T00:15:00Z_x', true)).toBe(false);
  });
});

describe('SQL templates', () => {
  it('fills slots only with quoted fragments and ignores slots in comment lines', () => {
    const sql = renderSql('-- reads {{file}}\nSELECT * FROM read_json({{file}}) WHERE x = {{v}}', {
      file: sqlString("it's; DROP TABLE x; --\n"),
      v: sqlIdent('a"b'),
    });
    expect(sql).toBe(`SELECT * FROM read_json('it''s; DROP TABLE x; --\n') WHERE x = "a""b"`);
    expect(() => renderSql('SELECT {{missing}}', {})).toThrow(/missing/);
    expect(() => renderSql('SELECT {{x}}', { x: 'raw' as unknown as SqlFragment })).toThrow();
    expect(sqlStringList(['a', "b'c"]).text).toBe("['a', 'b''c']");
  });
  it('makes fragments only in sqlText: code from template literals, quoted values, the checked --where', () => {
    const SqlFragmentClass = SqlFragment as unknown as new (key: symbol, text: string) => SqlFragment;
    expect(() => new SqlFragmentClass(Symbol('sqlText'), 'DROP TABLE pings')).toThrow(TypeError);
    const notALiteral = Object.assign(['DROP TABLE pings'], { raw: ['DROP TABLE pings'] });
    expect(() => sql(notALiteral as unknown as TemplateStringsArray)).toThrow(TypeError);
    expect(sql`SELECT ${sqlIdent('a"b')} FROM t`.text).toBe('SELECT "a""b" FROM t');
    expect(() => sql`SELECT ${'raw' as unknown as SqlFragment}`).toThrow(TypeError);
    expect(sqlUserExpression("route_id = 'Red'").text).toBe("(\nroute_id = 'Red'\n)");
  });
});

describe('the dedupe rule', () => {
  const latest = { grain: 'key', keep: 'latest' } as const;
  const earliest = { grain: 'key', keep: 'earliest' } as const;
  it('renders one window for every statement, the lineage key standing in for source_key', () => {
    expect(ruleWindow(latest).text).toBe(
      'PARTITION BY "vehicle_id", "timestamp" ORDER BY "feed_timestamp" DESC NULLS LAST, "source_key" DESC NULLS LAST, "entity_index" DESC NULLS LAST',
    );
    expect(ruleWindow(earliest, 'merge_rank').text).toBe(
      'PARTITION BY "vehicle_id", "timestamp" ORDER BY "feed_timestamp" ASC NULLS LAST, "merge_rank" ASC NULLS LAST, "entity_index" ASC NULLS LAST',
    );
    expect(ruleOrderBy(latest, { key: 'file_rank', alias: 'p' }).text).toBe(
      'ORDER BY "p"."feed_timestamp" DESC NULLS LAST, "p"."file_rank" DESC NULLS LAST, "p"."entity_index" DESC NULLS LAST',
    );
  });
  it('takes the exact grain from the one list of data columns', () => {
    expect(grainColumns('key').text).toBe('"vehicle_id", "timestamp"');
    expect(grainColumns('exact').text).toBe(
      '"vehicle_id", "timestamp", "current_status", "current_stop_sequence", "occupancy_status", "bearing", "latitude", "longitude", "stop_id", "direction_id", "route_id", "schedule_relationship", "start_date", "start_time", "trip_id", "label"',
    );
    expect(dedupeSlots({ grain: 'exact', keep: 'latest' }, 'pings', 'v', 'VIEW').rule_window.text).toContain(
      'PARTITION BY "vehicle_id", "timestamp", "current_status",',
    );
  });
  it('says the rule in words', () => {
    expect(describeRule(latest)).toBe(
      'one row per (vehicle_id, timestamp), keeping the row with the newest feed_timestamp, then the greatest source_key, then the greatest entity_index',
    );
    expect(describeRuleOrder(earliest)).toBe(
      'the oldest feed_timestamp, then the smallest source_key, then the smallest entity_index',
    );
  });
});

describe('configuration', () => {
  it('parses sizes and rules', () => {
    expect(parseSize('64MiB', 'f')).toBe(64 * 1024 * 1024);
    expect(parseSize('500', 'f')).toBe(500);
    expect(() => parseSize('lots', 'f')).toThrow(UsageError);
    expect(parseRule({})).toEqual({ grain: 'key', keep: 'latest' });
    expect(parseRule({ dedupe: 'exact' })).toEqual({ grain: 'exact', keep: 'earliest' });
    expect(() => parseRule({ keep: 'newest' })).toThrow(/--keep/);
  });
  it('takes the endpoint from the flag, then AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL', () => {
    expect(
      resolveConfig({ endpoint: 'http://flag:1' }, { AWS_ENDPOINT_URL_S3: 'http://s3:2' }).s3Settings
        .endpoint,
    ).toBe('http://flag:1');
    expect(
      resolveConfig({}, { AWS_ENDPOINT_URL_S3: 'http://s3:2', AWS_ENDPOINT_URL: 'http://all:3' }).s3Settings
        .endpoint,
    ).toBe('http://s3:2');
    expect(resolveConfig({}, { AWS_ENDPOINT_URL: 'http://all:3' }).s3Settings.endpoint).toBe('http://all:3');
    expect(resolveConfig({}, {}).s3Settings.endpoint).toBeUndefined();
    expect(() => resolveConfig({ endpoint: 'ftp://x' }, {})).toThrow(UsageError);
  });
});
