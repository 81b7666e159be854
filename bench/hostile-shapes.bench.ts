/**
 * Pages of hostile or extreme shape through extractItems() in automatic mode (no selectors) and
 * extractDetail(): 100,000 nested `<div>`s (1.2 MB; issue 11 measured 29.5 s of CPU before the
 * nesting cap), and 10 MB pages nested, flat, of unclosed `<li>`s, of one huge table, of a script
 * data island (Hanweb's records, expanded before parsing) and its broken forms, of text, of `<br>`
 * lines with several links each, of a table grouped by day rows, and of deeply nested headlines.
 * Targets: the 1.2 MB nested page ≤ 1 s, any 10 MB page ≤ 2 s. Times are process CPU time, the
 * median of 3 runs. Beside them, the parse alone: the page's tree as extraction builds it
 * (DocumentScope.loadPage: htmlparser2, and the nesting cap where the page goes deeper than 512
 * levels, since htmlparser2 alone is quadratic in depth), nothing else. The targets are absolute: on a
 * slower machine the parse shows how much of a figure no extractor on htmlparser2 could avoid. Sizes are UTF-8 bytes, as the fetcher's `maxSize` (10 MB by default) counts them. Run with `npx tsx bench/hostile-shapes.bench.ts`.
 */
import { extractDetail, extractItems } from '../src/extract/index.js';
import { DocumentScope } from '../src/extract/html/load-document.js';
import { WarningCollector } from '../src/extract/warnings.js';
import { cpuTime, median } from './measure.js';

const MB = 1024 * 1024;
const ROW = (i: number): string =>
  `<li><a href="/a/${i}.html">一个足够长的新闻标题第${i}条消息</a><span>2019-08-01</span></li>`;

function fill(unit: (i: number) => string, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const part = unit(i);
    parts.push(part);
    size += Buffer.byteLength(part);
  }
  return parts.join('');
}

function nested(depth: number, inner = ''): string {
  return `<html><body>${'<div>'.repeat(depth)}${inner}${'</div>'.repeat(depth)}</body></html>`;
}

const SHAPES: Array<{ name: string; target: number; html: () => string }> = [
  {
    name: '100,000 nested divs (1.2 MB)',
    target: 1000,
    html: () => nested(100_000, `<ul>${ROW(1)}${ROW(2)}${ROW(3)}</ul>`),
  },
  { name: '10 MB nested divs', target: 2000, html: () => nested(Math.floor((10 * MB) / 11)) },
  {
    name: '10 MB nested divs with text',
    target: 2000,
    html: () => `<html><body>${fill((i) => `<div>text ${i} `, 10 * MB)}</body></html>`,
  },
  { name: '10 MB flat list', target: 2000, html: () => `<html><body><ul>${fill(ROW, 10 * MB)}</ul></body></html>` },
  {
    name: '10 MB unclosed li',
    target: 2000,
    html: () =>
      `<html><body><ul>${fill((i) => `<li><a href="/a/${i}.html">一个足够长的新闻标题第${i}条</a> 2019-08-01`, 10 * MB)}</ul></body></html>`,
  },
  {
    name: '10 MB one table',
    target: 2000,
    html: () =>
      `<html><body><table>${fill((i) => `<tr><td><a href="/t/${i}">表格里的一条足够长的标题${i}</a></td><td>2019-08-01</td></tr>`, 10 * MB)}</table></body></html>`,
  },
  {
    name: '10 MB of <br> lines, 3 links each',
    target: 2000,
    html: () =>
      `<html><body><table><tr><td>${fill((i) => `[通知] <a href="/a/${i}.html">一个足够长的新闻标题第${i}条消息</a> <a href="/f/${i}.pdf">[附件]</a> (2019-08-01)<br>`, 10 * MB)}</td></tr></table></body></html>`,
  },
  {
    name: '10 MB table grouped by day',
    target: 2000,
    html: () =>
      `<html><body><table>${fill((i) => (i % 5 === 0 ? `<tr><td>2019-08-${String(28 - Math.floor(i / 5000)).padStart(2, '0')}</td></tr>` : `<tr><td><a href="/a/${i}.html">一个足够长的新闻标题第${i}条消息</a></td></tr>`), 10 * MB)}</table></body></html>`,
  },
  {
    name: '10 MB of headlines 200 spans deep',
    target: 2000,
    html: () =>
      `<html><body><ul>${fill((i) => `<li><a href="/a/${i}.html">${'<span>'.repeat(200)}一个足够长的新闻标题第${i}条消息${'</span>'.repeat(200)}<em>NEW</em></a></li>`, 10 * MB)}</ul></body></html>`,
  },
  {
    name: '10 MB data island of records',
    target: 2000,
    html: () =>
      `<html><body><div id="1"><script type="text/xml"><datastore><recordset>${fill((i) => `<record><![CDATA[${ROW(i)}]]></record>`, 10 * MB)}</recordset></datastore></script></div></body></html>`,
  },
  {
    name: '10 MB of <script without >',
    target: 2000,
    html: () => `<html><body><recordset>${'<script <record '.repeat((10 * MB) / 16)}</body></html>`,
  },
  {
    name: '10 MB of unclosed records',
    target: 2000,
    html: () => `<html><body><script>${'<recordset><record>'.repeat((10 * MB) / 19)}</script></body></html>`,
  },
  {
    name: '10 MB of text',
    target: 2000,
    html: () => `<html><body><p>${'Lorem ipsum dolor sit amet. '.repeat((10 * MB) / 28)}</p></body></html>`,
  },
];

const OPTIONS = {
  sourceId: 'bench',
  type: 'html' as const,
  selectors: {},
  timezone: 'Asia/Shanghai',
  now: new Date('2019-08-28T00:00:00Z'),
  replace: [],
  summaryLength: 200,
};

function run(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // A page without a list ends in EXTRACT_NO_CONTAINER; only the time to get there matters here.
  }
}

let failed = 0;
console.log(
  `${'shape'.padEnd(32)} ${'MB'.padStart(5)} ${'parse ms'.padStart(9)} ${'auto ms'.padStart(8)} ${'detail ms'.padStart(10)} ${'target'.padStart(7)}`,
);
for (const shape of SHAPES) {
  const html = shape.html();
  const input = { body: html, contentType: 'text/html', url: 'http://bench.invalid/' };
  const floor = median([0, 1, 2].map(() => cpuTime(() => new DocumentScope().loadPage(html, new WarningCollector()))));
  const auto = median([0, 1, 2].map(() => cpuTime(() => run(() => extractItems(input, OPTIONS)))));
  const detail = median(
    [0, 1, 2].map(() => cpuTime(() => run(() => extractDetail(input, { ...OPTIONS, fields: ['date'] })))),
  );
  const ok = auto <= shape.target && detail <= shape.target;
  if (!ok) failed += 1;
  console.log(
    `${shape.name.padEnd(32)} ${(Buffer.byteLength(html) / MB).toFixed(1).padStart(5)} ${floor.toFixed(0).padStart(9)} ${auto.toFixed(0).padStart(8)} ${detail.toFixed(0).padStart(10)} ${String(shape.target).padStart(7)} ${ok ? '' : 'OVER'}`,
  );
}
process.exitCode = failed > 0 ? 1 : 0;
