import { describe, expect, it } from 'vitest';
import { resolvePublishedAt, StoreError } from '../../../src/store/index.js';
import type { ParsedDate } from '../../../src/model.js';

const day = (iso: string): ParsedDate => ({ date: new Date(iso), precision: 'day' });
const time = (iso: string): ParsedDate => ({ date: new Date(iso), precision: 'time' });

describe('resolvePublishedAt', () => {
  it.each<[string, ParsedDate | undefined, string, string, number, string]>([
    [
      'a date-time as is',
      time('2024-03-09T06:30:00Z'),
      '2024-03-10T04:00:00Z',
      'Asia/Shanghai',
      5,
      '2024-03-09T06:30:00.000Z',
    ],
    [
      'a future date-time clamped to now',
      time('2024-03-10T05:00:00Z'),
      '2024-03-10T04:00:00Z',
      'Asia/Shanghai',
      0,
      '2024-03-10T04:00:00.000Z',
    ],
    [
      'today (local) as first-seen time',
      day('2024-03-09T16:00:00Z'),
      '2024-03-10T04:00:00Z',
      'Asia/Shanghai',
      0,
      '2024-03-10T04:00:00.000Z',
    ],
    [
      'today stepped back by page position',
      day('2024-03-09T16:00:00Z'),
      '2024-03-10T04:00:00Z',
      'Asia/Shanghai',
      7,
      '2024-03-10T03:59:53.000Z',
    ],
    [
      'today never before local midnight',
      day('2024-03-09T16:00:00Z'),
      '2024-03-09T16:00:03Z',
      'Asia/Shanghai',
      10,
      '2024-03-09T16:00:00.000Z',
    ],
    [
      'an earlier day as local midnight',
      day('2024-03-04T16:00:00Z'),
      '2024-03-10T04:00:00Z',
      'Asia/Shanghai',
      0,
      '2024-03-04T16:00:00.000Z',
    ],
    [
      'yesterday in the zone although today in UTC',
      day('2024-03-09T16:00:00Z'),
      '2024-03-10T17:00:00Z',
      'Asia/Shanghai',
      0,
      '2024-03-09T16:00:00.000Z',
    ],
    [
      'a future day clamped to now',
      day('2024-03-11T16:00:00Z'),
      '2024-03-10T04:00:00Z',
      'Asia/Shanghai',
      0,
      '2024-03-10T04:00:00.000Z',
    ],
    [
      'a day across a DST change in its own zone',
      day('2024-03-31T00:00:00+01:00'),
      '2024-04-02T10:00:00Z',
      'Europe/Paris',
      0,
      '2024-03-30T23:00:00.000Z',
    ],
    [
      'no date as first-seen time minus position',
      undefined,
      '2024-03-10T04:00:00Z',
      'Asia/Shanghai',
      2,
      '2024-03-10T03:59:58.000Z',
    ],
  ])('uses %s', (_name, published, now, zone, position, expected) => {
    expect(resolvePublishedAt(published, new Date(now), zone, position).toISOString()).toBe(expected);
  });

  it('rejects an unknown zone', () => {
    expect(() => resolvePublishedAt(undefined, new Date(), 'Mars/Olympus', 0)).toThrow(StoreError);
  });
});
