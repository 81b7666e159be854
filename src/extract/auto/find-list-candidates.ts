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
export function findListCandidates(page: PageStats, pageHost: string | undefined, readText: (node: Element) => string): ListCandidate[] {
  // Sibling containers of one kind (tag + classes) with rows of one tag are one list split in blocks.
  const groups: Array<{ parent: unknown; kind: string; containers: Element[]; rowTag: string; rows: Element[] }> = [];
  const byParent = new Map<unknown, typeof groups>();
  for (const container of page.containers) {
    // Two rows need two links: most containers (text blocks, images, form fields) stop here.
    if ((page.stats.get(container)?.anchors ?? 0) < 2) continue;
    for (const [rowTag, rows] of groupRows(container, page.stats)) {
      const kind = `${container.name}.${container.attribs.class ?? ''}`;
      const siblings = byParent.get(container.parent);
      const group = siblings?.find((g) => g.kind === kind && g.rowTag === rowTag);
      if (group) {
        group.containers.push(container);
        group.rows.push(...rows);
        continue;
      }
      const created = { parent: container.parent, kind, containers: [container], rowTag, rows: [...rows] };
      groups.push(created);
      if (siblings) siblings.push(created);
      else byParent.set(container.parent, [created]);
    }
  }
  // Containers come children-first but siblings in page order, so merged rows are in page order too.
  // Cheap figures first (row count, headline length, dates); links and layout words only for the leaders.
  const rated = groups
    .filter((group) => group.rows.length >= MIN_ROWS)
    .map((group) => rateRows(group, page.stats))
    .filter((rows) => rows.base > 0)
    .sort((a, b) => b.base - a.base)
    .slice(0, MAX_FULLY_SCORED);
  const words: WordCache = new Map();
  return rated.map((rows) => scoreCandidate(rows, page.stats, pageHost, readText, words)).sort((a, b) => b.score - a.score);
}

// --- Internal helpers ---

/** Candidates that get the full (link and layout) scoring, taken by their cheap score. */
const MAX_FULLY_SCORED = 12;
/** Most links a row may hold (title, category, attachment, "details", an image link…). */
const MAX_ROW_ANCHORS = 6;
/** Tags that are never list rows. */
const NON_ROWS = new Set(['br', 'hr', 'img', 'input', 'script', 'style', 'option', 'link', 'meta', 'col', 'colgroup', 'thead', 'caption']);

/** The container's children grouped by tag (at least two per tag), keeping those that hold a headline link. */
function groupRows(container: Element, stats: ReadonlyMap<Element, NodeStats>): Array<[string, Element[]]> {
  const byTag: Array<[string, Element[]]> = [];
  for (const child of container.children) {
    if (child.type !== 'tag') continue;
    const element = child as Element;
    if (NON_ROWS.has(element.name)) continue;
    const figures = stats.get(element);
    if (!figures?.best || figures.anchors > MAX_ROW_ANCHORS) continue;
    const entry = byTag.find(([tag]) => tag === element.name);
    if (entry) entry[1].push(element);
    else byTag.push([element.name, [element]]);
  }
  return byTag.filter(([, rows]) => rows.length >= 2);
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
    quality += rateHeadline(figures.bestUnits);
    if (figures.dateHints > 0) dated += 1;
    density += figures.units > 0 ? figures.linkUnits / figures.units : 0;
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
    const href = stats.get(row)?.best?.attribs.href?.trim() ?? '';
    hrefs.add(href);
    if (isArticleHref(href)) articles += 1;
    const host = readHrefHost(href);
    if (host === undefined || host === pageHost) sameSite += 1;
  }
  const n = group.rows.length;
  const first = group.containers[0] as Element;
  const where = rateLayoutWords(first, group.rows[0] as Element, words) * rateHeading(first, stats, readText);
  const score = rated.base * (0.5 + 0.5 * (articles / n)) * (0.6 + 0.4 * (sameSite / n)) * (hrefs.size / n) * where;
  return { containers: group.containers, rowTag: group.rowTag, rows: group.rows, score, headlineQuality: rated.headlineQuality, dateShare: rated.dateShare };
}
