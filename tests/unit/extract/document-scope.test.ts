/**
 * DocumentScope: the trees one extraction parses are emptied together when it is done, so that their
 * nodes die young instead of being promoted through cheerio's per-document class (load-document.ts).
 */
import { describe, expect, it } from 'vitest';
import { DocumentScope } from '../../../src/extract/html/load-document.js';
import { extractItems } from '../../../src/extract/index.js';
import { parseSourceSelectors } from '../../../src/field-selector/parse-field-selector.js';

const PAGE =
  '<html><body><ul class="list"><li><a href="/a/1.html">一个足够长的新闻标题第一条</a><span class="date">2019-08-01</span></li>' +
  '<li><a href="/a/2.html">一个足够长的新闻标题第二条</a><span class="date">2019-08-02</span></li></ul></body></html>';

describe('DocumentScope', () => {
  it('empties every tree it parsed, with either parser, on release', () => {
    const documents = new DocumentScope();
    const fast = documents.load(PAGE);
    const browserShaped = documents.load(PAGE, 'parse5');
    expect(fast('li')).toHaveLength(2);
    expect(browserShaped('li')).toHaveLength(2);
    documents.release();
    expect(fast.root()[0]?.children).toEqual([]);
    expect(browserShaped.root()[0]?.children).toEqual([]);
    expect(fast('li')).toHaveLength(0);
    // A second release has nothing left to do.
    expect(() => documents.release()).not.toThrow();
  });

  it('leaves an extraction whole: its items are read before the trees are emptied', () => {
    const result = extractItems(
      { body: PAGE, contentType: 'text/html; charset=utf-8', url: 'https://example.org/list/' },
      {
        sourceId: 'scope',
        type: 'html',
        selectors: parseSourceSelectors({ items: 'ul.list li', title: 'a', link: 'a@href', date: 'span.date' }),
        timezone: 'Asia/Shanghai',
        now: new Date('2019-08-28T00:00:00Z'),
        replace: [],
        summaryLength: 200,
      },
    );
    expect(result.items.map((item) => [item.title, item.link, item.published?.date.toISOString()])).toEqual([
      ['一个足够长的新闻标题第一条', 'https://example.org/a/1.html', '2019-07-31T16:00:00.000Z'],
      ['一个足够长的新闻标题第二条', 'https://example.org/a/2.html', '2019-08-01T16:00:00.000Z'],
    ]);
  });
});
