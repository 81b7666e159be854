/**
 * One item per line of a flat list. Old portals write a list as inline links separated by `<br>`,
 * where a line may hold more than its headline: a category link before it (`[通知] <a>…</a>`), an
 * attachment after it (`<a>…</a> <a>[附件]</a>`). An items selector such as `td.list > a` matches every
 * one of those links; only the line's headline, its longest link text, is an item. Selector mode and
 * list detection both apply this, so a detected selector reads the same blocks when pasted.
 */
import type { AnyNode, Element } from 'domhandler';
import { BLOCK_ELEMENTS } from './field-selector.js';
import { countVisible } from '../text/fold-text.js';

/**
 * The blocks with, on every `<br>`-delimited line holding several inline blocks, only the one with the
 * most text (the first on a tie). Blocks in page order stay in page order; other blocks are kept.
 * Returns `blocks` itself when none is dropped (list detection asks this of every group of rows).
 */
export function keepOneBlockPerLine(blocks: Element[]): Element[] {
  const lines = readLines(blocks);
  if (lines === undefined) return blocks;
  const dropped = new Set<Element>();
  for (const line of lines.values()) {
    if (line.length < 2) continue;
    let best = line[0] as Element;
    let bestLength = textLength(best);
    for (let index = 1; index < line.length; index += 1) {
      const block = line[index] as Element;
      const length = textLength(block);
      if (length > bestLength) {
        dropped.add(best);
        best = block;
        bestLength = length;
      } else dropped.add(block);
    }
  }
  return dropped.size === 0 ? blocks : blocks.filter((block) => !dropped.has(block));
}

// --- Internal helpers ---

/**
 * The inline blocks grouped by line (each line of each parent numbered apart); undefined when no
 * block's parent holds a `<br>`, the common case, checked once per parent.
 */
function readLines(blocks: readonly Element[]): Map<number, Element[]> | undefined {
  let lineOf: Map<Element, number> | undefined;
  // Blocks mostly share one parent: the set of parents seen is made when a second one turns up.
  let lastParent: AnyNode | undefined;
  let seen: Set<AnyNode> | undefined;
  let lines = 0;
  for (const block of blocks) {
    const parent = block.parent;
    if (!parent || parent === lastParent || BLOCK_ELEMENTS.has(block.name)) continue;
    if (lastParent !== undefined) {
      seen ??= new Set([lastParent]);
      if (seen.has(parent)) continue;
      seen.add(parent);
    }
    lastParent = parent;
    if (!(parent as Element).children.some(isLineBreak)) continue;
    lineOf ??= new Map();
    lines = numberLines(parent as Element, lineOf, lines);
  }
  if (lineOf === undefined) return undefined;
  const byLine = new Map<number, Element[]>();
  for (const block of blocks) {
    const line = lineOf.get(block);
    if (line === undefined || BLOCK_ELEMENTS.has(block.name)) continue;
    const members = byLine.get(line);
    if (members) members.push(block);
    else byLine.set(line, [block]);
  }
  return byLine;
}

/**
 * Numbers the element children of a parent that holds `<br>`s by the line they sit on, lines counted
 * on from `first` (the caller checked that it holds one). Returns the number after the parent's last line.
 */
function numberLines(parent: Element, lineOf: Map<Element, number>, first: number): number {
  let line = first;
  for (const child of parent.children) {
    if (isLineBreak(child)) line += 1;
    else if (child.type === 'tag') lineOf.set(child as Element, line);
  }
  return line + 1;
}

/** A `<br>` element. */
export function isLineBreak(node: AnyNode): boolean {
  return node.type === 'tag' && (node as Element).name === 'br';
}

/** Characters of text inside an element, whitespace excluded. */
function textLength(node: AnyNode): number {
  if (node.type === 'text') return countVisible((node as unknown as { data: string }).data);
  if (!('children' in node)) return 0;
  let length = 0;
  for (const child of (node as Element).children) length += textLength(child);
  return length;
}
