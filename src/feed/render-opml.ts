/**
 * feeds.opml (OPML 2.0): every feed with its title and RSS link, grouped into a "sources" and a
 * "topics" folder so a reader imports them in one step. No timestamps, so the file only changes
 * when the list of feeds does.
 */
import type { SiteConfig } from '../model.js';
import { feedFileUrl, orderListings, type FeedListing } from './feed-listing.js';
import { feedFileNames } from './feed-file-names.js';
import { toSafeMarkup, toXmlSafeLine } from './safe-text.js';

/** Renders the OPML 2.0 subscription list. */
export function renderOpml(site: SiteConfig, listings: FeedListing[]): string {
  const ordered = orderListings(listings);
  const groups: Array<[string, FeedListing[]]> = [
    ['来源 Sources', ordered.filter((l) => l.kind === 'source')],
    ['专题 Topics', ordered.filter((l) => l.kind === 'topic')],
  ];
  const body = groups
    .filter(([, members]) => members.length > 0)
    .map(([label, members]) => {
      const outlines = members.map((listing) => `      ${renderOutline(site, listing)}`).join('\n');
      return `    <outline text="${attr(label)}" title="${attr(label)}">\n${outlines}\n    </outline>`;
    })
    .join('\n');
  const head = [`    <title>${toSafeMarkup(site.title)}</title>`, `    <docs>http://opml.org/spec2.opml</docs>`];
  if (site.url) head.push(`    <ownerId>${toSafeMarkup(site.url)}</ownerId>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    ...head,
    '  </head>',
    '  <body>',
    ...(body === '' ? [] : [body]),
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}

// --- Internal helpers ---

function renderOutline(site: SiteConfig, listing: FeedListing): string {
  const title = toXmlSafeLine(listing.title) || listing.id;
  const parts = [
    `type="rss"`,
    `text="${attr(title)}"`,
    `title="${attr(title)}"`,
    `xmlUrl="${attr(feedFileUrl(site.url, feedFileNames(listing.id).rss))}"`,
    `htmlUrl="${attr(listing.homePageUrl)}"`,
  ];
  if (listing.description) parts.push(`description="${attr(toXmlSafeLine(listing.description))}"`);
  if (listing.language) parts.push(`language="${attr(listing.language)}"`);
  return `<outline ${parts.join(' ')}/>`;
}

/** Attribute values also escape line breaks and tabs, which XML attribute normalisation would turn into spaces. */
function attr(value: string): string {
  return toSafeMarkup(value).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
