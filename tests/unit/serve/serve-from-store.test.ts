/**
 * Shared mode: two servers over one store render every document from it, byte-identical for the
 * same versions, re-rendering only when a run changed a feed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import { createSilentLogger } from '../../../src/log.js';
import type { AppConfig } from '../../../src/model.js';
import { createSiteReader, type SiteReader } from '../../../src/pipeline/index.js';
import { commitAndPublish, confirmRun } from '../../../src/pipeline/commit-run.js';
import { renderTopicFeed } from '../../../src/pipeline/publish-site.js';
import { renderSourceFeed } from '../../../src/pipeline/publish-source-feed.js';
import { createFeedServer, createRenderedCache, type FeedServer } from '../../../src/serve/index.js';
import { openItemStore, type ItemStore } from '../../../src/store/index.js';

const YAML = `
site: { title: Watch, url: "https://feeds.example.org/" }
store: memory://
output: /nonexistent-output
sources:
  - id: alpha
    name: Alpha
    url: http://127.0.0.1:9/alpha/
    items: li
  - id: beta
    name: Beta
    url: http://127.0.0.1:9/beta/
    items: li
feeds:
  - id: air
    title: Air
    sources: [alpha, beta]
    include: [air]
`;

let store: ItemStore;
let config: AppConfig;
let servers: FeedServer[] = [];
let renders: string[] = [];
let outputDir = '';

beforeEach(async () => {
  outputDir = await mkdtemp(join(tmpdir(), 'fw-serve-store-'));
  store = await openItemStore('memory://');
  config = parseConfigText(YAML, 'test.yaml').config;
  renders = [];
});
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  await store.close();
  await rm(outputDir, { recursive: true, force: true });
});

async function startServer(): Promise<string> {
  const reader = createSiteReader(() => config, { store, site: config.site });
  const counting: SiteReader = {
    version: (name) => reader.version(name),
    render: (name) => (renders.push(name), reader.render(name)),
  };
  const server = createFeedServer({
    outputDir: '/nonexistent-output',
    documents: createRenderedCache(counting, 1 << 20),
    getHealth: async () => ({ ok: true }) as never,
  });
  servers.push(server);
  return (await server.listen('127.0.0.1', 0)).url;
}

async function runOnce(sourceId: string, titles: string[], at: string): Promise<void> {
  const source = config.sources.find((candidate) => candidate.id === sourceId)!;
  const items = titles.map((title, i) => ({
    title,
    link: `http://127.0.0.1:9/${sourceId}/${encodeURIComponent(title)}-${i}`,
  }));
  // The worker's commit → publish → confirm: renders, writes its (export) files, stores the bumped feed version.
  const deps = {
    store,
    site: config.site,
    outputDir,
    now: () => new Date(at),
    logger: createSilentLogger(),
    fetcher: undefined as never,
  };
  const state = await store.loadSource(sourceId);
  const { confirm } = await commitAndPublish(
    { ...source, timezone: 'UTC', historySize: 50, retainDays: 30 },
    deps,
    state,
    items,
    { fetchedAt: new Date(at), validators: {} },
    {},
  );
  await confirmRun(deps, sourceId, confirm);
}

const NAMES = ['alpha.rss.xml', 'alpha.atom.xml', 'beta.feed.json', 'air.atom.xml', 'feeds.opml', 'index.html'];

describe('serving from the store (shared mode)', () => {
  it('answers every document on two nodes with identical bytes and ETags, and 404 for what the config does not publish', async () => {
    await runOnce('alpha', ['air quality alert', 'water notice'], '2026-11-30T08:00:00Z');
    await runOnce('beta', ['air plan'], '2026-11-30T08:01:00Z');
    const [a, b] = [await startServer(), await startServer()];
    for (const name of NAMES) {
      const [ra, rb] = await Promise.all([fetch(`${a}${name}`), fetch(`${b}${name}`)]);
      expect([name, ra.status, rb.status]).toEqual([name, 200, 200]);
      expect(await ra.text()).toBe(await rb.text());
      expect(ra.headers.get('etag')).toBe(rb.headers.get('etag'));
      expect(ra.headers.get('last-modified')).toBe(rb.headers.get('last-modified'));
    }
    expect(await (await fetch(`${a}air.rss.xml`)).text()).toContain('air plan');
    expect((await fetch(`${a}gamma.rss.xml`)).status).toBe(404);
  });

  it('renders each format of a feed once per version, answers 304 to its ETag, and a run that changes it changes the ETag', async () => {
    await runOnce('alpha', ['first'], '2026-11-30T08:00:00Z');
    const url = await startServer();
    const first = await fetch(`${url}alpha.atom.xml`);
    const etag = first.headers.get('etag')!;
    await fetch(`${url}alpha.atom.xml`);
    expect(renders).toEqual(['alpha.atom.xml']);
    expect((await fetch(`${url}alpha.atom.xml`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    // A run that finds nothing new leaves the version alone: no render.
    await runOnce('alpha', ['first'], '2026-11-30T08:05:00Z');
    expect((await fetch(`${url}alpha.atom.xml`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect(renders).toEqual(['alpha.atom.xml']);
    await runOnce('alpha', ['second', 'first'], '2026-11-30T08:10:00Z');
    const next = await fetch(`${url}alpha.atom.xml`, { headers: { 'if-none-match': etag } });
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('second');
    expect(renders).toEqual(['alpha.atom.xml', 'alpha.atom.xml']);
    // Only the format asked for is rendered; the others render on their first request, once.
    await fetch(`${url}alpha.rss.xml`);
    await fetch(`${url}alpha.rss.xml`);
    expect(renders).toEqual(['alpha.atom.xml', 'alpha.atom.xml', 'alpha.rss.xml']);
  });

  it('serves each format byte for byte as the worker renders all three, whatever order nodes are asked in', async () => {
    await runOnce('alpha', ['air one', 'water two'], '2026-11-30T08:00:00Z');
    await runOnce('beta', ['air three'], '2026-11-30T08:01:00Z');
    const source = config.sources.find((candidate) => candidate.id === 'alpha')!;
    const worker = renderSourceFeed(source, { site: config.site }, await store.readFeedContent('alpha'));
    const [a, b] = [await startServer(), await startServer()];
    const formats = { 'alpha.rss.xml': worker.rss, 'alpha.atom.xml': worker.atom, 'alpha.feed.json': worker.json };
    for (const [name, bytes] of Object.entries(formats)) expect(await (await fetch(`${a}${name}`)).text()).toBe(bytes);
    for (const name of Object.keys(formats).reverse())
      expect(await (await fetch(`${b}${name}`)).text()).toBe(formats[name as keyof typeof formats]);
    // A topic's formats too: node b renders them from contents it cached for the source feeds above.
    const topic = await renderTopicFeed(config.feeds[0]!, config, { store, site: config.site });
    for (const [name, bytes] of [
      ['air.rss.xml', topic.rss],
      ['air.atom.xml', topic.atom],
      ['air.feed.json', topic.json],
    ] as const) {
      const [ra, rb] = await Promise.all([fetch(`${a}${name}`), fetch(`${b}${name}`)]);
      expect([name, await ra.text()]).toEqual([name, bytes]);
      expect([name, await rb.text()]).toEqual([name, bytes]);
    }
  });

  it("keys a feed read between a run's commit and its confirming write apart from the confirmed version", async () => {
    await runOnce('alpha', ['first'], '2026-11-30T08:00:00Z');
    const reader = createSiteReader(() => config, { store, site: config.site });
    const confirmed = await reader.render('alpha.rss.xml');
    // A run commits a new item (the history moves, pendingOutput is set) and is killed before it confirms.
    const source = config.sources.find((candidate) => candidate.id === 'alpha')!;
    await commitAndPublish(
      { ...source, timezone: 'UTC', historySize: 50, retainDays: 30 },
      { store, site: config.site, now: () => new Date(), logger: createSilentLogger(), fetcher: undefined as never },
      await store.loadSource('alpha'),
      [{ title: 'second', link: 'http://127.0.0.1:9/alpha/second' }],
      { fetchedAt: new Date('2026-11-30T08:05:00Z'), validators: {} },
      {},
    );
    const pending = await reader.render('alpha.rss.xml');
    expect(pending?.documents[0]?.body).toContain('second');
    // Same feed version number, other bytes: the key must differ, or nodes that rendered before and
    // after the commit would cache different bytes under one key.
    expect(pending?.version).not.toBe(confirmed?.version);
    expect(await reader.version('alpha.rss.xml')).toBe(pending?.version);
  });

  it('re-renders a topic feed when one of its sources changed, and the index when the health of a source did', async () => {
    await runOnce('alpha', ['air one'], '2026-11-30T08:00:00Z');
    const url = await startServer();
    await fetch(`${url}air.rss.xml`);
    await fetch(`${url}index.html`);
    await fetch(`${url}air.rss.xml`);
    await fetch(`${url}index.html`);
    expect(renders).toEqual(['air.rss.xml', 'index.html']);
    await runOnce('beta', ['air two'], '2026-11-30T08:01:00Z');
    expect(await (await fetch(`${url}air.rss.xml`)).text()).toContain('air two');
    await store.saveSourceState('alpha', {
      health: {
        sourceId: 'alpha',
        status: 'failing',
        consecutiveFailures: 3,
        lastFound: 0,
        lastNew: 0,
        lastRunAt: '2026-11-30T08:02:00Z',
      },
    });
    await fetch(`${url}index.html`);
    expect(renders).toEqual(['air.rss.xml', 'index.html', 'air.rss.xml', 'index.html']);
  });
});
