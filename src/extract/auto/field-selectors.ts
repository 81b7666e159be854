/**
 * The `title`, `link` and `date` selectors of a detected list, relative to one item block. Each is
 * proposed from the first block's element and kept only when, read the way selector mode reads it
 * (first non-empty match per block), it gives the same element or date in every block. A field with
 * no such selector is left out and selector mode's default finds it (the headline link, the block's date).
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { DateContext } from '../date/date-building.js';
import { parseDateOnlyText } from '../date/parse-date.js';
import { namesYear } from '../html/block-date.js';
import { measureTextUnits } from './text-units.js';
import {
  BLOCK_ELEMENTS,
  findCommonAncestor,
  matchSpec,
  readDateValue,
  readFirstValue,
  readText,
  type SpecMatches,
  type ValueReader,
} from '../html/field-selector.js';
import { parseFieldSelector } from '../../field-selector/parse-field-selector.js';
import {
  findAnchors,
  findEnclosingAnchor,
  findHeading,
  isUsableHref,
  pickHeadlineAnchor,
} from '../html/headline-anchor.js';
import {
  describeElement,
  findParentElement,
  findTypeIndex,
  hasClass,
  readStableClasses,
  writeTagWithClasses,
} from './css-names.js';

/** Field selectors found for a list (each optional). */
export interface FieldChoice {
  title?: string;
  link?: string;
  date?: string;
  /** A teaser paragraph under the headline, when most rows have one. */
  summary?: string;
  /**
   * What each CSS part tried selects in the blocks (keyed by CSS): selector mode then reads the blocks
   * with these instead of running the chosen queries again.
   */
  matches: Map<string, SpecMatches>;
}

/** Finds title, link and date selectors that read every block as detection read it. */
export function chooseFieldSelectors($: CheerioAPI, blocks: Element[], dates: DateContext): FieldChoice {
  const scope = findCommonAncestor(blocks) ?? ($.root().toArray()[0] as AnyNode);
  const search: Search = { $, blocks, scope, matches: new Map(), text: new TextMemo() };
  const titles = new Map<Element, Element>();
  for (const block of blocks) {
    const title = findTitleElement(block, dates, search.text);
    if (title) titles.set(block, title);
  }
  const choice: FieldChoice = { matches: search.matches };
  const title = pickVerified(search, titles, readElementText(search.text));
  if (title) {
    choice.title = title;
    choice.link = chooseLinkSelector(search, titles, title);
  }
  const dateElements = new Map<Element, Element>();
  for (const block of blocks) {
    const element = titles.has(block)
      ? findDateElement(block, titles.get(block) as Element, dates, search.text)
      : undefined;
    if (element) dateElements.set(block, element);
  }
  // Only a selector that dates every item is worth pinning; otherwise selector mode's search does better.
  if (dateElements.size === titles.size && titles.size > 0) choice.date = pickVerifiedDate(search, dateElements);
  const summaries = new Map<Element, Element>();
  for (const [block, title] of titles) {
    const element = findSummaryElement(block, title, dateElements.get(block), search.text);
    if (element) summaries.set(block, element);
  }
  // A teaser most rows have (a row without one may have an image or a short notice instead).
  if (summaries.size >= MIN_SUMMARY_ROWS && summaries.size >= titles.size * MIN_SUMMARY_SHARE)
    choice.summary = pickVerifiedSummary(search, summaries);
  return choice;
}

// --- Internal helpers ---

/** The page, the blocks, and what the search has read so far (queries by CSS, element texts). */
interface Search {
  $: CheerioAPI;
  blocks: Element[];
  scope: AnyNode;
  matches: Map<string, SpecMatches>;
  text: TextMemo;
}

/** Folded element texts, each read once: the search compares the same few elements' texts many times. */
class TextMemo {
  private readonly texts = new Map<Element, string>();

  of(element: Element): string {
    let text = this.texts.get(element);
    if (text === undefined) {
      text = readText(element);
      this.texts.set(element, text);
    }
    return text;
  }
}

const readElementText =
  (memo: TextMemo): ValueReader =>
  (_$, element) =>
    memo.of(element);
const readHref: ValueReader = (_$, element) => (element.attribs.href ?? '').trim();

/** The headline element: the block's headline link, or the text part of a link that also holds the date. */
function findTitleElement(block: Element, dates: DateContext, text: TextMemo): Element | undefined {
  const anchor = pickHeadlineAnchor(block);
  if (!anchor || !isUsableHref(anchor.attribs.href)) return undefined;
  // `<a><p>03/10</p><h3>headline</h3><p>summary…</p></a>`: the heading inside the link is the title.
  const heading = findHeading(anchor);
  if (heading && text.of(heading) !== '' && text.of(heading) !== text.of(anchor)) return heading;
  const parts = anchor.children.filter((child): child is Element => child.type === 'tag');
  const dated = parts.filter(
    (part) => parseDateOnlyText(text.of(part), dates) !== undefined || part.attribs.datetime !== undefined,
  );
  if (dated.length === 0) return findLeadTextBlock(anchor, dates, text) ?? (anchor === block ? undefined : anchor);
  // `<a class="row"><span class="t">headline</span><span class="d">2019.08.27</span></a>`: the headline is the longest other part.
  const rest = parts.filter((part) => !dated.includes(part)).sort((a, b) => text.of(b).length - text.of(a).length);
  return rest[0] && text.of(rest[0]) !== '' ? rest[0] : undefined;
}

/**
 * A card that is one link (`<a><figure/><section><header>headline</header><p>teaser…</p><ul>author,
 * date</ul></section></a>`) with no element named as its title: the headline is the first block of
 * text in it, not the whole link's text. Only when the link holds two or more blocks of text (a
 * headline-only link keeps its whole text); blocks of digits and punctuation alone (a date, a count)
 * and short labels are passed over.
 */
function findLeadTextBlock(anchor: Element, dates: DateContext, text: TextMemo): Element | undefined {
  const leaves: Element[] = [];
  collectTextBlocks(anchor, text, leaves);
  if (leaves.length < 2) return undefined;
  const worded = leaves.filter((leaf) => {
    const value = text.of(leaf);
    return WORDED.test(value) && [...value].length > 2 && parseDateOnlyText(value, dates) === undefined;
  });
  // A short label before the headline (`政策解读`, `Opinion`) is passed over for the first longer block.
  const longest = Math.max(0, ...worded.map((leaf) => [...text.of(leaf)].length));
  return worded.find((leaf) => [...text.of(leaf)].length >= Math.min(MIN_HEADLINE_CHARS, longest));
}

/** Characters a headline has at least, unless no block of the card has as many. */
const MIN_HEADLINE_CHARS = 8;

/** Block elements with text that hold no block element with text (the "leaves" of the text layout). */
function collectTextBlocks(node: Element, text: TextMemo, out: Element[]): boolean {
  let holdsBlock = false;
  for (const child of node.children) {
    if (child.type !== 'tag') continue;
    const element = child as Element;
    if (collectTextBlocks(element, text, out)) holdsBlock = true;
  }
  if (holdsBlock || !BLOCK_ELEMENTS.has(node.name) || text.of(node) === '') return holdsBlock;
  out.push(node);
  return true;
}

/** A letter or ideograph: text that is more than digits, dates and punctuation. */
const WORDED = /[\p{L}]/u;

/** What a CSS part selects in every block, queried once per search. */
function matchOnce(search: Search, css: string): SpecMatches {
  const spec = parseFieldSelector(css);
  let matches = search.matches.get(spec.css);
  if (!matches) {
    matches = matchSpec(search.$, search.blocks, spec, search.scope);
    search.matches.set(spec.css, matches);
  }
  return { spec, byBlock: matches.byBlock };
}

/** The first proposed selector whose first non-empty match in every block is that block's expected element. */
function pickVerified(search: Search, expected: ReadonlyMap<Element, Element>, read: ValueReader): string | undefined {
  const [block, element] = expected.entries().next().value ?? [];
  if (!block || !element) return undefined;
  for (const css of proposeSelectors(element, block)) {
    const matches = [matchOnce(search, css)];
    const ok = search.blocks.every((b) => readFirstValue(search.$, b, matches, read)?.element === expected.get(b));
    if (ok) return css;
  }
  return undefined;
}

function chooseLinkSelector(
  search: Search,
  titles: ReadonlyMap<Element, Element>,
  titleCss: string,
): string | undefined {
  const anchors = new Map<Element, Element>();
  for (const [block, title] of titles) {
    const anchor = findEnclosingAnchor(title, block) ?? findAnchors(title)[0];
    if (!anchor) return undefined;
    anchors.set(block, anchor);
  }
  const pairs = [...anchors];
  if (pairs.every(([block, anchor]) => anchor === block)) return '@href';
  if (pairs.every(([block, anchor]) => anchor === titles.get(block))) return `${titleCss}@href`;
  const css = pickVerified(search, anchors, readHref);
  return css && `${css}@href`;
}

/** The element holding the block's date: a `datetime` attribute first, then a text that is only a date. */
function findDateElement(block: Element, title: Element, dates: DateContext, text: TextMemo): Element | undefined {
  const timed: Element[] = [];
  const texts: Element[] = [];
  const walk = (node: Element): void => {
    for (const child of node.children) {
      if (child.type === 'text') {
        const text = (child as unknown as { data: string }).data;
        if (node !== block && node !== title && text.trim() !== '' && text.length < 60 && !texts.includes(node))
          texts.push(node);
        continue;
      }
      if (child.type !== 'tag') continue;
      const element = child as Element;
      if (element.attribs.datetime !== undefined) timed.push(element);
      if (element !== title) walk(element);
    }
  };
  walk(block);
  // Same order as selector mode's own search (block-date.ts): machine-readable dates before visible ones.
  const found =
    timed.find((element) => parseDateOnlyText(element.attribs.datetime ?? '', dates)) ??
    texts.find((element) => parseDateOnlyText(text.of(element), dates));
  return found && widenToYear(found, block, title, dates, text);
}

/**
 * A month-day element whose year is in a sibling (`<div class="date"><p>03/10</p><span>2025</span></div>`):
 * the wrapper reads as the full date, so it is the date element (the year is then read, not inferred).
 */
function widenToYear(element: Element, block: Element, title: Element, dates: DateContext, text: TextMemo): Element {
  let current = element;
  while (!current.attribs.datetime && !namesYear(text.of(current))) {
    const parent = findParentElement(current);
    if (!parent || parent === block || isInside(title, parent)) break;
    const wider = text.of(parent);
    if (!namesYear(wider) || !parseDateOnlyText(wider, dates)) break;
    current = parent;
  }
  return current;
}

function isInside(node: Element, ancestor: Element): boolean {
  for (let current: Element | undefined = node; current; current = findParentElement(current))
    if (current === ancestor) return true;
  return false;
}

/** Like {@link pickVerified} for dates, read as selector mode reads a date element (its `datetime`, else its text). */
function pickVerifiedDate(search: Search, expected: ReadonlyMap<Element, Element>): string | undefined {
  const [block, element] = expected.entries().next().value ?? [];
  if (!block || !element) return undefined;
  const readDate: ValueReader = (_$, candidate, spec) =>
    spec.attr === undefined && !candidate.attribs.datetime
      ? search.text.of(candidate)
      : readDateValue(_$, candidate, spec);
  for (const css of proposeSelectors(element, block)) {
    const matches = [matchOnce(search, css)];
    // The same element as detection found in every dated block: the same text, so the same date.
    if ([...expected].every(([b, e]) => readFirstValue(search.$, b, matches, readDate)?.element === e)) return css;
  }
  return undefined;
}

/** Rows that must have a teaser before a summary selector is proposed. */
const MIN_SUMMARY_ROWS = 2;
/** Share of the titled rows that must have one. */
const MIN_SUMMARY_SHARE = 0.6;
/** Fewest text units of a teaser: a sentence, not a byline or an agency's name (`中华人民共和国生态环境部`). */
const MIN_SUMMARY_UNITS = 30;

/**
 * The block's teaser: outside the title and the date, the element with the most text (at least a
 * sentence, and more than the title's), narrowed to the child that holds nearly all of it
 * (`div.desc > p`). Text of a link of its own is no teaser (a "related" link, a tag list).
 */
function findSummaryElement(
  block: Element,
  title: Element,
  date: Element | undefined,
  text: TextMemo,
): Element | undefined {
  const minimum = Math.max(MIN_SUMMARY_UNITS, measureTextUnits(text.of(title)));
  let best: Element | undefined;
  let bestUnits = 0;
  const walk = (node: Element): void => {
    for (const child of node.children) {
      if (child.type !== 'tag') continue;
      const element = child as Element;
      if (element === title || element === date || element.name === 'a' || SKIPPED_TEXT.has(element.name)) continue;
      if (contains(element, title) || (date && contains(element, date))) {
        walk(element);
        continue;
      }
      const units = measureTextUnits(text.of(element));
      if (units >= minimum && units > bestUnits) {
        best = element;
        bestUnits = units;
      }
    }
  };
  walk(block);
  return best && narrowToText(best, bestUnits, text);
}

/** `div.desc > p`: the innermost element that still holds nearly all of `units`. */
function narrowToText(element: Element, units: number, text: TextMemo): Element {
  const inner = (element.children.filter((child) => child.type === 'tag') as Element[]).find(
    (child) => child.name !== 'a' && measureTextUnits(text.of(child)) >= units * 0.9,
  );
  return inner ? narrowToText(inner, units, text) : element;
}

const SKIPPED_TEXT = new Set(['script', 'style', 'noscript', 'template', 'select', 'button', 'form']);

function contains(ancestor: Element, node: Element): boolean {
  for (let current: AnyNode | null = node; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

/**
 * A summary selector that reads, in every row with a teaser, that teaser, and in the others nothing
 * (so a row without a teaser gets no byline or notice as one).
 */
function pickVerifiedSummary(search: Search, expected: ReadonlyMap<Element, Element>): string | undefined {
  const [block, element] = expected.entries().next().value ?? [];
  if (!block || !element) return undefined;
  const read = readElementText(search.text);
  for (const css of proposeSelectors(element, block)) {
    const matches = [matchOnce(search, css)];
    const ok = search.blocks.every((b) => {
      const found = readFirstValue(search.$, b, matches, read)?.element;
      const want = expected.get(b);
      return want ? found === want : found === undefined;
    });
    if (ok) return css;
  }
  return undefined;
}

/** Relative selectors for an element inside a block, shortest and most readable first. */
function proposeSelectors(element: Element, block: Element): string[] {
  const tag = element.name;
  const classes = readStableClasses(element);
  const parent = findParentElement(element);
  const out: string[] = [];
  if (classes.length > 0) out.push(writeTagWithClasses(tag, classes.slice(0, 2)));
  out.push(tag);
  if (parent && parent !== block) {
    out.push(`${describeElement(parent)} ${tag}`);
    if (classes.length > 0) out.push(`${describeElement(parent)} ${writeTagWithClasses(tag, classes.slice(0, 2))}`);
  }
  // Told apart from an earlier link of the same tag (a `[通知]` category tag) by that one's class.
  for (let sibling = element.prev; sibling; sibling = sibling.prev) {
    if (sibling.type !== 'tag' || (sibling as Element).name !== tag) continue;
    for (const name of readStableClasses(sibling as Element))
      if (!hasClass(element, name)) out.push(`${tag}:not(.${name})`);
  }
  for (const attr of ['title', 'target']) if (element.attribs[attr] !== undefined) out.push(`${tag}[${attr}]`);
  out.push(`${tag}:nth-of-type(${findTypeIndex(element)})`);
  out.push(writeChildPath(element, block));
  out.push(`${tag}:last-child`);
  return [...new Set(out)];
}

/** `div.txt > h4 > a`: the full path from the block down to the element. */
function writeChildPath(element: Element, block: Element): string {
  const steps: string[] = [];
  for (let node: Element | undefined = element; node && node !== block; node = findParentElement(node)) {
    steps.unshift(`${describeElement(node)}:nth-of-type(${findTypeIndex(node)})`);
  }
  return steps.join(' > ');
}
