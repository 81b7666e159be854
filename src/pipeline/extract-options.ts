/** How a source's config becomes the extract stage's options, for runs and previews alike. */
import type { ExtractOptions } from '../extract/index.js';
import type { SourceConfig } from '../model.js';

/** The extract options of a source at a given moment ("now" anchors relative and year-less dates). */
export function extractOptionsFor(source: SourceConfig, now: Date): ExtractOptions {
  return {
    sourceId: source.id,
    type: source.type,
    selectors: source.selectors,
    timezone: source.timezone,
    now,
    dateFormat: source.dateFormat,
    replace: source.replace,
    convert: source.convert,
    summaryLength: source.summaryLength,
  };
}
