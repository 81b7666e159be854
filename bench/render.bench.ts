/**
 * Rendering in headless Chromium (`render: browser`): pages per second and peak memory (the
 * browser's process tree, PSS, plus this Node process, RSS) with 2 pages at once (the default
 * `browser.maxPages`), for a list built by script from a JSON endpoint on a 127.0.0.1 origin. A plain
 * fetch of the same list as static HTML is measured in the same run for the ratio.
 * `BENCH_RENDER_PAGES` (default 40) sets how many pages are rendered.
 */
import { createRenderer } from '../src/browser/index.js';
import { createFetcher, DEFAULT_USER_AGENT, defaultFetchPolicy } from '../src/fetch/index.js';
import { createSilentLogger } from '../src/log.js';
import { startBrowserOrigin } from '../tests/helpers/browser-origin.js';

const PAGES = Number(process.env.BENCH_RENDER_PAGES ?? 40);
const AT_ONCE = 2;

const origin = await startBrowserOrigin();
const renderer = createRenderer({ maxPages: AT_ONCE, logger: createSilentLogger() });
const fetcher = createFetcher({ logger: createSilentLogger() });
const policy = { ...defaultFetchPolicy(), minHostDelayMs: 0, perHostConcurrency: AT_ONCE, retries: 0 };
try {
  const render = () =>
    renderer.render({
      sourceId: 'bench',
      url: `${origin.server.origin}/script-list/`,
      userAgent: DEFAULT_USER_AGENT,
      headers: {},
      cookies: [],
      waitFor: 'ul.list li',
      timeoutMs: 60_000,
      admit: async () => () => undefined,
    });
  const launchStarted = performance.now();
  await render();
  const firstMs = performance.now() - launchStarted;
  await render(); // warm

  let peakBrowser = 0;
  let peakNode = 0;
  let peakSum = 0;
  const sample = () => {
    const browser = renderer.stats().memoryBytes ?? 0;
    const node = process.memoryUsage().rss;
    peakBrowser = Math.max(peakBrowser, browser);
    peakNode = Math.max(peakNode, node);
    peakSum = Math.max(peakSum, browser + node);
  };
  const sampler = setInterval(sample, 100);
  const renderStarted = performance.now();
  await inParallel(PAGES, AT_ONCE, render);
  const renderSeconds = (performance.now() - renderStarted) / 1000;
  clearInterval(sampler);
  sample();

  const fetchOnce = () =>
    fetcher.fetch({ sourceId: 'bench', url: `${origin.server.origin}/plain-list/`, policy, purpose: 'page' });
  await fetchOnce();
  const fetchStarted = performance.now();
  await inParallel(PAGES * 10, AT_ONCE, fetchOnce);
  const fetchSeconds = (performance.now() - fetchStarted) / 1000;

  const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
  const renderRate = PAGES / renderSeconds;
  const fetchRate = (PAGES * 10) / fetchSeconds;
  process.stdout.write(
    [
      `first render (Chromium launch included): ${firstMs.toFixed(0)} ms`,
      `rendered pages/s, ${AT_ONCE} at once: ${renderRate.toFixed(2)} (${PAGES} pages in ${renderSeconds.toFixed(1)} s, ${((renderSeconds * 1000 * AT_ONCE) / PAGES).toFixed(0)} ms per page)`,
      `plain fetches/s of the same list as HTML, ${AT_ONCE} at once: ${fetchRate.toFixed(1)} — rendering costs ${(fetchRate / renderRate).toFixed(0)}× a fetch`,
      `peak memory: browser ${mb(peakBrowser)} (PSS of its processes), node ${mb(peakNode)} (RSS), together ${mb(peakSum)}`,
      '',
    ].join('\n'),
  );
} finally {
  await renderer.close();
  await fetcher.close();
  await origin.close();
}

// --- Internal helpers ---

async function inParallel(count: number, width: number, work: () => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        next += 1;
        await work();
      }
    }),
  );
}
