/**
 * Feed sources that are broken or hostile: wrongly typed JSON Feed fields are refused item by item
 * with a warning (never turned into relative links), and XML the parser refuses (external entities,
 * over-deep nesting) is reported with its reason, not only "Invalid feed format", and a summary of
 * megabytes is cut.
 */
import { describe, expect, it } from 'vitest';
import { extractItems, type ExtractOptions } from '../../../src/extract/index.js';
import { MAX_HTML_SUMMARY_CHARS } from '../../../src/extract/text/summary.js';

const NOW = new Date('2019-08-28T09:00:00+08:00');

function run(body: string, contentType: string) {
  const options: ExtractOptions = {
    sourceId: 'feed',
    type: 'auto',
    selectors: {},
    timezone: 'Asia/Shanghai',
    now: NOW,
    replace: [],
    summaryLength: 30,
  };
  return extractItems({ body, contentType, url: 'https://feeds.example.cn/env/feed.json' }, options);
}

function jsonFeed(items: unknown): string {
  return JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: '环境', items });
}

function caught(action: () => unknown): { code?: string; message?: string; hint?: string } {
  try {
    action();
  } catch (error) {
    return error as { code?: string; message?: string; hint?: string };
  }
  throw new Error('expected an error');
}

describe('hostile feed sources', () => {
  it('drops a JSON Feed item whose url is a number, with a warning, instead of linking to "12345"', () => {
    const result = run(
      jsonFeed([
        { id: 'bad', url: 12345, title: '数字链接' },
        { id: 'ok', url: 'https://www.example.cn/a.html', title: '正常条目' },
        { id: 7, url: 'https://www.example.cn/b.html', title: '数字编号也可以' },
      ]),
      'application/feed+json',
    );
    expect(result.items.map((item) => [item.title, item.link])).toEqual([
      ['正常条目', 'https://www.example.cn/a.html'],
      ['数字编号也可以', 'https://www.example.cn/b.html'],
    ]);
    expect(result.items.some((item) => item.link?.includes('12345'))).toBe(false);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({
        code: 'feed-item-invalid',
        message: 'JSON Feed item 1 dropped: "url" is the number 12345, expected a string',
      }),
    );
  });

  it('drops items with other wrongly typed fields and items that are not objects', () => {
    const result = run(
      jsonFeed([
        { id: 'a', url: 'https://x.cn/1', title: { zh: '对象标题' } },
        'just text',
        { id: 'c', url: 'https://x.cn/3', title: '好', tags: 'tag' },
        { id: 'd', url: 'https://x.cn/4', title: '留下' },
      ]),
      'application/feed+json',
    );
    expect(result.items.map((item) => item.title)).toEqual(['留下']);
    expect(result.warnings.filter((w) => w.code === 'feed-item-invalid').map((w) => w.message)).toEqual([
      'JSON Feed item 1 dropped: "title" is an object, expected a string',
      'JSON Feed item 2 dropped: it is the text "just text", not an object',
      'JSON Feed item 3 dropped: "tags" is not a list of strings',
    ]);
  });

  it('refuses a JSON Feed whose items is an object, naming the field', () => {
    const error = caught(() => run(jsonFeed({}), 'application/feed+json'));
    expect(error.code).toBe('EXTRACT_PARSE');
    expect(error.message).toContain('the JSON Feed\'s "items" is an object, expected a list of items');
  });

  it('says an RSS feed was refused for declaring an external entity (XXE)', () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title><item><title>a</title><link>https://x.cn/a</link></item></channel></rss>';
    const error = caught(() => run(xxe, 'application/rss+xml'));
    expect(error.code).toBe('EXTRACT_PARSE');
    expect(error.message).toContain('declares an external XML entity');
    expect(error.message).toContain('XXE');
    expect(error.message).toContain('External entities are not supported');
  });

  it('refuses an external entity by name when the feed is served as plain XML (found by its root, after the internal subset)', () => {
    const xxe =
      '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<rss version="2.0"><channel><title>&xxe;</title><item><title>a &lol;</title><link>https://x.cn/a</link></item></channel></rss>';
    const error = caught(() => run(xxe, 'application/xml'));
    expect(error.code).toBe('EXTRACT_PARSE');
    expect(error.message).toContain('declares an external XML entity');
  });

  it('says an RSS feed was refused for nesting too deep', () => {
    const deep = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title>${'<x>'.repeat(5_000)}${'</x>'.repeat(5_000)}</item></channel></rss>`;
    const error = caught(() => run(deep, 'application/rss+xml'));
    expect(error.code).toBe('EXTRACT_PARSE');
    expect(error.message).toContain('nests XML elements more than about 100 levels deep');
    expect(error.message).toContain('Maximum nested tags exceeded');
  });

  it('cuts an HTML summary of megabytes to the cap, with its elements closed and a warning', () => {
    const paragraph = '<p>第一段<b>加粗的文字 &amp; 符号</b>，以及一个<a href="/a/1.html">链接</a>。</p>';
    const huge = paragraph.repeat(Math.ceil(2_000_000 / paragraph.length));
    const result = run(
      jsonFeed([{ id: 'big', url: 'https://feeds.example.cn/a/big.html', title: '超长全文', content_html: huge }]),
      'application/feed+json',
    );
    const summary = result.items[0]?.summary ?? '';
    expect(result.items[0]?.summaryIsHtml).toBe(true);
    // Sanitizing makes each relative link absolute, so the cut markup grows a little (here by 38 %).
    expect(summary.length).toBeLessThan(MAX_HTML_SUMMARY_CHARS * 1.5);
    expect(summary.length).toBeGreaterThan(MAX_HTML_SUMMARY_CHARS * 0.9);
    expect(summary).toContain('…');
    // Every element the cut left open is closed; links are absolute.
    expect(summary.match(/<p>/g)?.length).toBe(summary.match(/<\/p>/g)?.length);
    expect(summary.match(/<b>/g)?.length).toBe(summary.match(/<\/b>/g)?.length);
    expect(summary).toContain('href="https://feeds.example.cn/a/1.html"');
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'summary-truncated', message: expect.stringContaining('"超长全文"') }),
    );
  });

  it('keeps an HTML summary under the cap whole, without a warning', () => {
    const article = '<p>全文</p>'.repeat(10_000);
    const result = run(
      jsonFeed([{ id: 'ok', url: 'https://feeds.example.cn/a/ok.html', title: '全文', content_html: article }]),
      'application/feed+json',
    );
    expect(result.items[0]?.summary).toBe(article);
    expect(result.warnings.map((warning) => warning.code)).not.toContain('summary-truncated');
  });

  it('keeps 50 categories and 200-character authors of an entry that carries thousands of tags or a huge name', () => {
    const tags = Array.from({ length: 100_000 }, (_, i) => `标签${i}`);
    const result = run(
      jsonFeed([
        {
          id: 'tags',
          url: 'https://feeds.example.cn/a/tags.html',
          title: '标签很多的条目',
          tags: ['A'.repeat(5_000), ...tags],
          authors: [{ name: '作者'.repeat(50_000) }],
        },
      ]),
      'application/feed+json',
    );
    const item = result.items[0];
    expect(item?.categories).toHaveLength(50);
    expect(item?.categories?.[0]).toHaveLength(200);
    expect(item?.categories?.[1]).toBe('标签0');
    expect([...(item?.author ?? '')]).toHaveLength(200);
    expect(result.warnings.filter((warning) => warning.code === 'field-truncated')).toHaveLength(2);
  });

  it('gives no link to an entry whose link runs to megabytes', () => {
    const result = run(
      jsonFeed([
        { id: 'long', url: `https://feeds.example.cn/a?${'q'.repeat(1_000_000)}`, title: '超长链接' },
        { id: 'ok', url: 'https://feeds.example.cn/a/ok.html', title: '正常链接' },
      ]),
      'application/feed+json',
    );
    expect(result.items.map((item) => item.link)).toEqual([undefined, 'https://feeds.example.cn/a/ok.html']);
  });
});
