/** Renders one source's history into its three feed files. */
import { feedLanguage, renderFeed, writeFeedFiles, type FeedMeta, type RenderedFeed } from '../feed/index.js';
import { bumpFeedVersion } from './feed-version.js';
import type { SourceConfig, StoredItem } from '../model.js';
import type { PipelineDeps } from './deps.js';
import { listFailureNoticeItems } from './failure-notices.js';

/** Page facts remembered between runs so a feed can be re-rendered without refetching. */
export interface PageMemo {
  title?: string;
  language?: string;
  icon?: string;
}

/**
 * A source's feed title: its `name:`, else the page's own `<title>`. The config names a source without
 * `name:` after its id, and a subscriber would rather read "新闻专区 - 环境部" than "tw-news".
 */
export function sourceFeedTitle(source: SourceConfig, page: PageMemo): string {
  const pageTitle = page.title?.replace(/\s+/g, ' ').trim();
  return source.name === source.id && pageTitle ? pageTitle : source.name;
}

/** The feed metadata of a source. */
export function sourceFeedMeta(source: SourceConfig, deps: Pick<PipelineDeps, 'site'>, page: PageMemo): FeedMeta {
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

/** Renders the source's feed (its history and any failure notices); the worker and servers share this. */
export async function renderSourceFeed(
  source: SourceConfig,
  deps: Pick<PipelineDeps, 'store' | 'site'>,
  history: StoredItem[],
  page: PageMemo,
): Promise<RenderedFeed> {
  const notices = await listFailureNoticeItems(source, deps);
  return renderFeed(sourceFeedMeta(source, deps, page), notices.length ? [...notices, ...history] : history);
}

/** Renders the source's feed, bumps its version when it changed, and writes its files; returns the files that changed. */
export async function publishSourceFeed(source: SourceConfig, deps: PipelineDeps, history: StoredItem[], page: PageMemo): Promise<string[]> {
  const feed = await renderSourceFeed(source, deps, history, page);
  await bumpFeedVersion(deps.store, source.id, feed);
  return writeFeedFiles(deps.outputDir, feed);
}
