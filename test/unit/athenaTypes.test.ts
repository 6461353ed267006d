import { describe, expect, it } from 'vitest';
import { hiveTypeOf, UnmappableTypeError } from '../../src/pipeline/athenaTypes.js';

describe('hiveTypeOf: DuckDB type text -> the Hive type Glue and Athena DDL declare', () => {
  it("spells alerts' LIST of STRUCT columns as array<struct<…>>, field names bare for Glue and quoted for DDL", () => {
    expect(hiveTypeOf('STRUCT("start" TIMESTAMP WITH TIME ZONE, "end" TIMESTAMP WITH TIME ZONE)[]')).toEqual({
      glue: 'array<struct<start:timestamp,end:timestamp>>',
      ddl: 'array<struct<`start`:timestamp,`end`:timestamp>>',
    });
    expect(
      hiveTypeOf(
        'STRUCT(agency_id VARCHAR, route_id VARCHAR, route_type INTEGER, direction_id INTEGER, trip_id VARCHAR, stop_id VARCHAR)[]',
      ).glue,
    ).toBe(
      'array<struct<agency_id:string,route_id:string,route_type:int,direction_id:int,trip_id:string,stop_id:string>>',
    );
  });

  it('maps scalars, decimals, maps, nested lists and quoted names with spaces, quotes and backticks', () => {
    expect(hiveTypeOf('VARCHAR').glue).toBe('string');
    expect(hiveTypeOf('DECIMAL(18,3)').glue).toBe('decimal(18,3)');
    expect(hiveTypeOf('MAP(VARCHAR, BIGINT)').glue).toBe('map<string,bigint>');
    expect(hiveTypeOf('INTEGER[][]').glue).toBe('array<array<int>>');
    expect(hiveTypeOf('STRUCT("a b" DOUBLE, "say ""hi""" BOOLEAN, "x`y" DATE)').ddl).toBe(
      'struct<`a b`:double,`say "hi"`:boolean,`x``y`:date>',
    );
  });

  it('refuses types Athena cannot read exactly, naming them', () => {
    expect(() => hiveTypeOf('STRUCT(n UBIGINT)[]')).toThrow(UnmappableTypeError);
    expect(() => hiveTypeOf('STRUCT(n UBIGINT)[]')).toThrow(/UBIGINT has no Athena equivalent/);
    expect(() => hiveTypeOf('TIMESTAMP_NS')).toThrow(/TIMESTAMP_NS/);
  });
});
