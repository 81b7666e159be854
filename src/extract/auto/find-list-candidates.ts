/**
 * Candidate headline lists: sibling elements of one tag under one parent (or under several sibling
 * parents of the same kind, e.g. a list split into blocks of five `<ul>`s), each holding one to a few
 * links. Each candidate is scored on how many rows it has, how headline-like their link texts are, how
 * many rows carry a date, whether links look like articles on this site, and where the list sits.
 */
import type { AnyNode, Element } from 'domhandler';
import { isArticleHref, rateHeading, rateLayoutWords, readHrefHost, type WordCache } from './list-hints.js';
import { datedBeside, type ContainerStats, type NodeStats, type PageStats } from './page-stats.js';
import { rateHeadline } from './text-units.js';
import { keepOneBlockPerLine } from '../html/flat-lines.js';

/** A scored group of rows. */
export interface ListCandidate {
  /** The parent(s) holding the rows: one element, or sibling elements with the same tag and classes. */
  containers: Element[];
  rowTag: string;
  /** Children of the containers with the row tag and a few links each, in document order. */
  rows: Element[];
  /** `figures[i]`: the page figures of `rows[i]`. */
  figures: NodeStats[];
  score: number;
  /** Mean headline rating of the rows' main links (0–1). */
  headlineQuality: number;
  /** Share of rows with a date-like text. */
  dateShare: number;
}

/** Fewest rows a list needs (a slider of two or three headlines is not the list a feed wants). */
const MIN_ROWS = 3;

/** Finds and scores every candidate list of a page, best first. */
export function findListCandidates(
  page: PageStats,
  pageHost: string | undefined,
  readText: (node: Element) => string,
): ListCandidate[] {
  const groups = mergeSplitLists(collectGroups(page));
  // Cheap figures first (row count, headline length, dates); links and layout words only for the leaders.
  const rated: RatedRows[] = [];
  for (const group of groups) {
    if (group.rows.length < MIN_ROWS) continue;
    const rows = rateRows(group);
    if (rows.base > 0) rated.push(rows);
  }
  rated.sort((a, b) => b.base - a.base);
  const words: WordCache = new Map();
  const promoWords: PromoWordCache = new Map();
  const candidates: ListCandidate[] = [];
  for (const leader of rated.slice(0, MAX_FULLY_SCORED)) {
    // Class words of every row are read for the leaders only (most groups never get this far).
    const group = dropPromotedRows(leader.group, promoWords);
    const rows = group === leader.group ? leader : rateRows(group);
    if (group.rows.length >= MIN_ROWS && rows.base > 0)
      candidates.push(scoreCandidate(rows, pageHost, readText, words));
  }
  return candidates.sort((a, b) => b.score - a.score);
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

/** Candidates that get the full (link and layout) scoring, taken by their cheap score. */
const MAX_FULLY_SCORED = 12;
/** Most rows whose links {@link scoreCandidate} reads: its figures are shares, and a sample this large tells them. */
const MAX_LINK_SAMPLE = 2000;
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

/** Rows of one tag under one or more containers of one kind (tag + classes). */
interface RowGroup {
  kind: string;
  containers: Element[];
  /** `containerOrders[i]`: page position of `containers[i]`. */
  containerOrders: number[];
  rowTag: string;
  rows: Element[];
  figures: NodeStats[];
}

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

/**
 * Sponsored or promoted cards placed between a stream's cards look like rows (a headline link in the
 * same wrapper) but say what they are in their class names (`ad`, `advert`, `sponsored`, `promo`,
 * `recommend`) where the other rows do not: such rows, a minority, are not part of the list.
 */
function dropPromotedRows(group: RowGroup, cache: PromoWordCache): RowGroup {
  const { rows, figures } = group;
  const words = rows.map((row) => readPromoWords(row, cache));
  // The common case: no row says it is promoted.
  if (words.every((list) => list.length === 0)) return group;
  const counts = new Map<string, number>();
  for (const list of words) for (const word of new Set(list)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const rare = (word: string): boolean => (counts.get(word) ?? 0) * 2 < rows.length;
  const keep = words.map((list) => !list.some(rare));
  const dropped = keep.filter((k) => !k).length;
  if (dropped === 0 || dropped * 2 >= rows.length) return group;
  return { ...group, rows: rows.filter((_, i) => keep[i]), figures: figures.filter((_, i) => keep[i]) };
}

/** The {@link PROMO_WORDS} of each class attribute read so far: a page's rows repeat a few attributes. */
type PromoWordCache = Map<string, readonly string[]>;

const PROMO_WORDS = new Set([
  'ad',
  'ads',
  'adv',
  'advert',
  'adverts',
  'advertisement',
  'advertising',
  'sponsor',
  'sponsored',
  'promo',
  'promoted',
  'promotion',
  'recommend',
  'tuiguang',
  'guanggao',
]);

/**
 * The promotion words among the class-name words of a row and of the wrappers it consists of (each an
 * only element child), down a few levels. Only these words are kept: most rows have none, and nothing is
 * allocated for them (a set of every class word per row of each leading candidate was ~9 % of list
 * detection in the profile, now ~6 %).
 */
function readPromoWords(row: Element, cache: PromoWordCache): readonly string[] {
  let words: string[] | undefined;
  let node: Element | undefined = row;
  for (let depth = 0; node && depth < CARD_WRAPPER_DEPTH; depth += 1) {
    const attribute = node.attribs.class;
    if (attribute) {
      let found = cache.get(attribute);
      if (found === undefined) {
        found = attribute
          .split(/\s+/)
          .flatMap(splitClassName)
          .filter((word) => PROMO_WORDS.has(word));
        cache.set(attribute, found);
      }
      if (found.length > 0) (words ??= []).push(...found);
    }
    node = onlyElementChild(node);
  }
  return words ?? NO_WORDS;
}

const NO_WORDS: readonly string[] = [];

const CARD_WRAPPER_DEPTH = 3;

/** The element's single element child, or undefined when it has none or several. */
export function onlyElementChild(element: Element): Element | undefined {
  let only: Element | undefined;
  for (const child of element.children) {
    if (child.type !== 'tag') continue;
    if (only) return undefined;
    only = child as Element;
  }
  return only;
}

/** `advertisementCardBox` → advertisement, card, box; `ad-origin` → ad, origin. */
function splitClassName(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_\-\d]+/)
    .filter(Boolean);
}

/** A group with the figures that need no more than the page stats. */
interface RatedRows {
  group: RowGroup;
  headlineQuality: number;
  dateShare: number;
  /** Rows × headline quality × date factor × link density factor. */
  base: number;
}

function rateRows(group: RowGroup): RatedRows {
  let quality = 0;
  let dated = 0;
  let density = 0;
  let isRow: ((node: AnyNode) => boolean) | undefined;
  for (const [index, figures] of group.figures.entries()) {
    quality += rateHeadline(rowHeadlineUnits(figures));
    if (figures.dateHints > 0) dated += 1;
    else if (datedBeside(group.rows[index] as Element, (isRow ??= rowTest(group)))) dated += 1;
    // A post under a heading link is mostly unlinked text, and still a headline row.
    density += figures.heading ? 1 : figures.units > 0 ? figures.linkUnits / figures.units : 0;
  }
  const n = group.rows.length;
  const headlineQuality = quality / n;
  const dateShare = dated / n;
  // A link that is a small part of a long text is a paragraph's inline link, not a headline row.
  const densityFactor = density / n < 0.12 ? 0.3 : 1;
  return { group, headlineQuality, dateShare, base: n * headlineQuality * (0.3 + 0.7 * dateShare) * densityFactor };
}

/** Tells the group's rows from other nodes. */
function rowTest(group: RowGroup): (node: AnyNode) => boolean {
  const rows = new Set<AnyNode>(group.rows);
  return (node) => rows.has(node);
}

function scoreCandidate(
  rated: RatedRows,
  pageHost: string | undefined,
  readText: (node: Element) => string,
  words: WordCache,
): ListCandidate {
  const { group } = rated;
  let articles = 0;
  let sameSite = 0;
  const hrefs = new Set<string>();
  // The link figures are shares: a huge list (a 10 MB page of 100,000 rows) is read at evenly spaced rows.
  const step = Math.max(1, Math.floor(group.figures.length / MAX_LINK_SAMPLE));
  let n = 0;
  for (let index = 0; index < group.figures.length; index += step, n += 1) {
    const href = rowHeadlineAnchor(group.figures[index] as NodeStats)?.attribs.href?.trim() ?? '';
    hrefs.add(href);
    if (isArticleHref(href)) articles += 1;
    const host = readHrefHost(href);
    if (host === undefined || host === pageHost) sameSite += 1;
  }
  const first = group.containers[0] as Element;
  const where = rateLayoutWords(first, group.rows[0] as Element, words) * rateHeading(first, readText);
  const score = rated.base * (0.5 + 0.5 * (articles / n)) * (0.6 + 0.4 * (sameSite / n)) * (hrefs.size / n) * where;
  return {
    containers: group.containers,
    rowTag: group.rowTag,
    rows: group.rows,
    figures: group.figures,
    score,
    headlineQuality: rated.headlineQuality,
    dateShare: rated.dateShare,
  };
}
