import { describe, expect, it } from 'vitest';
import { describeSchedule } from '../../../src/time/describe-schedule.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('describeSchedule', () => {
  it.each([
    ['every 30 minutes', '*/30 * * * *', 30 * MINUTE, 30 * MINUTE],
    ['every second (6 fields)', '*/1 * * * * *', 1000, 1000],
    ['uneven minute steps wrap at the hour', '*/7 * * * *', 4 * MINUTE, 7 * MINUTE],
    ['twice a day on weekdays (the weekend is the longest gap)', '0 9,17 * * 1-5', 8 * HOUR, 64 * HOUR],
    ['daily in the morning', '15 8 * * *', DAY, DAY],
    ['nickname @hourly', '@hourly', HOUR, HOUR],
    ['named weekday', '0 6 * * MON', 7 * DAY, 7 * DAY],
    ['last day of the month', '0 0 L * *', 28 * DAY, 31 * DAY],
    ['second Monday of the month', '0 0 * * 1#2', 28 * DAY, 35 * DAY],
    ['leap day', '0 0 29 2 *', 1461 * DAY, 1461 * DAY],
  ])('%s: %s', (_name, expr, intervalMs, maxIntervalMs) => {
    expect(describeSchedule(expr)).toEqual({ valid: true, intervalMs, maxIntervalMs });
  });

  it.each([
    ['garbage', 'bad'],
    ['minute out of range', '61 * * * *'],
    ['impossible date', '0 0 31 2 *'],
    ['empty', ''],
  ])('reports %s as invalid with a reason', (_name, expr) => {
    const description = describeSchedule(expr);
    expect(description.valid).toBe(false);
    expect(description.intervalMs).toBeUndefined();
    expect(description.error).toMatch(/\w/);
  });

  it('does not depend on the process time zone or the current date (answers are cached and stable)', () => {
    const first = describeSchedule('0 9,17 * * 1-5');
    const second = describeSchedule('0 9,17 * * 1-5');
    expect(second).toEqual(first);
  });
});
