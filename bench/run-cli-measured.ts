/**
 * The compiled CLI (bin/feedwright.js) in a fresh process, with its CPU (user + system, every thread,
 * from process start) and peak RSS written by a module preloaded with `--import` when the process exits:
 * how the benchmarks time a cold command.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What a measured command printed, and what it cost. */
export interface MeasuredCommand {
  stdout: string;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
}

/** How to start it. */
export interface MeasuredCommandOptions {
  /** Working folder; the usage file is written there. */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Options for `node` before the executable (such as `--cpu-prof`). */
  nodeArgs?: string[];
  /** Names the benchmark in the error thrown when the command fails. */
  bench: string;
}

/** Runs `feedwright <args>`; throws, with the end of its stderr, when it exits other than 0. */
export function runCliMeasured(args: string[], options: MeasuredCommandOptions): MeasuredCommand {
  const usage = join(options.cwd, 'usage.json');
  const reporter =
    'data:text/javascript,' +
    encodeURIComponent(
      `import { writeFileSync } from 'node:fs'; process.on('exit', () => { const c = process.cpuUsage(); ` +
        `writeFileSync(${JSON.stringify(usage)}, JSON.stringify({ cpuMs: (c.user + c.system) / 1000, maxRss: process.resourceUsage().maxRSS })); });`,
    );
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', reporter, join(ROOT, 'bin', 'feedwright.js'), ...args],
    { cwd: options.cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: options.env ?? process.env },
  );
  const wallMs = performance.now() - started;
  if (result.status !== 0)
    throw new Error(
      `${options.bench} bench: \`feedwright ${args[0] ?? ''}\` exited with ${result.status}: ${result.stderr.slice(-2_000)}`,
    );
  const measured = JSON.parse(readFileSync(usage, 'utf8')) as { cpuMs: number; maxRss: number };
  return { stdout: result.stdout, wallMs, cpuMs: measured.cpuMs, peakRssMb: measured.maxRss / 1024 };
}
