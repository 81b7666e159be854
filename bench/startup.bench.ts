/**
 * Start-up of the compiled CLI (what `npx feedwright` runs after `npm install` built dist/):
 * `--version`, `--help` and `check -c` of a 200-source config, each in a fresh process, against
 * `node -e 0` (the floor no CLI can beat). Run: `node --import tsx bench/startup.bench.ts`.
 *
 * dist/ is rebuilt first so the figures are those of the current sources. Runs are interleaved
 * (one of each command per round) so a burst of load from other processes hits all of them alike;
 * the median of the rounds is printed. `check`'s own output (including its politeness warnings) is
 * discarded: only its exit code is checked. Targets (issue 14): `--version`/`--help` ≤ 0.25 s,
 * `check` of 200 sources ≤ 0.5 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './measure.js';

const ROUNDS = 9;
const SOURCES = 200;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'feedwright.js');

await main();

// --- Internal helpers ---

async function main(): Promise<void> {
  const build = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (build.status !== 0) throw new Error('startup bench: `tsc -p tsconfig.build.json` failed; fix the build first');
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
    const times = cases.map(() => [] as number[]);
    const loadBefore = loadavg()[0] ?? 0;
    for (let round = 0; round < ROUNDS; round++) {
      cases.forEach((entry, index) => times[index]?.push(timeProcess(entry.args)));
    }
    process.stdout.write(
      `machine: ${cpus().length} cores, load average ${loadBefore.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)}\n`,
    );
    process.stdout.write(`median wall of ${ROUNDS} interleaved rounds, each in a fresh process (compiled dist/):\n`);
    const floor = median(times[0] ?? []);
    cases.forEach((entry, index) => {
      const wall = median(times[index] ?? []);
      const verdict =
        entry.target === undefined ? '' : `  target ≤ ${entry.target} ms: ${wall <= entry.target ? 'met' : 'MISSED'}`;
      process.stdout.write(
        `  ${entry.name.padEnd(36)} ${wall.toFixed(0).padStart(5)} ms  (${(wall / floor).toFixed(1)}× node -e 0)${verdict}\n`,
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall milliseconds of one process run; throws when it fails. */
function timeProcess(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`startup bench: \`node ${args.join(' ')}\` exited with ${result.status}: ${result.stderr}`);
  return wall;
}

/** A config with `count` list sources on 40 hosts, each with its own selectors, as a user would write it. */
function buildConfigText(count: number): string {
  const sources = Array.from({ length: count }, (_, i) =>
    [
      `  - id: list-${i}`,
      `    name: 生态环境部 · 要闻动态 ${i}`,
      `    url: http://site-${i % 40}.example.org/news/list-${i}.html`,
      '    items: ul.list li',
      '    title: a',
      '    link: a@href',
      '    date: span.date',
    ].join('\n'),
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
