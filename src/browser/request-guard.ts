/**
 * Every request a rendered page makes passes here: images, fonts and media are refused (a list needs
 * none of them), documents may not leave the page's host (a server redirect of an allowed navigation,
 * which is how challenges hop, extends the allowed hosts), a page gets at most `maxRequests`, and
 * each top-level navigation waits for the fetch stage's politeness (robots.txt, the host's turn).
 */
import type { BrowserContext, Page, Request, Route } from 'playwright-core';
import type { RenderRequest } from './renderer-types.js';

/** What the guard saw and decided during one render. */
export interface RequestGuard {
  blocked: { resources: number; offHost: number; overLimit: number };
  requests: number;
  /** Main-frame documents that arrived (redirect hops excluded), in order. */
  documents: Array<{ url: string; status: number }>;
  /** The first main document's text (start of it), read as it arrives: a challenge stub is named by it. */
  firstDocumentText?: Promise<string | undefined>;
  /** Requests started and not yet finished or failed. */
  inFlight: Set<Request>;
  /** performance.now() of the last request start or end. */
  lastActivity: number;
  /** The first refusal of a top-level navigation by politeness (e.g. FETCH_ROBOTS), rethrown by the render. */
  navigationError?: unknown;
  waitMs: number;
  /** Ends every politeness turn still held (the render is over). */
  releaseAll(): void;
}

/** Routes every request of `context` through the guard; `page` is the one page rendered. */
export async function installRequestGuard(
  context: BrowserContext,
  page: Page,
  request: RenderRequest,
  maxRequests: number,
): Promise<RequestGuard> {
  const allowedHosts = new Set([new URL(request.url).host]);
  const turns = new Map<Request, () => void>();
  const guard: RequestGuard = {
    blocked: { resources: 0, offHost: 0, overLimit: 0 },
    requests: 0,
    documents: [],
    inFlight: new Set(),
    lastActivity: performance.now(),
    waitMs: 0,
    releaseAll() {
      for (const release of turns.values()) release();
      turns.clear();
    },
  };
  const endTurn = (finished: Request) => {
    turns.get(finished)?.();
    turns.delete(finished);
  };
  const settle = (finished: Request) => {
    guard.inFlight.delete(finished);
    guard.lastActivity = performance.now();
    endTurn(finished);
  };
  page.on('request', (started) => {
    guard.inFlight.add(started);
    guard.lastActivity = performance.now();
    // A server redirect of a navigation we let through (a challenge hopping hosts) is allowed to land.
    if (started.redirectedFrom() && started.isNavigationRequest()) allowedHosts.add(hostOf(started.url()));
  });
  page.on('requestfinished', settle);
  page.on('requestfailed', settle);
  page.on('response', (response) => {
    const answered = response.request();
    if (!answered.isNavigationRequest() || answered.frame() !== page.mainFrame() || isRedirect(response.status()))
      return;
    guard.documents.push({ url: response.url(), status: response.status() });
  });
  // The first document as parsed, scripts included (a stub's response body is gone once it reloaded).
  page.once('domcontentloaded', () => {
    guard.firstDocumentText = page.content().then(
      (text) => text.slice(0, FIRST_DOCUMENT_CHARS),
      // The stub reloaded before its DOM could be read: it is then named `reload`.
      () => undefined,
    );
  });

  const decide = async (route: Route, routed: Request): Promise<void> => {
    guard.requests += 1;
    const type = routed.resourceType();
    if (BLOCKED_TYPES.has(type)) {
      guard.blocked.resources += 1;
      return abort(route);
    }
    if (guard.requests > maxRequests) {
      guard.blocked.overLimit += 1;
      return abort(route);
    }
    if (type === 'document') {
      if (!allowedHosts.has(hostOf(routed.url()))) {
        guard.blocked.offHost += 1;
        // A 204 leaves the current document in place; an aborted navigation would replace it with an error page.
        return route.fulfill({ status: 204 }).catch(ignoreGone);
      }
      if (routed.frame() === page.mainFrame()) {
        const waitStarted = performance.now();
        try {
          turns.set(routed, await request.admit(routed.url()));
        } catch (error) {
          guard.navigationError ??= error;
          return abort(route);
        }
        guard.waitMs += performance.now() - waitStarted;
      }
    }
    return route.continue().catch((error: unknown) => {
      // The page closed while this request waited for its turn: nothing is left to continue.
      endTurn(routed);
      if (!page.isClosed()) throw error;
    });
  };
  await context.route('**/*', decide);
  return guard;
}

// --- Internal helpers ---

/** How much of the first document is kept to recognise a challenge stub (their markers come early). */
const FIRST_DOCUMENT_CHARS = 64 * 1024;

/** Resource types a list page never needs. */
const BLOCKED_TYPES = new Set(['image', 'font', 'media']);

function abort(route: Route): Promise<void> {
  return route.abort('blockedbyclient').catch(ignoreGone);
}

function ignoreGone(): void {
  // The page is already gone: the request was dropped with it.
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    // data:, about: and other URLs without a host never match an allowed host.
    return '';
  }
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}
