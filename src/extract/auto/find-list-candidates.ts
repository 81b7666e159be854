/**
 * Candidate headline lists: sibling elements of one tag under one parent (or under several sibling
 * parents of the same kind, e.g. a list split into blocks of five `<ul>`s), each holding one to a few
 * links. Each candidate is scored on how many rows it has, how headline-like their link texts are, how
 * many rows carry a date, whether links look like articles on this site, and where the list sits.
 */
import type { Element } from 'domhandler';
import { isArticleHref, rateHeading, rateLayoutWords, readHrefHost } from './list-hints.js';
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
export const MIN_ROWS = 3;

/** Finds and scores every candidate list of a page, best first. */
export function findListCandidates(page: PageStats, pageHost: string | undefined, readText: (node: Element) => string): ListCandidate[] {
  const groups = new Map<string, { containers: Element[]; rowTag: string; rows: Element[] }>();
  const parentIds = new Map<unknown, number>();
  for (const container of page.containers) {
    for (const [rowTag, rows] of groupRows(container, page.stats)) {
      // Sibling containers of one kind (tag + classes) with rows of one tag are one list split in blocks.
      const parent = container.parent;
      let parentId = parentIds.get(parent);
      if (parentId === undefined) {
        parentId = parentIds.size;
        parentIds.set(parent, parentId);
      }
      const key = `${parentId}|${container.name}.${container.attribs.class ?? ''}|${rowTag}`;
      const group = groups.get(key);
      if (group) {
        group.containers.push(container);
        group.rows.push(...rows);
      } else groups.set(key, { containers: [container], rowTag, rows: [...rows] });
    }
  }
  const candidates: ListCandidate[] = [];
  for (const group of groups.values()) {
    if (group.rows.length < MIN_ROWS) continue;
    // Containers come children-first but siblings in page order, so merged rows are in page order too.
    candidates.push(scoreCandidate(group, page.stats, pageHost, readText));
  }
  return candidates.filter((c) => c.score > 0).sort((a, b) => b.score - a.score);
}

// --- Internal helpers ---

/** Most links a row may hold (title, category, attachment, "details", an image link…). */
const MAX_ROW_ANCHORS = 6;
/** Tags that are never list rows. */
const NON_ROWS = new Set(['br', 'hr', 'img', 'input', 'script', 'style', 'option', 'link', 'meta', 'col', 'colgroup', 'thead', 'caption']);

/** The container's children grouped by tag, keeping those that hold a headline link. */
function groupRows(container: Element, stats: ReadonlyMap<Element, NodeStats>): Map<string, Element[]> {
  const byTag = new Map<string, Element[]>();
  for (const child of container.children) {
    if (child.type !== 'tag') continue;
    const element = child as Element;
    if (NON_ROWS.has(element.name)) continue;
    const figures = stats.get(element);
    if (!figures?.best || figures.anchors > MAX_ROW_ANCHORS) continue;
    const list = byTag.get(element.name);
    if (list) list.push(element);
    else byTag.set(element.name, [element]);
  }
  for (const [tag, rows] of byTag) if (rows.length < 2) byTag.delete(tag);
  return byTag;
}

function scoreCandidate(
  group: { containers: Element[]; rowTag: string; rows: Element[] },
  stats: ReadonlyMap<Element, NodeStats>,
  pageHost: string | undefined,
  readText: (node: Element) => string,
): ListCandidate {
  let quality = 0;
  let dated = 0;
  let articles = 0;
  let sameSite = 0;
  let density = 0;
  const hrefs = new Set<string>();
  for (const row of group.rows) {
    const figures = stats.get(row) as NodeStats;
    quality += rateHeadline(figures.bestUnits);
    if (figures.dateHints > 0) dated += 1;
    const href = figures.best?.attribs.href?.trim() ?? '';
    hrefs.add(href);
    if (isArticleHref(href)) articles += 1;
    const host = readHrefHost(href);
    if (host === undefined || host === pageHost) sameSite += 1;
    density += figures.units > 0 ? figures.linkUnits / figures.units : 0;
  }
  const n = group.rows.length;
  const headlineQuality = quality / n;
  const dateShare = dated / n;
  // A link that is a small part of a long text is a paragraph's inline link, not a headline row.
  const densityFactor = density / n < 0.12 ? 0.3 : 1;
  const first = group.containers[0] as Element;
  const where = rateLayoutWords(first, group.rows[0] as Element) * rateHeading(first, stats, readText);
  const score =
    n *
    headlineQuality *
    (0.3 + 0.7 * dateShare) *
    (0.5 + 0.5 * (articles / n)) *
    (0.6 + 0.4 * (sameSite / n)) *
    (hrefs.size / n) *
    densityFactor *
    where;
  return { containers: group.containers, rowTag: group.rowTag, rows: group.rows, score, headlineQuality, dateShare };
}
