/**
 * The list-switch guard (pipeline/list-switch.ts): a source read in automatic mode whose page turns
 * into another list — a redesign that leaves only a menu or a ranking for detection — has that list's
 * items held back and the source reported degraded, instead of a burst of junk items; the same list
 * in new markup, a list pinned with `items:`, and the page coming back all go on as before.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import { createFetcher } from '../../../src/fetch/index.js';
import { createSilentLogger } from '../../../src/log.js';
import type { SourceConfig } from '../../../src/model.js';
import { runSource, type PipelineDeps } from '../../../src/pipeline/index.js';
import { openItemStore, type ItemStore } from '../../../src/store/index.js';
import { startTestServer, type TestServer } from '../../helpers/http-server.js';

const NOTICES = Array.from({ length: 8 }, (_, i) => [
  `/tzgg/2026/11/${20 - i}/${500 + i}.html`,
  `关于开展2026年第${i + 1}批生态环境执法检查工作的通知`,
  `2026-11-${20 - i}`,
]);
const RANKING = Array.from({ length: 10 }, (_, i) => [
  `/zt/${i + 1}/index.html`,
  `专题专栏第${i + 1}期：生态文明建设宣传教育系列活动回顾`,
]);
const nav = '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li></ul>';
const listPage = (rows = NOTICES, box = 'ul.tzgg') => {
  const [tag, cls] = box.split('.');
  const inner = rows
    .map(([href, title, date]) => `<li><a href="${href}">${title}</a><span>${date}</span></li>`)
    .join('');
  return `<html><body>${nav}<${tag} class="${cls}">${inner}</${tag}></body></html>`;
};
const redesigned = () =>
  `<html><body>${nav}<div id="app"></div><ol class="ranking">${RANKING.map(([href, title]) => `<li><a href="${href}">${title}</a></li>`).join('')}</ol></body></html>`;

let server: TestServer;
let body: string;
let root: string;
let store: ItemStore;
let deps: PipelineDeps;

function sourceFor(extra = ''): SourceConfig {
  const yaml = `defaults:\n  retries: 0\n  minDelay: 0ms\nsources:\n  - id: notices\n    url: ${server.origin}/list/\n${extra}`;
  return parseConfigText(yaml, 'test.yaml').config.sources[0]!;
}

async function feedLinks(): Promise<string[]> {
  const xml = await readFile(join(root, 'out', 'notices.rss.xml'), 'utf8');
  return [...xml.matchAll(/<link>([^<]+)<\/link>/g)].map((match) => match[1]!).slice(1);
}

beforeEach(async () => {
  body = listPage();
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/list/': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body),
  });
  root = await mkdtemp(join(tmpdir(), 'feedwright-list-switch-'));
  store = await openItemStore('memory://');
  deps = {
    fetcher: createFetcher({ logger: createSilentLogger() }),
    store,
    outputDir: join(root, 'out'),
    site: { title: 't', timezone: 'Asia/Shanghai' },
    now: () => new Date('2026-11-28T02:00:00Z'),
    logger: createSilentLogger(),
  };
});

afterEach(async () => {
  await deps.fetcher.close();
  await store.close();
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('a source read in automatic mode whose list changes', () => {
  it('holds back a list of nothing but unseen items that detection found in another box', async () => {
    const source = sourceFor();
    expect((await runSource(source, deps)).newItems).toBe(8);
    const before = await feedLinks();

    body = redesigned();
    const held = await runSource(source, deps);
    expect(held.outcome).toBe('degraded');
    expect(held.newItems).toBe(0);
    expect(held.error?.code).toBe('EXTRACT_LIST_CHANGED');
    expect(held.error?.message).toContain('changed from "ul.tzgg > li" to "ol.ranking > li"');
    expect(held.error?.message).toContain('none of its 10 items was seen before');
    expect(held.error?.hint).toContain('items: ol.ranking > li');
    expect(await feedLinks()).toEqual(before);
    const health = await store.getHealth('notices');
    expect(health?.status).toBe('degraded');

    // Held again on the next run: nothing was confirmed, so the page is read again.
    expect((await runSource(source, deps)).error?.code).toBe('EXTRACT_LIST_CHANGED');

    // The page comes back with two new notices: only those are new.
    body = listPage([
      ['/tzgg/2026/11/22/600.html', '关于公布2026年重点排污单位名录的公告', '2026-11-22'],
      ['/tzgg/2026/11/21/601.html', '关于开展入河排污口排查整治工作的通知', '2026-11-21'],
      ...NOTICES,
    ]);
    const back = await runSource(source, deps);
    expect(back.outcome).toBe('updated');
    expect(back.newItems).toBe(2);
    expect((await store.getHealth('notices'))?.status).toBe('ok');
  });

  it('lets the same list through in new markup (it shares items with the history)', async () => {
    const source = sourceFor();
    await runSource(source, deps);
    body = listPage(
      [['/tzgg/2026/11/21/700.html', '关于印发生态环境监测规划的通知', '2026-11-21'], ...NOTICES],
      'div.news-list',
    );
    const next = await runSource(source, deps);
    expect(next.outcome).toBe('updated');
    expect(next.newItems).toBe(1);
  });

  it('never second-guesses a pinned `items:`', async () => {
    const source = sourceFor('    items: ul.tzgg > li, ol.ranking > li\n');
    await runSource(source, deps);
    body = redesigned();
    const next = await runSource(source, deps);
    expect(next.outcome).toBe('updated');
    expect(next.newItems).toBe(10);
  });
});
