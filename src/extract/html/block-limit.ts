/**
 * The most item blocks one page is read for. Real list pages hold tens to a few hundred rows (a long
 * day-grouped stream about 500); a hostile or broken page can hold a hundred thousand, and reading each
 * costs time while a feed keeps `maxItems` (default 50) of them. Blocks past the limit are left out with
 * an `items-capped` warning.
 */
export const MAX_ITEM_BLOCKS = 2000;
