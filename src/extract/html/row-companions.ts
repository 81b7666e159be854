/**
 * Dates written beside the item blocks rather than in them, for blocks that hold none.
 *
 * Flat lists: blocks that are siblings, each headline followed (or preceded) by its date as a sibling
 * node. Old portals write a list as links and dates separated by `<br>` (`<a>…</a> (2019-08-27)<br>`),
 * definition lists pair `<dt>` headlines with `<dd>` dates, some pages alternate a title `<div>` and a
 * date `<div>`. A row's companions are the nodes between its block and the neighbouring blocks: on a
 * line (up to the `<br>` that ends it) when the gaps hold line breaks; otherwise the gap after each
 * block, or the gap before it when that dates more blocks (a date written before its headline).
 *
 * Group headers: a stream grouped by day writes each day once, before its rows — a `<tr>` or `<h2>`
 * between them, a line of its own, or a heading before each day's `<ul>`. Such a date dates every row
 * after it up to the next one. Only when there are two or more, in date order (newest or oldest
 * first): a single date above a list is as often the page's "updated" stamp.
 */
import type { AnyNode, Element } from 'domhandler';
import type { ParsedDate } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { findDateInNodes } from './block-date.js';
import { isLineBreak } from './flat-lines.js';

/** The date found beside each block that has one (a row's companion, or its group's header). */
export type BesideDates = ReadonlyMap<Element, ParsedDate>;

/** Finds the dates beside the blocks (blocks in page order). */
export function findBesideDates(blocks: readonly Element[], ctx: DateContext): BesideDates {
  const dates = new Map<Element, ParsedDate>();
  const headers: Header[] = [];
  const groups = groupByParent(blocks);
  for (const siblings of groups) {
    const gaps = readGaps(siblings);
    if (gaps.some((gap) => gap.some(isLineBreak))) readLines(siblings, gaps, ctx, dates, headers);
    else if (siblings.length >= 2) readByDirection(siblings, gaps, ctx, dates, headers);
  }
  if (groups.length >= 2) readContainerHeaders(groups, ctx, headers);
  applyHeaders(blocks, headers, dates);
  return dates;
}

// --- Internal helpers ---

/** A group header: its date dates the rows from `from` (a block) up to the next header. */
interface Header {
  from: Element;
  date: ParsedDate;
}

/** The most sibling nodes a gap may hold to count as part of a row (a row is a few cells, not a section). */
const MAX_GAP_NODES = 12;
/** The most nodes, subtrees included, a gap may hold (a nested day of a grouped stream is no row's part). */
const MAX_GAP_TREE = 80;

/** Blocks grouped by parent, each group in document order (blocks come in document order). */
function groupByParent(blocks: readonly Element[]): Element[][] {
  const groups = new Map<AnyNode, Element[]>();
  for (const block of blocks) {
    const parent = block.parent;
    if (!parent) continue;
    const group = groups.get(parent);
    if (group) group.push(block);
    else groups.set(parent, [block]);
  }
  return [...groups.values()];
}

/**
 * The sibling nodes around the blocks: gap 0 before the first block, gap i between block i-1 and
 * block i, gap n after the last. A gap too long to be part of a row is left empty.
 */
function readGaps(siblings: readonly Element[]): AnyNode[][] {
  const parent = siblings[0]?.parent as Element;
  const isBlock = new Set<AnyNode>(siblings);
  const gaps: AnyNode[][] = [[]];
  for (const child of parent.children) {
    if (isBlock.has(child)) gaps.push([]);
    else (gaps[gaps.length - 1] as AnyNode[]).push(child);
  }
  return gaps.map((gap) => (gap.length > MAX_GAP_NODES || !isSmall(gap, MAX_GAP_TREE) ? [] : gap));
}

/** True when the nodes and their subtrees number at most `limit` (a row's cells, not a nested section). */
function isSmall(nodes: readonly AnyNode[], limit: number): boolean {
  let left = limit;
  const visit = (node: AnyNode): boolean => {
    if (--left < 0) return false;
    return !('children' in node) || (node as Element).children.every(visit);
  };
  return nodes.every(visit);
}

/**
 * Lines ended by `<br>`: each block's line (the end of the gap before it, after its last `<br>`, and the
 * start of the gap after it) dates it; a dated line with no block on it heads the lines after it.
 */
function readLines(
  siblings: readonly Element[],
  gaps: AnyNode[][],
  ctx: DateContext,
  dates: Map<Element, ParsedDate>,
  headers: Header[],
): void {
  siblings.forEach((block, index) => {
    const before = gaps[index] as AnyNode[];
    const after = gaps[index + 1] as AnyNode[];
    const lastBreak = findLastIndex(before, isLineBreak);
    const firstBreak = after.findIndex(isLineBreak);
    const line = [...before.slice(lastBreak + 1), ...(firstBreak === -1 ? after : after.slice(0, firstBreak))];
    const date = findDateInNodes(line, ctx);
    if (date) dates.set(block, date);
    // Whole lines between the previous block's line and this one: the last dated one heads this block.
    const between = splitLines(before.slice(index === 0 ? 0 : before.findIndex(isLineBreak) + 1, lastBreak + 1));
    for (let at = between.length - 1; at >= 0; at--) {
      const header = findDateInNodes(between[at] as AnyNode[], ctx);
      if (header) {
        headers.push({ from: block, date: header });
        break;
      }
    }
  });
}

/**
 * Without line breaks: the gap after each block, unless the gaps before date more of the blocks; then
 * those gaps also head the blocks after them (a day's `<tr>` or `<h2>` between its rows).
 */
function readByDirection(
  siblings: readonly Element[],
  gaps: AnyNode[][],
  ctx: DateContext,
  dates: Map<Element, ParsedDate>,
  headers: Header[],
): void {
  const after = siblings.map((_block, index) => findDateInNodes(gaps[index + 1] as AnyNode[], ctx));
  const before = siblings.map((_block, index) => findDateInNodes(gaps[index] as AnyNode[], ctx));
  const datedAfter = after.filter(Boolean).length;
  const datedBefore = before.filter(Boolean).length;
  if (datedAfter === 0 && datedBefore === 0) return;
  const useBefore = datedBefore > datedAfter;
  siblings.forEach((block, index) => {
    const date = useBefore ? before[index] : after[index];
    if (!date) return;
    dates.set(block, date);
    if (useBefore) headers.push({ from: block, date });
  });
}

/** A date right before each of the list's containers (`<h3>2019-08-27</h3><ul>…</ul>`) heads its rows. */
function readContainerHeaders(groups: readonly Element[][], ctx: DateContext, headers: Header[]): void {
  for (const group of groups) {
    const first = group[0] as Element;
    const container = first.parent;
    if (!container || container.type === 'root') continue;
    const previous = previousContent(container);
    const date = previous && isSmall([previous], MAX_GAP_TREE) ? findDateInNodes([previous], ctx) : undefined;
    if (date) headers.push({ from: first, date });
  }
}

/**
 * Group headers date the blocks after them that have no date of their own beside them, up to the next
 * header: only with two or more headers, in date order.
 */
function applyHeaders(blocks: readonly Element[], headers: Header[], dates: Map<Element, ParsedDate>): void {
  const byBlock = new Map<Element, ParsedDate>();
  for (const header of headers) byBlock.set(header.from, header.date);
  if (byBlock.size < 2) return;
  const ordered = blocks.flatMap((block) => byBlock.get(block) ?? []).map((date) => date.date.getTime());
  const newestFirst = ordered.every((time, i) => i === 0 || time <= (ordered[i - 1] as number));
  const oldestFirst = ordered.every((time, i) => i === 0 || time >= (ordered[i - 1] as number));
  if (!newestFirst && !oldestFirst) return;
  let current: ParsedDate | undefined;
  for (const block of blocks) {
    current = byBlock.get(block) ?? current;
    if (current && !dates.has(block)) dates.set(block, current);
  }
}

/** The nearest sibling before a node that holds something (not whitespace or a comment). */
function previousContent(node: AnyNode): AnyNode | undefined {
  for (let previous = node.prev; previous; previous = previous.prev) {
    if (previous.type === 'comment') continue;
    if (previous.type === 'text' && (previous as unknown as { data: string }).data.trim() === '') continue;
    return previous;
  }
  return undefined;
}

/** Nodes cut into lines at each `<br>` (the breaks themselves dropped). */
function splitLines(nodes: readonly AnyNode[]): AnyNode[][] {
  const lines: AnyNode[][] = [[]];
  for (const node of nodes) {
    if (isLineBreak(node)) lines.push([]);
    else (lines[lines.length - 1] as AnyNode[]).push(node);
  }
  return lines.filter((line) => line.length > 0);
}

function findLastIndex<T>(values: readonly T[], test: (value: T) => boolean): number {
  for (let index = values.length - 1; index >= 0; index--) if (test(values[index] as T)) return index;
  return -1;
}
