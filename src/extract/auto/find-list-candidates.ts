/**
 * Candidate headline lists: sibling elements of one tag under one parent (or under several sibling
 * parents of the same kind, e.g. a list split into blocks of five `<ul>`s), each holding one to a few
 * links. Each candidate is scored on how many rows it has, how headline-like their link texts are, how
 * many rows carry a date, whether links look like articles on this site, and where the list sits.
 * The groups themselves come from row-groups.ts.
 */
import type { AnyNode, Element } from 'domhandler';
import { isArticleHref, rateHeading, rateLayoutWords, readHrefHost, type WordCache } from './list-hints.js';
import { datedBeside, type NodeStats, type PageStats } from './page-stats.js';
import { collectRowGroups, rowHeadlineAnchor, rowHeadlineUnits, type RowGroup } from './row-groups.js';
import { rateHeadline } from './text-units.js';

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
  const groups = collectRowGroups(page);
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

// --- Internal helpers ---

/** Candidates that get the full (link and layout) scoring, taken by their cheap score. */
const MAX_FULLY_SCORED = 12;
/** Most rows whose links {@link scoreCandidate} reads: its figures are shares, and a sample this large tells them. */
const MAX_LINK_SAMPLE = 2000;
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
