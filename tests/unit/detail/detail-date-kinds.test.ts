/**
 * Detail-page dates by failure kind found on real articles (issue 13): one minimised page per kind.
 * Each case names the day expected in the source zone, or none (no invented date).
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { extractDetail } from '../../../src/extract/index.js';

const NOW = new Date('2021-06-10T12:00:00Z');

function day(body: string, timezone = 'Europe/Berlin', url = 'https://news.example.org/a/1.html'): string | undefined {
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Headline</title>${body.includes('<body') ? '' : ''}</head>${body}</html>`;
  const result = extractDetail(
    { body: html, url },
    { sourceId: 'd', fields: ['date'], timezone, now: NOW, summaryLength: 200 },
  );
  return result.published
    ? (DateTime.fromJSDate(result.published.date, { zone: timezone }).toISODate() ?? undefined)
    : undefined;
}

const CASES: Array<{ name: string; body: string; zone?: string; expected: string | undefined }> = [
  {
    name: 'an unlabelled date in div.time under a headline that is no h1',
    body: '<body><div class="title">关于报考的通知</div><div class="time">2021-03-04<em>作者：</em>浏览次数：12</div><p>正文</p></body>',
    zone: 'Asia/Shanghai',
    expected: '2021-03-04',
  },
  {
    name: 'a French label and month name',
    body: '<body><h1>Titre</h1><p class="byline">Publié le 3 mars 2021 à 09 h 15</p></body>',
    expected: '2021-03-03',
  },
  {
    name: 'a German weekday, day and month name',
    body: '<body><h1>Titel</h1><div class="meta">Montag, 7. Juni 2021</div></body>',
    expected: '2021-06-07',
  },
  {
    name: 'a Spanish date line',
    body: '<body><h1>Título</h1><span class="fecha">jueves, 09 enero 2014 - 10:21 h</span></body>',
    zone: 'Europe/Madrid',
    expected: '2014-01-09',
  },
  {
    name: 'an English label with a weekday before the date',
    body: '<body><h1>T</h1><span class="submitted-by">Submitted on Mon, 2019-01-21 13:49</span></body>',
    expected: '2019-01-21',
  },
  {
    name: 'a date only in a script while the text is relative',
    body: '<body><h1>T</h1><span>15 minutes ago</span><script>var pubTime = "2021/03/04 09:15";</script></body>',
    expected: '2021-03-04',
  },
  {
    name: 'a title attribute while the text is relative',
    body: '<body><h1>T</h1><span class="time" title="2021-03-04T08:15:00Z">15 minutes ago</span></body>',
    expected: '2021-03-04',
  },
  {
    name: 'microdata with the date as text',
    body: '<body><h1>T</h1><span itemprop="datePublished">04.03.2021 09:15</span></body>',
    expected: '2021-03-04',
  },
  {
    name: 'a Java-style meta value',
    body: '<body><meta name="publishdate" content="Thu Mar 04 09:15:00 CET 2021"><h1>T</h1></body>',
    expected: '2021-03-04',
  },
  {
    name: 'JSON-LD wrapped in CDATA and comments beats a "Last updated" byline',
    body: '<body><script type="application/ld+json">//<![CDATA[\n{"@type":"NewsArticle", /* c */ "datePublished":"2021-03-04T09:15:00+01:00"}\n//]]></script><h1>T</h1><p>Last Updated: 9 June 2021</p></body>',
    expected: '2021-03-04',
  },
  {
    name: 'a meta published_time that equals dateModified loses to an earlier JSON-LD datePublished',
    body: '<body><meta property="article:published_time" content="2021-06-09T10:00:00Z"><meta property="article:modified_time" content="2021-06-09T10:00:00Z"><script type="application/ld+json">{"datePublished":"2021-03-04T09:15:00Z","dateModified":"2021-06-09T10:00:00Z"}</script><h1>T</h1></body>',
    expected: '2021-03-04',
  },
  {
    name: 'the date after the headline, not a sidebar date earlier in the page',
    body: '<body><div class="sidebar"><span class="date">2020-01-01</span></div><h1>T</h1><div class="pubtime">2021-03-04 09:15</div></body>',
    expected: '2021-03-04',
  },
  {
    name: 'a mirror writing meta value= instead of content=',
    body: '<body><meta value="2016-12-14T06:02:15Z" name="og:article:published_time"><h1>T</h1></body>',
    zone: 'America/New_York',
    expected: '2016-12-14',
  },
  {
    name: 'a vendor meta name that says publish',
    body: '<body><meta name="cXenseParse:recs:publishtime" content="2018-06-18T10:01:00.000Z"><h1>T</h1></body>',
    zone: 'Asia/Tokyo',
    expected: '2018-06-18',
  },
  {
    name: 'a date in the future is no evidence',
    body: '<body><meta name="publishdate" content="2031-01-01"><h1>T</h1></body>',
    expected: undefined,
  },
  {
    name: 'a page without any date gets none',
    body: '<body><h1>回到三十年前的老街</h1><p>今天迎来十周岁</p></body>',
    zone: 'Asia/Shanghai',
    expected: undefined,
  },
];

describe('detail-page dates by kind', () => {
  it.each(CASES)('$name', ({ body, zone, expected }) => {
    expect(day(body, zone)).toBe(expected);
  });
});
