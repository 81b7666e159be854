/**
 * Finding an item's date when no `date:` selector is configured: a `<time datetime>` (or any
 * `datetime` attribute) in the block first, then the block's own text outside the headline — a text
 * that is only a date (`2019-08-27`, `[08-27]`, `发布时间：…`) before a date embedded in other text.
 * The headline is excluded so `关于2019-08-27停电的通知  2019-08-20` reads as 2019-08-20.
 */
import type { AnyNode, Element } from 'domhandler';
import type { ParsedDate } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { findDateInText, parseDateOnlyText } from '../date/parse-date.js';
import { readText } from './field-selector.js';

/** A date found in a block and what it was read from. */
export interface BlockDate {
  parsed: ParsedDate;
  /** `time@datetime` or `text`, for the report of selectors used. */
  source: string;
}

/** Looks for the item's date in a block, skipping the headline's own elements. */
export function findBlockDate(block: Element, exclude: ReadonlySet<AnyNode>, ctx: DateContext): BlockDate | undefined {
  const found: Found = { texts: [], timed: [] };
  // One walk collects both the `datetime` attributes and the text nodes (cheaper than a CSS query per block).
  collect(block, exclude, found);
  return readFound(found, ctx);
}

/**
 * The date among sibling nodes beside a block (row-companions.ts), read as a block's. Only from
 * nodes of little text (a row's cells, a day's heading): a summary paragraph beside a headline names
 * other days (`根据8月17日的会议…`), and its links cut it into short texts that may be dates alone.
 */
export function findDateInNodes(nodes: readonly AnyNode[], ctx: DateContext): ParsedDate | undefined {
  const found: Found = { texts: [], timed: [] };
  for (const node of nodes) if (readText(node).length <= MAX_CELL_TEXT) collect(node, NOTHING, found);
  return readFound(found, ctx)?.parsed;
}

/** True when a date text names its year (`2019-08-27`, `03/10 2025`), so no year is inferred. */
export function namesYear(text: string): boolean {
  return /(?<!\d)(?:19|20)\d{2}(?!\d)/.test(text);
}

// --- Internal helpers ---

const NOTHING: ReadonlySet<AnyNode> = new Set();

/** Longest text of a node beside a block that is read for a date: `发布时间：2019-08-27 来源：生态环境部网站`. */
const MAX_CELL_TEXT = 60;

/** The date among collected texts: `datetime` first, then a date-only text, a badge, a date in running text. */
function readFound(found: Found, ctx: DateContext): BlockDate | undefined {
  for (const element of found.timed) {
    const parsed = parseDateOnlyText(element.attribs.datetime ?? '', ctx);
    if (parsed) return { parsed, source: `${element.name}@datetime` };
  }
  for (const [index, text] of found.texts.entries()) {
    // A date-only text (with at most a short label) is short; longer texts are summaries or headlines.
    if (text.length > MAX_DATE_TEXT_LENGTH) continue;
    const parsed = parseDateOnlyText(text, ctx);
    if (parsed) return { parsed: completeYear(parsed, text, found.texts, index, ctx), source: 'text' };
  }
  const badge = readBadgeDate(found.texts, ctx);
  if (badge) return { parsed: badge, source: 'text' };
  const embedded = findDateInText(found.texts.join(' '), ctx);
  return embedded && { parsed: embedded.parsed, source: 'text' };
}

/**
 * A month and day whose year sits in the neighbouring text node (`<p>03/10</p><span>2025</span>`, a
 * calendar-leaf date cell): read together they are a full date, which beats a year inferred from today.
 */
function completeYear(parsed: ParsedDate, text: string, texts: string[], index: number, ctx: DateContext): ParsedDate {
  if (namesYear(text)) return parsed;
  const next = texts[index + 1] ?? '';
  const previous = texts[index - 1] ?? '';
  // Only a neighbour that is a year and nothing else (`2025`, `2025年`): a count or a code is no year.
  const year = YEAR_ONLY.exec(next)?.groups?.year ?? YEAR_ONLY.exec(previous)?.groups?.year;
  return (year && parseDateOnlyText(`${text} ${year}`, ctx)) || parsed;
}

/**
 * A date badge whose parts are separate elements, none a date alone: `<b>20</b><i>Aug</i>`,
 * `<span>8月</span><span>27日</span>`. Two neighbouring short texts read together as nothing but a date.
 */
function readBadgeDate(texts: readonly string[], ctx: DateContext): ParsedDate | undefined {
  for (let index = 0; index + 1 < texts.length; index++) {
    const first = texts[index] as string;
    const second = texts[index + 1] as string;
    if (first.length > MAX_BADGE_PART || second.length > MAX_BADGE_PART) continue;
    const parsed = parseDateOnlyText(`${first} ${second}`, ctx);
    if (parsed) return parsed;
  }
  return undefined;
}

/** Longest part of a date badge: `September`, `2019-08`, `27日`. */
const MAX_BADGE_PART = 10;

const YEAR_ONLY = /^[(（[]?(?<year>(?:19|20)\d{2})\s*年?[)）\]]?$/;

/** Longest text node read as a date on its own: `发布时间：2019年08月27日 14:30:05` plus brackets. */
const MAX_DATE_TEXT_LENGTH = 48;

const SKIPPED = new Set(['script', 'style', 'noscript', 'template']);

interface Found {
  texts: string[];
  timed: Element[];
}

/** Collects, in document order, elements with a `datetime` attribute and text nodes outside excluded subtrees. */
function collect(node: AnyNode, exclude: ReadonlySet<AnyNode>, found: Found): void {
  if (node.type === 'text') {
    if (exclude.has(node)) return;
    const data = (node as unknown as { data: string }).data.trim();
    if (data !== '') found.texts.push(data);
    return;
  }
  if (!('children' in node)) return;
  if ('attribs' in node) {
    const element = node as Element;
    if (SKIPPED.has(element.name)) return;
    // A <time datetime> inside the headline still dates the item; only its text is the headline's.
    if (element.attribs.datetime !== undefined) found.timed.push(element);
    if (exclude.has(node)) {
      for (const child of element.children) if (child.type === 'tag') collectTimed(child as Element, found);
      return;
    }
  }
  for (const child of node.children) collect(child, exclude, found);
}

function collectTimed(element: Element, found: Found): void {
  if (element.attribs.datetime !== undefined) found.timed.push(element);
  for (const child of element.children) if (child.type === 'tag') collectTimed(child as Element, found);
}
