/**
 * Names of the files the feed stage writes, apart from the renderers: reading them back (the
 * start-up history rebuild) must not load the XML and date libraries the renderers use.
 */

/** File names of a feed's three documents. */
export function feedFileNames(id: string): { rss: string; atom: string; json: string } {
  return { rss: `${id}.rss.xml`, atom: `${id}.atom.xml`, json: `${id}.feed.json` };
}

/** The JSON Feed extension key under which each item carries its store identity (`id`, `source`, `first_seen`). */
export const JSON_FEED_EXTENSION = '_feedwright';
