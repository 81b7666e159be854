/** Whitespace folding and ellipsis handling for text read from pages. */

/**
 * Folds every run of whitespace (including `&nbsp;`, full-width U+3000 and zero-width spaces) into one
 * ASCII space and trims; control characters that XML forbids are dropped.
 */
export function foldWhitespace(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '')
    .replace(/[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+/g, ' ')
    .trim();
}

/**
 * Whether a UTF-16 code unit is one that `\s` matches (ASCII white space, NBSP, the Unicode space
 * separators, the line and paragraph separators, BOM): for loops that count or skip white space in
 * place, where a regular expression over a whole page's text would copy it.
 */
export function isRegExpSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * Characters of `text` that `\s` does not match, counted in place (a `replace(/\s+/g, '')` copies
 * the text); counting stops once past `limit`.
 */
export function countVisible(text: string, limit = Infinity): number {
  let count = 0;
  for (let i = 0; i < text.length && count <= limit; i += 1) if (!isRegExpSpace(text.charCodeAt(i))) count += 1;
  return count;
}

/** True when a title was visibly cut short on the page (`…`, `...`, `..`, `。。。`). */
export function isTruncatedText(text: string): boolean {
  return /(?:…|\.{2,}|。{2,}|．{2,}|⋯)\s*$/.test(text);
}

/** The text without its trailing ellipsis. */
export function stripEllipsis(text: string): string {
  return text.replace(/(?:…|\.{2,}|。{2,}|．{2,}|⋯)+\s*$/, '').trim();
}

/** Trims plain text to at most `max` characters (code points), ending with `…` when cut. */
export function trimText(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 1) return chars.slice(0, Math.max(max, 0)).join('');
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}
