/**
 * Cookies a browser earned on a host (a passed JavaScript challenge), kept under
 * `record:cookies:<host>` until the last of them expires, and checked when read back.
 */
import type { EarnedCookie, HostCookies } from '../model.js';
import { partKey } from './store-keys.js';

/** Key of one host's earned cookies. */
export function hostCookiesKey(host: string): string {
  return partKey('cookies', host);
}

/** The stored record when it has the expected shape, else undefined (it is then ignored and rewritten). */
export function parseHostCookies(raw: unknown, host: string): HostCookies | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const record = raw as Record<string, unknown>;
  if (record.host !== host || typeof record.earnedAt !== 'string' || typeof record.expiresAt !== 'string')
    return undefined;
  if (!Array.isArray(record.cookies) || !record.cookies.every(isEarnedCookie)) return undefined;
  return {
    host,
    cookies: record.cookies,
    earnedAt: record.earnedAt,
    expiresAt: record.expiresAt,
    ...(typeof record.challenge === 'string' ? { challenge: record.challenge } : {}),
  };
}

// --- Internal helpers ---

function isEarnedCookie(value: unknown): value is EarnedCookie {
  if (typeof value !== 'object' || value === null) return false;
  const cookie = value as Record<string, unknown>;
  return (
    typeof cookie.name === 'string' &&
    typeof cookie.value === 'string' &&
    typeof cookie.domain === 'string' &&
    typeof cookie.path === 'string' &&
    (cookie.expires === undefined || typeof cookie.expires === 'number') &&
    typeof cookie.httpOnly === 'boolean' &&
    typeof cookie.secure === 'boolean'
  );
}
