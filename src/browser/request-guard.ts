/**
 * Every request a rendered page makes passes here: images, fonts and media are refused (a list needs
 * none of them), documents may not leave the page's host (a server redirect the navigation router let
 * through, which is how challenges hop, extends the allowed hosts), a page gets at most
 * `maxRequests`, no request may go to a private-network host the source may not reach (a public
 * page's script cannot read the worker's intranet into the DOM), and each top-level navigation — every hop of a redirect included — goes through the
 * navigation router (robots.txt, the host's turn).
 */
import type { BrowserContext, Page, Request, Response, Route } from 'playwright-core';
import { createNavigationRouter } from './navigation-hops.js';
import { guardWebSockets } from './websocket-guard.js';
import type { RenderRequest } from './renderer-types.js';

/** What the guard saw and decided during one render. */
export interface RequestGuard {
  blocked: { resources: number; offHost: number; overLimit: number; privateNetwork: number };
  requests: number;
  /** Main-frame documents that arrived (redirect hops and their bridges excluded), in order. */
  documents: Array<{ url: string; status: number }>;
  /** The start of the first main document's source (redirects excluded): a challenge stub is named by it. */
  readonly firstDocumentText: string | undefined;
  /** Requests started and not yet finished or failed. */
  inFlight: Set<Request>;
  /** performance.now() of the last request start or end. */
  lastActivity: number;
  /** The first refusal of a top-level navigation (FETCH_ROBOTS, BROWSER_REDIRECT, …), rethrown by the render. */
  navigationError?: unknown;
  /** Rejects with navigationError as soon as it is set, so a wait can end at once. */
  refused: Promise<never>;
  readonly waitMs: number;
  /** Ends every politeness turn still held (the render is over). */
  releaseAll(): void;
  /** Removes the guard's listeners and routes, so the page can serve another render. */
  uninstall(): Promise<void>;
}

/**
 * Routes every request of `context` through the guard; `page` is the one page rendered, `deadline`
 * (performance.now()) the end of its render.
 */
export async function installRequestGuard(
  context: BrowserContext,
  page: Page,
  request: RenderRequest,
  limits: { maxRequests: number; deadline: number },
): Promise<RequestGuard> {
  const allowedHosts = new Set([new URL(request.url).host]);
  let refuse: (error: unknown) => void = () => undefined;
  const refused = new Promise<never>((_resolve, reject) => (refuse = reject));
  // Nobody may be waiting on it when the refusal comes: that is not an unhandled rejection.
  refused.catch(() => undefined);
  const navigations = createNavigationRouter({
    request,
    deadline: limits.deadline,
    allowedHosts,
    refuse(error) {
      if (guard.navigationError !== undefined) return;
      guard.navigationError = error;
      refuse(error);
    },
  });
  const guard: RequestGuard = {
    blocked: { resources: 0, offHost: 0, overLimit: 0, privateNetwork: 0 },
    requests: 0,
    documents: [],
    inFlight: new Set(),
    lastActivity: performance.now(),
    refused,
    get waitMs() {
      return navigations.waitMs();
    },
    get firstDocumentText() {
      return navigations.firstDocumentText();
    },
    releaseAll: () => navigations.releaseAll(),
    async uninstall() {
      releaseSockets();
      page.off('request', start);
      page.off('requestfinished', settle);
      page.off('requestfailed', settle);
      page.off('response', recordDocument);
      await context.unroute('**/*', decide);
    },
  };
  const start = (started: Request) => {
    guard.inFlight.add(started);
    guard.lastActivity = performance.now();
  };
  const settle = (finished: Request) => {
    guard.inFlight.delete(finished);
    guard.lastActivity = performance.now();
  };
  const recordDocument = (response: Response) => {
    const answered = response.request();
    if (!answered.isNavigationRequest() || answered.frame() !== page.mainFrame() || navigations.isBridge(answered))
      return;
    guard.documents.push({ url: response.url(), status: response.status() });
  };
  page.on('request', start);
  page.on('requestfinished', settle);
  page.on('requestfailed', settle);
  page.on('response', recordDocument);

  /** Verdicts by host for this render: a page asks one host many times. */
  const reachable = new Map<string, Promise<boolean>>();
  const mayReach = (url: string): Promise<boolean> => {
    if (!request.mayReach || !/^(?:https?|wss?):/i.test(url)) return Promise.resolve(true);
    const host = hostOf(url);
    let verdict = reachable.get(host);
    if (!verdict) {
      verdict = request.mayReach(url).catch(() => false);
      reachable.set(host, verdict);
    }
    return verdict;
  };

  const decide = async (route: Route, routed: Request): Promise<void> => {
    guard.requests += 1;
    const type = routed.resourceType();
    if (BLOCKED_TYPES.has(type)) {
      guard.blocked.resources += 1;
      return abort(route);
    }
    if (guard.requests > limits.maxRequests) {
      guard.blocked.overLimit += 1;
      return abort(route);
    }
    // The main frame's documents are checked by the navigation router (the fetch stage's admission).
    const mainDocument = type === 'document' && routed.frame() === page.mainFrame();
    if (!mainDocument && !(await mayReach(routed.url()))) {
      guard.blocked.privateNetwork += 1;
      return abort(route);
    }
    if (type === 'document') {
      if (!allowedHosts.has(hostOf(routed.url()))) {
        guard.blocked.offHost += 1;
        // A 204 leaves the current document in place; an aborted navigation would replace it with an error page.
        return route.fulfill({ status: 204 }).catch(ignoreGone);
      }
      if (routed.frame() === page.mainFrame()) return navigations.handle(route, routed);
    }
    return route.continue().catch((error: unknown) => {
      // The page closed meanwhile: nothing is left to continue.
      if (!page.isClosed()) throw error;
    });
  };
  await context.route('**/*', decide);
  // WebSockets pass no route: they get the private-network rule their own way.
  const releaseSockets = await guardWebSockets(context, mayReach, () => {
    guard.blocked.privateNetwork += 1;
  });
  return guard;
}

// --- Internal helpers ---

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
