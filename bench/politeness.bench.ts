/**
 * A politeness-bound pass: 300 sources on 60 hosts (five channels of each site, listed together in
 * the config as a user would), the default `minDelay` of 1 s between two requests to one host, 20 ms
 * of latency, robots.txt obeyed (a 404 per host). Run: `node --import tsx bench/politeness.bench.ts`.
 * `-- --config-order` also times the old way (config order, 16 at a time) for comparison; it takes
 * about a minute.
 *
 * Each host has its own loopback address (127.0.0.1–127.0.0.60) and port, served by
 * bench/list-site-server.ts in a child process. Pages are small (20 rows, no portal chrome), so the
 * pass is bound by politeness, not by CPU. The ideal is the issue's: the busiest host's sources ×
 * its delay, or the pass's CPU time, whichever is larger; target ≤ 1.3× the ideal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../src/config/index.js';
import { createFetcher } from '../src/fetch/index.js';
import { createSilentLogger } from '../src/log.js';
import type { AppConfig } from '../src/model.js';
import { runPass, runSource, type PipelineDeps } from '../src/pipeline/index.js';
import { mapWithLimit } from '../src/pipeline/map-with-limit.js';
import { openItemStore } from '../src/store/index.js';
import { listSourceYaml, startListSite, type ListSite } from './list-site-server.js';

const HOSTS = 60;
const PER_HOST = 5;
const MIN_DELAY_MS = 1_000;
const LATENCY_MS = 20;

await main();

// --- Internal helpers ---

async function main(): Promise<void> {
  const site = await startListSite({
    hosts: HOSTS,
    lists: HOSTS * PER_HOST,
    latencyMs: LATENCY_MS,
    rows: 20,
    distinctAddresses: true,
  });
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-politeness-'));
  try {
    process.stdout.write(`machine: ${cpus().length} cores, load average ${(loadavg()[0] ?? 0).toFixed(2)}\n`);
    process.stdout.write(
      `${HOSTS * PER_HOST} sources on ${HOSTS} hosts (127.0.0.1–127.0.0.${HOSTS}), minDelay ${MIN_DELAY_MS} ms, ${LATENCY_MS} ms latency\n`,
    );
    const byHost = await timePass(site, join(dir, 'by-host'), 'by host');
    const ideal = Math.max(PER_HOST * MIN_DELAY_MS, byHost.cpuMs);
    process.stdout.write(
      `  ideal (busiest host ${PER_HOST} × ${MIN_DELAY_MS} ms, or the CPU time): ${ideal.toFixed(0)} ms\n`,
    );
    process.stdout.write(`  pass / ideal: ${(byHost.wallMs / ideal).toFixed(2)}× (target ≤ 1.3×)\n`);
    if (process.argv.includes('--config-order')) {
      const old = await timePass(site, join(dir, 'config-order'), 'config order, 16 at a time (before issue 14)');
      process.stdout.write(`  config order / by host: ${(old.wallMs / byHost.wallMs).toFixed(1)}×\n`);
    }
  } finally {
    site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timePass(site: ListSite, dir: string, mode: string): Promise<{ wallMs: number; cpuMs: number }> {
  const config = buildConfig(site, dir);
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
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let failed = 0;
  if (mode === 'by host') {
    const { reports } = await runPass(config, deps, { concurrency: config.worker.concurrency });
    failed = reports.filter((report) => report.outcome === 'failed').length;
  } else {
    const reports = await mapWithLimit(config.sources, config.worker.concurrency, (source) => runSource(source, deps));
    failed = reports.filter((report) => report.outcome === 'failed').length;
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  await fetcher.close();
  await store.close();
  process.stdout.write(
    `  ${mode}: ${wallMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU${failed ? `, ${failed} FAILED` : ''}\n`,
  );
  return { wallMs, cpuMs };
}

/** The config lists each site's five channels together (site 0's five, then site 1's, …). */
function buildConfig(site: ListSite, dir: string): AppConfig {
  const sources: string[] = [];
  for (let host = 0; host < HOSTS; host++) {
    for (let channel = 0; channel < PER_HOST; channel++) {
      const list = host + HOSTS * channel; // served by host `list % HOSTS`
      sources.push(...listSourceYaml({ id: `site${host}-ch${channel}`, url: site.urlOf(list) }));
    }
  }
  const yaml = [
    'site:',
    '  title: Politeness bench',
    '  url: http://127.0.0.1:8080/',
    `store: sqlite://${join(dir, 'feedwright.sqlite')}`,
    `output: ${join(dir, 'output')}`,
    'defaults:',
    '  timezone: Asia/Shanghai',
    `  minDelay: ${MIN_DELAY_MS}ms`,
    'sources:',
    ...sources,
  ].join('\n');
  return parseConfigText(yaml, join(dir, 'feedwright.yaml')).config;
}
