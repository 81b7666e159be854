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
  const todayStartMs = nowLocal.startOf('day').toMillis();
  const tomorrowStartMs = nowLocal.startOf('day').plus({ days: 1 }).toMillis();
  return (published, position) => {
    const steppedMs = nowMs - Math.max(0, position) * POSITION_STEP_MS;
    if (published === undefined || Number.isNaN(published.date.getTime())) return new Date(steppedMs);
    const dateMs = published.date.getTime();
    if (published.precision === 'time') return new Date(Math.min(dateMs, nowMs));
    if (dateMs >= todayStartMs && dateMs < tomorrowStartMs) return new Date(Math.max(steppedMs, todayStartMs));
    const dayStartMs = DateTime.fromMillis(dateMs, { zone: getCachedZone(timezone) })
      .startOf('day')
      .toMillis();
    return new Date(Math.min(dayStartMs, nowMs));
  };
}

/** Resolves one item's publication date (see {@link createPublishedAtResolver} for the rule). */
export function resolvePublishedAt(
  published: ParsedDate | undefined,
  now: Date,
  timezone: string,
  position: number,
): Date {
  return createPublishedAtResolver(now, timezone)(published, position);
}
