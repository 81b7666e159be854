/**
 * Everything that spans sources: topic feeds, `feeds.opml` and `index.html`. Rebuilt from the
 * store after each pass, and written only when their content changed.
 */
import { renderFeed, renderIndexPage, renderOpml, selectTopicItems, writeFeedFiles, writeOutputFile, type FeedListing } from '../feed/index.js';
import type { AppConfig, SourceHealth, StoredItem, TopicFeedConfig } from '../model.js';
import type { PipelineDeps } from './deps.js';
import { sourceFeedMeta, type PageMemo } from './publish-source-feed.js';
import { RECORD } from './run-source.js';
import { initialHealth } from './source-health.js';

/** Writes topic feeds, OPML and the index page; returns the files that changed. */
export async function publishSite(config: AppConfig, deps: PipelineDeps): Promise<string[]> {
  const histories = new Map<string, StoredItem[]>();
  const listings: FeedListing[] = [];
  for (const source of config.sources) {
    const history = await deps.store.listHistory(source.id);
    histories.set(source.id, history);
    const health: SourceHealth = (await deps.store.getHealth(source.id)) ?? initialHealth(source.id);
    const page = (await deps.store.getRecord<PageMemo>(RECORD.page, source.id)) ?? {};
    const meta = sourceFeedMeta(source, deps, page);
    listings.push({
      id: source.id,
      kind: 'source',
      title: source.name,
      description: meta.description,
      homePageUrl: source.url,
      updated: newestDate(history),
      itemCount: Math.min(history.length, source.maxItems),
      health,
      language: meta.language,
    });
  }
  const written: string[] = [];
  for (const topic of config.feeds) {
    const items = selectTopicItems(topic, histories);
    written.push(...(await writeFeedFiles(deps.outputDir, renderFeed(topicMeta(topic, config, deps), items))));
    listings.push({
      id: topic.id,
      kind: 'topic',
      title: topic.title,
      description: topic.description,
      homePageUrl: deps.site.url ?? config.sources[0]?.url ?? '',
      updated: newestDate(items),
      itemCount: Math.min(items.length, topic.maxItems),
      language: topic.language,
    });
  }
  if (await writeOutputFile(deps.outputDir, 'feeds.opml', renderOpml(config.site, listings))) written.push('feeds.opml');
  if (await writeOutputFile(deps.outputDir, 'index.html', renderIndexPage(config.site, listings, newestListing(listings), { timeZone: config.site.timezone }))) written.push('index.html');
  return written;
}

// --- Internal helpers ---

function topicMeta(topic: TopicFeedConfig, config: AppConfig, deps: PipelineDeps) {
  const shortest = Math.min(...config.sources.map((source) => source.intervalMs));
  return {
    id: topic.id,
    title: topic.title,
    description: topic.description ?? topic.title,
    homePageUrl: deps.site.url ?? config.sources[0]?.url ?? 'http://localhost/',
    siteUrl: deps.site.url,
    language: topic.language ?? deps.site.language,
    ttlMinutes: Math.max(1, Math.round(shortest / 60_000)),
    maxItems: topic.maxItems,
    timezone: config.site.timezone,
  };
}

function newestListing(listings: FeedListing[]): Date | undefined {
  let newest: Date | undefined;
  for (const listing of listings) if (listing.updated && (!newest || listing.updated > newest)) newest = listing.updated;
  return newest;
}

function newestDate(items: StoredItem[]): Date | undefined {
  let newest: Date | undefined;
  for (const item of items) if (!newest || item.publishedAt > newest) newest = item.publishedAt;
  return newest;
}
