/**
 * Health through real runs: a local server, the real fetcher and a memory store, with an injected
 * clock. A page that used to yield items and now yields none is degraded (two messages: container
 * missing vs. zero rows); repeated errors make a source failing; `reportFailuresInFeed` adds one
 * notice per day to the source's own feed, which disappears when the source recovers.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import { createFetcher } from '../../../src/fetch/index.js';
import { createSilentLogger } from '../../../src/log.js';
import { renderIndexPage } from '../../../src/feed/index.js';
import type { RunReport, SourceConfig } from '../../../src/model.js';
import { nextHealth, runSource, type PipelineDeps } from '../../../src/pipeline/index.js';
import { openItemStore } from '../../../src/store/index.js';
import { startTestServer, type TestServer } from '../../helpers/http-server.js';

const LIST =
  '<html><body><ul class="list"><li><a href="/a.html">关于开展大气污染防治专项检查的通知</a><span>2026-11-20</span></li><li><a href="/b.html">生态环境部发布十月空气质量状况</a><span>2026-11-19</span></li></ul></body></html>';

let server: TestServer;
let body: string;
let status: number;
let extraHeaders: Record<string, string>;
let dir: string;
let deps: PipelineDeps;
let now: Date;

function source(extra = ''): SourceConfig {
  const yaml = `defaults:\n  retries: 0\n  minDelay: 0ms\n  failAfter: 2\nsources:\n  - id: notices\n    name: 通知公告\n    url: ${server.origin}/list/\n    items: ul.list > li\n${extra}`;
  return parseConfigText(yaml, 'test.yaml').config.sources[0]!;
}

beforeEach(async () => {
  body = LIST;
  status = 200;
  extraHeaders = {};
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/list/': (_req, res) =>
      void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...extraHeaders }).end(body),
  });
  dir = await mkdtemp(join(tmpdir(), 'feedwright-health-'));
  now = new Date('2026-11-28T02:00:00Z');
  deps = {
    fetcher: createFetcher({ logger: createSilentLogger() }),
    store: await openItemStore('memory://'),
    outputDir: dir,
    site: { title: 't', timezone: 'Asia/Shanghai' },
    now: () => now,
    logger: createSilentLogger(),
  };
});

afterEach(async () => {
  await deps.fetcher.close();
  await deps.store.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('source health', () => {
  it('marks a source degraded when its list container disappears, and when it has zero rows', async () => {
    const config = source();
    expect((await runSource(config, deps)).outcome).toBe('updated');
    body = '<html><body><div class="new-layout"><p>改版了</p></div></body></html>';
    const missing = await runSource(config, deps);
    expect(missing.outcome).toBe('degraded');
    expect(missing.error?.code).toBe('EXTRACT_NO_CONTAINER');
    expect(missing.error?.message).toMatch(/source "notices".*layout has probably changed/);
    body = '<html><body><ul class="list"><li>暂无内容</li></ul></body></html>';
    const empty = await runSource(config, deps);
    expect(empty.outcome).toBe('degraded');
    expect(empty.error?.code).toBe('EXTRACT_NO_ITEMS');
    const health = await deps.store.getHealth('notices');
    expect(health).toMatchObject({ status: 'degraded', lastNonEmptyFound: 2 });
    // The feed written while the page worked is still there.
    expect(await readFile(join(dir, 'notices.rss.xml'), 'utf8')).toContain('关于开展大气污染防治专项检查的通知');
  });

  it('reports an anti-bot challenge served instead of a working page as failed, not as a layout change', async () => {
    const config = source();
    expect((await runSource(config, deps)).outcome).toBe('updated');
    body = `<html><head><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};</script><script src="/x/c.js" r="m"></script></head><body></body></html>`;
    const challenged = await runSource(config, deps);
    expect(challenged.outcome).toBe('failed');
    expect(challenged.error?.code).toBe('EXTRACT_CHALLENGE');
    expect(challenged.error?.message).toMatch(/source "notices".*anti-bot JavaScript challenge.*瑞数/);
    expect(await readFile(join(dir, 'notices.rss.xml'), 'utf8')).toContain('关于开展大气污染防治专项检查的通知');
  });

  it('counts consecutive failures, reports failing after failAfter, and recovers', async () => {
    const config = source();
    await runSource(config, deps);
    status = 503;
    await runSource(config, deps);
    expect(await deps.store.getHealth('notices')).toMatchObject({ status: 'ok', consecutiveFailures: 1 });
    await runSource(config, deps);
    const failing = await deps.store.getHealth('notices');
    expect(failing).toMatchObject({
      status: 'failing',
      consecutiveFailures: 2,
      lastError: { code: 'FETCH_HTTP_STATUS' },
    });
    expect(failing?.failingSince).toBe(now.toISOString());
    status = 200;
    body = LIST.replace('</ul>', '<li><a href="/c.html">新通知</a><span>2026-11-27</span></li></ul>');
    await runSource(config, deps);
    const recovered = await deps.store.getHealth('notices');
    expect(recovered).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
    expect(recovered?.failingSince).toBeUndefined();
    expect(recovered?.lastError).toBeUndefined();
  });

  it('adds one "failing since" notice per day to the feed when reportFailuresInFeed is set, and removes it on recovery', async () => {
    const config = source('    reportFailuresInFeed: true\n');
    await runSource(config, deps);
    status = 500;
    await runSource(config, deps);
    await runSource(config, deps); // second failure: failing (failAfter 2) → today's notice
    now = new Date('2026-11-28T05:00:00Z');
    await runSource(config, deps); // same local day: no second notice
    let rss = await readFile(join(dir, 'notices.rss.xml'), 'utf8');
    expect(rss.match(/Source failing since/g)).toHaveLength(1);
    expect(rss).toContain('feedwright-failure:notices:2026-11-28');
    now = new Date('2026-11-29T02:00:00Z');
    await runSource(config, deps); // next day: a second notice with its own GUID
    rss = await readFile(join(dir, 'notices.rss.xml'), 'utf8');
    expect(rss.match(/Source failing since/g)).toHaveLength(2);
    expect(rss).toContain('feedwright-failure:notices:2026-11-29');
    status = 200;
    await runSource(config, deps);
    rss = await readFile(join(dir, 'notices.rss.xml'), 'utf8');
    expect(rss).not.toContain('Source failing since');
    expect(rss).toContain('关于开展大气污染防治专项检查的通知');
  });

  it('honours a long Retry-After across runs: no request until that time, health unchanged', async () => {
    // The fetcher itself holds the host back for at most maxRetryDelay (real time); the store remembers the rest.
    const config = source('    maxRetryDelay: 200ms\n');
    await runSource(config, deps);
    status = 429;
    extraHeaders = { 'retry-after': '3600' };
    const limited = await runSource(config, deps);
    expect(limited.outcome).toBe('failed');
    const seen = server.count('/list/');
    now = new Date(now.getTime() + 30 * 60_000);
    const deferred = await runSource(config, deps);
    expect(deferred.outcome).toBe('deferred');
    expect(deferred.warnings[0]).toMatchObject({
      code: 'retry-after-deferred',
      message: expect.stringMatching(/Retry-After/),
    });
    expect(server.count('/list/')).toBe(seen);
    expect((await deps.store.getHealth('notices'))?.consecutiveFailures).toBe(1);
    status = 200;
    extraHeaders = {};
    now = new Date(now.getTime() + 31 * 60_000);
    expect((await runSource(config, deps)).outcome).not.toBe('deferred');
    expect(server.count('/list/')).toBe(seen + 1);
  });
});

describe('an uncertain automatic list choice in the health', () => {
  const config = { id: 'auto', failAfter: 3 } as SourceConfig;
  const report = (outcome: RunReport['outcome'], listUncertain?: string): RunReport => ({
    sourceId: 'auto',
    outcome,
    found: 12,
    newItems: 0,
    durationMs: 5,
    warnings: listUncertain ? [{ code: 'list-uncertain', message: listUncertain }] : [],
    written: [],
    ...(listUncertain ? { listUncertain } : {}),
  });
  const at = new Date('2026-11-30T00:00:00Z');
  const note = 'automatic list choice is uncertain (confidence 0.31 < 0.5): pin `items:`';

  it('is kept as the source’s attention note, through 304s, until a parse is sure again', () => {
    const unsure = nextHealth(undefined, report('unchanged', note), config, at);
    expect(unsure).toMatchObject({ status: 'ok', attention: note });
    expect(nextHealth(unsure, report('not-modified'), config, at).attention).toBe(note);
    expect(nextHealth(unsure, report('unchanged'), config, at).attention).toBeUndefined();
  });

  it('is shown on the index page for a working source, under its status', () => {
    const html = renderIndexPage(
      { title: 't' },
      [
        {
          id: 'auto',
          kind: 'source',
          title: 'Auto',
          homePageUrl: 'https://auto.example/',
          itemCount: 12,
          health: nextHealth(undefined, report('updated', note), config, at),
        },
      ],
      at,
    );
    expect(html).toContain('注意 <span lang="en">Note</span>: automatic list choice is uncertain');
  });
});

describe('the health after a run that reached the page', () => {
  const config = { id: 'mee', failAfter: 2 } as SourceConfig;
  const failing = {
    sourceId: 'mee',
    status: 'failing',
    lastRunAt: '2026-11-29T00:00:00.000Z',
    lastSuccessAt: '2026-11-27T00:00:00.000Z',
    lastHttpStatus: 503,
    lastFound: 0,
    lastNew: 0,
    lastNonEmptyFound: 25,
    consecutiveFailures: 3,
    failingSince: '2026-11-28T00:00:00.000Z',
    lastError: { code: 'FETCH_HTTP', message: 'HTTP 503' },
    lastDurationMs: 900,
    degradedReason: 'gone',
    attention: 'unsure',
    servedBy: 'browser',
  } as const;
  const at = new Date('2026-11-30T08:00:00Z');
  const report = (outcome: RunReport['outcome'], found: number, extra: Partial<RunReport> = {}): RunReport => ({
    sourceId: 'mee',
    outcome,
    found,
    newItems: 0,
    durationMs: 40,
    warnings: [],
    written: [],
    ...extra,
  });

  it('clears the failure, keeps what a 304 says nothing about, and takes what a parse found', () => {
    const iso = at.toISOString();
    const unchanged = nextHealth(failing, report('not-modified', 0, { httpStatus: 304 }), config, at);
    expect(JSON.parse(JSON.stringify(unchanged))).toEqual({
      sourceId: 'mee',
      status: 'not-modified',
      lastRunAt: iso,
      lastSuccessAt: iso,
      lastHttpStatus: 304,
      lastFound: 0,
      lastNew: 0,
      lastNonEmptyFound: 25,
      consecutiveFailures: 0,
      lastDurationMs: 40,
      attention: 'unsure',
      servedBy: 'browser',
    });
    const parsed = nextHealth(unchanged, report('updated', 30, { servedBy: 'fetch', httpStatus: 200 }), config, at);
    expect(parsed).toMatchObject({ status: 'ok', lastFound: 30, lastNonEmptyFound: 30, servedBy: 'fetch' });
    expect(parsed.attention).toBeUndefined();
    expect(nextHealth(parsed, report('unchanged', 0), config, at)).toMatchObject({
      lastFound: 0,
      lastNonEmptyFound: 30,
      lastHttpStatus: 200,
    });
  });
});
