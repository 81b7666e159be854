/**
 * Pure rendering of one feed (a source's or a topic's) into RSS 2.0, Atom 1.0 and JSON Feed 1.1.
 * Same input, same bytes: nothing here reads the clock.
 */
import type { StoredItem } from '../model.js';
import { prepareEntry, sortNewestFirst, normalizeHttpUrl, type FeedEntry } from './feed-entry.js';
import { feedFileNames } from './feed-file-names.js';
import { renderJsonFeed, type JsonChannel } from './render-json-feed.js';
import { renderAtom, renderRss, type XmlChannel } from './render-xml-feeds.js';
import { toXmlSafeLine, toXmlSafeText } from './safe-text.js';

/** Feed-level settings of one feed. */
export interface FeedMeta {
  id: string;
  title: string;
  description?: string;
  homePageUrl: string;
  /** Public base URL of the output folder (site.url); self links are `${siteUrl}${id}.rss.xml` etc. */
  siteUrl?: string;
  language?: string;
  ttlMinutes?: number;
  image?: string;
  icon?: string;
  maxItems: number;
  /** IANA zone whose offset the feed's dates are written in (the source's zone); UTC when absent. */
  timezone?: string;
  /** `topic`: entries get GUIDs of their own (topic id + item id), never the source feed's. Default `source`. */
  kind?: 'source' | 'topic';
}

/** The three documents of one feed. */
export interface RenderedFeed {
  id: string;
  rss: string;
  atom: string;
  json: string;
  /** Newest item date (publication or content update); undefined for an empty feed. */
  updated?: Date;
  itemCount: number;
}

/** One of a feed's three documents. */
export type FeedFormat = 'rss' | 'atom' | 'json';

/** One document of a feed, as {@link renderFeedDocument} writes it. */
export interface RenderedFeedDocument {
  format: FeedFormat;
  body: string;
  /** Newest item date (publication or content update); undefined for an empty feed. */
  updated?: Date;
  itemCount: number;
}

/** Pure: StoredItem[] (any order) → the three documents, newest first, at most maxItems; byte-stable for the same input. */
export function renderFeed(meta: FeedMeta, items: StoredItem[]): RenderedFeed {
  const prepared = prepareFeed(meta, items);
  return {
    id: meta.id,
    rss: writeFormat(prepared, 'rss'),
    atom: writeFormat(prepared, 'atom'),
    json: writeFormat(prepared, 'json'),
    updated: prepared.updated,
    itemCount: prepared.entries.length,
  };
}

/**
 * Pure: one document of the feed, byte-identical to the same format in {@link renderFeed}'s result
 * (servers render only the format asked for; the RSS and Atom writers cost ~0.5 and ~1 ms each for 50 items).
 */
export function renderFeedDocument(meta: FeedMeta, items: StoredItem[], format: FeedFormat): RenderedFeedDocument {
  const prepared = prepareFeed(meta, items);
  return { format, body: writeFormat(prepared, format), updated: prepared.updated, itemCount: prepared.entries.length };
}

// --- Internal helpers ---

/** What every format is written from: the entries and channel values, prepared once. */
interface PreparedFeed {
  entries: FeedEntry[];
  channel: XmlChannel;
  json: JsonChannel;
  timezone?: string;
  updated?: Date;
}

function prepareFeed(meta: FeedMeta, items: StoredItem[]): PreparedFeed {
  const homePageUrl = normalizeHttpUrl(meta.homePageUrl) ?? meta.homePageUrl;
  const shown = sortNewestFirst(items).slice(0, Math.max(0, meta.maxItems));
  const topicId = meta.kind === 'topic' ? meta.id : undefined;
  const entries = shown.map((item) => prepareEntry(item, homePageUrl, topicId));
  const updated = entries.reduce<Date | undefined>(
    (newest, e) => (newest === undefined || e.updated > newest ? e.updated : newest),
    undefined,
  );
  const names = feedFileNames(meta.id);
  const base = selfBase(meta.siteUrl);
  const title = toXmlSafeLine(meta.title) || meta.id;
  const description = meta.description ? toXmlSafeText(meta.description).trim() : '';
  const language = meta.language ? toXmlSafeLine(meta.language) : undefined;
  const image = normalizeHttpUrl(meta.image);
  const icon = normalizeHttpUrl(meta.icon);
  const channel: XmlChannel = {
    atomId: base === undefined ? `urn:feedwright:feed:${encodeURIComponent(meta.id)}` : `${base}${names.atom}`,
    title,
    description: description || title,
    homePageUrl,
    updated: updated ?? EMPTY_FEED_DATE,
    authorName: title,
    ...(meta.timezone ? { timezone: meta.timezone } : {}),
    ...(base === undefined ? {} : { selfRss: `${base}${names.rss}`, selfAtom: `${base}${names.atom}` }),
    ...(language ? { language } : {}),
    ...(meta.ttlMinutes && meta.ttlMinutes > 0 ? { ttlMinutes: Math.round(meta.ttlMinutes) } : {}),
    ...(image ? { image } : {}),
    ...(icon ? { icon } : {}),
  };
  const json: JsonChannel = {
    title,
    homePageUrl,
    authorName: title,
    ...(description ? { description } : {}),
    ...(base === undefined ? {} : { selfJson: `${base}${names.json}` }),
    ...(language ? { language } : {}),
    ...(image ? { image } : {}),
    ...(icon ? { icon } : {}),
  };
  return { entries, channel, json, ...(meta.timezone ? { timezone: meta.timezone } : {}), updated };
}

function writeFormat(prepared: PreparedFeed, format: FeedFormat): string {
  if (format === 'rss') return renderRss(prepared.channel, prepared.entries);
  if (format === 'atom') return renderAtom(prepared.channel, prepared.entries);
  return renderJsonFeed(prepared.json, prepared.entries, prepared.timezone);
}

/** An empty feed still needs a fixed date, or `feed` would write "now" and the bytes would change every run. */
const EMPTY_FEED_DATE = new Date(0);

function selfBase(siteUrl: string | undefined): string | undefined {
  const normalized = normalizeHttpUrl(siteUrl);
  if (normalized === undefined) return undefined;
  return normalized.endsWith('/') ? normalized : `${normalized}/`;
}
