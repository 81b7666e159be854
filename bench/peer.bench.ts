/**
 * The peer-comparison workload of issue 14 (peer-workload.ts), with no peer installed: 200 generated Chinese list pages
 * of 60–120 KB (half GBK, half UTF-8), 40 rows each, 20 ms origin latency, politeness opened up
 * (minDelay 0, 8 per host, robots.txt ignored) so only speed counts, a fresh store for each pass.
 * Run: `node --import tsx bench/peer.bench.ts`.
 *
 * - floor: cheerio on htmlparser2, parse + select only (the rows, title, link, date), in this
 *   process, on the decoded pages: the least any cheerio-based extractor must spend per page.
 * - cold floor: the floor's parse + select in a fresh `node` under the CLI's V8 flags (cold-floor-child.js),
 *   one pass over the 200 pages, its CPU counted from process start as a cold `run`'s is: what cheerio
 *   alone costs a process that has not warmed up (V8 compiling and optimising the parser, the heap
 *   growing), with the trees kept as the floor keeps them and emptied as extraction empties them; and
 *   emptied, sitting idle 20 ms before each page as a `run` at concurrency 1 waits for each answer
 *   (short bursts of work after an idle wait run slower on this VM), which c=1 is also held against.
 * - warm process (no extraction threads; one more pass with one per core): `runPass` in this process
 *   after a warm-up pass over 200 other URLs (V8 has compiled the hot paths, as in a long-running
 *   worker): fetch, decode, extract, dedupe, record, RSS + Atom + JSON Feed, writes. CPU per page = this process's CPU over the pass / 200; the median
 *   of three such passes, each over its own URLs into a fresh store.
 * - steady state: the same pass again, every page answering 304 or an identical body, nine times in a
 *   row; the figure is their median (the mean is printed too). Before the full pass, the warm-up sources also ran 30 unchanged
 *   passes, so V8 has compiled that path too, as in a worker that has run for a while: in a fresh
 *   process V8 goes on optimising functions of the 304 path, about eight a pass, for some 20 unchanged
 *   passes (--trace-opt), and those passes cost up to twice as much. The first unchanged pass of the
 *   process is printed too.
 * - cold `run`: the compiled CLI (`bin/feedwright.js`, dist/ rebuilt first) in a fresh process, at
 *   `worker.concurrency` 1 and 8 as shipped (no extraction threads), and at 8 with a pool of one
 *   thread and of one per core (FEEDWRIGHT_EXTRACT_THREADS=0 / 1 / cores): wall, CPU (user + system,
 *   all threads) and peak RSS, read by a preloaded module at exit. Its stderr (config warnings such as
 *   `check`'s politeness warning, which fires for 200 sources on 20 hosts) is kept out of this output.
 * The site runs in a child process; its CPU is not counted. Runs of one kind are interleaved with
 * the others where they are repeated, and every ratio is between figures of this one run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { parseConfigText } from '../src/config/index.js';
import { createFetcher } from '../src/fetch/index.js';
import { createSilentLogger } from '../src/log.js';
import type { AppConfig } from '../src/model.js';
import { runPass, type PipelineDeps } from '../src/pipeline/index.js';
import { defaultPoolThreads } from '../src/pipeline/extract-pool.js';
import { openItemStore } from '../src/store/index.js';
import type { ListSite } from './list-site-server.js';
import {
  PEER_HOSTS,
  PEER_LATENCY_MS,
  PEER_PAGES,
  PEER_ROWS,
  peerConfigText,
  runColdCli,
  startPeerSite,
  type PassFigures,
} from './peer-workload.js';
import { CLI_V8_FLAGS } from '../bin/v8-flags.js';
import { buildDist } from './build-dist.js';
import { parseAndSelect } from './floor-select.js';
import { mean, median } from './measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Unchanged passes in a row, after the full pass, whose median is the steady-state figure. */
const STEADY_PASSES = 9;
/** Unchanged passes the warm-up sources run first (see the header). */
const UNCHANGED_WARM_UPS = 30;

await main();

// --- Internal helpers ---

async function main(): Promise<void> {
  await buildDist('peer');
  const site = await startPeerSite();
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-peer-'));
  try {
    const pages = await downloadPages(site);
    const sizes = pages.map((page) => page.bytes).sort((a, b) => a - b);
    process.stdout.write(
      `machine: ${cpus().length} cores, load average ${(loadavg()[0] ?? 0).toFixed(2)} (other processes share the cores)\n`,
    );
    process.stdout.write(
      `${PEER_PAGES} pages on ${PEER_HOSTS} hosts, ${PEER_ROWS} rows, ${(sizes[0]! / 1024).toFixed(0)}–${(sizes.at(-1)! / 1024).toFixed(0)} KB ` +
        `(half GBK, half UTF-8), ${PEER_LATENCY_MS} ms latency\n`,
    );
    const threads = cpus().length;
    // Interleaved: pool of one thread, then one thread per core, twice.
    const coldOne = [runColdCli(site, join(dir, 'cold-8-one-a'), 8, { threads: '1' })];
    const cold8 = [runColdCli(site, join(dir, 'cold-8-a'), 8, { threads: String(threads) })];
    coldOne.push(runColdCli(site, join(dir, 'cold-8-one-b'), 8, { threads: '1' }));
    cold8.push(runColdCli(site, join(dir, 'cold-8-b'), 8, { threads: String(threads) }));
    // As shipped: no extraction threads.
    const cold1 = runColdCli(site, join(dir, 'cold-1'), 1, { threads: '0' });
    const cold8no = runColdCli(site, join(dir, 'cold-8'), 8, { threads: '0' });
    // The cold floors, twice each, interleaved; the lower figure of each counts.
    const pagesDir = writeDecodedPages(pages, join(dir, 'pages'));
    const coldFloors = { kept: [] as PassFigures[], released: [] as PassFigures[], idle: [] as PassFigures[] };
    for (let round = 0; round < 2; round++) {
      coldFloors.kept.push(runColdFloor(pagesDir, false));
      coldFloors.released.push(runColdFloor(pagesDir, true));
      coldFloors.idle.push(runColdFloor(pagesDir, true, PEER_LATENCY_MS));
    }
    const warm = await runWarm(site, dir);
    // The floors are measured after the warm passes, released first: parse + select without the release
    // promotes every tree, and V8 then allocates the parser's nodes straight into the old generation
    // (allocation-site pretenuring) for the rest of the process, which slowed every later parse in it
    // (released after plain: 4.3-6.6 ms a page; released alone: 2.2-3.9 ms).
    const releasedFloorMs = measureFloor(
      pages.map((page) => page.html),
      true,
    );
    const floorMs = measureFloor(pages.map((page) => page.html));
    process.stdout.write(
      `floor (cheerio on htmlparser2, parse + select, warm): ${floorMs.toFixed(2)} ms CPU per page\n`,
    );
    process.stdout.write(
      `  the same with each tree emptied after the select (as extraction does, see DocumentScope): ${releasedFloorMs.toFixed(2)} ms ` +
        `(${(floorMs / releasedFloorMs).toFixed(2)}× less; the ratios below are against the first floor)\n`,
    );
    const perPage = (figures: PassFigures) => figures.cpuMs / PEER_PAGES;
    const row = (name: string, figures: PassFigures) =>
      `  ${name.padEnd(26)} ${figures.wallMs.toFixed(0).padStart(6)} ms wall  ${perPage(figures).toFixed(2).padStart(6)} ms CPU/page ` +
      `(${(perPage(figures) / floorMs).toFixed(2)}× floor)  peak RSS ${figures.peakRssMb.toFixed(0)} MB  ${figures.items} items`;
    const best = (runs: PassFigures[]) => runs.reduce((a, b) => (a.wallMs <= b.wallMs ? a : b));
    const leastCpu = (runs: PassFigures[]) => runs.reduce((a, b) => (a.cpuMs <= b.cpuMs ? a : b));
    const keptCold = leastCpu(coldFloors.kept);
    const releasedCold = leastCpu(coldFloors.released);
    process.stdout.write(
      `  cold floor: the floor's parse + select in a fresh process (same V8 flags, one pass, CPU from process start, as a cold \`run\`): ` +
        `${perPage(keptCold).toFixed(2)} ms a page (${(perPage(keptCold) / floorMs).toFixed(2)}× floor); ` +
        `each tree emptied: ${perPage(releasedCold).toFixed(2)} ms (${(perPage(releasedCold) / floorMs).toFixed(2)}× floor) ` +
        `(lower of 2 each: ${coldFloors.kept.map((f) => perPage(f).toFixed(2)).join(', ')} / ${coldFloors.released.map((f) => perPage(f).toFixed(2)).join(', ')} ms)\n`,
    );
    const idleCold = leastCpu(coldFloors.idle);
    process.stdout.write(
      `  the same, trees emptied, idle ${PEER_LATENCY_MS} ms before each page (as c=1 waits for each answer): ` +
        `${perPage(idleCold).toFixed(2)} ms (${(perPage(idleCold) / perPage(releasedCold)).toFixed(2)}× the cold floor without the waits: ` +
        `this machine runs short bursts after an idle wait slower)\n`,
    );
    process.stdout.write(`${row('cold `run`, c=1', cold1)}\n${row('cold `run`, c=8', cold8no)}\n`);
    process.stdout.write(
      `  cold \`run\`, c=1, against the cold floor with the same idle waits: ${(perPage(cold1) / perPage(idleCold)).toFixed(2)}×\n`,
    );
    process.stdout.write(
      `  cold \`run\`, c=8, against the cold floor with trees emptied: ${(perPage(cold8no) / perPage(releasedCold)).toFixed(2)}× ` +
        `(all the rest of the pass: ${(perPage(cold8no) - perPage(releasedCold)).toFixed(2)} ms a page)\n`,
    );
    process.stdout.write(
      `${row('cold `run`, c=8, 1 thread', best(coldOne))}\n${row(`cold \`run\`, c=8, ${threads} threads`, best(cold8))}\n` +
        `  (FEEDWRIGHT_EXTRACT_THREADS=auto starts ${defaultPoolThreads()} here: one per core beyond the main thread's)\n`,
    );
    process.stdout.write(
      `${row('warm process, c=8', warm.full)} (median of 3 passes: ${warm.fulls.map((f) => perPage(f).toFixed(2)).join(', ')} ms)\n` +
        `${row(`warm process, c=8, ${threads} threads`, warm.pooled)}\n`,
    );
    const wallRatio = best(cold8).wallMs / best(coldOne).wallMs;
    // The pass on one extraction thread already runs on more than one core (the main thread fetches,
    // stores and writes while the thread extracts). More threads do not need less CPU than one (each
    // thread loads and warms up its own copy of the extractors), so they cannot bring the wall time
    // below that CPU time spread over every core.
    const oneThread = best(coldOne);
    const bound = oneThread.cpuMs / cpus().length / oneThread.wallMs;
    process.stdout.write(
      `  c=8 wall, ${threads} threads / 1 thread (best of 2 each): ${wallRatio.toFixed(2)} (target ≤ 0.6); ` +
        `the 1-thread pass kept ${(oneThread.cpuMs / oneThread.wallMs).toFixed(2)} cores busy, so no pool on ` +
        `${cpus().length} cores can go below ${bound.toFixed(2)}\n`,
    );
    const share = (figures: PassFigures) =>
      `${figures.cpuMs.toFixed(0)} ms CPU = ${((figures.cpuMs / warm.full.cpuMs) * 100).toFixed(1)} %`;
    const steadyMs = warm.steady.map((figures) => figures.cpuMs);
    // The median, as for the full pass: one pass caught by a stall of this VM (twice the others) moved
    // the mean of six by a tenth. The mean is printed too.
    const steadyMedian = median(steadyMs);
    process.stdout.write(
      `  steady state (304 / same body), median of ${steadyMs.length} passes after a full pass, against the median full pass: ${share({ ...warm.full, cpuMs: steadyMedian })}; ` +
        `mean ${((mean(steadyMs) / warm.full.cpuMs) * 100).toFixed(1)} % (passes: ${steadyMs.map((ms) => ms.toFixed(0)).join(', ')} ms)\n` +
        `  the first unchanged pass of a fresh process (before V8 has optimised that path): ${share(warm.firstUnchanged)}\n`,
    );
    process.stdout.write('targets: warm ≤ 2.0× floor, cold ≤ 2.5× floor, steady ≤ 5 %, peak RSS ≤ 200 MB\n');
  } finally {
    site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The pages as a reader gets them: decoded by their Content-Type charset. */
async function downloadPages(site: ListSite): Promise<Array<{ html: string; bytes: number }>> {
  const pages: Array<{ html: string; bytes: number }> = [];
  for (let list = 0; list < PEER_PAGES; list++) {
    const response = await fetch(site.urlOf(list, 'floor'));
    const body = Buffer.from(await response.arrayBuffer());
    const charset = /charset=([^;]+)/i.exec(response.headers.get('content-type') ?? '')?.[1] ?? 'utf-8';
    pages.push({ html: iconv.decode(body, charset), bytes: body.length });
  }
  return pages;
}

/** CPU ms per page of parse + select (floor-select.js); the best of five passes (the first ones warm V8 up). */
function measureFloor(pages: string[], release = false): number {
  let best = Infinity;
  let rows = 0;
  for (let pass = 0; pass < 5; pass++) {
    const started = process.cpuUsage();
    rows = 0;
    for (const html of pages) rows += parseAndSelect(html, release);
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000 / pages.length);
  }
  if (rows !== PEER_PAGES * PEER_ROWS)
    throw new Error(`peer bench: the floor found ${rows} rows, expected ${PEER_PAGES * PEER_ROWS}`);
  return best;
}

/**
 * Warm-up passes (one full, then unchanged ones, on other URLs), then the measured full pass and the
 * steady-state passes, all in this process.
 */
async function runWarm(
  site: ListSite,
  dir: string,
): Promise<{
  full: PassFigures;
  fulls: PassFigures[];
  steady: PassFigures[];
  firstUnchanged: PassFigures;
  pooled: PassFigures;
}> {
  const warmUp = buildConfig(site, join(dir, 'warm-up'), 8, 'warm');
  await timePass(warmUp);
  // The first unchanged pass of this process: the 304 path has not run before.
  const firstUnchanged = await timePass(warmUp);
  for (let pass = 1; pass < UNCHANGED_WARM_UPS; pass++) await timePass(warmUp);
  // Full passes over three sets of URLs (each a fresh store, every item new); the median is the figure.
  const fulls: PassFigures[] = [];
  for (const name of ['warm-a', 'warm-b']) fulls.push(await timePass(buildConfig(site, join(dir, name), 8, name)));
  const config = buildConfig(site, join(dir, 'warm'), 8, '');
  fulls.push(await timePass(config));
  const full = [...fulls].sort((a, b) => a.cpuMs - b.cpuMs)[1]!;
  const steady: PassFigures[] = [];
  for (let pass = 0; pass < STEADY_PASSES; pass++) steady.push(await timePass(config));
  // A pass on a pool (its threads started by the pass, under tsx: their start-up is counted).
  const pooled = await timePass(buildConfig(site, join(dir, 'warm-pooled'), 8, 'pooled'), String(cpus().length));
  return { full, fulls, steady, firstUnchanged, pooled };
}

/**
 * One pass in this process with FEEDWRIGHT_EXTRACT_THREADS set to `threads` for it (none by default:
 * the CPU figures are then the main thread's work alone, whatever the operator's environment says).
 */
async function timePass(config: AppConfig, threads = '0'): Promise<PassFigures> {
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
  const saved = process.env.FEEDWRIGHT_EXTRACT_THREADS;
  process.env.FEEDWRIGHT_EXTRACT_THREADS = threads;
  try {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const { reports } = await runPass(config, deps, { concurrency: config.worker.concurrency });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const failed = reports.filter((report) => report.error);
    if (failed.length > 0)
      throw new Error(`peer bench: ${failed.length} sources failed, e.g. ${failed[0]?.error?.message}`);
    const items = reports.reduce((sum, report) => sum + report.found, 0);
    return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024, items };
  } finally {
    if (saved === undefined) delete process.env.FEEDWRIGHT_EXTRACT_THREADS;
    else process.env.FEEDWRIGHT_EXTRACT_THREADS = saved;
    await fetcher.close();
    await store.close();
  }
}

/** Writes each decoded page as UTF-8 (0.html, 1.html, …) for the cold floor's process; returns the folder. */
function writeDecodedPages(pages: Array<{ html: string }>, folder: string): string {
  mkdirSync(folder, { recursive: true });
  pages.forEach((page, index) => writeFileSync(join(folder, `${index}.html`), page.html));
  return folder;
}

/** The floor's parse + select in a fresh `node` under the CLI's V8 flags (cold-floor-child.js). */
function runColdFloor(pagesDir: string, release: boolean, idleMs = 0): PassFigures {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      ...CLI_V8_FLAGS,
      join(ROOT, 'bench', 'cold-floor-child.js'),
      pagesDir,
      String(PEER_PAGES),
      release ? 'release' : 'keep',
      String(idleMs),
    ],
    { encoding: 'utf8' },
  );
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`peer bench: the cold floor exited with ${result.status}: ${result.stderr}`);
  const measured = JSON.parse(result.stdout) as { rows: number; cpuMs: number; maxRss: number };
  if (measured.rows !== PEER_PAGES * PEER_ROWS)
    throw new Error(`peer bench: the cold floor found ${measured.rows} rows, expected ${PEER_PAGES * PEER_ROWS}`);
  return { wallMs, cpuMs: measured.cpuMs, peakRssMb: measured.maxRss / 1024, items: measured.rows };
}

function buildConfig(site: ListSite, dir: string, concurrency: number, query: string): AppConfig {
  return parseConfigText(peerConfigText(site, dir, concurrency, query), join(dir, 'feedwright.yaml')).config;
}
