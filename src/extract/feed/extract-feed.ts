/**
 * Feed-mode extraction: RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 1.0 and JSON Feed 1.x read with feedsmith.
 * Relative links resolve against `xml:base` or the feed's own URL; dates without a zone are read in
 * the source zone; HTML titles become text and HTML summaries are sanitized.
 */
import { describeError } from '../../errors.js';
import type * as Feedsmith from 'feedsmith';
import { createRequire } from 'node:module';
import type { ExtractedItem, ExtractResult } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { parseDateInContext } from '../date/parse-date.js';
import { ExtractError } from '../extract-error.js';
import { MAX_PAGE_ITEMS } from '../item-limit.js';
import type { ExtractInput, ExtractOptions } from '../extract-options.js';
import { foldWhitespace, trimText } from '../text/fold-text.js';
import { capHtmlSummary, htmlToText, sanitizeSummaryHtml } from '../text/summary.js';
import { resolveLink } from '../url/canonicalize-url.js';
import type { WarningCollector } from '../warnings.js';
import { flattenFeed, type AnyParsedFeed, type SourceFeedEntry } from './feed-entries.js';
import { checkJsonFeed, JsonFeedShapeError } from './check-json-feed.js';
import { challengePageError } from '../challenge-page.js';

/** Items of a feed before the shared finishing steps, plus its page info. */
export type FeedExtraction = Omit<ExtractResult, 'warnings'>;

/** Longest title made up from an entry's text when the feed gives it none. */
const DERIVED_TITLE_LENGTH = 80;

/** Extracts items from a feed document. */
export function extractFeed(
  input: ExtractInput,
  options: ExtractOptions,
  dates: DateContext,
  warnings: WarningCollector,
): FeedExtraction {
  const parsed = parseFeedDocument(input.body, options.sourceId, warnings);
  const { head, entries } = flattenFeed(parsed);
  const base = (head.base && resolveLink(head.base, input.url)) || input.url;
  const items: ExtractedItem[] = [];
  for (const entry of capEntries(entries, dates, warnings)) {
    const item = toItem(entry, base, dates, warnings);
    if (item) items.push(item);
  }
  if (items.length === 0 && entries.length > 0) {
    throw new ExtractError(
      'EXTRACT_NO_ITEMS',
      options.sourceId,
      `the ${parsed.format} feed has ${entries.length} entries but none with a title`,
      input.url,
      {
        hint: 'The feed may be broken upstream; check it in a feed validator.',
      },
    );
  }
  const page = {
    title: head.title ? foldWhitespace(head.title) || undefined : undefined,
    language: head.language?.trim() || undefined,
    icon: resolveLink(head.icon, base),
    alternateFeeds: [],
  };
  return { mode: 'feed', items, page };
}

// --- Internal helpers ---

function parseFeedDocument(body: string, sourceId: string, warnings: WarningCollector): AnyParsedFeed {
  const trimmed = body.replace(/^\ufeff/, '').trim();
  try {
    return loadFeedsmith().parseFeed(
      trimmed.startsWith('{') ? checkJsonFeed(JSON.parse(trimmed) as unknown, warnings) : trimmed,
    );
  } catch (error) {
    const challenge = challengePageError(body, sourceId);
    if (challenge) throw challenge;
    const refused = explainRefusal(error);
    throw new ExtractError(
      'EXTRACT_PARSE',
      sourceId,
      refused?.what ?? 'the response is not a readable RSS, Atom or JSON feed',
      describeChain(error),
      {
        cause: error,
        hint: refused?.hint ?? 'Check the URL returns a feed; set `type: html` if it is a web page.',
      },
    );
  }
}

/** Feeds the parser refuses on purpose (a hostile or broken document), said in words rather than "Invalid feed format". */
function explainRefusal(error: unknown): { what: string; hint: string } | undefined {
  if (error instanceof JsonFeedShapeError)
    return { what: error.message, hint: 'The JSON Feed is malformed upstream; check it at validator.jsonfeed.org.' };
  const chain = describeChain(error);
  if (/External entities are not supported/i.test(chain)) {
    return {
      what: 'the feed declares an external XML entity (<!ENTITY … SYSTEM …>), which feedwright never loads (XXE protection)',
      hint: 'A feed has no use for external entities: the document is broken or hostile. Ask the site to fix it, or use another feed.',
    };
  }
  if (/Maximum nested tags exceeded/i.test(chain)) {
    return {
      what: 'the feed nests XML elements more than about 100 levels deep, which the parser refuses (over-deep XML)',
      hint: 'No real feed nests that deep: the document is broken or hostile. Ask the site to fix it, or use another feed.',
    };
  }
  return undefined;
}

/** The error's message with its causes' ("Invalid feed format: Maximum nested tags exceeded"). */
function describeChain(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    const message = describeError(current);
    if (message && !messages.includes(message)) messages.push(message);
    current = (current as { cause?: unknown }).cause;
  }
  return messages.join(': ');
}

function toItem(
  entry: SourceFeedEntry,
  base: string,
  dates: DateContext,
  warnings: WarningCollector,
): ExtractedItem | undefined {
  const summaryHtml =
    entry.summary !== undefined && entry.summaryIsHtml
      ? capHtmlSummary(entry.summary, entry.title ?? entry.link ?? '', warnings)
      : '';
  const summaryText =
    entry.summary === undefined ? '' : entry.summaryIsHtml ? htmlToText(summaryHtml) : foldWhitespace(entry.summary);
  const rawTitle = entry.title ?? '';
  const title =
    (entry.titleIsHtml ? htmlToText(rawTitle) : foldWhitespace(rawTitle)) ||
    trimText(summaryText, DERIVED_TITLE_LENGTH);
  if (title === '') {
    warnings.add('title-missing', 'a feed entry with neither title nor text was dropped', entry.link ?? entry.guid);
    return undefined;
  }
  const item: ExtractedItem = { title };
  const link = resolveLink(entry.link, base);
  if (link) item.link = link;
  const published = readDate(entry.published, title, dates, warnings);
  const updated = readDate(entry.updated, title, dates, warnings);
  if (published ?? updated) item.published = published ?? updated;
  if (updated && published) item.updated = updated;
  if (entry.summary !== undefined && summaryText !== '') {
    item.summary = entry.summaryIsHtml ? sanitizeSummaryHtml(summaryHtml, base) : summaryText;
    if (entry.summaryIsHtml) item.summaryIsHtml = true;
  }
  const authors = entry.authors.map(foldWhitespace).filter((a) => a !== '');
  if (authors.length > 0) item.author = [...new Set(authors)].join(', ');
  const categories = entry.categories.map(foldWhitespace).filter((c) => c !== '');
  if (categories.length > 0) item.categories = categories;
  const image = resolveLink(entry.image, base);
  if (image) item.image = image;
  if (entry.guid?.trim()) item.sourceGuid = entry.guid.trim();
  return item;
}

/**
 * The newest {@link MAX_PAGE_ITEMS} entries of a feed that has more. Feeds list their newest entry
 * first, but some (archives, generated feeds) list the oldest first: when the last entry is dated later
 * than the first, the last ones are kept, so such a feed does not stop at its oldest 2,000 for good.
 */
function capEntries(
  entries: readonly SourceFeedEntry[],
  dates: DateContext,
  warnings: WarningCollector,
): readonly SourceFeedEntry[] {
  if (entries.length <= MAX_PAGE_ITEMS) return entries;
  const time = (entry: SourceFeedEntry | undefined) => {
    const text = entry?.published ?? entry?.updated;
    return text === undefined ? undefined : parseDateInContext(text, dates)?.date.getTime();
  };
  const first = time(entries[0]);
  const last = time(entries.at(-1));
  const oldestFirst = first !== undefined && last !== undefined && last > first;
  warnings.add(
    'items-capped',
    `the feed has ${entries.length} entries; only the ${MAX_PAGE_ITEMS} ${oldestFirst ? 'last (it lists the oldest first)' : 'first'} were read`,
  );
  return oldestFirst ? entries.slice(-MAX_PAGE_ITEMS) : entries.slice(0, MAX_PAGE_ITEMS);
}

function readDate(
  text: string | undefined,
  title: string,
  dates: DateContext,
  warnings: WarningCollector,
): ExtractedItem['published'] {
  if (text === undefined || text.trim() === '') return undefined;
  const parsed = parseDateInContext(text, dates);
  if (!parsed)
    warnings.add('date-unparsed', `could not read the date of "${trimText(title, 60)}"; the item is undated`, text);
  return parsed;
}

/** feedsmith is loaded (synchronously, ~0.2 s) on the first feed source, not by every command that imports extract. */
function loadFeedsmith(): typeof Feedsmith {
  feedsmith ??= requireModule('feedsmith') as typeof Feedsmith;
  return feedsmith;
}

const requireModule = createRequire(import.meta.url);
let feedsmith: typeof Feedsmith | undefined;
