/** Renders one source's history into its three feed files. */
import {
  feedLanguage,
  renderFeed,
  renderFeedDocument,
  writeFeedFiles,
  type FeedFormat,
  type FeedMeta,
  type RenderedFeed,
  type RenderedFeedDocument,
} from '../feed/index.js';
import type { FailureNotice, FeedVersion, RememberedPage, SourceConfig, StoredItem } from '../model.js';
import type { PipelineDeps } from './deps.js';
import { failureNoticeItems } from './failure-notices.js';
import { nextFeedVersion } from './feed-version.js';

/**
 * A source's feed title: its `name:`, else the page's own `<title>`. The config names a source without
 * `name:` after its id, and a subscriber would rather read "新闻专区 - 环境部" than "tw-news".
 */
export function sourceFeedTitle(source: SourceConfig, page: RememberedPage): string {
  const pageTitle = page.title?.replace(/\s+/g, ' ').trim();
  return source.name === source.id && pageTitle ? pageTitle : source.name;
}

/** The feed metadata of a source. */
export function sourceFeedMeta(source: SourceConfig, deps: Pick<PipelineDeps, 'site'>, page: RememberedPage): FeedMeta {
  const title = sourceFeedTitle(source, page);
  return {
    id: source.id,
    title,
    description: page.title && page.title !== title ? `${title} — ${page.title}` : `${title} (${source.url})`,
    homePageUrl: source.url,
    siteUrl: deps.site.url,
    language: feedLanguage(source.language ?? page.language ?? deps.site.language, source.convert),
    ttlMinutes: Math.max(1, Math.round(source.intervalMs / 60_000)),
    icon: page.icon,
    maxItems: source.maxItems,
    timezone: source.timezone,
  };
}

/** What a source's feed is rendered from (all of it in the source's loaded state). */
export interface SourceFeedContent {
  history: StoredItem[];
  page: RememberedPage;
  failureNotices: FailureNotice[];
  feedVersion?: FeedVersion;
}

/** Renders the source's feed (its history and any failure notices); the worker and servers share this. */
export function renderSourceFeed(
  source: SourceConfig,
  deps: Pick<PipelineDeps, 'site'>,
  content: SourceFeedContent,
): RenderedFeed {
  return renderFeed(sourceFeedMeta(source, deps, content.page), feedItems(source, content));
}

/** One document of the source's feed, byte-identical to that format in {@link renderSourceFeed}'s result (servers). */
export function renderSourceFeedDocument(
  source: SourceConfig,
  deps: Pick<PipelineDeps, 'site'>,
  content: Pick<SourceFeedContent, 'history' | 'page' | 'failureNotices'>,
  format: FeedFormat,
): RenderedFeedDocument {
  return renderFeedDocument(sourceFeedMeta(source, deps, content.page), feedItems(source, content), format);
}

function feedItems(source: SourceConfig, content: Pick<SourceFeedContent, 'history' | 'failureNotices'>): StoredItem[] {
  const notices = failureNoticeItems(source, content.failureNotices);
  return notices.length ? [...notices, ...content.history] : content.history;
}

/**
 * Renders and writes the source's feed files; returns the files that changed and, when the feed
 * changed, its next version (for the run to store with its confirming write).
 */
export async function publishSourceFeed(
  source: SourceConfig,
  deps: PipelineDeps,
  content: SourceFeedContent,
): Promise<{ written: string[]; feedVersion?: FeedVersion }> {
  const feed = renderSourceFeed(source, deps, content);
  const feedVersion = nextFeedVersion(content.feedVersion, feed);
  // Shared mode without an export: the feed is only rendered, for its version (servers render it themselves).
  const written = deps.outputDir === undefined ? [] : await writeFeedFiles(deps.outputDir, feed);
  return feedVersion ? { written, feedVersion } : { written };
}
