/** The extract stage: HTML list pages and feeds in, headline items out. */
export { extractItems } from './extract-items.js';
export type { ExtractInput, ExtractOptions } from './extract-options.js';
export { ExtractError, type ExtractErrorOptions } from './extract-error.js';
export { parseDate, type ParseDateOptions } from './date/parse-date.js';
export { canonicalizeUrl } from './url/canonicalize-url.js';
export { sniffContent, type ContentKind } from './sniff-content.js';
export { extractDetail, type DetailInput, type DetailOptions, type DetailResult } from './detail/extract-detail.js';
export { describeScriptShell } from './script-shell.js';
export { UNCERTAIN_CONFIDENCE } from './html/detect-list.js';
