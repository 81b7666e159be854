/**
 * Worker start-up CPU (issue 15: ≤ 0.5 s): `feedwright start --no-initial-run` of the compiled CLI
 * with 300 sources, from exec to its "worker started" log line (store open, queue open on Redis,
 * schedule set up), with an SQLite store and with redis://. CPU is the child's user + system time
 * read from /proc/<pid>/stat the moment the line appears (10 ms ticks); wall time alongside (the
 * load of other processes inflates it far more than CPU on this shared machine). `node -e 0`, timed
 * the same way, is the floor. Each case runs in fresh processes, interleaved, median of the rounds.
 * Needs Linux /proc; Redis at 127.0.0.1:6379 for the redis:// case (skipped otherwise). dist/ is
 * rebuilt first. A worker loads no fetch, extract or feed stage to start (they load at its first
 * run); a redis:// one loads BullMQ and the Redis client (@keyv/redis over node-redis). What those two
 * cost is measured in the same rounds, in a process that loads nothing else, as feedwright loads them
 * (dist/vendor/redis-libraries.cjs, the one-file bundle the build writes, and its V8 code cache, under
 * the CLI's V8 flags) and, for
 * comparison, from node_modules: the first is the library floor printed next to the redis:// figure
 * (feedwright's own share is the figure minus that floor).
 * Run: `npm run bench -- worker-startup`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient } from '@keyv/redis';
import { isRedisReachable } from '../tests/helpers/redis-probe.js';
import { CLI_V8_FLAGS } from '../bin/v8-flags.js';
import { buildDist } from './build-dist.js';
import { median } from './measure.js';

const ROUNDS = 5;
const SOURCES = 300;
const TARGET_CPU_MS = 500;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'feedwright.js');
const TICK_MS = 1000 / 100; // USER_HZ
/** A process that loads BullMQ and the Redis client as feedwright does (its bundle and code cache), or with require() from the packages, then says ready. */
const LOAD_REDIS_LIBRARIES = {
  bundle: [
    `import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'store', 'redis-library.js')).href)}).then((loader) => {`,
    'loader.loadBullMQ(); loader.loadRedisLibrary();',
    "console.log('worker started'); setInterval(() => {}, 1000); });",
  ].join(' '),
  packages: [
    `const load = require('node:module').createRequire(${JSON.stringify(join(ROOT, 'package.json'))});`,
    "load('bullmq'); load('@keyv/redis');",
    "console.log('worker started'); setInterval(() => {}, 1000);",
  ].join(' '),
};

await buildDist('worker-startup');

const dir = mkdtempSync(join(tmpdir(), 'feedwright-worker-startup-'));
const namespace = `fwbench-startup-${randomBytes(4).toString('hex')}`;
try {
  const cases: Array<{ name: string; config: string }> = [
    { name: 'SQLite store', config: writeConfig('sqlite.yaml', `sqlite://${join(dir, 'startup.sqlite')}`) },
  ];
  if (await isRedisReachable())
    cases.push({
      name: 'redis:// store',
      config: writeConfig('redis.yaml', `redis://127.0.0.1:6379?namespace=${namespace}`),
    });
  else console.log('Redis not reachable at 127.0.0.1:6379: redis:// skipped');
  const samples = cases.map(() => ({ cpu: [] as number[], wall: [] as number[] }));
  const floor = { cpu: [] as number[], wall: [] as number[] };
  const libraries = { cpu: [] as number[], wall: [] as number[] };
  const unbundled = { cpu: [] as number[], wall: [] as number[] };
  const redis = cases.some((entry) => entry.name.startsWith('redis'));
  const loadBefore = loadavg()[0] ?? 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    // Stays alive until the SIGTERM, as a worker does, so its CPU is read from a live process.
    const bare = await runUntilReady(['-e', "console.log('worker started'); setInterval(() => {}, 1000)"]);
    floor.cpu.push(bare.cpuMs);
    floor.wall.push(bare.wallMs);
    if (redis) {
      const loaded = await runUntilReady([...CLI_V8_FLAGS, '-e', LOAD_REDIS_LIBRARIES.bundle]);
      libraries.cpu.push(loaded.cpuMs);
      libraries.wall.push(loaded.wallMs);
      const fromPackages = await runUntilReady(['-e', LOAD_REDIS_LIBRARIES.packages]);
      unbundled.cpu.push(fromPackages.cpuMs);
      unbundled.wall.push(fromPackages.wallMs);
    }
    for (const [i, entry] of cases.entries()) {
      const measured = await runUntilReady([BIN, 'start', '-c', entry.config, '--no-initial-run']);
      samples[i]?.cpu.push(measured.cpuMs);
      samples[i]?.wall.push(measured.wallMs);
    }
  }
  console.log(
    `machine: ${cpus().length} cores, load average ${loadBefore.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)}`,
  );
  console.log(`feedwright start --no-initial-run, ${SOURCES} sources, compiled dist/, median of ${ROUNDS} rounds:`);
  console.log(
    `  ${'node -e (floor)'.padEnd(15)} CPU to ready ${median(floor.cpu).toFixed(0).padStart(5)} ms, wall ${median(floor.wall).toFixed(0).padStart(5)} ms`,
  );
  const floorCpu = median(floor.cpu);
  const librariesCpu = median(libraries.cpu);
  if (redis) {
    const unbundledCpu = median(unbundled.cpu);
    console.log(
      `  ${'redis libraries'.padEnd(15)} CPU to ready ${librariesCpu.toFixed(0).padStart(5)} ms, wall ${median(libraries.wall).toFixed(0).padStart(5)} ms  (bullmq + @keyv/redis from feedwright's bundle, nothing else: ${(librariesCpu - floorCpu).toFixed(0)} ms over node)`,
    );
    console.log(
      `  ${'  unbundled'.padEnd(15)} CPU to ready ${unbundledCpu.toFixed(0).padStart(5)} ms, wall ${median(unbundled.wall).toFixed(0).padStart(5)} ms  (the same from node_modules: ${(unbundledCpu - floorCpu).toFixed(0)} ms over node, ${(unbundledCpu / librariesCpu).toFixed(2)}× the bundle)`,
    );
  }
  cases.forEach((entry, i) => {
    const cpu = median(samples[i]?.cpu ?? []);
    const wall = median(samples[i]?.wall ?? []);
    const verdict = `${(cpu / TARGET_CPU_MS).toFixed(2)}× ${cpu <= TARGET_CPU_MS ? 'met' : 'MISSED'}`;
    const floorNote = entry.name.startsWith('redis')
      ? `; library floor ${librariesCpu.toFixed(0)} ms (node ${floorCpu.toFixed(0)} + bullmq/@keyv/redis ${(librariesCpu - floorCpu).toFixed(0)}), feedwright's own ${(cpu - librariesCpu).toFixed(0)} ms above it`
      : `; feedwright's own ${(cpu - floorCpu).toFixed(0)} ms above node`;
    console.log(
      `  ${entry.name.padEnd(15)} CPU to ready ${cpu.toFixed(0).padStart(5)} ms, wall ${wall.toFixed(0).padStart(5)} ms  target CPU ≤ ${TARGET_CPU_MS} ms: ${verdict}${floorNote}`,
    );
  });
} finally {
  await clearNamespace();
  rmSync(dir, { recursive: true, force: true });
}

// --- Internal helpers ---

/** Starts node with `args`, waits for "worker started", reads its CPU time, stops it with SIGTERM. */
function runUntilReady(args: string[]): Promise<{ cpuMs: number; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let done = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (done || !output.includes('worker started')) return;
      done = true;
      const wallMs = performance.now() - started;
      const cpuMs = readCpuMs(child.pid ?? 0);
      child.once('exit', () => resolve({ cpuMs, wallMs }));
      child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      if (!done) reject(new Error(`worker-startup bench: start exited with ${code} before ready:\n${output}`));
    });
  });
}

/** utime + stime of a live process, in ms (fields 14 and 15 of /proc/<pid>/stat, after the command name). */
function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function writeConfig(name: string, store: string): string {
  const sources = Array.from({ length: SOURCES }, (_, i) =>
    [
      `  - id: list-${i}`,
      `    name: 生态环境部 · 要闻动态 ${i}`,
      `    url: http://127.0.0.1:9/site-${i % 60}/list-${i}.html`,
      '    items: ul.list li',
      '    date: span.date',
    ].join('\n'),
  );
  const file = join(dir, name);
  writeFileSync(
    file,
    [
      'site:',
      '  title: Environmental policy watch',
      '  url: http://127.0.0.1:8080/',
      `store: ${store}`,
      `output: ${join(dir, 'out')}`,
      'defaults:',
      '  timezone: Asia/Shanghai',
      '  schedule: "0 3 * * *"',
      'sources:',
      ...sources,
      'feeds:',
      '  - id: air',
      '    title: 大气污染防治',
      '    sources: all',
      '    include: [大气]',
      '',
    ].join('\n'),
  );
  return file;
}

/** Deletes the bench's Redis keys (store namespace and fire queue). */
async function clearNamespace(): Promise<void> {
  if (!(await isRedisReachable())) return;
  const admin = createClient({ url: 'redis://127.0.0.1:6379' });
  await admin.connect();
  for (const pattern of [`${namespace}*`, `*${namespace}*`]) {
    for await (const keys of admin.scanIterator({ MATCH: pattern, COUNT: 1000 }))
      if (keys.length) await admin.unlink(keys);
  }
  await admin.close();
}
