/**
 * Detail-page date finding: extractDetail() with `fields: ['date']` on the detail fixtures
 * (tests/fixtures/detail), minus the parse alone (DocumentScope.loadPage, the parse extraction does),
 * so the figure is what finding the date costs per article page. Target (issue 13): ≤ 3 ms per page. Median CPU time
 * of 30 runs per page. Run with `npx tsx bench/detail-date.bench.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { extractDetail } from '../src/extract/index.js';
import { DocumentScope } from '../src/extract/html/load-document.js';
import { WarningCollector } from '../src/extract/warnings.js';
import { cpuTime, median } from './measure.js';

const RUNS = 30;
const TARGET_MS = 3;
const dir = new URL('../tests/fixtures/detail/', import.meta.url);
let worst = 0;
console.log(
  `${'page'.padEnd(24)} ${'KB'.padStart(5)} ${'total'.padStart(7)} ${'parse'.padStart(7)} ${'date'.padStart(7)}`,
);
for (const name of readdirSync(dir).sort()) {
  const meta = JSON.parse(readFileSync(new URL(`${name}/case.json`, dir), 'utf8')) as {
    url: string;
    encoding: string;
    timezone: string;
    now: string;
  };
  const body = iconv.decode(readFileSync(new URL(`${name}/page.html`, dir)), meta.encoding);
  const options = {
    sourceId: name,
    fields: ['date'] as const,
    timezone: meta.timezone,
    now: new Date(meta.now),
    summaryLength: 200,
  };
  const total = median(
    Array.from({ length: RUNS }, () => cpuTime(() => extractDetail({ body, url: meta.url }, options))),
  );
  const parse = median(
    Array.from({ length: RUNS }, () => cpuTime(() => new DocumentScope().loadPage(body, new WarningCollector()))),
  );
  const date = Math.max(0, total - parse);
  worst = Math.max(worst, date);
  console.log(
    `${name.padEnd(24)} ${(body.length / 1024).toFixed(0).padStart(5)} ${total.toFixed(2).padStart(7)} ${parse.toFixed(2).padStart(7)} ${date.toFixed(2).padStart(7)}`,
  );
}
console.log(`worst date finding ${worst.toFixed(2)} ms per page (target ≤ ${TARGET_MS} ms)`);
process.exitCode = worst <= TARGET_MS ? 0 : 1;
