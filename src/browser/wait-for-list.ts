/**
 * The wait policy: navigate, then wait until the list selector is in the DOM (it survives a
 * challenge's reload, which replaces the document), or without a selector until the network has
 * been quiet for {@link QUIET_MS} and the document is not a challenge stub still about to reload.
 */
import type { Page } from 'playwright-core';
import { recognizeChallengeText } from '../anti-bot/recognize-challenge.js';
import { describeError } from '../errors.js';
import { BrowserError, formatBrowserMessage } from './browser-error.js';
import { isRedirectBridge } from './redirect-bridge.js';
import type { RequestGuard } from './request-guard.js';
import type { RenderRequest } from './renderer-types.js';

/** How long the network must stay idle before a page without a selector counts as loaded. */
export const QUIET_MS = 500;

/** What ended the wait: the selector appeared, the network settled, or the deadline came first. */
export type WaitOutcome = 'selector' | 'network-idle' | 'deadline';

/** Navigates and waits; throws BrowserError (timeout, navigation) or the politeness refusal. */
export async function waitForList(
  page: Page,
  request: RenderRequest,
  guard: RequestGuard,
  deadline: number,
): Promise<WaitOutcome> {
  const remaining = () => Math.max(1, deadline - performance.now());
  try {
    await Promise.race([page.goto(request.url, { waitUntil: 'commit', timeout: remaining() }), guard.refused]);
  } catch (error) {
    throw guard.navigationError ?? navigationFailure(error, request, 'navigation');
  }
  if (request.waitFor) {
    try {
      // A refused redirect hop leaves the page where it was: that ends the wait at once.
      await Promise.race([
        page.waitForSelector(request.waitFor, { state: 'attached', timeout: remaining() }),
        guard.refused,
      ]);
      return 'selector';
    } catch (error) {
      throw guard.navigationError ?? navigationFailure(error, request, `list selector "${request.waitFor}"`);
    }
  }
  return waitForQuiet(page, guard, deadline);
}

// --- Internal helpers ---

async function waitForQuiet(page: Page, guard: RequestGuard, deadline: number): Promise<WaitOutcome> {
  for (;;) {
    const quiet = await quietBy(guard, deadline);
    if (guard.navigationError) throw guard.navigationError;
    if (!quiet) return 'deadline';
    const documents = guard.documents.length;
    const html = await page.content().catch(() => undefined);
    // A challenge stub computes its cookie and reloads, often after a short timer, and a redirect
    // bridge replaces itself at once: wait for that navigation.
    if (html !== undefined && !isRedirectBridge(html) && recognizeChallengeText(html) === undefined)
      return 'network-idle';
    const reloaded = await documentAfter(guard, documents, deadline);
    if (!reloaded) return 'deadline';
  }
}

/** Resolves true once nothing has been in flight for QUIET_MS, false at the deadline or a refusal. */
async function quietBy(guard: RequestGuard, deadline: number): Promise<boolean> {
  for (;;) {
    if (guard.navigationError) return false;
    const now = performance.now();
    if (guard.inFlight.size === 0 && now - guard.lastActivity >= QUIET_MS) return true;
    if (now >= deadline) return false;
    await sleep(Math.min(50, deadline - now));
  }
}

/** Resolves true once more than `count` main documents arrived, false at the deadline. */
async function documentAfter(guard: RequestGuard, count: number, deadline: number): Promise<boolean> {
  while (guard.documents.length <= count) {
    if (guard.navigationError) throw guard.navigationError;
    const now = performance.now();
    if (now >= deadline) return false;
    await sleep(Math.min(50, deadline - now));
  }
  return true;
}

function navigationFailure(error: unknown, request: RenderRequest, what: string): BrowserError {
  const detail = describeError(error).split('\n', 1)[0] ?? '';
  const seconds = Math.round(request.timeoutMs / 100) / 10;
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new BrowserError(
      'BROWSER_TIMEOUT',
      formatBrowserMessage(request.sourceId, `${what} did not finish within ${seconds} s at ${request.url}`),
      {
        sourceId: request.sourceId,
        url: request.url,
        cause: error,
        hint: 'The page kept loading or its list never appeared: check `waitFor`/`items` with `feedwright preview --render`, or raise `renderTimeout`.',
      },
    );
  }
  return new BrowserError(
    'BROWSER_NAVIGATION',
    formatBrowserMessage(request.sourceId, `could not load ${request.url}`, detail),
    {
      sourceId: request.sourceId,
      url: request.url,
      cause: error,
      hint: 'Open the URL in a browser; a network error here usually means the site is down or unreachable.',
    },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
