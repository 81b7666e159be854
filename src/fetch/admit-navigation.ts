/**
 * Politeness for a page loaded by another client (the headless browser's top-level navigations):
 * the same robots.txt verdict and the same host gate (per-host limit, `minDelay` or Crawl-delay
 * spacing, Retry-After pauses, global limit) as a fetch of that URL, so a rendered source is exactly
 * as polite as a fetched one.
 */
import type { FetchRequest } from '../model.js';
import { checkReach, checkRobots, parseSourceUrl } from './fetch-document.js';
import type { FetchTrace, FetcherDeps } from './fetcher-types.js';
import type { HostTurn } from './host-gate.js';

/**
 * Waits for the URL's turn; resolves with the turn (the other client calls `sent()` once the request
 * is out, or when its answer arrives, then ends it). Throws FETCH_ROBOTS / FETCH_INVALID_URL /
 * FETCH_PRIVATE_ADDRESS.
 */
export async function admitNavigation(request: FetchRequest, deps: FetcherDeps): Promise<HostTurn> {
  const trace: FetchTrace = { requests: 0, waitMs: 0 };
  const url = parseSourceUrl(request);
  // The browser connects by itself: the host's addresses are checked here, before it goes there.
  await checkReach(url, request, deps, true);
  const minHostDelayMs = await checkRobots(url, request, deps, trace);
  // The browser sends the request after a round trip of its own: it reports when (sent()).
  const turn = await deps.gate.acquire(
    url.host,
    { perHostConcurrency: request.policy.perHostConcurrency, minHostDelayMs },
    { sendsLater: true },
  );
  deps.stats.requests += 1;
  return turn;
}
