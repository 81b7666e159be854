/**
 * Rendering in headless Chromium (`render: browser`): pages per second, CPU per page (the browser's
 * process tree and this Node process: steadier than wall time on a shared machine) and peak memory
 * (browser PSS, node RSS) with 2 pages at once (the default `browser.maxPages`), for a list built by
 * script from a JSON endpoint on 127.0.0.1 origins. Two passes in one run:
 * - one host: every render after the first gets a page kept from the host's last render;
 * - five hosts in turn (five origins, five ports): with 2 pages kept at most, no render finds its
 *   host's page — what every render cost before pages were kept, and still costs for one source per host.
 * A plain fetch of the same list as static HTML is measured too, for the ratio.
 * `BENCH_RENDER_PAGES` (default 40) sets how many pages each pass renders.
 */
import { createRenderer, measureBrowserCpuMs, type Renderer, type RenderRequest } from '../src/browser/index.js';
import { createFetcher, DEFAULT_USER_AGENT, defaultFetchPolicy } from '../src/fetch/index.js';
import { createSilentLogger } from '../src/log.js';
import { startBrowserOrigin, type BrowserOrigin } from '../tests/helpers/browser-origin.js';

const PAGES = Number(process.env.BENCH_RENDER_PAGES ?? 40);
const AT_ONCE = 2;
const HOSTS = 5;

const origins: BrowserOrigin[] = [];
for (let i = 0; i < HOSTS; i += 1) origins.push(await startBrowserOrigin());
const renderer = createRenderer({ maxPages: AT_ONCE, logger: createSilentLogger() });
const fetcher = createFetcher({ logger: createSilentLogger() });
const policy = { ...defaultFetchPolicy(), minHostDelayMs: 0, perHostConcurrency: AT_ONCE, retries: 0 };
try {
  const render = (origin: BrowserOrigin) => renderer.render(renderRequest(`${origin.server.origin}/script-list/`));
  const launchStarted = performance.now();
  await render(origins[0]!);
  const firstMs = performance.now() - launchStarted;
  await render(origins[0]!); // warm

  const oneHost = await measurePass(renderer, () => render(origins[0]!));
  let turn = 0;
  const rotating = await measurePass(renderer, () => render(origins[turn++ % HOSTS]!));

  const fetchOnce = () =>
    fetcher.fetch({ sourceId: 'bench', url: `${origins[0]!.server.origin}/plain-list/`, policy, purpose: 'page' });
  await fetchOnce();
  const fetchStarted = performance.now();
  await inParallel(PAGES * 10, AT_ONCE, fetchOnce);
  const fetchRate = (PAGES * 10) / ((performance.now() - fetchStarted) / 1000);

  process.stdout.write(
    [
      `first render (Chromium launch included): ${firstMs.toFixed(0)} ms`,
      describePass('one host (kept pages)', oneHost),
      describePass(`${HOSTS} hosts in turn (a new page each)`, rotating),
      `one host vs ${HOSTS} hosts: ${(oneHost.rate / rotating.rate).toFixed(2)}× pages/s, ${(rotating.browserCpuMs / oneHost.browserCpuMs).toFixed(2)}× less browser CPU per page`,
      `plain fetches/s of the same list as HTML, ${AT_ONCE} at once: ${fetchRate.toFixed(1)} — a render (one host) costs ${(fetchRate / oneHost.rate).toFixed(0)}× a fetch`,
      '',
    ].join('\n'),
  );
} finally {
  await renderer.close();
  await fetcher.close();
  for (const origin of origins) await origin.close();
}

// --- Internal helpers ---

interface PassFigures {
  rate: number;
  seconds: number;
  browserCpuMs: number;
  nodeCpuMs: number;
  reused: number;
  peakBrowser: number;
  peakNode: number;
  peakSum: number;
}

function renderRequest(url: string): RenderRequest {
  return {
    sourceId: 'bench',
    url,
    userAgent: DEFAULT_USER_AGENT,
    headers: {},
    cookies: [],
    waitFor: 'ul.list li',
    timeoutMs: 60_000,
    admit: async () => () => undefined,
  };
}

async function measurePass(renderer: Renderer, work: () => Promise<unknown>): Promise<PassFigures> {
  const peaks = { browser: 0, node: 0, sum: 0 };
  const sample = () => {
    const browser = renderer.stats().memoryBytes ?? 0;
    const node = process.memoryUsage().rss;
    peaks.browser = Math.max(peaks.browser, browser);
    peaks.node = Math.max(peaks.node, node);
    peaks.sum = Math.max(peaks.sum, browser + node);
  };
  const pid = renderer.stats().pid;
  const browserCpu = () => (pid === undefined ? 0 : (measureBrowserCpuMs(pid) ?? 0));
  const reusedBefore = renderer.stats().pagesReused;
  const sampler = setInterval(sample, 100);
  const cpuBefore = { browser: browserCpu(), node: process.cpuUsage() };
  const started = performance.now();
  await inParallel(PAGES, AT_ONCE, work);
  const seconds = (performance.now() - started) / 1000;
  const node = process.cpuUsage(cpuBefore.node);
  const browserCpuMs = browserCpu() - cpuBefore.browser;
  clearInterval(sampler);
  sample();
  return {
    rate: PAGES / seconds,
    seconds,
    browserCpuMs: browserCpuMs / PAGES,
    nodeCpuMs: (node.user + node.system) / 1000 / PAGES,
    reused: renderer.stats().pagesReused - reusedBefore,
    peakBrowser: peaks.browser,
    peakNode: peaks.node,
    peakSum: peaks.sum,
  };
}

function describePass(name: string, pass: PassFigures): string {
  const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
  return [
    `${name}: ${pass.rate.toFixed(2)} rendered pages/s, ${AT_ONCE} at once (${PAGES} pages in ${pass.seconds.toFixed(1)} s, ${pass.reused} on a kept page)`,
    `  CPU per page: browser ${pass.browserCpuMs.toFixed(0)} ms, node ${pass.nodeCpuMs.toFixed(0)} ms`,
    `  peak memory: browser ${mb(pass.peakBrowser)} (PSS of its processes), node ${mb(pass.peakNode)} (RSS), together ${mb(pass.peakSum)}`,
  ].join('\n');
}

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
