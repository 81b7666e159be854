/**
 * One full cycle of the whole pipeline (what `feedwright run` does) over 1,000 local sources:
 * fetch → extract → store/dedupe → render RSS/Atom/JSON Feed → atomic writes, then the site files
 * (topic feeds, OPML, index page). Run: `node --import tsx bench/cycle.bench.ts`.
 *
 * Setup, as a user would have it: a generated feedwright.yaml parsed by `parseConfigText` (so every
 * default resolves as for users) with 1,000 sources on 50 fake hosts (one port each, 20 sources per
 * host), explicit selectors (`ul.list li`, `a`, `a@href`, `span.date`), `minDelay: 0ms` (with the
 * default spacing, 20 sources per host would take 20 s by politeness, not cost), robots.txt obeyed
 * (a 404 per host) and one topic feed over all sources; the SQLite store and the output folder in
 * a temp dir; `createFetcher({ concurrency: worker.concurrency })`; `runPass` with the worker's
 * concurrency (16). The site (bench/list-site-server.ts) runs in a CHILD process: its CPU is
 * reported separately, not as ours. Every response waits 20 ms. Pages have the shape of a real
 * government notice board: 30 headlines inside ~60,000 characters of portal chrome (channel
 * navigation, related links, footer), GBK, gzip-compressed — the fetch benchmark's 420-row pages
 * would make this a benchmark of storing 420,000 items. Every 10th page sends no ETag (such
 * pages can only be recognised as unchanged by their body).
 *
 * Cycle 1: every item is new (fetch + extract + store + render + write every feed).
 * Cycle 2: nothing changed: 304s, and same-body for pages without an ETag (nothing is extracted
 *   or written). Cycle 3: each page gained one headline at the top: everything is fetched,
 *   extracted and deduplicated again, one new item per source, every feed rewritten.
 * Ideal wall time = latency × sources / effective concurrency (min of the worker's 16, the
 * fetcher's global 16 and 50 hosts × 2 per host), as in bench/fetch.bench.ts.
 *
 * Before cycle 1 a warm-up pass runs the same pipeline on 100 other sources (own store and output
 * dir) so V8 has compiled the hot paths, as in a long-running worker; tsx's TypeScript loading
 * is not counted either. CPU is this process's user + system time (all its threads).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../src/config/index.js';
import { createFetcher } from '../src/fetch/index.js';
import { createSilentLogger } from '../src/log.js';
import type { AppConfig, RunOutcome, RunReport } from '../src/model.js';
import { runPass, type PipelineDeps } from '../src/pipeline/index.js';
import { openItemStore } from '../src/store/index.js';
import { listSourceYaml, startListSite, type ListSite } from './list-site-server.js';

const HOSTS = 50;
const SOURCES = 1_000;
const WARM_UP_SOURCES = 100;
const LATENCY_MS = 20;
const WITHOUT_ETAG_EVERY = 10;
/** Headlines per page, and the portal chrome around them: a real board's shape (see the header). */
const ROWS = 30;
const CHROME_CHARS = 55_000;

await main();

// --- Internal helpers ---

interface CycleFigures {
  name: string;
  wallMs: number;
  /** When the last source finished; the rest of the wall time is the site files (topic feeds, OPML, index). */
  sourcesMs: number;
  cpuMs: number;
  serverCpuMs: number;
  /** Peak RSS of the process so far, MB. */
  peakRssMb: number;
  outcomes: Map<RunOutcome, number>;
  newItems: number;
  written: number;
  siteFiles: number;
  failures: RunReport[];
}

async function main(): Promise<void> {
  const site = await startListSite({
    hosts: HOSTS,
    lists: SOURCES,
    latencyMs: LATENCY_MS,
    rows: ROWS,
    chromeChars: CHROME_CHARS,
    withoutEtagEvery: WITHOUT_ETAG_EVERY,
  });
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-cycle-'));
  try {
    await warmUp(site, join(dir, 'warm'));
    const config = buildConfig(site, join(dir, 'run'), SOURCES, '');
    const { deps, close } = await openDeps(config);
    const cycles: CycleFigures[] = [];
    try {
      cycles.push(await runCycle('cycle 1 (all new)', config, deps, site));
      cycles.push(await runCycle('cycle 2 (unchanged)', config, deps, site));
      await site.setVersion(1);
      cycles.push(await runCycle('cycle 3 (+1 headline)', config, deps, site));
    } finally {
      await close();
    }
    report(site, cycles, join(dir, 'run', 'output'));
  } finally {
    site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same pipeline on other sources (URLs with `?warm`), in its own store and output dir. */
async function warmUp(site: ListSite, dir: string): Promise<void> {
  const config = buildConfig(site, dir, WARM_UP_SOURCES, 'warm');
  const { deps, close } = await openDeps(config);
  try {
    for (let round = 0; round < 2; round += 1) await runPass(config, deps, { concurrency: config.worker.concurrency });
  } finally {
    await close();
  }
}

/** A feedwright.yaml as a user would write it, parsed by the config stage. */
function buildConfig(site: ListSite, dir: string, count: number, query: string): AppConfig {
  const sources = Array.from({ length: count }, (_, i) =>
    listSourceYaml({ id: `list-${i}`, name: `生态环境部 · 要闻动态 ${i}`, url: site.urlOf(i, query) }).join('\n'),
  );
  const yaml = [
    'site:',
    '  title: Environmental policy watch',
    '  url: http://127.0.0.1:8080/',
    '  language: zh-CN',
    `store: sqlite://${join(dir, 'feedwright.sqlite')}`,
    `output: ${join(dir, 'output')}`,
    'defaults:',
    '  timezone: Asia/Shanghai',
    '  minDelay: 0ms',
    'sources:',
    ...sources,
    'feeds:',
    '  - id: air',
    '    title: 大气污染防治',
    '    sources: all',
    '    include: [大气]',
  ].join('\n');
  return parseConfigText(yaml, join(dir, 'feedwright.yaml')).config;
}

async function openDeps(config: AppConfig): Promise<{ deps: PipelineDeps; close: () => Promise<void> }> {
  const store = await openItemStore(config.store);
  const fetcher = createFetcher({ concurrency: config.worker.concurrency });
  const deps: PipelineDeps = {
    fetcher,
    store,
    outputDir: config.output,
    site: config.site,
    now: () => new Date(),
    logger: createSilentLogger(),
  };
  return { deps, close: async () => void (await Promise.all([fetcher.close(), store.close()])) };
}

async function runCycle(name: string, config: AppConfig, deps: PipelineDeps, site: ListSite): Promise<CycleFigures> {
  const serverBefore = await site.cpuMs();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let sourcesMs = 0;
  const onReport = (): void => void (sourcesMs = performance.now() - started);
  const { reports, siteFiles } = await runPass(config, deps, { concurrency: config.worker.concurrency, onReport });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const serverCpuMs = (await site.cpuMs()) - serverBefore;
  const outcomes = new Map<RunOutcome, number>();
  for (const r of reports) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
  return {
    name,
    wallMs,
    sourcesMs,
    cpuMs: (used.user + used.system) / 1000,
    serverCpuMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    outcomes,
    newItems: reports.reduce((sum, r) => sum + r.newItems, 0),
    written: reports.reduce((sum, r) => sum + r.written.length, 0),
    siteFiles: siteFiles.length,
    failures: reports.filter((r) => r.error !== undefined),
  };
}

function report(site: ListSite, cycles: CycleFigures[], outputDir: string): void {
  const effective = Math.min(16, HOSTS * 2);
  const idealMs = (LATENCY_MS * SOURCES) / effective;
  const first = cycles[0] as CycleFigures;
  const lines = [
    `setup: ${SOURCES} sources on ${HOSTS} hosts, ${LATENCY_MS} ms latency, worker and fetcher concurrency 16, per host 2, minDelay 0; pages: ${site.page.rows} headlines in ${site.page.chars} characters, ${(site.page.bytes / 1024).toFixed(0)} KB GBK, ${(site.page.gzipBytes / 1024).toFixed(1)} KB gzip; every ${WITHOUT_ETAG_EVERY}th page without ETag`,
    `ideal wall per cycle: ${idealMs.toFixed(0)} ms (${LATENCY_MS} ms × ${SOURCES} / ${effective})`,
  ];
  for (const cycle of cycles) {
    const outcomes = [...cycle.outcomes].map(([outcome, n]) => `${outcome} ${n}`).join(', ');
    lines.push(
      `${cycle.name}: ${outcomes}; ${cycle.newItems} new items, ${cycle.written} source feed files + ${cycle.siteFiles} site files written`,
      `  wall   ${cycle.wallMs.toFixed(0)} ms = ${(cycle.wallMs / idealMs).toFixed(2)}× the ideal   ${((SOURCES / cycle.wallMs) * 1000).toFixed(0)} sources/s   (sources done at ${cycle.sourcesMs.toFixed(0)} ms, then site files ${(cycle.wallMs - cycle.sourcesMs).toFixed(0)} ms)`,
      `  CPU    ${(cycle.cpuMs / 1000).toFixed(3)} s = ${(cycle.cpuMs / SOURCES).toFixed(2)} ms per source${cycle === first ? '' : ` = ${((cycle.cpuMs / first.cpuMs) * 100).toFixed(1)} % of cycle 1`}   (server child: ${cycle.serverCpuMs.toFixed(0)} ms)`,
      `  RSS    peak so far ${cycle.peakRssMb.toFixed(0)} MB`,
    );
  }
  lines.push(
    `output: ${readdirSync(outputDir).length} files in the output dir`,
    `machine: ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(2)} (other processes share the cores: wall figures are noisy)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  checkOutcomes(cycles);
}

/** Fails the run (exit code 1) when a cycle did not do what it was meant to. */
function checkOutcomes(cycles: CycleFigures[]): void {
  const [first, second, third] = cycles as [CycleFigures, CycleFigures, CycleFigures];
  const withoutEtag = Math.ceil(SOURCES / WITHOUT_ETAG_EVERY);
  const problems = [
    first.outcomes.get('updated') !== SOURCES && `cycle 1: expected ${SOURCES} updated`,
    second.outcomes.get('not-modified') !== SOURCES - withoutEtag &&
      `cycle 2: expected ${SOURCES - withoutEtag} not-modified`,
    second.outcomes.get('same-body') !== withoutEtag && `cycle 2: expected ${withoutEtag} same-body`,
    (third.outcomes.get('updated') !== SOURCES || third.newItems !== SOURCES) &&
      `cycle 3: expected ${SOURCES} updated with one new item each`,
    ...cycles.flatMap((c) => c.failures.slice(0, 3).map((r) => `${c.name}: ${r.sourceId}: ${r.error?.message}`)),
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length === 0) return;
  process.stdout.write(`ERROR:\n  ${problems.join('\n  ')}\n`);
  process.exitCode = 1;
}
