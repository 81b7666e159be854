import { describe, expect, it } from 'vitest';
import { measureTextUnits, rateHeadline } from '../../../src/extract/auto/text-units.js';
import { isArticleHref, readHrefHost } from '../../../src/extract/auto/list-hints.js';

describe('measureTextUnits: one scale for Chinese and Latin text', () => {
  it.each([
    ['首页', 2],
    ['Home', 2],
    ['More »', 2],
    ['下一页', 3],
    ['国家发展和改革委员会', 10],
    ['生态环境部召开部常务会议', 12],
    ['Air quality index reaches very high', 12],
    ['2019年第23号', 5],
    ['環境部公告修正「固定污染源空氣污染物排放標準」', 21],
    ['', 0],
    ['   \n\t ', 0],
  ])('%j measures %i', (text, units) => {
    expect(measureTextUnits(text)).toBe(units);
  });
});

describe('rateHeadline', () => {
  it('gives menu entries and pagers nothing, headlines full marks and long paragraphs less', () => {
    expect(rateHeadline(2)).toBe(0);
    expect(rateHeadline(3)).toBe(0);
    expect(rateHeadline(6)).toBeGreaterThan(0);
    expect(rateHeadline(6)).toBeLessThan(1);
    expect(rateHeadline(12)).toBe(1);
    expect(rateHeadline(100)).toBe(1);
    expect(rateHeadline(400)).toBeLessThan(0.3);
  });
});

describe('isArticleHref', () => {
  it.each([
    ['./201908/t20190827_730512.shtml', true],
    ['/art/2019/8/27/art_1229213608_58963112.html', true],
    ['news_detail.php?id=2417', true],
    ['/uploads/notice.pdf', true],
    ['/environment/news/article/1432/arctic-sea-ice', true],
    ['/zt/wrfz/', false],
    ['/', false],
    ['https://www.gov.cn/', false],
    ['/col/col1229213608/index.html', false],
    ['list_2.shtml', false],
  ])('%s → %s', (href, expected) => {
    expect(isArticleHref(href)).toBe(expected);
  });

  it('reads the host of absolute and protocol-relative links, none for relative ones', () => {
    expect(readHrefHost('https://www.mee.gov.cn/a.html')).toBe('mee.gov.cn');
    expect(readHrefHost('//img.example.org/x.jpg')).toBe('img.example.org');
    expect(readHrefHost('./201908/t1.html')).toBeUndefined();
  });
});
