/** Extraction options for tests that only need a source in Asia/Shanghai, no selectors and no rules. */
import type { ExtractOptions } from '../../src/extract/index.js';

/** HTML-or-feed extraction of source `sourceId` at `now`, with `overrides` on top. */
export function plainExtractOptions(
  sourceId: string,
  now: Date,
  overrides: Partial<ExtractOptions> = {},
): ExtractOptions {
  return {
    sourceId,
    type: 'html',
    selectors: {},
    timezone: 'Asia/Shanghai',
    now,
    replace: [],
    summaryLength: 200,
    ...overrides,
  };
}
