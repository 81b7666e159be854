/**
 * index.html for 500 feeds (450 sources, 50 topics, five headlines each, mixed health): render
 * time, page size (raw and gzip), and how long Debian's Chromium takes to load it from 127.0.0.1
 * (navigation start → load event, and first contentful paint), median of several loads in a fresh
 * page each. Target: under one second. Without Chromium only the size and the render time print.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { renderIndexPage, type FeedListing } from '../src/feed/index.js';
import type { SourceHealth } from '../src/model.js';
import { kb, median, ms } from './measure.js';

const CHROMIUM = '/usr/bin/chromium';
const FEEDS = 500;
const TOPICS = 50;
const LOADS = 7;
const T0 = Date.parse('2026-11-30T08:00:00Z');

const listings = buildListings();
const renders: number[] = [];
let html = '';
for (let i = 0; i < 9; i++) {
  const started = performance.now();
  html = renderIndexPage(
    { title: '环境政策追踪 Environmental policy watch', url: 'https://feeds.example.org/', language: 'zh-CN' },
    listings,
    new Date(T0),
    {
      timeZone: 'Asia/Shanghai',
    },
  );
  renders.push(performance.now() - started);
}
const bytes = Buffer.byteLength(html);
process.stdout.write(
  `index.html for ${FEEDS} feeds: ${kb(bytes)} KB (${kb(gzipSync(html).length)} KB gzip), render ${ms(median(renders)).trim()} median of ${renders.length}\n`,
);

if (!existsSync(CHROMIUM)) {
  process.stdout.write(`(${CHROMIUM} missing: browser load time not measured)\n`);
} else {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': bytes });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const loads: number[] = [];
  const paints: number[] = [];
  try {
    for (let i = 0; i < LOADS; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(url, { waitUntil: 'load' });
      // String expressions: the bench project has no DOM typings.
      const timing = (await page.evaluate(
        `(() => { const n = performance.getEntriesByType('navigation')[0]; const p = performance.getEntriesByName('first-contentful-paint')[0];
          return { load: n.loadEventEnd - n.startTime, paint: p ? p.startTime : -1 }; })()`,
      )) as { load: number; paint: number };
      loads.push(timing.load);
      if (timing.paint >= 0) paints.push(timing.paint);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const verdict = median(loads) < 1000 ? 'under' : 'OVER';
  process.stdout.write(
    `chromium load event ${ms(median(loads)).trim()} median (min ${ms(Math.min(...loads)).trim()}, max ${ms(Math.max(...loads)).trim()}, ${LOADS} loads), ` +
      `first contentful paint ${paints.length ? ms(median(paints)).trim() : 'n/a'} — ${verdict} the 1 s target\n`,
  );
}

// --- Internal helpers ---

function buildListings(): FeedListing[] {
  const statuses: Array<SourceHealth['status']> = [
    'ok',
    'ok',
    'ok',
    'not-modified',
    'not-modified',
    'degraded',
    'failing',
    'never-run',
  ];
  return Array.from({ length: FEEDS }, (_, n): FeedListing => {
    const kind = n < FEEDS - TOPICS ? 'source' : 'topic';
    const id = `${kind}-${n}`;
    const status = statuses[n % statuses.length] ?? 'ok';
    const headlines = Array.from({ length: 5 }, (_, k) => ({
      title: `关于印发《第${n}号省生态环境厅2026年大气污染防治重点工作安排》的通知 ${k}`,
      link: `https://sthjt.example.gov.cn/${id}/202611/t2026113${k}_${n}.html`,
      published: new Date(T0 - (k + 1) * 86_400_000),
    }));
    return {
      id,
      kind,
      title: `某省生态环境厅 · 通知公告 ${n}`,
      description: kind === 'source' ? `通知公告_某省生态环境厅门户网站 ${n}` : undefined,
      homePageUrl: `https://sthjt.example.gov.cn/${id}/`,
      updated: new Date(T0 - 86_400_000),
      itemCount: 50,
      checkedAt: new Date(T0 - 600_000),
      headlines,
      ...(kind === 'source'
        ? {
            health: {
              sourceId: id,
              status,
              lastFound: 20,
              lastNew: 0,
              consecutiveFailures: status === 'failing' ? 4 : 0,
              ...(status === 'failing'
                ? {
                    failingSince: new Date(T0 - 2 * 86_400_000).toISOString(),
                    lastError: {
                      code: 'FETCH_TIMEOUT',
                      message: `fetch: source "${id}": no response headers within 20 s`,
                      hint: 'The server is slow to answer; raise `headersTimeout` for this source or try later.',
                    },
                  }
                : {}),
              ...(status === 'degraded'
                ? { degradedReason: 'the page had 20 items before, so its layout has probably changed' }
                : {}),
            },
          }
        : {}),
    };
  });
}
