/**
 * The publication-date rule. It runs once, when an item is first recorded; the result is stored and
 * never recomputed, so a feed's dates do not move between runs.
 */
import { DateTime } from 'luxon';
import type { ParsedDate } from '../model.js';
import { StoreError } from './store-error.js';

/** Seconds subtracted per page position from a first-seen-based date, so readers sorting by date keep page order. */
export const POSITION_STEP_MS = 1_000;

/**
 * Resolves the date shown in feeds for an item first seen at `now` at page `position`:
 * a date-time is used as is; a bare day becomes the first-seen time when that day is today in
 * `timezone`, else midnight of that day in `timezone`; no date becomes the first-seen time; a
 * first-seen-based date steps back one second per page position (never before local midnight);
 * nothing is ever later than `now`.
 */
export function resolvePublishedAt(published: ParsedDate | undefined, now: Date, timezone: string, position: number): Date {
  const nowLocal = DateTime.fromJSDate(now, { zone: timezone });
  if (!nowLocal.isValid) {
    throw new StoreError('CONFIG_INVALID', `store: unknown time zone (${timezone})`, {
      hint: 'Use an IANA zone name such as Asia/Shanghai or Europe/Paris.',
    });
  }
  if (published === undefined || Number.isNaN(published.date.getTime())) return stepBack(nowLocal, position, false);
  if (published.precision === 'time') return clampToNow(published.date, now);
  const day = DateTime.fromJSDate(published.date, { zone: timezone }).startOf('day');
  if (day.hasSame(nowLocal, 'day')) return stepBack(nowLocal, position, true);
  return clampToNow(day.toJSDate(), now);
}

// --- Internal helpers ---

function clampToNow(date: Date, now: Date): Date {
  return date.getTime() > now.getTime() ? new Date(now.getTime()) : new Date(date.getTime());
}

function stepBack(nowLocal: DateTime, position: number, keepDay: boolean): Date {
  const stepped = nowLocal.toMillis() - Math.max(0, position) * POSITION_STEP_MS;
  if (!keepDay) return new Date(stepped);
  return new Date(Math.max(stepped, nowLocal.startOf('day').toMillis()));
}
