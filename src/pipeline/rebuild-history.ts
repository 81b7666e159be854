/**
 * A store that lost its data (a zero-byte SQLite file, a moved-away damaged one, an emptied Redis)
 * must not silently overwrite the feeds it wrote: the next run would see every item as new and cut
 * each feed down to what the page shows now. `run` and `start` call this once after opening the
 * store: every source with no history whose JSON Feed in the output folder has items gets its history
 * back from that file (and from the topic feeds, which reach further back), with the same item ids,
 * so GUIDs stay and nothing is announced again. With `emptyStore: refuse` it refuses instead.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatErrorMessage } from '../errors.js';
// The two helpers by file, not through their stages' index: a worker runs this at start-up, before
// it needs the extractors (cheerio) or the renderers (feed, luxon) those indexes load.
import { canonicalizeUrl } from '../extract/url/canonicalize-url.js';
import { feedFileNames, JSON_FEED_EXTENSION } from '../feed/feed-file-names.js';
import type { AppConfig, SourceConfig, StoredItem } from '../model.js';
import { fingerprintItem, StoreError } from '../store/index.js';
import type { PipelineDeps } from './deps.js';

/** One source whose history was rebuilt. */
export interface HistoryRebuild {
  sourceId: string;
  items: number;
  /** The feed files the items came from. */
  files: string[];
}

/** Rebuilds the history of every source the store has none for from the feed files; returns what it did. */
export async function rebuildHistoryFromFeeds(config: AppConfig, deps: PipelineDeps): Promise<HistoryRebuild[]> {
  // No output folder (shared mode without an export): no feed files to rebuild from.
  if (deps.outputDir === undefined) return [];
  // Whether each source has a history, in one store call that reads none of them: reading and
  // parsing every history was most of a worker's start-up store time and memory.
  const has = await deps.store.hasHistory(config.sources.map((source) => source.id));
  const empty = config.sources.filter((_, index) => !has[index]);
  if (empty.length === 0) return [];
  const found = await readFeedItems(config, deps.outputDir, new Set(empty.map((source) => source.id)));
  const toRebuild = empty.filter((source) => (found.get(source.id)?.items.size ?? 0) > 0);
  if (toRebuild.length === 0) return [];
  if (config.emptyStore === 'refuse') throw refusal(config, toRebuild, found);
  const rebuilt: HistoryRebuild[] = [];
  for (const source of toRebuild) {
    const { items, files } = found.get(source.id)!;
    const stored = await deps.store.seedHistory(source.id, [...items.values()], {
      now: deps.now(),
      timezone: source.timezone,
      historySize: source.historySize,
      retainDays: source.retainDays,
    });
    if (stored === 0) continue;
    rebuilt.push({ sourceId: source.id, items: stored, files });
    deps.logger.warn(
      { sourceId: source.id, itemCount: stored, files },
      `store: source "${source.id}" had no history in ${config.store} while its feed has items; rebuilt ${stored} item(s) ` +
        `from ${files.join(', ')} (same ids, so no GUID changes and nothing is announced again)`,
    );
  }
  return rebuilt;
}

// --- Internal helpers ---

interface FoundItems {
  items: Map<string, StoredItem>;
  files: string[];
}

/** Items of the wanted sources from their own JSON Feeds, then from the topic feeds (which keep older items). */
async function readFeedItems(
  config: AppConfig,
  outputDir: string,
  wanted: ReadonlySet<string>,
): Promise<Map<string, FoundItems>> {
  const found = new Map<string, FoundItems>();
  const add = (item: StoredItem, file: string) => {
    const entry = found.get(item.sourceId) ?? { items: new Map<string, StoredItem>(), files: [] };
    found.set(item.sourceId, entry);
    if (entry.items.has(item.id)) return;
    entry.items.set(item.id, item);
    if (!entry.files.includes(file)) entry.files.push(file);
  };
  // One listing instead of a failed read per source: a first start (every source without history,
  // no output yet) tried 300 missing files, ~11 ms of a 300-source worker's start-up CPU.
  const present = await listNames(outputDir);
  for (const sourceId of wanted) {
    const name = feedFileNames(sourceId).json;
    if (!present.has(name)) continue;
    const file = join(outputDir, name);
    for (const item of parseFeedItems(await readJson(file), sourceId)) add(item, file);
  }
  for (const topic of config.feeds) {
    const name = feedFileNames(topic.id).json;
    if (!present.has(name)) continue;
    const file = join(outputDir, name);
    for (const item of parseFeedItems(await readJson(file), undefined)) if (wanted.has(item.sourceId)) add(item, file);
  }
  return found;
}

/** The names in the output folder; none when it is missing or unreadable (nothing to rebuild from). */
async function listNames(dir: string): Promise<Set<string>> {
  try {
    return new Set(await readdir(dir));
  } catch {
    return new Set();
  }
}

/** The feed file's parsed JSON, or undefined when it is missing or unreadable (nothing to rebuild from). */
async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // A missing feed file means the source never produced items: there is nothing to rebuild.
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A torn or hand-edited file cannot be trusted for identities; the source starts afresh.
    return undefined;
  }
}

/**
 * The stored items in a JSON Feed document: a source's own feed (`sourceId` given) or a topic feed,
 * whose items count only when they carry their source in the extension.
 */
function parseFeedItems(document: unknown, sourceId: string | undefined): StoredItem[] {
  if (!isObject(document) || !Array.isArray(document.items)) return [];
  const homePage = typeof document.home_page_url === 'string' ? document.home_page_url : undefined;
  return document.items.flatMap((raw: unknown) => parseFeedItem(raw, sourceId, homePage) ?? []);
}

const ITEM_ID = /^[0-9a-f]{32}$/;

function parseFeedItem(
  raw: unknown,
  feedSourceId: string | undefined,
  homePage: string | undefined,
): StoredItem | undefined {
  if (!isObject(raw) || typeof raw.title !== 'string' || typeof raw.id !== 'string') return undefined;
  const publishedAt = parseDate(raw.date_published);
  if (publishedAt === undefined) return undefined;
  const origin = isObject(raw[JSON_FEED_EXTENSION]) ? raw[JSON_FEED_EXTENSION] : undefined;
  const sourceId = feedSourceId ?? (typeof origin?.source === 'string' ? origin.source : undefined);
  if (sourceId === undefined) return undefined;
  const guid = raw.id;
  const link = linkOf(guid, raw.url, homePage);
  const id = origin ? (typeof origin.id === 'string' ? origin.id : '') : idFromGuid(guid, sourceId, link, raw.title);
  // Failure notices and anything else that is not a stored item (its id is not a fingerprint) stay out.
  if (id === undefined || !ITEM_ID.test(id)) return undefined;
  const item: StoredItem = {
    id,
    sourceId,
    title: raw.title,
    publishedAt,
    updatedAt: parseDate(raw.date_modified) ?? publishedAt,
    firstSeenAt: parseDate(origin?.first_seen) ?? publishedAt,
  };
  if (link !== undefined) item.link = link;
  if (typeof raw.content_html === 'string' && raw.content_html !== '')
    Object.assign(item, { summary: raw.content_html, summaryIsHtml: true });
  else if (typeof raw.content_text === 'string' && raw.content_text !== '')
    Object.assign(item, { summary: raw.content_text, summaryIsHtml: false });
  const author = Array.isArray(raw.authors) && isObject(raw.authors[0]) ? raw.authors[0].name : undefined;
  if (typeof author === 'string') item.author = author;
  if (typeof raw.image === 'string') item.image = raw.image;
  if (Array.isArray(raw.tags)) item.categories = raw.tags.filter((tag): tag is string => typeof tag === 'string');
  return item;
}

/**
 * The item's own link: the GUID when it is the permalink; in a topic feed (GUIDs are URNs there) the
 * url unless it is the feed's home page, which stands in for a missing link.
 */
function linkOf(guid: string, url: unknown, homePage: string | undefined): string | undefined {
  if (/^https?:\/\//i.test(guid)) return guid;
  if (guid.startsWith('urn:feedwright:topic:') && typeof url === 'string' && url !== homePage) return url;
  return undefined;
}

/** For feeds written before the extension: `urn:feedwright:<source>:<id>`, else the permalink's fingerprint. */
function idFromGuid(guid: string, sourceId: string, link: string | undefined, title: string): string | undefined {
  const urn = /^urn:feedwright:([^:]+):([0-9a-f]{32})$/.exec(guid);
  if (urn) return decodeURIComponent(urn[1]!) === sourceId ? urn[2] : undefined;
  if (link === undefined || guid !== link) return undefined;
  return fingerprintItem(sourceId, { title, link, canonicalLink: canonicalizeUrl(link) });
}

function refusal(config: AppConfig, sources: SourceConfig[], found: ReadonlyMap<string, FoundItems>): StoreError {
  const total = sources.reduce((sum, source) => sum + (found.get(source.id)?.items.size ?? 0), 0);
  const names = sources.map((source) => source.id).join(', ');
  return new StoreError(
    'STORE_EMPTY',
    formatErrorMessage(
      'store',
      `${config.store} holds no history for ${sources.length} source(s) (${names}) whose feeds in ${config.output} hold ` +
        `${total} item(s); refusing to run, which would announce them again and cut the feeds down to what the pages show now`,
    ),
    {
      hint:
        'Restore the store from a backup, or set `emptyStore: rebuild` (the default) to rebuild the history from the feed ' +
        'files in the output folder, keeping every item id.',
    },
  );
}

function parseDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
