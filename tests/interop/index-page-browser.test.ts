/**
 * index.html in a real headless browser (Debian's chromium via playwright-core), served with the
 * rest of the output folder from 127.0.0.1: no console errors, every feed link resolves to an
 * existing file, readable without JavaScript and on a phone-sized screen.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  renderFeed,
  renderIndexPage,
  renderOpml,
  writeFeedFiles,
  writeOutputFile,
  type FeedListing,
} from '../../src/feed/index.js';
import type { SiteConfig, StoredItem } from '../../src/model.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  opml: 'text/x-opml; charset=utf-8',
};

const available = existsSync(CHROMIUM);
const dir = mkdtempSync(join(tmpdir(), 'feedwright-index-'));
const site: SiteConfig = {
  title: '环境政策观察 Environmental policy watch',
  description: '政府公告汇总 <notices>',
  language: 'zh-CN',
};
let server: TestServer;
let browser: Browser;

function item(sourceId: string, n: number): StoredItem {
  const at = new Date(Date.parse('2024-05-01T08:00:00Z') - n * 3_600_000);
  return {
    id: `${sourceId}-${n}`,
    sourceId,
    title: `${sourceId} 通知 ${n}`,
    link: `https://example.gov.cn/${sourceId}/${n}.html`,
    publishedAt: at,
    updatedAt: at,
    firstSeenAt: at,
  };
}

async function buildOutput(): Promise<FeedListing[]> {
  const listings: FeedListing[] = [];
  const sources: Array<[string, string, FeedListing['health']]> = [
    [
      'mee-news',
      '生态环境部 · 要闻动态',
      { sourceId: 'mee-news', status: 'ok', lastFound: 20, lastNew: 1, consecutiveFailures: 0 },
    ],
    [
      'gov-notice',
      '国务院公报 & notices',
      { sourceId: 'gov-notice', status: 'not-modified', lastFound: 20, lastNew: 0, consecutiveFailures: 0 },
    ],
    [
      'layout',
      'A page whose layout changed',
      {
        sourceId: 'layout',
        status: 'degraded',
        lastFound: 0,
        lastNew: 0,
        consecutiveFailures: 0,
        degradedReason: 'no items where there were 20',
      },
    ],
    [
      'down',
      '香港環境保護署',
      {
        sourceId: 'down',
        status: 'failing',
        lastFound: 0,
        lastNew: 0,
        consecutiveFailures: 5,
        failingSince: '2024-04-28T00:00:00.000Z',
        lastError: { code: 'FETCH_TIMEOUT', message: 'fetch: source "down": timed out after 30000 ms' },
      },
    ],
    [
      'new',
      'Never run yet',
      { sourceId: 'new', status: 'never-run', lastFound: 0, lastNew: 0, consecutiveFailures: 0 },
    ],
  ];
  for (const [id, title, health] of sources) {
    const feed = renderFeed(
      { id, title, homePageUrl: `https://example.gov.cn/${id}/`, maxItems: 10 },
      Array.from({ length: 12 }, (_, n) => item(id, n)),
    );
    await writeFeedFiles(dir, feed);
    const headlines = Array.from({ length: 5 }, (_, n) => item(id, n)).map((i) => ({
      title: i.title,
      link: i.link,
      published: i.publishedAt,
    }));
    listings.push({
      id,
      kind: 'source',
      title,
      homePageUrl: `https://example.gov.cn/${id}/`,
      itemCount: feed.itemCount,
      updated: feed.updated,
      health,
      headlines,
    });
  }
  const topic = renderFeed({ id: 'air', title: '大气 · Air', homePageUrl: 'https://example.gov.cn/', maxItems: 10 }, [
    item('mee-news', 1),
  ]);
  await writeFeedFiles(dir, topic);
  const airHeadlines = [item('mee-news', 0)].map((i) => ({ title: i.title, link: i.link, published: i.publishedAt }));
  listings.push({
    id: 'air',
    kind: 'topic',
    title: '大气 · Air',
    description: '大气污染防治专题',
    homePageUrl: 'https://example.gov.cn/',
    itemCount: 1,
    updated: topic.updated,
    headlines: airHeadlines,
  });
  await writeOutputFile(dir, 'feeds.opml', renderOpml(site, listings));
  await writeOutputFile(
    dir,
    'index.html',
    renderIndexPage(site, listings, new Date('2024-05-01T08:30:00Z'), { timeZone: 'Asia/Shanghai' }),
  );
  return listings;
}

if (!available && process.env.CI) {
  describe('index.html in chromium', () => {
    it('has chromium installed', () => {
      throw new Error(`${CHROMIUM} is missing: .ci/run must apt-get install chromium`);
    });
  });
}

describe.skipIf(!available)(
  `index.html in chromium${available ? '' : ' (chromium missing; skipped outside CI)'}`,
  () => {
    let listings: FeedListing[] = [];

    beforeAll(async () => {
      listings = await buildOutput();
      server = await startTestServer();
      for (const name of readdirSync(dir)) {
        const type = TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
        server.route(`/${name === 'index.html' ? '' : name}`, (_req, res) => {
          res.writeHead(200, { 'content-type': type });
          res.end(readFileSync(join(dir, name)));
        });
      }
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('loads without console errors and every feed link resolves to an existing file', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`requestfailed: ${request.url()}`));
      const response = await page.goto(server.url, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe(site.title);

      const hrefs = await page
        .locator('a[href]')
        .evaluateAll((links) => links.map((a) => (a as unknown as { href: string }).href));
      const local = hrefs.filter((href) => href.startsWith(server.origin));
      expect(local.filter((h) => h.endsWith('.rss.xml'))).toHaveLength(listings.length);
      expect(local.filter((h) => h.endsWith('.atom.xml'))).toHaveLength(listings.length);
      expect(local.filter((h) => h.endsWith('.feed.json'))).toHaveLength(listings.length);
      expect(local.some((h) => h.endsWith('/feeds.opml'))).toBe(true);
      for (const href of local) {
        const file = decodeURIComponent(new URL(href).pathname.slice(1));
        expect(existsSync(join(dir, file)), `${file} exists`).toBe(true);
        const fetched = await context.request.get(href);
        expect(fetched.status(), href).toBe(200);
        expect(await fetched.text()).toBe(readFileSync(join(dir, file), 'utf8'));
      }
      expect(problems).toEqual([]);
      await context.close();
    });

    it('shows every feed and each source’s health without JavaScript', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(server.url);
      const text = await page.locator('body').innerText();
      for (const listing of listings) expect(text).toContain(listing.title);
      for (const label of [
        '正常更新',
        'Working',
        '网页可能已改版',
        'The page changed',
        '暂停更新',
        'Not updating',
        '尚未检查',
        'Not checked yet',
      ])
        expect(text).toContain(label);
      // The newest headlines of each feed, linked to the articles.
      expect(text).toContain('mee-news 通知 0');
      expect(await page.locator('.headlines a[href="https://example.gov.cn/mee-news/0.html"]').count()).toBe(2);
      expect(text).toContain('2024-04-28 08:00 UTC+08:00');
      expect(text).toContain('政府公告汇总 <notices>');
      expect(await page.locator('.feed').count()).toBe(listings.length);
      await context.close();
    });

    it('fits a phone-sized screen without horizontal scrolling', async () => {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      await page.goto(server.url);
      // A string expression: the test project has no DOM typings.
      const { scrollWidth, clientWidth } = (await page.evaluate(
        '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
      )) as { scrollWidth: number; clientWidth: number };
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      const boxes = await page
        .locator('.feed')
        .evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().width));
      for (const width of boxes) expect(width).toBeLessThanOrEqual(360);
      await context.close();
    });
  },
);
