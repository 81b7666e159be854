/**
 * fetch stage: one source URL → FetchResult, politely (robots.txt, per-host limits and spacing),
 * robustly (timeouts, size cap, retries, typed errors) and cheaply (keep-alive, conditional GET).
 */
export { createFetcher, DEFAULT_CONCURRENCY } from './create-fetcher.js';
export type { Fetcher, FetcherOptions, FetcherStats } from './fetcher-types.js';
export { FetchError, type FetchErrorOptions } from './fetch-error.js';
export { DEFAULT_USER_AGENT, FEEDWRIGHT_VERSION, defaultFetchPolicy } from './default-policy.js';
export { decodeBody, type DecodeHints, type DecodedBody } from './decode-body.js';
export type { RedisScripts } from './shared-politeness.js';
export type { HostTurn } from './host-gate.js';
