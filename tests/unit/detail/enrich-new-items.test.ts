/**
 * The detail-page orchestration in isolation: a scripted fetcher and an in-memory store, an injected
 * clock. Covers which items are fetched, the cache, the failure retry policy and the date precedence.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAdHocSource } from '../../../src/config/index.js';
import { FetchError, type Fetcher } from '../../../src/fetch/index.js';
import { createSilentLogger } from '../../../src/log.js';
import type { ExtractedItem, FetchRequest, FetchResult, SourceConfig, Warning } from '../../../src/model.js';
import { enrichNewItems } from '../../../src/pipeline/enrich-new-items.js';
import type { PipelineDeps } from '../../../src/pipeline/deps.js';
import { openItemStore, type ItemStore } from '../../../src/store/index.js';

const ORIGIN = 'http://www.example.gov.cn';
type Answer = string | { code: 'FETCH_HTTP_STATUS' | 'FETCH_CONTENT_TYPE'; status?: number };

/** A fetcher that answers from a table and records every request. */
function createScriptedFetcher(answers: Map<string, Answer>): Fetcher & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async fetch(request: FetchRequest): Promise<FetchResult> {
      calls.push(request.url);
      expect(request.purpose).toBe('detail');
      const answer = answers.get(request.url);
      if (answer === undefined || typeof answer !== 'string') {
        const code = typeof answer === 'object' ? answer.code : 'FETCH_HTTP_STATUS';
        const status = typeof answer === 'object' ? answer.status : 404;
        throw new FetchError(code, `fetch: source "${request.sourceId}": failed ${request.url} (${status ?? code})`, {
          url: request.url,
          status,
        });
      }
      const base = {
        sourceId: request.sourceId,
        requestedUrl: request.url,
        finalUrl: request.url,
        status: 200,
        fetchedAt: new Date(),
        durationMs: 1,
        requests: 1,
        validators: {},
      };
      return {
        ...base,
        kind: 'fetched',
        contentType: 'text/html',
        charset: 'utf-8',
        body: answer,
        bytes: answer.length,
        warnings: [],
      };
    },
    stats: () => ({ requests: calls.length, bytes: 0, retries: 0, notModified: 0, robotsFetches: 0 }),
    close: async () => undefined,
  };
}

function detailPage(pubDate: string, description: string): string {
  return `<html><head><meta name="PubDate" content="${pubDate}"><meta name="description" content="${description}"></head><body><h1>t</h1></body></html>`;
}

function item(n: number, published?: ExtractedItem['published'], summary?: string): ExtractedItem {
  const link = `${ORIGIN}/xw/t2019082${n}_${n}.html`;
  return {
    title: `第${n}条新闻标题`,
    link,
    canonicalLink: link,
    ...(published ? { published } : {}),
    ...(summary ? { summary } : {}),
  };
}

const DAY_27 = { date: new Date('2019-08-27T00:00:00+08:00'), precision: 'day' as const };

let store: ItemStore;
let now: Date;
let source: SourceConfig;

function deps(fetcher: Fetcher): PipelineDeps {
  return {
    fetcher,
    store,
    outputDir: '/nonexistent',
    site: { title: 't' },
    now: () => now,
    logger: createSilentLogger(),
  };
}

beforeEach(async () => {
  store = await openItemStore('memory://');
  now = new Date('2019-08-28T09:00:00+08:00');
  source = {
    ...resolveAdHocSource(`${ORIGIN}/xw/`, { timezone: 'Asia/Shanghai' }),
    id: 'xw',
    detail: { fields: ['date', 'summary'] },
  };
});

afterEach(async () => {
  await store.close();
});

/** enrichNewItems with the source's state loaded as a run loads it. */
async function enrich(
  ...[src, d, items, warnings]: [SourceConfig, PipelineDeps, ExtractedItem[], Warning[]]
): Promise<ExtractedItem[]> {
  return enrichNewItems(src, d, await d.store.loadSource(src.id), items, warnings);
}

describe('enrichNewItems', () => {
  it('passes items through untouched for a source without detail:', async () => {
    const fetcher = createScriptedFetcher(new Map());
    const items = [item(1)];
    expect(await enrich({ ...source, detail: undefined }, deps(fetcher), items, [])).toBe(items);
    expect(fetcher.calls).toEqual([]);
  });

  it('fetches only new items and only those still missing something', async () => {
    const answers = new Map<string, Answer>([
      [item(1).link!, detailPage('2019-08-27 10:21', '第一条新闻的摘要内容，说明了这条新闻的主要事实和背景情况。')],
      [item(2).link!, detailPage('2019-08-26 08:00', '第二条新闻的摘要内容，说明了这条新闻的主要事实和背景情况。')],
    ]);
    const fetcher = createScriptedFetcher(answers);
    const known = item(3, DAY_27);
    await store.commitItems('xw', [known], { now, timezone: 'Asia/Shanghai', historySize: 50, retainDays: 30 });
    const complete = item(4, { date: new Date('2019-08-27T11:00:00+08:00'), precision: 'time' }, '列表页已有摘要');
    const warnings: Warning[] = [];
    const out = await enrich(source, deps(fetcher), [item(1, DAY_27), item(2), known, complete], warnings);
    expect(fetcher.calls).toEqual([item(1).link, item(2).link]);
    expect(out[0]?.published).toEqual({ date: new Date('2019-08-27T10:21:00+08:00'), precision: 'time' });
    expect(out[0]?.summary).toMatch(/^第一条新闻的摘要/);
    expect(out[1]?.published?.date).toEqual(new Date('2019-08-26T08:00:00+08:00'));
    expect(out[2]).toEqual(known);
    expect(out[3]).toEqual(complete);
    expect(warnings).toEqual([]);
  });

  it('fetches no detail page for items whose link names a place inside a page (a hash route, a section)', async () => {
    const fetcher = createScriptedFetcher(
      new Map([
        [item(1).link!, detailPage('2019-08-27 10:21', '第一条新闻的摘要内容，说明了这条新闻的主要事实和背景情况。')],
      ]),
    );
    const route = `${ORIGIN}/portal/#/news/detail?id=12`;
    const section = `${ORIGIN}/changelog.html#v2`;
    const items: ExtractedItem[] = [
      item(1),
      { title: '单页应用里的一条通知', link: route, canonicalLink: route },
      { title: 'Version 2', link: section, canonicalLink: section },
    ];
    const out = await enrich(source, deps(fetcher), items, []);
    expect(fetcher.calls).toEqual([item(1).link]);
    expect(out.slice(1)).toEqual(items.slice(1));
  });

  it('reuses the cached findings instead of fetching again (an item still new after a crashed run)', async () => {
    const fetcher = createScriptedFetcher(
      new Map([
        [item(1).link!, detailPage('2019-08-27 10:21', '第一条新闻的摘要内容，说明了这条新闻的主要事实和背景情况。')],
      ]),
    );
    const first = await enrich(source, deps(fetcher), [item(1, DAY_27)], []);
    const second = await enrich(source, deps(fetcher), [item(1, DAY_27)], []);
    expect(fetcher.calls).toHaveLength(1);
    expect(second).toEqual(first);
  });

  it('keeps a failed item with its list data, warns, and retries it after an hour, at most three attempts in all', async () => {
    const fetcher = createScriptedFetcher(new Map([[item(1).link!, { code: 'FETCH_HTTP_STATUS', status: 503 }]]));
    const warnings: Warning[] = [];
    const listed = item(1, DAY_27);
    expect(await enrich(source, deps(fetcher), [listed], warnings)).toEqual([listed]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.code).toBe('detail-fetch-failed');
    expect(warnings[0]?.message).toMatch(/detail page of "第1条新闻标题" failed .*503.*retried on a later run/);
    // Too soon: no second attempt.
    now = new Date(now.getTime() + 30 * 60_000);
    await enrich(source, deps(fetcher), [listed], []);
    expect(fetcher.calls).toHaveLength(1);
    now = new Date(now.getTime() + 31 * 60_000);
    await enrich(source, deps(fetcher), [listed], []);
    expect(fetcher.calls).toHaveLength(2);
    // The third attempt comes four hours after the second, and is the last.
    now = new Date(now.getTime() + 4 * 3600_000);
    const last: Warning[] = [];
    await enrich(source, deps(fetcher), [listed], last);
    expect(fetcher.calls).toHaveLength(3);
    expect(last[0]?.message).toMatch(/it is not retried/);
    now = new Date(now.getTime() + 48 * 3600_000);
    await enrich(source, deps(fetcher), [listed], []);
    expect(fetcher.calls).toHaveLength(3);
  });

  it('never retries a page that is not HTML', async () => {
    const fetcher = createScriptedFetcher(new Map([[item(1).link!, { code: 'FETCH_CONTENT_TYPE' }]]));
    const warnings: Warning[] = [];
    await enrich(source, deps(fetcher), [item(1)], warnings);
    expect(warnings[0]?.message).toMatch(/it is not retried/);
    now = new Date(now.getTime() + 24 * 3600_000);
    await enrich(source, deps(fetcher), [item(1)], []);
    expect(fetcher.calls).toHaveLength(1);
  });

  it('retries a known item only when it can still gain a summary', async () => {
    const fetcher = createScriptedFetcher(new Map([[item(1).link!, { code: 'FETCH_HTTP_STATUS', status: 500 }]]));
    await enrich(source, deps(fetcher), [item(1, DAY_27)], []);
    await store.commitItems('xw', [item(1, DAY_27)], {
      now,
      timezone: 'Asia/Shanghai',
      historySize: 50,
      retainDays: 30,
    });
    now = new Date(now.getTime() + 2 * 3600_000);
    await enrich({ ...source, detail: { fields: ['date'] } }, deps(fetcher), [item(1, DAY_27)], []);
    expect(fetcher.calls).toHaveLength(1);
    await enrich(source, deps(fetcher), [item(1, DAY_27)], []);
    expect(fetcher.calls).toHaveLength(2);
  });

  it('keeps the list date and warns when the detail page names another day', async () => {
    const fetcher = createScriptedFetcher(
      new Map([
        [item(1).link!, detailPage('2019-08-25 10:00', '第一条新闻的摘要内容，说明了这条新闻的主要事实和背景情况。')],
      ]),
    );
    const warnings: Warning[] = [];
    const [out] = await enrich(source, deps(fetcher), [item(1, DAY_27)], warnings);
    expect(out?.published).toEqual(DAY_27);
    expect(out?.summary).toMatch(/^第一条新闻的摘要/);
    expect(warnings).toEqual([
      { code: 'detail-date-conflict', message: expect.stringMatching(/list page's date is kept/) },
    ]);
  });
});
