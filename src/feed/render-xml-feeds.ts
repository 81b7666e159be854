/**
 * RSS 2.0 and Atom 1.0 through the npm `feed` package, with its pitfalls handled here:
 * - plain-text fields (titles, authors) are escaped text, never CDATA: `feed` would write titles as
 *   CDATA, and xml-js writes `_text` without escaping `&amp;` (the literal text `&amp;` would read as
 *   `&`), so they go through {@link PlainTextSlots} placeholders and are escaped here;
 * - xml-js escapes only the first `]]>` inside CDATA, so later ones (in summaries) are pre-split (see protectCdata);
 * - an RSS `<author>` must be an e-mail address, so authors go to `dc:creator`;
 * - RSS `<guid>` is a permalink only when `guid`/`id` are left unset, so they are set only for URN GUIDs;
 * - `feed` writes Atom entry titles as `type="html"`; titles are plain text, and readers such as sfeed
 *   show HTML titles verbatim, so they are switched to `type="text"` (summaries stay HTML);
 * - `updated` defaults to "now" in `feed`, so it is always passed;
 * - `feed` writes dates in UTC (`toUTCString()`, `toISOString()`): it is handed dates that write
 *   themselves in the feed's zone (see zonedDate);
 * - `feed` puts an Atom entry's `toISOString()` into xml-js's compact tree as a bare string, and xml-js
 *   asks of every element whether it has content with a `for…in` over it: over a string that lists
 *   each of its characters (2-4 µs a date, against 0.02 µs for an object). Entry dates are therefore
 *   handed over as an xml-js text node `{ _text }`, which xml-js writes identically (see atomDate):
 *   an Atom document of 40 entries took 0.77 ms, now 0.58;
 * - for the same reason, an Atom entry's id, which `feed` always turns into a string (through
 *   `new URL()`), is handed over as a placeholder of a few characters, `x:<n>`, and the id xml-js would
 *   have written goes in its place afterwards (see {@link EntryIds}): xml-js over a 40-entry document
 *   took 0.29 ms with the ids, 0.16 ms with text nodes in their place.
 */
import { Feed, type FeedOptions, type Item } from 'feed';
import type { FeedEntry } from './feed-entry.js';
import { guessImageType } from './feed-entry.js';
import { escapeMarkup } from './safe-text.js';
import { formatRfc3339, zonedDate } from './zone-dates.js';

/** Channel-level values shared by both XML formats (already XML-safe). */
export interface XmlChannel {
  /** Stable Atom feed id. */
  atomId: string;
  title: string;
  description: string;
  homePageUrl: string;
  selfRss?: string;
  selfAtom?: string;
  language?: string;
  ttlMinutes?: number;
  image?: string;
  icon?: string;
  updated: Date;
  /** Feed-level Atom author (the source or topic name), so every entry has one. */
  authorName: string;
  /** IANA zone whose offset dates are written in; UTC when absent. */
  timezone?: string;
}

/** Writes the RSS 2.0 document. */
export function renderRss(channel: XmlChannel, entries: readonly FeedEntry[]): string {
  const text = new PlainTextSlots();
  const feed = createFeed(channel, text, {
    ...(channel.language ? { language: channel.language } : {}),
    ...(channel.ttlMinutes ? { ttl: channel.ttlMinutes } : {}),
    ...(channel.selfRss ? { feedLinks: { rss: channel.selfRss } } : {}),
  });
  for (const entry of entries) feed.addItem(toRssItem(entry, text, channel.timezone));
  const xml = text.fill(feed.rss2());
  if (!entries.some((entry) => entry.author !== undefined)) return xml;
  return xml.replace('<rss version="2.0"', `<rss version="2.0" xmlns:dc="${DC_NAMESPACE}"`);
}

/** Writes the Atom 1.0 document. */
export function renderAtom(channel: XmlChannel, entries: readonly FeedEntry[]): string {
  const ids = new EntryIds();
  const xml = writeAtom(channel, entries, ids);
  const filled = ids.fill(xml);
  // A summary holding the placeholders' own markup: written again with the ids themselves.
  return filled ?? writeAtom(channel, entries, undefined);
}

// --- Internal helpers ---

function writeAtom(channel: XmlChannel, entries: readonly FeedEntry[], ids: EntryIds | undefined): string {
  const text = new PlainTextSlots();
  const feed = createFeed(channel, text, {
    author: { name: channel.authorName },
    ...(channel.icon ? { favicon: channel.icon } : {}),
    ...(channel.selfAtom ? { feedLinks: { atom: channel.selfAtom } } : {}),
  });
  for (const entry of entries) feed.addItem(toAtomItem(entry, text, ids, channel.timezone));
  const xml = text.fill(feed.atom1().replaceAll('<title type="html">', '<title type="text">'));
  if (!channel.language) return xml;
  return xml.replace(
    '<feed xmlns="http://www.w3.org/2005/Atom"',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeMarkup(channel.language)}"`,
  );
}

const GENERATOR = 'feedwright';
const DC_NAMESPACE = 'http://purl.org/dc/elements/1.1/';

/**
 * Pre-splits every `]]>` but the first: xml-js then splits the first one itself
 * (`cdata.replace(']]>', …)` without /g), so every occurrence ends up closed and reopened.
 */
function protectCdata(text: string): string {
  const first = text.indexOf(']]>');
  if (first === -1) return text;
  const head = text.slice(0, first + 3);
  return head + text.slice(first + 3).replaceAll(']]>', ']]]]><![CDATA[>');
}

/**
 * Plain text written as escaped character data. Each value is handed to `feed` as a placeholder
 * (`\u0001n\u0001`: U+0001 never survives toXmlSafeText, so no real text contains one), and the
 * placeholder, with the CDATA wrapper `feed` may have put around it, is replaced by the escaped text.
 */
class PlainTextSlots {
  private readonly values: string[] = [];

  /** The placeholder for `value`. */
  slot(value: string): string {
    this.values.push(value);
    return `\u0001${this.values.length - 1}\u0001`;
  }

  /** Replaces every placeholder in `xml` by its escaped text. */
  fill(xml: string): string {
    return xml.replace(/(?:<!\[CDATA\[)?\u0001(\d+)\u0001(?:\]\]>)?/g, (_, index: string) =>
      escapeMarkup(this.values[Number(index)] ?? ''),
    );
  }
}

/** The channel options both formats share, plus the format-specific ones. */
function createFeed(channel: XmlChannel, text: PlainTextSlots, formatOptions: Partial<FeedOptions>): Feed {
  return new Feed({
    id: channel.atomId,
    title: text.slot(channel.title),
    description: text.slot(channel.description),
    link: channel.homePageUrl,
    updated: zonedDate(channel.updated, channel.timezone),
    generator: GENERATOR,
    ...(channel.image ? { image: channel.image } : {}),
    ...formatOptions,
  });
}

function toRssItem(entry: FeedEntry, text: PlainTextSlots, zone: string | undefined): Item {
  const published = zonedDate(entry.published, zone);
  const item: Item = {
    title: text.slot(entry.title),
    link: entry.url,
    date: published,
    published,
  };
  if (!entry.isPermaLink) item.guid = entry.guid;
  if (entry.summaryHtml !== undefined) item.description = protectCdata(entry.summaryHtml);
  if (entry.categories.length > 0) item.category = entry.categories.map((name) => ({ name }));
  if (entry.author !== undefined)
    item.extensions = [{ name: 'dc:creator', objects: { _text: text.slot(entry.author) } }];
  const imageType = entry.image === undefined ? undefined : guessImageType(entry.image);
  if (entry.image !== undefined && imageType !== undefined)
    item.enclosure = { url: entry.image, type: imageType, length: 0 };
  return item;
}

function toAtomItem(entry: FeedEntry, text: PlainTextSlots, ids: EntryIds | undefined, zone: string | undefined): Item {
  const item: Item = {
    title: text.slot(entry.title),
    id: ids ? ids.slot(entry.guid) : entry.guid,
    link: entry.url,
    date: atomDate(entry.updated, zone),
    published: atomDate(entry.published, zone),
  };
  if (entry.summaryHtml !== undefined) item.description = protectCdata(entry.summaryHtml);
  if (entry.author !== undefined) item.author = [{ name: text.slot(entry.author) }];
  // Atom category terms are attributes, which xml-js escapes only for `"`: angle brackets are replaced.
  if (entry.categories.length > 0)
    item.category = entry.categories.map((term) => ({ term: term.replace(/</g, '‹').replace(/>/g, '›') }));
  return item;
}

/**
 * Atom entry ids as placeholders (see the header). `feed` writes an id as `new URL(id)`, `&` escaped,
 * and xml-js writes that string as text: {@link slot} works out those characters and hands `feed`
 * `x:<n>`, which `new URL()` leaves as it is. {@link fill} puts the ids in place of the placeholders;
 * it only accepts a document in which `<id>x:<n></id>` appears once per entry, in entry order and
 * nowhere else (a summary could hold that markup), and answers undefined otherwise.
 */
class EntryIds {
  private readonly texts: string[] = [];

  /** The placeholder for `id`; throws as `feed` would for an id that is no URL. */
  slot(id: string): string {
    const sanitized = new URL(id).toString().replace(/&/g, '&amp;');
    // xml-js's writeText: undo `&amp;`, then escape `&`, `<` and `>`.
    this.texts.push(
      sanitized.replace(/&amp;/g, '&').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    );
    return `x:${this.texts.length - 1}`;
  }

  /** `xml` with the ids in place of their placeholders; undefined when the placeholders are not exactly the entries'. */
  fill(xml: string): string | undefined {
    let next = 0;
    let exact = true;
    const filled = xml.replace(/<id>x:(\d+)<\/id>/g, (_, index: string) => {
      if (Number(index) !== next) exact = false;
      next += 1;
      return `<id>${this.texts[Number(index)] ?? ''}</id>`;
    });
    return exact && next === this.texts.length ? filled : undefined;
  }
}

/**
 * The date for an Atom entry: `feed` writes it with `toISOString()`, and this Date answers with the
 * date in the zone (UTC without one, as `Date#toISOString`) as an xml-js text node rather than a string,
 * which xml-js writes as the same characters (see the header). Only `feed` ever sees this Date.
 */
function atomDate(date: Date, zone: string | undefined): Date {
  return Number.isNaN(date.getTime()) ? date : new AtomDate(date.getTime(), zone);
}

class AtomDate extends Date {
  constructor(
    ms: number,
    private readonly zone: string | undefined,
  ) {
    super(ms);
  }

  override toISOString(): string {
    const plain = new Date(this.getTime());
    const text = this.zone ? formatRfc3339(plain, this.zone) : plain.toISOString();
    // An xml-js text node in place of the string `feed` expects (see the header).
    return { _text: text } as unknown as string;
  }
}
