/**
 * Flat lists: item blocks that are siblings, each headline followed (or preceded) by its date as a
 * sibling node rather than a child. Old portals write a list as links and dates separated by `<br>`
 * (`<a>…</a> (2019-08-27)<br>`), definition lists pair `<dt>` headlines with `<dd>` dates, and some
 * pages alternate a title `<div>` and a date `<div>`. The blocks found there are the headlines alone;
 * their companions are the sibling nodes that complete each row, where the date search goes next
 * when the block itself holds no date.
 *
 * A row's companions are the nodes between its block and the neighbouring blocks: on a line (up to
 * the `<br>` that ends it) when the gaps hold line breaks; otherwise the gap after each block, or the
 * gap before it when that dates more blocks (a date written before its headline).
 */
import type { AnyNode, Element } from 'domhandler';
import type { ParsedDate } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { findDateInNodes } from './block-date.js';

/** The sibling nodes that complete each block's row; only blocks with such siblings are in it. */
export type RowCompanions = ReadonlyMap<Element, readonly AnyNode[]>;

/** Finds the companions of blocks that share a parent with other blocks. */
export function findRowCompanions(blocks: readonly Element[], ctx: DateContext): RowCompanions {
  const companions = new Map<Element, readonly AnyNode[]>();
  for (const siblings of groupByParent(blocks)) {
    if (siblings.length < 2) continue;
    const gaps = readGaps(siblings);
    if (gaps.some((gap) => gap.some(isLineBreak))) assignLines(siblings, gaps, companions);
    else assignByDirection(siblings, gaps, ctx, companions);
  }
  return companions;
}

/** The date among a block's companions (date-only texts, as in the block itself); undefined without one. */
export function findCompanionDate(companions: RowCompanions, block: Element, ctx: DateContext): ParsedDate | undefined {
  const nodes = companions.get(block);
  return nodes && findDateInNodes(nodes, ctx);
}

// --- Internal helpers ---

/** The most sibling nodes a gap may hold to count as part of a row (a row is a few cells, not a section). */
const MAX_GAP_NODES = 12;

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
  return gaps.map((gap) => (gap.length > MAX_GAP_NODES ? [] : gap));
}

/** Each block's line: the end of the gap before it (after its last `<br>`) and the start of the gap after it. */
function assignLines(
  siblings: readonly Element[],
  gaps: AnyNode[][],
  companions: Map<Element, readonly AnyNode[]>,
): void {
  siblings.forEach((block, index) => {
    const before = gaps[index] as AnyNode[];
    const after = gaps[index + 1] as AnyNode[];
    const lastBreak = findLastIndex(before, isLineBreak);
    const firstBreak = after.findIndex(isLineBreak);
    const nodes = [...before.slice(lastBreak + 1), ...(firstBreak === -1 ? after : after.slice(0, firstBreak))];
    if (nodes.length > 0) companions.set(block, nodes);
  });
}

/** Without line breaks: the gap after each block, unless the gaps before date more of the blocks. */
function assignByDirection(
  siblings: readonly Element[],
  gaps: AnyNode[][],
  ctx: DateContext,
  companions: Map<Element, readonly AnyNode[]>,
): void {
  let datedAfter = 0;
  let datedBefore = 0;
  siblings.forEach((_block, index) => {
    if (findDateInNodes(gaps[index + 1] as AnyNode[], ctx)) datedAfter += 1;
    if (findDateInNodes(gaps[index] as AnyNode[], ctx)) datedBefore += 1;
  });
  if (datedAfter === 0 && datedBefore === 0) return;
  const offset = datedBefore > datedAfter ? 0 : 1;
  siblings.forEach((block, index) => {
    const nodes = gaps[index + offset] as AnyNode[];
    if (nodes.length > 0) companions.set(block, nodes);
  });
}

function isLineBreak(node: AnyNode): boolean {
  return node.type === 'tag' && (node as Element).name === 'br';
}

function findLastIndex<T>(values: readonly T[], test: (value: T) => boolean): number {
  for (let index = values.length - 1; index >= 0; index--) if (test(values[index] as T)) return index;
  return -1;
}
