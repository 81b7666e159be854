/**
 * One bottom-up walk over the parsed page that gives every element the figures list detection scores
 * with: text and link-text units, usable links, its headline link, and date-like texts. Later steps
 * read these figures instead of walking subtrees again, so detection costs about one extra tree walk.
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

/** The figures of a page: per element, plus the elements that have enough children to hold a list. */
export interface PageStats {
  stats: Map<Element, NodeStats>;
  /** Elements with at least {@link MIN_LIST_CHILDREN} element children, in document order. */
  containers: Element[];
}

/** Link text units of a full headline (see text-units.ts). */
const FULL_HEADLINE_UNITS = 9;

/** Fewest element children a node needs to be considered as a list container. */
const MIN_LIST_CHILDREN = 2;

/** Walks the document once and collects the figures of every element. */
export function collectPageStats(root: AnyNode): PageStats {
  const page: PageStats = { stats: new Map(), containers: [] };
  visit(root, { inAnchor: false, inHeading: false }, { page, order: 0 }, emptyStats(0));
  return page;
}

// --- Internal helpers ---

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

/** Longest text (after trimming) still read as "a date with a short label". */
const MAX_DATE_TEXT = 40;

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Where a node sits: inside a usable link, inside a heading. */
interface Within {
  inAnchor: boolean;
  inHeading: boolean;
}

/** The page being filled and the pre-order counter. */
interface Walk {
  page: PageStats;
  order: number;
}

function emptyStats(order: number): NodeStats {
  return {
    units: 0,
    linkUnits: 0,
    anchors: 0,
    bestUnits: -1,
    dateHints: 0,
    headingUnits: 0,
    headlineAnchors: 0,
    order,
  };
}

/**
 * Recursion over the tree; text adds straight into the parent's figures. Each level is one element,
 * and every figure is a sum or a best-of over the children, so the walk is linear in the node count.
 */
function visit(node: AnyNode, within: Within, walk: Walk, into: NodeStats): void {
  const { inAnchor } = within;
  if (node.type === 'text') {
    // Text adds straight into its parent's figures: no object per text node.
    const data = (node as unknown as { data: string }).data;
    const units = measureTextUnits(data);
    if (units === 0) return;
    into.units += units;
    if (inAnchor) into.linkUnits += units;
    if (data.length <= MAX_DATE_TEXT * 2 && isDateLike(data)) into.dateHints += 1;
    return;
  }
  if (!('children' in node)) return;
  const element = 'attribs' in node ? (node as Element) : undefined;
  if (element && SKIPPED.has(element.name)) return;
  const isAnchor = element?.name === 'a' && isUsableHref(element.attribs.href);
  const isHeading = element !== undefined && HEADINGS.has(element.name);
  walk.order += 1;
  const out = emptyStats(walk.order);
  let elementChildren = 0;
  const inner = { inAnchor: inAnchor || isAnchor, inHeading: within.inHeading || isHeading };
  for (const child of node.children) {
    if (child.type === 'tag') elementChildren += 1;
    visit(child, inner, walk, out);
  }
  if (element) {
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
      if ((within.inHeading || out.heading !== undefined) && units > 0) {
        out.heading = element;
        out.headingUnits = units;
      }
    } else if (isHeading && out.heading === undefined && out.units > 0 && inAnchor) {
      // `<a><h3>title</h3><p>summary</p></a>`: tell the enclosing link it holds a heading.
      out.heading = element;
      out.headingUnits = out.units;
    }
    walk.page.stats.set(element, out);
    if (elementChildren >= MIN_LIST_CHILDREN) walk.page.containers.push(element);
  }
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
