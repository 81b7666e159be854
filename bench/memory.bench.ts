/**
 * Peak memory of a large `feedwright run` (issue 14 target: ≤ 300 MB for 1,000 sources × 50 items).
 * Run: `node --import tsx bench/memory.bench.ts`.
 *
 * 1,000 generated Chinese list pages of 60–120 KB (half GBK, half UTF-8), 50 rows each, on 50 local
 * hosts with 20 ms latency, politeness opened up (minDelay 0, robots.txt ignored) and one topic feed
 * over every source; the compiled CLI (`bin/feedwright.js`, dist/ rebuilt first) in a fresh process on
 * a fresh SQLite store, at the default worker concurrency. Two passes on the same store: the first
 * stores 50,000 items and writes 3,000 feed files plus the topic feed, OPML and the index page (which
 * read every history back); the second finds every page unchanged (304 or the same body). Printed per
 * pass: wall, CPU (user + system), CPU per source and peak RSS, read by a preloaded module at exit.
 * The site runs in a child process; its CPU and memory are not counted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSourceYaml, startListSite, type ListSite } from './list-site-server.js';
import { buildDist } from './build-dist.js';
import { runCliMeasured } from './run-cli-measured.js';

const SOURCES = 1_000;
const ROWS = 50;
const HOSTS = 50;
const LATENCY_MS = 20;
const TARGET_MB = 300;

await main();

// --- Internal helpers ---

interface PassFigures {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  items: number;
  outcomes: Map<string, number>;
}

async function main(): Promise<void> {
  await buildDist('memory');
  const site = await startListSite({
    hosts: HOSTS,
    lists: SOURCES,
    latencyMs: LATENCY_MS,
    rows: ROWS,
    bytesRange: [60_000, 120_000],
    halfUtf8: true,
    withoutEtagEvery: 2,
  });
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-memory-'));
  try {
    const file = join(dir, 'feedwright.yaml');
    writeFileSync(file, buildConfigText(site, dir));
    const first = runCold(file, dir);
    const second = runCold(file, dir);
    const problems = [
      first.outcomes.get('updated') !== SOURCES && `first pass: expected ${SOURCES} updated sources`,
      first.items !== SOURCES * ROWS && `first pass: expected ${SOURCES * ROWS} items, found ${first.items}`,
      (second.outcomes.get('not-modified') ?? 0) + (second.outcomes.get('same-body') ?? 0) !== SOURCES &&
        'second pass: expected every source unchanged',
    ].filter((problem): problem is string => typeof problem === 'string');
    process.stdout.write(
      `machine: ${cpus().length} cores, load average ${(loadavg()[0] ?? 0).toFixed(2)} (other processes share the cores)\n` +
        `${SOURCES} sources × ${ROWS} items on ${HOSTS} hosts, pages 60–120 KB (half GBK), ${LATENCY_MS} ms latency, one topic feed over all\n`,
    );
    const row = (name: string, figures: PassFigures) =>
      `  ${name.padEnd(30)} ${figures.wallMs.toFixed(0).padStart(6)} ms wall  ${(figures.cpuMs / 1000).toFixed(2).padStart(6)} s CPU ` +
      `(${(figures.cpuMs / SOURCES).toFixed(2)} ms/source)  peak RSS ${figures.peakRssMb.toFixed(0)} MB ` +
      `(target ≤ ${TARGET_MB} MB: ${figures.peakRssMb <= TARGET_MB ? 'met' : 'MISSED'})\n`;
    process.stdout.write(row('cold `run`, all new', first) + row('cold `run`, all unchanged', second));
    if (problems.length > 0) {
      process.stdout.write(`ERROR:\n  ${problems.join('\n  ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `feedwright run --json` in a fresh process (run-cli-measured.ts). */
function runCold(file: string, dir: string): PassFigures {
  const run = runCliMeasured(['run', '-c', file, '--json'], { cwd: dir, bench: 'memory' });
  const reports = JSON.parse(run.stdout) as Array<{ found: number; outcome: string }>;
  const outcomes = new Map<string, number>();
  for (const report of reports) outcomes.set(report.outcome, (outcomes.get(report.outcome) ?? 0) + 1);
  return {
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    peakRssMb: run.peakRssMb,
    items: reports.reduce((sum, report) => sum + report.found, 0),
    outcomes,
  };
}

function buildConfigText(site: ListSite, dir: string): string {
  mkdirSync(join(dir, 'output'), { recursive: true });
  const sources = Array.from({ length: SOURCES }, (_, i) =>
    listSourceYaml({ id: `list-${i}`, url: site.urlOf(i) }).join('\n'),
  );
  return [
    'site:',
    '  title: Memory',
    '  url: http://127.0.0.1:8080/',
    `store: sqlite://${join(dir, 'feedwright.sqlite')}`,
    `output: ${join(dir, 'output')}`,
    'defaults:',
    '  timezone: Asia/Shanghai',
    '  minDelay: 0ms',
    '  robots: ignore',
    'sources:',
    ...sources,
    'feeds:',
    '  - id: all-news',
    '    title: 全部要闻',
    '    sources: all',
    '',
  ].join('\n');
}
