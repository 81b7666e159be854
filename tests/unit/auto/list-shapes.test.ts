/**
 * Automatic list detection on list shapes found on real pages (issue 13), one minimised page per
 * failure kind: lists split over boxes, nested day blocks, alternating row kinds, cards and blog posts
 * with many links, titles inside a link next to a summary, and a portal's box of headlines.
 */
import { describe, expect, it } from 'vitest';
import { extractItems, type ExtractOptions } from '../../../src/extract/index.js';

const OPTIONS: ExtractOptions = {
  sourceId: 'shape',
  type: 'html',
  selectors: {},
  timezone: 'Asia/Shanghai',
  now: new Date('2019-08-28T09:00:00+08:00'),
  replace: [],
  summaryLength: 200,
};

function page(body: string): { body: string; contentType: string; url: string } {
  return {
    body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>${body}</body></html>`,
    contentType: 'text/html',
    url: 'http://www.example.edu.cn/xwzx/',
  };
}

const NAV = `<ul class="nav">${['首页', '机构', '新闻', '信息', '服务', '互动', '专题'].map((t, i) => `<li><a href="/c${i}/">${t}</a></li>`).join('')}</ul>`;

function row(i: number, text = `学院第${i + 1}项重点工作推进情况通报`): string {
  return `<li><a href="/info/1001/${2000 + i}.htm">${text}</a><span class="date">2019-08-${String(27 - (i % 20)).padStart(2, '0')}</span></li>`;
}

function titles(result: ReturnType<typeof extractItems>): string[] {
  return result.items.map((item) => item.title);
}

describe('automatic list detection on real-page shapes', () => {
  it('joins rows split over sub-column boxes of one kind, even a box holding a single row', () => {
    const boxes = [[0, 1, 2], [3], [4, 5, 6, 7, 8], [9]].map(
      (ids) => `<div class="text-list1"><h3>栏目</h3><ul>${ids.map((i) => row(i)).join('')}</ul></div>`,
    );
    const result = extractItems(page(`${NAV}<div class="ny-right">${boxes.join('')}</div>`), OPTIONS);
    expect(titles(result)).toEqual(Array.from({ length: 10 }, (_, i) => `学院第${i + 1}项重点工作推进情况通报`));
  });

  it('joins a day-grouped stream whose day blocks are nested in each other', () => {
    let html = '';
    for (let day = 3; day >= 0; day -= 1) {
      const items = [0, 1, 2].map(
        (n) =>
          `<div class="news-item"><h2><a href="/news/${day * 10 + n}.html">第${day}天的第${n + 1}条人工智能行业快讯标题</a></h2><p>摘要</p></div>`,
      );
      html = `<div class="news-list"><div class="news-date">8月${20 + day}日</div>${items.join('')}${html}</div>`;
    }
    const side = `<div class="side"><ul>${[0, 1, 2, 3, 4].map((i) => `<li><a href="/hot/${i}.html">侧栏热门文章第${i}篇标题比较长</a> 2小时前</li>`).join('')}</ul></div>`;
    const result = extractItems(page(`${NAV}<div class="panel-body">${html}</div>${side}`), OPTIONS);
    expect(result.items).toHaveLength(12);
    expect(result.items[0]?.title).toBe('第0天的第1条人工智能行业快讯标题');
    expect(result.items[11]?.title).toBe('第3天的第3条人工智能行业快讯标题');
  });

  it('keeps headline rows and leaves out the subtext rows of another class between them', () => {
    const stories = Array.from(
      { length: 6 },
      (
        _,
        i,
      ) => `<tr class="athing"><td><a href="https://news.example.org/${i}">Show HN: a small tool number ${i} that does one thing well</a></td></tr>
      <tr><td class="subtext"><a href="user?id=u${i}">someone</a> <a href="item?id=${i}">${i + 2} hours ago</a> | <a href="item?id=${i}">${i + 10} comments</a></td></tr>`,
    );
    const result = extractItems(page(`<table class="itemlist">${stories.join('')}</table>`), {
      ...OPTIONS,
      timezone: 'UTC',
    });
    expect(result.items).toHaveLength(6);
    expect(result.selectors?.items).toMatch(/tr\.athing/);
  });

  it('reads blog posts with many inline links, titled by their heading link, not "Posted on" or "Read more"', () => {
    const posts = Array.from(
      { length: 5 },
      (
        _,
        i,
      ) => `<article><h2 class="entry"><a href="/blog/archives/2019/08/post_${i}.html">Post number ${i} about security</a></h2>
      <p>Text with <a href="https://a.example/${i}">a long inline link that reads like a sentence of its own</a>, <a href="https://b.example/${i}">another</a>,
      <a href="https://c.example/${i}">third</a>, <a href="https://d.example/${i}">fourth</a> and <a href="https://e.example/${i}">fifth</a>.</p>
      <p class="entry-tags">Tags: <a href="/tag/a">a</a>, <a href="/tag/b">b</a></p>
      <p class="posted">Posted on August ${20 + i}, 2019 at 6:09 AM • <a href="/blog/archives/2019/08/post_${i}.html#comments">${i} Comments</a></p></article>`,
    );
    const side = `<div id="sidebar"><ul>${[0, 1, 2, 3, 4, 5, 6].map((i) => `<li><a href="/essays/${i}.html">Essay title number ${i} in the sidebar</a></li>`).join('')}</ul></div>`;
    const result = extractItems(page(`<div id="content">${posts.join('')}</div>${side}`), {
      ...OPTIONS,
      timezone: 'America/New_York',
    });
    expect(titles(result)).toEqual(Array.from({ length: 5 }, (_, i) => `Post number ${i} about security`));
  });

  it('reads cards whose title is linked twice (desktop and mobile) among author, image and comment links', () => {
    const cards = Array.from(
      { length: 6 },
      (_, i) => `<div><div class="articleCard"><a href="/post/${i}"><img src="/i/${i}.png"></a>
      <div class="card_content"><a class="pc" href="/post/${i}"><div class="title">城市漫步指南第${i}篇：感受漫长的季节</div></a>
      <div class="mobile"><a href="/post/${i}"><div class="title">城市漫步指南第${i}篇：感受漫长的季节</div></a></div>
      <div class="bottom"><a href="/u/${i}">作者${i}</a><span class="time">15:0${i}</span><a href="/post/${i}#c">${i}</a><a href="/like/${i}">赞</a><a href="/share/${i}">分享</a></div></div></div></div>`,
    );
    const result = extractItems(page(`${NAV}<div class="articleCard-box">${cards.join('')}</div>`), OPTIONS);
    expect(titles(result)).toEqual(Array.from({ length: 6 }, (_, i) => `城市漫步指南第${i}篇：感受漫长的季节`));
  });

  it('takes the heading inside a link that also holds the date and a summary as the title', () => {
    const rows = Array.from(
      { length: 5 },
      (
        _,
        i,
      ) => `<li><a href="../info/1065/${11150 + i}.htm"><div class="text-ldata"><p>03/1${i}</p><span>2019</span></div>
      <h3>苏州市第一初级中学第${i + 1}次体质健康排名公示</h3><p>为贯彻落实学生体质健康标准，现将测试结果公示如下，请各位家长知悉并监督。</p></a></li>`,
    );
    const result = extractItems(page(`${NAV}<div class="text-list"><ul>${rows.join('')}</ul></div>`), OPTIONS);
    expect(titles(result)).toEqual(
      Array.from({ length: 5 }, (_, i) => `苏州市第一初级中学第${i + 1}次体质健康排名公示`),
    );
  });

  it('does not take a portal box of headlines for one row of a list of boxes', () => {
    const headlines = (box: number): string =>
      Array.from(
        { length: 8 },
        (_, i) => `<li><a href="/f/topics/${box}/${i}">トピックス見出し第${box}箱の第${i}番ニュース記事</a></li>`,
      ).join('');
    const boxes = ['topics', 'info', 'event', 'spot'].map(
      (id, b) => `<div id="${id}"><h2><a href="/${id}/">${id}</a></h2><ul class="emphasis">${headlines(b)}</ul></div>`,
    );
    const result = extractItems(page(`<div id="main">${boxes.join('')}</div>`), { ...OPTIONS, timezone: 'Asia/Tokyo' });
    expect(result.items).toHaveLength(8);
    expect(result.selectors?.items).toMatch(/li$/);
  });
});

describe('list dates come from date evidence only', () => {
  it('never dates a row from its headline and drops dates after tomorrow or before 1990 with a warning', () => {
    const rows = [
      '<li><a href="/a/1.html">回到三十年前的老街看看变化</a></li>',
      '<li><a href="/a/2.html">学校今天迎来十周岁生日庆典</a></li>',
      '<li><a href="/a/3.html">关于2019-08-20停电的通知安排</a><span>2019-08-27</span></li>',
      '<li><a href="/a/4.html">模板默认日期的一条新闻标题</a><span>2035-01-01</span></li>',
      '<li><a href="/a/5.html">年代久远的一条新闻标题内容</a><span>1970-01-01</span></li>',
    ];
    const result = extractItems(page(`<ul class="list">${rows.join('')}</ul>`), {
      ...OPTIONS,
      selectors: { items: 'ul.list > li' },
    });
    expect(result.items.map((item) => item.published?.date.toISOString())).toEqual([
      undefined,
      undefined,
      '2019-08-26T16:00:00.000Z',
      undefined,
      undefined,
    ]);
    expect(result.warnings.filter((w) => w.code === 'date-implausible')).toHaveLength(2);
  });
});

describe('malformed HTML: implied end tags', () => {
  const UNCLOSED =
    '<ul class="list"><li><a href="/a/1.html">第一条新闻标题内容比较长<li><a href="/a/2.html">第二条新闻标题内容比较长</a><span>2024-01-02</span><li><a href="/a/3.html">第三条新闻标题内容比较长</a><span>2024-01-03</span></ul>';

  it('reads unclosed li rows as a browser does, in selector mode', () => {
    const result = extractItems(page(UNCLOSED), {
      ...OPTIONS,
      now: new Date('2024-02-01T00:00:00Z'),
      selectors: { items: 'ul.list li' },
    });
    expect(titles(result)).toEqual([
      '第一条新闻标题内容比较长',
      '第二条新闻标题内容比较长',
      '第三条新闻标题内容比较长',
    ]);
    expect(result.items[1]?.published?.date.toISOString()).toBe('2024-01-01T16:00:00.000Z');
    expect(result.warnings.map((w) => w.code)).toContain('parser-fallback');
  });

  it('reads unclosed li rows as a browser does, in automatic mode', () => {
    const result = extractItems(page(`${NAV}${UNCLOSED}`), { ...OPTIONS, now: new Date('2024-02-01T00:00:00Z') });
    expect(titles(result)).toEqual([
      '第一条新闻标题内容比较长',
      '第二条新闻标题内容比较长',
      '第三条新闻标题内容比较长',
    ]);
  });
});

describe('confidence and the runner-up lists', () => {
  it('warns list-uncertain when two lists are as good, and reports the next candidate with its rows', () => {
    const list = (name: string, n: number): string =>
      `<div class="${name}"><ul>${Array.from({ length: n }, (_, i) => `<li><a href="/${name}/${i}.html">${name}栏目第${i}条足够长的新闻标题</a></li>`).join('')}</ul></div>`;
    const result = extractItems(page(`${list('left', 6)}${list('right', 6)}`), { ...OPTIONS, listAlternatives: true });
    expect(result.selectors?.confidence).toBeLessThan(0.5);
    expect(result.warnings.map((w) => w.code)).toContain('list-uncertain');
    expect(result.selectors?.alternatives?.[0]).toMatchObject({ rows: 6 });
    expect(result.selectors?.alternatives?.[0]?.items).not.toBe(result.selectors?.items);
  });

  it('does not warn on a clear main list', () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(i)).join('');
    const result = extractItems(page(`${NAV}<div class="news-list"><ul>${rows}</ul></div>`), OPTIONS);
    expect(result.selectors?.confidence).toBeGreaterThanOrEqual(0.5);
    expect(result.warnings.map((w) => w.code)).not.toContain('list-uncertain');
  });
});
