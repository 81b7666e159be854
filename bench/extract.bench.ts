/**
 * Extraction benchmark: the full extractItems() per page against the floor of a bare cheerio load
 * (htmlparser2, the fastest mode) plus a select of the item blocks and their first link, on 26 pages
 * of 100+ KB made by inflating the source fixtures with realistic noise (mega menus, side lists,
 * inline scripts and JSON, SVG sprites, hidden templates) and extra list rows. The default parse5
 * load is printed for reference. Times are process CPU time; bare and full runs are paired per page so
 * other work on the shared machine hits both alike. Target: extractItems at most 1.3× the bare load + select.
 * Run with `npx tsx bench/extract.bench.ts`.
 */
import { load, type CheerioAPI } from 'cheerio';
import { extractItems, type ExtractInput, type ExtractOptions } from '../src/extract/index.js';
import { inflatePage } from './inflate-pages.js';
import { loadSourceFixtures, toExtractCall } from '../tests/helpers/source-fixtures.js';
import { cpuTime, kb, mean, median, ms } from './measure.js';

const VARIANTS = 2;
const BLOCKS = 8;
const PASSES_PER_BLOCK = 4;
const PARSE5_ROUNDS = 5;

interface BenchPage {
  name: string;
  input: ExtractInput;
  options: ExtractOptions;
  bytes: number;
  /** The items selector needs the browser-shaped tree (parse5 fallback), so extraction parses twice. */
  fallback: boolean;
}

function main(): void {
  const pages = buildPages();
  const sizes = pages.map((p) => p.bytes);
  console.log(
    `extract bench: ${pages.length} pages, ${kb(Math.min(...sizes))}–${kb(Math.max(...sizes))} KB (mean ${kb(mean(sizes))} KB), ${BLOCKS} blocks of ${PASSES_PER_BLOCK} passes per mode`,
  );
  // Warm up every path once so JIT and the OpenCC dictionaries are not in the timings.
  for (const page of pages) {
    bareHtmlparser2(page);
    bareParse5(page);
    extractItems(page.input, page.options);
  }
  // Each mode runs in blocks of PASSES_PER_BLOCK passes over all pages, blocks in ABBA order, so a
  // mode's garbage is mostly collected on its own clock (only the block edges spill over) and slow
  // phases of the shared 2-core machine hit both modes alike. Per mode the median block is reported.
  const bare: number[][] = pages.map(() => []);
  const full: number[][] = pages.map(() => []);
  const blocks = { bare: [] as number[], full: [] as number[] };
  const order: Array<'bare' | 'full'> = [];
  for (let b = 0; b < BLOCKS; b += 1)
    order.push(...(b % 2 === 0 ? (['bare', 'full'] as const) : (['full', 'bare'] as const)));
  for (const mode of order) {
    let total = 0;
    for (let pass = 0; pass < PASSES_PER_BLOCK; pass += 1) {
      pages.forEach((page, i) => {
        if (mode === 'bare') {
          const t = cpuTime(() => bareHtmlparser2(page));
          bare[i]?.push(t);
          if (!page.fallback) total += t;
        } else {
          const t = cpuTime(() => extractItems(page.input, page.options));
          full[i]?.push(t);
          if (!page.fallback) total += t;
        }
      });
    }
    blocks[mode].push(total);
  }
  const roundRatios = blocks.full.map((f, i) => f / (blocks.bare[i] ?? f));
  // parse5 only for reference, measured on its own: its garbage would otherwise land on the paired timings.
  const parse5: number[][] = pages.map(() => []);
  for (let round = 0; round < PARSE5_ROUNDS; round += 1)
    pages.forEach((page, i) => parse5[i]?.push(cpuTime(() => bareParse5(page))));
  report(pages, { bare: bare.map(median), full: full.map(median), parse5: parse5.map(median) }, blocks, roundRatios);
}

function report(
  pages: BenchPage[],
  results: { bare: number[]; parse5: number[]; full: number[] },
  blockTotals: { bare: number[]; full: number[] },
  roundRatios: number[],
): void {
  console.log('');
  console.log(
    `${'page (median CPU ms)'.padEnd(34)} ${'KB'.padStart(5)} ${'bare h2'.padStart(9)} ${'extract'.padStart(9)} ${'ratio'.padStart(6)} ${'parse5'.padStart(9)}`,
  );
  pages.forEach((page, i) => {
    const b = results.bare[i] ?? 0;
    const f = results.full[i] ?? 0;
    const mark = page.fallback ? ' (parse5 fallback)' : '';
    console.log(
      `${page.name.padEnd(34)} ${kb(page.bytes).padStart(5)} ${ms(b)} ${ms(f)} ${(f / b).toFixed(2).padStart(5)}× ${ms(results.parse5[i] ?? 0)}${mark}`,
    );
  });
  const sum = (list: number[]) => list.reduce((acc, v) => acc + v, 0);
  const sorted = [...roundRatios].sort((a, b) => a - b);
  const ratio = median(blockTotals.full) / median(blockTotals.bare);
  const q1 = sorted[Math.floor(sorted.length / 4)] ?? 0;
  const q3 = sorted[Math.floor((sorted.length * 3) / 4)] ?? 0;
  const fallbacks = pages.filter((p) => p.fallback).length;
  console.log('');
  console.log(`bare cheerio.load (htmlparser2) + select: ${(sum(results.bare) / pages.length).toFixed(2)} ms/page`);
  console.log(`extractItems (full):                      ${(sum(results.full) / pages.length).toFixed(2)} ms/page`);
  console.log(
    `cheerio.load default (parse5) + select:   ${(sum(results.parse5) / pages.length).toFixed(2)} ms/page (reference: ${(sum(results.parse5) / sum(results.bare)).toFixed(2)}× the htmlparser2 floor)`,
  );
  const perPage = sum(results.full) / sum(results.bare);
  const verdict = Math.max(ratio, perPage) <= 1.3 ? 'met' : 'NOT met';
  console.log(
    `ratio extractItems / bare load+select:    ${ratio.toFixed(2)}× on block totals incl. GC (block-pair ratios ${q1.toFixed(2)}–${q3.toFixed(2)} interquartile)`,
  );
  console.log(
    `                                          ${perPage.toFixed(2)}× on per-page medians (GC spikes excluded)`,
  );
  console.log(
    `target ≤ 1.30× (the worse of the two, ${pages.length - fallbacks} pages without parser fallback): ${verdict}`,
  );
}

// --- Page building -----------------------------------------------------------

function buildPages(): BenchPage[] {
  const pages: BenchPage[] = [];
  for (const fixture of loadSourceFixtures()) {
    const { input, options } = toExtractCall(fixture);
    for (let variant = 0; variant < VARIANTS; variant += 1) {
      const body = inflatePage(input.body, options.selectors.items ?? '', variant);
      const fallback = extractItems({ ...input, body }, options).warnings.some((w) => w.code === 'parser-fallback');
      pages.push({
        name: `${fixture.name}#${variant + 1}`,
        input: { ...input, body },
        options,
        bytes: Buffer.byteLength(body),
        fallback,
      });
    }
  }
  return pages;
}

// --- Measured operations -----------------------------------------------------

/** The floor: parse with htmlparser2 and read each block's first link and its text. */
function bareHtmlparser2(page: BenchPage): number {
  return selectLinks(load(page.input.body, { xml: { xmlMode: false, decodeEntities: true } }), page);
}

/** cheerio's default (parse5) load with the same select, for reference. */
function bareParse5(page: BenchPage): number {
  return selectLinks(load(page.input.body), page);
}

function selectLinks($: CheerioAPI, page: BenchPage): number {
  let total = 0;
  $(page.options.selectors.items ?? 'li').each((_, block) => {
    const a = $(block).find('a').first();
    total += (a.attr('href') ?? '').length + a.text().length;
  });
  return total;
}

// --- Small helpers -------------------------------------------------------------

/** CPU time (user + system, ms) of one call: unlike wall time it does not count time spent descheduled
 *  while other processes share the two cores. */
main();
