/**
 * Sources' feed contents (history, page facts, failure notices) as last read by a server, kept per
 * stamp: a render of another format of the same feed, or of a topic feed over unchanged sources,
 * reuses them instead of reading and parsing the history again. Each content was read in one atomic
 * step with its stamp (ItemStore.readFeedContent), so content cached under a stamp token is exactly
 * that version's. Bounded by the items held (a history of 200 items with summaries is a few hundred
 * KB of objects, so a count of sources alone would not bound memory), least recently used first.
 */
import type { FeedContent, ItemStore } from '../store/index.js';
import { stampToken } from './feed-stamp-reader.js';

/** A source's content at a known stamp token. */
export interface VersionedContent {
  token: string;
  content: FeedContent;
}

/** Reads sources' feed contents through the cache. */
export interface FeedContentCache {
  /**
   * The source's content: the cached one when its token is `expected`, else read from the store
   * (then at the store's current stamp, which may be newer than `expected`).
   */
  get(sourceId: string, expected: string | undefined): Promise<VersionedContent>;
}

/** Creates a cache holding at most `maxItems` history items in all; `onRead` hears of each stamp read with a content. */
export function createFeedContentCache(
  store: Pick<ItemStore, 'readFeedContent'>,
  maxItems: number,
  onRead: (sourceId: string, content: FeedContent) => void,
): FeedContentCache {
  const entries = new Map<string, VersionedContent>();
  let items = 0;
  const forget = (sourceId: string): void => {
    const old = entries.get(sourceId);
    if (!old) return;
    entries.delete(sourceId);
    items -= old.content.history.length;
  };
  const reading = new Map<string, Promise<VersionedContent>>();

  const read = (sourceId: string): Promise<VersionedContent> => {
    let pending = reading.get(sourceId);
    if (!pending) {
      pending = store
        .readFeedContent(sourceId)
        .then((content) => {
          const entry = { token: stampToken(content), content };
          onRead(sourceId, content);
          forget(sourceId);
          entries.set(sourceId, entry);
          items += content.history.length;
          // The newest entry always stays, even alone over the bound: the render that read it uses it.
          for (const oldest of entries.keys()) {
            if (items <= maxItems || oldest === sourceId) break;
            forget(oldest);
          }
          return entry;
        })
        .finally(() => reading.delete(sourceId));
      reading.set(sourceId, pending);
    }
    return pending;
  };

  return {
    async get(sourceId, expected) {
      const hit = entries.get(sourceId);
      if (hit && expected !== undefined && hit.token === expected) {
        entries.delete(sourceId);
        entries.set(sourceId, hit); // most recently used goes last
        return hit;
      }
      return read(sourceId);
    },
  };
}
