/**
 * Detail-page extraction: an item's own page in, its publication date and/or summary out. Pure like
 * the rest of the stage (no I/O, no clock, no logging); fetching and caching are the pipeline's.
 */
import type { CheerioAPI } from 'cheerio';
import type { ChineseConversion, ExtractWarning, FieldSelector, ParsedDate, ReplaceRule } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { sourceDateContext } from '../date/source-date-context.js';
import { indexDocumentQueries } from '../html/indexed-document.js';
import { DocumentScope } from '../html/load-document.js';
import { foldWhitespace, trimText } from '../text/fold-text.js';
import { compileTextRules } from '../text/text-rules.js';
import { WarningCollector } from '../warnings.js';
import { findDetailDate, type DetailDateSource } from './detail-date.js';
import { findDetailSummary, type DetailSummarySource } from './detail-summary.js';

/** A fetched detail page. */
export interface DetailInput {
  /** Decoded HTML. */
  body: string;
  /** Final URL after redirects. */
  url: string;
}

/** What to read from a detail page and how. */
export interface DetailOptions {
  sourceId: string;
  /** Fields wanted; others are not looked for (reading the main text is the costly part). */
  fields: ReadonlyArray<'date' | 'summary'>;
  date?: FieldSelector;
  summary?: FieldSelector;
  /** IANA zone dates without an offset are read in. */
  timezone: string;
  /** "Now" for relative dates and year inference. */
  now: Date;
  /** Plain-text summaries are trimmed to this many characters. */
  summaryLength: number;
  /** The source's `replace:` rules and `convert:`, applied to the summary as to list-page summaries. */
  replace?: ReplaceRule[];
  convert?: ChineseConversion;
}

/** What a detail page gave. */
export interface DetailResult {
  published?: ParsedDate;
  /** Where the date was read: configured selector, `<meta>`, JSON-LD, `<time>`, page text or the URL path. */
  dateSource?: DetailDateSource;
  summary?: string;
  summarySource?: DetailSummarySource;
  warnings: ExtractWarning[];
}

/** Reads the publication date and/or summary of an item's own page (see detail-date.ts and detail-summary.ts for the order). */
export function extractDetail(input: DetailInput, options: DetailOptions): DetailResult {
  const dates = sourceDateContext(options.sourceId, options.timezone, options.now, input.body);
  const warnings = new WarningCollector();
  // The tree is emptied once read, so that its nodes die young (see DocumentScope).
  const documents = new DocumentScope();
  try {
    const { $, html } = documents.loadPage(input.body, warnings);
    // A dozen document-wide queries follow: one walk of the tree answers them all.
    return readDetail(indexDocumentQueries($), html, input, options, dates, warnings);
  } finally {
    documents.release();
  }
}

// --- Internal helpers ---

function readDetail(
  $: CheerioAPI,
  body: string,
  input: DetailInput,
  options: DetailOptions,
  dates: DateContext,
  warnings: WarningCollector,
): DetailResult {
  const result: DetailResult = { warnings: [] };
  if (options.fields.includes('date')) {
    const found = findDetailDate($, options.date, dates, warnings, input.url);
    if (found) {
      result.published = found.parsed;
      result.dateSource = found.source;
    } else warnings.add('detail-date-missing', 'no publication date found on the detail page', input.url);
  }
  if (options.fields.includes('summary')) {
    const found = findDetailSummary($, body, options.summary, options.summaryLength);
    const { rules, bad } = compileTextRules(options.replace ?? [], options.convert);
    for (const { rule, reason } of bad)
      warnings.add('replace-invalid', `replace rule on ${rule.field} skipped: ${reason}`, rule.pattern);
    const text = found ? trimText(foldWhitespace(rules.apply('summary', found.text)), options.summaryLength) : '';
    if (found && text !== '') {
      result.summary = text;
      result.summarySource = found.source;
    } else warnings.add('detail-summary-missing', 'no summary found on the detail page', input.url);
  }
  result.warnings = warnings.list();
  return result;
}
