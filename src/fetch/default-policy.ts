/**
 * The fetch defaults every source starts from, and the User-Agent feedwright identifies itself with.
 */
import type { FetchPolicy } from '../model.js';

/** feedwright's version; a unit test keeps it equal to package.json's. */
export const FEEDWRIGHT_VERSION = '0.1.0';

/** The default User-Agent: names feedwright, its version and where site owners can learn about it (same as src/version.ts). */
export const DEFAULT_USER_AGENT = `feedwright/${FEEDWRIGHT_VERSION} (+https://github.com/feedwright/feedwright)`;

/** Returns a fresh copy of the default fetch policy (safe to mutate). */
export function defaultFetchPolicy(): FetchPolicy {
  return {
    userAgent: DEFAULT_USER_AGENT,
    connectTimeoutMs: 10_000,
    headersTimeoutMs: 20_000,
    bodyTimeoutMs: 60_000,
    maxBytes: 10 * 1024 * 1024,
    maxRedirects: 5,
    retries: 2,
    maxRetryDelayMs: 60_000,
    minHostDelayMs: 1_000,
    perHostConcurrency: 2,
    headers: {},
    cookies: {},
    robots: 'obey',
  };
}
