/**
 * `npm run eval [corpus-dir]`: scores the extract stage on a folder of real pages with gold values
 * (default `../shared/corpus` from the repository root). Three modes: selector mode with each list's
 * gold selector, automatic list mode with no selectors, and detail-date mode on the article pages.
 * Prints per page and in total items expected/found/matched, precision, recall and date accuracy,
 * the worst pages and per-site figures, and exits 1 when a total is under the targets (issue 13).
 * Options: `--now=2026-11-30T12:00:00Z` (the injected clock, fixed so runs compare), `--quiet`
 * (totals, worst pages and sites only), `--variants` (automatic mode also on each page dressed
 * differently: classes renamed, minified, upper-case tags, boxes added, GBK bytes undeclared).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { extractDetail, extractItems, type ExtractOptions } from '../src/extract/index.js';
import type { ExtractedItem } from '../src/model.js';
import { loadCorpus, type ArticlePage, type ListPage } from './corpus.js';
import { mapGoldSelector } from './gold-selectors.js';
import { PAGE_VARIANTS } from './page-variants.js';
import { addScores, dateAccuracy, emptyScore, precision, recall, scoreList, type ListScore } from './score-list.js';

/** Targets of issue 13. */
const TARGETS = { selectorMode: 0.99, autoMicro: 0.95, autoPageFloor: 0.8, detailDay: 0.93, autoCost: 2 };
const WORST_SHOWN = 6;

interface ListRun {
  page: ListPage;
  score: ListScore;
  ms: number;
  error?: string;
  confidence?: number;
  selectors?: string;
  warnings: string[];
}

interface ArticleRun {
  page: ArticlePage;
  day?: string;
  source?: string;
  ms: number;
  ok: boolean;
}

function main(): void {
  const args = process.argv.slice(2);
  const quiet = args.includes('--quiet');
  const nowArg = args.find((a) => a.startsWith('--now='))?.slice(6);
  const now = new Date(nowArg ?? '2026-11-30T12:00:00Z');
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const dir = resolve(args.find((a) => !a.startsWith('--')) ?? resolve(root, '../shared/corpus'));
  if (!existsSync(dir) || Number.isNaN(now.getTime())) {
    process.stderr.write(
      `eval: no corpus folder at ${dir} (or a bad --now); usage: npm run eval [corpus-dir] [--now=ISO]\n`,
    );
    process.exit(2);
  }
  const corpus = loadCorpus(dir);
  if (corpus.lists.length === 0 && corpus.articles.length === 0) {
    // A mistyped folder must not pass as "every target met".
    process.stderr.write(
      `eval: no pages in ${dir}: expected lists/<id>/{page.html,gold.json} and articles/<id>/{page.html,gold.json} (see the corpus README)\n`,
    );
    process.exit(2);
  }
  console.log(
    `eval: ${dir}: ${corpus.lists.length} list pages, ${corpus.articles.length} article pages, now ${now.toISOString()}`,
  );
  const selectorRuns = corpus.lists.map((page) => runList(page, 'selectors', now));
  const autoRuns = corpus.lists.map((page) => runList(page, 'auto', now));
  const articleRuns = corpus.articles.map((page) => runArticle(page, now));
  const failures: string[] = [];
  failures.push(
    ...reportLists('selector mode (gold selectors)', selectorRuns, quiet, (t, pages) => checkSelectorTargets(t, pages)),
  );
  failures.push(
    ...reportLists('automatic list mode (no selectors)', autoRuns, quiet, (t, pages) => checkAutoTargets(t, pages)),
  );
  failures.push(...reportArticles(articleRuns, quiet));
  reportCost(corpus.lists, articleRuns, now);
  if (args.includes('--variants')) reportVariants(corpus.lists, now);
  console.log('');
  if (failures.length === 0) console.log('eval: every total meets its target');
  else {
    console.log(`eval: ${failures.length} target(s) missed:`);
    for (const failure of failures) console.log(`  - ${failure}`);
    process.exitCode = 1;
  }
}

/**
 * Automatic mode on each page variant (eval/page-variants.ts): the same rows in other clothes. Told,
 * not judged: no target, so a variant that exposes a failure kind does not fail the run.
 */
function reportVariants(lists: ListPage[], now: Date): void {
  console.log('\n== automatic list mode on page variants (same rows; told, not judged) ==');
  for (const variant of PAGE_VARIANTS) {
    const runs = lists.map((page) => runList({ ...page, body: variant.transform(page.body) }, 'auto', now));
    const total = runs.reduce((sum, run) => addScores(sum, run.score), emptyScore());
    const weak = runs.filter((run) => f1(run.score) < 0.95 || (dateAccuracy(run.score) ?? 1) < 0.95);
    console.log(`${formatRow(variant.name, total)}  invented dates ${total.invented}; ${variant.description}`);
    for (const run of weak)
      console.log(`    ${formatRow(run.page.id, run.score)}  ${run.score.examples.slice(0, 1).join('')}`);
  }
}

function runList(page: ListPage, mode: 'selectors' | 'auto', now: Date): ListRun {
  const mapped = mapGoldSelector(page.selector);
  const options: ExtractOptions = {
    sourceId: page.id,
    type: 'html',
    selectors: mode === 'auto' ? {} : mapped.selectors,
    timezone: page.zone,
    now,
    replace: [],
    summaryLength: 300,
  };
  const started = process.hrtime.bigint();
  let items: ExtractedItem[] = [];
  const run: Omit<ListRun, 'score' | 'ms'> = {
    page,
    warnings: mode === 'selectors' ? mapped.unexpressed.map((u) => `gold ${u}`) : [],
  };
  try {
    const result = extractItems({ body: page.body, contentType: 'text/html', url: page.url }, options);
    items = result.items;
    if (result.selectors?.confidence !== undefined) run.confidence = result.selectors.confidence;
    if (mode === 'auto' && result.selectors) run.selectors = result.selectors.items;
    run.warnings.push(...result.warnings.filter((w) => w.code !== 'feed-advertised').map((w) => w.code));
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ...run, score: scoreList(page.rows, items, page, page.zone), ms };
}

function runArticle(page: ArticlePage, now: Date): ArticleRun {
  const started = process.hrtime.bigint();
  const result = extractDetail(
    { body: page.body, url: page.url },
    { sourceId: page.id, fields: ['date'], timezone: page.zone, now, summaryLength: 200 },
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const day = result.published
    ? (DateTime.fromJSDate(result.published.date, { zone: page.zone }).toISODate() ?? undefined)
    : undefined;
  const run: ArticleRun = { page, ms, ok: page.date === null ? day === undefined : day === page.date };
  if (day) run.day = day;
  if (result.dateSource) run.source = result.dateSource;
  return run;
}

// --- Reports ---

function reportLists(
  title: string,
  runs: ListRun[],
  quiet: boolean,
  check: (total: ListScore, runs: ListRun[]) => string[],
): string[] {
  console.log(`\n== ${title} ==`);
  const header = `${'page'.padEnd(26)} ${'exp'.padStart(4)} ${'found'.padStart(5)} ${'match'.padStart(5)} ${'P'.padStart(5)} ${'R'.padStart(5)} ${'date'.padStart(9)} ${'ms'.padStart(6)}`;
  if (!quiet) {
    console.log(`${header}  notes`);
    for (const run of runs) console.log(`${formatRow(run.page.id, run.score, run.ms)}  ${describeRun(run)}`);
  }
  const total = runs.reduce((sum, run) => addScores(sum, run.score), emptyScore());
  const macroP = runs.reduce((s, r) => s + precision(r.score), 0) / Math.max(1, runs.length);
  const macroR = runs.reduce((s, r) => s + recall(r.score), 0) / Math.max(1, runs.length);
  console.log(
    `${formatRow(
      'TOTAL (micro)',
      total,
      runs.reduce((s, r) => s + r.ms, 0),
    )}  macro P ${fmt(macroP)} R ${fmt(macroR)}; invented dates ${total.invented}; title misses ${total.titleMisses}`,
  );
  const worst = [...runs]
    .sort((a, b) => f1(a.score) - f1(b.score) || (dateAccuracy(a.score) ?? 1) - (dateAccuracy(b.score) ?? 1))
    .slice(0, WORST_SHOWN);
  console.log('worst pages:');
  for (const run of worst)
    console.log(
      `  ${formatRow(run.page.id, run.score, run.ms)}  ${run.score.examples.slice(0, 2).join('; ')}${run.error ? ` [${run.error}]` : ''}`,
    );
  console.log('per site:');
  for (const [site, score] of groupBySite(runs)) console.log(`  ${formatRow(site, score)}`);
  return check(total, runs).map((failure) => `${title}: ${failure}`);
}

function reportArticles(runs: ArticleRun[], quiet: boolean): string[] {
  console.log('\n== detail-date mode (article pages) ==');
  if (!quiet) {
    console.log(
      `${'page'.padEnd(30)} ${'gold'.padEnd(10)} ${'found'.padEnd(10)} ${'source'.padEnd(8)} ${'ms'.padStart(6)}`,
    );
    for (const run of runs) {
      console.log(
        `${run.page.id.padEnd(30)} ${(run.page.date ?? 'none').padEnd(10)} ${(run.day ?? 'none').padEnd(10)} ${(run.source ?? '-').padEnd(8)} ${run.ms.toFixed(1).padStart(6)}  ${run.ok ? '' : 'WRONG'}`,
      );
    }
  }
  const right = runs.filter((run) => run.ok).length;
  const invented = runs.filter((run) => run.page.date === null && run.day !== undefined).length;
  const missing = runs.filter((run) => run.page.date !== null && run.day === undefined).length;
  const accuracy = runs.length === 0 ? 1 : right / runs.length;
  const meanMs = runs.reduce((s, r) => s + r.ms, 0) / Math.max(1, runs.length);
  console.log(
    `TOTAL ${right}/${runs.length} same day = ${fmt(accuracy)}; wrong day ${runs.length - right - missing}, none found ${missing}, invented ${invented}; mean ${meanMs.toFixed(1)} ms/page (incl. parse)`,
  );
  console.log('wrong pages:');
  for (const run of runs.filter((r) => !r.ok))
    console.log(
      `  ${run.page.id.padEnd(30)} gold ${run.page.date ?? 'none'} found ${run.day ?? 'none'} (${run.source ?? '-'}) ${run.page.language}`,
    );
  console.log('per language:');
  const byLanguage = new Map<string, { right: number; total: number }>();
  for (const run of runs) {
    const entry = byLanguage.get(run.page.language) ?? { right: 0, total: 0 };
    entry.total += 1;
    if (run.ok) entry.right += 1;
    byLanguage.set(run.page.language, entry);
  }
  console.log(`  ${[...byLanguage].map(([lang, e]) => `${lang} ${e.right}/${e.total}`).join(', ')}`);
  const failures: string[] = [];
  if (accuracy < TARGETS.detailDay)
    failures.push(`detail-date mode: same-day accuracy ${fmt(accuracy)} < ${TARGETS.detailDay}`);
  if (invented > 0) failures.push(`detail-date mode: ${invented} page(s) without a date got one`);
  return failures;
}

/**
 * Cost of automatic mode against selector mode on the corpus: after the scoring pass (so both are
 * warm), whole passes over the list pages in alternating order, CPU time per pass, medians compared.
 * Printed next to the targets; the speed targets themselves are checked by `npm run bench` (ratios
 * measured in one run on generated 100 KB pages), not by this exit code: timings on a shared machine
 * are not a verdict.
 */
function reportCost(lists: ListPage[], articles: ArticleRun[], now: Date): void {
  const passes = { selectors: [] as number[], auto: [] as number[] };
  for (let round = 0; round < COST_ROUNDS; round += 1) {
    const order = round % 2 === 0 ? (['selectors', 'auto'] as const) : (['auto', 'selectors'] as const);
    for (const mode of order) {
      const started = process.cpuUsage();
      for (const page of lists) runList(page, mode, now);
      const used = process.cpuUsage(started);
      passes[mode].push((used.user + used.system) / 1000);
    }
  }
  const pages = Math.max(1, lists.length);
  const selectors = medianOf(passes.selectors);
  const auto = medianOf(passes.auto);
  console.log(`\n== cost (CPU, median of ${COST_ROUNDS} warm passes over the list pages) ==`);
  console.log(
    `selector mode ${(selectors / pages).toFixed(1)} ms/page, automatic mode ${(auto / pages).toFixed(1)} ms/page: ${(auto / Math.max(selectors, 0.001)).toFixed(2)}× (target ≤ ${TARGETS.autoCost}×, checked by \`npm run bench -- auto\`)`,
  );
  const detailMs = articles.reduce((sum, run) => sum + run.ms, 0) / Math.max(1, articles.length);
  console.log(
    `detail-date mode ${detailMs.toFixed(1)} ms per article page in one cold pass, parse included (target ≤ 3 ms for finding the date, checked by \`npm run bench -- detail-date\`)`,
  );
}

const COST_ROUNDS = 4;

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function checkSelectorTargets(total: ListScore, _runs: ListRun[]): string[] {
  const out: string[] = [];
  const t = TARGETS.selectorMode;
  if (precision(total) < t) out.push(`precision ${fmt(precision(total))} < ${t}`);
  if (recall(total) < t) out.push(`recall ${fmt(recall(total))} < ${t}`);
  const accuracy = dateAccuracy(total);
  if (accuracy !== undefined && accuracy < t) out.push(`date accuracy ${fmt(accuracy)} < ${t}`);
  return out;
}

function checkAutoTargets(total: ListScore, runs: ListRun[]): string[] {
  const out: string[] = [];
  if (precision(total) < TARGETS.autoMicro) out.push(`micro precision ${fmt(precision(total))} < ${TARGETS.autoMicro}`);
  if (recall(total) < TARGETS.autoMicro) out.push(`micro recall ${fmt(recall(total))} < ${TARGETS.autoMicro}`);
  const low = runs.filter(
    (run) => precision(run.score) < TARGETS.autoPageFloor || recall(run.score) < TARGETS.autoPageFloor,
  );
  if (low.length > 0)
    out.push(
      `${low.length} page(s) under ${TARGETS.autoPageFloor} on precision or recall: ${low.map((r) => r.page.id).join(', ')}`,
    );
  return out;
}

function groupBySite(runs: ListRun[]): Map<string, ListScore> {
  const sites = new Map<string, ListScore>();
  for (const run of runs) sites.set(run.page.site, addScores(sites.get(run.page.site) ?? emptyScore(), run.score));
  return sites;
}

function formatRow(name: string, s: ListScore, ms?: number): string {
  const accuracy = dateAccuracy(s);
  const date = accuracy === undefined ? '-' : `${fmt(accuracy)}/${s.dated}`;
  return `${name.slice(0, 26).padEnd(26)} ${String(s.expected).padStart(4)} ${String(s.found).padStart(5)} ${String(s.matched).padStart(5)} ${fmt(precision(s)).padStart(5)} ${fmt(recall(s)).padStart(5)} ${date.padStart(9)} ${ms === undefined ? '' : ms.toFixed(1).padStart(6)}`;
}

function describeRun(run: ListRun): string {
  const parts: string[] = [];
  if (run.error) parts.push(`ERROR ${run.error}`);
  if (run.confidence !== undefined) parts.push(`conf ${run.confidence}`);
  if (run.selectors) parts.push(run.selectors);
  const codes = [...new Set(run.warnings)];
  if (codes.length > 0) parts.push(codes.join(','));
  if (run.score.invented > 0) parts.push(`${run.score.invented} invented date(s)`);
  return parts.join(' | ');
}

function f1(s: ListScore): number {
  const p = precision(s);
  const r = recall(s);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

function fmt(value: number): string {
  return value.toFixed(3);
}

main();
