/**
 * Selector-mode extraction of an HTML list page: one item per block matched by `items`, fields read
 * relative to the block, links resolved against `<base href>` / the final URL.
 */
import { describeError } from '../../errors.js';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { ChosenSelectors, ExtractedItem, ExtractResult, SourceSelectors } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { ExtractError } from '../extract-error.js';
import type { ExtractInput, ExtractOptions } from '../extract-options.js';
import { trimText } from '../text/fold-text.js';
import { capHtmlSummary, sanitizeSummaryHtml } from '../text/summary.js';
import { MAX_LINK_CHARS, resolveLink } from '../url/canonicalize-url.js';
import type { WarningCollector } from '../warnings.js';
import { detectListSelectors, UNCERTAIN_CONFIDENCE } from './detect-list.js';
import { parseFieldSelector, SELECTOR_FIELDS } from '../../field-selector/parse-field-selector.js';
import { findCommonAncestor, matchSpec, readText, type SpecMatches } from './field-selector.js';
import { MAX_PAGE_ITEMS } from '../item-limit.js';
import { DocumentScope } from './load-document.js';
import { readLinkValue, recoverScriptLinks } from './script-links.js';
import { readPageFacts } from './page-info.js';
import { readBlock, type BlockContext, type BlockSpecs, type RawBlock } from './read-block.js';
import { findBesideDates, type BesideDates } from './row-companions.js';
import { keepOneBlockPerLine } from './flat-lines.js';
import { challengePageError } from '../challenge-page.js';
import { expandRecordIslands } from './record-islands.js';
import { framedPageError } from './framed-page.js';
import { redirectPageError } from './redirect-page.js';
import { hasNestedImpliedEnds } from './implied-ends.js';

/** Items of an HTML page before the shared finishing steps, plus page facts and selectors used. */
export type HtmlExtraction = Omit<ExtractResult, 'warnings'>;

/** Extracts headline items from an HTML page with the configured (or, later, detected) selectors. */
export function extractHtml(
  input: ExtractInput,
  options: ExtractOptions,
  dates: DateContext,
  warnings: WarningCollector,
): HtmlExtraction {
  // The trees are emptied once the items are read, so that their nodes die young (see DocumentScope).
  const documents = new DocumentScope(recoverScriptLinks);
  try {
    return extractFromTrees(documents, input, options, dates, warnings);
  } finally {
    documents.release();
  }
}

// --- Internal helpers ---

function extractFromTrees(
  documents: DocumentScope,
  input: ExtractInput,
  options: ExtractOptions,
  dates: DateContext,
  warnings: WarningCollector,
): HtmlExtraction {
  // A list shipped as a data island in a script (Hanweb's jpage) becomes markup where the script stood.
  const loaded = documents.loadPage(expandRecordIslands(input.body), warnings);
  const body = loaded.html;
  let $ = loaded.$;
  const { page, baseUrl } = readPageFacts($, input.url);
  for (const feed of page.alternateFeeds) {
    warnings.add(
      'feed-advertised',
      `the page advertises a feed (${feed.type}); consider using it as the source`,
      feed.url,
    );
  }
  let list = options.selectors.items
    ? undefined
    : detectListSelectors($, { baseUrl, dates, alternatives: options.listAlternatives === true });
  if (!options.selectors.items && !list && hasNestedImpliedEnds($.root().toArray())) {
    // Unclosed `<li>`/`<p>`/`<td>` nest rows inside each other in htmlparser2's tree, where no list shows;
    // browsers (and parse5) close them. Detection gets a second chance on the browser-shaped tree.
    const browserShaped = documents.load(body, 'parse5');
    list = detectListSelectors(browserShaped, { baseUrl, dates, alternatives: options.listAlternatives === true });
    if (list) {
      $ = browserShaped;
      warnings.add(
        'parser-fallback',
        'the list was found only in the browser-repaired tree (parse5): the page leaves elements such as <li> unclosed',
        list.selectors.items,
      );
    }
  }
  const detected = list?.selectors;
  if (detected?.confidence !== undefined && detected.confidence < UNCERTAIN_CONFIDENCE) {
    warnings.add(
      'list-uncertain',
      `automatic list choice is uncertain (confidence ${detected.confidence.toFixed(2)} < ${UNCERTAIN_CONFIDENCE}): pin \`items:\` (see \`feedwright preview\` for the candidates)`,
      detected.items,
    );
  }
  const itemsSelector = options.selectors.items ?? detected?.items;
  if (!itemsSelector) {
    throw (
      challengePageError(input.body, options.sourceId) ??
      redirectPageError($, baseUrl, options.sourceId) ??
      framedPageError($, baseUrl, options.sourceId) ??
      new ExtractError(
        'EXTRACT_NO_CONTAINER',
        options.sourceId,
        'no item selector configured',
        'automatic list detection found no list of headline links',
        {
          hint: 'Set `items:` to a CSS selector matching one block per headline, e.g. `ul.list li` (try it with `feedwright preview`).',
        },
      )
    );
  }
  const selectors = detected ? withDetectedFields(options.selectors, detected) : options.selectors;
  // Detection already ran its items selector on this tree and checked what it matches.
  const found = list
    ? { $, blocks: list.blocks }
    : repairNestedRows(
        documents,
        findBlocks(documents, $, { body, baseUrl }, itemsSelector, options.sourceId, warnings),
        body,
        itemsSelector,
        options.sourceId,
        warnings,
      );
  // A flat list's lines: one item per line, its headline (detection's blocks already are).
  const matched = list ? found.blocks : keepOneBlockPerLine(found.blocks);
  const blocks = matched.length > MAX_PAGE_ITEMS ? matched.slice(0, MAX_PAGE_ITEMS) : matched;
  if (blocks.length < matched.length) {
    warnings.add(
      'items-capped',
      `the item selector matched ${matched.length} blocks; only the first ${MAX_PAGE_ITEMS} were read`,
      itemsSelector,
    );
  }
  $ = found.$;
  // Detection already queried the fields it chose in these blocks of this tree.
  const specs = matchFields($, blocks, selectors, options.sourceId, list?.fieldMatches);
  let besideDates: BesideDates | undefined;
  const context: BlockContext = {
    $,
    specs,
    dates,
    dateFormat: options.dateFormat,
    besideDates: () => (besideDates ??= findBesideDates(blocks, dates)),
  };
  const items: ExtractedItem[] = [];
  const usage = new SelectorUsage();
  // Parsed once for all links; a relative or broken input URL stays a string (links then do not resolve).
  const base = URL.canParse(baseUrl) ? new URL(baseUrl) : baseUrl;
  for (const block of blocks) {
    const raw = readBlock(block, context);
    usage.count(raw.used);
    const item = toItem(raw, block, base, warnings, {
      configured: Boolean(specs.date),
      latest: dates.now.toMillis() + DAY_MS,
    });
    if (item) items.push(item);
  }
  if (items.length === 0) {
    throw new ExtractError(
      'EXTRACT_NO_ITEMS',
      options.sourceId,
      `${blocks.length} item block(s) matched but none had a title`,
      itemsSelector,
      {
        selector: itemsSelector,
        hint: "Check `title:` (and `link:`) against one block of the page; the default is the text of the block's main link.",
      },
    );
  }
  const used = usage.report(itemsSelector);
  return {
    mode: detected ? 'auto' : 'selectors',
    items,
    selectors: detected ? reportDetected(used, options.selectors, detected) : used,
    page,
  };
}

/**
 * Auto mode reads the page in selector mode with the detected selectors; fields the user configured
 * anyway (e.g. `summary:` or `date:` without `items:`) win. Title and link go together: a configured
 * title or link drops both detected ones, since the detected link is the detected title's anchor.
 */
function withDetectedFields(configured: SourceSelectors, detected: ChosenSelectors): SourceSelectors {
  const merged: SourceSelectors = { ...configured, items: detected.items };
  if (!configured.title && !configured.link) {
    if (detected.title) merged.title = [parseFieldSelector(detected.title)];
    if (detected.link) merged.link = [parseFieldSelector(detected.link)];
  }
  if (!configured.date && detected.date) merged.date = [parseFieldSelector(detected.date)];
  if (!configured.summary && detected.summary) merged.summary = [parseFieldSelector(detected.summary)];
  return merged;
}

/** The selectors to pin: detected ones (real CSS), or the configured one that was used for a field the user set. */
function reportDetected(
  used: ChosenSelectors,
  configured: SourceSelectors,
  detected: ChosenSelectors,
): ChosenSelectors {
  const report: ChosenSelectors = { items: detected.items };
  const userTitle = Boolean(configured.title || configured.link);
  for (const field of ['title', 'link', 'date'] as const) {
    const byUser = field === 'date' ? Boolean(configured.date) : userTitle;
    const value = byUser ? used[field] : detected[field];
    if (value !== undefined) report[field] = value;
  }
  if (!configured.summary && detected.summary) report.summary = detected.summary;
  if (detected.confidence !== undefined) report.confidence = detected.confidence;
  if (detected.alternatives) report.alternatives = detected.alternatives;
  return report;
}

/** Selects the item blocks, retrying on a browser-shaped (parse5) tree when the fast tree has none. */
function findBlocks(
  documents: DocumentScope,
  $: CheerioAPI,
  page: { body: string; baseUrl: string },
  selector: string,
  sourceId: string,
  warnings: WarningCollector,
): { $: CheerioAPI; blocks: Element[] } {
  const { body, baseUrl } = page;
  const blocks = selectBlocks($, selector, sourceId);
  if (blocks.length > 0) return { $, blocks };
  // htmlparser2 builds the tree as written; browsers (and parse5) add implied elements such as <tbody>,
  // so a selector copied from dev tools may only match the browser-shaped tree.
  const browserShaped = documents.load(body, 'parse5');
  const retried = selectBlocks(browserShaped, selector, sourceId);
  if (retried.length === 0) {
    throw (
      challengePageError(body, sourceId) ??
      redirectPageError($, baseUrl, sourceId, selector) ??
      new ExtractError('EXTRACT_NO_CONTAINER', sourceId, 'the item selector matched nothing', selector, {
        selector,
        hint: 'The page layout may have changed; open the page and update `items:` (check it in `feedwright preview`).',
      })
    );
  }
  warnings.add(
    'parser-fallback',
    'the item selector matched only the browser-repaired tree (parse5), so the page was parsed twice; drop implied elements such as `tbody` from `items:`',
    selector,
  );
  return { $: browserShaped, blocks: retried };
}

/**
 * Rows nested in one another in the fast tree (`<li><a>one<li><a>two…` with unclosed `<li>`: htmlparser2
 * keeps the second `li` inside the first's `a`, so the titles run together) disagree with the tree a
 * browser builds; the HTML5 (parse5) tree is then used when it gives more separate rows.
 */
function repairNestedRows(
  documents: DocumentScope,
  found: { $: CheerioAPI; blocks: Element[] },
  body: string,
  selector: string,
  sourceId: string,
  warnings: WarningCollector,
): { $: CheerioAPI; blocks: Element[] } {
  if (!hasNestedBlocks(found.blocks)) return found;
  const browserShaped = documents.load(body, 'parse5');
  const blocks = selectBlocks(browserShaped, selector, sourceId);
  if (blocks.length < found.blocks.length || hasNestedBlocks(blocks)) return found;
  warnings.add(
    'parser-fallback',
    `item blocks nest inside each other in the fast parser's tree (unclosed <li>, <p> or <td>); read the ${blocks.length} rows from the browser-repaired tree (parse5)`,
    selector,
  );
  return { $: browserShaped, blocks };
}

/** True when a block lies inside another block (bounded: the nesting cap limits every climb). */
function hasNestedBlocks(blocks: Element[]): boolean {
  const set = new Set<AnyNode>(blocks);
  for (const block of blocks) for (let node = block.parent; node; node = node.parent) if (set.has(node)) return true;
  return false;
}

function selectBlocks($: CheerioAPI, selector: string, sourceId: string): Element[] {
  try {
    return $(selector)
      .toArray()
      .filter((node): node is Element => 'attribs' in node);
  } catch (error) {
    throw badSelector(sourceId, 'items', selector, error);
  }
}

/** Runs each field's fallbacks (parsed by config) once over all blocks; invalid CSS fails clearly here. */
function matchFields(
  $: CheerioAPI,
  blocks: Element[],
  selectors: SourceSelectors,
  sourceId: string,
  queried: ReadonlyMap<string, SpecMatches> = new Map(),
): BlockSpecs {
  const specs: BlockSpecs = {};
  // `title: a` with `link: a@href` is one query: matches are shared between fallbacks with the same CSS.
  const byCss = new Map<string, SpecMatches>(queried);
  // Blocks always share at least the document node.
  const scope = findCommonAncestor(blocks) ?? ($.root().toArray()[0] as AnyNode);
  for (const field of SELECTOR_FIELDS) {
    const list = selectors[field];
    if (!list || list.length === 0) continue;
    specs[field] = list.map((spec) => {
      const known = byCss.get(spec.css);
      if (known) return { spec, byBlock: known.byBlock };
      try {
        const matched = matchSpec($, blocks, spec, scope);
        byCss.set(spec.css, matched);
        return matched;
      } catch (error) {
        throw badSelector(sourceId, field, spec.raw, error);
      }
    });
  }
  return specs;
}

function badSelector(sourceId: string, field: string, selector: string, error: unknown): ExtractError {
  const detail = describeError(error);
  return new ExtractError(
    'EXTRACT_BAD_SELECTOR',
    sourceId,
    `invalid CSS selector for \`${field}\`: ${selector}`,
    detail,
    {
      selector,
      cause: error,
      hint: `Fix the \`${field}:\` selector; it must be CSS, optionally followed by @attribute.`,
    },
  );
}

function toItem(
  raw: RawBlock,
  block: Element,
  base: URL | string,
  warnings: WarningCollector,
  date: DateRules,
): ExtractedItem | undefined {
  const dateConfigured = date.configured;
  if (!raw.title) {
    warnings.add('title-missing', 'an item block without a title was dropped', snippet(readText(block)));
    return undefined;
  }
  const item: ExtractedItem = { title: raw.title };
  // A link read from an attribute holding script (`link: "@onclick"` on a clickable row) is the page it
  // opens; script that names none is no link (not a path relative to the page).
  const value = raw.href === undefined ? undefined : readLinkValue(raw.href);
  const link = resolveLink(value?.script ? value.page : raw.href, base);
  if (link) item.link = link;
  else if (raw.href && raw.href.trim() !== '' && !value?.script && !/^\s*#/.test(raw.href)) {
    warnings.add(
      'link-unusable',
      raw.href.length > MAX_LINK_CHARS
        ? `item "${snippet(raw.title)}" has a link of ${raw.href.length} characters (over ${MAX_LINK_CHARS}); it keeps no link`
        : `item "${snippet(raw.title)}" has a link that is not http(s); it keeps no link`,
      raw.href.length > MAX_LINK_CHARS ? snippet(raw.href) : raw.href,
    );
  }
  const parsed = raw.date?.parsed;
  if (parsed && (parsed.date.getTime() > date.latest || parsed.date.getTime() < EARLIEST_DATE)) {
    // A news row dated after tomorrow or before 1990 is a template default or a misread number.
    warnings.add(
      'date-implausible',
      `the date of "${snippet(raw.title)}" is after tomorrow or before 1990; the item is undated`,
      raw.date?.text ?? parsed.date.toISOString(),
    );
  } else if (parsed) item.published = parsed;
  else if (raw.date?.text)
    warnings.add(
      'date-unparsed',
      `could not read the date of "${snippet(raw.title)}"; the item is undated`,
      raw.date.text,
    );
  else if (dateConfigured)
    warnings.add('date-missing', `the date selector matched nothing for "${snippet(raw.title)}"`, raw.date?.source);
  if (raw.summary) {
    item.summary = raw.summary.html
      ? sanitizeSummaryHtml(capHtmlSummary(raw.summary.value, raw.title, warnings), base.toString())
      : raw.summary.value;
    if (raw.summary.html) item.summaryIsHtml = true;
  }
  if (raw.author) item.author = raw.author;
  const image = resolveLink(raw.imageSrc, base);
  if (image) item.image = image;
  if (raw.categories) item.categories = raw.categories;
  return item;
}

/** What makes a row's date usable: whether `date:` was configured, and the latest instant accepted. */
interface DateRules {
  configured: boolean;
  latest: number;
}

const DAY_MS = 86_400_000;
const EARLIEST_DATE = Date.UTC(1990, 0, 1);

/** A title or block text short enough to quote in a warning: 60 characters and `…`. */
function snippet(text: string): string {
  return trimText(text, 61);
}

/** Counts which selector produced each field, to report the one most items used. */
class SelectorUsage {
  private readonly tallies = {
    title: new Map<string, number>(),
    link: new Map<string, number>(),
    date: new Map<string, number>(),
  };

  count(used: RawBlock['used']): void {
    for (const field of ['title', 'link', 'date'] as const) {
      const value = used[field];
      if (value !== undefined) this.tallies[field].set(value, (this.tallies[field].get(value) ?? 0) + 1);
    }
  }

  report(items: string): ChosenSelectors {
    const chosen: ChosenSelectors = { items };
    for (const field of ['title', 'link', 'date'] as const) {
      const top = [...this.tallies[field]].sort((a, b) => b[1] - a[1])[0];
      if (top) chosen[field] = top[0];
    }
    return chosen;
  }
}
