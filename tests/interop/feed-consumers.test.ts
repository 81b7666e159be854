/**
 * Every generated RSS and Atom file, including a torture feed, loaded by real consumers:
 * python3-feedparser, sfeed and newsboat; plus a strict expat well-formedness check and a
 * JSON Feed 1.1 structure check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  renderFeed,
  selectTopicItems,
  writeFeedFiles,
  JSON_FEED_VERSION,
  type FeedMeta,
} from '../../src/feed/index.js';
import type { StoredItem } from '../../src/model.js';
import {
  findXmlError,
  loadAllWithNewsboat,
  loadWithNewsboat,
  missingTools,
  parseWithFeedparser,
  parseWithSfeed,
  readJson,
  type ConsumedEntry,
} from '../helpers/feed-consumers.js';

const HOME = 'https://www.mee.gov.cn/ywdt/';
const T0 = Date.parse('2024-05-01T08:00:00Z');
const LONG = `长标题${'很长的标题文字 long title words '.repeat(160)}结束`;

/** Input title → what every reader must show. */
const TORTURE: Array<[string, string]> = [
  ['AT&T & Co < 5 > 3', 'AT&T & Co < 5 > 3'],
  ['CDATA end ]]> twice ]]> done', 'CDATA end ]]> twice ]]> done'],
  ['control\u0001\u0002\u0008\u000B\u001F chars\u007F', 'control chars'],
  ['emoji 😀🎉👩‍👩‍👧 flags 🇨🇳', 'emoji 😀🎉👩‍👩‍👧 flags 🇨🇳'],
  ['RTL שלום עולם and مرحبا بالعالم', 'RTL שלום עולם and مرحبا بالعالم'],
  ['生态环境部印发《关于进一步加强重金属污染防控的意见》', '生态环境部印发《关于进一步加强重金属污染防控的意见》'],
  ['繁體：環境保護署公告（第１號）', '繁體：環境保護署公告（第１號）'],
  ['Tags <b>bold</b> &amp; entity', 'Tags <b>bold</b> &amp; entity'],
  ['</title><script>alert(1)</script><![CDATA[ x ]]>', '</title><script>alert(1)</script><![CDATA[ x ]]>'],
  ['C1 next\u0085line\u0080\u009F gone', 'C1 nextline gone'],
  ['quotes "double" and \'single\'', 'quotes "double" and \'single\''],
  ['lone surrogate \uD800 removed', 'lone surrogate removed'],
  ['Cafe\u0301 NFC', 'Café NFC'],
  [LONG, LONG.replace(/\s+/g, ' ').trim()],
];

interface Expected {
  file: string;
  title: string;
  entries: Array<{ title: string; link: string; id: string; published: number; author?: string }>;
}

const dir = mkdtempSync(join(tmpdir(), 'feedwright-interop-'));
const expectations: Expected[] = [];

function item(n: number, title: string, extra: Partial<StoredItem> = {}): StoredItem {
  const at = new Date(T0 - n * 3_600_000);
  return {
    id: `id${n}`,
    sourceId: 'torture',
    title,
    link: `https://www.mee.gov.cn/ywdt/${n}.shtml?a=1&b=2`,
    publishedAt: at,
    updatedAt: at,
    firstSeenAt: at,
    ...extra,
  };
}

async function publish(meta: FeedMeta, items: StoredItem[], expectedEntries: Expected['entries']): Promise<void> {
  await writeFeedFiles(dir, renderFeed(meta, items));
  for (const ext of ['rss.xml', 'atom.xml'])
    expectations.push({ file: join(dir, `${meta.id}.${ext}`), title: meta.title, entries: expectedEntries });
}

beforeAll(async () => {
  const torture = TORTURE.map(([title], i) =>
    item(i, title, i === 1 ? { author: 'Zhang & <Li>' } : i === 2 ? { link: undefined } : {}),
  );
  await publish(
    {
      id: 'torture',
      title: 'Torture & <test> 测试',
      homePageUrl: HOME,
      siteUrl: 'https://feeds.example.org/',
      language: 'zh-CN',
      ttlMinutes: 30,
      maxItems: 50,
      timezone: 'America/New_York',
    },
    torture,
    TORTURE.map(([, shown], i) => ({
      title: shown,
      link: i === 2 ? HOME : `https://www.mee.gov.cn/ywdt/${i}.shtml?a=1&b=2`,
      id: i === 2 ? 'urn:feedwright:torture:id2' : `https://www.mee.gov.cn/ywdt/${i}.shtml?a=1&b=2`,
      published: (T0 - i * 3_600_000) / 1000,
      ...(i === 1 ? { author: 'Zhang & <Li>' } : {}),
    })),
  );
  const news = Array.from({ length: 30 }, (_, i) => item(100 + i, `要闻 ${i} 大气污染防治`, { sourceId: 'mee' }));
  await publish(
    { id: 'mee-news', title: '生态环境部 · 要闻动态', homePageUrl: HOME, maxItems: 20, timezone: 'Asia/Shanghai' },
    news,
    news.slice(0, 20).map((n) => ({
      title: n.title,
      link: n.link ?? '',
      id: n.link ?? '',
      published: n.publishedAt.getTime() / 1000,
    })),
  );
  const topicItems = selectTopicItems(
    {
      id: 'air',
      title: '大气',
      sources: 'all',
      include: ['大气'],
      exclude: ['要闻 1'],
      match: ['title'],
      maxItems: 10,
    },
    new Map([
      ['mee', news],
      ['torture', torture],
    ]),
  );
  await publish(
    { id: 'air', kind: 'topic', title: '大气 · 专题', homePageUrl: 'https://feeds.example.org/', maxItems: 10 },
    topicItems,
    topicItems.map((n) => ({
      title: n.title,
      link: n.link ?? '',
      id: `urn:feedwright:topic:air:${n.id}`,
      published: n.publishedAt.getTime() / 1000,
    })),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function compare(entries: ConsumedEntry[], expected: Expected, fields: Array<keyof ConsumedEntry>): void {
  expect(entries).toHaveLength(expected.entries.length);
  entries.forEach((entry, i) => {
    const want = expected.entries[i];
    for (const field of fields)
      expect(entry[field], `${expected.file} entry ${i} ${field}`).toEqual(want?.[field as keyof typeof want]);
  });
}

function describeConsumer(name: string, tools: Parameters<typeof missingTools>[0], body: () => void): void {
  const missing = missingTools(tools);
  if (missing.length > 0 && process.env.CI) {
    describe(name, () => {
      it('has its tools installed', () => {
        throw new Error(
          `missing ${missing.join(', ')}: .ci/run must apt-get install python3-feedparser sfeed newsboat`,
        );
      });
    });
    return;
  }
  describe.skipIf(missing.length > 0)(
    `${name}${missing.length > 0 ? ` (missing ${missing.join(', ')}; skipped outside CI)` : ''}`,
    body,
  );
}

describeConsumer('expat (strict XML)', ['python'], () => {
  it('finds every document well-formed', async () => {
    for (const { file } of expectations) expect(await findXmlError(file), file).toBeUndefined();
  });
});

describeConsumer('python3-feedparser', ['python'], () => {
  it('parses every feed with bozo 0 and the expected titles, links, ids, dates and authors', async () => {
    expect(expectations).toHaveLength(6);
    for (const expected of expectations) {
      const parsed = await parseWithFeedparser(expected.file);
      expect(parsed.bozo, `${expected.file}: ${parsed.bozoException}`).toBe(false);
      expect(parsed.version).toBe(expected.file.endsWith('.rss.xml') ? 'rss20' : 'atom10');
      expect(parsed.title).toBe(expected.title);
      compare(parsed.entries, expected, ['title', 'link', 'id', 'published']);
      const withAuthor = expected.entries.findIndex((e) => e.author !== undefined);
      if (withAuthor >= 0) expect(parsed.entries[withAuthor]?.author).toBe(expected.entries[withAuthor]?.author);
    }
  });
});

describeConsumer('sfeed', ['sfeed'], () => {
  it('reads every entry with the expected title, link, id and timestamp', async () => {
    for (const expected of expectations)
      compare(await parseWithSfeed(expected.file), expected, ['title', 'link', 'id', 'published']);
  });
});

describeConsumer('newsboat', ['newsboat'], () => {
  it('reloads every file:// feed and stores the expected items in its cache', async () => {
    for (const expected of expectations) {
      const loaded = await loadWithNewsboat(expected.file);
      expect(loaded.feedTitle).toBe(expected.title);
      compare(
        loaded.entries.slice().sort((a, b) => (b.published ?? 0) - (a.published ?? 0)),
        expected,
        ['title', 'link', 'id', 'published'],
      );
    }
  }, 120_000);
});

describeConsumer('newsboat subscribed to a source feed and a topic feed at once', ['newsboat'], () => {
  it('keeps every item of both feeds: topic entries have GUIDs of their own', async () => {
    for (const ext of ['rss.xml', 'atom.xml']) {
      const [source, topic] = await loadAllWithNewsboat([join(dir, `mee-news.${ext}`), join(dir, `air.${ext}`)]);
      expect(source?.entries, ext).toHaveLength(20);
      expect(topic?.entries, ext).toHaveLength(10);
      const sourceLinks = new Set(source?.entries.map((e) => e.link));
      // The topic shares articles with the source feed (same links), yet newsboat shows both copies.
      expect(topic?.entries.filter((e) => sourceLinks.has(e.link)).length, ext).toBeGreaterThan(5);
    }
  }, 120_000);
});

describe('JSON Feed 1.1 documents', () => {
  it('have the 1.1 version, string ids, titles, urls and RFC 3339 date_published on every item', () => {
    for (const id of ['torture', 'mee-news', 'air']) {
      const doc = readJson(join(dir, `${id}.feed.json`)) as {
        version: string;
        title: string;
        items: Array<Record<string, unknown>>;
      };
      const expected = expectations.find((e) => e.file.endsWith(`${id}.rss.xml`));
      expect(doc.version).toBe(JSON_FEED_VERSION);
      expect(doc.title).toBe(expected?.title);
      expect(doc.items.map((i) => i.title)).toEqual(expected?.entries.map((e) => e.title));
      expect(doc.items.map((i) => i.id)).toEqual(expected?.entries.map((e) => e.id));
      for (const entry of doc.items)
        expect(String(entry.date_published)).toMatch(
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
        );
    }
  });
});
