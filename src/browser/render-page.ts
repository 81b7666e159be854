/**
 * One page in the browser: a page of the host's own context (kept from an earlier render, or new),
 * its cookies cleared and the render's set, the request guard, the wait policy under a hard deadline,
 * then the DOM and the host's cookies. A page that rendered cleanly is reset (blank, unrouted) and
 * goes back to the pool; any other is closed with its context. A page that stops responding (a script
 * that never yields) is reported and torn down; if even that hangs, the caller kills the browser.
 */
import type { Browser, BrowserContext, Cookie, Dialog, Page } from 'playwright-core';
import { recognizeChallengeText } from '../anti-bot/recognize-challenge.js';
import type { EarnedCookie, PageWarning } from '../model.js';
import { BrowserError, formatBrowserMessage } from './browser-error.js';
import type { PageLease, PagePool } from './page-pool.js';
import { installRequestGuard, type RequestGuard } from './request-guard.js';
import type { RenderRequest, RenderedPage } from './renderer-types.js';
import { waitForList } from './wait-for-list.js';

/**
 * Least time given to the DOM snapshot (it may also use what is left of the page's timeout) and to a
 * context's close before the page counts as hung: a busy machine needs seconds for either.
 */
export const HUNG_PAGE_MS = 5_000;

/** Limits and the escape hatch for a hung page. */
export interface PageLimits {
  maxRequests: number;
  /** Where pages come from and clean ones go back to. */
  pool: PagePool;
  /** Kills the whole browser: called when a hung page's context does not close. */
  killBrowser(): Promise<void>;
}

/** Renders one page; throws BrowserError or the politeness refusal (FetchError). */
export async function renderPage(browser: Browser, request: RenderRequest, limits: PageLimits): Promise<RenderedPage> {
  const started = performance.now();
  const deadline = started + request.timeoutMs;
  const lease = await limits.pool.lease(browser, request);
  const { context, page } = lease;
  let guard: RequestGuard | undefined;
  let clean = false;
  // Popups and dialogs would hold the page: close and dismiss them.
  const closePopup = (opened: Page) => void (opened === page ? undefined : opened.close().catch(ignoreClosed));
  const dismiss = (dialog: Dialog) => void dialog.dismiss().catch(ignoreClosed);
  context.on('page', closePopup);
  page.on('dialog', dismiss);
  try {
    // A kept page's context still has the last render's cookies (the same host's): start from the request's.
    if (lease.renders > 0) await context.clearCookies();
    if (request.cookies.length > 0) await context.addCookies(request.cookies.map(toPlaywrightCookie));
    guard = await installRequestGuard(context, page, request, { maxRequests: limits.maxRequests, deadline });
    const waited = await waitForList(page, request, guard, deadline);
    const snapshot = await within(page.content(), Math.max(HUNG_PAGE_MS, deadline - performance.now()));
    if (snapshot === undefined) throw hungPage(request);
    const html = snapshot.value;
    const finalUrl = page.url();
    const last = guard.documents.at(-1);
    const status = last?.status ?? 0;
    checkFinalDocument(request, html, status, finalUrl);
    const cookies = (await context.cookies(finalUrl)).map(toEarnedCookie);
    const challenge = nameChallenge(guard, cookies);
    clean = true;
    return {
      requestedUrl: request.url,
      finalUrl,
      status,
      html,
      cookies,
      documents: guard.documents.length,
      challenge,
      waited,
      blocked: { ...guard.blocked },
      requests: guard.requests,
      durationMs: Math.round(performance.now() - started),
      waitMs: Math.round(guard.waitMs),
      warnings: describeWarnings(request, waited, guard),
    };
  } finally {
    guard?.releaseAll();
    context.off('page', closePopup);
    page.off('dialog', dismiss);
    if (clean && (await within(resetForReuse(lease, guard), HUNG_PAGE_MS))?.value === true) {
      limits.pool.giveBack(browser, lease);
    } else {
      const closed = await within(context.close(), 2 * HUNG_PAGE_MS);
      limits.pool.closed(lease);
      if (closed === undefined) await limits.killBrowser();
    }
  }
}

// --- Internal helpers ---

/**
 * Leaves a page as a new one would be for the next render: the document unloaded (its timers and
 * requests stop while the guard still routes them) and the guard removed. True when that worked.
 */
async function resetForReuse(lease: PageLease, guard: RequestGuard | undefined): Promise<boolean> {
  await lease.page.goto('about:blank');
  await guard?.uninstall();
  return true;
}

/**
 * The challenge a first document was, by its vendor's markers in the stub or in the names of the
 * cookies it set (`__jsl_clearance…`, `acw_sc__v2`), or `reload` for another stub that reloaded.
 */
function nameChallenge(guard: RequestGuard, cookies: EarnedCookie[]): string | undefined {
  if (guard.documents.length < 2) return undefined;
  const text = guard.firstDocumentText;
  const byText = text === undefined ? undefined : recognizeChallengeText(text);
  return byText ?? recognizeChallengeText(cookies.map((cookie) => cookie.name).join('\n')) ?? 'reload';
}

function checkFinalDocument(request: RenderRequest, html: string, status: number, finalUrl: string): void {
  const vendor = recognizeChallengeText(html);
  if (vendor) {
    throw new BrowserError(
      'BROWSER_TIMEOUT',
      formatBrowserMessage(
        request.sourceId,
        `the ${vendor} challenge was not passed within ${request.timeoutMs / 1000} s`,
        finalUrl,
      ),
      {
        sourceId: request.sourceId,
        url: finalUrl,
        status,
        hint: 'The site did not accept the browser; some challenges also check the User-Agent or the IP address (see the README on why some sites still refuse).',
      },
    );
  }
  if (status >= 400) {
    throw new BrowserError(
      'BROWSER_HTTP_STATUS',
      formatBrowserMessage(request.sourceId, `HTTP ${status} from ${finalUrl}`),
      {
        sourceId: request.sourceId,
        url: finalUrl,
        status,
        hint:
          status === 404 || status === 410
            ? 'The page has moved or been removed; update the source URL.'
            : 'The site refused the page in the browser too; check it in a desktop browser.',
      },
    );
  }
}

function describeWarnings(request: RenderRequest, waited: RenderedPage['waited'], guard: RequestGuard): PageWarning[] {
  const warnings: PageWarning[] = [];
  if (waited === 'deadline')
    warnings.push({
      code: 'browser-still-loading',
      message: `browser: the page was still loading after ${request.timeoutMs / 1000} s; its DOM was taken as it was (set \`waitFor:\` to the list's selector)`,
    });
  if (guard.blocked.offHost > 0)
    warnings.push({
      code: 'browser-navigation-refused',
      message: `browser: ${guard.blocked.offHost} navigation(s) off ${new URL(request.url).host} refused`,
    });
  if (guard.blocked.privateNetwork > 0)
    warnings.push({
      code: 'browser-private-network-refused',
      message: `browser: ${guard.blocked.privateNetwork} request(s) of the page to private-network addresses refused: a public page may not make feedwright read from inside your network (set \`privateNetwork: allow\` on the source if it should)`,
    });
  if (guard.blocked.overLimit > 0)
    warnings.push({
      code: 'browser-requests-capped',
      message: `browser: the page made more than ${guard.requests - guard.blocked.overLimit} requests; ${guard.blocked.overLimit} refused`,
    });
  return warnings;
}

function hungPage(request: RenderRequest): BrowserError {
  return new BrowserError(
    'BROWSER_TIMEOUT',
    formatBrowserMessage(
      request.sourceId,
      `the page stopped responding (a script that never finishes?) at ${request.url}`,
    ),
    {
      sourceId: request.sourceId,
      url: request.url,
      hint: 'The page was closed; if it keeps happening the site cannot be rendered, look for a feed or API instead.',
    },
  );
}

/** The promise's value, or undefined when it takes longer than `ms` or fails (a page that went away). */
async function within<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ value }),
        () => undefined,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function toPlaywrightCookie(cookie: EarnedCookie): Parameters<BrowserContext['addCookies']>[0][number] {
  return {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain,
    path: cookie.path,
    expires: cookie.expires ?? -1,
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
  };
}

function toEarnedCookie(cookie: Cookie): EarnedCookie {
  return {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain,
    path: cookie.path,
    ...(cookie.expires > 0 ? { expires: cookie.expires } : {}),
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
  };
}

function ignoreClosed(): void {
  // The page or dialog went away first: nothing left to close.
}
