/**
 * Per-source feed versions: a counter the worker bumps whenever a run changes what the source's
 * feed shows (new or changed items, a failure notice, a new page title). Servers key their caches
 * and validators on it, so every node renders a feed once per version and never re-renders an
 * unchanged one. The counter moves only when the rendered documents' hash differs. It is part of
 * the source's state (store/SourceState) and is written with the run's confirming write.
 */
import { createHash } from 'node:crypto';
import type { RenderedFeed } from '../feed/index.js';
import type { FeedVersion } from '../model.js';
import type { ItemStore } from '../store/index.js';

/** The version after rendering `feed`, or undefined when the documents are those of `current`. */
export function nextFeedVersion(current: FeedVersion | undefined, feed: RenderedFeed): FeedVersion | undefined {
  const hash = createHash('sha256')
    .update(feed.rss)
    .update('\0')
    .update(feed.atom)
    .update('\0')
    .update(feed.json)
    .digest('base64url');
  if (current?.hash === hash) return undefined;
  return { n: (current?.n ?? 0) + 1, hash };
}

/** The current version of each source (0 for one that has never published), in one round trip. */
export async function readFeedVersions(store: ItemStore, sourceIds: readonly string[]): Promise<number[]> {
  const versions = await store.readFeedVersions(sourceIds);
  return versions.map((version) => version?.n ?? 0);
}
