import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, extractItems } from '../../../src/extract/index.js';
import { fingerprintItem } from '../../../src/store/fingerprint.js';
import { plainExtractOptions } from '../../helpers/extract-options.js';

const OPTIONS = plainExtractOptions('s', new Date('2026-11-30T12:00:00+08:00'));

/** A JSP portal's list as a client without its cookie gets it: the session in every link. */
function listPage(session: string) {
  const rows = Array.from(
    { length: 5 },
    (_, i) =>
      `<li><a href="/xxgk/detail.jsp;jsessionid=${session}?id=${700 + i}">关于第${i + 1}批建设项目环境影响评价文件审批的公告</a><span>2024-11-0${i + 1}</span></li>`,
  ).join('');
  return {
    body: `<html><head><meta charset="utf-8"><title>公告</title></head><body><ul class="gg">${rows}</ul></body></html>`,
    contentType: 'text/html',
    url: 'http://www.example.gov.cn/xxgk/list.jsp',
  };
}

describe('canonicalizeUrl', () => {
  it.each([
    ['HTTP://WWW.Example.GOV.cn:80/a/b.html#top', 'http://www.example.gov.cn/a/b.html'],
    ['https://example.cn:443/x?id=3&utm_source=wx&utm_medium=share', 'https://example.cn/x?id=3'],
    ['https://example.cn/x?spm=a2c4g.11186623&from=timeline&isappinstalled=0', 'https://example.cn/x'],
    ['https://example.cn/x?fbclid=1&gclid=2&msclkid=3&id=9', 'https://example.cn/x?id=9'],
    ['https://example.cn:8443/x?page=2', 'https://example.cn:8443/x?page=2'],
    ['https://example.cn/x?', 'https://example.cn/x'],
    ['https://example.cn/新闻/列表.html', 'https://example.cn/%E6%96%B0%E9%97%BB/%E5%88%97%E8%A1%A8.html'],
    ['https://example.cn/x?q=%E7%8E%AF%E5%A2%83&UTM_Campaign=a', 'https://example.cn/x?q=%E7%8E%AF%E5%A2%83'],
    ['not a url', 'not a url'],
    // Sessions written into links (a new one each visit) are no part of the page's address.
    ['http://www.example.gov.cn/detail.jsp;jsessionid=1A2B3C4D5E6F?id=5', 'http://www.example.gov.cn/detail.jsp?id=5'],
    ['http://www.example.gov.cn/a/b.html;JSESSIONID=ABC.node1', 'http://www.example.gov.cn/a/b.html'],
    ['http://www.example.gov.cn/list.php?id=3&PHPSESSID=abc123', 'http://www.example.gov.cn/list.php?id=3'],
    ['http://www.example.gov.cn/(S(abc123xyz))/page.aspx?id=1', 'http://www.example.gov.cn/page.aspx?id=1'],
    ['http://www.example.gov.cn/a.aspx?id=3&sid=7', 'http://www.example.gov.cn/a.aspx?id=3&sid=7'],
    ['http://www.example.gov.cn/a;v=2/c.html', 'http://www.example.gov.cn/a;v=2/c.html'],
    // A route (hash routing) names the page; any other fragment is a place in it.
    ['https://Example.cn/#/news/detail?id=12&utm_source=x', 'https://example.cn/#/news/detail?id=12&utm_source=x'],
    ['https://example.cn/app/?spm=1#!/notice/7', 'https://example.cn/app/#!/notice/7'],
    ['https://example.cn/a.html#/', 'https://example.cn/a.html'],
    ['https://example.cn/a.html#section-2', 'https://example.cn/a.html'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalizeUrl(input)).toBe(expected);
  });

  it('is idempotent', () => {
    const once = canonicalizeUrl('https://Example.cn/a?b=1&utm_x=2#f');
    expect(canonicalizeUrl(once)).toBe(once);
  });
});

describe('item identity across visits of a site that writes its session into links', () => {
  it('gives an item the same id whatever session its link carries', () => {
    const first = extractItems(listPage('1A2B3C'), OPTIONS).items;
    const second = extractItems(listPage('9Z8Y7X'), OPTIONS).items;
    expect(first.map((item) => item.link)).not.toEqual(second.map((item) => item.link));
    expect(first.map((item) => fingerprintItem('s', item))).toEqual(second.map((item) => fingerprintItem('s', item)));
  });
});
