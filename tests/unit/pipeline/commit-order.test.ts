/**
 * The crash-safety order (pipeline/commit-run.ts), step by step and deterministically: a run that
 * dies at a given step leaves a state the next run repairs, even when the page has not changed
 * since. The SIGKILL test (tests/e2e/crash-safety.test.ts) covers random moments in a real process.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import { createFetcher } from '../../../src/fetch/index.js';
import { createSilentLogger } from '../../../src/log.js';
import type { SourceConfig } from '../../../src/model.js';
import { runSource, type PipelineDeps } from '../../../src/pipeline/index.js';
import { openItemStore, type ItemStore } from '../../../src/store/index.js';
import { startTestServer, type TestServer } from '../../helpers/http-server.js';

const row = (n: number) =>
  `<li><a href="/n/${n}.html">第${n}号通知：关于开展大气污染防治专项检查</a><span>2026-11-${10 + n}</span></li>`;
const page = (count: number) =>
  `<html><body><ul class="list">${Array.from({ length: count }, (_, i) => row(count - i)).join('')}</ul></body></html>`;

let server: TestServer;
let body: string;
let root: string;
let outputDir: string;
let store: ItemStore;
let deps: PipelineDeps;
let source: SourceConfig;

beforeEach(async () => {
  body = page(2);
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/list/': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body),
  });
  root = await mkdtemp(join(tmpdir(), 'feedwright-commit-order-'));
  outputDir = join(root, 'out');
  store = await openItemStore('memory://');
  deps = {
    fetcher: createFetcher({ logger: createSilentLogger() }),
    store,
    outputDir,
    site: { title: 't', timezone: 'Asia/Shanghai' },
    now: () => new Date('2026-11-28T02:00:00Z'),
    logger: createSilentLogger(),
  };
  const yaml = `defaults:\n  retries: 0\n  minDelay: 0ms\nsources:\n  - id: notices\n    url: ${server.origin}/list/\n    items: ul.list > li\n    date: span\n`;
  source = parseConfigText(yaml, 'test.yaml').config.sources[0]!;
});

afterEach(async () => {
  await deps.fetcher.close();
  await store.close();
  await server.close();
  await rm(root, { recursive: true, force: true });
});

async function feedTitles(): Promise<string[]> {
  const feed = JSON.parse(await readFile(join(outputDir, 'notices.feed.json'), 'utf8')) as {
    items: Array<{ title: string }>;
  };
  return feed.items.map((item) => item.title).sort();
}

/** The same store, dead from the moment `commitRun` has written: every later store call fails, as after a kill. */
function dyingAfterCommit(inner: ItemStore): ItemStore {
  let dead = false;
  const die = () => Promise.reject(new Error('killed'));
  return {
    ...inner,
    loadSource: (id) => (dead ? die() : inner.loadSource(id)),
    commitRun: async (...args) => {
      await inner.commitRun(...args);
      dead = true;
      throw new Error('killed');
    },
    saveSourceState: (id, changes) => (dead ? die() : inner.saveSourceState(id, changes)),
  };
}

describe('crash-safety order of a run', () => {
  it('a run that dies after committing its items is completed by the next run over the unchanged page', async () => {
    expect((await runSource(source, deps)).outcome).toBe('updated');
    body = page(3);
    await runSource(source, { ...deps, store: dyingAfterCommit(store) });
    expect((await store.loadSource('notices')).pendingOutput).toBe(true);
    expect(await feedTitles()).toHaveLength(2);
    const next = await runSource(source, deps);
    expect(next.error).toBeUndefined();
    expect(await feedTitles()).toHaveLength(3);
    expect((await store.loadSource('notices')).pendingOutput).toBe(false);
  });

  it('a run whose feed files cannot be written does not confirm the page, so the next run writes them', async () => {
    expect((await runSource(source, deps)).outcome).toBe('updated');
    body = page(3);
    // The output folder replaced by a file: every feed write of this run fails.
    await rm(outputDir, { recursive: true });
    await writeFile(outputDir, 'not a folder');
    expect((await runSource(source, deps)).outcome).toBe('failed');
    await rm(outputDir);
    // Same page again: were its validators confirmed before the files, this run would be "same-body" and write nothing.
    const next = await runSource(source, deps);
    expect(next.outcome).not.toBe('same-body');
    expect(await feedTitles()).toHaveLength(3);
  });

  it('confirms the validators with the run, so an unchanged page is then answered without re-rendering', async () => {
    expect((await runSource(source, deps)).outcome).toBe('updated');
    const again = await runSource(source, deps);
    expect(again.outcome).toBe('same-body');
    expect(again.written).toEqual([]);
  });

  it('remembers the compressed bytes of an unchanged page, so their next copy is known before it is decompressed', async () => {
    // gzip with a header timestamp, as some servers send it: the same page in new bytes at each change of the stamp.
    const gzipAt = (html: string, mtime: number) => {
      const bytes = gzipSync(Buffer.from(html));
      bytes.writeUInt32LE(mtime, 4);
      return bytes;
    };
    let wire = gzipAt(body, 1);
    server.route(
      '/gz/',
      (_req, res) =>
        void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }).end(wire),
    );
    const gz = { ...source, url: `${server.origin}/gz/` };
    expect((await runSource(gz, deps)).outcome).toBe('updated');
    const first = (await store.loadSource('notices')).validators;
    wire = gzipAt(body, 2);
    expect((await runSource(gz, deps)).outcome).toBe('same-body');
    const second = (await store.loadSource('notices')).validators;
    expect(second?.wireHash).toBeDefined();
    expect(second?.wireHash).not.toBe(first?.wireHash);
    expect(second?.bodyHash).toBe(first?.bodyHash);
    const again = await runSource(gz, deps);
    expect(again).toMatchObject({ outcome: 'same-body', written: [] });
    body = page(3);
    wire = gzipAt(body, 2);
    expect(await runSource(gz, deps)).toMatchObject({ outcome: 'updated', newItems: 1 });
    expect(await feedTitles()).toHaveLength(3);
  });
});
