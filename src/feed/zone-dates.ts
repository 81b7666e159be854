/**
 * Feed dates written in the feed's own time zone: a subscriber in China reads
 * `Fri, 27 Nov 2026 09:30:00 +0800`, not the same instant as `01:30:00 GMT`. The instant is
 * unchanged; only the offset shown differs, so every reader computes the same time.
 */
import { DateTime } from 'luxon';
import { getCachedZone } from '../time/cached-zone.js';

/** RFC 822/2822 date with the zone's numeric offset, for RSS `pubDate` / `lastBuildDate`. */
export function formatRfc822(date: Date, zone: string | undefined): string {
  if (!zone) return date.toUTCString();
  return remembered(rfc822Texts, date.getTime(), zone, writeRfc822);
}

/** RFC 3339 date with the zone's offset (no milliseconds), for Atom and JSON Feed. */
export function formatRfc3339(date: Date, zone: string | undefined): string {
  return remembered(rfc3339Texts, date.getTime(), zone ?? '', writeRfc3339);
}

/**
 * `2026-11-27 09:30 UTC+08:00` (`withTime`) or `11-27`: a date on the index page, in the zone.
 * Undefined for an invalid date or zone.
 */
export function formatZoneLabel(date: Date, zone: string, withTime: boolean): string | undefined {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return undefined;
  const offset = offsetMinutes(ms, zone);
  const local = new Date(ms + (offset ?? 0) * 60_000);
  const year = local.getUTCFullYear();
  if (offset === undefined || year < 1000 || year > 9999) {
    const luxon = DateTime.fromMillis(ms, { zone: getCachedZone(zone) });
    if (!luxon.isValid) return undefined;
    return luxon.toFormat(withTime ? "yyyy-MM-dd HH:mm 'UTC'ZZ" : 'MM-dd');
  }
  const day = `${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())}`;
  if (!withTime) return day;
  return `${year}-${day} ${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())} UTC${formatOffset(offset, ':')}`;
}

/**
 * The date as the `feed` package should write it in the zone: `feed` writes a Date with
 * `toUTCString()` (RSS) and `toISOString()` (Atom), and this Date answers those with
 * {@link formatRfc822} and {@link formatRfc3339} in the zone. The same instant, so anything else
 * reading it gets the same time; without a zone (or for an invalid date) the date itself.
 * (Rewriting the UTC dates in the finished XML instead cost one more pass over, and copy of, each document.)
 */
export function zonedDate(date: Date, zone: string | undefined): Date {
  if (!zone || Number.isNaN(date.getTime())) return date;
  return new ZonedDate(date.getTime(), zone);
}

// --- Internal helpers ---

/**
 * Texts already written, per zone and instant: a list page's items share a few dates (days), and a
 * feed writes each item's dates in two or three formats, so most dates were written before. Each
 * map is emptied when it reaches {@link MAX_REMEMBERED} texts.
 */
const rfc822Texts = new Map<string, Map<number, string>>();
const rfc3339Texts = new Map<string, Map<number, string>>();
const MAX_REMEMBERED = 4096;

function remembered(
  texts: Map<string, Map<number, string>>,
  ms: number,
  zone: string,
  write: (ms: number, zone: string) => string,
): string {
  let byInstant = texts.get(zone);
  if (byInstant === undefined) texts.set(zone, (byInstant = new Map()));
  let text = byInstant.get(ms);
  if (text === undefined) {
    text = write(ms, zone);
    if (byInstant.size >= MAX_REMEMBERED) byInstant.clear();
    byInstant.set(ms, text);
  }
  return text;
}

function writeRfc822(ms: number, zone: string): string {
  const date = new Date(ms);
  const offset = offsetMinutes(ms, zone);
  // The zone's wall clock is the instant shifted by its offset, read with the UTC getters.
  const local = new Date(ms + (offset ?? 0) * 60_000);
  const year = local.getUTCFullYear();
  if (offset === undefined || year < 1000 || year > 9999) {
    return DateTime.fromMillis(ms, { zone: getCachedZone(zone), locale: 'en-US' }).toRFC2822() ?? date.toUTCString();
  }
  const day = `${WEEKDAYS[local.getUTCDay()]}, ${pad2(local.getUTCDate())} ${MONTHS[local.getUTCMonth()]} ${year}`;
  return `${day} ${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())} ${formatOffset(offset, '')}`;
}

function writeRfc3339(ms: number, zone: string): string {
  const date = new Date(ms);
  const offset = zone ? offsetMinutes(ms, zone) : 0;
  const local = new Date(ms + (offset ?? 0) * 60_000);
  const year = local.getUTCFullYear();
  if (offset === undefined || year < 1000 || year > 9999) {
    const luxon = zone
      ? DateTime.fromJSDate(date, { zone: getCachedZone(zone) })
      : DateTime.fromJSDate(date, { zone: 'utc' });
    return luxon.toISO({ suppressMilliseconds: true }) ?? date.toISOString();
  }
  // toISOString() of the shifted instant is the wall clock: keep its date and time, drop the Z.
  const iso = local.toISOString();
  const wall = local.getUTCMilliseconds() === 0 ? iso.slice(0, 19) : iso.slice(0, 23);
  return `${wall}${zone ? formatOffset(offset, ':') : 'Z'}`;
}

/** See {@link zonedDate}. The formatters get a plain Date: their fallbacks call the Date's own methods. */
class ZonedDate extends Date {
  constructor(
    ms: number,
    private readonly zone: string,
  ) {
    super(ms);
  }

  override toUTCString(): string {
    return formatRfc822(new Date(this.getTime()), this.zone);
  }

  override toISOString(): string {
    return formatRfc3339(new Date(this.getTime()), this.zone);
  }
}

// Dates are formatted by hand from the zone's cached offset: building a luxon DateTime per date was
// ~1.5 ms of a feed's ~30 ms. Years outside 1000–9999 (never on a real page) still go through luxon.
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The zone's offset from UTC at this instant, in minutes; undefined for an unknown zone (luxon then decides). */
function offsetMinutes(ms: number, zone: string): number | undefined {
  const cached = getCachedZone(zone);
  if (!cached.isValid) return undefined;
  const offset = cached.offset(ms);
  // Whole minutes only: historical local mean times (+08:05:43) are left to luxon.
  return Number.isInteger(offset) ? offset : undefined;
}

/** `+0800` (separator '') or `+08:00` (separator ':'). */
function formatOffset(minutes: number, separator: string): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}${separator}${pad2(abs % 60)}`;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
