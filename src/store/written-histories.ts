/**
 * The histories this process's commits wrote, each with the history stamp written beside it in the
 * same atomic step. The site rebuild after a pass reads every source's state (with its stamp) and
 * then its history: while the stamp is still the one this process wrote, the history is the one it
 * holds, and reading, parsing and checking it again (about 0.1 ms a source) is skipped. Another
 * writer (a worker, a rebuild) writes a new stamp, so nothing stale is ever served. At most
 * {@link MAX_KEPT_ITEMS} items are kept, the last written: a large config's histories would stay in
 * a worker's memory between passes (about 35 MB for 1,000 sources of 50 items).
 */
import type { StoredItem } from '../model.js';

/** The last history written per source by this process, keyed by its stamp. */
export interface WrittenHistories {
  /** Keeps the history a commit wrote with `stamp` (nothing when the commit left the history as it was). */
  remember(sourceId: string, stamp: string | undefined, items: readonly StoredItem[]): void;
  /** Drops what is kept for a source (its history was written another way). */
  forget(sourceId?: string): void;
  /** The history of a state whose stamp is the one kept for its source (a new array), else undefined. */
  read(sourceId: string, stamp: string | undefined): StoredItem[] | undefined;
}

/** Items kept at most (about 0.7 KB each): a 200-source pass of 40 items a page fits. */
export const MAX_KEPT_ITEMS = 10_000;

/** An empty set of kept histories (one per source at most, the oldest written dropped first). */
export function createWrittenHistories(maxItems: number = MAX_KEPT_ITEMS): WrittenHistories {
  // In order of writing (a source written again moves to the end).
  const bySource = new Map<string, { stamp: string; items: readonly StoredItem[] }>();
  let itemCount = 0;
  const drop = (sourceId: string) => {
    itemCount -= bySource.get(sourceId)?.items.length ?? 0;
    bySource.delete(sourceId);
  };
  return {
    remember(sourceId, stamp, items) {
      // No stamp: the commit left the history as it was, so what is kept (if anything) still is it.
      if (stamp === undefined) return;
      drop(sourceId);
      if (items.length > maxItems) return;
      for (const oldest of bySource.keys()) {
        if (itemCount + items.length <= maxItems) break;
        drop(oldest);
      }
      bySource.set(sourceId, { stamp, items: items.map(detachItem) });
      itemCount += items.length;
    },
    forget(sourceId) {
      if (sourceId !== undefined) return drop(sourceId);
      bySource.clear();
      itemCount = 0;
    },
    read(sourceId, stamp) {
      const kept = stamp === undefined ? undefined : bySource.get(sourceId);
      return kept !== undefined && kept.stamp === stamp ? [...kept.items] : undefined;
    },
  };
}

// --- Internal helpers ---

/**
 * A copy of the item whose texts are strings of their own. An extracted title is often a slice of
 * the decoded page, and a slice keeps the whole page in memory: kept as they came, a pass's histories
 * held every page of the pass (32 MB for 200 pages of 60-120 KB) until the next commit of each source.
 */
function detachItem(item: StoredItem): StoredItem {
  const copy: StoredItem = { ...item, title: detach(item.title) };
  if (item.link !== undefined) copy.link = detach(item.link);
  if (item.summary !== undefined) copy.summary = detach(item.summary);
  if (item.author !== undefined) copy.author = detach(item.author);
  if (item.image !== undefined) copy.image = detach(item.image);
  if (item.categories !== undefined) copy.categories = item.categories.map(detach);
  return copy;
}

/** A string with its own storage (JSON.parse builds a new one from the text it reads). */
function detach(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
