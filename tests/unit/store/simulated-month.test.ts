/**
 * A month of daily runs against a local list page that rotates its items: the store and the
 * renderer driven directly with an injected clock, the page fetched over HTTP from 127.0.0.1.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFeed, writeFeedFiles } from '../../../src/feed/index.js';
import type { ExtractedItem, StoredItem } from '../../../src/model.js';
import { openItemStore } from '../../../src/store/index.js';
import { startTestServer, type TestServer } from '../../helpers/http-server.js';

const PAGE_SIZE = 20;
const HISTORY_SIZE = 40;
const RETAIN_DAYS = 7;
const START = Date.parse('2024-04-01T01:00:00Z'); // 09:00 in Shanghai
const DAY = 86_400_000;
/** Weekends publish nothing: the page stays as it was. */
const QUIET_DAYS = new Set([6, 7, 13, 14, 20, 21, 27, 28]);

let day = 0;
let server: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'feedwright-month-'));

/** Item n was published on day n/2; the page shows the newest PAGE_SIZE, plus a pinned item on days 1-4 and 18-22. */
function pageItems(today: number): number[] {
  const newest = 2 * publishingDaysUpTo(today) + 10;
  const rows = Array.from({ length: PAGE_SIZE }, (_, i) => newest - i);
  if ((today >= 1 && today <= 4) || (today >= 18 && today <= 22)) rows.splice(3, 0, 1);
  return rows;
}

function publishingDaysUpTo(today: number): number {
  let count = 0;
  for (let d = 1; d <= today; d += 1) if (!QUIET_DAYS.has(d)) count += 1;
  return count;
}

function renderPage(today: number): string {
  const rows = pageItems(today).map((n) => {
    const title = n === 30 && today >= 16 ? `关于第${n}号通知的更正` : `关于第${n}号通知`;
    const date = n % 3 === 0 ? '' : ` <span>${dayOfItem(n)}</span>`;
    return `<li><a href="/notice/${n}.html?utm_source=list">${title}</a>${date}</li>`;
  });
  return `<!doctype html><meta charset="utf-8"><ul class="list">${rows.join('')}</ul>`;
}

function dayOfItem(n: number): string {
  const date = new Date(START + Math.max(0, Math.floor((n - 10) / 2)) * DAY + 8 * 3600_000);
  return date.toISOString().slice(0, 10);
}

/** The test's own trivial row parser (the real extract stage is not used here). */
function parseRows(html: string, base: string): ExtractedItem[] {
  const rows = [...html.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a>(?: <span>(\d{4}-\d{2}-\d{2})<\/span>)?<\/li>/g)];
  return rows.map(([, href = '', title = '', date]) => {
    const link = new URL(href, base).toString();
    const item: ExtractedItem = { title, link, canonicalLink: link.replace(/\?utm_source=list$/, '') };
    if (date) item.published = { date: new Date(`${date}T00:00:00+08:00`), precision: 'day' };
    return item;
  });
}

beforeAll(async () => {
  server = await startTestServer({
    '/list/': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(renderPage(day));
    },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a simulated month of daily runs', () => {
  it('announces every item once, keeps dates stable and bounds history and store size', async () => {
    const storeFile = join(dir, 'month.sqlite');
    const outDir = join(dir, 'out');
    const store = await openItemStore(`sqlite://${storeFile}`);
    const announced = new Map<string, StoredItem>();
    const titlesSeen = new Set<string>();
    const meta = { id: 'month', title: 'Month', homePageUrl: `${server.url}list/`, maxItems: 30 };

    for (day = 1; day <= 30; day += 1) {
      const now = new Date(START + (day - 1) * DAY);
      const response = await request(`${server.url}list/`);
      const items = parseRows(await response.body.text(), `${server.url}list/`);
      items.forEach((item) => titlesSeen.add(item.canonicalLink ?? ''));
      const result = await store.commitItems('month', items, {
        now,
        timezone: 'Asia/Shanghai',
        historySize: HISTORY_SIZE,
        retainDays: RETAIN_DAYS,
      });

      for (const item of result.newItems) {
        expect(announced.has(item.id), `item ${item.title} announced twice (day ${day})`).toBe(false);
        announced.set(item.id, item);
      }
      for (const item of result.history) {
        expect(item.publishedAt.getTime(), `date of ${item.title} moved on day ${day}`).toBe(
          announced.get(item.id)?.publishedAt.getTime(),
        );
        expect(item.publishedAt.getTime()).toBeLessThanOrEqual(now.getTime());
      }
      expect(result.history.length).toBeLessThanOrEqual(HISTORY_SIZE);
      if (QUIET_DAYS.has(day)) expect(result.newItems, `day ${day} is quiet`).toEqual([]);

      const mtimeBefore = day > 1 ? statSync(join(outDir, 'month.rss.xml')).mtimeMs : 0;
      const written = await writeFeedFiles(outDir, renderFeed(meta, result.history));
      const changed = result.newItems.length > 0 || result.changedItems.length > 0;
      expect(written.length > 0, `day ${day}: files written only when items changed`).toBe(changed || day === 1);
      if (!changed && day > 1) expect(statSync(join(outDir, 'month.rss.xml')).mtimeMs).toBe(mtimeBefore);
      await store.prune(now);
    }

    expect(announced.size).toBe(titlesSeen.size);
    const corrected = [...announced.values()].find((i) => i.title === '关于第30号通知');
    const history = await store.listHistory('month');
    expect(history.find((i) => i.id === corrected?.id)?.title).toBe('关于第30号通知的更正');
    await store.close();

    const db = new Database(storeFile, { readonly: true });
    const rows = (db.prepare('SELECT COUNT(*) AS n FROM keyv').get() as { n: number }).n;
    const seen = (db.prepare('SELECT COUNT(*) AS n FROM seen').get() as { n: number }).n;
    db.close();
    // Seen records left: the items on the page (refreshed by every run) and those that left it
    // within retainDays (two a day); the keyv table holds no item, only the source's own records.
    // Without pruning every announced item would remain.
    expect(announced.size).toBeGreaterThan(HISTORY_SIZE + 4);
    expect(seen).toBeLessThanOrEqual(PAGE_SIZE + 1 + 2 * RETAIN_DAYS);
    expect(seen).toBeLessThan(announced.size);
    expect(rows).toBeLessThanOrEqual(8);
  });
});
