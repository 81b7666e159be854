/**
 * Reading one item block in selector mode: the headline link, its title (restoring titles cut short on
 * the page from the link's `title` attribute), date, summary, author, image and categories. Values come
 * out raw (unresolved links, unparsed-date text); `extract-html.ts` turns them into an item.
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { FieldSpec, ParsedDate } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { parseDateInContext, parseDateOnlyText } from '../date/parse-date.js';
import { foldWhitespace, isTruncatedText, stripEllipsis } from '../text/fold-text.js';
import { findBlockDate } from './block-date.js';
import type { BesideDates } from './row-companions.js';
import { readAllValues, readDateValue, readFirstValue, readText, type SpecMatches } from './field-selector.js';
import { findAnchors, findEnclosingAnchor, isUsableHref, pickHeadlineAnchor } from './headline-anchor.js';

/** Field fallbacks of one source with their matches in every block of the page. */
export interface BlockSpecs {
  title?: SpecMatches[];
  link?: SpecMatches[];
  date?: SpecMatches[];
  summary?: SpecMatches[];
  author?: SpecMatches[];
  image?: SpecMatches[];
  category?: SpecMatches[];
}

/** Everything read from one block, before links are resolved and text rules applied. */
export interface RawBlock {
  title?: string;
  href?: string;
  date?: { parsed?: ParsedDate; text?: string; source: string };
  summary?: { value: string; html: boolean };
  author?: string;
  imageSrc?: string;
  categories?: string[];
  /** Which selector produced each field, for `result.selectors`. */
  used: { title?: string; link?: string; date?: string };
}

/** Context shared by every block of a page. */
export interface BlockContext {
  $: CheerioAPI;
  specs: BlockSpecs;
  dates: DateContext;
  dateFormat?: string;
  /** Dates beside the blocks: flat rows' companions, group headers (row-companions.ts), found on first need. */
  besideDates: () => BesideDates;
}

/** Reads the fields of one item block. */
export function readBlock(block: Element, context: BlockContext): RawBlock {
  const { $, specs } = context;
  const used: RawBlock['used'] = {};
  const titleValue = specs.title ? readFirstValue($, block, specs.title) : undefined;
  const link = chooseLink(context, block, titleValue?.element);
  // Only configured selectors are reported: the defaults are not CSS one could paste (see README).
  used.link = specs.link ? link?.source : undefined;
  // A title-less configuration links through an `<a>`; a link read from elsewhere (`@data-url`) still
  // takes its title from the block's headline anchor.
  const anchor = link?.element.name === 'a' ? link.element : titleValue ? undefined : pickHeadlineAnchor(block);
  // A date or a badge written inside the headline (`<a><span>2019-08-27</span>标题<i>NEW</i></a>`) is no part of the title.
  const headline = titleValue ? titleValue.element : anchor;
  const extras =
    headline && titleValue?.spec.attr === undefined ? findHeadlineExtras(headline, context.dates) : NO_EXTRAS;
  const datedParts = extras.dated;
  let title =
    extras.all.size > 0
      ? readText(headline as Element, extras.all) || titleValue?.value
      : (titleValue?.value ?? (anchor ? readText(anchor) || anchor.attribs.title?.trim() : undefined));
  used.title = titleValue ? titleValue.spec.raw : undefined;
  if (title && isTruncatedText(title)) title = restoreTruncatedTitle(title, [titleValue?.element, anchor]);
  const exclude = headlineParts(titleValue?.element, anchor ?? link?.element);
  const date = readDate(context, block, exclude, datedParts);
  used.date = specs.date ? date?.source : undefined;
  return {
    title: title ? foldWhitespace(title) : undefined,
    href: link?.href,
    date,
    summary: readSummary(context, block),
    author: specs.author ? readFirstValue($, block, specs.author)?.value : undefined,
    imageSrc: specs.image ? readFirstValue($, block, specs.image, readImageSource)?.value : undefined,
    categories: specs.category ? readAllValues($, block, specs.category)?.values : undefined,
    used,
  };
}

// --- Internal helpers ---

/**
 * What the date search skips as headline: the title element, and the link unless it wraps the title
 * together with other parts (a card that is one `<a>` around date, heading and summary: only the
 * heading is the headline there, and the date cell beside it is the item's date).
 */
function headlineParts(title: Element | undefined, link: Element | undefined): Set<AnyNode> {
  const parts = new Set<AnyNode>();
  if (title) parts.add(title);
  if (link && !(title && title !== link && contains(link, title))) parts.add(link);
  return parts;
}

function contains(ancestor: Element, node: Element): boolean {
  for (let current: AnyNode | null = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

/** The link the item points to and the element it was read from. */
interface LinkChoice {
  element: Element;
  href: string;
  source: string;
}

/** The item's link: configured `link`, else the title's own anchor, else the block's headline anchor. */
function chooseLink(context: BlockContext, block: Element, titleElement: Element | undefined): LinkChoice | undefined {
  const { $, specs } = context;
  if (specs.link) {
    const value = readFirstValue($, block, specs.link, readLinkValue);
    return value && { element: value.element, href: value.value, source: value.spec.raw };
  }
  if (titleElement) {
    const anchor = findEnclosingAnchor(titleElement, block) ?? findAnchors(titleElement)[0];
    if (anchor && isUsableHref(anchor.attribs.href))
      return { element: anchor, href: anchor.attribs.href ?? '', source: 'a[href]@href' };
  }
  const anchor = pickHeadlineAnchor(block);
  return anchor && { element: anchor, href: anchor.attribs.href ?? '', source: 'a[href]@href' };
}

/** A link field without `@attr` reads `href` of the element, or of its first descendant link. */
function readLinkValue(_$: CheerioAPI, element: Element, spec: FieldSpec): string {
  if (spec.attr) return (element.attribs[spec.attr] ?? '').trim();
  if (element.attribs.href !== undefined) return element.attribs.href.trim();
  const inner = findFirst(element, (node) => node.name === 'a' && node.attribs.href !== undefined);
  return inner?.attribs.href?.trim() ?? '';
}

/** An image field without `@attr` reads `src` (or a lazy-load attribute) of the element or its first `<img>`. */
function readImageSource(_$: CheerioAPI, element: Element, spec: FieldSpec): string {
  if (spec.attr) return (element.attribs[spec.attr] ?? '').trim();
  const img = element.name === 'img' ? element : findFirst(element, (node) => node.name === 'img');
  if (!img) return '';
  const src = img.attribs.src?.trim();
  const lazy = img.attribs['data-src'] ?? img.attribs['data-original'] ?? img.attribs['data-lazy-src'];
  return (src && !src.startsWith('data:') ? src : lazy?.trim()) ?? '';
}

/** Replaces a title cut short on the page with the full `title` attribute that starts with the visible text. */
function restoreTruncatedTitle(title: string, elements: Array<Element | undefined>): string {
  const visible = compact(stripEllipsis(title));
  for (const element of elements) {
    if (!element) continue;
    const holders = [element, ...findWithTitle(element)];
    for (const holder of holders) {
      const full = foldWhitespace(holder.attribs.title ?? '');
      if (full.length > 0 && compact(full).startsWith(visible) && !isTruncatedText(full)) return full;
    }
  }
  return title;
}

function readDate(
  context: BlockContext,
  block: Element,
  exclude: ReadonlySet<AnyNode>,
  datedParts: readonly Element[],
): RawBlock['date'] {
  const { $, specs, dates } = context;
  if (!specs.date) {
    const found = findBlockDate(block, exclude, dates);
    if (found) return { parsed: found.parsed, source: found.source };
    const inHeadline = datedParts[0] && findBlockDate(datedParts[0], NO_NODES, dates);
    if (inHeadline) return { parsed: inHeadline.parsed, source: inHeadline.source };
    // A flat list's row goes on beside the block: `<a>…</a> (2019-08-27)<br>`, `<dt>…</dt><dd>…</dd>`.
    const beside = context.besideDates().get(block);
    return beside && { parsed: beside, source: 'text' };
  }
  const value = readFirstValue($, block, specs.date, readDateValue);
  if (!value) return { source: specs.date.map(({ spec }) => spec.raw).join(', ') };
  const parsed = parseDateInContext(value.value, dates, context.dateFormat);
  return { parsed, text: value.value, source: value.spec.raw };
}

const NO_NODES: ReadonlySet<AnyNode> = new Set();

/** Longest text of an element inside a headline that is read as a date (`发布时间：2019年08月27日 14:30`). */
const MAX_DATED_PART_TEXT = 48;

/** Elements inside a headline that are not its text: dates (which date the item) and badges. */
interface HeadlineExtras {
  dated: Element[];
  all: ReadonlySet<AnyNode>;
}

const NO_EXTRAS: HeadlineExtras = { dated: [], all: new Set() };

/**
 * The elements at the start or end of a headline that are no part of its text: a date and nothing
 * else (a `datetime`, or a date-only text with digits: `<a><span>2019-08-27</span>标题</a>`,
 * `<a>标题<em>(08-27)</em></a>`), or a badge (`<span class="new">NEW</span>`, `<font>[置顶]</font>`: it
 * comes and goes, and would change the title with it). None when they would leave the headline
 * without text. Only the edges: a word marked in the middle of a title (`回到<em>三十年前</em>的老街`,
 * a search hit) stays title text.
 */
function findHeadlineExtras(headline: Element, dates: DateContext): HeadlineExtras {
  const dated: Element[] = [];
  const all = new Set<AnyNode>();
  const visitEdge = (element: Element, fromEnd: boolean, depth: number): void => {
    const children = fromEnd ? [...element.children].reverse() : element.children;
    for (const child of children) {
      if (all.has(child)) continue;
      if (child.type === 'text' && readText(child) === '') continue;
      if (child.type !== 'tag') return;
      const part = child as Element;
      // A date or a badge is a small element; a big one is only looked into (its text never read whole).
      const small = countNodes(part, MAX_EXTRA_NODES) <= MAX_EXTRA_NODES;
      if (small && isDatedPart(part, dates)) {
        dated.push(part);
        all.add(part);
      } else if (small && isBadge(readText(part), fromEnd)) all.add(part);
      // Past a badge the next element may be another (`[置顶]` then `NEW`); past anything else, look inside it.
      else return depth < MAX_EXTRA_DEPTH ? visitEdge(part, fromEnd, depth + 1) : undefined;
    }
  };
  visitEdge(headline, false, 0);
  visitEdge(headline, true, 0);
  return all.size > 0 && readText(headline, all) !== '' ? { dated, all } : NO_EXTRAS;
}

/** Most nodes of a date or badge element inside a headline (`<div><p>27</p><p>2019-08</p></div>` has 5). */
const MAX_EXTRA_NODES = 12;
/** Levels looked into from a headline's edge (`<a><h3><span>2019-08-27</span>…`: 2). */
const MAX_EXTRA_DEPTH = 4;

/** Nodes of a subtree, counted up to just past `limit`. */
function countNodes(node: AnyNode, limit: number): number {
  let count = 1;
  if ('children' in node)
    for (const child of (node as Element).children) {
      count += countNodes(child, limit - count);
      if (count > limit) break;
    }
  return count;
}

/**
 * A badge's whole text (new, hot, top, 置顶, 荐, 热…). At the end of a headline any of them; at its
 * start only in brackets (`[置顶]`) or in capitals (`NEW`), since a title may begin with the word
 * itself (`<b>新</b>能源汽车…`, `<b>New</b> features in…`).
 */
function isBadge(text: string, atEnd: boolean): boolean {
  const match = BADGE.exec(text);
  if (!match) return false;
  return atEnd || match.groups?.open !== undefined || /^[A-Z]+$/.test(match.groups?.word ?? '');
}

const BADGE =
  /^(?:(?<open>[[(（【〔])\s*)?(?<word>new|hot|top|置顶|置頂|顶|頂|新|最新|热|熱|荐|薦|推荐|推薦|精|精华|精華|图|圖|图文|圖文|视频|視頻|原创|原創|头条|頭條)\s*[\])）】〕]?[!！]?$/i;

function isDatedPart(part: Element, dates: DateContext): boolean {
  const datetime = part.attribs.datetime;
  if (datetime !== undefined && parseDateOnlyText(datetime, dates) !== undefined) return true;
  const text = readText(part);
  return text.length <= MAX_DATED_PART_TEXT && /\d/.test(text) && parseDateOnlyText(text, dates) !== undefined;
}

function readSummary(context: BlockContext, block: Element): RawBlock['summary'] {
  if (!context.specs.summary) return undefined;
  const value = readFirstValue(context.$, block, context.specs.summary);
  return value && { value: value.value, html: value.spec.attr === 'html' };
}

function findFirst(node: Element, test: (element: Element) => boolean): Element | undefined {
  for (const child of node.children) {
    if (child.type !== 'tag') continue;
    const element = child as Element;
    if (test(element)) return element;
    const deeper = findFirst(element, test);
    if (deeper) return deeper;
  }
  return undefined;
}

function findWithTitle(node: Element): Element[] {
  const out: Element[] = [];
  for (const child of node.children) {
    if (child.type !== 'tag') continue;
    const element = child as Element;
    if (element.attribs.title !== undefined) out.push(element);
    out.push(...findWithTitle(element));
  }
  return out;
}

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}
