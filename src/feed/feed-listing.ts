/** What the OPML file and the index page know about each feed. */
import type { SourceHealth } from '../model.js';

/** A headline shown under its feed on the index page. */
export interface ListedHeadline {
  title: string;
  link?: string;
  published: Date;
}

/** One feed as listed in feeds.opml and index.html. */
export interface FeedListing {
  id: string;
  kind: 'source' | 'topic';
  title: string;
  description?: string;
  homePageUrl: string;
  /** Date of the newest item. */
  updated?: Date;
  itemCount: number;
  health?: SourceHealth;
  /** When the source was checked (a time of a real check; see publishSite for how often it moves). */
  checkedAt?: Date;
  /** The newest few items, newest first. */
  headlines?: ListedHeadline[];
  language?: string;
}

/** Listings in display order: sources first, then topics, each in the order given. */
export function orderListings(listings: readonly FeedListing[]): FeedListing[] {
  return [...listings.filter((l) => l.kind === 'source'), ...listings.filter((l) => l.kind === 'topic')];
}

/** Link to a feed file: absolute under site.url when set, else relative to the output folder. */
export function feedFileUrl(siteUrl: string | undefined, fileName: string): string {
  if (siteUrl === undefined || siteUrl.trim() === '') return fileName;
  const base = siteUrl.trim();
  return `${base.endsWith('/') ? base : `${base}/`}${encodeURI(fileName)}`;
}
