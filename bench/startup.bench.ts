/**
 * Start-up of the compiled CLI (what `npx feedwright` runs after `npm install` built dist/):
 * `--version`, `--help` and `check -c` of a 200-source config, each in a fresh process, against
 * `node -e 0` (the floor no CLI can beat). Run: `npm run bench -- startup`.
 *
 * dist/ is rebuilt first so the figures are those of the current sources. Runs are interleaved
 * (one of each command per round) so a burst of load from other processes hits all of them alike;
 * the median of the rounds is printed: wall time, and CPU time (user + system of the child, which
 * the load of other processes inflates far less than wall time on this shared machine). Each child
 * reports its own CPU at exit through a one-line preload (every case, the floor included, pays for
 * it). `check`'s own output (including its politeness warnings) is discarded: only its exit code is
 * checked. Targets (issue 14, wall time): `--version`/`--help` ≤ 0.25 s, `check` of 200 sources ≤ 0.5 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist } from './build-dist.js';
import { median } from './measure.js';
import { listSourceYaml } from './list-site-server.js';

const ROUNDS = 9;
const SOURCES = 200;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'feedwright.js');

/** Preload: at exit the child writes its own user + system CPU milliseconds to file descriptor 3. */
const REPORT_CPU_AT_EXIT =
  "data:text/javascript,import{writeSync}from'node:fs';process.on('exit',()=>{const u=process.cpuUsage();writeSync(3,String((u.user+u.system)/1000))})";

await main();

// --- Internal helpers ---

async function main(): Promise<void> {
  await buildDist('startup');
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-startup-'));
  try {
    const config = join(dir, 'feedwright.yaml');
    writeFileSync(config, buildConfigText(SOURCES));
    const cases: Array<{ name: string; args: string[]; target?: number }> = [
      { name: 'node -e 0 (floor)', args: ['-e', '0'] },
      { name: 'feedwright --version', args: [BIN, '--version'], target: 250 },
      { name: 'feedwright --help', args: [BIN, '--help'], target: 250 },
      { name: `feedwright check -c (${SOURCES} sources)`, args: [BIN, 'check', '-c', config], target: 500 },
    ];
    const samples = cases.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
    const loadBefore = loadavg()[0] ?? 0;
    for (let round = 0; round < ROUNDS; round++) {
      cases.forEach((entry, index) => {
        const measured = timeProcess(entry.args);
        samples[index]?.wall.push(measured.wallMs);
        samples[index]?.cpu.push(measured.cpuMs);
      });
    }
    process.stdout.write(
      `machine: ${cpus().length} cores, load average ${loadBefore.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)}\n`,
    );
    process.stdout.write(`median of ${ROUNDS} interleaved rounds, each in a fresh process (compiled dist/):\n`);
    const floorCpu = median(samples[0]?.cpu ?? []);
    cases.forEach((entry, index) => {
      const wall = median(samples[index]?.wall ?? []);
      const cpu = median(samples[index]?.cpu ?? []);
      process.stdout.write(
        `  ${entry.name.padEnd(36)} wall ${wall.toFixed(0).padStart(5)} ms, CPU ${cpu.toFixed(0).padStart(4)} ms (${(cpu / floorCpu).toFixed(1)}× node -e 0)${describeTarget(entry.target, wall, cpu)}\n`,
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each figure against the target, as a ratio: wall (the measure) and CPU (what a quiet machine would see). */
function describeTarget(target: number | undefined, wall: number, cpu: number): string {
  if (target === undefined) return '';
  const verdict = (value: number) => `${(value / target).toFixed(2)}× ${value <= target ? 'met' : 'MISSED'}`;
  return `  target ≤ ${target} ms: wall ${verdict(wall)}, CPU ${verdict(cpu)}`;
}

/** Wall and CPU milliseconds of one process run; throws when it fails. */
function timeProcess(args: string[]): { wallMs: number; cpuMs: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', REPORT_CPU_AT_EXIT, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const wallMs = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`startup bench: \`node ${args.join(' ')}\` exited with ${result.status}: ${result.stderr}`);
  const cpuMs = Number(String(result.output[3] ?? ''));
  if (!(cpuMs > 0)) throw new Error(`startup bench: \`node ${args.join(' ')}\` reported no CPU time`);
  return { wallMs, cpuMs };
}

/** A config with `count` list sources on 40 hosts, each with its own selectors, as a user would write it. */
function buildConfigText(count: number): string {
  const sources = Array.from({ length: count }, (_, i) =>
    listSourceYaml({
      id: `list-${i}`,
      name: `生态环境部 · 要闻动态 ${i}`,
      url: `http://site-${i % 40}.example.org/news/list-${i}.html`,
    }).join('\n'),
  );
  return [
    'site:',
    '  title: Environmental policy watch',
    '  url: http://127.0.0.1:8080/',
    'store: sqlite://data/feedwright.sqlite',
    'output: output',
    'defaults:',
    '  timezone: Asia/Shanghai',
    'sources:',
    ...sources,
    'feeds:',
    '  - id: air',
    '    title: 大气污染防治',
    '    sources: all',
    '    include: [大气]',
    '',
  ].join('\n');
}
