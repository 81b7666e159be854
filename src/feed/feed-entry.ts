/**
 * One feed entry prepared once for all three formats: XML-safe text, a validated link, a stable
 * GUID, and the dates. Renderers only decide how to write these values.
 */
import type { StoredItem } from '../model.js';
import { escapeMarkup, toXmlSafeLine, toXmlSafeText } from './safe-text.js';

/** A StoredItem ready to be written. */
export interface FeedEntry {
  /** Plain-text title, XML-safe. */
  title: string;
  /** The item's own link, normalised; undefined when the item has none. */
  link?: string;
  /** Where the entry points: its link, else the feed's home page. */
  url: string;
  /**
   * Stable identifier: the link itself (a permalink) or a URN built from source and item id; in a
   * topic feed always a URN built from topic and item id, because readers key items by GUID across
   * feeds and would hide a topic's copy of an item they already have from the source's feed.
   */
  guid: string;
  isPermaLink: boolean;
  /** Summary as HTML (plain-text summaries escaped), XML-safe. */
  summaryHtml?: string;
  /** Summary as plain text when the source gave plain text. */
  summaryText?: string;
  author?: string;
  image?: string;
  categories: string[];
  published: Date;
  /** Last content change; never before `published`. */
  updated: Date;
  /** The store's identity of the item, its source and first sighting: what rebuilding a lost store needs. */
  origin: { itemId: string; sourceId: string; firstSeen: Date };
}

/** Sorts items newest first (publication date, then first-seen time; equal items keep their input order). */
export function sortNewestFirst(items: readonly StoredItem[]): StoredItem[] {
  return [...items].sort(
    (a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || b.firstSeenAt.getTime() - a.firstSeenAt.getTime(),
  );
}

/** Prepares one item for rendering; `homePageUrl` stands in for a missing link; `topicId` marks a topic feed's entry. */
export function prepareEntry(item: StoredItem, homePageUrl: string, topicId?: string): FeedEntry {
  const link = normalizeHttpUrl(item.link);
  const guid =
    topicId !== undefined
      ? `urn:feedwright:topic:${encodeURIComponent(topicId)}:${item.id}`
      : (link ?? `urn:feedwright:${encodeURIComponent(item.sourceId)}:${item.id}`);
  const entry: FeedEntry = {
    title: toXmlSafeLine(item.title) || UNTITLED,
    url: link ?? homePageUrl,
    guid,
    isPermaLink: guid === link,
    categories: (item.categories ?? []).map(toXmlSafeLine).filter((c) => c !== ''),
    published: item.publishedAt,
    updated: new Date(Math.max(item.updatedAt.getTime(), item.publishedAt.getTime())),
    origin: { itemId: item.id, sourceId: item.sourceId, firstSeen: item.firstSeenAt },
  };
  if (link !== undefined) entry.link = link;
  const summary = item.summary === undefined ? '' : toXmlSafeText(item.summary).trim();
  if (summary !== '') {
    entry.summaryHtml = item.summaryIsHtml ? summary : escapeMarkup(summary).replace(/\r?\n/g, '<br>');
    if (!item.summaryIsHtml) entry.summaryText = summary;
  }
  const author = item.author === undefined ? '' : toXmlSafeLine(item.author);
  if (author !== '') entry.author = author;
  const image = normalizeHttpUrl(item.image);
  if (image !== undefined) entry.image = image;
  return entry;
}

/** Returns the URL in WHATWG-normalised form when it is an absolute http(s) URL, else undefined. */
export function normalizeHttpUrl(url: string | undefined): string | undefined {
  if (url === undefined || url.trim() === '') return undefined;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : undefined;
  } catch {
    // Not a URL at all: the entry falls back to the home page link and a URN GUID.
    return undefined;
  }
}

/** MIME type of an image URL from its extension, when it is a known one. */
export function guessImageType(url: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : IMAGE_TYPES[extension];
}

// --- Internal helpers ---

const UNTITLED = '(untitled)';

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
};
