/**
 * One exchange sent through the politeness gate, counted in the stats and logged at debug level.
 */
import type { FetchPolicy } from '../model.js';
import type { FetchFailure } from './fetch-error.js';
import type { FetchTrace, FetcherDeps } from './fetcher-types.js';
import { sendRequest, type Exchange, type ResponseHeaders } from './send-request.js';

/** One hop to send. */
export interface GatedRequest {
  sourceId: string;
  url: URL;
  /** The source's configured URL: decides whether `url` may be on a private network. */
  sourceUrl: string;
  policy: FetchPolicy;
  headers: Record<string, string>;
  /** Spacing to keep before this request to the same host (policy delay or Crawl-delay). */
  minDelayMs: number;
  maxBytes: number;
  inspect?: (headers: ResponseHeaders) => FetchFailure | undefined;
  /** The last page's wire digest ('' when none): see ExchangeOptions.knownWire. */
  knownWire?: string;
}

/** Waits for the host's turn and a global slot, sends the request, then frees both. */
export async function exchangeThroughGate(deps: FetcherDeps, trace: FetchTrace, hop: GatedRequest): Promise<Exchange> {
  const { policy, url } = hop;
  // Refused before it takes a turn: a request that never leaves costs the host nothing.
  const reach = await deps.network.reachFor(url, hop.sourceUrl, policy, { resolveFirst: deps.proxied });
  const waitStartedAt = deps.now();
  const release = await deps.gate.acquire(url.host, {
    perHostConcurrency: policy.perHostConcurrency,
    minHostDelayMs: hop.minDelayMs,
  });
  trace.waitMs += deps.now() - waitStartedAt;
  const startedAt = deps.now();
  deps.stats.requests += 1;
  trace.requests += 1;
  try {
    const exchange = await sendRequest({
      url,
      headers: hop.headers,
      dispatcher: deps.dispatcherFor(policy, reach),
      headersTimeoutMs: policy.headersTimeoutMs,
      bodyTimeoutMs: policy.bodyTimeoutMs,
      maxBytes: hop.maxBytes,
      inspect: hop.inspect,
      knownWire: hop.knownWire,
      // Between the turn and the write lie a connection to open and, in a process starved of CPU,
      // hundreds of ms: spaced from the turn alone, the next request (robots.txt, then the page)
      // reached a site 353 ms after it. The write is recorded as the start when it is later.
      onWritten: release.written,
    });
    deps.stats.bytes += exchange.wireBytes;
    deps.logger.debug(
      { sourceId: hop.sourceId, url: url.href, status: exchange.status, durationMs: deps.now() - startedAt },
      'fetch: response',
    );
    return exchange;
  } finally {
    release();
  }
}
