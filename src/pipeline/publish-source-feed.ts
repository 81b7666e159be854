/** Renders one source's history into its three feed files. */
import { feedLanguage, renderFeed, writeFeedFiles, type FeedMeta } from '../feed/index.js';
import type { SourceConfig, StoredItem } from '../model.js';
import type { PipelineDeps } from './deps.js';
import { listFailureNoticeItems } from './failure-notices.js';

/** Page facts remembered between runs so a feed can be re-rendered without refetching. */
export interface PageMemo {
  title?: string;
  language?: string;
  icon?: string;
}

/** The feed metadata of a source. */
export function sourceFeedMeta(source: SourceConfig, deps: Pick<PipelineDeps, 'site'>, page: PageMemo): FeedMeta {
  return {
    id: source.id,
    title: source.name,
    description: page.title && page.title !== source.name ? `${source.name} — ${page.title}` : `${source.name} (${source.url})`,
    homePageUrl: source.url,
    siteUrl: deps.site.url,
    language: feedLanguage(source.language ?? page.language ?? deps.site.language, source.convert),
    ttlMinutes: Math.max(1, Math.round(source.intervalMs / 60_000)),
    icon: page.icon,
    maxItems: source.maxItems,
    timezone: source.timezone,
  };
}

/** Renders and writes the source's feeds; returns the files that changed. */
export async function publishSourceFeed(source: SourceConfig, deps: PipelineDeps, history: StoredItem[], page: PageMemo): Promise<string[]> {
  const notices = await listFailureNoticeItems(source, deps);
  return writeFeedFiles(deps.outputDir, renderFeed(sourceFeedMeta(source, deps, page), notices.length ? [...notices, ...history] : history));
}
