/**
 * One fetch from URL to result: robots.txt check, retries with backoff or Retry-After, and
 * redirects followed hop by hop (so every hop is checked, limited and loop-detected).
 */
import { recognizeChallengeText } from '../anti-bot/recognize-challenge.js';
import type { FetchPolicy, FetchRequest, FetchResult } from '../model.js';
import { afterPendingWrites } from './after-pending-writes.js';
import { buildRequestHeaders } from './build-headers.js';
import { buildResult } from './build-result.js';
import { classifyFailure, type FailureContext } from './classify-error.js';
import { judgeContentType, parseContentType } from './content-type.js';
import { FetchFailureSignal, type FetchError, type FetchFailure } from './fetch-error.js';
import type { FetchTrace, FetcherDeps } from './fetcher-types.js';
import { exchangeThroughGate } from './gated-exchange.js';
import { loadRobotsTxt } from './load-robots.js';
import type { RobotsVerdict } from './robots-cache.js';
import { computeBackoffMs, parseRetryAfter } from './retry-delay.js';
import { peekDecompressed } from './read-body.js';
import { headerValue, isRedirectStatus, type Exchange, type ResponseHeaders } from './send-request.js';

/** Fetches a request to its final result; throws FetchError. */
export async function fetchDocument(request: FetchRequest, deps: FetcherDeps): Promise<FetchResult> {
  const startedAt = deps.now();
  const trace: FetchTrace = { requests: 0, waitMs: 0 };
  const first = parseSourceUrl(request);
  const chain = [first.href];
  let url = first;
  for (;;) {
    const outcome = await fetchHop(url, url.origin === first.origin, request, deps, trace);
    if (outcome.kind === 'final') {
      // A page is hashed and decoded only after requests dispatched meanwhile have been written.
      if (outcome.exchange.body) await afterPendingWrites();
      const result = buildResult({
        request,
        exchange: outcome.exchange,
        finalUrl: url,
        startedAt,
        trace,
        now: deps.now,
      });
      if (result.kind === 'not-modified') deps.stats.notModified += 1;
      return result;
    }
    url = followRedirect(url, outcome.location, chain, request);
  }
}

/**
 * Reads the robots.txt a fetch of this request will need (no-op when known or ignored), so the
 * host's booked turns are known before its pages are due; never throws (fetch() reports problems).
 */
export async function prepareFetch(request: FetchRequest, deps: FetcherDeps): Promise<void> {
  try {
    await checkRobots(parseSourceUrl(request), request, deps, { requests: 0, waitMs: 0 });
  } catch {
    // A bad URL or a disallowed page: the source's own fetch() turns it into its error.
  }
}

// --- Internal helpers ---

type HopOutcome = { kind: 'final'; exchange: Exchange } | { kind: 'redirect'; location: string };

/** The request's URL, checked to be absolute http(s) without its fragment; throws FETCH_INVALID_URL. */
export function parseSourceUrl(request: FetchRequest): URL {
  // URL.parse (Node 22) would avoid the exception; on Node 20 an invalid URL throws.
  let url: URL | undefined;
  try {
    url = new URL(request.url);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
    // Setting hash re-serialises the URL: only when there is one (possibly empty, as in `…/list#`).
    if (request.url.includes('#')) url.hash = '';
    return url;
  }
  const detail = url ? `scheme ${url.protocol} is not http or https` : 'not an absolute URL';
  throw fail({ kind: 'invalid-url', detail }, request, request.url);
}

/** Robots check, then attempts until one succeeds, fails for good, or retries run out. */
async function fetchHop(
  url: URL,
  sameOrigin: boolean,
  request: FetchRequest,
  deps: FetcherDeps,
  trace: FetchTrace,
): Promise<HopOutcome> {
  await checkReach(url, request, deps);
  const minDelayMs = await checkRobots(url, request, deps, trace);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptHop(url, sameOrigin, minDelayMs, request, deps, trace);
    } catch (error) {
      const failure = classifyFailure({ kind: 'thrown', error }, contextFor(request, url.href, attempt));
      if (!failure) throw error;
      const delayMs = planRetry(failure, attempt, request.policy, deps);
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs <= request.policy.maxRetryDelayMs) {
        // The server asked for a short pause: hold back every source on this host, not only this one.
        // A longer one is not waited for: only this source is deferred (the pipeline remembers the
        // time), and the host's other sources keep their turns instead of idling for the capped wait.
        deps.gate.defer(url.host, deps.now() + failure.retryAfterMs);
      }
      if (delayMs === undefined) throw failure;
      deps.stats.retries += 1;
      deps.logger.warn(
        { sourceId: request.sourceId, url: url.href, code: failure.code, status: failure.status, attempt, delayMs },
        'fetch: retrying',
      );
      deps.gate.defer(url.host, deps.now() + delayMs);
    }
  }
}

async function attemptHop(
  url: URL,
  sameOrigin: boolean,
  minDelayMs: number,
  request: FetchRequest,
  deps: FetcherDeps,
  trace: FetchTrace,
): Promise<HopOutcome> {
  const { policy, purpose } = request;
  const exchange = await exchangeThroughGate(deps, trace, {
    sourceId: request.sourceId,
    url,
    sourceUrl: request.sourceUrl ?? request.url,
    policy,
    headers: buildRequestHeaders({
      policy,
      purpose,
      validators: request.validators,
      sameOrigin,
      url,
      nowMs: deps.now(),
    }),
    minDelayMs,
    maxBytes: policy.maxBytes,
    inspect: (headers) => inspectContentType(headers, purpose),
    // A list page's compressed bytes are digested: the same bytes next time need no inflating.
    knownWire: purpose === 'page' ? (request.validators?.wireHash ?? '') : undefined,
  });
  const { status, headers } = exchange;
  if ((status >= 200 && status < 300) || status === 304) return { kind: 'final', exchange };
  const location = headerValue(headers, 'location');
  if (isRedirectStatus(status) && location) return { kind: 'redirect', location };
  throw new FetchFailureSignal({
    kind: 'status',
    status,
    retryAfterMs: parseRetryAfter(headerValue(headers, 'retry-after'), deps.now()),
    challenge: recognizeChallenge(exchange),
  });
}

/** Milliseconds to wait before the next attempt, or undefined to give up now. */
function planRetry(failure: FetchError, attempt: number, policy: FetchPolicy, deps: FetcherDeps): number | undefined {
  if (!failure.retryable || attempt > policy.retries) return undefined;
  // A Retry-After beyond our cap is honoured by not retrying at all; the error carries the wait.
  if (failure.retryAfterMs !== undefined)
    return failure.retryAfterMs <= policy.maxRetryDelayMs ? failure.retryAfterMs : undefined;
  return computeBackoffMs(attempt, policy.maxRetryDelayMs, deps.random);
}

/**
 * Throws FETCH_PRIVATE_ADDRESS when the source may not reach the URL's host (before its robots.txt
 * is asked for); `resolveFirst` for a client whose connect the fetcher does not control.
 */
export async function checkReach(
  url: URL,
  request: FetchRequest,
  deps: FetcherDeps,
  resolveFirst = deps.proxied,
): Promise<void> {
  try {
    await deps.network.reachFor(url, request.sourceUrl ?? request.url, request.policy, { resolveFirst });
  } catch (error) {
    throw classifyFailure({ kind: 'thrown', error }, contextFor(request, url.href, 1)) ?? error;
  }
}

/** False when the request's host is a private-network one its source may not reach (checked by resolving). */
export function mayReachFor(request: FetchRequest, deps: FetcherDeps): Promise<boolean> {
  if (!URL.canParse(request.url)) return Promise.resolve(false);
  return checkReach(new URL(request.url), request, deps, true).then(
    () => true,
    () => false,
  );
}

/** Throws FETCH_ROBOTS when disallowed; returns the spacing to keep for this host (policy or Crawl-delay). */
export async function checkRobots(
  url: URL,
  request: FetchRequest,
  deps: FetcherDeps,
  trace: FetchTrace,
): Promise<number> {
  const { policy } = request;
  if (policy.robots === 'ignore') return policy.minHostDelayMs;
  const download = (robotsUrl: string) => loadRobotsTxt(robotsUrl, request, deps, trace);
  const load = deps.shareRobots
    ? (robotsUrl: string) => deps.shareRobots!(robotsUrl, () => download(robotsUrl))
    : download;
  return spacingFor(await deps.robots.check(url, policy.userAgent, load), url, request);
}

function spacingFor(verdict: RobotsVerdict, url: URL, request: FetchRequest): number {
  const { policy } = request;
  if (!verdict.allowed) {
    throw fail(
      { kind: 'robots', userAgent: policy.userAgent, robotsUrl: verdict.robotsUrl, line: verdict.line },
      request,
      url.href,
    );
  }
  return Math.max(policy.minHostDelayMs, Math.min(verdict.crawlDelayMs ?? 0, policy.maxRetryDelayMs));
}

/**
 * An anti-bot firewall's JavaScript challenge served with an error status: by the vendors' stub
 * markers in the start of the error page, by Cloudflare's `cf-mitigated: challenge`, or by a 412 to
 * a GET that carried no If-Match or If-Unmodified-Since (feedwright never sends them), which is what
 * 瑞数 (Ruishu), common on Chinese government sites, answers until a browser has run its script.
 */
function recognizeChallenge(exchange: Exchange): string | undefined {
  const head =
    exchange.errorHead &&
    peekDecompressed(exchange.errorHead, headerValue(exchange.headers, 'content-encoding'), ERROR_HEAD_TEXT_BYTES);
  const fromBody = head ? recognizeChallengeText(head.toString('latin1')) : undefined;
  if (fromBody) return fromBody;
  if (headerValue(exchange.headers, 'cf-mitigated')?.toLowerCase() === 'challenge') return 'Cloudflare';
  return exchange.status === 412 ? '瑞数 (Ruishu)' : undefined;
}

/** Decoded bytes of an error page's start looked at for challenge markers. */
const ERROR_HEAD_TEXT_BYTES = 64 * 1024;

function inspectContentType(headers: ResponseHeaders, purpose: FetchRequest['purpose']): FetchFailure | undefined {
  const header = headerValue(headers, 'content-type');
  if (judgeContentType(parseContentType(header), purpose) !== 'reject') return undefined;
  return { kind: 'content-type', contentType: header ?? '', purpose };
}

/** The next hop's URL; throws on a bad Location, a loop, or one hop too many. */
function followRedirect(from: URL, location: string, chain: string[], request: FetchRequest): URL {
  const next = URL.canParse(location, from.href) ? new URL(location, from.href) : undefined;
  if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:'))
    throw fail({ kind: 'bad-redirect', location }, request, from.href);
  next.hash = '';
  if (chain.includes(next.href))
    throw fail({ kind: 'redirect-loop', chain: [...chain, next.href] }, request, request.url);
  const limit = request.policy.maxRedirects;
  if (chain.length > limit)
    throw fail({ kind: 'too-many-redirects', limit, chain: [...chain, next.href] }, request, request.url);
  chain.push(next.href);
  return next;
}

function fail(failure: Exclude<FetchFailure, { kind: 'thrown' }>, request: FetchRequest, url: string): FetchError {
  return classifyFailure(failure, contextFor(request, url, 1));
}

function contextFor(request: FetchRequest, url: string, attempts: number): FailureContext {
  return { sourceId: request.sourceId, url, attempts, policy: request.policy };
}
