/**
 * One bottom-up walk over the parsed page that gives every element the figures list detection scores
 * with: text and link-text units, usable links, its headline link, and date-like texts. The walk hands
 * out the figures of possible list containers together with their children's, so later steps read
 * these figures instead of walking subtrees again or looking elements up: detection costs about one
 * extra tree walk.
 */
import type { AnyNode, Element } from 'domhandler';
import { isUsableHref } from '../html/headline-anchor.js';
import { measureTextUnits } from './text-units.js';

/** Figures of one element's subtree. */
export interface NodeStats {
  /** Text units (see text-units.ts) of the visible text. */
  units: number;
  /** Text units inside usable links. */
  linkUnits: number;
  /** Usable `a[href]` elements, the element itself included. */
  anchors: number;
  /** The usable link with the most text: the headline candidate. */
  best?: Element;
  bestUnits: number;
  /** Short texts that read as a date (`2019-08-27`, `[08-27]`, `3小时前`) and `datetime` attributes. */
  dateHints: number;
  /** The first usable link inside a heading (`h1`–`h6`) or holding one: a card's or a blog post's title. */
  heading?: Element;
  headingUnits: number;
  /** Usable links whose text alone is a full headline (a box of headlines has many, a card one or two). */
  headlineAnchors: number;
  /** Position in document order (pre-order), to put rows gathered from several containers in page order. */
  order: number;
}

/** An element that may hold a list: its figures and its element children's, in page order. */
export interface ContainerStats {
  element: Element;
  figures: NodeStats;
  /** Element children with figures (skipped elements such as `<script>` left out). */
  children: Element[];
  /** `childFigures[i]` belongs to `children[i]`. */
  childFigures: NodeStats[];
}

/** The figures of a page: the elements that could hold a list of at least two linked rows. */
export interface PageStats {
  /** Elements with at least two element children and two usable links, children before their ancestors. */
  containers: ContainerStats[];
  /**
   * Every element of the page by tag name, in document order (those inside scripts, templates and
   * other skipped parts too): a selector's matches are among the elements of its subject's tag.
   */
  elementsByTag: Map<string, Element[]>;
}

/** Walks the document once and collects the figures of every possible list container. */
export function collectPageStats(root: AnyNode): PageStats {
  const page: PageStats = { containers: [], elementsByTag: new Map() };
  const walk: Walk = { page, order: 0, elements: [], figures: [], top: 0 };
  visit(root, 0, walk, emptyStats(0));
  return walk.page;
}

/** Text units of an element's visible text, as the walk counts them, stopping once past `limit`. */
export function measureElementUnits(node: AnyNode, limit: number): number {
  if (node.type === 'text') return measureTextUnits((node as unknown as { data: string }).data);
  if (!('children' in node)) return 0;
  if ('attribs' in node && SKIPPED.has((node as Element).name)) return 0;
  let units = 0;
  for (const child of node.children) {
    units += measureElementUnits(child, limit - units);
    if (units > limit) break;
  }
  return units;
}

/** True when the element is or holds a usable link the walk counts (none inside skipped elements). */
export function holdsUsableLink(element: Element): boolean {
  if (SKIPPED.has(element.name)) return false;
  if (element.name === 'a' && isUsableHref(element.attribs.href)) return true;
  for (const child of element.children) if ('attribs' in child && holdsUsableLink(child as Element)) return true;
  return false;
}

// --- Internal helpers ---

/** Link text units of a full headline (see text-units.ts). */
const FULL_HEADLINE_UNITS = 9;

/** Fewest element children and links a node needs to be considered as a list container. */
const MIN_LIST_CHILDREN = 2;

/** Elements whose content a reader never sees as text on the page. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'select',
  'textarea',
  'svg',
  'iframe',
  'object',
]);

const DATE_HINT =
  /(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}:\d{2}|刚刚|剛剛|昨天|前天|今天|\d+\s*(?:秒|分钟|分鐘|小时|小時|天|周|个月)前|\bago\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/i;

const MAY_BE_DATE = /\d|刚|剛|昨|今|前|ago/;

/** Nodes {@link datedBeside} visits at most. */
const BESIDE_NODES = 16;
/** What {@link holdsDateLike} answers when it found one (below any budget left). */
const FOUND = -1;

/** Walks `node` within `budget` nodes: FOUND on a date-like text, else the budget left (0 when spent). */
function holdsDateLike(node: AnyNode, budget: number): number {
  if (budget <= 0) return 0;
  if (node.type === 'text') {
    const data = (node as unknown as { data: string }).data;
    return data.length <= MAX_DATE_TEXT * 2 && isDateLike(data) ? FOUND : budget - 1;
  }
  let left = budget - 1;
  if (node.type !== 'tag' || !('children' in node)) return left;
  for (const child of (node as Element).children) {
    left = holdsDateLike(child, left);
    if (left <= 0) return left;
  }
  return left;
}

/** Longest text (after trimming) still read as "a date with a short label". */
const MAX_DATE_TEXT = 40;

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Where a node sits (bit flags, so the walk allocates nothing per level for it). */
const IN_ANCHOR = 1;
const IN_HEADING = 2;

/**
 * The page being filled, the pre-order counter, and a stack of the elements visited and their
 * figures: the children of the element being finished are the entries below `top`, from the mark
 * taken when it started. The arrays only grow (entries above `top` are stale): truncating an array
 * is a runtime call, moving an index is not.
 */
interface Walk {
  page: PageStats;
  order: number;
  elements: Element[];
  figures: NodeStats[];
  top: number;
}

function emptyStats(order: number): NodeStats {
  return {
    units: 0,
    linkUnits: 0,
    anchors: 0,
    best: undefined,
    bestUnits: -1,
    dateHints: 0,
    heading: undefined,
    headingUnits: 0,
    headlineAnchors: 0,
    order,
  };
}

/**
 * Recursion over the tree; text adds straight into the parent's figures. Each level is one element,
 * and every figure is a sum or a best-of over the children, so the walk is linear in the node count.
 */
function visit(node: AnyNode, within: number, walk: Walk, into: NodeStats): void {
  if (node.type === 'text') {
    // Text adds straight into its parent's figures: no object per text node.
    const data = (node as unknown as { data: string }).data;
    const units = measureTextUnits(data);
    if (units === 0) return;
    into.units += units;
    if ((within & IN_ANCHOR) !== 0) into.linkUnits += units;
    if (data.length <= MAX_DATE_TEXT * 2 && isDateLike(data)) into.dateHints += 1;
    return;
  }
  if (!('children' in node)) return;
  const element = 'attribs' in node ? (node as Element) : undefined;
  if (element) {
    if (SKIPPED.has(element.name)) {
      indexSubtree(element, walk.page.elementsByTag);
      return;
    }
    indexElement(element, walk.page.elementsByTag);
  }
  const isAnchor = element?.name === 'a' && isUsableHref(element.attribs.href);
  const isHeading = element !== undefined && HEADINGS.has(element.name);
  walk.order += 1;
  const out = emptyStats(walk.order);
  const mark = walk.top;
  const inner = within | (isAnchor ? IN_ANCHOR : 0) | (isHeading ? IN_HEADING : 0);
  for (const child of node.children) visit(child, inner, walk, out);
  if (element) {
    finishElement(element, out, within, isAnchor, isHeading);
    if (walk.top - mark >= MIN_LIST_CHILDREN && out.anchors >= MIN_LIST_CHILDREN) {
      walk.page.containers.push({
        element,
        figures: out,
        children: walk.elements.slice(mark, walk.top),
        childFigures: walk.figures.slice(mark, walk.top),
      });
    }
  }
  // The children's entries are done with: this element takes their place on its parent's list.
  walk.top = mark;
  if (element) {
    walk.elements[mark] = element;
    walk.figures[mark] = out;
    walk.top = mark + 1;
  }
  addInto(into, out);
}

/** The element's own contribution: a `datetime` attribute, its being a (heading) link. */
function finishElement(element: Element, out: NodeStats, within: number, isAnchor: boolean, isHeading: boolean): void {
  if (element.attribs.datetime !== undefined) out.dateHints += 1;
  if (isAnchor) {
    out.anchors += 1;
    // An anchor's headline is its own text (a title attribute stands in when it has none, e.g. an image link).
    const units = out.units > 0 ? out.units : element.attribs.title ? 0.5 : 0;
    if (units >= FULL_HEADLINE_UNITS) out.headlineAnchors += 1;
    if (units >= out.bestUnits) {
      out.best = element;
      out.bestUnits = units;
    }
    // A link inside a heading, or one wrapping a heading (the heading reported its text below).
    if (((within & IN_HEADING) !== 0 || out.heading !== undefined) && units > 0) {
      out.heading = element;
      out.headingUnits = units;
    }
  } else if (isHeading && out.heading === undefined && out.units > 0 && (within & IN_ANCHOR) !== 0) {
    // `<a><h3>title</h3><p>summary</p></a>`: tell the enclosing link it holds a heading.
    out.heading = element;
    out.headingUnits = out.units;
  }
}

function indexElement(element: Element, index: Map<string, Element[]>): void {
  const list = index.get(element.name);
  if (list) list.push(element);
  else index.set(element.name, [element]);
}

/** Indexes an element the walk does not read (a script, a template) and everything inside it. */
function indexSubtree(element: Element, index: Map<string, Element[]>): void {
  indexElement(element, index);
  for (const child of element.children) if ('attribs' in child) indexSubtree(child as Element, index);
}

function addInto(into: NodeStats, out: NodeStats): void {
  into.units += out.units;
  into.linkUnits += out.linkUnits;
  into.anchors += out.anchors;
  into.dateHints += out.dateHints;
  into.headlineAnchors += out.headlineAnchors;
  if (out.best && out.bestUnits > into.bestUnits) {
    into.best = out.best;
    into.bestUnits = out.bestUnits;
  }
  // The first heading link in document order stands for the subtree.
  if (out.heading && into.heading === undefined) {
    into.heading = out.heading;
    into.headingUnits = out.headingUnits;
  }
}

/**
 * True when the sibling nodes after `row`, up to the next row (`isRow`), hold a date-like text: a flat
 * list's row goes on beside its headline (`<a>…</a> (2019-08-27)<br>`, `<dt>…</dt><dd>2019-08-27</dd>`).
 * Looks at a few nodes only.
 */
export function datedBeside(row: Element, isRow: (node: AnyNode) => boolean): boolean {
  let budget = BESIDE_NODES;
  for (let node = row.next; node && !isRow(node); node = node.next) {
    if ((budget = holdsDateLike(node, budget)) <= 0) return budget === FOUND;
  }
  return false;
}

/** A short text that is mostly a date: what remains around the date is at most a short label. */
function isDateLike(data: string): boolean {
  if (!MAY_BE_DATE.test(data)) return false;
  const text = data.trim();
  if (text.length > MAX_DATE_TEXT) return false;
  const match = DATE_HINT.exec(text);
  if (!match) return false;
  const rest = text.slice(0, match.index) + text.slice(match.index + match[0].length);
  return rest.replace(/[\s\d[\]()（）【】〔〕:：|·,，.\-–—/]/g, '').length <= 10;
}
