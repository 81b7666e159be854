/**
 * The detail-page cache: one small entry per item link in the store (ItemStore.readDetailCache),
 * so an item's own page is fetched once, ever. A failed fetch is remembered too, with a short retry
 * policy: at most {@link MAX_DETAIL_ATTEMPTS} attempts, spaced by a growing delay, and none after a
 * failure that cannot heal (not HTML, robots.txt, too large, unusable URL).
 */
import type { AppError } from '../errors.js';
import type { ParsedDate } from '../model.js';

/** Attempts (the first one included) before a failing detail page is given up. */
export const MAX_DETAIL_ATTEMPTS = 3;

/** How long a failure is remembered (long enough for every retry, short enough to forget dead links). */
export const FAILED_ENTRY_TTL_MS = 7 * 24 * 3600_000;

/** What is stored per link (JSON: dates as ISO strings). */
export type DetailCacheEntry =
  | { status: 'ok'; at: string; published?: { date: string; precision: ParsedDate['precision'] }; summary?: string }
  | { status: 'failed'; at: string; attempts: number; error: string; retry: boolean };

/** A entry for a page that was read. */
export function createFoundEntry(
  at: Date,
  published: ParsedDate | undefined,
  summary: string | undefined,
): DetailCacheEntry {
  const entry: DetailCacheEntry = { status: 'ok', at: at.toISOString() };
  if (published) entry.published = { date: published.date.toISOString(), precision: published.precision };
  if (summary !== undefined) entry.summary = summary;
  return entry;
}

/** A entry for a failed attempt, counting on from the previous failure. */
export function createFailedEntry(at: Date, error: AppError, previous: DetailCacheEntry | undefined): DetailCacheEntry {
  const attempts = previous?.status === 'failed' ? previous.attempts + 1 : 1;
  return {
    status: 'failed',
    at: at.toISOString(),
    attempts,
    error: `${error.code}: ${error.message}`,
    retry: !PERMANENT_CODES.has(error.code),
  };
}

/** Whether a failed page may be fetched again now: attempts left and the delay since the last one passed. */
export function isRetryDue(entry: DetailCacheEntry, now: Date): boolean {
  if (entry.status !== 'failed' || !entry.retry || entry.attempts >= MAX_DETAIL_ATTEMPTS) return false;
  return now.getTime() - Date.parse(entry.at) >= retryDelayMs(entry.attempts);
}

/** Checks a cached value read back from the store; anything else counts as not cached. */
export function parseDetailCacheEntry(value: unknown): DetailCacheEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Partial<Record<string, unknown>>;
  if (typeof entry.at !== 'string') return undefined;
  if (entry.status === 'ok') return value as DetailCacheEntry;
  if (entry.status === 'failed' && typeof entry.attempts === 'number' && typeof entry.retry === 'boolean')
    return value as DetailCacheEntry;
  return undefined;
}

/** The date stored in an ok entry. */
export function readEntryDate(entry: DetailCacheEntry): ParsedDate | undefined {
  if (entry.status !== 'ok' || !entry.published) return undefined;
  const date = new Date(entry.published.date);
  return Number.isNaN(date.getTime()) ? undefined : { date, precision: entry.published.precision };
}

// --- Internal helpers ---

/** Failures another attempt cannot fix. */
const PERMANENT_CODES = new Set([
  'FETCH_CONTENT_TYPE',
  'FETCH_ROBOTS',
  'FETCH_TOO_LARGE',
  'FETCH_INVALID_URL',
  'FETCH_TOO_MANY_REDIRECTS',
  'FETCH_REDIRECT_LOOP',
  'FETCH_PRIVATE_ADDRESS',
]);

/** One hour after the first failure, four after the second. */
function retryDelayMs(attempts: number): number {
  return 3600_000 * 4 ** (attempts - 1);
}
