/**
 * Writing CSS for elements found by list detection: which class names and ids are stable enough to
 * name an element (state classes such as `on`, `odd`, `clearfix` are not), and simple selectors built
 * from them.
 */
import type { Element } from 'domhandler';

/** Class names of an element that identify it (no state or layout helpers), CSS-safe, in page order. */
export function readStableClasses(element: Element): string[] {
  const value = element.attribs.class;
  if (!value) return [];
  return value.split(/\s+/).filter((name) => name !== '' && CSS_IDENT.test(name) && !STATE_CLASSES.test(name));
}

/** The element's id when it is usable in CSS and does not look generated. */
export function readStableId(element: Element): string | undefined {
  const id = element.attribs.id?.trim();
  return id && CSS_IDENT.test(id) && !/\d{5,}/.test(id) ? id : undefined;
}

/** Classes every element of a list carries (stable ones only). */
export function findCommonClasses(elements: readonly Element[]): string[] {
  const [first, ...rest] = elements;
  if (!first) return [];
  return readStableClasses(first).filter((name) => rest.every((element) => hasClass(element, name)));
}

/** True when the element's class attribute lists `name`. */
export function hasClass(element: Element, name: string): boolean {
  return (element.attribs.class ?? '').split(/\s+/).includes(name);
}

/** `tag.class1.class2` for the given classes. */
export function writeTagWithClasses(tag: string, classes: readonly string[]): string {
  return `${tag}${classes.map((name) => `.${name}`).join('')}`;
}

/** The most telling simple selector of one element: `tag#id`, else `tag.classes`, else `tag`. */
export function describeElement(element: Element): string {
  const id = readStableId(element);
  if (id) return `${element.name}#${id}`;
  return writeTagWithClasses(element.name, readStableClasses(element));
}

/** The element's position among its siblings of the same tag (1-based), for `:nth-of-type()`. */
export function findTypeIndex(element: Element): number {
  let index = 1;
  for (let sibling = element.prev; sibling; sibling = sibling.prev) {
    if (sibling.type === 'tag' && (sibling as Element).name === element.name) index += 1;
  }
  return index;
}

/** The element's parent when it is an element. */
export function findParentElement(element: Element): Element | undefined {
  const parent = element.parent;
  return parent && parent.type === 'tag' ? (parent as Element) : undefined;
}

// --- Internal helpers ---

const CSS_IDENT = /^-?[_a-zA-Z][_a-zA-Z0-9-]*$/;
const STATE_CLASSES =
  /^(?:on|active|cur|current|selected|select|hover|odd|even|alt|first|last|clearfix|clear|cf|fl|fr|left|right|hide|hidden|show|visible|new|hot|top|ellipsis|fix|f-cb)$/i;
