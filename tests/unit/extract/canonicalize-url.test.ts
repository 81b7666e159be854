import { describe, expect, it } from 'vitest';
import { canonicalizeUrl } from '../../../src/extract/index.js';

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
