/**
 * The pipeline's read path for servers: every published document (source feeds, topic feeds,
 * `feeds.opml`, `index.html`) rendered on request from the shared store with the same code the
 * worker publishes with, so any node answers with the current feeds whichever worker ran the
 * source.
 *
 * Each document has a version key that is cheap to read: a source feed's is the source's feed
 * version (bumped by the worker when the feed changed), a topic's is its members' versions, the
 * OPML's and index's are every version plus every source's health. Servers render a document once
 * per version key. A render reads the key before and after its data and retries when a run
 * committed in between, so the bytes cached under a key are the bytes of that version on every node.
 * Nothing here reads the clock.
 */
import { createHash } from 'node:crypto';
import { feedFileNames, type RenderedFeed } from '../feed/index.js';
import type { AppConfig, SourceConfig, TopicFeedConfig } from '../model.js';
import type { PipelineDeps } from './deps.js';
import { readFeedVersions } from './feed-version.js';
import { renderSite, renderTopicFeed, topicMembers } from './publish-site.js';
import { renderSourceFeed } from './publish-source-feed.js';

/** Documents rendered together at one version (a feed's three formats, or the OPML with the index page). */
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
  /** Renders the document and its siblings at their current version; undefined for an unknown name. */
  render(name: string): Promise<RenderedDocuments | undefined>;
}

/** Creates a reader over the store; `config()` is read on each request so a reload takes effect at once. */
export function createSiteReader(config: () => AppConfig, deps: Pick<PipelineDeps, 'store' | 'site'>): SiteReader {
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
    if (target.kind === 'source') return `s${(await readFeedVersions(deps.store, [target.source.id]))[0]}-${key}`;
    if (target.kind === 'topic') {
      const ids = topicMembers(target.topic, current).map((source) => source.id);
      return `t${hash((await readFeedVersions(deps.store, ids)).join(',')).slice(0, 16)}-${key}`;
    }
    const ids = current.sources.map((source) => source.id);
    const [versions, health] = await Promise.all([
      readFeedVersions(deps.store, ids),
      Promise.all(ids.map((id) => deps.store.getHealth(id))),
    ]);
    return `i${hash(JSON.stringify([versions, health])).slice(0, 16)}-${key}`;
  }

  async function renderTarget(current: AppConfig, target: Target): Promise<Omit<RenderedDocuments, 'version'>> {
    if (target.kind === 'source') {
      const { source } = target;
      return feedDocuments(renderSourceFeed(source, deps, await deps.store.loadSource(source.id)));
    }
    if (target.kind === 'topic') return feedDocuments(await renderTopicFeed(target.topic, current, deps));
    const site = await renderSite(current, deps);
    const healthDates = await Promise.all(
      current.sources.map(async (source) => (await deps.store.getHealth(source.id))?.lastRunAt),
    );
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
      let version = await versionOf(current, target);
      for (let attempt = 0; ; attempt += 1) {
        const rendered = await renderTarget(current, target);
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

type Target = { kind: 'source'; source: SourceConfig } | { kind: 'topic'; topic: TopicFeedConfig } | { kind: 'site' };

const FEED_SUFFIXES = ['.rss.xml', '.atom.xml', '.feed.json'];

function resolveTarget(config: AppConfig, name: string): Target | undefined {
  if (name === 'feeds.opml' || name === 'index.html') return { kind: 'site' };
  const suffix = FEED_SUFFIXES.find((candidate) => name.endsWith(candidate));
  if (!suffix) return undefined;
  const id = name.slice(0, -suffix.length);
  const source = config.sources.find((candidate) => candidate.id === id);
  if (source) return { kind: 'source', source };
  const topic = config.feeds.find((candidate) => candidate.id === id);
  return topic ? { kind: 'topic', topic } : undefined;
}

function feedDocuments(feed: RenderedFeed): Omit<RenderedDocuments, 'version'> {
  const names = feedFileNames(feed.id);
  return {
    lastModified: feed.updated ?? new Date(0),
    documents: [
      { name: names.rss, body: feed.rss },
      { name: names.atom, body: feed.atom },
      { name: names.json, body: feed.json },
    ],
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
