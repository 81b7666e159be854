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
  return DateTime.fromMillis(date.getTime(), { zone: getCachedZone(zone), locale: 'en-US' }).toRFC2822() ?? date.toUTCString();
}

/** RFC 3339 date with the zone's offset (no milliseconds), for Atom and JSON Feed. */
export function formatRfc3339(date: Date, zone: string | undefined): string {
  const local = zone ? DateTime.fromJSDate(date, { zone: getCachedZone(zone) }) : DateTime.fromJSDate(date, { zone: 'utc' });
  return local.toISO({ suppressMilliseconds: true }) ?? date.toISOString();
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

const RSS_DATE_LINE = /^(\s*)<(pubDate|lastBuildDate)>([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)<\/\2>$/gm;
const ATOM_DATE_LINE = /^(\s*)<(updated|published)>(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z)<\/\2>$/gm;
