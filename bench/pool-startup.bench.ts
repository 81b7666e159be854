/**
 * What an extraction pool costs to start (issue 14: small configs must not pay for it; README:
 * Extraction threads): in a fresh `node` with the CLI's V8 flags set as bin/feedwright.js sets them,
 * the compiled pool (dist/, rebuilt first) is started with 1 and 2 threads and extracts one small list
 * page on each thread; CPU (user + system, every thread) and wall from before the pool starts until
 * every thread has answered. The same with the threads running the modules instead of the thread's
 * bundle (dist/pipeline/extract-worker.cjs set aside for those runs, as a build without it would
 * leave it), and, as the floor, the page extracted in the main thread of a fresh process. Each case
 * runs in fresh processes, interleaved, median of the rounds.
 * Run: `npm run bench -- pool-startup`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI_V8_FLAGS } from '../bin/v8-flags.js';
import { buildDist } from './build-dist.js';
import { median } from './measure.js';

const ROUNDS = 5;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const BUNDLE = join(DIST, 'pipeline', 'extract-worker.cjs');
const SET_ASIDE = `${BUNDLE}.set-aside`;

await buildDist('pool-startup');
const cases = [
  { name: 'in the main thread (floor)', threads: 0, bundle: true },
  { name: '1 thread, bundle', threads: 1, bundle: true },
  { name: '2 threads, bundle', threads: 2, bundle: true },
  { name: '1 thread, modules', threads: 1, bundle: false },
  { name: '2 threads, modules', threads: 2, bundle: false },
];
const samples = cases.map(() => ({ cpu: [] as number[], wall: [] as number[] }));
const loadBefore = loadavg()[0] ?? 0;
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [i, entry] of cases.entries()) {
      setBundleAside(!entry.bundle);
      const measured = measureStart(entry.threads);
      samples[i]?.cpu.push(measured.cpuMs);
      samples[i]?.wall.push(measured.wallMs);
    }
  }
} finally {
  setBundleAside(false);
}
console.log(
  `machine: ${cpus().length} cores, load average ${loadBefore.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)}`,
);
console.log(`a pool started and one small list page extracted on each thread, fresh process, median of ${ROUNDS}:`);
const floorCpu = median(samples[0]?.cpu ?? []);
cases.forEach((entry, i) => {
  const cpu = median(samples[i]?.cpu ?? []);
  const wall = median(samples[i]?.wall ?? []);
  const extra = i === 0 ? '' : `  (${(cpu - floorCpu).toFixed(0)} ms over the floor)`;
  console.log(
    `  ${entry.name.padEnd(28)} CPU ${cpu.toFixed(0).padStart(4)} ms, wall ${wall.toFixed(0).padStart(4)} ms${extra}`,
  );
});

// --- Internal helpers ---

/** Moves the thread's bundle out of the way (the thread then runs the modules), or back. */
function setBundleAside(aside: boolean): void {
  if (aside && existsSync(BUNDLE)) renameSync(BUNDLE, SET_ASIDE);
  if (!aside && existsSync(SET_ASIDE)) renameSync(SET_ASIDE, BUNDLE);
}

/** One fresh process: `threads` 0 extracts in its main thread; CPU and wall from before the pool's start. */
function measureStart(threads: number): { cpuMs: number; wallMs: number } {
  const module = (path: string) => JSON.stringify(pathToFileURL(join(DIST, path)).href);
  const script = [
    `import { setFlagsFromString } from 'node:v8';`,
    `for (const flag of ${JSON.stringify(CLI_V8_FLAGS)}) setFlagsFromString(flag);`,
    `const { startExtractPool, extractInProcess } = await import(${module('pipeline/extract-pool.js')});`,
    `const { parseSourceSelectors } = await import(${module('field-selector/parse-field-selector.js')});`,
    `const rows = Array.from({ length: 40 }, (_, i) => '<li><a href="/news/' + i + '.html">生态环境部印发《关于第' + i + '号文件的通知》</a><span class="date">2019-08-27</span></li>');`,
    `const input = { body: '<html><body><ul class="list">' + rows.join('') + '</ul></body></html>', contentType: 'text/html; charset=utf-8', url: 'http://127.0.0.1/list.html' };`,
    `const options = { sourceId: 'bench', type: 'html', selectors: parseSourceSelectors({ items: 'ul.list li', date: 'span.date' }), timezone: 'Asia/Shanghai', now: new Date(), replace: [], summaryLength: 200 };`,
    `const cpu = () => { const used = process.cpuUsage(); return (used.user + used.system) / 1000; };`,
    `const cpuBefore = cpu();`,
    `const started = performance.now();`,
    `const pool = ${threads} > 0 ? await startExtractPool(${threads}) : undefined;`,
    `const extract = pool ? pool.extract : extractInProcess;`,
    `const found = await Promise.all(Array.from({ length: Math.max(${threads}, 1) }, () => extract(input, options)));`,
    `const measured = { cpuMs: cpu() - cpuBefore, wallMs: performance.now() - started };`,
    `await pool?.close();`,
    `if (found.some((result) => result.items.length !== 40)) process.exit(4);`,
    `console.log(JSON.stringify(measured));`,
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0)
    throw new Error(`pool-startup bench: the process exited with ${run.status}: ${run.stderr.slice(-2_000)}`);
  return JSON.parse(run.stdout) as { cpuMs: number; wallMs: number };
}
