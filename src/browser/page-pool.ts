/**
 * Pages kept between renders, one context per host. Most of a render's cost is a new page: its
 * renderer process and playwright-core's set-up (bench: 2.1 s browser CPU and 0.55 s node CPU per
 * render with a new page, 0.50 s and 0.18 s with a kept one), so a page that rendered cleanly is
 * kept, blank and without cookies, for the next render of the same host with the same User-Agent and
 * headers. Cookies never cross hosts: a context serves one host only and its cookies are cleared
 * before every render. Kept and lent pages together stay within `maxPages` (a new page first closes
 * the least recently used kept one), and a page is retired after {@link MAX_RENDERS_PER_PAGE}
 * renders, so memory stays what `maxPages` fresh pages cost.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RenderRequest } from './renderer-types.js';

/**
 * Renders one kept page serves before it is closed: a reused renderer keeps more heap (bench render,
 * one host: peak browser PSS 559 MB retiring after 20 renders, 500 MB after 8, against 471 MB with a
 * new page each; browser CPU per page about the same, 403–454 vs 411 ms).
 */
export const MAX_RENDERS_PER_PAGE = 8;

/** A page lent to one render. */
export interface PageLease {
  context: BrowserContext;
  page: Page;
  /** Renders this page served before this one (0: a new page). */
  renders: number;
  key: string;
}

/** Lends pages and takes back the clean ones. */
export interface PagePool {
  /** A kept page for the request's host and identity, or a new context and page. */
  lease(browser: Browser, request: RenderRequest): Promise<PageLease>;
  /** Keeps a page that rendered cleanly and was reset (blank, unrouted, no listeners of the render). */
  giveBack(browser: Browser, lease: PageLease): void;
  /** The render closed this lease's context itself (it failed): its place is free. */
  closed(lease: PageLease): void;
  /** Forgets every kept page (the browser closed or is closing: its pages go with it). */
  clear(): void;
  /** Pages waiting for a render. */
  idle(): number;
  /** Leases served by a kept page so far. */
  reused(): number;
}

/** Creates a pool whose kept and lent pages together are at most `maxPages`. */
export function createPagePool(maxPages: number): PagePool {
  let owner: Browser | undefined;
  /** Idle leases, least recently used first. */
  let kept: PageLease[] = [];
  let lent = 0;
  let reused = 0;
  /** Contexts still closing: a new page waits for them, so renderer processes never exceed maxPages. */
  const closing = new Set<Promise<void>>();

  const close = (lease: Pick<PageLease, 'context'>): Promise<void> => {
    const closed = lease.context.close().catch(ignoreGone);
    closing.add(closed);
    void closed.finally(() => closing.delete(closed));
    return closed;
  };

  return {
    async lease(browser, request) {
      if (owner !== browser) {
        kept = [];
        owner = browser;
      }
      const key = contextKey(request);
      const index = kept.findIndex((entry) => entry.key === key && !entry.page.isClosed());
      lent += 1;
      if (index >= 0) {
        const [found] = kept.splice(index, 1);
        reused += 1;
        return { ...found!, renders: found!.renders + 1 };
      }
      // Room for the new page first: its renderer process is what memory is bounded by.
      while (kept.length > 0 && kept.length + lent > maxPages) void close(kept.shift()!);
      await Promise.all(closing);
      const context = await browser.newContext({
        userAgent: request.userAgent,
        extraHTTPHeaders: request.headers,
        serviceWorkers: 'block',
        acceptDownloads: false,
      });
      try {
        return { context, page: await context.newPage(), renders: 0, key };
      } catch (error) {
        lent -= 1;
        void close({ context });
        throw error;
      }
    },
    giveBack(browser, lease) {
      lent = Math.max(0, lent - 1);
      if (browser !== owner || !browser.isConnected() || lease.renders + 1 >= MAX_RENDERS_PER_PAGE) {
        void close(lease);
        return;
      }
      kept.push(lease);
      while (kept.length > 0 && kept.length + lent > maxPages) void close(kept.shift()!);
    },
    closed() {
      lent = Math.max(0, lent - 1);
    },
    clear() {
      kept = [];
      lent = 0;
      owner = undefined;
    },
    idle: () => kept.length,
    reused: () => reused,
  };
}

// --- Internal helpers ---

/** What a context is fixed to: the host (cookie isolation), the User-Agent and the extra headers. */
function contextKey(request: RenderRequest): string {
  const headers = Object.entries(request.headers).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([new URL(request.url).host, request.userAgent, headers]);
}

function ignoreGone(): void {
  // The browser went away first: the context is gone with it.
}
