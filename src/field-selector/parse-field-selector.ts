/**
 * The one grammar of field selectors: `css`, `css@attr`, or `@attr` alone (an attribute of the item
 * block itself). Config parses every configured selector with it once, at load time; extraction
 * receives the parsed {@link FieldSpec}s and never splits a string again (it parses only the
 * selectors it detects itself, with this same function).
 */
import type { FieldSelector, FieldSpec, SourceSelectors } from '../model.js';

/**
 * Splits `css@attr` into its parts: the last `@` followed by an attribute name, outside brackets and
 * quotes (`a[href*="@"]` is all CSS). The attribute is lower-cased, as HTML attribute names are.
 */
export function parseFieldSelector(raw: string): FieldSpec {
  const trimmed = raw.trim();
  const at = trimmed.lastIndexOf('@');
  if (at >= 0) {
    const css = trimmed.slice(0, at).trim();
    const attr = trimmed.slice(at + 1).trim();
    if (ATTRIBUTE_NAME.test(attr) && isBalanced(css)) return { raw: trimmed, css, attr: attr.toLowerCase() };
  }
  return { raw: trimmed, css: trimmed };
}

/** Parses a configured selector or list of fallbacks, in order; empty entries are dropped. */
export function parseFieldSelectors(raw: string | readonly string[]): FieldSelector {
  const list = typeof raw === 'string' ? [raw] : raw;
  return list.map(parseFieldSelector).filter((spec) => spec.raw !== '');
}

/** The item fields a source may give selectors for, in the order they are read. */
export const SELECTOR_FIELDS = ['title', 'link', 'date', 'summary', 'author', 'image', 'category'] as const;

/** Selectors as written in a config file, a fixture or on the command line: each field one string or a list. */
export type WrittenSelectors = { items?: string } & {
  [K in (typeof SELECTOR_FIELDS)[number]]?: string | readonly string[];
};

/** Parses every field of written selectors; `items` (plain CSS for the blocks) is kept as written. */
export function parseSourceSelectors(written: WrittenSelectors): SourceSelectors {
  const selectors: SourceSelectors = { items: written.items };
  for (const field of SELECTOR_FIELDS) {
    const value = written[field];
    if (value !== undefined) selectors[field] = parseFieldSelectors(value);
  }
  return selectors;
}

// --- Internal helpers ---

const ATTRIBUTE_NAME = /^[A-Za-z_:][-\w:.]*$/;

/** Whether brackets, parentheses and quotes are all closed (an `@` inside them belongs to the CSS). */
function isBalanced(css: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (const ch of css) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '(') depth += 1;
    else if (ch === ']' || ch === ')') depth -= 1;
  }
  return depth === 0 && quote === undefined;
}
