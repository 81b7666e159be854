/**
 * Where a list sits and where its links lead, as score factors: class and id words of the list and
 * its ancestors (navigation, breadcrumbs, sidebars, footers, sliders, pagination lower the score;
 * main content raises it), a short heading just before the list (`热点排行`, `相关链接`, `Related`),
 * and whether links look like articles on the page's own site rather than sections or other sites.
 */
import type { Element } from 'domhandler';
import { measureElementUnits } from './page-stats.js';
import { isRouteFragment } from '../url/canonicalize-url.js';

/** Class/id words already read, per element (ancestors are shared by many candidate lists). */
export type WordCache = Map<Element, { negative: boolean; positive: boolean }>;

/** Factor for the words in the list's, its rows' and its ancestors' `class`/`id` and tag names. */
export function rateLayoutWords(container: Element, row: Element, cache: WordCache = new Map()): number {
  let negative = readWords(row, cache).negative;
  let positive = false;
  let depth = 0;
  for (
    let node: Element | undefined = container;
    node && node.name !== 'body' && node.name !== 'html';
    node = parentElement(node)
  ) {
    const words = readWords(node, cache);
    if (NEGATIVE_TAGS.has(node.name) || words.negative) negative = true;
    if (
      depth < POSITIVE_DEPTH &&
      (node.name === 'main' || node.name === 'article' || node.attribs.role === 'main' || words.positive)
    )
      positive = true;
    depth += 1;
  }
  return (negative ? NEGATIVE_FACTOR : 1) * (positive ? POSITIVE_FACTOR : 1);
}

/** Factor for a short heading right before the list (or before its nearest wrappers) that names a side list. */
export function rateHeading(container: Element, readText: (node: Element) => string): number {
  let node: Element | undefined = container;
  for (let level = 0; node && level < HEADING_LEVELS; level += 1, node = parentElement(node)) {
    let sibling = previousElement(node);
    for (let step = 0; sibling && step < HEADING_SIBLINGS; step += 1, sibling = previousElement(sibling)) {
      const units = measureElementUnits(sibling, MAX_HEADING_UNITS);
      if (units === 0 || units > MAX_HEADING_UNITS) continue;
      return SIDE_HEADING.test(readText(sibling)) ? NEGATIVE_FACTOR : 1;
    }
  }
  return 1;
}

/** True for an href that looks like an article or document rather than a section or home page. */
export function isArticleHref(href: string): boolean {
  const local = href.replace(/^[a-z]+:\/\/[^/]+/i, '');
  const hashAt = local.indexOf('#');
  const fragment = hashAt === -1 ? '' : local.slice(hashAt);
  // A hash-routed site's article is named by its route (`#/news/detail?id=12`).
  const path = isRouteFragment(fragment)
    ? fragment.replace(/^#!?/, '')
    : hashAt === -1
      ? local
      : local.slice(0, hashAt);
  if (path === '' || path === '/' || SECTION_PAGE.test(path)) return false;
  return /\d{4,}/.test(path) || /[?&][a-z]*id=\w+/i.test(path) || DOCUMENT_FILE.test(path);
}

/** The host an href points to, or undefined when it is relative (same site). */
export function readHrefHost(href: string): string | undefined {
  const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#:]+)/i.exec(href.trim());
  return match?.[1]?.toLowerCase().replace(/^www\./, '');
}

// --- Internal helpers ---

const NEGATIVE_FACTOR = 0.35;
const POSITIVE_FACTOR = 1.2;
/** Positive words count only near the list: a page-wide wrapper says nothing about one list. */
const POSITIVE_DEPTH = 4;
const HEADING_LEVELS = 3;
const HEADING_SIBLINGS = 2;
const MAX_HEADING_UNITS = 24;

const NEGATIVE_TAGS = new Set(['nav', 'header', 'footer', 'aside', 'menu']);
/** Words matched against whole class names and ids. */
const NEGATIVE_WHOLE = new Set([
  'top',
  'page',
  'pages',
  'head',
  'foot',
  'bottom',
  'tags',
  'ad',
  'ads',
  'dh',
  'yqlj',
  'xglj',
  'rdph',
  'tjyd',
]);
/** Words matched against the parts of class names and ids (split on `-`, `_` and camelCase). */
const NEGATIVE_PARTS = new Set([
  'nav',
  'navbar',
  'navigation',
  'menu',
  'menus',
  'submenu',
  'header',
  'footer',
  'topbar',
  'copyright',
  'crumb',
  'crumbs',
  'breadcrumb',
  'breadcrumbs',
  'location',
  'position',
  'side',
  'sidebar',
  'aside',
  'related',
  'relate',
  'rank',
  'ranking',
  'hot',
  'hotnews',
  'popular',
  'recommend',
  'trending',
  'links',
  'friend',
  'friends',
  'slide',
  'slider',
  'slides',
  'swiper',
  'carousel',
  'banner',
  'focus',
  'pagination',
  'pager',
  'paging',
  'fenye',
  'share',
  'toolbar',
  'login',
  'search',
  'advert',
]);
const POSITIVE_PARTS = new Set([
  'main',
  'content',
  'contents',
  'list',
  'lists',
  'news',
  'article',
  'articles',
  'notice',
  'notices',
  'results',
  'lb',
  'xxgk',
]);

const SIDE_HEADING =
  /相关|热点|热门|排行|推荐|友情|链接|猜你喜欢|点击榜|热读|熱門|排行榜|相關|連結|related|popular|trending|most (?:read|viewed|popular)|see also|quick links|you may also/i;
const SECTION_PAGE = /(?:^|\/)(?:index|default|list|main)(?:_\d+)?\.\w+(?:[?#]|$)|\/$/i;
const DOCUMENT_FILE = /\.(?:s?html?|pdf|docx?|xlsx?|wps|txt)(?:[?#]|$)/i;

function readWords(node: Element, cache: WordCache): { negative: boolean; positive: boolean } {
  let words = cache.get(node);
  if (!words) {
    const named = node.attribs.id !== undefined || node.attribs.class !== undefined;
    words = named ? { negative: hasNegativeWords(node), positive: hasPositiveWords(node) } : NO_WORDS;
    cache.set(node, words);
  }
  return words;
}

const NO_WORDS = { negative: false, positive: false };

function hasNegativeWords(node: Element): boolean {
  for (const name of namesOf(node)) {
    const lower = name.toLowerCase();
    if (NEGATIVE_WHOLE.has(lower)) return true;
    for (const part of splitName(name)) if (NEGATIVE_PARTS.has(part)) return true;
  }
  return false;
}

function hasPositiveWords(node: Element): boolean {
  for (const name of namesOf(node)) for (const part of splitName(name)) if (POSITIVE_PARTS.has(part)) return true;
  return false;
}

function namesOf(node: Element): string[] {
  const names: string[] = [];
  const { id, class: className } = node.attribs;
  if (id) names.push(id);
  if (className) names.push(...className.split(/\s+/).filter(Boolean));
  return names;
}

function splitName(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_\-\d]+/)
    .filter(Boolean);
}

function parentElement(node: Element): Element | undefined {
  const parent = node.parent;
  return parent && parent.type === 'tag' ? (parent as Element) : undefined;
}

function previousElement(node: Element): Element | undefined {
  for (let sibling = node.prev; sibling; sibling = sibling.prev) if (sibling.type === 'tag') return sibling as Element;
  return undefined;
}
