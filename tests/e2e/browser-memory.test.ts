/**
 * Memory stays bounded over many rendered runs: 50 runs of two render: browser sources at once (a
 * list built by script and a static one) through one renderer. Slow (about a minute on a quiet
 * machine), so it runs only with FEEDWRIGHT_BROWSER_RUNS set: `npm run test:browser-memory` (and
 * .ci/run) sets it to 50.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRenderer, type Renderer } from '../../src/browser/index.js';
import { parseConfigText } from '../../src/config/index.js';
import { createFetcher, type Fetcher } from '../../src/fetch/index.js';
import { createSilentLogger } from '../../src/log.js';
import { runSource, type PipelineDeps } from '../../src/pipeline/index.js';
import { openItemStore, type ItemStore } from '../../src/store/index.js';
import { chromiumAvailable, startBrowserOrigin, type BrowserOrigin } from '../helpers/browser-origin.js';

const RUNS = Number(process.env.FEEDWRIGHT_BROWSER_RUNS ?? 0);
const available = RUNS > 0 && chromiumAvailable();
let origin: BrowserOrigin;
let renderer: Renderer;
let fetcher: Fetcher;
let store: ItemStore;
let root: string;

describe.runIf(available)(`memory over ${RUNS} rendered runs`, () => {
  beforeAll(async () => {
    origin = await startBrowserOrigin();
    renderer = createRenderer({ maxPages: 2 });
    fetcher = createFetcher({ logger: createSilentLogger() });
    store = await openItemStore('memory://');
    root = await mkdtemp(join(tmpdir(), 'feedwright-browser-memory-'));
  });
  afterAll(async () => {
    await renderer?.close();
    await fetcher?.close();
    await store?.close();
    await origin?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('keeps one browser whose memory (and this process) does not grow run after run', async () => {
    const deps: PipelineDeps = {
      fetcher,
      renderer,
      store,
      outputDir: join(root, 'out'),
      site: { title: 't', timezone: 'Asia/Shanghai' },
      now: () => new Date(),
      logger: createSilentLogger(),
    };
    const yaml = `defaults:\n  retries: 0\n  minDelay: 0ms\n  render: browser\n  renderTimeout: 30s\nsources:\n  - id: script\n    url: ${origin.server.origin}/script-list/\n    items: ul.list li\n  - id: plain\n    url: ${origin.server.origin}/plain-list/\n`;
    const sources = parseConfigText(yaml, 'test.yaml', () => true).config.sources;
    const browser: number[] = [];
    const node: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      // Two at once, as the default maxPages allows.
      const reports = await Promise.all(sources.map((source) => runSource(source, deps)));
      for (const report of reports) {
        expect(report.error).toBeUndefined();
        expect(report.servedBy).toBe('browser');
      }
      browser.push(renderer.stats().memoryBytes ?? 0);
      node.push(process.memoryUsage().rss);
    }
    const stats = renderer.stats();
    expect(stats.launches).toBe(1);
    expect(stats.pagesOpen).toBe(0);
    expect(stats.pagesRendered).toBe(RUNS * 2);
    const early = Math.max(...browser.slice(5, 15));
    const late = Math.max(...browser.slice(-10));
    const mb = (bytes: number) => Math.round(bytes / 1_048_576);
    process.stdout.write(
      `browser PSS: runs 6-15 max ${mb(early)} MB, last 10 max ${mb(late)} MB; node RSS ${mb(node[9]!)} -> ${mb(node.at(-1)!)} MB\n`,
    );
    expect(late).toBeLessThan(early * 1.5);
    expect(node.at(-1)! - node[9]!).toBeLessThan(150 * 1_048_576);
  }, 1_200_000);
});
