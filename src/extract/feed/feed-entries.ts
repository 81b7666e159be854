/**
 * Flattening the four feed formats feedsmith parses (RSS, RDF, Atom, JSON Feed) into one entry shape
 * with the raw values this stage needs.
 */
import type { AnyFeed } from 'feedsmith';

/** A parsed feed as feedsmith returns it. */
export type AnyParsedFeed = AnyFeed<string>;

/** One entry of a feed read as a source (RSS, Atom or JSON Feed) in format-neutral form, values as the feed wrote them; feed/FeedEntry is the one feedwright writes. */
export interface SourceFeedEntry {
  title?: string;
  /** Whether `title` is HTML (Atom `type="html"`/`xhtml`, or markup found in an RSS title). */
  titleIsHtml: boolean;
  link?: string;
  published?: string;
  updated?: string;
  summary?: string;
  summaryIsHtml: boolean;
  authors: string[];
  categories: string[];
  image?: string;
  guid?: string;
}

/** Feed-level facts used for the page info and as the base of relative links. */
export interface FeedHead {
  title?: string;
  link?: string;
  language?: string;
  icon?: string;
  /** `xml:base` of the feed, when it declares one. */
  base?: string;
}

/** Flattens a parsed feed into its head and entries. */
export function flattenFeed(parsed: AnyParsedFeed): { head: FeedHead; entries: SourceFeedEntry[] } {
  switch (parsed.format) {
    case 'rss':
      return { head: rssHead(parsed.feed), entries: (parsed.feed.items ?? []).map(rssEntry) };
    case 'rdf':
      return { head: rssHead(parsed.feed), entries: (parsed.feed.items ?? []).map(rssEntry) };
    case 'atom':
      return { head: atomHead(parsed.feed), entries: (parsed.feed.entries ?? []).map(atomEntry) };
    case 'json':
      return { head: jsonHead(parsed.feed), entries: (parsed.feed.items ?? []).map(jsonEntry) };
  }
}

// --- Internal helpers ---

type RssLike = Extract<AnyParsedFeed, { format: 'rss' }>['feed'];
type RdfLike = Extract<AnyParsedFeed, { format: 'rdf' }>['feed'];
type AtomLike = Extract<AnyParsedFeed, { format: 'atom' }>['feed'];
type JsonLike = Extract<AnyParsedFeed, { format: 'json' }>['feed'];
type RssItem = NonNullable<RssLike['items']>[number];
type RdfItem = NonNullable<RdfLike['items']>[number];
type AtomEntry = NonNullable<AtomLike['entries']>[number];
type JsonItem = NonNullable<JsonLike['items']>[number];

/** True when a text carries HTML tags (RSS descriptions may be either plain or HTML). */
function hasMarkup(text: string | undefined): boolean {
  return text !== undefined && /<\/?[a-z][^>]*>/i.test(text);
}

function rssHead(feed: RssLike | RdfLike): FeedHead {
  const image = 'image' in feed ? feed.image?.url : undefined;
  const language = 'language' in feed ? feed.language : feed.dc?.languages?.[0];
  return { title: feed.title, link: feed.link, language, icon: image, base: feed.xml?.base };
}

function rssEntry(item: RssItem | RdfItem): SourceFeedEntry {
  const rss = item as Partial<RssItem>;
  const encoded = item.content?.encoded;
  const description = item.description ?? item.dc?.descriptions?.[0];
  const summary = description ?? encoded;
  const authors = [...(rss.authors ?? []).map((a) => a.name ?? a.email ?? ''), ...(item.dc?.creators ?? [])];
  const categories = [...(rss.categories ?? []).map((c) => c.name ?? ''), ...(item.dc?.subjects ?? [])];
  const enclosure = rss.enclosures?.find((e) => (e.type ?? '').startsWith('image/'))?.url;
  const thumbnail = item.media?.thumbnails?.[0]?.url ?? item.media?.contents?.find((c) => c.medium === 'image')?.url;
  return {
    title: item.title,
    titleIsHtml: /<[a-z][^>]*>|&[a-z#0-9]+;/i.test(item.title ?? ''),
    link: item.link ?? (rss.guid?.isPermaLink !== false ? rss.guid?.value : undefined),
    published: rss.pubDate ?? item.dc?.dates?.[0] ?? item.dcterms?.issued?.[0] ?? item.atom?.published,
    updated: item.atom?.updated ?? item.dcterms?.modified?.[0],
    summary,
    summaryIsHtml: hasMarkup(summary),
    authors,
    categories,
    image: enclosure ?? thumbnail,
    guid: rss.guid?.value ?? ('rdf' in item ? item.rdf?.about : undefined),
  };
}

function atomHead(feed: AtomLike): FeedHead {
  const link = feed.links?.find((l) => !l.rel || l.rel === 'alternate')?.href;
  return {
    title: feed.title?.value,
    link,
    language: feed.xml?.lang,
    icon: feed.icon ?? feed.logo,
    base: feed.xml?.base,
  };
}

function atomEntry(entry: AtomEntry): SourceFeedEntry {
  const link =
    entry.links?.find((l) => !l.rel || l.rel === 'alternate') ??
    entry.links?.find((l) => l.rel !== 'enclosure' && l.rel !== 'self');
  const text = entry.summary ?? entry.content;
  const textType = text?.type ?? 'text';
  const image =
    entry.links?.find((l) => l.rel === 'enclosure' && (l.type ?? '').startsWith('image/'))?.href ??
    entry.media?.thumbnails?.[0]?.url;
  return {
    title: entry.title?.value,
    titleIsHtml: entry.title?.type === 'html' || entry.title?.type === 'xhtml',
    link: link?.href,
    published: entry.published ?? entry.dc?.dates?.[0],
    updated: entry.updated,
    summary: text?.value,
    summaryIsHtml: textType === 'html' || textType === 'xhtml',
    authors: (entry.authors ?? []).map((a) => a.name ?? ''),
    categories: (entry.categories ?? []).map((c) => c.label ?? c.term ?? ''),
    image,
    guid: entry.id,
  };
}

function jsonHead(feed: JsonLike): FeedHead {
  return { title: feed.title, link: feed.home_page_url, language: feed.language, icon: feed.favicon ?? feed.icon };
}

function jsonEntry(item: JsonItem): SourceFeedEntry {
  const summary = item.summary ?? item.content_html ?? item.content_text;
  const html = item.summary === undefined && item.content_html !== undefined && hasMarkup(item.content_html);
  return {
    title: item.title,
    titleIsHtml: false,
    link: item.url ?? item.external_url,
    published: item.date_published,
    updated: item.date_modified,
    summary,
    summaryIsHtml: html,
    authors: (item.authors ?? []).map((a) => a.name ?? ''),
    categories: item.tags ?? [],
    image: item.image ?? item.banner_image,
    guid: item.id,
  };
}
