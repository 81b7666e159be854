/**
 * The summary of an item's own page: the configured selector, else the page's description
 * (`<meta name="description">`, `og:description`) unless it is the site's boilerplate, else the start of
 * the main text as found by Mozilla Readability on a light DOM (linkedom), trimmed to the source's
 * summary length.
 */
import type * as ReadabilityModule from '@mozilla/readability';
import { createRequire } from 'node:module';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type * as Linkedom from 'linkedom';
import { measureTextUnits } from '../auto/text-units.js';
import type { FieldSelector } from '../../model.js';
import { readText } from '../html/field-selector.js';
import { DocumentScope } from '../html/load-document.js';
import { toPlainSummary } from '../text/summary.js';

/** Where a detail page's summary was read. */
export type DetailSummarySource = 'selector' | 'meta' | 'main-text';

/** A summary read from a detail page and where it came from. */
export interface DetailSummary {
  text: string;
  source: DetailSummarySource;
}

/** Finds the page's summary, trying each source in the documented order. */
export function findDetailSummary(
  $: CheerioAPI,
  html: string,
  selectors: FieldSelector | undefined,
  maxLength: number,
): DetailSummary | undefined {
  for (const spec of selectors ?? []) {
    if (spec.css === '') continue;
    for (const node of $(spec.css).toArray()) {
      if (!('attribs' in node)) continue;
      const element = node as Element;
      const value =
        spec.attr && spec.attr !== 'text' && spec.attr !== 'html'
          ? (element.attribs[spec.attr] ?? '')
          : readText(element);
      const text = toPlainSummary(value, maxLength);
      if (text) return { text, source: 'selector' };
    }
  }
  const described = readDescription($);
  if (described) return { text: toPlainSummary(described, maxLength) ?? described, source: 'meta' };
  const main = readMainText(html);
  const text = main ? toPlainSummary(main, maxLength) : undefined;
  return text ? { text, source: 'main-text' } : undefined;
}

// --- Internal helpers ---

/** Fewest text units the main text needs to serve as a summary. */
const MIN_MAIN_TEXT_UNITS = 20;
/** Fewest text units a description needs to say something about the page. */
const MIN_DESCRIPTION_UNITS = 12;

/** The page description, unless it is boilerplate: short, or the page title / site name again. */
function readDescription($: CheerioAPI): string | undefined {
  const metas = $('meta[content]')
    .toArray()
    .filter((node): node is Element => 'attribs' in node);
  const read = (name: string) =>
    metas
      .find((meta) => (meta.attribs.name ?? meta.attribs.property ?? '').trim().toLowerCase() === name)
      ?.attribs.content?.trim();
  const description = read('description') || read('og:description');
  if (!description || measureTextUnits(description) < MIN_DESCRIPTION_UNITS) return undefined;
  const title = $('title').text().trim();
  const site = read('og:site_name') ?? read('sitename') ?? '';
  // Government CMSs often repeat the site's own name or slogan on every page.
  if (
    (title && title.includes(description)) ||
    (site && description.includes(site) && measureTextUnits(description) < 2 * measureTextUnits(site) + 8)
  )
    return undefined;
  return description;
}

/**
 * The article text by Readability (on a linkedom DOM: cheap, no layout): its paragraphs when it has
 * any (so a byline or a metadata table above the text is left out), else all its text; undefined when
 * that is too short to tell anything.
 */
function readMainText(html: string): string | undefined {
  // linkedom and Readability load on the first detail page that needs its main text, not at start-up.
  linkedom ??= requireModule('linkedom') as typeof Linkedom;
  readability ??= requireModule('@mozilla/readability') as typeof ReadabilityModule;
  const { document } = linkedom.parseHTML(html);
  const article = new readability.Readability(
    document as unknown as ConstructorParameters<typeof ReadabilityModule.Readability>[0],
    { charThreshold: 100 },
  ).parse();
  if (!article) return undefined;
  // The tree is emptied once read, so that its nodes die young (see DocumentScope).
  const documents = new DocumentScope();
  let paragraphs: string[];
  try {
    paragraphs = documents
      .load(article.content ?? '')('p')
      .toArray()
      .map((node) => readText(node))
      .filter((text) => measureTextUnits(text) > 0 && !isMetadataLine(text));
  } finally {
    documents.release();
  }
  const text = paragraphs.length > 0 ? paragraphs.join(' ') : (article.textContent ?? '').trim();
  return measureTextUnits(text) >= MIN_MAIN_TEXT_UNITS ? text : undefined;
}

/** A short line of article metadata (`来源：执法局 发布时间：… 浏览次数：…`, `By … | Updated …`), not text. */
function isMetadataLine(text: string): boolean {
  return measureTextUnits(text) < MAX_METADATA_UNITS && METADATA_LABEL.test(text);
}

const MAX_METADATA_UNITS = 60;
const METADATA_LABEL =
  /(?:来源|作者|发布时间|发布日期|浏览次数|点击数|阅读次数|责任编辑|编辑|字号|來源|發布時間)\s*[:：]|^\s*(?:by|posted|published|updated)\b/i;

const requireModule = createRequire(import.meta.url);
let linkedom: typeof Linkedom | undefined;
let readability: typeof ReadabilityModule | undefined;
