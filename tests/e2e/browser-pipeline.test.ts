/**
 * `render: browser` and `render: auto` through runSource, with real Chromium, a real fetcher and
 * store, against a local origin: lists built by script, a JavaScript challenge whose cookie is kept
 * so the next run is a plain fetch, the challenge coming back, robots.txt for the browser, and a
 * machine without Chromium. One renderer serves the whole file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRenderer, type Renderer } from '../../src/browser/index.js';
import { parseConfigText } from '../../src/config/index.js';
import { createFetcher, type Fetcher } from '../../src/fetch/index.js';
import { createSilentLogger } from '../../src/log.js';
import type { SourceConfig } from '../../src/model.js';
import { previewSource, runSource, type PipelineDeps } from '../../src/pipeline/index.js';
import { createMetrics } from '../../src/schedule/metrics.js';
import { openItemStore, type ItemStore } from '../../src/store/index.js';
import {
  challengeAnswer,
  chromiumAvailable,
  startBrowserOrigin,
  type BrowserOrigin,
} from '../helpers/browser-origin.js';

const available = chromiumAvailable();
let origin: BrowserOrigin;
let renderer: Renderer;
let fetcher: Fetcher;
let store: ItemStore;
let root: string;
let deps: PipelineDeps;

function source(id: string, path: string, lines: string): SourceConfig {
  const yaml = `defaults:\n  retries: 0\n  minDelay: 0ms\n  renderTimeout: 20s\nsources:\n  - id: ${id}\n    url: ${origin.server.origin}${path}\n${lines}`;
  return parseConfigText(yaml, 'test.yaml', () => true).config.sources[0]!;
}

describe.runIf(available)('rendering sources in the pipeline', () => {
  beforeAll(async () => {
    origin = await startBrowserOrigin();
    renderer = createRenderer({ maxPages: 2 });
    fetcher = createFetcher({ logger: createSilentLogger() });
    store = await openItemStore('memory://');
    root = await mkdtemp(join(tmpdir(), 'feedwright-browser-'));
    deps = {
      fetcher,
      renderer,
      store,
      outputDir: join(root, 'out'),
      site: { title: 't', timezone: 'Asia/Shanghai' },
      now: () => new Date(),
      logger: createSilentLogger(),
    };
  });
  afterAll(async () => {
    await renderer?.close();
    await fetcher?.close();
    await store?.close();
    await origin?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('render: browser reads a list built by script into the feed', async () => {
    const report = await runSource(
      source('script', '/script-list/', '    render: browser\n    items: ul.list li\n'),
      deps,
    );
    expect(report.error).toBeUndefined();
    expect(report.servedBy).toBe('browser');
    expect(report.found).toBe(5);
    expect(report.newItems).toBe(5);
    expect((await store.getHealth('script'))?.servedBy).toBe('browser');
  });

  it('render: auto fetches first and renders only a script-built shell', async () => {
    const plain = await runSource(source('auto-plain', '/plain-list/', '    render: auto\n'), deps);
    expect(plain.servedBy).toBe('fetch');
    expect(plain.found).toBe(5);
    const rendered = renderer.stats().pagesRendered;
    const shell = await runSource(
      source('auto-shell', '/script-list/', '    render: auto\n    items: ul.list li\n'),
      deps,
    );
    expect(shell.error).toBeUndefined();
    expect(shell.servedBy).toBe('browser');
    expect(shell.found).toBe(5);
    expect(renderer.stats().pagesRendered).toBe(rendered + 1);
  });

  it('render: auto without items: renders a script-built shell whose automatic list is only its menu', async () => {
    const report = await runSource(source('auto-menu', '/menu-shell/', '    render: auto\n'), deps);
    expect(report.error).toBeUndefined();
    expect(report.servedBy).toBe('browser');
    expect(report.found).toBe(5);
    expect(report.chosenSelectors?.items).toBe('ul.news > li');
    expect(report.chosenSelectors?.date).toBe('span.time');
  });

  it('keeps the cookies a challenge earns, fetches plainly with them next time, and renders again when the challenge comes back', async () => {
    const challenged = source('challenged', '/challenge/', '    render: auto\n    items: ul.list li\n');
    const host = new URL(challenged.url).host;

    const first = await runSource(challenged, deps);
    expect(first.error).toBeUndefined();
    expect(first.servedBy).toBe('browser');
    expect(first.found).toBe(5);
    const kept = await store.readHostCookies(host);
    expect(kept?.challenge).toBe('加速乐 (Jiasule)');
    expect(kept?.cookies.find((c) => c.name === '__jsl_clearance_s')?.value).toBe(challengeAnswer('first-seed'));
    expect(Date.parse(kept!.expiresAt)).toBeGreaterThan(Date.now() + 3_000_000);

    const rendered = renderer.stats().pagesRendered;
    const before = origin.server.count('/challenge/');
    const second = await runSource(challenged, deps);
    expect(second.error).toBeUndefined();
    expect(second.servedBy).toBe('fetch+cookies');
    expect(second.found).toBe(5);
    expect(renderer.stats().pagesRendered).toBe(rendered);
    // One plain request, answered with the list because it carried the earned cookie.
    expect(origin.server.count('/challenge/') - before).toBe(1);

    origin.secret.seed = 'second-seed';
    const third = await runSource(challenged, deps);
    expect(third.error).toBeUndefined();
    expect(third.servedBy).toBe('browser');
    expect(renderer.stats().pagesRendered).toBe(rendered + 1);
    const renewed = await store.readHostCookies(host);
    expect(renewed?.cookies.find((c) => c.name === '__jsl_clearance_s')?.value).toBe(challengeAnswer('second-seed'));
  });

  it('shows in /metrics which path served each run and what the browser costs', async () => {
    const metrics = createMetrics({ browser: () => renderer.stats() });
    metrics.observe(
      await runSource(source('metered', '/script-list/', '    render: browser\n    items: ul.list li\n'), deps),
    );
    const text = metrics.renderPrometheus();
    expect(text).toMatch(/^feedwright_source_served_total\{source="metered",path="browser"\} 1$/m);
    expect(text).toMatch(/^feedwright_browser_running 1$/m);
    const memory = Number(/^feedwright_browser_memory_bytes (\d+)$/m.exec(text)?.[1]);
    expect(memory).toBeGreaterThan(20 * 1024 * 1024);
  });

  it('previews what the browser saw, and that the list is built by script', async () => {
    const preview = await previewSource(
      source('peek', '/script-list/', '    items: ul.list li\n'),
      fetcher,
      new Date(),
      {
        render: true,
        renderer,
      },
    );
    expect(preview.servedBy).toBe('browser');
    expect(preview.result.items).toHaveLength(5);
    expect(preview.rendered?.rawRows).toBe(0);
    expect(preview.rendered?.waited).toBe('selector');
  });

  it('render: browser obeys robots.txt for its navigation', async () => {
    const before = origin.server.count('/private/list/');
    const report = await runSource(source('private', '/private/list/', '    render: browser\n'), deps);
    expect(report.outcome).toBe('disallowed');
    expect(report.error?.code).toBe('FETCH_ROBOTS');
    expect(origin.server.count('/private/list/')).toBe(before);
  });

  it('render: browser refuses a server redirect to a path robots.txt disallows, naming both URLs', async () => {
    const before = origin.server.count('/private/list/');
    // A store without the cookies an earlier test earned on this host: the browser, not a plain fetch, goes.
    const fresh = await openItemStore('memory://');
    const report = await runSource(source('redirected', '/redirect-private/', '    render: browser\n'), {
      ...deps,
      store: fresh,
    });
    await fresh.close();
    expect(report.outcome).toBe('disallowed');
    expect(report.error?.code).toBe('FETCH_ROBOTS');
    expect(report.error?.message).toMatch(
      new RegExp(
        `^browser: source "redirected": the server redirected ${origin.server.origin}/redirect-private/ to ${origin.server.origin}/private/list/, which was refused: robots\\.txt disallows`,
      ),
    );
    expect(origin.server.count('/private/list/')).toBe(before);
  });

  it('render: browser spaces the hops of a same-host redirect chain by minDelay', async () => {
    const spaced = parseConfigText(
      `defaults:\n  retries: 0\n  minDelay: 600ms\n  renderTimeout: 20s\nsources:\n  - id: hops\n    url: ${origin.server.origin}/hop/1\n    render: browser\n    items: ul.list li\n`,
      'test.yaml',
      () => true,
    ).config.sources[0]!;
    const from = origin.server.requests.length;
    const fresh = await openItemStore('memory://');
    const report = await runSource(spaced, { ...deps, store: fresh });
    await fresh.close();
    expect(report.error).toBeUndefined();
    expect(report.servedBy).toBe('browser');
    expect(report.found).toBe(5);
    const hops = origin.server.requests
      .slice(from)
      .filter((r) => ['/hop/1', '/hop/2', '/plain-list/'].includes(r.path));
    expect(hops.map((r) => r.path)).toEqual(['/hop/1', '/hop/2', '/plain-list/']);
    // The host's next turn counts from the hop's answer (the first moment the guard can tell its
    // request went out), so each hop reaches the origin at least minDelay after the one before. Both
    // times are this process's Date.now (the origin runs here, and records a hop before answering it):
    // the 30 ms only allow for whole-millisecond clocks and a wall clock being slewed, not for lag
    // (gaps of 293 ms were seen when the spacing counted from the turn's grant). Without the check,
    // Chromium followed the chain within a few milliseconds.
    for (let i = 1; i < hops.length; i += 1) expect(hops[i]!.at - hops[i - 1]!.at).toBeGreaterThanOrEqual(600 - 30);
  });

  it('fails a render: browser source clearly when Chromium is missing', async () => {
    const missing = createRenderer({ executablePath: '/nonexistent/chromium' });
    const report = await runSource(source('no-browser', '/script-list/', '    render: browser\n'), {
      ...deps,
      renderer: missing,
    });
    expect(report.outcome).toBe('failed');
    expect(report.error?.code).toBe('BROWSER_NOT_FOUND');
    expect(report.error?.message).toMatch(/source "no-browser".*\/nonexistent\/chromium is not an executable file/);
    expect(report.error?.hint).toMatch(/apt-get install chromium/);
    await missing.close();
  });
});
