/**
 * `npm run bench`: runs every `bench/*.bench.ts` in its own process, one after the other (timings
 * on a 2-core machine are only comparable when benchmarks do not compete), and prints their figures.
 * `npm run bench -- fetch extract` runs only the named ones. Each runs under the V8 flags the CLI sets
 * for itself (bin/v8-flags.js), so an in-process figure is what the CLI's worker would show.
 *
 * The benchmarks' files (stores, output folders, configs) go to a folder on tmpfs (/dev/shm) when the
 * machine has one, removed at the end; FEEDWRIGHT_BENCH_TMPDIR names another parent. On the machines
 * these figures come from, / is ext4 without a journal, where creating a file scans the inodes deleted
 * in the last minute or more: after a benchmark (or a test run) had removed its files, the next one's
 * 600 feed files cost 450-600 ms of kernel CPU instead of 57-78 ms (measured with perf: ext4's
 * recently_deleted()), which swung a cold `run` by up to 2.5 ms a page. On tmpfs the same files cost
 * 17-24 ms: the figures leave out ~0.25 ms a page of a disk's own cost, and no longer depend on what
 * ran before.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_V8_FLAGS } from '../bin/v8-flags.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
/** statfs(2)'s f_type of a tmpfs. */
const TMPFS_MAGIC = 0x01021994;
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => wanted.length === 0 || wanted.includes(name.replace('.bench.ts', '')))
  .sort();

if (benches.length === 0) {
  process.stderr.write(`no benchmark matches ${wanted.join(', ')}\n`);
  process.exit(2);
}
const scratch = mkdtempSync(join(scratchParent(), 'feedwright-bench-'));
process.stdout.write(`benchmark files: ${scratch} (removed at the end)\n`);
// Ctrl-C: the running benchmark gets it and ends; this process goes on to remove the files.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const result = spawnSync(process.execPath, [...CLI_V8_FLAGS, '--import', 'tsx', `${dir}${name}`], {
    stdio: 'inherit',
    env: { ...process.env, TMPDIR: scratch },
  });
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`(${name} exited with ${result.status ?? result.signal})\n`);
  }
  // Ctrl-C reaches the benchmark too: stop there, and still remove the files (tmpfs holds them in memory).
  if (result.signal === 'SIGINT' || result.signal === 'SIGTERM') break;
}
rmSync(scratch, { recursive: true, force: true });
process.exitCode = failed > 0 ? 1 : 0;

/** FEEDWRIGHT_BENCH_TMPDIR, else /dev/shm when it is a tmpfs, else the system's temp folder. */
function scratchParent(): string {
  const chosen = process.env.FEEDWRIGHT_BENCH_TMPDIR;
  if (chosen) return chosen;
  try {
    if (statfsSync('/dev/shm').type === TMPFS_MAGIC) return '/dev/shm';
  } catch {
    // No /dev/shm (not Linux): the system's temp folder.
  }
  return tmpdir();
}
