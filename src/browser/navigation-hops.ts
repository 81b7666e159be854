/**
 * The page's top-level navigations, hop by hop. Each main-frame document is fetched by the guard
 * itself (`route.fetch` without following redirects) after its turn at the fetch stage's politeness,
 * so every hop of a server redirect is seen: its target must stay on the source's site, pass
 * robots.txt and wait for the host's turn (per-host limit, `minDelay`) before the browser goes there.
 * A refused hop ends the render with an error naming the source and both URLs.
 */
import type { APIResponse, Request, Route } from 'playwright-core';
import { AppError, describeError } from '../errors.js';
import { BrowserError, formatBrowserMessage } from './browser-error.js';
import { redirectBridge } from './redirect-bridge.js';
import type { NavigationTurn, RenderRequest } from './renderer-types.js';
import { isSameSiteHost } from './same-site-host.js';

/** More hops than Chromium itself would follow (20) without a document are a loop. */
export const MAX_REDIRECT_HOPS = 20;

/** What the navigation router needs from the guard around it. */
export interface NavigationDeps {
  request: RenderRequest;
  /** performance.now() by which the whole render must be over. */
  deadline: number;
  /** Hosts the page may navigate to; a redirect this router lets through adds its target's host. */
  allowedHosts: Set<string>;
  /** Records the error that ends the render (the first one wins). */
  refuse(error: unknown): void;
}

/** Handles main-frame document requests; the guard routes every other request itself. */
export interface NavigationRouter {
  handle(route: Route, routed: Request): Promise<void>;
  /** True for a request answered with a redirect bridge (its response is not one of the page's documents). */
  isBridge(routed: Request): boolean;
  /** Time spent waiting for the host's turn. */
  waitMs(): number;
  /** The start of the first document's source (not a redirect), as the server sent it. */
  firstDocumentText(): string | undefined;
  /** Ends every turn still held (the render is over); turns granted later end at once. */
  releaseAll(): void;
}

/** Creates the router for one render. */
export function createNavigationRouter(deps: NavigationDeps): NavigationRouter {
  const { request } = deps;
  const sourceHostname = new URL(request.url).hostname;
  /** Turns taken for a redirect's target before the browser asked for it, by URL without fragment. */
  const admitted = new Map<string, NavigationTurn>();
  const bridges = new WeakSet<Request>();
  let hops = 0;
  let waited = 0;
  let firstText: string | undefined;
  let closed = false;

  /** The turn for `url` (taken ahead for a redirect target, else now); undefined when refused. */
  const turnFor = async (url: string): Promise<NavigationTurn | undefined> => {
    const ahead = admitted.get(withoutFragment(url));
    if (ahead) {
      admitted.delete(withoutFragment(url));
      return ahead;
    }
    return admit(url, (error) => error);
  };

  const admit = async (url: string, explain: (error: unknown) => unknown): Promise<NavigationTurn | undefined> => {
    const started = performance.now();
    try {
      const turn = await request.admit(url);
      waited += performance.now() - started;
      if (!closed) return turn;
      turn();
    } catch (error) {
      deps.refuse(explain(error));
    }
    return undefined;
  };

  const followRedirect = async (route: Route, routed: Request, response: APIResponse, location: string) => {
    const from = routed.url();
    const target = parseTarget(location, from);
    const refusal =
      target === undefined
        ? `an unusable redirect from ${from} (Location: ${location})`
        : ++hops > MAX_REDIRECT_HOPS
          ? `more than ${MAX_REDIRECT_HOPS} redirects from ${request.url}`
          : !deps.allowedHosts.has(target.host) && !isSameSiteHost(sourceHostname, target.hostname)
            ? `the redirect from ${from} to ${target.href}, which leaves the site of ${sourceHostname}`
            : undefined;
    if (refusal !== undefined || target === undefined) {
      deps.refuse(redirectRefused(request, refusal ?? from, target?.href));
      return abort(route);
    }
    const turn = await admit(target.href, (error) => hopRefused(request, from, target.href, error));
    if (!turn) return abort(route);
    admitted.get(withoutFragment(target.href))?.();
    admitted.set(withoutFragment(target.href), turn);
    deps.allowedHosts.add(target.host);
    bridges.add(routed);
    await route.fulfill(redirectBridge(target.href, response.headers())).catch(ignoreGone);
  };

  return {
    async handle(route, routed) {
      const turn = await turnFor(routed.url());
      if (!turn) return abort(route);
      let response: APIResponse;
      try {
        response = await fetchDocument(route, deps.deadline);
      } catch (error) {
        if (!closed) deps.refuse(documentFailed(request, routed.url(), error));
        return abort(route);
      } finally {
        // The request left some time after the turn: playwright-core first asks Chromium for the
        // page's cookies (a round trip to the browser process, whose lag grows with load: ~300 ms
        // once in CI) and never says when it sent. The answer (or failure) is the first moment known
        // to be no earlier, so the host's next turn counts from here; then the hop's turn is over.
        turn.sent?.();
        turn();
      }
      try {
        const location = REDIRECT_STATUSES.has(response.status()) ? response.headers().location : undefined;
        if (location !== undefined) return await followRedirect(route, routed, response, location);
        hops = 0;
        firstText ??= (await response.text().catch(() => '')).slice(0, FIRST_DOCUMENT_CHARS);
        await route.fulfill({ response, headers: documentHeaders(response.headers()) }).catch(ignoreGone);
      } finally {
        await response.dispose().catch(ignoreGone);
      }
    },
    isBridge: (routed) => bridges.has(routed),
    waitMs: () => waited,
    firstDocumentText: () => firstText,
    releaseAll() {
      closed = true;
      for (const turn of admitted.values()) turn();
      admitted.clear();
    },
  };
}

// --- Internal helpers ---

/** The statuses whose Location a browser follows (300 and 304 are not followed). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** How much of the first document is kept to recognise a challenge stub (their markers come early). */
const FIRST_DOCUMENT_CHARS = 64 * 1024;

/** Headers describing the fetched bytes, not the decoded body playwright-core hands on. */
const TRANSFER_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding']);

function documentHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !TRANSFER_HEADERS.has(name)));
}

function parseTarget(location: string, from: string): URL | undefined {
  try {
    const target = new URL(location, from);
    return target.protocol === 'http:' || target.protocol === 'https:' ? target : undefined;
  } catch {
    return undefined;
  }
}

function withoutFragment(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.href;
}

function redirectRefused(request: RenderRequest, what: string, target: string | undefined): BrowserError {
  return new BrowserError('BROWSER_REDIRECT', formatBrowserMessage(request.sourceId, `refused ${what}`), {
    sourceId: request.sourceId,
    url: target ?? request.url,
    hint: 'A redirect of the page may stay on its site (the same host, www. or a subdomain). If the site has moved, use the redirect target as the source URL.',
  });
}

/** A redirect target that politeness refused (robots.txt): the same code, with both URLs named. */
function hopRefused(request: RenderRequest, from: string, target: string, error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const reason = error.message.replace(/^\w+: source "[^"]*": /, '');
  return new BrowserError(
    error.code,
    formatBrowserMessage(request.sourceId, `the server redirected ${from} to ${target}, which was refused: ${reason}`),
    { sourceId: request.sourceId, url: target, cause: error, hint: error.hint },
  );
}

function documentFailed(request: RenderRequest, url: string, error: unknown): BrowserError {
  const detail = describeError(error).split('\n', 1)[0] ?? '';
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  const seconds = Math.round(request.timeoutMs / 100) / 10;
  return new BrowserError(
    timedOut ? 'BROWSER_TIMEOUT' : 'BROWSER_NAVIGATION',
    timedOut
      ? formatBrowserMessage(request.sourceId, `the document ${url} did not finish loading within ${seconds} s`)
      : formatBrowserMessage(request.sourceId, `could not load ${url}`, detail),
    {
      sourceId: request.sourceId,
      url,
      cause: error,
      hint: timedOut
        ? 'The server kept sending the page; raise `renderTimeout` if it is only slow.'
        : 'Open the URL in a browser; a network error here usually means the site is down or unreachable.',
    },
  );
}

function abort(route: Route): Promise<void> {
  return route.abort('blockedbyclient').catch(ignoreGone);
}

function ignoreGone(): void {
  // The page is already gone: nothing is left to answer.
}

/**
 * The document request, sent once more when its connection was reset before an answer: a kept-alive
 * connection the server closed as it idled out (Apache's default KeepAliveTimeout is 5 s) fails the
 * next request sent on it, which mostly never reached the site. Browsers send such a request again; so
 * does this, once, within the page's deadline.
 */
async function fetchDocument(route: Route, deadline: number): Promise<APIResponse> {
  const send = () => route.fetch({ maxRedirects: 0, timeout: Math.max(1, deadline - performance.now()) });
  try {
    return await send();
  } catch (error) {
    if (!isConnectionReset(error) || deadline - performance.now() < 1) throw error;
    return await send();
  }
}

function isConnectionReset(error: unknown): boolean {
  return error instanceof Error && /\b(?:ECONNRESET|socket hang up)\b/.test(error.message);
}
