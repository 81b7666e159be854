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
export const FAILED_RECORD_TTL_MS = 7 * 24 * 3600_000;

/** What is stored per link (JSON: dates as ISO strings). */
export type DetailRecord =
  | { status: 'ok'; at: string; published?: { date: string; precision: ParsedDate['precision'] }; summary?: string }
  | { status: 'failed'; at: string; attempts: number; error: string; retry: boolean };

/** A record for a page that was read. */
export function createOkRecord(at: Date, published: ParsedDate | undefined, summary: string | undefined): DetailRecord {
  const record: DetailRecord = { status: 'ok', at: at.toISOString() };
  if (published) record.published = { date: published.date.toISOString(), precision: published.precision };
  if (summary !== undefined) record.summary = summary;
  return record;
}

/** A record for a failed attempt, counting on from the previous failure. */
export function createFailedRecord(at: Date, error: AppError, previous: DetailRecord | undefined): DetailRecord {
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
export function isRetryDue(record: DetailRecord, now: Date): boolean {
  if (record.status !== 'failed' || !record.retry || record.attempts >= MAX_DETAIL_ATTEMPTS) return false;
  return now.getTime() - Date.parse(record.at) >= retryDelayMs(record.attempts);
}

/** Checks a cached value read back from the store; anything else counts as not cached. */
export function parseDetailRecord(value: unknown): DetailRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<Record<string, unknown>>;
  if (typeof record.at !== 'string') return undefined;
  if (record.status === 'ok') return value as DetailRecord;
  if (record.status === 'failed' && typeof record.attempts === 'number' && typeof record.retry === 'boolean')
    return value as DetailRecord;
  return undefined;
}

/** The date stored in an ok record. */
export function readRecordDate(record: DetailRecord): ParsedDate | undefined {
  if (record.status !== 'ok' || !record.published) return undefined;
  const date = new Date(record.published.date);
  return Number.isNaN(date.getTime()) ? undefined : { date, precision: record.published.precision };
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
]);

/** One hour after the first failure, four after the second. */
function retryDelayMs(attempts: number): number {
  return 3600_000 * 4 ** (attempts - 1);
}
