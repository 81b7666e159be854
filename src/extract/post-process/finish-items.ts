/**
 * The last steps every extraction shares (HTML and feeds): per-source text rules, title and summary
 * trimming, canonical links and collapsing duplicates within one page.
 */
import type { ExtractedItem } from '../../model.js';
import { foldWhitespace, trimText } from '../text/fold-text.js';
import type { TextRules } from '../text/text-rules.js';
import { canonicalizeResolvedUrl } from '../url/canonicalize-url.js';
import type { WarningCollector } from '../warnings.js';

/** Applies text rules, trims plain summaries, adds canonical links and drops repeats (first one wins). */
export function finishItems(
  items: ExtractedItem[],
  rules: TextRules,
  summaryLength: number,
  warnings: WarningCollector,
): ExtractedItem[] {
  const seen = new Set<string>();
  const kept: ExtractedItem[] = [];
  let collapsed = 0;
  for (const item of items) {
    const finished = applyRules(item, rules, summaryLength, (title) => {
      warnings.add(
        'title-truncated',
        `a title of ${[...title].length} characters was cut to ${MAX_TITLE_CHARS} (a whole block's text, or a hostile page)`,
        trimText(title, 80),
      );
    });
    if (!finished) {
      warnings.add('title-missing', 'an item lost its whole title to a replace rule and was dropped', item.title);
      continue;
    }
    const key = finished.canonicalLink ?? `title:${finished.title}`;
    if (seen.has(key)) {
      collapsed += 1;
      continue;
    }
    seen.add(key);
    kept.push(finished);
  }
  if (collapsed > 0)
    warnings.add(
      'duplicates-collapsed',
      `${collapsed} repeated item(s) on the page were collapsed into the first occurrence`,
    );
  return kept;
}

// --- Internal helpers ---

/**
 * Longest title kept, in characters (code points); a longer one is cut, ending in "…". The longest
 * headline among the corpus's 1,292 rows has 131 characters; a title of thousands is a block's whole
 * text taken for a headline, or a hostile page bloating every feed, the store and the index page.
 */
export const MAX_TITLE_CHARS = 300;

function applyRules(
  item: ExtractedItem,
  rules: TextRules,
  summaryLength: number,
  onTitleCut: (title: string) => void,
): ExtractedItem | undefined {
  const ruled = rules.apply('title', item.title);
  // Titles arrive folded; only a rule's output needs folding again.
  let title = ruled === item.title ? ruled : foldWhitespace(ruled);
  if (title === '') return undefined;
  // Cheap test first: a string of at most MAX_TITLE_CHARS UTF-16 units has at most as many characters.
  if (title.length > MAX_TITLE_CHARS) {
    const shortened = trimText(title, MAX_TITLE_CHARS);
    if (shortened !== title) {
      onTitleCut(title);
      title = shortened;
    }
  }
  const out: ExtractedItem = { ...item, title };
  // Item links always come from resolveLink (absolute, normalised by WHATWG URL).
  if (item.link) out.canonicalLink = canonicalizeResolvedUrl(item.link);
  if (item.summary !== undefined) {
    const summary = rules.apply('summary', item.summary);
    const value = item.summaryIsHtml ? summary.trim() : trimText(foldWhitespace(summary), summaryLength);
    if (value === '') delete out.summary;
    else out.summary = value;
  }
  if (item.author !== undefined) {
    const author = foldWhitespace(rules.apply('author', item.author));
    if (author === '') delete out.author;
    else out.author = author;
  }
  if (item.categories) {
    const categories = [
      ...new Set(item.categories.map((c) => foldWhitespace(rules.apply('category', c))).filter((c) => c !== '')),
    ];
    if (categories.length === 0) delete out.categories;
    else out.categories = categories;
  }
  return out;
}
