/** Every configured source's health as the store holds it (a source that never ran gets fresh health). */
import type { SourceHealth } from '../model.js';
import type { ItemStore } from '../store/index.js';
import { initialHealth } from './source-health.js';

/** Reads the health of each source in `sourceIds`, in that order. */
export async function readAllHealth(store: ItemStore, sourceIds: readonly string[]): Promise<SourceHealth[]> {
  return Promise.all(sourceIds.map(async (sourceId) => (await store.getHealth(sourceId)) ?? initialHealth(sourceId)));
}
