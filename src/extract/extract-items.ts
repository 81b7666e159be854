/** The extract stage's entry point: a decoded response in, items and warnings out. Pure: no I/O, no clock, no logging. */
import type { ExtractResult } from '../model.js';
import { sourceDateContext } from './date/source-date-context.js';
import type { ExtractInput, ExtractOptions } from './extract-options.js';
import { extractFeed } from './feed/extract-feed.js';
import { extractHtml } from './html/extract-html.js';
import { finishItems } from './post-process/finish-items.js';
import { sniffContent } from './sniff-content.js';
import { compileTextRules } from './text/text-rules.js';
import { WarningCollector } from './warnings.js';

/**
 * Extracts items from an HTML list page (selector mode) or a feed; throws ExtractError
 * (EXTRACT_NO_CONTAINER when `items` matched nothing, EXTRACT_NO_ITEMS when blocks matched but yielded
 * no titled item, EXTRACT_PARSE for a broken feed, EXTRACT_BAD_SELECTOR for invalid CSS,
 * EXTRACT_CHALLENGE for an anti-bot JavaScript challenge served in place of the page).
 */
export function extractItems(input: ExtractInput, options: ExtractOptions): ExtractResult {
  const dates = sourceDateContext(options.sourceId, options.timezone, options.now, input.body);
  const warnings = new WarningCollector();
  const { rules, bad } = compileTextRules(options.replace, options.convert);
  for (const { rule, reason } of bad)
    warnings.add('replace-invalid', `replace rule on ${rule.field} skipped: ${reason}`, rule.pattern);
  const kind = options.type === 'auto' ? sniffContent(input.body, input.contentType) : options.type;
  const extraction =
    kind === 'feed' ? extractFeed(input, options, dates, warnings) : extractHtml(input, options, dates, warnings);
  const items = finishItems(extraction.items, rules, options.summaryLength, warnings);
  // The page title names the feed of a source without `name:`: it is converted like the items' text.
  const title = extraction.page.title;
  const page =
    options.convert && title
      ? { ...extraction.page, title: compileTextRules([], options.convert).rules.apply('title', title) }
      : extraction.page;
  return { ...extraction, page, items, warnings: warnings.list() };
}
