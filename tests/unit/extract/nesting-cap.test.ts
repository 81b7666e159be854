/**
 * The nesting cap (issue 11 item 2): a page of very deeply nested elements is flattened below
 * MAX_NESTING_DEPTH before parsing, with a warning, so parsing and every tree walk of the stage stay
 * linear in the page size (timings are in `npm run bench`, bench/hostile-shapes.bench.ts).
 */
import { load } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { extractDetail, extractItems } from '../../../src/extract/index.js';
import { loadDocument } from '../../../src/extract/html/load-document.js';
import { capNesting, MAX_NESTING_DEPTH, parseWithinDepth } from '../../../src/extract/html/nesting-cap.js';
import { MAX_PAGE_ITEMS } from '../../../src/extract/item-limit.js';
import { createRandom } from '../../helpers/seeded-random.js';
import { parseSourceSelectors } from '../../../src/field-selector/parse-field-selector.js';

const OPTIONS = {
  sourceId: 'deep',
  type: 'html' as const,
  selectors: {},
  timezone: 'Asia/Shanghai',
  now: new Date('2019-08-28T00:00:00Z'),
  replace: [],
  summaryLength: 200,
};
const LIST =
  '<ul><li><a href="/a/1.html">一个足够长的新闻标题第一条</a><span>2019-08-01</span></li><li><a href="/a/2.html">一个足够长的新闻标题第二条</a><span>2019-08-02</span></li><li><a href="/a/3.html">一个足够长的新闻标题第三条</a><span>2019-08-03</span></li></ul>';

/** How deep elements nest under `root`; with `except`, elements of those names are not counted. */
function maxDepth(root: AnyNode, except: ReadonlySet<string> = new Set()): number {
  let deepest = 0;
  const stack: Array<[AnyNode, number]> = [[root, 0]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, depth] = entry;
    deepest = Math.max(deepest, depth);
    if ('children' in node)
      for (const child of node.children)
        if (child.type === 'tag' && !except.has(child.name)) stack.push([child, depth + 1]);
  }
  return deepest;
}

describe('nesting cap', () => {
  it('flattens elements nested below the cap, keeping their text, so the tree depth is bounded', () => {
    const html = `<html><body>${'<div>'.repeat(20_000)}deep text${'</div>'.repeat(20_000)}</body></html>`;
    const capped = capNesting(html);
    expect(capped.dropped).toBeGreaterThan(19_000);
    const $ = loadDocument(capped.html);
    expect(maxDepth($.root().toArray()[0] as AnyNode)).toBeLessThanOrEqual(MAX_NESTING_DEPTH + 1);
    expect($('body').text()).toContain('deep text');
  });

  it('warns in list and detail extraction when it flattened a page', () => {
    const html = `<html><body>${LIST}${'<div>'.repeat(5_000)}x${'</div>'.repeat(5_000)}</body></html>`;
    const result = extractItems({ body: html, contentType: 'text/html', url: 'http://x.example/' }, OPTIONS);
    expect(result.items).toHaveLength(3);
    expect(result.warnings.map((w) => w.code)).toContain('nesting-capped');
    const detail = extractDetail({ body: html, url: 'http://x.example/a' }, { ...OPTIONS, fields: ['date'] });
    expect(detail.warnings.map((w) => w.code)).toContain('nesting-capped');
  });

  it('leaves ordinary pages alone: long flat lists, unclosed li and p, tables, scripts holding tags', () => {
    const unclosed = `<ul>${Array.from({ length: 3_000 }, (_, i) => `<li><a href="/${i}">row ${i}</a> text`).join('')}</ul>`;
    const paragraphs = Array.from({ length: 2_000 }, (_, i) => `<p>paragraph ${i}`).join('');
    const table = `<table>${Array.from({ length: 1_000 }, (_, i) => `<tr><td>${i}<td>cell`).join('')}</table>`;
    const script = `<script>${'<div>'.repeat(2_000)}</script>`;
    const html = `<html><body>${unclosed}${paragraphs}${table}${script}</body></html>`;
    expect(capNesting(html)).toEqual({ html, dropped: 0 });
  });
  it('parses a page within the cap into the tree cheerio builds, and gives up on the first element below it', () => {
    const within = `<html><body>${'<div>'.repeat(MAX_NESTING_DEPTH - 5)}${LIST}${'</div>'.repeat(MAX_NESTING_DEPTH - 5)}</body></html>`;
    const tree = parseWithinDepth(within);
    expect(tree).toBeDefined();
    expect(tree && load(tree).html()).toBe(loadDocument(within).html());
    expect(maxDepth(tree as AnyNode)).toBe(MAX_NESTING_DEPTH);
    expect(parseWithinDepth(within.replace('<body>', '<body><section>'))).toBeUndefined();
  });

  it('gives up on a page exactly when the cap would rewrite it (htmlparser2 and the scan count depth alike)', () => {
    const random = createRandom(7);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const pieces = [
      '<div>',
      '</div>',
      '<li>',
      '</li>',
      '<p>',
      '<td>',
      '<tr>',
      '<table>',
      '<ul>',
      '</ul>',
      '<br>',
      '<img src=x>',
      '<span>',
      '</span>',
      '<a href="/x">',
      '</a>',
      '<dd>',
      '<dt>',
      '<option>',
      '<h2>',
      '</h2>',
      '<script><div></script>',
      '<!-- <div> -->',
      'text',
      '<input>',
      '<select>',
    ];
    let gaveUp = 0;
    for (let round = 0; round < 500; round++) {
      const html = Array.from({ length: 5 + Math.floor(random() * 60) }, () => pick(pieces)).join('');
      const depth = 2 + Math.floor(random() * 6);
      const parsed = parseWithinDepth(html, depth);
      expect(parsed === undefined, html).toBe(capNesting(html, depth).dropped > 0);
      if (parsed === undefined) gaveUp += 1;
      // Void elements (no content) may sit one level below the cap, as the scan keeps them too.
      else expect(maxDepth(parsed, new Set(['br', 'img', 'input']))).toBeLessThanOrEqual(depth);
    }
    // Both outcomes are exercised.
    expect(gaveUp).toBeGreaterThan(50);
    expect(gaveUp).toBeLessThan(450);
  });

  it('finds the same tags as the regular expression it replaced, on random tag soup (comments, stray `<`, odd names)', () => {
    const random = createRandom(14);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const pieces = [
      '<div>',
      '</div>',
      '<DIV class="a/b">',
      '<li>',
      '<p>',
      '<td>',
      '<tr>',
      '<ul>',
      '</ul>',
      '<br/>',
      '<img src=x>',
      '<!-- <div> -->',
      '<!-->',
      '<!--',
      '<',
      '< div>',
      '</ div>',
      '<1>',
      '</>',
      '<a\u3000b>',
      '<a\u00a0x>',
      '<b\tc>',
      '<script><div></script >',
      '<title><p></TITLE>',
      '<!DOCTYPE html>',
      'text',
      '>',
      '<span/ >',
      '<x-y:z>',
      '</X-Y:Z>',
      '\u2028',
      // Names kept as numbers (up to ten ASCII letters and digits) and the rest, which are not.
      '<x1>',
      '</X1>',
      '<abcdefghij>',
      '</ABCDEFGHIJ>',
      '<abcdefghijk>',
      '</abcdefghijK>',
      // KELVIN SIGN lower-cases to an ASCII `k`: `<b\u212a>` is closed by `</bk>`.
      '<b\u212a>',
      '</bk>',
    ];
    for (let round = 0; round < 300; round++) {
      const html = Array.from({ length: 5 + Math.floor(random() * 80) }, () => pick(pieces))
        .join('')
        .replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
        .replace(/\\t/g, '\t');
      const depth = 1 + Math.floor(random() * 4);
      expect(capNesting(html, depth), html).toEqual(capNestingByRegex(html, depth));
    }
  });
});

/** The regular-expression scan capNesting used before its allocation-free scanner (the reference for the test above). */
function capNestingByRegex(html: string, maxDepth: number): { html: string; dropped: number } {
  const tagPattern = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][^\s/>]*)[^>]*>/g;
  const voids = new Set([
    'area',
    'base',
    'br',
    'col',
    'embed',
    'hr',
    'img',
    'input',
    'link',
    'meta',
    'param',
    'source',
    'track',
    'wbr',
    'keygen',
  ]);
  const rawText = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'plaintext', 'iframe', 'noembed']);
  const impliesClose: Record<string, string[]> = {
    tr: ['tr', 'th', 'td'],
    td: ['thead', 'th', 'td'],
    li: ['li'],
    p: ['p'],
    div: ['p'],
    ul: ['p'],
  };
  const stack: string[] = [];
  const droppedOpen = new Map<string, number>();
  const cuts: Array<[number, number]> = [];
  let dropped = 0;
  for (let match = tagPattern.exec(html); match; match = tagPattern.exec(html)) {
    const [text, slash, rawName] = match;
    if (rawName === undefined) continue;
    const name = rawName.toLowerCase();
    const start = match.index;
    const end = start + text.length;
    if (slash) {
      const pending = droppedOpen.get(name) ?? 0;
      if (pending > 0) {
        droppedOpen.set(name, pending - 1);
        cuts.push([start, end]);
        continue;
      }
      const at = stack.lastIndexOf(name);
      if (at >= 0) stack.length = at;
      continue;
    }
    if (voids.has(name)) continue;
    const closes = impliesClose[name] ?? [];
    while (stack.length > 0 && closes.includes(stack[stack.length - 1] as string)) stack.pop();
    if (stack.length >= maxDepth) {
      droppedOpen.set(name, (droppedOpen.get(name) ?? 0) + 1);
      cuts.push([start, end]);
      dropped += 1;
    } else stack.push(name);
    if (rawText.has(name)) {
      const closeTag = new RegExp(`</${name}\\s*>`, 'gi');
      closeTag.lastIndex = end;
      const found = closeTag.exec(html);
      tagPattern.lastIndex = found ? found.index : html.length;
    }
  }
  if (dropped === 0) return { html, dropped: 0 };
  let result = '';
  let from = 0;
  for (const [start, end] of cuts) {
    result += html.slice(from, start);
    from = end;
  }
  return { html: result + html.slice(from), dropped };
}

describe('item cap (list blocks, feed entries)', () => {
  it('reads at most MAX_PAGE_ITEMS blocks of a huge list and says so', () => {
    const rows = Array.from(
      { length: MAX_PAGE_ITEMS + 500 },
      (_, i) => `<li><a href="/a/${i}.html">一个足够长的新闻标题第${i}条</a></li>`,
    ).join('');
    const result = extractItems(
      {
        body: `<html><body><ul class="list">${rows}</ul></body></html>`,
        contentType: 'text/html',
        url: 'http://x.example/',
      },
      { ...OPTIONS, selectors: { items: 'ul.list > li' } },
    );
    expect(result.items).toHaveLength(MAX_PAGE_ITEMS);
    expect(result.warnings.map((w) => w.code)).toContain('items-capped');
  });

  it('reads each capped row its own fields (the rows are queried one by one when they are few of many)', () => {
    const rows = Array.from(
      { length: MAX_PAGE_ITEMS * 3 },
      (_, i) =>
        `<tr><td><a href="/t/${i}.html">表格里的一条足够长的标题${i}</a></td>` +
        `<td><span class="d">2019-08-${String((i % 28) + 1).padStart(2, '0')}</span></td></tr>`,
    ).join('');
    const result = extractItems(
      {
        body: `<html><body><table id="t">${rows}</table></body></html>`,
        contentType: 'text/html',
        url: 'http://x.example/',
      },
      {
        ...OPTIONS,
        selectors: parseSourceSelectors({ items: '#t tr', title: 'td a', link: 'td a@href', date: 'span.d' }),
      },
    );
    expect(result.items).toHaveLength(MAX_PAGE_ITEMS);
    result.items.forEach((item, i) => {
      expect(item.title).toBe(`表格里的一条足够长的标题${i}`);
      expect(item.link).toBe(`http://x.example/t/${i}.html`);
      expect(item.published?.date.getTime()).toBe(
        Date.parse(`2019-08-${String((i % 28) + 1).padStart(2, '0')}T00:00:00+08:00`),
      );
    });
  });

  const feedOf = (count: number, dayOf: (i: number) => number) =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${Array.from(
      { length: count },
      (_, i) =>
        `<item><title>第${i}条</title><link>http://x.example/f/${i}.html</link>` +
        `<pubDate>${new Date(Date.UTC(2019, 0, 1) + dayOf(i) * 3_600_000).toUTCString()}</pubDate></item>`,
    ).join('')}</channel></rss>`;
  const readFeed = (body: string) =>
    extractItems(
      { body, contentType: 'application/rss+xml', url: 'http://x.example/feed' },
      { ...OPTIONS, type: 'feed' },
    );

  it('reads at most MAX_PAGE_ITEMS entries of a feed, its first ones when it lists the newest first', () => {
    const result = readFeed(feedOf(MAX_PAGE_ITEMS + 300, (i) => MAX_PAGE_ITEMS + 300 - i));
    expect(result.items).toHaveLength(MAX_PAGE_ITEMS);
    expect(result.items[0]?.title).toBe('第0条');
    expect(result.warnings.find((w) => w.code === 'items-capped')?.message).toContain('only the 2000 first were read');
  });

  it('keeps the last MAX_PAGE_ITEMS entries of a feed that lists the oldest first', () => {
    const result = readFeed(feedOf(MAX_PAGE_ITEMS + 300, (i) => i));
    expect(result.items).toHaveLength(MAX_PAGE_ITEMS);
    expect(result.items[0]?.title).toBe('第300条');
    expect(result.items.at(-1)?.title).toBe(`第${MAX_PAGE_ITEMS + 299}条`);
    expect(result.warnings.find((w) => w.code === 'items-capped')?.message).toContain('it lists the oldest first');
  });
});
