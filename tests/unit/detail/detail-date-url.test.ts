/**
 * A day in the detail page's URL path (issue 13): evidence only when the page shows no date, and the
 * year of year-less dates on the page; never an invented date, never over a date the page gives.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { extractDetail } from '../../../src/extract/index.js';

const NOW = new Date('2026-11-30T04:00:00Z');
const ZONE = 'Asia/Shanghai';

function read(body: string, url: string): { day?: string; source?: string } {
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>T</title></head>${body}</html>`;
  const result = extractDetail(
    { body: html, url },
    { sourceId: 'u', fields: ['date'], timezone: ZONE, now: NOW, summaryLength: 200 },
  );
  if (!result.published) return {};
  return {
    day: DateTime.fromJSDate(result.published.date, { zone: ZONE }).toISODate() ?? undefined,
    source: result.dateSource,
  };
}

const NO_DATE = '<body><h1>关于开展活动的通知</h1><p>正文内容。</p></body>';
const YEARLESS = '<body><h1>关于开展活动的通知</h1><div class="info">03-04 09:15 来源：本站</div><p>正文。</p></body>';

describe('a date in the URL path when the page shows none', () => {
  it.each([
    'https://news.example.cn/news/2021/03/04/story.html',
    'https://news.example.cn/2021-03-04/story.html',
    'https://news.example.cn/a/20210304/123.html',
    'https://news.example.cn/c/t20210304_5678.html',
    'https://news.example.cn/zwgk/202103/t20210304_123.html',
  ])('%s', (url) => {
    expect(read(NO_DATE, url)).toEqual({ day: '2021-03-04', source: 'url' });
  });

  it.each([
    ['an article id that is no calendar day', 'https://news.example.cn/a/20219999.html'],
    ['a year before 1990', 'https://news.example.cn/a/19850304.html'],
    ['a year after next year', 'https://news.example.cn/2028/03/04/story.html'],
    ['a day still in the future', 'https://news.example.cn/2027/01/05/story.html'],
    ['two numbers that disagree', 'https://news.example.cn/2021/03/04/t20200101_1.html'],
    ['a month without a day', 'https://news.example.cn/zwgk/202103/123.html'],
    ['a date only in the query string', 'https://news.example.cn/show.php?d=20210304'],
  ])('not from %s', (_name, url) => {
    expect(read(NO_DATE, url)).toEqual({});
  });
});

describe('the URL never overrides a date the page gives', () => {
  it('a meta publication date wins', () => {
    const body = '<body><meta property="article:published_time" content="2021-03-05T10:00:00+08:00"><h1>T</h1></body>';
    expect(read(body, 'https://news.example.cn/2021/03/04/a.html').day).toBe('2021-03-05');
  });

  it('a labelled date in the text wins', () => {
    const body = '<body><h1>T</h1><p>发布时间：2020-05-06 10:00</p></body>';
    expect(read(body, 'https://news.example.cn/a/20210304/1.html').day).toBe('2020-05-06');
  });
});

describe('year-less dates on the page take the URL year', () => {
  it('reads the latest past year without a URL date', () => {
    expect(read(YEARLESS, 'https://news.example.cn/a/123.html').day).toBe('2026-03-04');
  });

  it.each([
    'https://news.example.cn/zwgk/202103/t20210304_123.html',
    'https://news.example.cn/2021/03/04/a.html',
    'https://news.example.cn/zwgk/202103/123.html',
  ])('%s', (url) => {
    expect(read(YEARLESS, url)).toEqual({ day: '2021-03-04', source: 'text' });
  });

  it('a page date a day after the URL day keeps the URL year', () => {
    expect(read(YEARLESS, 'https://news.example.cn/2021/03/03/a.html').day).toBe('2021-03-04');
  });

  it('an article id that is no date does not set the year', () => {
    expect(read(YEARLESS, 'https://news.example.cn/a/20219999.html').day).toBe('2026-03-04');
  });
});
