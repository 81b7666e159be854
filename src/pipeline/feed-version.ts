/**
 * Per-source feed versions: a counter the worker bumps whenever a run changes what the source's
 * feed shows (new or changed items, a failure notice, a new page title). Servers key their caches
 * and validators on it, so every node renders a feed once per version and never re-renders an
 * unchanged one. The counter moves only when the rendered documents' hash differs.
 */
import { createHash } from 'node:crypto';
import type { RenderedFeed } from '../feed/index.js';
import type { ItemStore } from '../store/index.js';

/** One source's feed version as stored. */
export interface FeedVersion {
  n: number;
  /** Hash of the three documents at this version. */
  hash: string;
}

const NAMESPACE = 'feed-version';

/** Records the rendered feed as the source's current version; returns the version (unchanged when the documents are). */
export async function bumpFeedVersion(store: ItemStore, sourceId: string, feed: RenderedFeed): Promise<number> {
  const hash = createHash('sha256').update(feed.rss).update('\0').update(feed.atom).update('\0').update(feed.json).digest('base64url');
  const current = await store.getRecord<FeedVersion>(NAMESPACE, sourceId);
  if (current?.hash === hash) return current.n;
  const next: FeedVersion = { n: (current?.n ?? 0) + 1, hash };
  await store.setRecord(NAMESPACE, sourceId, next);
  return next.n;
}

/** The current version of each source (0 for one that has never published). */
export async function readFeedVersions(store: ItemStore, sourceIds: readonly string[]): Promise<number[]> {
  const versions = await Promise.all(sourceIds.map((id) => store.getRecord<FeedVersion>(NAMESPACE, id)));
  return versions.map((version) => version?.n ?? 0);
}
