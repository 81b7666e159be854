/**
 * The calendar day a detail page's URL path carries (`/2021/03/04/`, `/2021-03-04/`, `20210304`,
 * `t20210304_`, `/202103/t20210304_123.html`): weak evidence, used only when the page itself gives no
 * date, and as the year for year-less dates on the page. A number that is not a plausible date (an
 * article id such as `20219999`, a year outside 1990..next year, a day after tomorrow) is ignored, and
 * so are paths whose date-like numbers disagree.
 */
import { DateTime } from 'luxon';
import type { DateContext } from '../date/date-building.js';
import { buildDate } from '../date/date-building.js';

/** A day (or only a month: `/202103/`) read from a URL path, validated against the source's "now". */
export interface UrlDay {
  year: number;
  month: number;
  /** Undefined when the path names only a month. */
  day?: number;
  /** Local midnight of the day in the source zone (of the month's last day for a month). */
  ms: number;
}

/** The date a URL path names, or undefined when it names none (or several that disagree). */
export function readUrlDate(url: string, dates: DateContext): UrlDay | undefined {
  const path = readPath(url);
  if (path === undefined) return undefined;
  const days: UrlDay[] = [];
  const months: UrlDay[] = [];
  for (const pattern of DAY_PATTERNS) {
    for (const match of path.matchAll(pattern)) {
      const found = toDay(match[1], match[2], match[3], dates);
      if (found) days.push(found);
    }
  }
  for (const match of path.matchAll(MONTH_SEGMENT)) {
    const found = toDay(match[1], match[2], undefined, dates);
    if (found) months.push(found);
  }
  const first = days[0] ?? months[0];
  if (!first) return undefined;
  // Two different days (or a month that is not the day's) say the numbers are not all dates: trust none.
  const agrees = (other: UrlDay): boolean =>
    other.year === first.year && other.month === first.month && (other.day === undefined || other.day === first.day);
  return [...days, ...months].every(agrees) ? first : undefined;
}

/**
 * The context with "today" moved to the URL's day (two days on, for pages dated a little after their
 * URL; never past the real today), so a year-less date on the page (`03/04 09:15`) takes the URL's year.
 */
export function withUrlToday(dates: DateContext, urlDay: UrlDay): DateContext {
  const ms = Math.min(urlDay.ms + (urlDay.day === undefined ? 0 : 2 * DAY_MS), dates.now.toMillis());
  const today = DateTime.fromMillis(ms, { zone: dates.zone });
  return { ...dates, today: { year: today.year, month: today.month, day: today.day } };
}

// --- Internal helpers ---

/** `/2021/03/04/`, `/2021-03-04/` (also `_` or `.`), then 8 digits standing alone (`t20210304_`). */
const DAY_PATTERNS = [
  /(?<![\d])((?:19|20)\d{2})[/_.-]([01]?\d)[/_.-]([0-3]?\d)(?![\d])/g,
  /(?<![\d])((?:19|20)\d{2})[/-]([01]\d)([0-3]\d)(?![\d])/g,
  /(?<![\d])((?:19|20)\d{2})([01]\d)([0-3]\d)(?![\d])/g,
];
/** A whole path segment `/202103/` or `/2021-03/`: a month, for year-less dates only. */
const MONTH_SEGMENT = /\/((?:19|20)\d{2})-?([01]\d)(?=\/)/g;

function readPath(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
}

function toDay(
  yearText: string | undefined,
  monthText: string | undefined,
  dayText: string | undefined,
  dates: DateContext,
): UrlDay | undefined {
  const year = Number(yearText);
  const month = Number(monthText);
  if (year < EARLIEST_YEAR || year > dates.today.year + 1 || month < 1 || month > 12) return undefined;
  if (dayText === undefined) {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const hit = buildDate({ year: String(year), month, day: String(last) }, dates);
    const firstDay = buildDate({ year: String(year), month, day: '1' }, dates);
    // A month that has not begun yet is no date.
    return hit && firstDay && firstDay.ms <= dates.now.toMillis() + DAY_MS ? { year, month, ms: hit.ms } : undefined;
  }
  const day = Number(dayText);
  const hit = buildDate({ year: String(year), month, day: String(day) }, dates);
  if (!hit || hit.ms > dates.now.toMillis() + DAY_MS) return undefined;
  return { year, month, day, ms: hit.ms };
}

const EARLIEST_YEAR = 1990;
const DAY_MS = 86_400_000;
