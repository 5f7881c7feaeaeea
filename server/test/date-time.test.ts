import fc from 'fast-check';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { describe, expect, it } from 'vitest';
import { DateTimeISO, isoTime } from '../src/modules/date-time.js';
import { appSchema } from '../src/schema.js';

const YEAR_10000 = Date.UTC(10000, 0, 1);

describe('DateTimeISO', () => {
  it('writes every millisecond of 1970-9999 as toISOString does', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: YEAR_10000 - 1 }), (ms) => {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }), { numRuns: 50_000 });
    // one after the other within and across days, as a page's times come
    for (let ms = Date.UTC(2026, 11, 1, 22); ms < Date.UTC(2026, 11, 3, 2); ms += 997) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    // the edges: each day's first and last millisecond around leap days, century years and the range's ends
    for (const ms of [0, 1, 999, Date.UTC(2000, 1, 29), Date.UTC(2000, 2, 1) - 1, Date.UTC(2100, 1, 28, 23, 59, 59, 999), Date.UTC(2100, 2, 1), Date.UTC(1972, 1, 29, 12), YEAR_10000 - 1]) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('serializes like graphql-scalars, outside the fast range and for what is not a Date as well', () => {
    const values = [new Date(Date.UTC(2026, 11, 2, 3, 4, 5, 678)), new Date(-1), new Date(Date.UTC(-50, 0, 1)), new Date(YEAR_10000), new Date(8.64e15), '2026-12-02T03:04:05.678Z', 1_796_180_000_000];
    for (const value of values) expect(DateTimeISO.serialize(value)).toBe(GraphQLDateTimeISO.serialize(value));
    for (const bad of [new Date(Number.NaN), 'yesterday', {}, true]) {
      expect(() => DateTimeISO.serialize(bad)).toThrow();
      expect(() => GraphQLDateTimeISO.serialize(bad)).toThrow();
    }
  });

  it('is the schema\'s scalar for every Date, under the contract\'s name and description', async () => {
    const schema = await appSchema();
    expect(schema.getType('DateTimeISO')).toBe(DateTimeISO);
    expect(DateTimeISO.description).toBe(GraphQLDateTimeISO.description);
    expect(DateTimeISO.parseValue('2026-12-02T03:04:05.678Z')).toEqual(new Date('2026-12-02T03:04:05.678Z'));
  });
});
