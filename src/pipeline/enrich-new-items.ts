/**
 * Detail-page enrichment of new items. Sources without `detail:` pass through untouched; the
 * detail-page fetching itself arrives with the detail-pages work.
 */
import type { ExtractedItem, SourceConfig } from '../model.js';
import type { PipelineDeps } from './deps.js';

/** Returns the items with data from their own pages added, for items not seen before. */
export async function enrichNewItems(source: SourceConfig, _deps: PipelineDeps, items: ExtractedItem[], _warnings: string[]): Promise<ExtractedItem[]> {
  if (!source.detail) return items;
  return items;
}
