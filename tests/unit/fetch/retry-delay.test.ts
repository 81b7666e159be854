import { describe, expect, it } from 'vitest';
import { computeBackoffMs, parseRetryAfter } from '../../../src/fetch/retry-delay.js';

const NOW = Date.parse('2024-05-01T08:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Wed, 01 May 2024 08:00:30 GMT', 30_000],
    ['Wed, 01 May 2024 07:00:00 GMT', 0],
    ['Wednesday, 01-May-24 08:01:00 GMT', 60_000],
  ])('reads %j as %i ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each([undefined, '', 'soon', '-5', '1.5', '2024-05-01'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('computeBackoffMs', () => {
  it('doubles per attempt with equal jitter and respects the cap', () => {
    expect([1, 2, 3, 4].map((attempt) => computeBackoffMs(attempt, 60_000, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((attempt) => computeBackoffMs(attempt, 60_000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(computeBackoffMs(10, 5_000, () => 1)).toBe(5_000);
    expect(computeBackoffMs(10, 5_000, () => 0)).toBe(2_500);
  });
});
