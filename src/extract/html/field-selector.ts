/**
 * Reading field selectors (parsed by config, see src/field-selector/), each field a list of fallbacks
 * tried in order. Two pseudo attributes read content instead of an attribute: `@text` (the default)
 * and `@html` (inner HTML, for HTML summaries).
 */
import type { CheerioAPI } from 'cheerio';
import { select } from 'cheerio-select';
import type { AnyNode, Element } from 'domhandler';
import type { FieldSpec } from '../../model.js';
import { foldWhitespace } from '../text/fold-text.js';

/** A value read through a field selector, with the element it came from. */
export interface FieldValue {
  spec: FieldSpec;
  element: Element;
  value: string;
}

/** What one fallback selects in each block, found with one query over all blocks. */
export interface SpecMatches {
  spec: FieldSpec;
  byBlock: ReadonlyMap<Element, Element[]>;
}

/**
 * Runs one fallback's CSS once over all item blocks and groups the matches by their block: one selector
 * compilation and one traversal per page instead of one per block. The query starts at the blocks'
 * lowest common ancestor (`scope`, see {@link findCommonAncestor}); querying from all blocks at once
 * would make cheerio-select deduplicate the roots pairwise. Throws cheerio's error for invalid CSS.
 */
export function matchSpec(_$: CheerioAPI, blocks: Element[], spec: FieldSpec, scope: AnyNode): SpecMatches {
  const byBlock = new Map<Element, Element[]>();
  if (spec.css === '') {
    for (const block of blocks) byBlock.set(block, [block]);
    return { spec, byBlock };
  }
  if (isSparseInScope(blocks, scope) && !POSITIONAL.test(spec.css)) return matchPerBlock(blocks, spec);
  const blockSet = new Set(blocks);
  // cheerio's `.find()` queries from the scope's children and de-duplicates them pairwise
  // (domutils removeSubsets): quadratic in a list of thousands of rows. cheerio-select with the scope
  // itself as root walks its subtree once, with the same selector dialect (jQuery positionals too).
  for (const node of select(spec.css, scope as Element, SELECT_OPTIONS)) {
    if (!('attribs' in node)) continue;
    // Matches outside every block (or a block itself) are not a block's field.
    const block = findOwningBlock(node, blockSet);
    if (!block) continue;
    const list = byBlock.get(block);
    if (list) list.push(node);
    else byBlock.set(block, [node]);
  }
  return { spec, byBlock };
}

const SELECT_OPTIONS = { xmlMode: false } as const;

/** jQuery positionals (`:first`, `:eq(2)`…) count over the whole query, so they keep the one scope-wide query. */
const POSITIONAL = /:(?:first|last|eq|gt|lt|even|odd)(?![-\w])/;

/**
 * Blocks that are a small part of their scope (a page capped at its first rows out of 100,000) are
 * queried one by one: a scope-wide query would walk every row of the page for each field.
 */
function isSparseInScope(blocks: Element[], scope: AnyNode): boolean {
  if (!('children' in scope) || blocks.length < 256) return false;
  return scope.children.length > blocks.length * 2;
}

function matchPerBlock(blocks: Element[], spec: FieldSpec): SpecMatches {
  const byBlock = new Map<Element, Element[]>();
  const blockSet = new Set(blocks);
  for (const block of blocks) {
    // A match inside a nested block belongs to that inner block, as in the scope-wide query.
    const own = select(spec.css, block, SELECT_OPTIONS).filter((node) => findOwningBlock(node, blockSet) === block);
    if (own.length > 0) byBlock.set(block, own);
  }
  return { spec, byBlock };
}

/** The deepest node containing every block (the list container, typically). */
export function findCommonAncestor(blocks: Element[]): AnyNode | undefined {
  const first = blocks[0];
  if (!first) return undefined;
  const chain: AnyNode[] = [];
  for (let node: AnyNode | null = first.parent; node; node = node.parent) chain.push(node);
  let depth = 0; // index into chain of the deepest ancestor shared so far
  const position = new Map(chain.map((node, index) => [node, index]));
  for (const block of blocks) {
    for (let node: AnyNode | null = block.parent; node; node = node.parent) {
      const index = position.get(node);
      if (index !== undefined) {
        if (index > depth) depth = index;
        break;
      }
    }
  }
  return chain[depth];
}

/** Reads the first non-empty value of a field in a block, trying each fallback in order. */
export function readFirstValue(
  $: CheerioAPI,
  block: Element,
  fallbacks: SpecMatches[],
  read: ValueReader = readElementValue,
): FieldValue | undefined {
  for (const { spec, byBlock } of fallbacks) {
    for (const element of byBlock.get(block) ?? []) {
      const value = read($, element, spec);
      if (value) return { spec, element, value };
    }
  }
  return undefined;
}

/** Reads every non-empty value of the first fallback that yields any (e.g. several category tags). */
export function readAllValues(
  $: CheerioAPI,
  block: Element,
  fallbacks: SpecMatches[],
): { spec: FieldSpec; values: string[] } | undefined {
  for (const { spec, byBlock } of fallbacks) {
    const values = (byBlock.get(block) ?? [])
      .map((element) => readElementValue($, element, spec))
      .filter((value) => value !== '');
    if (values.length > 0) return { spec, values };
  }
  return undefined;
}

/** How a field turns an element into a string. */
export type ValueReader = ($: CheerioAPI, element: Element, spec: FieldSpec) => string;

/** Reads an element's attribute, inner HTML (`@html`) or folded text (default, `@text`). */
function readElementValue($: CheerioAPI, element: Element, spec: FieldSpec): string {
  if (spec.attr === undefined || spec.attr === 'text') return readText(element);
  if (spec.attr === 'html') return $(element).html()?.trim() ?? '';
  return (element.attribs[spec.attr] ?? '').trim();
}

/**
 * Reads a date element: an explicit `@attr` reads that attribute; without one a `datetime`
 * attribute (`<time datetime>`) wins over the text; `@text` reads the text.
 */
export function readDateValue(_$: CheerioAPI, element: Element, spec: FieldSpec): string {
  if (spec.attr && spec.attr !== 'text') return (element.attribs[spec.attr] ?? '').trim();
  if (!spec.attr && element.attribs.datetime) return element.attribs.datetime.trim();
  return readText(element);
}

/** Folded text content of a node, skipping scripts and styles (and the nodes in `without`). */
export function readText(node: AnyNode, without?: ReadonlySet<AnyNode>): string {
  const parts: string[] = [];
  collectText(node, parts, without);
  return foldWhitespace(parts.join(''));
}

// --- Internal helpers ---

function collectText(node: AnyNode, parts: string[], without: ReadonlySet<AnyNode> | undefined): void {
  if (without?.has(node)) return;
  const type = node.type;
  if (type === 'text') {
    parts.push((node as unknown as { data: string }).data);
    return;
  }
  // domhandler types <script> and <style> elements apart from other tags.
  if (type === 'script' || type === 'style' || !('children' in node)) return;
  const role = type === 'tag' ? TEXT_ROLES.get((node as Element).name) : undefined;
  if (role === 'skip') return;
  // <br> and the edges of blocks separate words visually (a browser's innerText breaks the line there);
  // keep that as a space, so minified markup (`<p>03/10</p><span>2025</span>`) does not glue words.
  if (role !== undefined) parts.push(' ');
  for (const child of node.children) collectText(child, parts, without);
  if (role === 'block') parts.push(' ');
}

/** Elements whose edges break a line or a cell in a browser's rendering (their text is a block of its own). */
export const BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

/** How readText treats an element: its text skipped, a break before it, or a block (a break on both sides). */
const TEXT_ROLES = new Map<string, 'skip' | 'break' | 'block'>([
  ['noscript', 'skip'],
  ['template', 'skip'],
  ['br', 'break'],
  ...[...BLOCK_ELEMENTS].map((name) => [name, 'block'] as const),
]);

/** The nearest ancestor of a node that is one of the item blocks (a block's own matches exclude itself). */
function findOwningBlock(node: Element, blocks: ReadonlySet<Element>): Element | undefined {
  let current = node.parent;
  while (current && current.type !== 'root') {
    if (blocks.has(current as Element)) return current as Element;
    current = current.parent;
  }
  return undefined;
}
