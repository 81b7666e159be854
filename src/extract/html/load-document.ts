/** Parsing HTML with cheerio: the fast htmlparser2 back end by default, parse5 as the browser-exact fallback. */
import { createRequire } from 'node:module';
import type { CheerioAPI } from 'cheerio';
import { load as loadWithHtmlparser2 } from 'cheerio/slim';
import type { WarningCollector } from '../warnings.js';
import { HTMLPARSER2_OPTIONS, parseWithinDepth, readCappedBody } from './nesting-cap.js';

/** Which parser built the tree. */
export type ParserMode = 'htmlparser2' | 'parse5';

/**
 * Parses an HTML page. htmlparser2 is about four times cheaper than parse5 but does not repair the tree
 * the way browsers do (most visibly: no implied `<tbody>`), so selectors copied from browser dev tools
 * are retried on a parse5 tree when they match nothing.
 *
 * Prefer {@link DocumentScope.load} in code that parses many pages: see there why a tree is released.
 */
export function loadDocument(html: string, mode: ParserMode = 'htmlparser2'): CheerioAPI {
  if (mode === 'parse5') return loadFullCheerio().load(html);
  return loadWithHtmlparser2(html, CHEERIO_OPTIONS);
}

/** A page's first tree and the text it was built from: the page itself, or the page with wrappers nested below the cap dropped. */
export interface LoadedPage {
  $: CheerioAPI;
  html: string;
}

/**
 * The documents one extraction parses, emptied together when it is done ({@link release}).
 *
 * cheerio's `load` defines a class per document whose methods close over the tree, and V8 keeps a
 * class's hidden classes (maps) in the old generation. Until the next full collection, the young
 * collector treats what old objects point to as alive, so every page's tree survived its young
 * collections and was promoted whole: 0.9 MB a page on the peer benchmark's pages (180 MB over 200),
 * which made each young collection copy ~3 MB and the old generation grow to ~140 MB between full
 * collections, most of a `run`'s peak RSS. A released tree is left to the young collector: on the
 * same pages, parse + select alone promoted 43 MB instead of 730 MB over 1,000 pages and took
 * 2.2 instead of 4.6–7.1 ms a page.
 */
export class DocumentScope {
  private readonly documents: CheerioAPI[] = [];

  /** `prepare` runs on each tree once parsed, before anything reads it. */
  constructor(private readonly prepare?: ($: CheerioAPI, html: string) => void) {}

  /** Parses a page (see {@link loadDocument}); its tree stays whole until {@link release}. */
  load(html: string, mode: ParserMode = 'htmlparser2'): CheerioAPI {
    return this.keep(loadDocument(html, mode), html);
  }

  /**
   * Parses a page as fetched (htmlparser2), with nesting capped (see nesting-cap.ts: a page nested deeper
   * than the cap is parsed again from its capped text, with a `nesting-capped` warning). Every later
   * parse of the page should read the returned `html`.
   */
  loadPage(html: string, warnings: WarningCollector): LoadedPage {
    const tree = parseWithinDepth(html);
    if (tree) return { $: this.keep(loadWithHtmlparser2(tree, CHEERIO_OPTIONS), html), html };
    const capped = readCappedBody(html, warnings);
    return { $: this.load(capped), html: capped };
  }

  /** Detaches every tree from its document; call once nothing read from them refers to a node. */
  release(): void {
    for (const $ of this.documents) {
      const root = $.root()[0];
      if (root) root.children = [];
    }
    this.documents.length = 0;
  }

  private keep($: CheerioAPI, html: string): CheerioAPI {
    this.documents.push($);
    this.prepare?.($, html);
    return $;
  }
}

// --- Internal helpers ---

/** cheerio's options for a tree parsed (or built) by htmlparser2. */
const CHEERIO_OPTIONS = { xml: HTMLPARSER2_OPTIONS };

let fullCheerio: typeof import('cheerio') | undefined;

/**
 * cheerio's full entry (the parse5 back end), loaded on the first page that needs it. Its entry point
 * also loads undici, parse5's stream and encoding sniffing for `fromURL`/`loadBuffer`, which we never
 * use: 184 ms of CPU against 58 ms for `cheerio/slim` (the same `load` on htmlparser2), paid by every
 * extraction thread a pool starts. `require` because extraction is synchronous; the parse5 tree still
 * uses the one domhandler (a CommonJS package) that the rest of extraction reads.
 */
function loadFullCheerio(): typeof import('cheerio') {
  fullCheerio ??= createRequire(import.meta.url)('cheerio') as typeof import('cheerio');
  return fullCheerio;
}
