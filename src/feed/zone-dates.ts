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
  const ms = date.getTime();
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

/** RFC 3339 date with the zone's offset (no milliseconds), for Atom and JSON Feed. */
export function formatRfc3339(date: Date, zone: string | undefined): string {
  const ms = date.getTime();
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

/**
 * Rewrites the UTC dates the `feed` package writes (`toUTCString()` in RSS, `toISOString()` in Atom)
 * into the zone. Only whole date elements on their own line are touched: titles and summaries are
 * escaped text (no literal `<`) or CDATA on the line of their own element, so their text is never
 * rewritten by this.
 */
export function localizeFeedDates(xml: string, format: 'rss' | 'atom', zone: string | undefined): string {
  if (!zone) return xml;
  const pattern = format === 'rss' ? RSS_DATE_LINE : ATOM_DATE_LINE;
  return xml.replace(pattern, (line, indent: string, tag: string, value: string) => {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return line;
    const formatted = format === 'rss' ? formatRfc822(date, zone) : formatRfc3339(date, zone);
    return `${indent}<${tag}>${formatted}</${tag}>`;
  });
}

// --- Internal helpers ---

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

const RSS_DATE_LINE =
  /^(\s*)<(pubDate|lastBuildDate)>([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)<\/\2>$/gm;
const ATOM_DATE_LINE = /^(\s*)<(updated|published)>(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z)<\/\2>$/gm;
