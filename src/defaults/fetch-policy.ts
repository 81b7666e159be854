/**
 * Built-in fetch defaults, in one place: the config stage resolves sources from them, and the
 * fetch stage offers them to library users (`defaultFetchPolicy()`).
 */
import type { FetchPolicy } from '../model.js';
import { DEFAULT_USER_AGENT } from './version.js';

/** The fetch policy a source gets when neither it nor `defaults:` says otherwise. */
export const DEFAULT_FETCH_POLICY: Readonly<FetchPolicy> = Object.freeze({
  userAgent: DEFAULT_USER_AGENT,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 20_000,
  bodyTimeoutMs: 60_000,
  maxBytes: 10 * 1_048_576,
  maxRedirects: 5,
  retries: 2,
  maxRetryDelayMs: 60_000,
  minHostDelayMs: 1_000,
  perHostConcurrency: 2,
  headers: Object.freeze({}) as Record<string, string>,
  cookies: Object.freeze({}) as Record<string, string>,
  robots: 'obey',
  privateNetwork: 'auto',
});
