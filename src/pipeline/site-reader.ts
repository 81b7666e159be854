/**
 * The pipeline's read path for servers: every published document (source feeds, topic feeds,
 * `feeds.opml`, `index.html`) rendered on request from the shared store with the same code the
 * worker publishes with, so any node answers with the current feeds whichever worker ran the
 * source.
 *
 * Each document has a version key that is cheap to read. A feed's key is built from its sources'
 * stamps (feed version, bumped by the worker when the feed changed, and the pending flag, set while a
 * run committed items it has not confirmed: the history is then newer than the version says) and a
 * hash of the config. A feed is rendered from contents read in one atomic step with their stamps, in
 * the one format asked for, so the bytes cached under a key are that version's bytes on every node.
 * The OPML's and index's key is every version plus every source's health; they are read before and
 * after rendering, and rendered again when a run committed in between. Nothing here reads the clock
 * but the stamp reader's optional reuse window (feed-stamp-reader.ts).
 */
import { createHash } from 'node:crypto';
import type { FeedFormat, RenderedFeedDocument } from '../feed/index.js';
import type { AppConfig, SourceConfig, StoredItem, TopicFeedConfig } from '../model.js';
import type { PipelineDeps } from './deps.js';
import { createFeedContentCache, type VersionedContent } from './feed-content-cache.js';
import { createFeedStampReader, stampToken } from './feed-stamp-reader.js';
import { readFeedVersions } from './feed-version.js';
import { readAllHealth } from './read-all-health.js';
import { mapWithLimit } from './map-with-limit.js';
import { renderSite, renderTopicFeedDocument, topicMembers } from './publish-site.js';
import { renderSourceFeedDocument } from './publish-source-feed.js';

/** Documents rendered together at one version (one format of a feed, or the OPML with the index page). */
export interface RenderedDocuments {
  version: string;
  /** The newest date the documents show: their Last-Modified. */
  lastModified: Date;
  documents: Array<{ name: string; body: string }>;
}

/** Renders published documents from the store on request. */
export interface SiteReader {
  /** The version key of a document, or undefined when the config publishes no such document. */
  version(name: string): Promise<string | undefined>;
  /** Renders the document (with its siblings, for the OPML and index) at their current version; undefined for an unknown name. */
  render(name: string): Promise<RenderedDocuments | undefined>;
}

/**
 * The stamp reuse window `serve` and `start --serve` use: a server answers at most this much (plus a
 * round trip) behind the store, and a cached feed costs no store call for that long (README: Serving).
 */
export const SERVER_STAMP_TTL_MS = 1_000;

/** How a site reader checks versions. */
export interface SiteReaderOptions {
  /**
   * How long a source's stamp, once read, answers version checks without the store (ms). 0 (the
   * default) reads the store for every check (batched); servers use a short window (README: Serving).
   */
  stampTtlMs?: number;
  /** History items of parsed source contents kept for reuse, in all (default 20,000: ~19 MB with 80-character summaries, measured; more with longer ones). */
  contentItems?: number;
}

/** Creates a reader over the store; `config()` is read on each request so a reload takes effect at once. */
export function createSiteReader(
  config: () => AppConfig,
  deps: Pick<PipelineDeps, 'store' | 'site'>,
  options: SiteReaderOptions = {},
): SiteReader {
  const stamps = createFeedStampReader(deps.store, options.stampTtlMs ?? 0);
  const contents = createFeedContentCache(deps.store, options.contentItems ?? 20_000, (id, content) =>
    stamps.note(id, content),
  );
  const configKeys = new WeakMap<AppConfig, string>();
  const configKey = (current: AppConfig): string => {
    let key = configKeys.get(current);
    if (key === undefined) {
      key = hash(JSON.stringify({ sources: current.sources, feeds: current.feeds, site: current.site })).slice(0, 12);
      configKeys.set(current, key);
    }
    return key;
  };

  async function versionOf(current: AppConfig, target: Target): Promise<string> {
    const key = configKey(current);
    if (target.kind === 'source') return `s${stampToken((await stamps.read([target.source.id]))[0])}-${key}`;
    if (target.kind === 'topic') {
      const ids = topicMembers(target.topic, current).map((source) => source.id);
      return topicVersion((await stamps.read(ids)).map(stampToken), key);
    }
    const ids = current.sources.map((source) => source.id);
    const [versions, health] = await Promise.all([readFeedVersions(deps.store, ids), readAllHealth(deps.store, ids)]);
    return `i${hash(JSON.stringify([versions, health])).slice(0, 16)}-${key}`;
  }

  /**
   * A source or topic feed document, from contents read with their stamps: its version is theirs.
   * The stamps are checked first (a batched read, or none within the reuse window): contents cached
   * at the same stamps are reused, the others read from the store.
   */
  async function renderFeedTarget(
    current: AppConfig,
    target: Exclude<Target, { kind: 'site' }>,
  ): Promise<RenderedDocuments> {
    const key = configKey(current);
    const members = target.kind === 'source' ? [target.source] : topicMembers(target.topic, current);
    const expected = (await stamps.read(members.map((source) => source.id))).map(stampToken);
    const read = await mapWithLimit(members, CONTENT_READS_IN_FLIGHT, (source, i) =>
      contents.get(source.id, expected[i]),
    );
    if (target.kind === 'source') {
      const [{ token, content }] = read as [VersionedContent];
      const document = renderSourceFeedDocument(target.source, deps, content, target.format);
      return feedDocument(`s${token}-${key}`, target.name, document);
    }
    const histories = new Map<string, StoredItem[]>(
      members.map((source, i) => [source.id, read[i]?.content.history ?? []]),
    );
    const document = renderTopicFeedDocument(target.topic, current, deps, histories, target.format);
    return feedDocument(
      topicVersion(
        read.map((entry) => entry.token),
        key,
      ),
      target.name,
      document,
    );
  }

  async function renderSiteDocuments(current: AppConfig): Promise<Omit<RenderedDocuments, 'version'>> {
    const site = await renderSite(current, deps);
    const healthDates = (
      await readAllHealth(
        deps.store,
        current.sources.map((source) => source.id),
      )
    ).map((health) => health.lastRunAt);
    const dates = [
      ...site.topics.map((feed) => feed.updated?.getTime()),
      ...healthDates.map((at) => (at ? Date.parse(at) : undefined)),
    ];
    return {
      lastModified: new Date(
        Math.max(0, ...dates.filter((ms): ms is number => ms !== undefined && Number.isFinite(ms))),
      ),
      documents: [
        { name: 'feeds.opml', body: site.opml },
        { name: 'index.html', body: site.index },
      ],
    };
  }

  // Names resolve once per config: a cached answer should not search the config's sources.
  const targets = new WeakMap<AppConfig, Map<string, Target | undefined>>();
  const resolveTarget = (current: AppConfig, name: string): Target | undefined => {
    let byName = targets.get(current);
    if (!byName) targets.set(current, (byName = new Map()));
    if (byName.has(name)) return byName.get(name);
    const target = findTarget(current, name);
    // Only names the config publishes are kept: request paths are chosen by clients.
    if (target) byName.set(name, target);
    return target;
  };

  return {
    async version(name) {
      const current = config();
      const target = resolveTarget(current, name);
      return target ? versionOf(current, target) : undefined;
    },
    async render(name) {
      const current = config();
      const target = resolveTarget(current, name);
      if (!target) return undefined;
      if (target.kind !== 'site') return renderFeedTarget(current, target);
      let version = await versionOf(current, target);
      for (let attempt = 0; ; attempt += 1) {
        const rendered = await renderSiteDocuments(current);
        const after = await versionOf(current, target);
        // A run committed while we read: render again so the cached bytes match their key.
        if (after === version || attempt >= MAX_RENDER_ATTEMPTS)
          return { version: after === version ? version : `${after}~`, ...rendered };
        version = after;
      }
    },
  };
}

// --- Internal helpers ---

const MAX_RENDER_ATTEMPTS = 3;

/** Member contents read at once for a topic feed (enough to overlap a networked store's round trips). */
const CONTENT_READS_IN_FLIGHT = 16;

type Target =
  | { kind: 'source'; source: SourceConfig; name: string; format: FeedFormat }
  | { kind: 'topic'; topic: TopicFeedConfig; name: string; format: FeedFormat }
  | { kind: 'site' };

const FEED_SUFFIXES: Array<[string, FeedFormat]> = [
  ['.rss.xml', 'rss'],
  ['.atom.xml', 'atom'],
  ['.feed.json', 'json'],
];

function findTarget(config: AppConfig, name: string): Target | undefined {
  if (name === 'feeds.opml' || name === 'index.html') return { kind: 'site' };
  const [suffix, format] = FEED_SUFFIXES.find(([candidate]) => name.endsWith(candidate)) ?? [];
  if (suffix === undefined || format === undefined) return undefined;
  const id = name.slice(0, -suffix.length);
  const source = config.sources.find((candidate) => candidate.id === id);
  if (source) return { kind: 'source', source, name, format };
  const topic = config.feeds.find((candidate) => candidate.id === id);
  return topic ? { kind: 'topic', topic, name, format } : undefined;
}

function topicVersion(tokens: string[], configKey: string): string {
  return `t${hash(tokens.join(',')).slice(0, 16)}-${configKey}`;
}

function feedDocument(version: string, name: string, document: RenderedFeedDocument): RenderedDocuments {
  return { version, lastModified: document.updated ?? new Date(0), documents: [{ name, body: document.body }] };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
