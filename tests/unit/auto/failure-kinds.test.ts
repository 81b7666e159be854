/**
 * Failure kinds seen on real list pages (issue 13 corpus), each on a page written for the kind (not a
 * copy of the page where it showed): a month-day date whose year sits in a sibling element, sponsored
 * cards between a stream's stories, and a relative day word inside prose read as today's date; and
 * one found in an audit: a hash-routed site, whose `#/…` links were taken for in-page anchors.
 */
import { describe, expect, it } from 'vitest';
import { extractItems, type ExtractOptions } from '../../../src/extract/index.js';
import { parseSourceSelectors } from '../../../src/field-selector/parse-field-selector.js';

/** Long after the rows were published: a year inferred from "now" would be wrong. */
const NOW = new Date('2026-11-30T12:00:00+08:00');

const OPTIONS: ExtractOptions = {
  sourceId: 'kind',
  type: 'html',
  selectors: {},
  timezone: 'Asia/Shanghai',
  now: NOW,
  replace: [],
  summaryLength: 200,
};

function page(body: string, url = 'https://www.example-school.cn/xwzx/tzgg.htm') {
  return {
    body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title></head><body>${body}</body></html>`,
    contentType: 'text/html',
    url,
  };
}

function day(result: ReturnType<typeof extractItems>): Array<string | undefined> {
  return result.items.map((item) =>
    item.published ? new Date(item.published.date.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) : undefined,
  );
}

const NAV = `<ul class="menu">${['学校概况', '新闻中心', '通知公告', '教育教学', '党建工作', '联系我们'].map((t, i) => `<li><a href="/c${i}.htm">${t}</a></li>`).join('')}</ul>`;

describe('a month-day date whose year is in a sibling element', () => {
  const DATES: Array<[string, string]> = [
    ['11/20', '2024'],
    ['11/02', '2024'],
    ['10/15', '2024'],
    ['09/01', '2024'],
    ['06/28', '2024'],
  ];
  const rows = (yearFirst: boolean) =>
    DATES.map(
      ([md, year], i) =>
        `<li><a href="../info/1065/${9000 - i}.htm" title="通知${i}"><div class="leaf-date"><div>${
          yearFirst
            ? `\n  <span>${year}</span>\n  <p>${md.replace('/', '-')}</p>\n`
            : `\n  <p>${md}</p>\n  <span>${year}</span>\n`
        }</div></div><div class="leaf-info"><h3>关于做好${i + 1}号教学楼安全检查工作的通知</h3><p>各年级、各部门：为进一步加强校园安全管理，现将有关事项通知如下。</p></div></a></li>`,
    );
  const expected = ['2024-11-20', '2024-11-02', '2024-10-15', '2024-09-01', '2024-06-28'];

  it('reads the year next to the month and day in automatic mode instead of inferring it from today', () => {
    const result = extractItems(page(`${NAV}<div class="notice-list"><ul>${rows(false).join('')}</ul></div>`), OPTIONS);
    expect(result.items).toHaveLength(5);
    expect(day(result)).toEqual(expected);
  });

  it('reads it in selector mode without a date selector (the block search joins the year)', () => {
    const result = extractItems(page(`${NAV}<div class="notice-list"><ul>${rows(false).join('')}</ul></div>`), {
      ...OPTIONS,
      selectors: parseSourceSelectors({ items: 'div.notice-list li', title: 'h3' }),
    });
    expect(day(result)).toEqual(expected);
  });

  it('reads a year written before the month and day', () => {
    const result = extractItems(page(`${NAV}<div class="notice-list"><ul>${rows(true).join('')}</ul></div>`), {
      ...OPTIONS,
      selectors: parseSourceSelectors({ items: 'div.notice-list li', title: 'h3' }),
    });
    expect(day(result)).toEqual(expected);
    const detected = extractItems(
      page(`${NAV}<div class="notice-list"><ul>${rows(true).join('')}</ul></div>`),
      OPTIONS,
    );
    expect(day(detected)).toEqual(expected);
  });

  it('still infers the year of a month-day date with no year beside it', () => {
    const plain = DATES.map(
      ([md], i) => `<li><a href="/info/${i}.htm">关于做好${i + 1}号教学楼安全检查工作的通知</a><span>${md}</span></li>`,
    );
    const result = extractItems(page(`${NAV}<div class="notice-list"><ul>${plain.join('')}</ul></div>`), OPTIONS);
    expect(day(result)).toEqual(['2026-11-20', '2026-11-02', '2026-10-15', '2026-09-01', '2026-06-28']);
  });
});

describe('sponsored cards between the stories of a card stream', () => {
  const story = (i: number) =>
    `<li><div class="story-card"><a class="thumb" href="/p/${7100 + i}"><img src="/i/${i}.jpg" alt=""></a><h2 class="story-title"><a href="/p/${7100 + i}">第${i + 1}篇：一个人在城市里慢慢走完一条老街需要多久</a></h2><div class="meta"><a href="/u/${i}">作者${i}</a><time datetime="2026-11-${String(28 - i).padStart(2, '0')}T10:00:00+08:00">11月${28 - i}日</time></div></div></li>`;
  const sponsored = (n: number) =>
    `<li><div class="sponsored-card"><a class="thumb" href="https://ads.example.net/c/${n}"><img src="/ad/${n}.jpg" alt=""></a><h2 class="story-title"><a href="https://ads.example.net/c/${n}">限时优惠：新款降噪耳机第${n}轮预售现已开启</a></h2><div class="meta"><a href="https://ads.example.net/c/${n}">了解更多</a></div></div></li>`;
  const stream = [
    story(0),
    story(1),
    story(2),
    sponsored(1),
    story(3),
    story(4),
    story(5),
    sponsored(2),
    story(6),
    story(7),
  ];
  const html = `${NAV}<main><ul class="stream">${stream.join('')}</ul></main>`;

  it('leaves the sponsored cards out of the list and out of the items selector', () => {
    const result = extractItems(page(html, 'https://www.example-magazine.com/'), OPTIONS);
    expect(result.items.map((item) => item.link)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `https://www.example-magazine.com/p/${7100 + i}`),
    );
    const pinned = extractItems(page(html, 'https://www.example-magazine.com/'), {
      ...OPTIONS,
      selectors: { items: result.selectors?.items ?? '' },
    });
    expect(pinned.items.map((item) => item.link)).toEqual(result.items.map((item) => item.link));
  });

  it('keeps every card when sponsored-looking words are on every card (a site-wide component name)', () => {
    const all = [0, 1, 2, 3, 4].map((i) => story(i).replace('story-card', 'story-card ad-slot-host'));
    const result = extractItems(page(`${NAV}<main><ul class="stream">${all.join('')}</ul></main>`), OPTIONS);
    expect(result.items).toHaveLength(5);
  });
});

describe('a relative day word inside prose', () => {
  const card = (i: number, meta: string, text: string) =>
    `<div class="result-card"><h2 class="result-title"><a href="/question/${500 + i}">第${i + 1}个问题：信息聚合类产品是怎么做推荐的？</a></h2><div class="excerpt">${text}</div>${meta}</div>`;
  const cards = [
    card(0, '<span class="result-time">2019-08-20</span>', '推荐系统的核心是召回和排序。'),
    card(1, '', '常见的新闻聚合平台：今日头条、一点资讯，都依赖用户画像。'),
    card(2, '<span class="result-time">2019-07-02</span>', '昨天的故事不必再提，我们看看现在的做法。'),
    card(3, '', '这个问题还没有回答。'),
  ];

  it('does not date a card from 今日头条 (a news app) or 昨天的 in its text', () => {
    const result = extractItems(page(`${NAV}<div class="results">${cards.join('')}</div>`), OPTIONS);
    expect(result.items).toHaveLength(4);
    expect(day(result)).toEqual(['2019-08-20', undefined, '2019-07-02', undefined]);
  });
});

describe('a day-grouped stream whose day blocks nest in each other', () => {
  it('selects the story rows only, not the nested day blocks that hold every later row', () => {
    let html = '';
    for (let d = 5; d >= 0; d -= 1) {
      const stories = [0, 1, 2, 3].map(
        (n) =>
          `<div class="flash-item"><div class="flash-body"><h2><a href="https://news.example.org/a/${d * 10 + n}">第${d}天第${n + 1}条：开源大模型推理框架发布新版本并公布评测结果</a></h2><p>据官方介绍，<a href="/tag/${n}">相关工具</a>的推理速度提升明显。<span class="src">来源：官网</span></p></div></div>`,
      );
      html = `<div class="flash-list"><div class="flash-day">11月${20 + d}日·周${d + 1}</div>${stories.join('')}${html}</div>`;
    }
    const result = extractItems(
      page(`${NAV}<div class="panel">${html}</div>`, 'https://www.example-ai.cn/daily/'),
      OPTIONS,
    );
    expect(result.items).toHaveLength(24);
    expect(result.warnings.map((w) => w.code)).not.toContain('duplicates-collapsed');
    expect(result.selectors?.items).toBe('div.flash-list > div.flash-item');
  });
});

describe('a hash-routed site (Vue/Angular `#/…` links)', () => {
  const NAV_ROUTES = `<div class="nav"><a href="#/">首页</a><a href="#/about">机构概况</a><a href="#/news">新闻动态</a></div>`;
  const rows = Array.from(
    { length: 8 },
    (_, i) =>
      `<li><a href="#/notice/detail?id=${3100 + i}">关于开展2024年第${i + 1}批排污许可专项检查工作的通知</a><span class="date">2024-11-${String(20 - i).padStart(2, '0')}</span></li>`,
  ).join('');

  it('finds the list of route links in automatic mode, and keeps each route as the item link and identity', () => {
    const result = extractItems(page(`${NAV_ROUTES}<div class="main"><ul class="notice">${rows}</ul></div>`), OPTIONS);
    expect(result.items).toHaveLength(8);
    expect(result.items[0]?.link).toBe('https://www.example-school.cn/xwzx/tzgg.htm#/notice/detail?id=3100');
    expect(new Set(result.items.map((item) => item.canonicalLink)).size).toBe(8);
    expect(day(result)[0]).toBe('2024-11-20');
  });
});
