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
}

/** The figures of a page: per element, plus the elements that have enough children to hold a list. */
export interface PageStats {
  stats: Map<Element, NodeStats>;
  /** Elements with at least {@link MIN_LIST_CHILDREN} element children, in document order. */
  containers: Element[];
}

/** Fewest element children a node needs to be considered as a list container. */
const MIN_LIST_CHILDREN = 2;

/** Walks the document once and collects the figures of every element. */
export function collectPageStats(root: AnyNode): PageStats {
  const page: PageStats = { stats: new Map(), containers: [] };
  visit(root, false, page, { units: 0, linkUnits: 0, anchors: 0, bestUnits: -1, dateHints: 0 });
  return page;
}

// --- Internal helpers ---

/** Elements whose content a reader never sees as text on the page. */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'select', 'textarea', 'svg', 'iframe', 'object']);

const DATE_HINT =
  /(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}:\d{2}|刚刚|剛剛|昨天|前天|今天|\d+\s*(?:秒|分钟|分鐘|小时|小時|天|周|个月)前|\bago\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/i;

const MAY_BE_DATE = /\d|刚|剛|昨|今|前|ago/;

/** Longest text (after trimming) still read as "a date with a short label". */
const MAX_DATE_TEXT = 40;

function visit(node: AnyNode, inAnchor: boolean, page: PageStats, into: NodeStats): void {
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
  const out: NodeStats = { units: 0, linkUnits: 0, anchors: 0, bestUnits: -1, dateHints: 0 };
  let elementChildren = 0;
  for (const child of node.children) {
    if (child.type === 'tag') elementChildren += 1;
    visit(child, inAnchor || isAnchor, page, out);
  }
  if (element) {
    if (element.attribs.datetime !== undefined) out.dateHints += 1;
    if (isAnchor) {
      out.anchors += 1;
      // An anchor's headline is its own text (a title attribute stands in when it has none, e.g. an image link).
      const units = out.units > 0 ? out.units : element.attribs.title ? 0.5 : 0;
      if (units >= out.bestUnits) {
        out.best = element;
        out.bestUnits = units;
      }
    }
    page.stats.set(element, out);
    if (elementChildren >= MIN_LIST_CHILDREN) page.containers.push(element);
  }
  into.units += out.units;
  into.linkUnits += out.linkUnits;
  into.anchors += out.anchors;
  into.dateHints += out.dateHints;
  if (out.best && out.bestUnits > into.bestUnits) {
    into.best = out.best;
    into.bestUnits = out.bestUnits;
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
