/**
 * The corpus's gold selector in the product's terms. `item`, `title`, `link` and `date` map to
 * `items:`, `title:`, `link:` and `date:`; `dateIso` becomes `date: <css>@<attr>`. The other gold
 * forms have no config equivalent; they are listed so the report says what selector mode could not
 * be told (the row's date is then left to the block's own date search).
 */
import type { SourceSelectors } from '../src/model.js';
import { parseSourceSelectors, type WrittenSelectors } from '../src/field-selector/parse-field-selector.js';
import type { GoldSelector } from './corpus.js';

/** Product selectors plus the gold parts they could not express. */
export interface MappedSelector {
  selectors: SourceSelectors;
  unexpressed: string[];
}

/** Maps a gold selector to `SourceSelectors`. */
export function mapGoldSelector(gold: GoldSelector): MappedSelector {
  const written: WrittenSelectors = { items: gold.item };
  const unexpressed: string[] = [];
  if (gold.title) written.title = gold.title === '.' ? '@text' : gold.title;
  if (gold.link) written.link = gold.link === '.' ? '@href' : gold.link.includes('@') ? gold.link : `${gold.link}@href`;
  if (gold.date) written.date = gold.dateIso ? `${gold.date}@${gold.dateIso}` : gold.date;
  const selectors = parseSourceSelectors(written);
  if (gold.dateRe) unexpressed.push(`dateRe /${gold.dateRe}/ (no regex date field; the block's date search reads it)`);
  if (gold.dateSibling) unexpressed.push(`dateSibling ${gold.dateSibling} (a date outside the item block)`);
  if (gold.dateGroupHeader) unexpressed.push(`dateGroupHeader ${gold.dateGroupHeader} (a date in a preceding header)`);
  if (gold.titleStrip) unexpressed.push(`titleStrip ${gold.titleStrip} (no way to remove child elements from a title)`);
  if (gold.dateIso && !gold.date) unexpressed.push(`dateIso ${gold.dateIso} without a date element`);
  return { selectors, unexpressed };
}
