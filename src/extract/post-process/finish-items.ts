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
  const finished: ExtractedItem[] = [];
  for (const item of items) {
    const done = applyRules(
      item,
      rules,
      summaryLength,
      (title) => {
        warnings.add(
          'title-truncated',
          `a title of ${[...title].length} characters was cut to ${MAX_TITLE_CHARS} (a whole block's text, or a hostile page)`,
          trimText(title, 80),
        );
      },
      (field, what) => {
        const limit =
          field === 'author'
            ? `${MAX_FIELD_CHARS} characters`
            : `${MAX_CATEGORIES} of at most ${MAX_FIELD_CHARS} characters`;
        warnings.add(
          'field-truncated',
          `"${trimText(item.title, 80)}" has ${what}; kept ${limit} (a hostile or broken page?)`,
        );
      },
    );
    if (done) finished.push(done);
    else warnings.add('title-missing', 'an item lost its whole title to a replace rule and was dropped', item.title);
  }
  keepDistinguishingFragments(finished);
  const seen = new Set<string>();
  const kept: ExtractedItem[] = [];
  let collapsed = 0;
  for (const item of finished) {
    const key = item.canonicalLink ?? `title:${item.title}`;
    if (seen.has(key)) {
      collapsed += 1;
      continue;
    }
    seen.add(key);
    kept.push(item);
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
 * Items whose links differ only in their fragment (`guide.html#s1`, `guide.html#s2`: the sections of a
 * page, the versions of a changelog) are different items, though a canonical link drops the fragment:
 * when the page's items link to one canonical link with two or more different place fragments, each of
 * those items keeps its fragment in its canonical link (and so in its identity). One fragment beside
 * none (`a.html` and `a.html#comments`) is still one item, collapsed as before, and so are tracking
 * fragments (`#382a2076135a`, `#xtor=RSS-1`, `#:~:text=…`): two submissions of one article to a
 * news aggregator carry two of those.
 */
function keepDistinguishingFragments(items: ExtractedItem[]): void {
  const fragments = new Map<string, Set<string>>();
  for (const item of items) {
    const fragment = fragmentOf(item.link);
    // A canonical link that already holds a fragment kept a route (`#/news/12`).
    if (fragment === '' || !item.canonicalLink || item.canonicalLink.includes('#')) continue;
    const seen = fragments.get(item.canonicalLink) ?? new Set<string>();
    fragments.set(item.canonicalLink, seen.add(fragment));
  }
  for (const item of items) {
    const fragment = fragmentOf(item.link);
    if (fragment !== '' && item.canonicalLink && (fragments.get(item.canonicalLink)?.size ?? 0) >= 2)
      item.canonicalLink = `${item.canonicalLink}${fragment}`;
  }
}

/** The place fragment of a resolved link, with its `#`; empty when it has none, or one that only tracks. */
function fragmentOf(link: string | undefined): string {
  const at = link?.indexOf('#') ?? -1;
  if (at === -1 || link === undefined || at === link.length - 1) return '';
  const fragment = link.slice(at);
  return TRACKING_FRAGMENT.test(fragment) ? '' : fragment;
}

/** Fragments that identify a visit, not a place: a hex token, `key=value` parameters, a text fragment. */
const TRACKING_FRAGMENT = /^#(?:[0-9a-f]{8,}$|.*=|:~:)/i;

/**
 * Longest title kept, in characters (code points); a longer one is cut, ending in "…". The longest
 * headline among the corpus's 1,292 rows has 131 characters; a title of thousands is a block's whole
 * text taken for a headline, or a hostile page bloating every feed, the store and the index page.
 */
const MAX_TITLE_CHARS = 300;

function applyRules(
  item: ExtractedItem,
  rules: TextRules,
  summaryLength: number,
  onTitleCut: (title: string) => void,
  onCut: (field: 'author' | 'categories', what: string) => void,
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
    else out.author = capField(author, () => onCut('author', `an author of ${[...author].length} characters`));
  }
  if (item.categories) {
    // Rules run on a bounded number of them: a feed entry can carry any number of tags.
    const given = item.categories.slice(0, MAX_CATEGORIES * 4);
    const categories = [
      ...new Set(given.map((c) => capField(foldWhitespace(rules.apply('category', c)))).filter((c) => c !== '')),
    ];
    if (categories.length > MAX_CATEGORIES || given.length < item.categories.length)
      onCut('categories', `${item.categories.length} categories`);
    if (categories.length === 0) delete out.categories;
    else out.categories = categories.slice(0, MAX_CATEGORIES);
  }
  return out;
}

/** Categories kept per item; a feed entry with more (thousands of tags) is hostile or broken. */
const MAX_CATEGORIES = 50;
/** Longest author or category kept, in characters. */
const MAX_FIELD_CHARS = 200;

/** A value cut to {@link MAX_FIELD_CHARS} (ending in "…"), calling `cut` when it was. */
function capField(value: string, cut?: () => void): string {
  if (value.length <= MAX_FIELD_CHARS) return value;
  const shortened = trimText(value, MAX_FIELD_CHARS);
  if (shortened !== value) cut?.();
  return shortened;
}
