// The floor of bench/peer.bench.ts: cheerio on htmlparser2, parse + select only (the rows, their title,
// link and date). Plain JavaScript so that a fresh `node` process runs it without a TypeScript loader
// (bench/cold-floor-child.js, the cold floor), while the benchmark itself runs it warm in its own process.
import { load } from 'cheerio/slim';

/**
 * Parses a list page and selects its rows; returns how many rows had a title, link and date. With
 * `release`, the tree is emptied once selected: cheerio's per-document class otherwise keeps it
 * reachable from the old generation until a full collection, so every tree is promoted.
 */
export function parseAndSelect(html, release) {
  const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
  let rows = 0;
  $('ul.list li').each((_, element) => {
    const row = $(element);
    const link = row.find('a').first();
    if (link.text().trim() && link.attr('href') && row.find('span.date').text()) rows += 1;
  });
  const root = $.root()[0];
  if (release && root) root.children = [];
  return rows;
}
