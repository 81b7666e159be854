/**
 * Everything that spans sources: topic feeds, `feeds.opml` and `index.html`. Rebuilt from the
 * store after each pass when what they are built from changed (site-inputs.ts), and written only
 * when their content changed.
 */
import {
  feedFileNames,
  INDEX_HEADLINES,
  renderFeed,
  renderFeedDocument,
  type FeedFormat,
  type FeedMeta,
  type RenderedFeedDocument,
  renderIndexPage,
  renderOpml,
  selectTopicItems,
  writeFeedFiles,
  writeOutputFile,
  type FeedListing,
  type ListedHeadline,
  type RenderedFeed,
} from '../feed/index.js';
import type { AppConfig, SourceConfig, StoredItem, TopicFeedConfig } from '../model.js';
import type { SiteState } from '../store/index.js';
import type { PipelineDeps } from './deps.js';
import { readFeedVersions } from './feed-version.js';
import { mapWithLimit } from './map-with-limit.js';
import { sourceFeedMeta, sourceFeedTitle } from './publish-source-feed.js';
import { initialHealth } from './source-health.js';
import {
  digestSiteInputs,
  forgetSiteWritten,
  isSiteCurrent,
  rememberSiteWritten,
  type SiteSource,
} from './site-inputs.js';

/** Topic feeds, OPML and the index page as rendered from the store, before any write. */
export interface RenderedSite {
  topics: RenderedFeed[];
  opml: string;
  index: string;
}

/**
 * Decides, just before the files are written, whether a site rendered from the store at the given
 * feed versions may be written (shared mode: only the elected worker's, never older than the site
 * already written). Resolves false to drop the rebuild.
 */
export interface SiteWriteGuard {
  allow(versions: ReadonlyMap<string, number>): Promise<boolean>;
}

/**
 * Writes topic feeds, OPML and the index page; returns the files that changed. Nothing without an
 * output folder, and nothing but the sources' state read when the site's inputs are those of the
 * site last written there (as recorded in the store). With a guard, the feed versions are read before rendering
 * (the rendered data is at least that new) and the guard is asked before anything is written.
 */
export async function publishSite(config: AppConfig, deps: PipelineDeps, guard?: SiteWriteGuard): Promise<string[]> {
  const outputDir = deps.outputDir;
  if (outputDir === undefined) return [];
  const ids = config.sources.map((source) => source.id);
  const versions = guard ? await readFeedVersions(deps.store, ids) : [];
  const sources = await readSiteSources(config, deps);
  const digest = digestSiteInputs(config, deps.site, sources);
  if (await isSiteCurrent(deps.store, outputDir, digest)) return [];
  const site = await renderSiteFrom(config, deps, sources);
  if (guard && !(await guard.allow(new Map(ids.map((id, index) => [id, versions[index] ?? 0]))))) return [];
  const written: string[] = [];
  // Until every file is written, this output folder holds no known site.
  await forgetSiteWritten(deps.store, outputDir);
  for (const feed of site.topics) written.push(...(await writeFeedFiles(outputDir, feed)));
  if (await writeOutputFile(outputDir, 'feeds.opml', site.opml)) written.push('feeds.opml');
  if (await writeOutputFile(outputDir, 'index.html', site.index)) written.push('index.html');
  const names = site.topics.flatMap((feed) => Object.values(feedFileNames(feed.id)));
  await rememberSiteWritten(deps.store, outputDir, digest, [...names, 'feeds.opml', 'index.html']);
  return written;
}

/** Renders topic feeds, OPML and the index page from the store; the worker and servers share this. */
export async function renderSite(config: AppConfig, deps: Pick<PipelineDeps, 'store' | 'site'>): Promise<RenderedSite> {
  return renderSiteFrom(config, deps, await readSiteSources(config, deps));
}

/** Every source's state (not its history) and the check time the index page shows for it. */
async function readSiteSources(config: AppConfig, deps: Pick<PipelineDeps, 'store'>): Promise<SiteSource[]> {
  // Every state in one read (a few for a large config): a read per source was most of the cost of
  // deciding that an unchanged pass leaves the site as it is. Only the parts the site is built from.
  const states = await deps.store.loadSiteStates(config.sources.map((source) => source.id));
  // Concurrently: with a networked store (Redis) the round trips of moved check times overlap.
  return mapWithLimit(config.sources, SITE_READS_IN_FLIGHT, async (source, index) => {
    const state = states[index] as SiteState;
    return { source, state, checkedAt: await shownCheckTime(source, state, deps) };
  });
}

async function renderSiteFrom(
  config: AppConfig,
  deps: Pick<PipelineDeps, 'store' | 'site'>,
  sources: readonly SiteSource[],
): Promise<RenderedSite> {
  // A bounded number of histories read at a time: all 1,000 sources of a large config at once were
  // the pass's peak memory.
  const sourceListings = await mapWithLimit(sources, SITE_READS_IN_FLIGHT, (source) => readSourceListing(source, deps));
  const histories = new Map(sourceListings.map(({ listing, history }) => [listing.id, history]));
  const listings: FeedListing[] = sourceListings.map(({ listing }) => listing);
  const topics: RenderedFeed[] = [];
  for (const topic of config.feeds) {
    const items = selectTopicItems(topic, histories);
    const meta = topicMeta(topic, config, deps);
    topics.push(renderFeed(meta, items));
    listings.push({
      id: topic.id,
      kind: 'topic',
      title: topic.title,
      description: topic.description,
      homePageUrl: meta.homePageUrl,
      updated: newestDate(items),
      itemCount: Math.min(items.length, topic.maxItems),
      headlines: headlinesOf(items),
      language: topic.language,
    });
  }
  const opml = renderOpml(config.site, listings);
  const index = renderIndexPage(config.site, listings, newestListing(listings), { timeZone: config.site.timezone });
  return { topics, opml, index };
}

/** Renders one topic feed from its member sources' histories only. */
export async function renderTopicFeed(
  topic: TopicFeedConfig,
  config: AppConfig,
  deps: Pick<PipelineDeps, 'store' | 'site'>,
): Promise<RenderedFeed> {
  const members = topicMembers(topic, config);
  const histories = new Map(
    await Promise.all(members.map(async (source) => [source.id, await deps.store.listHistory(source.id)] as const)),
  );
  return renderFeed(topicMeta(topic, config, deps), selectTopicItems(topic, histories));
}

/** One document of a topic feed from its member sources' histories (by source id); servers render only the format asked for. */
export function renderTopicFeedDocument(
  topic: TopicFeedConfig,
  config: AppConfig,
  deps: Pick<PipelineDeps, 'site'>,
  histories: ReadonlyMap<string, StoredItem[]>,
  format: FeedFormat,
): RenderedFeedDocument {
  return renderFeedDocument(topicMeta(topic, config, deps), selectTopicItems(topic, histories), format);
}

/** The sources a topic feed merges. */
export function topicMembers(topic: TopicFeedConfig, config: AppConfig): SourceConfig[] {
  return topic.sources === 'all'
    ? config.sources
    : config.sources.filter((source) => topic.sources.includes(source.id));
}

// --- Internal helpers ---

/** Source states read at once when the site files are rebuilt (enough to overlap a networked store's round trips). */
const SITE_READS_IN_FLIGHT = 16;

async function readSourceListing(
  { source, state, checkedAt }: SiteSource,
  deps: Pick<PipelineDeps, 'store' | 'site'>,
): Promise<{ listing: FeedListing; history: StoredItem[] }> {
  const history = await deps.store.readHistory(state);
  const { health, page } = state;
  const meta = sourceFeedMeta(source, deps, page);
  const title = sourceFeedTitle(source, page);
  const pageTitle = page.title?.replace(/\s+/g, ' ').trim();
  const listing: FeedListing = {
    id: source.id,
    kind: 'source',
    title,
    // The page's own title says where the items come from; the feed title already says the rest.
    description: pageTitle && pageTitle !== title ? pageTitle : undefined,
    homePageUrl: source.url,
    updated: newestDate(history),
    itemCount: Math.min(history.length, source.maxItems),
    health: health ?? initialHealth(source.id),
    checkedAt,
    headlines: headlinesOf(history),
    language: meta.language,
  };
  return { listing, history };
}

/**
 * The check time the index page shows: the last check, but kept while the last check is less than
 * half a schedule interval after the one shown. An extra pass right after another (the demo's
 * second run, a manual `run` next to the worker) then leaves index.html — and its Last-Modified —
 * untouched, each scheduled run still moves it, and a stalled worker shows an old time. The time
 * shown is always that of a real check, less than half an interval before the latest one.
 */
async function shownCheckTime(
  source: SourceConfig,
  state: SiteState,
  deps: Pick<PipelineDeps, 'store'>,
): Promise<Date | undefined> {
  const lastRunAt = state.health?.lastRunAt;
  if (!lastRunAt) return undefined;
  const actual = Date.parse(lastRunAt);
  if (Number.isNaN(actual)) return undefined;
  const shown = Date.parse(state.indexCheckedAt ?? '');
  if (!Number.isNaN(shown) && shown <= actual && actual - shown < source.intervalMs / 2) return new Date(shown);
  await deps.store.saveSourceState(source.id, { indexCheckedAt: lastRunAt });
  return new Date(actual);
}

/** The newest few items, newest first, for the index page. */
function headlinesOf(items: StoredItem[]): ListedHeadline[] {
  return [...items]
    .sort(
      (a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || b.firstSeenAt.getTime() - a.firstSeenAt.getTime(),
    )
    .slice(0, INDEX_HEADLINES)
    .map((item) => ({ title: item.title, ...(item.link ? { link: item.link } : {}), published: item.publishedAt }));
}

function topicMeta(topic: TopicFeedConfig, config: AppConfig, deps: Pick<PipelineDeps, 'site'>): FeedMeta {
  // The topic refreshes as often as its most frequent source.
  const members = topicMembers(topic, config);
  const shortest = Math.min(...members.map((source) => source.intervalMs));
  return {
    id: topic.id,
    kind: 'topic',
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
  for (const listing of listings)
    if (listing.updated && (!newest || listing.updated > newest)) newest = listing.updated;
  return newest;
}

function newestDate(items: StoredItem[]): Date | undefined {
  let newest: Date | undefined;
  for (const item of items) if (!newest || item.publishedAt > newest) newest = item.publishedAt;
  return newest;
}
