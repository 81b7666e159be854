/**
 * Numbers written in Chinese characters, as dates on official documents and some notice boards
 * spell them: years digit by digit (二〇一九, 二O二四), months and days with 十 (十二, 二十七, 三十一).
 */

/** Digits 1–9 (两/兩 = 2 in counts such as 两天前). */
const DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Zero as it appears in digit-by-digit years: 〇 (U+3007), ○ (U+25CB), 零, and a Latin O typed for 〇. */
const ZEROES = '〇○零Oo';

/** Reads 一…九十九 (十五 = 15, 二十 = 20, 二十三 = 23), 半 (0.5) or ASCII digits; undefined otherwise. */
export function readCjkNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (text === '半') return 0.5;
  const tens = /^([一二两兩三四五六七八九]?)十([一二三四五六七八九]?)$/.exec(text);
  if (tens) return (tens[1] ? (DIGITS[tens[1]] ?? 0) : 1) * 10 + (tens[2] ? (DIGITS[tens[2]] ?? 0) : 0);
  return text.length === 1 ? DIGITS[text] : undefined;
}

/**
 * Rewrites full Chinese-numeral dates (二〇一九年八月二十七日) as 2019年8月27日 so the date table
 * reads them; anything else is left as it is. Only whole year-month-day dates are rewritten: a
 * lone 八月 or 三天前 keeps its characters.
 */
export function arabizeCjkDates(text: string): string {
  if (!CJK_YEAR_HINT.test(text)) return text;
  return text.replace(CJK_DATE, (whole, year: string, month: string, day: string) => {
    const m = readCjkNumber(month);
    const d = readCjkNumber(day);
    if (m === undefined || d === undefined) return whole;
    return `${[...year].map(readYearDigit).join('')}年${m}月${d}日`;
  });
}

// --- Internal helpers ---

const YEAR_DIGIT = `[${ZEROES}一二三四五六七八九]`;
const SMALL_NUMBER = '(?:[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])';
const CJK_YEAR_HINT = new RegExp(`${YEAR_DIGIT}{4}\\s*年`);
const CJK_DATE = new RegExp(
  `(${YEAR_DIGIT}{4})\\s*年\\s*(${SMALL_NUMBER})\\s*月\\s*(${SMALL_NUMBER})\\s*[日号號]`,
  'g',
);

function readYearDigit(char: string): string {
  return ZEROES.includes(char) ? '0' : String(DIGITS[char] ?? '');
}
