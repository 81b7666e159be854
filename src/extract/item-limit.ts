/**
 * The most items one page is read for: a list page's item blocks, a feed's entries. Real list pages hold
 * tens to a few hundred rows (a long day-grouped stream about 500) and feeds tens; a hostile or broken
 * page can hold a hundred thousand, and reading each costs time (and a seen record in the store) while
 * a feed keeps `maxItems` (default 50) of them. Items past the limit are left out with an
 * `items-capped` warning.
 */
export const MAX_PAGE_ITEMS = 2000;
