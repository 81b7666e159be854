/** feed stage: StoredItem[] → RSS 2.0, Atom 1.0 and JSON Feed 1.1; topic feeds, OPML, index page, atomic writes. */
export {
  renderFeed,
  renderFeedDocument,
  type FeedFormat,
  type FeedMeta,
  type RenderedFeed,
  type RenderedFeedDocument,
} from './render-feed.js';
export { feedFileNames, JSON_FEED_EXTENSION } from './feed-file-names.js';
export { writeFeedFiles, writeOutputFile } from './write-output.js';
export { selectTopicItems } from './topic-items.js';
export { type FeedListing, type ListedHeadline } from './feed-listing.js';
export { renderOpml } from './render-opml.js';
export {
  INDEX_HEADLINES,
  renderIndexPage,
  shownHealth,
  type IndexPageOptions,
  type ShownHealth,
} from './render-index-page.js';
export { OutputError } from './output-error.js';
export { JSON_FEED_VERSION } from './render-json-feed.js';
export { feedLanguage } from './feed-language.js';
