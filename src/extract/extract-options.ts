/** Inputs of the extract stage. */
import type { ChineseConversion, ReplaceRule, SourceSelectors } from '../model.js';

/** How one source's response is to be read. */
export interface ExtractOptions {
  sourceId: string;
  /** `auto` sniffs feed vs HTML from the content type and the body. */
  type: 'auto' | 'html' | 'feed';
  /** Fields are lists of fallbacks, each `css`, `css@attr` or `@attr` (an attribute of the item block itself). */
  selectors: SourceSelectors;
  /** IANA zone the source writes its dates in, e.g. `Asia/Shanghai`. */
  timezone: string;
  /** The moment "now" for relative dates and year inference (extraction never reads the clock). */
  now: Date;
  /** Explicit luxon format tokens; overrides date detection. */
  dateFormat?: string;
  replace: ReplaceRule[];
  convert?: ChineseConversion;
  /** Plain-text summaries are trimmed to this many characters. */
  summaryLength: number;
  /** Automatic mode: also describe the next two candidate lists (`selectors.alternatives`, for `preview`). */
  listAlternatives?: boolean;
}

/** A decoded response to extract from. */
export interface ExtractInput {
  body: string;
  contentType: string;
  /** Final URL after redirects: the base for relative links. */
  url: string;
}
