/**
 * JSON Feed 1.1, written directly. The npm `feed` package writes version 1 with `author` instead of
 * `authors`, puts plain text into `content_html`, and sets `date_published` only from `published`;
 * the few channel fields it gets right are plain copies, so nothing here goes through it.
 */
import type { FeedEntry } from './feed-entry.js';
import { JSON_FEED_EXTENSION } from './feed-file-names.js';
import { formatRfc3339 } from './zone-dates.js';

/** Feed-level values of a JSON Feed (already cleaned). */
export interface JsonChannel {
  title: string;
  description?: string;
  homePageUrl: string;
  selfJson?: string;
  language?: string;
  image?: string;
  icon?: string;
  authorName: string;
}

/** The JSON Feed 1.1 version URL. */
export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

/** Writes the JSON Feed 1.1 document (2-space indented, stable key order). */
export function renderJsonFeed(channel: JsonChannel, entries: readonly FeedEntry[], timezone?: string): string {
  const document: Record<string, unknown> = {
    version: JSON_FEED_VERSION,
    title: channel.title,
    ...(channel.homePageUrl ? { home_page_url: channel.homePageUrl } : {}),
    ...(channel.selfJson ? { feed_url: channel.selfJson } : {}),
    ...(channel.description ? { description: channel.description } : {}),
    ...(channel.image ? { icon: channel.image } : {}),
    ...(channel.icon ? { favicon: channel.icon } : {}),
    ...(channel.language ? { language: channel.language } : {}),
    authors: [{ name: channel.authorName }],
    items: entries.map((entry) => toJsonItem(entry, timezone)),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

// --- Internal helpers ---

function toJsonItem(entry: FeedEntry, timezone: string | undefined): Record<string, unknown> {
  const item: Record<string, unknown> = { id: entry.guid, url: entry.url, title: entry.title };
  if (entry.summaryText !== undefined) item.content_text = entry.summaryText;
  else if (entry.summaryHtml !== undefined) item.content_html = entry.summaryHtml;
  // JSON Feed 1.1: "content_html and content_text are each optional strings — but one or the other must
  // be present". Without a summary there is no body to give: an empty content_text keeps the item valid
  // while readers (Miniflux, NetNewsWire, Feedbin skip blank content) show the headline once, from `title`,
  // instead of twice as a repeated title in the body would.
  else item.content_text = '';
  if (entry.image !== undefined) item.image = entry.image;
  item.date_published = formatRfc3339(entry.published, timezone);
  if (entry.updated.getTime() !== entry.published.getTime())
    item.date_modified = formatRfc3339(entry.updated, timezone);
  if (entry.author !== undefined) item.authors = [{ name: entry.author }];
  if (entry.categories.length > 0) item.tags = entry.categories;
  // A JSON Feed extension (keys starting with `_`, ignored by readers): with it an empty or lost
  // store is rebuilt from this file with the same item ids, so GUIDs stay and nothing is re-announced.
  item[JSON_FEED_EXTENSION] = {
    id: entry.origin.itemId,
    source: entry.origin.sourceId,
    first_seen: entry.origin.firstSeen.toISOString(),
  };
  return item;
}
