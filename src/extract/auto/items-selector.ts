/**
 * The `items` selector of a detected list: CSS that selects exactly the list's rows on the page, so
 * pasting it into the config gives the same blocks in selector mode. It is built from the rows' tag
 * and shared classes under their container, and lengthened with ancestors (classes or ids) until it
 * matches nothing outside the list; every attempt is checked by running it on the page (on the
 * page's elements of the rows' tag: every attempt ends in that tag, so it can match nothing else).
 */
import { filter } from 'cheerio-select';
import type { Element } from 'domhandler';
import { onlyElementChild, type ListCandidate } from './find-list-candidates.js';
import { rowHeadlineUnits } from './row-groups.js';
import {
  describeElement,
  findCommonClasses,
  findParentElement,
  findTypeIndex,
  hasClass,
  readStableClasses,
  readStableId,
  writeTagWithClasses,
} from './css-names.js';
import { holdsUsableLink, type PageStats } from './page-stats.js';
import { rateHeadline } from './text-units.js';
import { keepOneBlockPerLine } from '../html/flat-lines.js';

/** An items selector and the blocks it selects on the page. */
export interface ItemsSelection {
  selector: string;
  blocks: Element[];
}

/** Writes and checks the items selector of a candidate list; undefined when no selector isolates it. */
export function buildItemsSelector(
  candidate: ListCandidate,
  elementsByTag: PageStats['elementsByTag'],
): ItemsSelection | undefined {
  const sameTag = elementsByTag.get(candidate.rowTag) ?? [];
  const rowSet = new Set(candidate.rows);
  const strong = candidate.rows.filter((_, i) => {
    const figures = candidate.figures[i];
    return figures !== undefined && rateHeadline(rowHeadlineUnits(figures)) > 0;
  });
  const members = candidate.containers.flatMap((container) =>
    container.children.filter((c): c is Element => c.type === 'tag' && (c as Element).name === candidate.rowTag),
  );
  // Members that are not rows may be selected only when they hold no link (they then yield no item), or
  // when they carry every class the rows share (a card of the list that holds more links than most).
  const common = findCommonClasses(strong.length > 0 ? strong : candidate.rows);
  const sameKind = (member: Element): boolean => common.length > 0 && common.every((name) => hasClass(member, name));
  const allowedMembers = new Set(
    members.filter((member) => rowSet.has(member) || !holdsUsableLink(member) || sameKind(member)),
  );
  const allowed = (element: Element): boolean => allowedMembers.has(element) || isCousinRow(element, candidate);
  const rowPart = writeRowPart(candidate, strong, members);
  for (const containerPart of describeContainers(candidate.containers)) {
    const found = widenUntilExact(sameTag, containerPart, rowPart, candidate.containers, strong, allowed);
    if (found) return found;
  }
  return undefined;
}

// --- Internal helpers ---

/** Ancestor levels tried above the container before giving up on a selector. */
const MAX_ANCESTORS = 8;

/** `li`, `tr.item`, `li:not(.more)`, `tr:has(a[href])`: the rows' tag and shared classes, minus odd members. */
function writeRowPart(candidate: ListCandidate, strong: Element[], members: Element[]): string {
  const common = findCommonClasses(strong.length > 0 ? strong : candidate.rows);
  let part = writeTagWithClasses(candidate.rowTag, common);
  // A trailing `更多>>` or pager row of the same tag, told apart by a class no headline row has.
  const strongSet = new Set(strong);
  const excluded = new Set<string>();
  for (const member of candidate.rows) {
    if (strongSet.has(member)) continue;
    const own = readStableClasses(member).find((name) => !strong.some((row) => hasClass(row, name)));
    if (own) excluded.add(own);
  }
  for (const name of excluded) part += `:not(.${name})`;
  // A linked member left out of the rows (a promoted card between the stories), told apart by a class of
  // its own or of the wrapper it consists of that no headline row has.
  const rowSet = new Set(candidate.rows);
  // Members without the rows' shared classes are left out by those already.
  const alike = members.filter((member) => common.every((name) => hasClass(member, name)));
  for (const member of alike) {
    if (rowSet.has(member) || !hasLinkInside(member)) continue;
    const own = readStableClasses(member).find((name) => !strong.some((row) => hasClass(row, name)));
    if (own) {
      if (!excluded.has(own)) part += `:not(.${own})`;
      excluded.add(own);
      continue;
    }
    const inner = readWrapperClasses(member).find(
      (name) => !strong.some((row) => readWrapperClasses(row).includes(name)),
    );
    if (inner && !excluded.has(inner)) part += `:not(:has(.${inner}))`;
    if (inner) excluded.add(inner);
  }
  // A header row (`<tr><th>…`) or a spacer has no link; leaving it out spares a "title-missing" warning.
  const linkless = alike.some((member) => !member.children.length || !hasLinkInside(member));
  if (linkless && candidate.rowTag !== 'a') part += ':has(a[href])';
  return part;
}

/** Stable classes of the wrappers an element consists of (each the only element child of the one above). */
function readWrapperClasses(element: Element): string[] {
  const names: string[] = [];
  let node = onlyElementChild(element);
  for (let depth = 0; node && depth < WRAPPER_DEPTH; depth += 1, node = onlyElementChild(node))
    names.push(...readStableClasses(node));
  return names;
}

const WRAPPER_DEPTH = 2;

function hasLinkInside(element: Element): boolean {
  for (const child of element.children) {
    if (child.type !== 'tag') continue;
    const el = child as Element;
    if ((el.name === 'a' && el.attribs.href !== undefined) || hasLinkInside(el)) return true;
  }
  return false;
}

/**
 * A row of the list's tag in a container of the list's kind beside the others (same grandparent): a
 * sub-column holding a single row is part of a list split over columns, though too small to be found.
 */
function isCousinRow(element: Element, candidate: ListCandidate): boolean {
  if (candidate.containers.length < 2 || element.name !== candidate.rowTag) return false;
  const parent = findParentElement(element);
  const first = candidate.containers[0] as Element;
  if (!parent || parent.name !== first.name || (parent.attribs.class ?? '') !== (first.attribs.class ?? ''))
    return false;
  const wrapper = findParentElement(parent);
  const firstWrapper = findParentElement(first);
  if (
    !wrapper ||
    !firstWrapper ||
    wrapper.name !== firstWrapper.name ||
    wrapper.attribs.class !== firstWrapper.attribs.class
  )
    return false;
  return wrapper.parent !== null && wrapper.parent === firstWrapper.parent;
}

/** Ways to name the container(s), most specific first. */
function describeContainers(containers: Element[]): string[] {
  const first = containers[0] as Element;
  if (containers.length === 1) {
    const options = [describeElement(first)];
    if (readStableId(first)) options.push(writeTagWithClasses(first.name, readStableClasses(first)));
    return [...new Set(options)];
  }
  return [writeTagWithClasses(first.name, findCommonClasses(containers))];
}

/**
 * Tries `container > row`, then prefixes ancestors that have an id or classes (an id ends the climb),
 * and finally pins the container by its position among same-tag siblings.
 */
function widenUntilExact(
  sameTag: Element[],
  containerPart: string,
  rowPart: string,
  containers: Element[],
  strong: Element[],
  allowed: (element: Element) => boolean,
): ItemsSelection | undefined {
  let prefix = '';
  let node = findParentElement(containers[0] as Element);
  // A bare `tbody > tr` or `ul > li` matches by luck; name the nearest telling ancestor from the start.
  if (/^[a-z0-9]+$/i.test(containerPart) && node && describeElement(node) !== node.name) {
    prefix = `${describeElement(node)} `;
    node = readStableId(node) ? undefined : findParentElement(node);
  }
  let tried = '';
  for (let level = 0; level <= MAX_ANCESTORS; level += 1) {
    const selector = `${prefix}${containerPart} > ${rowPart}`;
    // A bare wrapper (`<div>`, `<td>`) adds nothing to the prefix: the same query would answer the same.
    if (selector !== tried) {
      tried = selector;
      const result = check(sameTag, selector, strong, allowed);
      if (Array.isArray(result)) return { selector, blocks: result };
      if (result === 'misses') return undefined;
    }
    if (!node || node.name === 'html') break;
    const described = describeElement(node);
    if (described !== node.name) prefix = `${described} ${prefix}`;
    if (readStableId(node)) {
      node = undefined;
      continue;
    }
    node = findParentElement(node);
  }
  // Layout tables and bare wrappers have no names: spell out the path from the nearest id (or body).
  const first = containers[0] as Element;
  const own =
    containers.length === 1 && hasSameTagSibling(first)
      ? `${containerPart}:nth-of-type(${findTypeIndex(first)})`
      : containerPart;
  const parent = findParentElement(first);
  const pinned = `${parent ? `${writeStructuralPath(parent)} > ` : ''}${own} > ${rowPart}`;
  const result = check(sameTag, pinned, strong, allowed);
  return Array.isArray(result) ? { selector: pinned, blocks: result } : undefined;
}

/** `body > table:nth-of-type(2) > tr > td:nth-of-type(3)`: child steps from the nearest id or body down to a node. */
function writeStructuralPath(node: Element): string {
  const steps: string[] = [];
  for (let current: Element | undefined = node; current; current = findParentElement(current)) {
    const described = describeElement(current);
    if (current.name === 'body' || current.name === 'html' || readStableId(current)) {
      steps.unshift(described);
      break;
    }
    steps.unshift(hasSameTagSibling(current) ? `${described}:nth-of-type(${findTypeIndex(current)})` : described);
  }
  return steps.join(' > ');
}

function hasSameTagSibling(element: Element): boolean {
  const parent = element.parent;
  if (!parent) return false;
  let count = 0;
  for (const child of parent.children) if (child.type === 'tag' && (child as Element).name === element.name) count += 1;
  return count > 1;
}

/** The matched blocks when they are every headline row and nothing else; `wider`: also elements outside the list; `misses`: rows left out. */
function check(
  sameTag: Element[],
  selector: string,
  strong: Element[],
  allowed: (element: Element) => boolean,
): Element[] | 'wider' | 'misses' {
  // A flat list's selector (`td.list > a`) also matches the category and attachment links of its lines.
  const matched = keepOneBlockPerLine(select(sameTag, selector));
  const set = new Set(matched);
  if (!strong.every((row) => set.has(row))) return 'misses';
  return matched.every(allowed) ? matched : 'wider';
}

/** The page's elements (all of the selector's subject tag, in page order) that the selector matches. */
function select(elements: Element[], selector: string): Element[] {
  return filter(selector, elements, SELECT_OPTIONS).filter((node): node is Element => 'attribs' in node);
}

const SELECT_OPTIONS = { xmlMode: false } as const;
