/**
 * The row groups of a page, before any scoring (find-list-candidates.ts scores them): the element
 * children of each container that could be list rows (a headline link, a few links at most), grouped
 * by tag, and one list split over several containers of one kind put back together as one group.
 */
import type { Element } from 'domhandler';
import { keepOneBlockPerLine } from '../html/flat-lines.js';
import type { ContainerStats, NodeStats, PageStats } from './page-stats.js';
import { rateHeadline } from './text-units.js';

/** Every row group of the page: one per container and row tag, lists split over several containers merged. */
export function collectRowGroups(page: PageStats): RowGroup[] {
  return mergeSplitLists(collectGroups(page));
}

/** Rows of one tag under one or more containers of one kind (tag + classes). */
export interface RowGroup {
  kind: string;
  containers: Element[];
  /** `containerOrders[i]`: page position of `containers[i]`. */
  containerOrders: number[];
  rowTag: string;
  rows: Element[];
  figures: NodeStats[];
}

/** Text units of a row's headline link: the link in (or around) its heading when it has one, else its longest link. */
export function rowHeadlineUnits(figures: NodeStats): number {
  return figures.heading && rateHeadline(figures.headingUnits) > 0 ? figures.headingUnits : figures.bestUnits;
}

/** The row's headline link (see {@link rowHeadlineUnits}). */
export function rowHeadlineAnchor(figures: NodeStats): Element | undefined {
  return figures.heading && rateHeadline(figures.headingUnits) > 0 ? figures.heading : figures.best;
}

// --- Internal helpers ---

/** Most links a row may hold (title, category, attachment, "details", an image link…). */
const MAX_ROW_ANCHORS = 6;
/** Most links a card may hold when its main link is a full headline. */
const MAX_CARD_ANCHORS = 12;
/** Tags that are never list rows. */
const NON_ROWS = new Set([
  'br',
  'hr',
  'img',
  'input',
  'script',
  'style',
  'option',
  'link',
  'meta',
  'col',
  'colgroup',
  'thead',
  'caption',
]);

/** One group per container and row tag. */
function collectGroups(page: PageStats): RowGroup[] {
  const groups: RowGroup[] = [];
  for (const container of page.containers) {
    let kind: string | undefined;
    for (const [rowTag, rows, figures] of groupRows(container)) {
      kind ??= describeKind(container.element);
      groups.push({
        kind,
        containers: [container.element],
        containerOrders: [container.figures.order],
        rowTag,
        rows,
        figures,
      });
    }
  }
  return groups;
}

/**
 * One list split over several containers of the same kind is one candidate: containers that are
 * siblings (a `ul` per five rows), cousins (each `ul` in its own `div.box` of one kind, a column
 * landing page) or nested in each other (a day-grouped stream where each day's block holds the next).
 * Rows are put back in page order.
 */
function mergeSplitLists(groups: RowGroup[]): RowGroup[] {
  const byKey = new Map<string, RowGroup>();
  const keyOf = new Map<Element, string>();
  const merged: RowGroup[] = [];
  const ids = new NodeIds();
  // Containers come children-first: a nested container is seen before the one holding it.
  for (const group of groups) {
    const container = group.containers[0] as Element;
    const parent = container.parent as Element | null;
    const shape = `${group.kind}>${group.rowTag}`;
    const sibling = `${ids.of(parent)}|${shape}`;
    const parentKind = parent && 'attribs' in parent ? describeKind(parent) : '';
    // Only named boxes: bare wrappers and layout-table cells around lists are everywhere on a page.
    const cousin =
      parent && parentKind !== group.kind && isNamedBox(parent)
        ? `${ids.of(parent.parent)}|${parentKind}|${shape}`
        : undefined;
    const target =
      byKey.get(sibling) ??
      (cousin ? byKey.get(cousin) : undefined) ??
      (isNamedBox(container) ? findNestedOwner(container, group, keyOf, byKey) : undefined);
    if (target) {
      target.containers.push(container);
      target.containerOrders.push(...group.containerOrders);
      target.rows.push(...group.rows);
      target.figures.push(...group.figures);
    } else merged.push(group);
    const owner = target ?? group;
    byKey.set(sibling, owner);
    if (cousin) byKey.set(cousin, owner);
    const nested = `nested|${shape}|${ids.of(owner)}`;
    keyOf.set(container, nested);
    byKey.set(nested, owner);
  }
  for (const group of merged) {
    if (group.containers.length < 2) continue;
    dropNestedParts(group);
    sortByPageOrder(group);
  }
  return merged;
}

/** Small numbers standing for objects in map keys. */
class NodeIds {
  private readonly ids = new Map<unknown, number>();

  of(node: unknown): number {
    let id = this.ids.get(node);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(node, id);
    }
    return id;
  }
}

/**
 * A day block nested in the previous one (`div.news-list` holding its rows and the next day's
 * `div.news-list`) is a part of the list, not one of its rows: read as a row it would be a "card"
 * holding every later row, and an items selector wide enough to take it matches whole streams.
 */
function dropNestedParts(group: RowGroup): void {
  const parts = new Set(group.containers);
  if (!group.rows.some((row) => parts.has(row))) return;
  const keep = group.rows.map((row) => !parts.has(row));
  group.rows = group.rows.filter((_, i) => keep[i]);
  group.figures = group.figures.filter((_, i) => keep[i]);
}

/** Puts a merged group's rows and containers back in page order. */
function sortByPageOrder(group: RowGroup): void {
  const rowIndex = group.rows.map((_, i) => i).sort((a, b) => orderOf(group.figures, a) - orderOf(group.figures, b));
  group.rows = rowIndex.map((i) => group.rows[i] as Element);
  group.figures = rowIndex.map((i) => group.figures[i] as NodeStats);
  const containerIndex = group.containers
    .map((_, i) => i)
    .sort((a, b) => (group.containerOrders[a] ?? 0) - (group.containerOrders[b] ?? 0));
  group.containers = containerIndex.map((i) => group.containers[i] as Element);
  group.containerOrders = containerIndex.map((i) => group.containerOrders[i] ?? 0);
}

function orderOf(figures: NodeStats[], index: number): number {
  return figures[index]?.order ?? 0;
}

function isNamedBox(element: Element): boolean {
  return !LAYOUT_TABLE_PARTS.has(element.name) && (element.attribs.class ?? '').trim() !== '';
}

const LAYOUT_TABLE_PARTS = new Set(['table', 'tbody', 'tr', 'td', 'th']);

/** The group of an already-seen container of the same shape among this container's children (a nested stream). */
function findNestedOwner(
  container: Element,
  group: RowGroup,
  keyOf: ReadonlyMap<Element, string>,
  byKey: ReadonlyMap<string, RowGroup>,
): RowGroup | undefined {
  for (const child of container.children) {
    if (child.type !== 'tag') continue;
    const key = keyOf.get(child as Element);
    if (key === undefined || describeKind(child as Element) !== group.kind) continue;
    const owner = byKey.get(key);
    if (owner) return owner;
  }
  return undefined;
}

/** Tag, id and classes: containers of one kind hold parts of one list (`div#main` and `div#sub` are two things). */
function describeKind(element: Element): string {
  return `${element.name}#${element.attribs.id ?? ''}.${element.attribs.class ?? ''}`;
}

/**
 * The container's children grouped by tag (at least two per tag), keeping those that hold a headline link.
 * It runs for every container of the page, and most have fewer than two such children of one tag: the
 * qualifying children are noted in a reused index list first, and arrays are built only for real groups.
 */
function groupRows(container: ContainerStats): Array<[string, Element[], NodeStats[]]> {
  const { children, childFigures } = container;
  let count = 0;
  for (let i = 0; i < children.length; i += 1) {
    const element = children[i] as Element;
    const figures = childFigures[i] as NodeStats;
    if (NON_ROWS.has(element.name) || !figures.best || !isRowSized(figures)) continue;
    qualifying[count] = i;
    count += 1;
  }
  if (count < 2) return [];
  const out: Array<[string, Element[], NodeStats[]]> = [];
  for (let k = 0; k < count; k += 1) {
    const tag = (children[qualifying[k] as number] as Element).name;
    if (!firstOfTag(children, k, tag)) continue;
    let size = 0;
    for (let j = k; j < count; j += 1) if ((children[qualifying[j] as number] as Element).name === tag) size += 1;
    if (size < 2) continue;
    // Sized once: pushing would regrow (and drop) the backing store several times for a long list.
    const rows = new Array<Element>(size);
    const figures = new Array<NodeStats>(size);
    let filled = 0;
    for (let j = k; filled < size; j += 1) {
      const index = qualifying[j] as number;
      const element = children[index] as Element;
      if (element.name !== tag) continue;
      rows[filled] = element;
      figures[filled] = childFigures[index] as NodeStats;
      filled += 1;
    }
    out.push(keepHeadlineClass(keepLineHeadlines([tag, rows, figures])));
  }
  return out;
}

/** Indexes (into a container's children) of the children {@link groupRows} keeps; reused by every call. */
const qualifying: number[] = [];

/** True when no qualifying child before the k-th has its tag (groups come in order of their first row). */
function firstOfTag(children: Element[], k: number, tag: string): boolean {
  for (let j = 0; j < k; j += 1) if ((children[qualifying[j] as number] as Element).name === tag) return false;
  return true;
}

/** Inline rows on `<br>`-delimited lines: only each line's headline is a row (flat-lines.ts). */
function keepLineHeadlines(group: [string, Element[], NodeStats[]]): [string, Element[], NodeStats[]] {
  const [tag, rows, figures] = group;
  const kept = keepOneBlockPerLine(rows);
  if (kept.length === rows.length) return group;
  const keep = new Set(kept);
  return [tag, kept, figures.filter((_, i) => keep.has(rows[i] as Element))];
}

/**
 * A row holds a few links; a card (image, title, author, comments, each linked, sometimes twice for
 * desktop and mobile) or a blog post (a heading link over paragraphs with inline links) holds more,
 * and is still a row when its title is a heading link or a real headline.
 */
function isRowSized(figures: NodeStats): boolean {
  if (figures.anchors <= MAX_ROW_ANCHORS) return true;
  if (figures.heading && rateHeadline(figures.headingUnits) >= 1) return true;
  // A box of headlines (a portal's topics panel) is a list, not a row: a card has one headline link
  // (two when the same title is linked for desktop and mobile).
  return figures.anchors <= MAX_CARD_ANCHORS && rateHeadline(figures.bestUnits) >= 1 && figures.headlineAnchors <= 2;
}

/**
 * Rows of one tag that alternate with rows of another purpose (`<tr class="athing">` headline rows
 * between subtext rows of points, ages and comment links): when the rows carrying one class read as
 * headlines and the others do not, only those are the list.
 */
function keepHeadlineClass(group: [string, Element[], NodeStats[]]): [string, Element[], NodeStats[]] {
  const [tag, rows, figures] = group;
  // Rows that all carry the same classes cannot be told apart by one (the common case: no work).
  const firstClass = rows[0]?.attribs.class ?? '';
  if (rows.every((row) => (row.attribs.class ?? '') === firstClass)) return group;
  const classes = rows.map((row) => new Set((row.attribs.class ?? '').split(/\s+/).filter(Boolean)));
  const ratings = figures.map((row) => rateHeadline(rowHeadlineUnits(row)));
  let best: number[] | undefined;
  for (const name of new Set(classes.flatMap((names) => [...names]))) {
    let inside = 0;
    let insideSum = 0;
    let outsideSum = 0;
    for (let i = 0; i < rows.length; i += 1) {
      if (classes[i]?.has(name)) {
        inside += 1;
        insideSum += ratings[i] ?? 0;
      } else outsideSum += ratings[i] ?? 0;
    }
    const outside = rows.length - inside;
    if (inside < 2 || outside === 0 || (best && inside <= best.length)) continue;
    const meanInside = insideSum / inside;
    if (meanInside >= 0.6 && outsideSum / outside <= meanInside * 0.5)
      best = rows.map((_, i) => i).filter((i) => classes[i]?.has(name));
  }
  if (!best) return group;
  return [tag, best.map((i) => rows[i] as Element), best.map((i) => figures[i] as NodeStats)];
}
