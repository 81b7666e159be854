/**
 * The workload of issue 14's peer comparison, shared by the benchmarks that run it (peer, cold-shares):
 * 200 generated Chinese list pages of 60–120 KB (half GBK, half UTF-8), 40 rows each, on 20 hosts with
 * 20 ms origin latency, and a config that opens politeness up (minDelay 0, 8 per host, robots.txt
 * ignored) so only speed counts; and a cold `feedwright run` of it in a fresh process.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSourceYaml, startListSite, type ListSite } from './list-site-server.js';
import { runCliMeasured } from './run-cli-measured.js';

export const PEER_PAGES = 200;
export const PEER_HOSTS = 20;
export const PEER_ROWS = 40;
export const PEER_LATENCY_MS = 20;
const BYTES: [number, number] = [60_000, 120_000];

/** Wall time, CPU (user + system, every thread) and peak RSS of a pass, and the items it found. */
export interface PassFigures {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  items: number;
}

/** Starts the peer site (in a child process: its CPU is not counted). */
export function startPeerSite(): Promise<ListSite> {
  return startListSite({
    hosts: PEER_HOSTS,
    lists: PEER_PAGES,
    latencyMs: PEER_LATENCY_MS,
    rows: PEER_ROWS,
    bytesRange: BYTES,
    halfUtf8: true,
    withoutEtagEvery: 2,
  });
}

/** The config of a pass over the 200 pages (their URLs carry `query`, so each pass can have its own). */
export function peerConfigText(site: ListSite, dir: string, concurrency: number, query: string): string {
  const sources = Array.from({ length: PEER_PAGES }, (_, i) =>
    listSourceYaml({ id: `list-${i}`, url: site.urlOf(i, query) }).join('\n'),
  );
  return [
    'site:',
    '  title: Peer comparison',
    '  url: http://127.0.0.1:8080/',
    `store: sqlite://${join(dir, 'feedwright.sqlite')}`,
    `output: ${join(dir, 'output')}`,
    'worker:',
    `  concurrency: ${concurrency}`,
    'defaults:',
    '  timezone: Asia/Shanghai',
    '  minDelay: 0ms',
    '  perHost: 8',
    '  robots: ignore',
    'sources:',
    ...sources,
    '',
  ].join('\n');
}

/** How to start the cold `run`. */
export interface ColdRunOptions {
  /** FEEDWRIGHT_EXTRACT_THREADS for the run; unset by default. */
  threads?: string;
  /** Options for `node` before the executable (such as `--cpu-prof`). */
  nodeArgs?: string[];
}

/**
 * `feedwright run` (the compiled CLI, bin/feedwright.js) in a fresh process on a fresh store in `dir`;
 * CPU and peak RSS reported by a preloaded module at exit. Its stderr (config warnings such as `check`'s
 * politeness warning, which fires for 200 sources on 20 hosts) is not printed.
 */
export function runColdCli(
  site: ListSite,
  dir: string,
  concurrency: number,
  options: ColdRunOptions = {},
): PassFigures {
  const file = join(dir, 'feedwright.yaml');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, peerConfigText(site, dir, concurrency, 'cold'));
  const run = runCliMeasured(['run', '-c', file, '--json'], {
    cwd: dir,
    bench: 'peer',
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    ...(options.threads === undefined ? {} : { env: { ...process.env, FEEDWRIGHT_EXTRACT_THREADS: options.threads } }),
  });
  const reports = JSON.parse(run.stdout) as Array<{ found: number }>;
  return {
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    peakRssMb: run.peakRssMb,
    items: reports.reduce((sum, report) => sum + report.found, 0),
  };
}
