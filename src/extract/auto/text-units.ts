/**
 * Text length measured the same way for Chinese and Latin headlines: one unit per CJK character
 * (Han, kana, Hangul), two per Latin word and one per group of digits. A 12-character Chinese headline
 * and a 6-word English one both measure about 12; a menu entry (`首页`, `Home`) measures 2.
 */

/** Text units of a string (see the module comment). */
export function measureTextUnits(text: string): number {
  // One pass over the code units: this runs on every text node of the page, so no regex and no allocation.
  let units = 0;
  let run: 'none' | 'word' | 'digits' = 'none';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (isLetter(code)) {
      if (run !== 'word') units += 2;
      run = 'word';
    } else if (code >= 0x30 && code <= 0x39) {
      if (run === 'none') units += 1;
      if (run !== 'word') run = 'digits';
    } else {
      // An apostrophe inside a word (don't, Xi'an) keeps the word going.
      if (!((code === 0x27 || code === 0x2019) && run === 'word')) run = 'none';
      if (isCjk(code)) units += 1;
    }
  }
  return units;
}

/**
 * How much a link text looks like a headline, from 0 to 1: under 4 units it is a menu entry or a
 * pager (0), from 9 units up to 100 a headline (1), beyond that a paragraph that happens to be a link.
 */
export function rateHeadline(units: number): number {
  if (units < MIN_HEADLINE_UNITS) return 0;
  if (units < FULL_HEADLINE_UNITS)
    return (units - MIN_HEADLINE_UNITS + 1) / (FULL_HEADLINE_UNITS - MIN_HEADLINE_UNITS + 1);
  if (units <= MAX_HEADLINE_UNITS) return 1;
  return MAX_HEADLINE_UNITS / units;
}

/** Fewest units a link text needs to count as a headline at all. */
const MIN_HEADLINE_UNITS = 4;

// --- Internal helpers ---

const FULL_HEADLINE_UNITS = 9;
const MAX_HEADLINE_UNITS = 100;

/** ASCII letters and Latin-1/Latin Extended letters (accented words count as words). */
function isLetter(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7)
  );
}

/** Kana, CJK ideographs (with extension A and compatibility forms) and Hangul syllables. */
function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xac00 && code <= 0xd7af)
  );
}
