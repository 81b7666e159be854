/**
 * Candidate headline lists: sibling elements of one tag under one parent (or under several sibling
 * parents of the same kind, e.g. a list split into blocks of five `<ul>`s), each holding one to a few
 * links. Each candidate is scored on how many rows it has, how headline-like their link texts are, how
 * many rows carry a date, whether links look like articles on this site, and where the list sits.
 */
import type { Element } from 'domhandler';
import { isArticleHref, rateHeading, rateLayoutWords, readHrefHost, type WordCache } from './list-hints.js';
import type { NodeStats, PageStats } from './page-stats.js';
import { rateHeadline } from './text-units.js';

/** A scored group of rows. */
export interface ListCandidate {
  /** The parent(s) holding the rows: one element, or sibling elements with the same tag and classes. */
  containers: Element[];
  rowTag: string;
  /** Children of the containers with the row tag and a few links each, in document order. */
  rows: Element[];
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
  const groups = mergeSplitLists(collectGroups(page), page.stats);
  // Cheap figures first (row count, headline length, dates); links and layout words only for the leaders.
  const rated = groups
    .filter((group) => group.rows.length >= MIN_ROWS)
    .map((group) => rateRows(group, page.stats))
    .filter((rows) => rows.base > 0)
    .sort((a, b) => b.base - a.base)
    .slice(0, MAX_FULLY_SCORED);
  const words: WordCache = new Map();
  return rated
    .map((rows) => scoreCandidate(rows, page.stats, pageHost, readText, words))
    .sort((a, b) => b.score - a.score);
}

/** The headline link of a row: the link in (or around) its heading when it has one, else its longest link. */
export function rowHeadline(figures: NodeStats): { anchor: Element | undefined; units: number } {
  if (figures.heading && rateHeadline(figures.headingUnits) > 0)
    return { anchor: figures.heading, units: figures.headingUnits };
  return { anchor: figures.best, units: figures.bestUnits };
}

// --- Internal helpers ---

/** Candidates that get the full (link and layout) scoring, taken by their cheap score. */
const MAX_FULLY_SCORED = 12;
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
  rowTag: string;
  rows: Element[];
}

/** One group per container and row tag. */
function collectGroups(page: PageStats): RowGroup[] {
  const groups: RowGroup[] = [];
  for (const container of page.containers) {
    // Two rows need two links: most containers (text blocks, images, form fields) stop here.
    if ((page.stats.get(container)?.anchors ?? 0) < 2) continue;
    const kind = describeKind(container);
    for (const [rowTag, rows] of groupRows(container, page.stats))
      groups.push({ kind, containers: [container], rowTag, rows });
  }
  return groups;
}

/**
 * One list split over several containers of the same kind is one candidate: containers that are
 * siblings (a `ul` per five rows), cousins (each `ul` in its own `div.box` of one kind, a column
 * landing page) or nested in each other (a day-grouped stream where each day's block holds the next).
 * Rows are put back in page order.
 */
function mergeSplitLists(groups: RowGroup[], stats: ReadonlyMap<Element, NodeStats>): RowGroup[] {
  const byKey = new Map<string, RowGroup>();
  const keyOf = new Map<Element, string>();
  const merged: RowGroup[] = [];
  const ids = new Map<unknown, number>();
  const idOf = (node: unknown): number => {
    let id = ids.get(node);
    if (id === undefined) {
      id = ids.size;
      ids.set(node, id);
    }
    return id;
  };
  // Containers come children-first: a nested container is seen before the one holding it.
  for (const group of groups) {
    const container = group.containers[0] as Element;
    const parent = container.parent as Element | null;
    const shape = `${group.kind}>${group.rowTag}`;
    const sibling = `${idOf(parent)}|${shape}`;
    const parentKind = parent && 'attribs' in parent ? describeKind(parent) : '';
    // Only named boxes: bare wrappers and layout-table cells around lists are everywhere on a page.
    const cousin =
      parent && parentKind !== group.kind && isNamedBox(parent)
        ? `${idOf(parent.parent)}|${parentKind}|${shape}`
        : undefined;
    const nestedKeys = isNamedBox(container) ? findNestedKeys(container, group, keyOf) : [];
    const target = [sibling, cousin, ...nestedKeys].map((key) => (key ? byKey.get(key) : undefined)).find(Boolean);
    if (target) {
      target.containers.push(container);
      target.rows.push(...group.rows);
    } else merged.push(group);
    const owner = target ?? group;
    byKey.set(sibling, owner);
    if (cousin) byKey.set(cousin, owner);
    keyOf.set(container, `nested|${shape}|${idOf(owner)}`);
    byKey.set(`nested|${shape}|${idOf(owner)}`, owner);
  }
  for (const group of merged) {
    if (group.containers.length > 1) {
      group.rows.sort((a, b) => (stats.get(a)?.order ?? 0) - (stats.get(b)?.order ?? 0));
      group.containers.sort((a, b) => (stats.get(a)?.order ?? 0) - (stats.get(b)?.order ?? 0));
    }
  }
  return merged;
}

function isNamedBox(element: Element): boolean {
  return !LAYOUT_TABLE_PARTS.has(element.name) && (element.attribs.class ?? '').trim() !== '';
}

const LAYOUT_TABLE_PARTS = new Set(['table', 'tbody', 'tr', 'td', 'th']);

/** Keys of already-seen containers of the same shape that are children of this container's rows' siblings. */
function findNestedKeys(container: Element, group: RowGroup, keyOf: ReadonlyMap<Element, string>): string[] {
  const keys: string[] = [];
  for (const child of container.children) {
    if (child.type !== 'tag') continue;
    const element = child as Element;
    if (describeKind(element) !== group.kind) continue;
    const key = keyOf.get(element);
    if (key) keys.push(key);
  }
  return keys;
}

/** Tag, id and classes: containers of one kind hold parts of one list (`div#main` and `div#sub` are two things). */
function describeKind(element: Element): string {
  return `${element.name}#${element.attribs.id ?? ''}.${element.attribs.class ?? ''}`;
}

/** The container's children grouped by tag (at least two per tag), keeping those that hold a headline link. */
function groupRows(container: Element, stats: ReadonlyMap<Element, NodeStats>): Array<[string, Element[]]> {
  const byTag: Array<[string, Element[]]> = [];
  for (const child of container.children) {
    if (child.type !== 'tag') continue;
    const element = child as Element;
    if (NON_ROWS.has(element.name)) continue;
    const figures = stats.get(element);
    if (!figures?.best || !isRowSized(figures)) continue;
    const entry = byTag.find(([tag]) => tag === element.name);
    if (entry) entry[1].push(element);
    else byTag.push([element.name, [element]]);
  }
  return byTag.filter(([, rows]) => rows.length >= 2).map(([tag, rows]) => [tag, keepHeadlineClass(rows, stats)]);
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
function keepHeadlineClass(rows: Element[], stats: ReadonlyMap<Element, NodeStats>): Element[] {
  const rating = (row: Element): number => rateHeadline(rowHeadline(stats.get(row) as NodeStats).units);
  let best: Element[] | undefined;
  const names = new Set(rows.flatMap((row) => (row.attribs.class ?? '').split(/\s+/).filter(Boolean)));
  for (const name of names) {
    const inside = rows.filter((row) => hasClassName(row, name));
    const outside = rows.filter((row) => !hasClassName(row, name));
    if (inside.length < 2 || outside.length === 0) continue;
    const meanInside = inside.reduce((sum, row) => sum + rating(row), 0) / inside.length;
    const meanOutside = outside.reduce((sum, row) => sum + rating(row), 0) / outside.length;
    if (meanInside >= 0.6 && meanOutside <= meanInside * 0.5 && (!best || inside.length > best.length)) best = inside;
  }
  return best ?? rows;
}

function hasClassName(element: Element, name: string): boolean {
  return (element.attribs.class ?? '').split(/\s+/).includes(name);
}

/** A group with the figures that need no more than the page stats. */
interface RatedRows {
  group: { containers: Element[]; rowTag: string; rows: Element[] };
  headlineQuality: number;
  dateShare: number;
  /** Rows × headline quality × date factor × link density factor. */
  base: number;
}

function rateRows(group: RatedRows['group'], stats: ReadonlyMap<Element, NodeStats>): RatedRows {
  let quality = 0;
  let dated = 0;
  let density = 0;
  for (const row of group.rows) {
    const figures = stats.get(row) as NodeStats;
    quality += rateHeadline(rowHeadline(figures).units);
    if (figures.dateHints > 0) dated += 1;
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

function scoreCandidate(
  rated: RatedRows,
  stats: ReadonlyMap<Element, NodeStats>,
  pageHost: string | undefined,
  readText: (node: Element) => string,
  words: WordCache,
): ListCandidate {
  const { group } = rated;
  let articles = 0;
  let sameSite = 0;
  const hrefs = new Set<string>();
  for (const row of group.rows) {
    const figures = stats.get(row);
    const href = (figures ? rowHeadline(figures).anchor : undefined)?.attribs.href?.trim() ?? '';
    hrefs.add(href);
    if (isArticleHref(href)) articles += 1;
    const host = readHrefHost(href);
    if (host === undefined || host === pageHost) sameSite += 1;
  }
  const n = group.rows.length;
  const first = group.containers[0] as Element;
  const where = rateLayoutWords(first, group.rows[0] as Element, words) * rateHeading(first, stats, readText);
  const score = rated.base * (0.5 + 0.5 * (articles / n)) * (0.6 + 0.4 * (sameSite / n)) * (hrefs.size / n) * where;
  return {
    containers: group.containers,
    rowTag: group.rowTag,
    rows: group.rows,
    score,
    headlineQuality: rated.headlineQuality,
    dateShare: rated.dateShare,
  };
}
