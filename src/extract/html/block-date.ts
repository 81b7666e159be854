/**
 * Finding an item's date when no `date:` selector is configured: a `<time datetime>` (or any
 * `datetime` attribute) in the block first, then the block's own text outside the headline — a text
 * that is only a date (`2019-08-27`, `[08-27]`, `发布时间：…`) before a date embedded in other text.
 * The headline is excluded so `关于2019-08-27停电的通知  2019-08-20` reads as 2019-08-20.
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { ParsedDate } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { findDateInText, parseDateOnlyText } from '../date/parse-date.js';

/** A date found in a block and what it was read from. */
export interface BlockDate {
  parsed: ParsedDate;
  /** `time@datetime` or `text`, for the report of selectors used. */
  source: string;
}

/** Looks for the item's date in a block, skipping the headline's own elements. */
export function findBlockDate($: CheerioAPI, block: Element, exclude: ReadonlySet<AnyNode>, ctx: DateContext): BlockDate | undefined {
  const timed = $(block).find('[datetime]').toArray();
  if (block.attribs.datetime !== undefined) timed.unshift(block);
  for (const element of timed) {
    const parsed = parseDateOnlyText(element.attribs.datetime ?? '', ctx);
    if (parsed) return { parsed, source: `${element.name}@datetime` };
  }
  const texts: string[] = [];
  collectTexts(block, exclude, texts);
  for (const text of texts) {
    const parsed = parseDateOnlyText(text, ctx);
    if (parsed) return { parsed, source: 'text' };
  }
  const embedded = findDateInText(texts.join(' '), ctx);
  return embedded && { parsed: embedded.parsed, source: 'text' };
}

// --- Internal helpers ---

const SKIPPED = new Set(['script', 'style', 'noscript', 'template']);

/** Collects the block's text nodes in document order, one entry per text node, minus excluded subtrees. */
function collectTexts(node: AnyNode, exclude: ReadonlySet<AnyNode>, out: string[]): void {
  if (exclude.has(node)) return;
  if (node.type === 'text') {
    const data = (node as unknown as { data: string }).data.trim();
    if (data !== '') out.push(data);
    return;
  }
  if (!('children' in node)) return;
  if ('name' in node && SKIPPED.has((node as Element).name)) return;
  for (const child of node.children) collectTexts(child, exclude, out);
}
