/**
 * Downloads one robots.txt through the same gate, limits and headers as pages.
 * Redirects are followed up to five hops (RFC 9309 §2.3.1.2); every failure becomes a RobotsLoad.
 */
import type { FetchRequest } from '../model.js';
import { buildRequestHeaders } from './build-headers.js';
import { classifyFailure } from './classify-error.js';
import type { FetchTrace, FetcherDeps } from './fetcher-types.js';
import { exchangeThroughGate } from './gated-exchange.js';
import type { RobotsLoad } from './robots-cache.js';
import { headerValue, isRedirectStatus, type Exchange } from './send-request.js';

/** RFC 9309 asks crawlers to read at least 500 KiB of robots.txt. */
const ROBOTS_MAX_BYTES = 512 * 1024;

/** Fetches robots.txt for the request's origin; never throws for network or HTTP trouble. */
export async function loadRobotsTxt(
  robotsUrl: string,
  request: FetchRequest,
  deps: FetcherDeps,
  trace: FetchTrace,
): Promise<RobotsLoad> {
  deps.stats.robotsFetches += 1;
  const first = new URL(robotsUrl);
  let url = first;
  for (let hop = 0; hop <= MAX_ROBOTS_REDIRECTS; hop += 1) {
    const exchange = await tryExchange(url, url.origin === first.origin, request, deps, trace);
    if ('unavailable' in exchange) return { kind: 'unavailable', detail: exchange.unavailable };
    const { status } = exchange;
    if (status >= 200 && status < 300)
      return { kind: 'rules', text: (exchange.body ?? Buffer.alloc(0)).toString('utf8') };
    const location = headerValue(exchange.headers, 'location');
    const next = isRedirectStatus(status) && location ? parseLocation(location, url) : undefined;
    if (next) {
      url = next;
      continue;
    }
    // 429 means "slow down", not "no robots.txt": treat it like a server error.
    if (status >= 400 && status < 500 && status !== 429) return { kind: 'none', status };
    return { kind: 'unavailable', detail: `HTTP ${status}` };
  }
  // RFC 9309: after too many redirects a crawler may treat robots.txt as unavailable (4xx), i.e. allow.
  return { kind: 'none', status: 310 };
}

// --- Internal helpers ---

const MAX_ROBOTS_REDIRECTS = 5;

async function tryExchange(
  url: URL,
  sameOrigin: boolean,
  request: FetchRequest,
  deps: FetcherDeps,
  trace: FetchTrace,
): Promise<Exchange | { unavailable: string }> {
  const { policy } = request;
  try {
    return await exchangeThroughGate(deps, trace, {
      sourceId: request.sourceId,
      url,
      sourceUrl: request.sourceUrl ?? request.url,
      policy,
      headers: buildRequestHeaders({ policy, purpose: 'robots', sameOrigin, url, nowMs: deps.now() }),
      minDelayMs: policy.minHostDelayMs,
      maxBytes: ROBOTS_MAX_BYTES,
    });
  } catch (error) {
    const failure = classifyFailure(
      { kind: 'thrown', error },
      { sourceId: request.sourceId, url: url.href, attempts: 1, policy },
    );
    if (!failure) throw error;
    deps.logger.warn(
      { sourceId: request.sourceId, url: url.href, code: failure.code },
      'fetch: robots.txt unavailable; allowing for now',
    );
    return { unavailable: failure.message };
  }
}

function parseLocation(location: string, base: URL): URL | undefined {
  if (!URL.canParse(location, base.href)) return undefined;
  const next = new URL(location, base);
  return next.protocol === 'http:' || next.protocol === 'https:' ? next : undefined;
}
