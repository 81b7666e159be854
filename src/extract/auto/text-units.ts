/**
 * Text length measured the same way for Chinese and Latin headlines: one unit per CJK character
 * (Han, kana, Hangul), two per Latin word and one per group of digits. A 12-character Chinese headline
 * and a 6-word English one both measure about 12; a menu entry (`首页`, `Home`) measures 2.
 */

/** Text units of a string (see the module comment). */
export function measureTextUnits(text: string): number {
  let units = 0;
  CJK.lastIndex = 0;
  while (CJK.exec(text)) units += 1;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match; match = WORD.exec(text)) units += /^\d/.test(match[0]) ? 1 : 2;
  return units;
}

/**
 * How much a link text looks like a headline, from 0 to 1: under 4 units it is a menu entry or a
 * pager (0), from 9 units up to 100 a headline (1), beyond that a paragraph that happens to be a link.
 */
export function rateHeadline(units: number): number {
  if (units < MIN_HEADLINE_UNITS) return 0;
  if (units < FULL_HEADLINE_UNITS) return (units - MIN_HEADLINE_UNITS + 1) / (FULL_HEADLINE_UNITS - MIN_HEADLINE_UNITS + 1);
  if (units <= MAX_HEADLINE_UNITS) return 1;
  return MAX_HEADLINE_UNITS / units;
}

/** Fewest units a link text needs to count as a headline at all. */
export const MIN_HEADLINE_UNITS = 4;

// --- Internal helpers ---

const FULL_HEADLINE_UNITS = 9;
const MAX_HEADLINE_UNITS = 100;
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/g;
const WORD = /[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)?|\d+/g;
