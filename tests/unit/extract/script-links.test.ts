/**
 * Headline links a script opens (`javascript:window.open('…')`, `onclick`, `data-url`): the page they
 * name becomes the anchor's href before extraction reads the tree.
 */
import { describe, expect, it } from 'vitest';
import { extractItems } from '../../../src/extract/index.js';
import { scriptLinkTarget } from '../../../src/extract/html/script-links.js';
import { plainExtractOptions } from '../../helpers/extract-options.js';
import { parseSourceSelectors } from '../../../src/field-selector/parse-field-selector.js';

const OPTIONS = plainExtractOptions('script-links', new Date('2026-11-30T12:00:00+08:00'));

describe('scriptLinkTarget', () => {
  it.each([
    [
      { href: 'javascript:void(0)', onclick: "window.open('/art/2019/8/27/art_1229_4.html')" },
      '/art/2019/8/27/art_1229_4.html',
    ],
    [{ href: "javascript:window.open('http://www.gov.cn/zhengce/1.htm','_blank')" }, 'http://www.gov.cn/zhengce/1.htm'],
    [{ href: '#', onclick: 'location.href="detail.jsp?id=12";return false;' }, 'detail.jsp?id=12'],
    [{ href: "javascript:openWin('../xxgk/201908/t20190827_1.html')" }, '../xxgk/201908/t20190827_1.html'],
    [{ href: 'javascript:;', 'data-url': '/news/2019/0827/1.shtml' }, '/news/2019/0827/1.shtml'],
    [{ onclick: "window.location.assign('//cdn.example.cn/a/b')" }, '//cdn.example.cn/a/b'],
    [{ href: "javascript:window.open('news?id=3&t=1')" }, 'news?id=3&t=1'],
  ])('%j → %s', (attribs, expected) => {
    expect(scriptLinkTarget(attribs)).toBe(expected);
  });

  it.each([
    [{ href: "javascript:openDetail('123')" }],
    [{ href: 'javascript:void(0)', onclick: "toggle('menu-3')" }],
    [{ href: 'javascript:void(0)', onclick: "alert('not ready')" }],
    [{ href: '#', 'data-url': 'javascript:alert(1)' }],
    [{ href: '#top' }],
    [{ href: 'javascript:void(0)', onclick: "open('x')" }],
  ])('%j names no page', (attribs) => {
    expect(scriptLinkTarget(attribs)).toBeUndefined();
  });
});

describe('extraction of script-opened headlines', () => {
  const rows = Array.from(
    { length: 6 },
    (_, i) =>
      `<li><a href="javascript:void(0)" onclick="window.open('/art/2024/11/${20 - i}/art_1229_${500 + i}.html')">关于印发第${i + 1}批生态环境执法典型案例的通知</a><span>2024-11-${20 - i}</span></li>`,
  ).join('');
  const body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title></head><body>
<div class="nav"><a href="javascript:void(0)">首页</a><a href="javascript:void(0)" onclick="toggle('m1')">机构</a></div>
<ul class="tzgg">${rows}</ul></body></html>`;
  const input = { body, contentType: 'text/html', url: 'https://sthjt.example.gov.cn/col/col1229/index.html' };

  it('links each row to the page its script opens, in automatic mode', () => {
    const result = extractItems(input, OPTIONS);
    expect(result.items).toHaveLength(6);
    expect(result.items[0]?.link).toBe('https://sthjt.example.gov.cn/art/2024/11/20/art_1229_500.html');
    expect(new Set(result.items.map((item) => item.canonicalLink)).size).toBe(6);
  });

  it('reads onClick and JavaScript: as written by older editors', () => {
    const mixed = body
      .replaceAll('onclick=', 'onClick=')
      .replace(
        '<a href="javascript:void(0)" onClick="window.open(\'/art/2024/11/20/art_1229_500.html\')">',
        '<a href="JavaScript:openWin(\'/art/2024/11/20/art_1229_500.html\')">',
      );
    expect(mixed).toContain('JavaScript:openWin');
    const result = extractItems({ ...input, body: mixed }, OPTIONS);
    expect(result.items.map((item) => item.link)).toEqual(
      Array.from(
        { length: 6 },
        (_, i) => `https://sthjt.example.gov.cn/art/2024/11/${20 - i}/art_1229_${500 + i}.html`,
      ),
    );
  });

  it('does the same with configured selectors (a@href reads the recovered page)', () => {
    const result = extractItems(input, {
      ...OPTIONS,
      selectors: { items: 'ul.tzgg li', link: [{ raw: 'a@href', css: 'a', attr: 'href' }] },
    });
    expect(result.items.map((item) => item.link)).toEqual(
      Array.from(
        { length: 6 },
        (_, i) => `https://sthjt.example.gov.cn/art/2024/11/${20 - i}/art_1229_${500 + i}.html`,
      ),
    );
  });
});

describe('clickable rows read with `link: "@onclick"`', () => {
  const rows = [
    `<tr onclick="window.open('/art/2024/11/20/art_1229_600.html')"><td class="t">关于公布2024年第一批重点排污单位名录的通知</td><td>2024-11-20</td></tr>`,
    `<tr onclick="location.href='detail.jsp?id=601'"><td class="t">关于开展第二轮生态环境保护督察的公告</td><td>2024-11-19</td></tr>`,
    `<tr onclick="toggle('row-3')"><td class="t">没有链接的一行公告的标题文字</td><td>2024-11-18</td></tr>`,
  ].join('');
  const input = {
    body: `<html><head><meta charset="utf-8"><title>公告</title></head><body><table class="list">${rows}</table></body></html>`,
    contentType: 'text/html',
    url: 'https://sthjt.example.gov.cn/col/col1229/index.html',
  };

  it('links each row to the page its script opens, and a row whose script names none to nothing', () => {
    const result = extractItems(input, {
      ...OPTIONS,
      selectors: parseSourceSelectors({ items: 'table.list tr', title: 'td.t', link: '@onclick' }),
    });
    expect(result.items.map((item) => [item.title.slice(0, 6), item.link])).toEqual([
      ['关于公布20', 'https://sthjt.example.gov.cn/art/2024/11/20/art_1229_600.html'],
      ['关于开展第二', 'https://sthjt.example.gov.cn/col/col1229/detail.jsp?id=601'],
      ['没有链接的一', undefined],
    ]);
    expect(result.warnings.map((w) => w.code)).not.toContain('link-unusable');
  });
});

describe('clickable rows in automatic mode', () => {
  const row = (i: number, own?: string) => {
    const title = `关于第${i + 1}批建设项目环境影响评价文件审批决定的公告`;
    const headline = own ? `<a href="${own}">${title}</a>` : title;
    return `<tr onclick="window.open('xxgk_detail.jsp?id=${700 + i}')" style="cursor:pointer"><td>${i + 1}</td><td class="t">${headline}</td><td>生态环境局</td><td>2024-11-${20 - i}</td></tr>`;
  };
  const page = (rows: string) => `<html><head><meta charset="utf-8"><title>信息公开目录</title></head><body>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/xxgk/">信息公开</a></li><li><a href="/bsfw/">办事服务</a></li></ul>
<table class="xxgk"><tr><th>序号</th><th>标题</th><th>发布机构</th><th>日期</th></tr>${rows}</table>
<div class="foot"><button onclick="location.href='/search.html'">站内搜索</button></div></body></html>`;
  const body = page(Array.from({ length: 6 }, (_, i) => row(i)).join(''));
  const input = { body, contentType: 'text/html', url: 'https://sthjj.example.gov.cn/xxgk/index.jsp' };

  it('finds the rows, each headline linked to the page the row opens, with its date', () => {
    const result = extractItems(input, OPTIONS);
    expect(result.items).toHaveLength(6);
    expect(result.items[0]).toMatchObject({
      title: '关于第1批建设项目环境影响评价文件审批决定的公告',
      link: 'https://sthjj.example.gov.cn/xxgk/xxgk_detail.jsp?id=700',
    });
    expect(result.items.every((item) => item.published !== undefined)).toBe(true);
  });

  it('leaves a row that holds a link of its own to that link', () => {
    const rows = Array.from({ length: 6 }, (_, i) => row(i, i === 0 ? '/xxgk/own-700.html' : undefined)).join('');
    const result = extractItems({ ...input, body: page(rows) }, OPTIONS);
    expect(result.items[0]?.link).toBe('https://sthjj.example.gov.cn/xxgk/own-700.html');
    expect(result.items[1]?.link).toBe('https://sthjj.example.gov.cn/xxgk/xxgk_detail.jsp?id=701');
  });

  it('keeps the cells as they were: configured selectors for the cells still match', () => {
    const result = extractItems(input, {
      ...OPTIONS,
      selectors: parseSourceSelectors({ items: 'table.xxgk tr:has(td)', title: 'td.t', date: 'td:nth-child(4)' }),
    });
    expect(result.items.map((item) => item.link)).toEqual(
      Array.from({ length: 6 }, (_, i) => `https://sthjj.example.gov.cn/xxgk/xxgk_detail.jsp?id=${700 + i}`),
    );
    expect(result.items[5]?.published?.date.toISOString()).toBe('2024-11-14T16:00:00.000Z');
  });
});

describe('a clickable row whose own text sits beside its date', () => {
  it('links only the words, so the date stays the row date and out of the title', () => {
    const rows = Array.from(
      { length: 5 },
      (_, i) =>
        `<li onclick="location.href='/tzgg/${900 + i}.html'">关于第${i + 1}批排污许可证核发情况的公告<span class="date">2024-11-${20 - i}</span></li>`,
    ).join('');
    const body = `<html><body><ul class="nav"><li><a href="/">首页</a></li></ul><ul class="tzgg">${rows}</ul></body></html>`;
    const result = extractItems({ body, contentType: 'text/html', url: 'https://sthjj.example.gov.cn/tzgg/' }, OPTIONS);
    expect(result.items).toHaveLength(5);
    expect(result.items[0]).toMatchObject({
      title: '关于第1批排污许可证核发情况的公告',
      link: 'https://sthjj.example.gov.cn/tzgg/900.html',
    });
    expect(result.items[0]?.published?.date.toISOString()).toBe('2024-11-19T16:00:00.000Z');
  });
});
