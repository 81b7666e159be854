import { mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-ignore
import { parseConfigText } from '../dist/config/index.js';
// @ts-ignore
import { createFetcher } from '../dist/fetch/index.js';
// @ts-ignore
import { createSilentLogger } from '../dist/log.js';
// @ts-ignore
import { runPass } from '../dist/pipeline/index.js';
// @ts-ignore
import { openItemStore } from '../dist/store/index.js';
import { listSourceYaml, startListSite } from './list-site-server.js';

const site = await startListSite({ hosts: 20, lists: 200, latencyMs: 20, rows: 40, bytesRange: [60_000, 120_000], halfUtf8: true, withoutEtagEvery: 2 });
const dir = mkdtempSync(join(tmpdir(), 'fw-prof-'));
function config(sub: string, query: string) {
  const sources = Array.from({ length: 200 }, (_, i) => listSourceYaml({ id: `list-${i}`, url: site.urlOf(i, query) }).join('\n'));
  const text = ['site:', '  title: P', '  url: http://127.0.0.1:8080/', `store: sqlite://${join(dir, sub, 'f.sqlite')}`, `output: ${join(dir, sub, 'output')}`, 'worker:', '  concurrency: 8', 'defaults:', '  timezone: Asia/Shanghai', '  minDelay: 0ms', '  perHost: 8', '  robots: ignore', 'sources:', ...sources, ''].join('\n');
  return parseConfigText(text, join(dir, 'x.yaml')).config;
}
async function pass(cfg: any) {
  const store = await openItemStore(cfg.store);
  const fetcher = createFetcher({ concurrency: 8 });
  const deps = { fetcher, store, outputDir: cfg.output, site: cfg.site, now: () => new Date(), logger: createSilentLogger() };
  const c0 = process.cpuUsage();
  await runPass(cfg, deps, { concurrency: 8 });
  const c = process.cpuUsage(c0);
  await fetcher.close(); await store.close();
  return (c.user + c.system) / 1000;
}
for (let i = 0; i < 2; i++) console.log('warm-up', await pass(config(`w${i}`, `w${i}`)));
const session = new Session(); session.connect();
await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const cpu = await pass(config('m', ''));
const { profile } = await session.post('Profiler.stop');
console.log('measured pass CPU ms', cpu, 'per page', cpu / 200);
writeFileSync('/work/prof/warm.cpuprofile', JSON.stringify(profile));
await site.close?.();
process.exit(0);
