/**
 * The fetch defaults every source starts from, and the User-Agent feedwright identifies itself with.
 */
import { DEFAULT_FETCH_POLICY } from '../defaults/fetch-policy.js';
import type { FetchPolicy } from '../model.js';

export { DEFAULT_USER_AGENT, VERSION as FEEDWRIGHT_VERSION } from '../defaults/version.js';

/** Returns a fresh copy of the default fetch policy (safe to mutate). */
export function defaultFetchPolicy(): FetchPolicy {
  return { ...DEFAULT_FETCH_POLICY, headers: {}, cookies: {} };
}
