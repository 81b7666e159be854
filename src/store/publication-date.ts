/**
 * The publication-date rule. It runs once, when an item is first stored; the result is stored and
 * never recomputed, so a feed's dates do not move between runs.
 */
import { DateTime } from 'luxon';
import { formatErrorMessage, INTERNAL_HINT } from '../errors.js';
import { getCachedZone } from '../time/cached-zone.js';
import type { ParsedDate } from '../model.js';
import { StoreError } from './store-error.js';

/** Step subtracted per page position from a first-seen-based date, so readers sorting by date keep page order. */
const POSITION_STEP_MS = 1_000;

/** Resolves publication dates for the items of one run (the zone math for `now` is done once). */
export type PublishedAtResolver = (published: ParsedDate | undefined, position: number) => Date;

/**
 * Builds the resolver for a run at `now` in `timezone`. For an item first seen at `now` at page `position`:
 * a date-time is used as is; a bare day becomes the first-seen time when that day is today in
 * `timezone`, else midnight of that day in `timezone`; no date becomes the first-seen time; a
 * first-seen-based date steps back one second per page position (a bare day never before its
 * local midnight); nothing is ever later than `now`.
 */
export function createPublishedAtResolver(now: Date, timezone: string): PublishedAtResolver {
  const nowLocal = DateTime.fromJSDate(now, { zone: getCachedZone(timezone) });
  if (!nowLocal.isValid) {
    // Config validated the zone; an unknown one here is a bug, and must not become NaN dates in the store.
    throw new StoreError('INTERNAL', formatErrorMessage('store', 'unknown time zone', { detail: timezone }), {
      hint: INTERNAL_HINT,
    });
  }
  const nowMs = now.getTime();
  const todayStartMs = startOfLocalDay(nowMs, timezone);
  // 30 h after a day's start is always inside the next day (days are 23 to 25 h long).
  const tomorrowStartMs = startOfLocalDay(todayStartMs + 30 * 3_600_000, timezone);
  return (published, position) => {
    const steppedMs = nowMs - Math.max(0, position) * POSITION_STEP_MS;
    if (published === undefined || Number.isNaN(published.date.getTime())) return new Date(steppedMs);
    const dateMs = published.date.getTime();
    if (published.precision === 'time') return new Date(Math.min(dateMs, nowMs));
    if (dateMs >= todayStartMs && dateMs < tomorrowStartMs) return new Date(Math.max(steppedMs, todayStartMs));
    return new Date(Math.min(startOfLocalDay(dateMs, timezone), nowMs));
  };
}

/**
 * The start of the local day containing `ms` in `timezone` (luxon's `startOf('day')`), cached per zone
 * and local day: a run's items fall on a few days, and luxon building a DateTime per item was a
 * quarter of deciding a run's new items.
 */
function startOfLocalDay(ms: number, timezone: string): number {
  const zone = getCachedZone(timezone);
  const localDay = Math.floor((ms + zone.offset(ms) * 60_000) / DAY_MS);
  let starts = dayStarts.get(timezone);
  if (starts === undefined) {
    starts = new Map();
    dayStarts.set(timezone, starts);
  }
  let start = starts.get(localDay);
  if (start === undefined) {
    start = DateTime.fromMillis(ms, { zone }).startOf('day').toMillis();
    if (starts.size >= MAX_CACHED_DAYS) starts.clear();
    starts.set(localDay, start);
  }
  return start;
}

const DAY_MS = 86_400_000;
/** Local days kept per zone (a long-running worker sees a few new ones a day). */
const MAX_CACHED_DAYS = 10_000;
const dayStarts = new Map<string, Map<number, number>>();

/** Resolves one item's publication date (see {@link createPublishedAtResolver} for the rule). */
export function resolvePublishedAt(
  published: ParsedDate | undefined,
  now: Date,
  timezone: string,
  position: number,
): Date {
  return createPublishedAtResolver(now, timezone)(published, position);
}
