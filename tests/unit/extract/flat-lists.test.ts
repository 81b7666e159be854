/**
 * Flat lists: the headline is the block and its date a sibling node (row-companions.ts). Each layout
 * is read in automatic mode and with the items selector pinned, and every item keeps its own date.
 */
import { describe, expect, it } from 'vitest';
import { extractItems } from '../../../src/extract/index.js';
import { parseSourceSelectors, type WrittenSelectors } from '../../../src/field-selector/parse-field-selector.js';

const NOW = new Date('2019-09-10T09:00:00+08:00');
const TITLES = [
  '生态环境部印发《关于进一步加强固体废物环境管理的通知》',
  '关于开展2019年度环境影响评价工程师职业资格考试的公告',
  '国务院办公厅关于印发“无废城市”建设试点工作方案的通知',
  '生态环境部召开9月例行新闻发布会',
  '关于征求《排污许可证申请与核发技术规范》意见的函',
];
/** Item i is dated 2019-08-(20 - i). */
const EXPECTED_DATES = TITLES.map((_, i) => new Date(`2019-08-${20 - i}T00:00:00+08:00`).toISOString());

function rows(row: (title: string, i: number) => string): string {
  return TITLES.map(row).join('\n');
}

function page(list: string): string {
  return `<!doctype html><html><head><title>通知公告</title></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/xxgk/">信息公开</a></div>
${list}
<div class="foot"><a href="/about/">关于我们</a> 版权所有 2019</div></body></html>`;
}

function read(body: string, selectors: WrittenSelectors = {}) {
  return extractItems(
    { body, contentType: 'text/html; charset=utf-8', url: 'http://www.mee.gov.cn/xxgk/' },
    {
      sourceId: 'flat',
      type: 'html',
      selectors: parseSourceSelectors(selectors),
      timezone: 'Asia/Shanghai',
      now: NOW,
      replace: [],
      summaryLength: 80,
    },
  );
}

const LAYOUTS: Array<[name: string, list: string, items: string]> = [
  [
    'links and dates on lines ended by <br>',
    `<table><tr><td class="list">${rows((t, i) => `<img src="/dot.gif"> <a href="/a/${i}.html" target="_blank">${t}</a> <font color="#999">(2019-08-${20 - i})</font><br>`)}</td></tr></table>`,
    'td.list > a',
  ],
  [
    'lines that also link a category before the headline and an attachment after it',
    `<table><tr><td class="list">${rows((t, i) => `<a href="/c/${i % 2}/">[${i % 2 ? '通知' : '公告'}]</a> <a href="/a/${i}.html">${t}</a> <a href="/f/${i}.pdf">[附件]</a> 2019-08-${20 - i}<br>`)}</td></tr></table>`,
    'td.list > a',
  ],
  [
    'the date first on each line',
    `<div class="box">${rows((t, i) => `[2019-08-${20 - i}] <a href="/a/${i}.html">${t}</a><br>`)}</div>`,
    'div.box > a',
  ],
  [
    'a definition list pairing <dt> headlines with <dd> dates',
    `<dl class="news">${rows((t, i) => `<dt><a href="/a/${i}.html">${t}</a></dt><dd>发布日期：2019年8月${20 - i}日</dd>`)}</dl>`,
    'dl.news > dt',
  ],
  [
    'title and date <div>s in turn',
    `<div class="content">${rows((t, i) => `<div class="t"><a href="/a/${i}.html">${t}</a></div><div class="d">2019-08-${20 - i}</div>`)}</div>`,
    'div.content > div.t',
  ],
  [
    'the date before each headline, without line breaks',
    `<div class="box">${rows((t, i) => `<span class="d">08-${20 - i}</span><a href="/a/${i}.html">${t}</a>`)}</div>`,
    'div.box > a',
  ],
  [
    'a heading, its dated byline and a summary paragraph',
    `<div class="posts">${rows((t, i) => `<h3><a href="/a/${i}.html">${t}</a></h3><p class="meta">发布时间：2019-08-${20 - i} 来源：本站</p><p>${t}。会议强调，要深入贯彻落实党中央决策部署，扎实推进各项工作。</p>`)}</div>`,
    'div.posts > h3',
  ],
];

describe('flat lists (the date beside the block)', () => {
  for (const [name, list, items] of LAYOUTS) {
    it(`dates every item of ${name}, found automatically and with items pinned`, () => {
      for (const selectors of [{}, { items }]) {
        const result = read(page(list), selectors);
        if (!('items' in selectors)) expect(result.selectors?.items).toBe(items);
        expect(result.items.map((item) => item.title)).toEqual(TITLES);
        expect(result.items.map((item) => item.link)).toEqual(
          TITLES.map((_, i) => `http://www.mee.gov.cn/a/${i}.html`),
        );
        expect(result.items.map((item) => item.published?.date.toISOString())).toEqual(EXPECTED_DATES);
        expect(result.warnings.map((warning) => warning.code)).toEqual([]);
      }
    });
  }

  it('finds a flat list as confidently as one whose rows hold their dates', () => {
    const [, list] = LAYOUTS[0] as (typeof LAYOUTS)[number];
    expect(read(page(list)).selectors?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('takes no date from a long paragraph beside the headline', () => {
    const long = `<div class="posts">${rows((t, i) => `<h3><a href="/a/${i}.html">${t}</a></h3><p>${t}。根据2019年8月${20 - i}日的会议精神，会议强调，要深入贯彻落实党中央决策部署，扎实推进生态环境保护各项工作，确保取得实效。</p>`)}</div>`;
    const result = read(page(long), { items: 'div.posts > h3' });
    expect(result.items.map((item) => item.published)).toEqual(TITLES.map(() => undefined));
  });

  it('leaves a row that holds its own date alone (its sibling rows are not its companions)', () => {
    const list = `<ul class="l">${rows((t, i) => `<li><a href="/a/${i}.html">${t}</a><span>2019-08-${20 - i}</span></li>`)}</ul>`;
    const result = read(page(list), { items: 'ul.l > li' });
    expect(result.items.map((item) => item.published?.date.toISOString())).toEqual(EXPECTED_DATES);
  });

  describe('group headers', () => {
    /** Six items, three under 2019-08-20 and three under 2019-08-19. */
    const GROUPED_DATES = [20, 20, 20, 19, 19, 19].map((day) =>
      new Date(`2019-08-${day}T00:00:00+08:00`).toISOString(),
    );
    const item = (i: number) => `<a href="/a/${i}.html">${TITLES[i % TITLES.length]}（${i}）</a>`;
    const GROUPED: Array<[name: string, list: string, items: string]> = [
      [
        'a day row between the rows of a table',
        `<table class="t">${[20, 19].map((day, g) => `<tr class="day"><td colspan="2">2019年8月${day}日</td></tr>${[0, 1, 2].map((k) => `<tr><td>${item(g * 3 + k)}</td><td>生态环境部</td></tr>`).join('')}`).join('')}</table>`,
        'table.t > tr:has(a[href])',
      ],
      [
        'a day heading before each day’s list',
        `<div class="stream">${[20, 19].map((day, g) => `<h3>2019-08-${day}</h3><ul class="l">${[0, 1, 2].map((k) => `<li>${item(g * 3 + k)}</li>`).join('')}</ul>`).join('')}</div>`,
        'ul.l > li',
      ],
      [
        'a day on a line of its own',
        `<td class="list">${[20, 19].map((day, g) => `<b>2019-08-${day}</b><br>${[0, 1, 2].map((k) => `· ${item(g * 3 + k)}<br>`).join('')}`).join('')}</td>`,
        'td.list > a',
      ],
    ];
    for (const [name, list, items] of GROUPED) {
      it(`dates the rows under ${name}`, () => {
        const body = page(`<table><tr>${list.startsWith('<td') ? list : `<td>${list}</td>`}</tr></table>`);
        const result = read(body, { items });
        expect(result.items.map((item) => item.published?.date.toISOString())).toEqual(GROUPED_DATES);
      });
    }

    it('takes no single date above a list for the date of its rows (an "updated" stamp)', () => {
      const list = `<div class="update">更新时间：2019-08-27</div><ul class="l">${rows((t, i) => `<li><a href="/a/${i}.html">${t}</a></li>`)}</ul>`;
      const result = read(page(list), { items: 'ul.l > li' });
      expect(result.items.map((item) => item.published)).toEqual(TITLES.map(() => undefined));
    });

    it('ignores day headings out of date order', () => {
      const list = `<div class="s">${[20, 25, 19].map((day, g) => `<h3>2019-08-${day}</h3><ul class="l"><li>${item(g)}</li><li>${item(g + 3)}</li></ul>`).join('')}</div>`;
      const result = read(page(list), { items: 'ul.l > li' });
      expect(result.items.every((item) => item.published === undefined)).toBe(true);
    });
  });
});
