/**
 * The renderer: one headless Chromium per process, launched on the first render (and again after it
 * closed or crashed), at most `maxPages` pages at once, closed after `idleCloseMs` without a page.
 */
import type { Browser } from 'playwright-core';
import { DEFAULT_BROWSER_CONFIG } from '../defaults/browser.js';
import { createSilentLogger } from '../log.js';
import { isProcessAlive, killProcessTree, measureBrowserMemory } from './browser-processes.js';
import type { PagePool } from './page-pool.js';
import type { Renderer, RendererOptions, RendererStats } from './renderer-types.js';

/** Creates a renderer; nothing is launched (or even imported) until the first render. */
export function createRenderer(options: RendererOptions = {}): Renderer {
  const maxPages = Math.max(1, options.maxPages ?? DEFAULT_BROWSER_CONFIG.maxPages);
  const idleCloseMs = options.idleCloseMs ?? DEFAULT_BROWSER_CONFIG.idleCloseMs;
  const maxRequests = options.maxRequests ?? DEFAULT_BROWSER_CONFIG.maxRequests;
  const logger = options.logger ?? createSilentLogger();
  const counters = { pagesRendered: 0, launches: 0, kills: 0 };
  const waiting: Array<() => void> = [];
  // Kept pages wait for their host's next render; as many as may render at once, so idle memory stays that of maxPages.
  // Created with the rest of the stage, on the first render.
  let pool: PagePool | undefined;
  let open = 0;
  let browser: Browser | undefined;
  let pid: number | undefined;
  let launching: Promise<Browser> | undefined;
  let idleTimer: NodeJS.Timeout | undefined;

  const closeBrowser = async (reason: string): Promise<void> => {
    const closing = browser;
    const closingPid = pid;
    browser = undefined;
    pid = undefined;
    pool?.clear();
    if (!closing) return;
    logger.debug({}, `browser: closing Chromium (${reason})`);
    // A browser ran, so the stage is loaded: this resolves at once.
    const { HUNG_PAGE_MS } = await loadRenderStage();
    const closed = await Promise.race([
      closing.close().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), HUNG_PAGE_MS).unref()),
    ]);
    if (!closed && closingPid !== undefined && isProcessAlive(closingPid)) killProcessTree(closingPid);
  };

  const browserFor = (stage: RenderStage, sourceId: string): Promise<Browser> => {
    if (browser?.isConnected()) return Promise.resolve(browser);
    launching ??= stage
      .launchBrowser(options.executablePath, sourceId)
      .then(({ browser: launched, pid: launchedPid }) => {
        counters.launches += 1;
        browser = launched;
        pid = launchedPid;
        launched.on('disconnected', () => {
          if (browser !== launched) return;
          browser = undefined;
          pid = undefined;
        });
        logger.info({ sourceId }, 'browser: Chromium started');
        return launched;
      })
      .finally(() => {
        launching = undefined;
      });
    return launching;
  };

  const takePage = async (): Promise<void> => {
    clearTimeout(idleTimer);
    if (open < maxPages) {
      open += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };

  const releasePage = (): void => {
    const next = waiting.shift();
    if (next) return next(); // the page slot passes straight to the next render
    open -= 1;
    if (open === 0 && browser) {
      idleTimer = setTimeout(() => void closeBrowser('idle'), idleCloseMs);
      idleTimer.unref();
    }
  };

  return {
    async render(request) {
      await takePage();
      try {
        const stage = await loadRenderStage();
        pool ??= stage.createPagePool(maxPages);
        const active = await browserFor(stage, request.sourceId);
        const page = await stage.renderPage(active, request, {
          maxRequests,
          pool,
          killBrowser: async () => {
            counters.kills += 1;
            logger.warn({ sourceId: request.sourceId }, 'browser: a hung page did not close; Chromium was killed');
            await closeBrowser('hung page');
          },
        });
        counters.pagesRendered += 1;
        return page;
      } finally {
        releasePage();
      }
    },
    stats(): RendererStats {
      const running = browser?.isConnected() ?? false;
      return {
        running,
        ...(running && pid !== undefined ? { memoryBytes: measureBrowserMemory(pid), pid } : {}),
        pagesOpen: open,
        pagesReused: pool?.reused() ?? 0,
        ...counters,
      };
    },
    async close() {
      clearTimeout(idleTimer);
      if (launching) await launching.catch(() => undefined);
      await closeBrowser('closed');
    },
  };
}

// --- Internal helpers ---

/** What rendering needs beyond the handle: launching, the page pool and one page's render. */
interface RenderStage {
  launchBrowser: typeof import('./launch-browser.js').launchBrowser;
  createPagePool: typeof import('./page-pool.js').createPagePool;
  renderPage: typeof import('./render-page.js').renderPage;
  HUNG_PAGE_MS: number;
}

let renderStage: Promise<RenderStage> | undefined;

/** Imported on the first render: a worker whose sources never render (most) never loads it. */
function loadRenderStage(): Promise<RenderStage> {
  renderStage ??= Promise.all([
    import('./launch-browser.js'),
    import('./page-pool.js'),
    import('./render-page.js'),
  ]).then(([launch, pagePool, render]) => ({
    launchBrowser: launch.launchBrowser,
    createPagePool: pagePool.createPagePool,
    renderPage: render.renderPage,
    HUNG_PAGE_MS: render.HUNG_PAGE_MS,
  }));
  return renderStage;
}
