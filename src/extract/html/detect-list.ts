/**
 * Automatic list detection for sources without `items:`: find the page's block of repeated headline
 * rows and describe it as ordinary selectors (`items`, `title`, `link`, `date`) with a confidence, so
 * extraction runs in selector mode with them and the user can pin them in the config as they are.
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { ChosenSelectors } from '../../model.js';
import { chooseFieldSelectors } from '../auto/field-selectors.js';
import { findListCandidates, type ListCandidate } from '../auto/find-list-candidates.js';
import { buildItemsSelector } from '../auto/items-selector.js';
import { readHrefHost } from '../auto/list-hints.js';
import { collectPageStats, type PageStats } from '../auto/page-stats.js';
import type { DateContext } from '../date/date-building.js';
import { MAX_PAGE_ITEMS } from '../item-limit.js';
import { readText, type SpecMatches } from './field-selector.js';

/** What detection needs besides the parsed page. */
export interface DetectListContext {
  /** The URL relative links resolve against (tells the site's own links from others). */
  baseUrl: string;
  dates: DateContext;
  /** Describe the runner-up lists too (each costs an items-selector search: only `preview` asks). */
  alternatives?: boolean;
}

/** A detected list: the selectors to report and pin, and the blocks its items selector matches on this page. */
export interface DetectedList {
  selectors: ChosenSelectors;
  blocks: Element[];
  /** What field CSS tried by detection selects in the first {@link MAX_PAGE_ITEMS} blocks, by CSS. */
  fieldMatches: ReadonlyMap<string, SpecMatches>;
}

/** Proposes selectors for the page's headline list; undefined when none is found. */
export function detectListSelectors($: CheerioAPI, context: DetectListContext): DetectedList | undefined {
  const page = collectPageStats($.root().toArray()[0] as AnyNode);
  const candidates = findListCandidates(page, readHrefHost(context.baseUrl), (node: Element) => readText(node));
  // The best few are tried in order: a candidate whose rows no CSS can isolate gives way to the next.
  for (const [index, candidate] of candidates.slice(0, MAX_TRIED).entries()) {
    const items = buildItemsSelector(candidate, page.elementsByTag);
    if (!items) continue;
    const { matches, ...fields } = chooseFieldSelectors($, items.blocks.slice(0, MAX_PAGE_ITEMS), context.dates);
    const runnerUp = candidates.find((other, i) => i !== index && !overlaps(other, candidate));
    const alternatives = context.alternatives ? describeAlternatives(candidates, candidate, page.elementsByTag) : [];
    const selectors: ChosenSelectors = {
      items: items.selector,
      ...fields,
      confidence: rateConfidence(candidate, runnerUp),
    };
    if (alternatives.length > 0) selectors.alternatives = alternatives;
    return { selectors, blocks: items.blocks, fieldMatches: matches };
  }
  return undefined;
}

/** Below this confidence the choice is reported as uncertain (`list-uncertain`: pin `items:`). */
export const UNCERTAIN_CONFIDENCE = 0.5;

// --- Internal helpers ---

const MAX_TRIED = 3;
const ALTERNATIVES_SHOWN = 2;

/** The next best lists that do not share rows with the chosen one, as selectors with their row counts. */
function describeAlternatives(
  candidates: ListCandidate[],
  chosen: ListCandidate,
  elementsByTag: PageStats['elementsByTag'],
): Array<{ items: string; rows: number }> {
  const out: Array<{ items: string; rows: number }> = [];
  for (const other of candidates) {
    if (out.length >= ALTERNATIVES_SHOWN) break;
    if (other === chosen || overlaps(other, chosen)) continue;
    const built = buildItemsSelector(other, elementsByTag);
    if (built) out.push({ items: built.selector, rows: built.blocks.length });
  }
  return out;
}

/**
 * Confidence 0–1: how headline-like and dated the chosen rows are, times how clearly they beat the
 * next best list (a close runner-up halves it).
 */
function rateConfidence(best: ListCandidate, runnerUp: ListCandidate | undefined): number {
  const quality = best.headlineQuality * (0.6 + 0.4 * best.dateShare) * Math.min(1, best.rows.length / 5);
  const margin = runnerUp ? Math.max(0, 1 - runnerUp.score / best.score) : 1;
  return Math.round(quality * (0.5 + 0.5 * margin) * 100) / 100;
}

/** Two candidates sharing rows (a list and the same rows seen through a wrapper) are one list. */
function overlaps(a: ListCandidate, b: ListCandidate): boolean {
  const aRows = new Set<AnyNode>(a.rows);
  const bRows = new Set<AnyNode>(b.rows);
  return b.rows.some((row) => isWithin(row, aRows)) || a.rows.some((row) => isWithin(row, bRows));
}

function isWithin(node: AnyNode, rows: ReadonlySet<AnyNode>): boolean {
  for (let current: AnyNode | null = node; current; current = current.parent) if (rows.has(current)) return true;
  return false;
}
