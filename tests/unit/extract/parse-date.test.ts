import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../src/extract/index.js';
import { MAY_NAME_MONTH } from '../../../src/extract/date/date-patterns.js';
import { readMonthTable } from '../../../src/extract/date/month-names.js';

/** 2026-01-05 10:00 in Shanghai is still 2026-01-04 21:00 in New York: year and day inference differ. */
const NOW = new Date('2026-01-05T10:00:00+08:00');

type Row = [text: string, expected: string | undefined, precision?: 'day' | 'time'];

const SHANGHAI: Row[] = [
  ['2019-08-27', '2019-08-27T00:00:00+08:00', 'day'],
  ['2019/08/27', '2019-08-27T00:00:00+08:00', 'day'],
  ['2019/8/27', '2019-08-27T00:00:00+08:00', 'day'],
  ['2019.08.27', '2019-08-27T00:00:00+08:00', 'day'],
  ['20190827', '2019-08-27T00:00:00+08:00', 'day'],
  ['2019年8月27日', '2019-08-27T00:00:00+08:00', 'day'],
  ['2019年08月27日', '2019-08-27T00:00:00+08:00', 'day'],
  ['２０１９－０８－２７', '2019-08-27T00:00:00+08:00', 'day'],
  ['2019年08月27日 14:30', '2019-08-27T14:30:00+08:00', 'time'],
  ['2019年8月27日 下午2:30', '2019-08-27T14:30:00+08:00', 'time'],
  ['2019年8月27日14时30分', '2019-08-27T14:30:00+08:00', 'time'],
  ['2019-08-27 10:21:03', '2019-08-27T10:21:03+08:00', 'time'],
  ['2019-08-27T14:30:00+08:00', '2019-08-27T14:30:00+08:00', 'time'],
  ['2019-08-27T06:30:00Z', '2019-08-27T14:30:00+08:00', 'time'],
  ['2019-08-27T14:30:00.123+0800', '2019-08-27T14:30:00.123+08:00', 'time'],
  ['2019-08-27T14:30:00', '2019-08-27T14:30:00+08:00', 'time'],
  ['2019-08-27 14:30', '2019-08-27T14:30:00+08:00', 'time'],
  ['Tue, 27 Aug 2019 14:30:00 +0800', '2019-08-27T14:30:00+08:00', 'time'],
  ['Tue, 27 Aug 2019 06:30:00 GMT', '2019-08-27T14:30:00+08:00', 'time'],
  ['Tue, 27 Aug 2019 14:30:00 CST', '2019-08-27T14:30:00+08:00', 'time'],
  ['Tue, 27 Aug 2019 14:30:00', '2019-08-27T14:30:00+08:00', 'time'],
  ['27 Aug 2019', '2019-08-27T00:00:00+08:00', 'day'],
  ['Aug 27, 2019', '2019-08-27T00:00:00+08:00', 'day'],
  ['August 27th, 2019 2:30 PM', '2019-08-27T14:30:00+08:00', 'time'],
  ['Tue Aug 27 2019 14:30:00 GMT+0800 (China Standard Time)', '2019-08-27T14:30:00+08:00', 'time'],
  ['27.08.2019', '2019-08-27T00:00:00+08:00', 'day'],
  ['08/27/2019', '2019-08-27T00:00:00+08:00', 'day'],
  ['27-08-2019', '2019-08-27T00:00:00+08:00', 'day'],
  ['08-27-2019 14:30', '2019-08-27T14:30:00+08:00', 'time'],
  ['8/27/19', '2019-08-27T00:00:00+08:00', 'day'],
  ['27/08/99', '1999-08-27T00:00:00+08:00', 'day'],
  ['05/05/2019', '2019-05-05T00:00:00+08:00', 'day'],
  // Day and month both 12 or under: the order is the page's (slash-order.ts), unknown to a lone text.
  ['05/08/2019', undefined],
  ['1/2/3', undefined],
  ['8月27日', '2025-08-27T00:00:00+08:00', 'day'],
  // An English month and day alone (a blog list for the current year, a date badge read as one text).
  ['Aug 27', '2025-08-27T00:00:00+08:00', 'day'],
  ['Aug. 27', '2025-08-27T00:00:00+08:00', 'day'],
  ['August 27th', '2025-08-27T00:00:00+08:00', 'day'],
  ['27 Aug', '2025-08-27T00:00:00+08:00', 'day'],
  ['27Aug', '2025-08-27T00:00:00+08:00', 'day'],
  ['27-Aug', '2025-08-27T00:00:00+08:00', 'day'],
  ['Jan 5', '2026-01-05T00:00:00+08:00', 'day'],
  ['Tue, Aug 27 2:30 PM', '2025-08-27T14:30:00+08:00', 'time'],
  ['Sep 11 attacks', undefined],
  ['Aug 40', undefined],
  ['May 12345', undefined],
  ['08月27日 14:30', '2025-08-27T14:30:00+08:00', 'time'],
  ['08-27', '2025-08-27T00:00:00+08:00', 'day'],
  ['08/27', '2025-08-27T00:00:00+08:00', 'day'],
  ['8-27', '2025-08-27T00:00:00+08:00', 'day'],
  ['08-27 14:30', '2025-08-27T14:30:00+08:00', 'time'],
  ['12-30', '2025-12-30T00:00:00+08:00', 'day'],
  ['01-05', '2026-01-05T00:00:00+08:00', 'day'],
  ['01-06', '2025-01-06T00:00:00+08:00', 'day'],
  ['02-29', '2024-02-29T00:00:00+08:00', 'day'],
  ['[2019-08-27]', '2019-08-27T00:00:00+08:00', 'day'],
  ['(08-27)', '2025-08-27T00:00:00+08:00', 'day'],
  ['【2019-08-27】', '2019-08-27T00:00:00+08:00', 'day'],
  ['发布时间：2019-08-27 10:21:03', '2019-08-27T10:21:03+08:00', 'time'],
  ['来源：生态环境部 2019-08-27', '2019-08-27T00:00:00+08:00', 'day'],
  ['发布日期：2019年08月27日 浏览次数：1024', '2019-08-27T00:00:00+08:00', 'day'],
  // Date badges: the day large beside the year and month (separate elements on the page)
  ['27 2019-08', '2019-08-27T00:00:00+08:00', 'day'],
  ['272019-08', '2019-08-27T00:00:00+08:00', 'day'],
  ['27 2019.8', '2019-08-27T00:00:00+08:00', 'day'],
  ['2019-08 27', '2019-08-27T00:00:00+08:00', 'day'],
  ['2019/08\n27', '2019-08-27T00:00:00+08:00', 'day'],
  ['08-27 2019', '2019-08-27T00:00:00+08:00', 'day'],
  ['8/27 2019', '2019-08-27T00:00:00+08:00', 'day'],
  ['12 2019-08-27', '2019-08-27T00:00:00+08:00', 'day'],
  ['2019-08 14:30', undefined],
  ['2019-08 12点', undefined],
  ['08-27 2019年度', '2025-08-27T00:00:00+08:00', 'day'],
  ['35 2019-08', undefined],
  // Chinese-numeral dates, as official documents write them
  ['二〇一九年八月二十七日', '2019-08-27T00:00:00+08:00', 'day'],
  ['二〇二四年十二月三十一日', '2024-12-31T00:00:00+08:00', 'day'],
  ['二○二五年十月一日', '2025-10-01T00:00:00+08:00', 'day'],
  ['二O二三年三月十日', '2023-03-10T00:00:00+08:00', 'day'],
  ['二零二零年二月二十九日', '2020-02-29T00:00:00+08:00', 'day'],
  ['二〇二三年二月二十九日', undefined],
  ['二〇一九年十三月五日', undefined],
  ['印发日期：二〇一九年八月二十七日', '2019-08-27T00:00:00+08:00', 'day'],
  ['（二〇一九年八月二十七日）', '2019-08-27T00:00:00+08:00', 'day'],
  ['八月', undefined],
  ['刚刚', '2026-01-05T10:00:00+08:00', 'time'],
  ['剛剛', '2026-01-05T10:00:00+08:00', 'time'],
  ['just now', '2026-01-05T10:00:00+08:00', 'time'],
  ['5分钟前', '2026-01-05T09:55:00+08:00', 'time'],
  ['5分鐘前', '2026-01-05T09:55:00+08:00', 'time'],
  ['3小时前', '2026-01-05T07:00:00+08:00', 'time'],
  ['3小時前', '2026-01-05T07:00:00+08:00', 'time'],
  ['三小时前', '2026-01-05T07:00:00+08:00', 'time'],
  ['半小时前', '2026-01-05T09:30:00+08:00', 'time'],
  ['30秒前', '2026-01-05T09:59:00+08:00', 'time'],
  ['3天前', '2026-01-02T00:00:00+08:00', 'day'],
  ['2周前', '2025-12-22T00:00:00+08:00', 'day'],
  ['昨天 14:30', '2026-01-04T14:30:00+08:00', 'time'],
  ['昨天', '2026-01-04T00:00:00+08:00', 'day'],
  ['前天', '2026-01-03T00:00:00+08:00', 'day'],
  ['今天', '2026-01-05T00:00:00+08:00', 'day'],
  ['今天 08:05', '2026-01-05T08:05:00+08:00', 'time'],
  ['今天下午', '2026-01-05T00:00:00+08:00', 'day'],
  ['昨天上午 09:30', '2026-01-04T00:00:00+08:00', 'day'],
  // A day word that is part of a longer word or of prose is no date: 今日头条 is a news app.
  ['新闻聚合平台：今日头条', undefined],
  ['昨天的故事', undefined],
  ['今天迎来十周岁', undefined],
  ['2 hours ago', '2026-01-05T08:00:00+08:00', 'time'],
  ['an hour ago', '2026-01-05T09:00:00+08:00', 'time'],
  ['10 minutes ago', '2026-01-05T09:50:00+08:00', 'time'],
  ['yesterday', '2026-01-04T00:00:00+08:00', 'day'],
  ['3 days ago', '2026-01-02T00:00:00+08:00', 'day'],
  // Japanese, Korean, German, French and Spanish relative forms.
  ['3時間前', '2026-01-05T07:00:00+08:00', 'time'],
  ['2週間前', '2025-12-22T00:00:00+08:00', 'day'],
  ['1か月前', '2025-12-05T00:00:00+08:00', 'day'],
  ['3시간 전', '2026-01-05T07:00:00+08:00', 'time'],
  ['2일 전', '2026-01-03T00:00:00+08:00', 'day'],
  ['어제 14:30', '2026-01-04T14:30:00+08:00', 'time'],
  ['어제', '2026-01-04T00:00:00+08:00', 'day'],
  ['vor 2 Stunden', '2026-01-05T08:00:00+08:00', 'time'],
  ['vor einem Tag', '2026-01-04T00:00:00+08:00', 'day'],
  ['gestern, 18:00 Uhr', '2026-01-04T18:00:00+08:00', 'time'],
  ['il y a 3 jours', '2026-01-02T00:00:00+08:00', 'day'],
  ['hier à 14h30', '2026-01-04T14:30:00+08:00', 'time'],
  ['hace una hora', '2026-01-05T09:00:00+08:00', 'time'],
  ['ayer a las 10:00', '2026-01-04T10:00:00+08:00', 'time'],
  ['Gestern', '2026-01-04T00:00:00+08:00', 'day'],
  // In running text those day words are prose ("hier" is German for here): only with a time, or alone.
  ['Mehr dazu hier', undefined],
  ['Heute stellt die Regierung ihr Programm vor', undefined],
  ['1566873600', '2019-08-27T10:40:00+08:00', 'time'],
  ['1566873600000', '2019-08-27T10:40:00+08:00', 'time'],
  ['09:15', '2026-01-05T09:15:00+08:00', 'time'],
  ['14:30', '2026-01-04T14:30:00+08:00', 'time'],
  ['2019-02-30', undefined],
  ['2019-13-01', undefined],
  ['2019-08-27 25:10', '2019-08-27T00:00:00+08:00', 'day'],
  ['', undefined],
  ['   ', undefined],
  ['更多>>', undefined],
  ['第3期', undefined],
  ['卸车需要7-8个小时', undefined],
  ['12345', undefined],
  ['06/07/2019', undefined],
];

const NEW_YORK: Row[] = [
  ['2019-08-27', '2019-08-27T00:00:00-04:00', 'day'],
  ['2019年08月27日 14:30', '2019-08-27T14:30:00-04:00', 'time'],
  ['2019-08-27T14:30:00', '2019-08-27T14:30:00-04:00', 'time'],
  ['2019-08-27T14:30:00+08:00', '2019-08-27T14:30:00+08:00', 'time'],
  ['Tue, 27 Aug 2019 14:30:00 CST', '2019-08-27T14:30:00-06:00', 'time'],
  ['Tue, 27 Aug 2019 14:30:00 EDT', '2019-08-27T14:30:00-04:00', 'time'],
  ['8月27日', '2025-08-27T00:00:00-04:00', 'day'],
  ['08-27', '2025-08-27T00:00:00-04:00', 'day'],
  ['12-30', '2025-12-30T00:00:00-05:00', 'day'],
  ['01-05', '2025-01-05T00:00:00-05:00', 'day'],
  ['01-04', '2026-01-04T00:00:00-05:00', 'day'],
  ['刚刚', '2026-01-04T21:00:00-05:00', 'time'],
  ['3小时前', '2026-01-04T18:00:00-05:00', 'time'],
  ['3小時前', '2026-01-04T18:00:00-05:00', 'time'],
  ['昨天 14:30', '2026-01-03T14:30:00-05:00', 'time'],
  ['前天', '2026-01-02T00:00:00-05:00', 'day'],
  ['今天', '2026-01-04T00:00:00-05:00', 'day'],
  ['2 hours ago', '2026-01-04T19:00:00-05:00', 'time'],
  ['yesterday', '2026-01-03T00:00:00-05:00', 'day'],
  ['14:30', '2026-01-04T14:30:00-05:00', 'time'],
  ['23:30', '2026-01-03T23:30:00-05:00', 'time'],
  ['发布时间：2019-08-27 10:21:03', '2019-08-27T10:21:03-04:00', 'time'],
  ['1566873600', '2019-08-26T22:40:00-04:00', 'time'],
  ['[2019-08-27]', '2019-08-27T00:00:00-04:00', 'day'],
  ['(08-27)', '2025-08-27T00:00:00-04:00', 'day'],
];

describe('parseDate', () => {
  for (const [zone, rows] of [
    ['Asia/Shanghai', SHANGHAI],
    ['America/New_York', NEW_YORK],
  ] as const) {
    describe(zone, () => {
      it.each(rows)('reads %j', (text, expected, precision) => {
        const parsed = parseDate(text, { timezone: zone, now: NOW });
        if (expected === undefined) {
          expect(parsed).toBeUndefined();
          return;
        }
        expect(parsed, `no date read from ${JSON.stringify(text)}`).toBeDefined();
        expect(parsed?.date.toISOString()).toBe(new Date(expected).toISOString());
        expect(parsed?.precision).toBe(precision);
      });
    });
  }

  it('reads a late-December date in January as last year', () => {
    const parsed = parseDate('12-31', { timezone: 'Asia/Shanghai', now: new Date('2026-01-02T08:00:00+08:00') });
    expect(parsed?.date.toISOString()).toBe(new Date('2025-12-31T00:00:00+08:00').toISOString());
  });

  it('reads a December date in December as this year', () => {
    const parsed = parseDate('12-01', { timezone: 'Europe/Berlin', now: new Date('2026-12-15T12:00:00+01:00') });
    expect(parsed?.date.toISOString()).toBe(new Date('2026-12-01T00:00:00+01:00').toISOString());
  });

  it('uses an explicit luxon format instead of detection', () => {
    const options = { timezone: 'Asia/Shanghai', now: NOW };
    expect(parseDate('27/08/19', { ...options, format: 'dd/MM/yy' })?.date.toISOString()).toBe(
      new Date('2019-08-27T00:00:00+08:00').toISOString(),
    );
    const timed = parseDate('2019年08月27日 14时30分', { ...options, format: "yyyy'年'MM'月'dd'日' HH'时'mm'分'" });
    expect(timed).toEqual({ date: new Date('2019-08-27T14:30:00+08:00'), precision: 'time' });
    // No year in the format: inferred from "now", never the machine clock.
    expect(parseDate('08/27', { ...options, format: 'MM/dd' })?.date.toISOString()).toBe(
      new Date('2025-08-27T00:00:00+08:00').toISOString(),
    );
    // The format wins over detection: an ISO date does not fit it.
    expect(parseDate('2019-08-27', { ...options, format: 'dd/MM/yy' })).toBeUndefined();
  });

  it('reads day.month.year in Europe/Berlin', () => {
    const parsed = parseDate('27.08.2019 14:30', { timezone: 'Europe/Berlin', now: NOW });
    expect(parsed).toEqual({ date: new Date('2019-08-27T14:30:00+02:00'), precision: 'time' });
  });

  it.each([
    // Offsets of 45 and 30 minutes, a half-hour DST shift, and an hour back across a DST change.
    ['Asia/Kathmandu', '2026-01-05T10:07:31+05:45', '5分钟前', '2026-01-05T10:02:00+05:45'],
    ['Australia/Lord_Howe', '2026-04-05T01:40:10+10:30', '2小时前', '2026-04-05T00:10:00+11:00'],
    ['America/St_Johns', '2026-03-08T03:10:59-02:30', '3 hours ago', '2026-03-07T23:10:00-03:30'],
    ['America/New_York', '2026-03-08T03:30:00-04:00', '1小时前', '2026-03-08T01:30:00-05:00'],
  ])(
    'counts minutes and hours back as elapsed time, to the start of the minute, in %s',
    (timezone, now, text, expected) => {
      expect(parseDate(text, { timezone, now: new Date(now) })).toEqual({
        date: new Date(expected),
        precision: 'time',
      });
    },
  );

  it.each([
    ['113-08-27', '2024-08-27T00:00:00+08:00', 'day'],
    ['113/8/27 14:30', '2024-08-27T14:30:00+08:00', 'time'],
    ['中華民國113年8月27日', '2024-08-27T00:00:00+08:00', 'day'],
    ['發布日期：113.08.27', '2024-08-27T00:00:00+08:00', 'day'],
    ['2024-08-27', '2024-08-27T00:00:00+08:00', 'day'],
  ])('reads the ROC (民國) year %j in Asia/Taipei', (text, expected, precision) => {
    expect(parseDate(text, { timezone: 'Asia/Taipei', now: NOW })).toEqual({ date: new Date(expected), precision });
  });

  it('does not read ROC years outside Asia/Taipei', () => {
    expect(parseDate('113-08-27', { timezone: 'Asia/Shanghai', now: NOW })).toBeUndefined();
  });

  it.each([
    ['令和6年8月27日', '2024-08-27T00:00:00+09:00', 'day'],
    ['令和６年８月２７日', '2024-08-27T00:00:00+09:00', 'day'],
    ['令和元年5月1日', '2019-05-01T00:00:00+09:00', 'day'],
    ['平成31年4月30日', '2019-04-30T00:00:00+09:00', 'day'],
    ['昭和64年1月7日', '1989-01-07T00:00:00+09:00', 'day'],
    ['更新日：令和6年8月27日 14時30分', '2024-08-27T14:30:00+09:00', 'time'],
    ['R6.8.27', '2024-08-27T00:00:00+09:00', 'day'],
    ['H31/4/30', '2019-04-30T00:00:00+09:00', 'day'],
    ['R元.5.1', '2019-05-01T00:00:00+09:00', 'day'],
  ])('reads the Japanese era year (和暦) %j in Asia/Tokyo', (text, expected, precision) => {
    expect(parseDate(text, { timezone: 'Asia/Tokyo', now: NOW })).toEqual({ date: new Date(expected), precision });
  });

  it('reads a named era anywhere, an era initial only in Asia/Tokyo', () => {
    expect(parseDate('令和6年8月27日', { timezone: 'Asia/Shanghai', now: NOW })).toEqual({
      date: new Date('2024-08-27T00:00:00+08:00'),
      precision: 'day',
    });
    expect(parseDate('R6.8.27', { timezone: 'Asia/Shanghai', now: NOW })).toBeUndefined();
    expect(parseDate('VER6.8.27', { timezone: 'Asia/Tokyo', now: NOW })).toBeUndefined();
  });

  it('returns undefined for an unknown time zone instead of throwing', () => {
    expect(parseDate('2019-08-27', { timezone: 'Mars/Olympus', now: NOW })).toBeUndefined();
  });

  // The other languages' month-name row is skipped for text without a Latin or Cyrillic letter, so
  // every name it knows must hold one, or dates written with it would silently go unread.
  it('knows no month name without a Latin or Cyrillic letter', () => {
    const names = [...readMonthTable().keys()];
    expect(names.length).toBeGreaterThan(100);
    expect(names.filter((name) => !MAY_NAME_MONTH.test(name))).toEqual([]);
  });

  it.each([
    ['发布于 3 mars 2021', '2021-03-03T00:00:00+08:00'],
    ['Stand: 7. Juni 2021, 14:30', '2021-06-07T14:30:00+08:00'],
    ['опубликовано 7 июня 2021 г.', '2021-06-07T00:00:00+08:00'],
    ['Yayın: 27 ağustos 2019', '2019-08-27T00:00:00+08:00'],
  ])('reads a month name of another language inside text: %j', (text, expected) => {
    expect(parseDate(text, { timezone: 'Asia/Shanghai', now: NOW })?.date.toISOString()).toBe(
      new Date(expected).toISOString(),
    );
  });
});
