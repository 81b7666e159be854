/**
 * How long to wait before another attempt: exponential backoff with jitter, or the server's
 * `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date).
 */

/** First backoff step; doubled on each further attempt. */
const BACKOFF_BASE_MS = 1_000;

/** Parses a Retry-After value into milliseconds from `nowMs`; undefined when absent or malformed. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only accept what looks like an HTTP-date; Date.parse alone accepts far too much.
  if (!/^[A-Za-z]{3,9},? /.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Backoff before attempt `attempt + 1` (attempt counts from 1): base × 2^(attempt-1), capped,
 * then "equal jitter" — between half and all of it — so many sources failing together spread out.
 */
export function computeBackoffMs(attempt: number, capMs: number, random: () => number): number {
  const exponential = Math.min(capMs, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  const half = exponential / 2;
  return Math.round(half + random() * half);
}
