/**
 * Automatic list detection benchmark: extractItems() with no selectors (auto mode: detection, then
 * selector-mode reading with the detected selectors) against extractItems() with the page's configured
 * selectors, on the same inflated 100 KB+ pages as bench/extract.bench.ts (every extraction fixture and
 * every auto-detection page, two inflation variants each). Times are process CPU time, the two modes
 * paired in ABBA blocks. Also reports how well detection does on the inflated pages (noise blocks add
 * headline-like rankings and mega menus): precision and recall against selector mode's items.
 * Target: auto mode at most 2× selector mode per page. Run with `npx tsx bench/auto.bench.ts`.
 */
import { canonicalizeUrl, extractItems, type ExtractInput, type ExtractOptions } from '../src/extract/index.js';
import type { ExtractedItem } from '../src/model.js';
import { loadAllListFixtures } from '../tests/helpers/auto-fixtures.js';
import { toExtractCall } from '../tests/helpers/source-fixtures.js';
import { inflatePage } from './inflate-pages.js';
import { cpuTime, kb, mean, median, ms } from './measure.js';

const VARIANTS = 2;
const BLOCKS = 6;
const PASSES_PER_BLOCK = 3;
const TARGET_RATIO = 2;

interface BenchPage {
  name: string;
  input: ExtractInput;
  configured: ExtractOptions;
  auto: ExtractOptions;
  bytes: number;
  /** Selector mode needs the parse5 fallback here (it parses twice), which would flatter auto mode. */
  fallback: boolean;
}

function main(): void {
  const pages = buildPages();
  const sizes = pages.map((p) => p.bytes);
  console.log(
    `auto bench: ${pages.length} pages, ${kb(Math.min(...sizes))}–${kb(Math.max(...sizes))} KB (mean ${kb(mean(sizes))} KB), ${BLOCKS} blocks of ${PASSES_PER_BLOCK} passes per mode`,
  );
  for (const page of pages) {
    extractItems(page.input, page.configured);
    extractItems(page.input, page.auto);
  }
  const timings = { selectors: pages.map((): number[] => []), auto: pages.map((): number[] => []) };
  const blocks = { selectors: [] as number[], auto: [] as number[] };
  const order: Array<'selectors' | 'auto'> = [];
  for (let b = 0; b < BLOCKS; b += 1)
    order.push(...(b % 2 === 0 ? (['selectors', 'auto'] as const) : (['auto', 'selectors'] as const)));
  for (const mode of order) {
    let total = 0;
    for (let pass = 0; pass < PASSES_PER_BLOCK; pass += 1) {
      pages.forEach((page, i) => {
        const t = cpuTime(() => extractItems(page.input, mode === 'auto' ? page.auto : page.configured));
        timings[mode][i]?.push(t);
        if (!page.fallback) total += t;
      });
    }
    blocks[mode].push(total);
  }
  report(pages, { selectors: timings.selectors.map(median), auto: timings.auto.map(median) }, blocks);
}

function report(
  pages: BenchPage[],
  medians: { selectors: number[]; auto: number[] },
  blocks: { selectors: number[]; auto: number[] },
): void {
  console.log('');
  console.log(
    `${'page (median CPU ms)'.padEnd(40)} ${'KB'.padStart(5)} ${'selectors'.padStart(10)} ${'auto'.padStart(9)} ${'ratio'.padStart(6)}  detected vs configured`,
  );
  let correct = 0;
  let found = 0;
  let expected = 0;
  let worst = 1;
  pages.forEach((page, i) => {
    const s = medians.selectors[i] ?? 0;
    const a = medians.auto[i] ?? 0;
    const quality = compare(extractItems(page.input, page.auto).items, extractItems(page.input, page.configured).items);
    correct += quality.correct;
    found += quality.found;
    expected += quality.expected;
    worst = Math.min(
      worst,
      quality.correct / Math.max(quality.found, 1),
      quality.correct / Math.max(quality.expected, 1),
    );
    const mark = page.fallback ? ' (selector mode parses twice: excluded)' : '';
    console.log(
      `${page.name.padEnd(40)} ${kb(page.bytes).padStart(5)} ${ms(s).padStart(10)} ${ms(a)} ${(a / s).toFixed(2).padStart(5)}×  ${quality.correct}/${quality.found} of ${quality.expected}${mark}`,
    );
  });
  const counted = pages.map((p, i) => (p.fallback ? undefined : i)).filter((i): i is number => i !== undefined);
  const sum = (list: number[]) => counted.reduce((acc, i) => acc + (list[i] ?? 0), 0);
  const perPage = sum(medians.auto) / sum(medians.selectors);
  const blockRatio = median(blocks.auto) / median(blocks.selectors);
  const ratios = counted.map((i) => (medians.auto[i] ?? 0) / (medians.selectors[i] ?? 1)).sort((x, y) => x - y);
  console.log('');
  console.log(`selector mode (configured selectors): ${(sum(medians.selectors) / counted.length).toFixed(2)} ms/page`);
  console.log(`auto mode (no selectors):             ${(sum(medians.auto) / counted.length).toFixed(2)} ms/page`);
  console.log(
    `ratio auto / selectors:               ${perPage.toFixed(2)}× on per-page medians, ${blockRatio.toFixed(2)}× on block totals incl. GC; per page ${ratios[0]?.toFixed(2)}–${ratios.at(-1)?.toFixed(2)}×`,
  );
  console.log(
    `target ≤ ${TARGET_RATIO.toFixed(2)}× (the worse of the two, ${counted.length} pages): ${Math.max(perPage, blockRatio) <= TARGET_RATIO ? 'met' : 'NOT met'}`,
  );
  console.log(
    `detection on the inflated pages: precision ${(correct / found).toFixed(3)}, recall ${(correct / expected).toFixed(3)}, worst page ${worst.toFixed(2)}`,
  );
}

// --- Page building -----------------------------------------------------------

function buildPages(): BenchPage[] {
  const pages: BenchPage[] = [];
  for (const fixture of loadAllListFixtures()) {
    const { input, options } = toExtractCall(fixture);
    for (let variant = 0; variant < VARIANTS; variant += 1) {
      const body = inflatePage(input.body, options.selectors.items ?? '', variant);
      const page = { ...input, body };
      const fallback = extractItems(page, options).warnings.some((w) => w.code === 'parser-fallback');
      pages.push({
        name: `${fixture.set}/${fixture.name}#${variant + 1}`,
        input: page,
        configured: options,
        auto: { ...options, selectors: {} },
        bytes: Buffer.byteLength(body),
        fallback,
      });
    }
  }
  return pages;
}

/** Items found automatically that selector mode also found (same canonical link and title). */
function compare(
  auto: ExtractedItem[],
  configured: ExtractedItem[],
): { correct: number; found: number; expected: number } {
  const want = new Map(
    configured.map((item) => [item.canonicalLink ?? canonicalizeUrl(item.link ?? item.title), item.title]),
  );
  const correct = auto.filter(
    (item) => want.get(item.canonicalLink ?? canonicalizeUrl(item.link ?? item.title)) === item.title,
  ).length;
  return { correct, found: auto.length, expected: configured.length };
}

// --- Small helpers -------------------------------------------------------------

/** CPU time (user + system, ms) of one call. */
main();
