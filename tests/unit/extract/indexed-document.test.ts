/**
 * The indexed `$` of detail pages answers every document-wide query the detail search asks exactly as
 * cheerio does (same elements, same order), on the detail fixtures and on a page built to mix them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { indexDocumentQueries } from '../../../src/extract/html/indexed-document.js';

const QUERIES = [
  'meta[content], meta[value], [itemprop]',
  'script[type="application/ld+json"]',
  'script:not([src])',
  'article time[datetime], main time[datetime]',
  'time[datetime]',
  'h1, [class], [id]',
  'meta[content]',
  'body',
  'h1',
  'title',
  'div.content > p:not(.note), span.date',
  'ul li:nth-of-type(2) a[href$=".html"]',
  '[itemprop]',
  '[itemprop="datePublished"]',
  'article [ITEMPROP]',
  '[datetime], h1',
  '[class~="t"], [href^="/1"]',
  '[constructor], [value]',
  '*[itemprop]',
];

const MIXED = `<html><head><title>t</title><meta name="pubdate" content="2019-08-27"><meta itemprop="x" value="1">
<script type="application/ld+json">{"datePublished":"2019-08-27"}</script><script src="/a.js"></script></head>
<body><main><article><h1 class="t">Title</h1><time datetime="2019-08-27">Aug 27</time><span itemprop="datePublished">2019-08-27</span>
<div class="content"><p>one</p><p class="note">two</p><span class="date">2019-08-27</span></div></article></main>
<ul><li><a href="/1.html">a</a></li><li><a href="/2.html">b</a><time datetime="2019-08-26"></time></li></ul><script>var pubTime = "2019-08-27";</script></body></html>`;

function pages(): Array<[string, string]> {
  const dir = join(import.meta.dirname, '../../fixtures/detail');
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.html'));
  return [['mixed', MIXED], ...files.map((name): [string, string] => [name, readFileSync(join(dir, name), 'utf8')])];
}

describe('indexed document queries', () => {
  it.each(pages())('match cheerio on %s', (_name, html) => {
    const $ = load(html);
    const indexed = indexDocumentQueries($);
    for (const query of QUERIES) expect(indexed(query).toArray(), query).toEqual($(query).toArray());
    // Everything else is cheerio's own.
    expect(indexed.root().toArray()).toEqual($.root().toArray());
    const first = $('body').toArray()[0];
    if (first) expect(indexed(first).text()).toBe($(first).text());
  });
});
