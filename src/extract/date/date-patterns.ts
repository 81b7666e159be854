/**
 * The table of absolute date layouts found on list pages and in feeds. Each row is a regex with
 * named groups and a builder; rows marked `wholeOnly` are too loose to pick out of running text
 * and only apply when the whole (bracket-stripped) text is the date.
 */
import { buildDate, type DateContext, type DateHit } from './date-building.js';
import { monthNamePattern, normalizeMonthName, readMonthTable } from './month-names.js';
import { ZONE_ABBREVIATIONS } from './zone-abbreviations.js';

/** One row of the date table. */
export interface DatePattern {
  name: string;
  re: RegExp;
  /** Only when the whole text is this date (the regex is anchored). */
  wholeOnly: boolean;
  /**
   * The row matches only text holding a Latin or Cyrillic letter ({@link MAY_NAME_MONTH}): a text
   * without one skips it (and never builds what it needs).
   */
  needsLetters?: boolean;
  build(groups: Record<string, string | undefined>, ctx: DateContext): DateHit | undefined;
}

/**
 * A Latin (with Latin-1 and Latin Extended-A/B) or Cyrillic letter: every month name the `intl` row
 * knows (month-names.ts: fr, de, es, it, pt, ru, nl, pl, sv, da, nb, tr, id, uk) holds one.
 */
export const MAY_NAME_MONTH = /[a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0400-\u04ff]/i;

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const WEEKDAY = '(?:\\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s*)?';
const ZONE_NAMES = [...Object.keys(ZONE_ABBREVIATIONS), 'CST'].sort((a, b) => b.length - a.length).join('|');
const OFFSET = `(?:\\s*(?<tz>Z|[+-](?:0\\d|1[0-4]):?[0-5]\\d|(?:GMT|UTC)\\s*[+-]\\d{1,2}(?::?\\d{2})?|(?:${ZONE_NAMES})\\b)(?![\\d:]))?`;
const MERIDIEM_PREFIX = '(?:(?<mp>上午|下午|晚上|凌晨|中午|早上|傍晚)\\s*)?';
const MERIDIEM_SUFFIX = '(?:\\s*(?<ms>[ap]\\.?m\\.?)(?![a-z]))?';
/** Optional time of day after a date: `14:30`, `14:30:05.123`, `14时30分`, `下午2:30`, `2:30 pm`, offsets. */
const TIME = `(?:\\s*T?\\s*${MERIDIEM_PREFIX}(?<h>\\d{1,2})\\s*[:时時点點]\\s*(?<mi>[0-5]\\d)(?!\\d)\\s*分?(?::(?<s>\\d{2})(?:[.,]\\d+)?|(?<s2>\\d{1,2})\\s*秒)?${MERIDIEM_SUFFIX}${OFFSET})?`;
/** Optional English time after a date: `, 2:30 PM`, ` at 14:30:00 GMT+0800`, `14:30:00 CST`. */
const EN_TIME = `(?:,?\\s+(?:at\\s+)?(?<h>\\d{1,2}):(?<mi>[0-5]\\d)(?::(?<s>\\d{2}))?${MERIDIEM_SUFFIX}${OFFSET})?`;

let intlMonthRegex: RegExp | undefined;

/** The absolute date table, in order of preference for matches starting at the same place. */
export const DATE_PATTERNS: readonly DatePattern[] = [
  {
    // 2019-08-27, 2019/08/27, 2019.08.27, 2019-8-27 14:30, 2019-08-27T14:30:00+08:00
    name: 'ymd',
    re: re(`(?<![\\d.])(?<y>\\d{4})\\s*(?<sep>[-/.])\\s*(?<mo>\\d{1,2})\\s*\\k<sep>\\s*(?<d>\\d{1,2})(?!\\d)${TIME}`),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ year: g.y, month: g.mo ?? '', day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // 2019年8月27日, 2019年08月27日 14:30, 2019年8月27日 下午2时30分
    name: 'ymd-cjk',
    re: re(`(?<!\\d)(?<y>\\d{4})\\s*年\\s*(?<mo>\\d{1,2})\\s*月\\s*(?<d>\\d{1,2})(?!\\d)\\s*[日号號]?${TIME}`),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ year: g.y, month: g.mo ?? '', day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // 民國 (ROC) years on Taiwan sites: 113-08-27, 113/8/27, 113年8月27日 = 2024 (year + 1911); only for
    // sources in Asia/Taipei, where a 2–3 digit year cannot mean anything else.
    name: 'ymd-roc',
    re: re(
      `(?<![\\d.])(?<y>\\d{2,3})\\s*(?:(?<sep>[-/.])\\s*(?<mo>\\d{1,2})\\s*\\k<sep>|年\\s*(?<mo2>\\d{1,2})\\s*月)\\s*(?<d>\\d{1,2})(?!\\d)\\s*日?${TIME}`,
    ),
    wholeOnly: false,
    build: (g, ctx) =>
      ctx.zoneName === 'Asia/Taipei' && Number(g.y) >= 60
        ? buildDate({ year: String(Number(g.y) + 1911), month: g.mo ?? g.mo2 ?? '', day: g.d ?? '', ...clock(g) }, ctx)
        : undefined,
  },
  {
    // Japanese era years (和暦), as Japanese government and company pages write dates: 令和6年11月28日,
    // 平成31年4月30日, 令和元年5月1日 (元 = the era's first year). The era's name makes it certain anywhere.
    name: 'ymd-ja-era',
    re: re(
      `(?<era>令和|平成|昭和)\\s*(?<y>\\d{1,2}|元)\\s*年\\s*(?<mo>\\d{1,2})\\s*月\\s*(?<d>\\d{1,2})(?!\\d)\\s*日?${TIME}`,
    ),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ year: eraYear(g.era, g.y), month: g.mo ?? '', day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // The same with the era's initial, common in Japanese tables and notices: R6.11.28, H31.4.30, R元.5.1;
    // only for sources in Asia/Tokyo, where a letter before a short year means nothing else.
    name: 'ymd-ja-era-initial',
    re: re(
      `(?<![A-Za-z\\d])(?<era>[RHS])\\s*(?<y>\\d{1,2}|元)(?<sep>[-/.])(?<mo>\\d{1,2})\\k<sep>(?<d>\\d{1,2})(?![\\d.])${TIME}`,
    ),
    wholeOnly: false,
    needsLetters: true,
    build: (g, ctx) =>
      ctx.zoneName === 'Asia/Tokyo'
        ? buildDate({ year: eraYear(g.era, g.y), month: g.mo ?? '', day: g.d ?? '', ...clock(g) }, ctx)
        : undefined,
  },
  {
    // RFC 2822 and friends: Tue, 27 Aug 2019 14:30:00 +0800, 27 August 2019, 27-Aug-2019
    name: 'd-month-y',
    re: re(`${WEEKDAY}(?<!\\d)(?<d>\\d{1,2})[\\s-]+(?<mon>${MONTHS})\\b\\.?,?[\\s-]+(?<y>\\d{4})(?!\\d)${EN_TIME}`),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ year: g.y, month: monthNumber(g.mon), day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // Aug 27, 2019, August 27th 2019 2:30 PM, Tue Aug 27 2019 14:30:00 GMT+0800 (JavaScript's toString)
    name: 'month-d-y',
    re: re(
      `${WEEKDAY}\\b(?<mon>${MONTHS})\\b\\.?\\s+(?<d>\\d{1,2})(?:st|nd|rd|th)?,?\\s+(?<y>\\d{4})(?!\\d)${EN_TIME}`,
    ),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ year: g.y, month: monthNumber(g.mon), day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // Other languages' month names (CLDR through luxon, see month-names.ts): 3 mars 2021, 7. Juni 2021,
    // 09 enero 2014, 4 de março de 2021, 7 июня 2021 г., 27 agosto 2019 14:30. The regex is built on
    // first use: reading the month names from Intl for 14 languages took ~30 ms of CPU, which every
    // process that extracts (and every extraction thread) paid at start-up, and pages whose dates
    // hold no Latin or Cyrillic letter (most Chinese boards) never need it.
    name: 'd-month-y-intl',
    get re(): RegExp {
      intlMonthRegex ??= re(
        `(?<![\\d.])(?<d>\\d{1,2})\\.?\\s*(?:de\\s+)?(?<mon>${monthNamePattern()})\\.?,?\\s*(?:de\\s+)?(?<y>\\d{4})(?!\\d)(?:\\s*(?:г\\.|um|à|a las|alle|às|kl\\.?|,|-|–)?\\s*${TIME.slice(3, -2)})?`,
      );
      return intlMonthRegex;
    },
    needsLetters: true,
    wholeOnly: false,
    build: (g, ctx) => buildDate({ year: g.y, month: intlMonth(g.mon), day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // Korean: 2019년 1월 21일 13:49
    name: 'ymd-ko',
    re: re(`(?<!\\d)(?<y>\\d{4})\\s*년\\s*(?<mo>\\d{1,2})\\s*월\\s*(?<d>\\d{1,2})\\s*일${TIME}`),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ year: g.y, month: g.mo ?? '', day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // Java's Date.toString() and C's asctime: Thu Mar 04 09:15:00 CET 2021, Thu Mar  4 09:15:00 2021
    name: 'java-date',
    re: re(
      `${WEEKDAY}\\b(?<mon>${MONTHS})\\s+(?<d>\\d{1,2})\\s+(?<h>\\d{1,2}):(?<mi>[0-5]\\d)(?::(?<s>\\d{2}))?(?:\\s+(?<tz>${ZONE_NAMES}|[+-]\\d{4}|GMT|UTC))?\\s+(?<y>\\d{4})(?!\\d)`,
    ),
    wholeOnly: false,
    build: (g, ctx) =>
      buildDate(
        {
          year: g.y,
          month: monthNumber(g.mon),
          day: g.d ?? '',
          ...clock(g),
          zone: g.tz === 'GMT' || g.tz === 'UTC' ? 'Z' : g.tz,
        },
        ctx,
      ),
  },
  {
    // 27.08.2019 (German and most of Europe write day.month.year with dots)
    name: 'dmy-dots',
    re: re(`(?<![\\d.])(?<d>\\d{1,2})\\.(?<mo>\\d{1,2})\\.(?<y>\\d{4})(?![\\d.])${TIME}`),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ year: g.y, month: g.mo ?? '', day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // 08/27/2019, 27/08/2019, 27-08-2019: the order from a side over 12, else from the page (slash-order.ts)
    name: 'slash-year-last',
    re: re(`(?<![\\d/\\-.])(?<a>\\d{1,2})(?<sep>[-/])(?<b>\\d{1,2})\\k<sep>(?<y>\\d{4})(?![\\d/\\-])${TIME}`),
    wholeOnly: false,
    build: (g, ctx) => buildYearLast(g, g.y ?? '', ctx),
  },
  {
    // 8/27/19, 27/08/19 as the whole text: a two-digit year (20xx up to next year, else 19xx)
    name: 'slash-short-year',
    re: re(`^(?<a>\\d{1,2})(?<sep>[-/])(?<b>\\d{1,2})\\k<sep>(?<yy>\\d{2})${TIME}$`),
    wholeOnly: true,
    build: (g, ctx) => buildYearLast(g, expandShortYear(g.yy, ctx), ctx),
  },
  {
    // Date badges, the day written large beside the year and month: 27 2019-08, 272019.08, 27 2019/8
    // (calendar-style boxes on many government portals; the parts are separate elements). Years
    // 19xx/20xx only, and never the start of a full date (12 2019-08-27 is that date).
    name: 'd-ym-badge',
    re: re(
      `(?<![\\d\\-/.:])(?<d>[0-3]?\\d)\\s*(?<y>(?:19|20)\\d{2})(?<sep>[-/.])(?<mo>[01]?\\d)(?![\\d:%]|\\s*[-/.]\\s*\\d)`,
    ),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ year: g.y, month: g.mo ?? '', day: g.d ?? '' }, ctx),
  },
  {
    // The same badge the other way round: 2019-08 27, 2019.08 27 (day after a space)
    name: 'ym-d-badge',
    re: re(`(?<![\\d.])(?<y>(?:19|20)\\d{2})(?<sep>[-/.])(?<mo>[01]?\\d)\\s+(?<d>[0-3]?\\d)(?![\\d:%.\\-/点點时時])`),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ year: g.y, month: g.mo ?? '', day: g.d ?? '' }, ctx),
  },
  {
    // Month-day with the year after it: 08-27 2019, 8/27 2019 (a badge, or a year printed below)
    name: 'md-y',
    re: re(`(?<![\\d\\-/.:])(?<mo>[01]?\\d)(?<sep>[-/.])(?<d>[0-3]?\\d)\\s+(?<y>(?:19|20)\\d{2})(?![\\d:\\-/.年])`),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ year: g.y, month: g.mo ?? '', day: g.d ?? '' }, ctx),
  },
  {
    // The year before the month-day, as the whole text: 2019 08-27, 2019 8/27 (a year cell, then the day)
    name: 'y-md',
    re: re(`^(?<y>(?:19|20)\\d{2})\\s+(?<mo>[01]?\\d)(?<sep>[-/.])(?<d>[0-3]?\\d)$`),
    wholeOnly: true,
    build: (g, ctx) => buildDate({ year: g.y, month: g.mo ?? '', day: g.d ?? '' }, ctx),
  },
  {
    // 8月27日, 08月27日 14:30 (year inferred)
    name: 'md-cjk',
    re: re(`(?<![\\d年])(?<mo>\\d{1,2})\\s*月\\s*(?<d>\\d{1,2})(?!\\d)\\s*[日号號]${TIME}`),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ month: g.mo ?? '', day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // 08-27, 08/27, (08-27 14:30) inside text: two-digit month and day only (year inferred)
    name: 'md-padded',
    re: re(`(?<![\\d\\-/.:])(?<mo>[01]\\d)(?<sep>[-/])(?<d>[0-3]\\d)(?![\\d\\-/.:%])${TIME}`),
    wholeOnly: false,
    build: (g, ctx) => buildDate({ month: g.mo ?? '', day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // 8-27, 8/27, 8.27 as the whole text (year inferred)
    name: 'md-loose',
    re: re(`^(?<mo>\\d{1,2})(?<sep>[-/.])(?<d>\\d{1,2})${TIME}$`),
    wholeOnly: true,
    build: (g, ctx) => buildDate({ month: g.mo ?? '', day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // Aug 20, Aug. 20, August 20th, Tue, Aug 20 2:30 PM as the whole text (year inferred): a blog's
    // or a forum's list for the current year, or a date badge read as one text
    name: 'month-d',
    re: re(`^${WEEKDAY}(?<mon>${MONTHS})\\.?\\s*(?<d>\\d{1,2})(?:st|nd|rd|th)?(?!\\d)${EN_TIME}$`),
    wholeOnly: true,
    needsLetters: true,
    build: (g, ctx) => buildDate({ month: monthNumber(g.mon), day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // 20 Aug, 20 August, 20th Aug, 20-Aug as the whole text (year inferred)
    name: 'd-month',
    re: re(`^${WEEKDAY}(?<d>\\d{1,2})(?:st|nd|rd|th)?\\.?[\\s-]*(?<mon>${MONTHS})\\b\\.?${EN_TIME}$`),
    wholeOnly: true,
    needsLetters: true,
    build: (g, ctx) => buildDate({ month: monthNumber(g.mon), day: g.d ?? '', ...clock(g) }, ctx),
  },
  {
    // 20190827, 201908271430, 20190827143000, 20190827T143000
    name: 'compact',
    re: re(`^(?<y>\\d{4})(?<mo>[01]\\d)(?<d>[0-3]\\d)(?:T?(?<h>[0-2]\\d)(?<mi>[0-5]\\d)(?<s>[0-5]\\d)?)?$`),
    wholeOnly: true,
    build: (g, ctx) => buildDate({ year: g.y, month: g.mo ?? '', day: g.d ?? '', ...clock(g) }, ctx),
  },
];

// --- Internal helpers ---

function re(source: string): RegExp {
  return new RegExp(source, 'i');
}

function clock(g: Record<string, string | undefined>): {
  hour?: string;
  minute?: string;
  second?: string;
  meridiem?: string;
  zone?: string;
} {
  return { hour: g.h, minute: g.mi, second: g.s ?? g.s2, meridiem: g.mp ?? g.ms?.replace(/\./g, ''), zone: g.tz };
}

/** The Gregorian year of a Japanese era year (元 = 1): the era's first year is base + 1. */
function eraYear(era: string | undefined, year: string | undefined): string {
  const base = ERA_BASES[(era ?? '').toUpperCase()] ?? Number.NaN;
  return String(base + (year === '元' ? 1 : Number(year)));
}

const ERA_BASES: Record<string, number> = { 令和: 2018, R: 2018, 平成: 1988, H: 1988, 昭和: 1925, S: 1925 };

function intlMonth(name: string | undefined): number {
  return readMonthTable().get(normalizeMonthName(name ?? '')) ?? 0;
}

function monthNumber(name: string | undefined): number {
  const index = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(
    (name ?? '').slice(0, 3).toLowerCase(),
  );
  return index + 1;
}

/** Day and month in either order before the year: a side over 12 says which; otherwise the page's order does. */
function buildYearLast(g: Record<string, string | undefined>, year: string, ctx: DateContext): DateHit | undefined {
  const a = Number(g.a);
  const b = Number(g.b);
  const order = a > 12 ? 'day-first' : b > 12 || a === b ? 'month-first' : ctx.slashOrder?.();
  if (order === 'day-first') return buildDate({ year, month: b, day: g.a ?? '', ...clock(g) }, ctx);
  if (order === 'month-first') return buildDate({ year, month: a, day: g.b ?? '', ...clock(g) }, ctx);
  return undefined;
}

/** A two-digit year: this century up to next year, else the last. */
function expandShortYear(yy: string | undefined, ctx: DateContext): string {
  const year = 2000 + Number(yy);
  return String(year <= ctx.today.year + 1 ? year : year - 100);
}
