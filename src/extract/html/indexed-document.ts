/**
 * A cheerio API whose document-wide queries (`$('meta[content]')`, `$('time[datetime]')`) are answered
 * from one walk of the tree: the elements by tag, in page order. A detail page is asked a dozen such
 * queries, each of which otherwise walks the whole tree again; on a 10 MB page of 800,000 elements
 * those walks were most of its cost. A query whose every part names its subject's tag (`script:not([src])`,
 * `article time[datetime]`) or an attribute it must carry (`[itemprop]`) tests only the elements of
 * those tags or with those attributes; any other (`.date`) tests every element, still without the
 * recursion. Everything else (`$(node)`, `$.root()`) is cheerio's own.
 */
import type { CheerioAPI } from 'cheerio';
import { filter } from 'cheerio-select';
import type { AnyNode, Element } from 'domhandler';

/** `$` with its document-wide string queries served from an index of the elements (built on first use). */
export function indexDocumentQueries($: CheerioAPI): CheerioAPI {
  let index: ElementIndex | undefined;
  const indexed = ((selector: unknown, ...rest: unknown[]) => {
    if (typeof selector === 'string' && rest.length === 0 && !selector.trimStart().startsWith('<')) {
      index ??= buildIndex($.root().toArray()[0] as AnyNode);
      return $(selectIndexed(index, selector));
    }
    return ($ as unknown as (...args: unknown[]) => unknown)(selector, ...rest);
  }) as unknown as CheerioAPI;
  return Object.assign(indexed, $);
}

// --- Internal helpers ---

interface ElementIndex {
  all: Element[];
  byTag: Map<string, Element[]>;
  /** Elements carrying an attribute, by its name: worked out on first use. */
  byAttribute: Map<string, Element[]>;
}

function buildIndex(root: AnyNode): ElementIndex {
  const index: ElementIndex = { all: [], byTag: new Map(), byAttribute: new Map() };
  // An explicit stack: a deep tree (the nesting cap allows thousands of levels) must not exhaust the call stack.
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if ('attribs' in node) {
      const element = node as Element;
      index.all.push(element);
      const tagged = index.byTag.get(element.name);
      if (tagged) tagged.push(element);
      else index.byTag.set(element.name, [element]);
    }
    if ('children' in node) {
      const children = (node as Element).children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as AnyNode);
    }
  }
  return index;
}

/** The elements matching `selector`, in page order, testing only the candidates its subjects allow. */
function selectIndexed(index: ElementIndex, selector: string): Element[] {
  return filter(selector, candidatesOf(index, selector), { xmlMode: false }).filter(
    (node): node is Element => 'attribs' in node,
  );
}

/**
 * The elements a selector's subjects can match, in page order: those of the tags or carrying the
 * attributes its comma-separated parts' subjects name (`article time[datetime]` → time elements,
 * `[itemprop]` → elements with an itemprop); every element when a part names neither.
 */
function candidatesOf(index: ElementIndex, selector: string): Element[] {
  const subjects = subjectsOf(selector);
  if (subjects === undefined) return index.all;
  const [tag] = subjects.tags;
  const [attribute] = subjects.attributes;
  if (subjects.tags.size + subjects.attributes.size === 1)
    return tag !== undefined ? (index.byTag.get(tag) ?? []) : withAttribute(index, attribute as string);
  // Several subjects: one pass over the page keeps page order and lists an element once.
  const attributes = [...subjects.attributes];
  return index.all.filter(
    (element) => subjects.tags.has(element.name) || attributes.some((name) => name in element.attribs),
  );
}

/** The elements carrying attribute `name` (a superset for names an object inherits, such as `constructor`: the filter tests them). */
function withAttribute(index: ElementIndex, name: string): Element[] {
  let carrying = index.byAttribute.get(name);
  if (carrying === undefined) {
    carrying = index.all.filter((element) => name in element.attribs);
    index.byAttribute.set(name, carrying);
  }
  return carrying;
}

/**
 * The tag or the first attribute each comma-separated part's subject names (`article time[datetime]`
 * → tag time, `[itemprop=datePublished]` → attribute itemprop); undefined when a part names neither.
 */
function subjectsOf(selector: string): { tags: Set<string>; attributes: Set<string> } | undefined {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const part of splitTopLevel(selector, ',')) {
    const compounds = splitTopLevel(part.trim(), ' >+~').filter((compound) => compound !== '');
    const subject = compounds[compounds.length - 1] ?? '';
    const tag = /^[a-z][a-z0-9-]*/i.exec(subject)?.[0];
    const attribute = tag ? undefined : /^\[\s*([a-z_][-a-z0-9_.:]*)\s*(?:[~|^$*]?=|\])/i.exec(subject)?.[1];
    if (tag) tags.add(tag.toLowerCase());
    else if (attribute) attributes.add(attribute.toLowerCase());
    else return undefined;
  }
  return { tags, attributes };
}

/** Splits at any of `separators` outside brackets, parentheses and quotes. */
function splitTopLevel(text: string, separators: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[' || char === '(') depth += 1;
    else if (char === ']' || char === ')') depth -= 1;
    else if (depth === 0 && separators.includes(char)) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
