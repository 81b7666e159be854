/** `feedwright serve`: serves a config's output folder, with /healthz and /metrics. */
import { resolve } from 'node:path';
import type { AppConfig } from '../model.js';
import { initialHealth } from '../pipeline/index.js';
import { describeSchedule } from '../schedule/index.js';
import { buildHealthSnapshot, createFeedServer, type HealthSnapshot } from '../serve/index.js';
import { openItemStore, type ItemStore } from '../store/index.js';
import { createCommandLogger, loadConfigForCommand, type GlobalOptions } from './services.js';
import { UsageError } from './usage-error.js';

/** Options of `serve`. */
export interface ServeOptions extends GlobalOptions {
  host: string;
  port: string;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 8080;

/** Serves until SIGINT/SIGTERM; resolves with the exit code. */
export async function serveCommand(options: ServeOptions): Promise<number> {
  const { config } = await loadConfigForCommand(options);
  const logger = createCommandLogger(options);
  const store = await openItemStore(config.store, { logger });
  const server = createFeedServer({
    outputDir: resolve(config.output),
    // A standalone server has no worker of its own: the newest run recorded in the store stands for it.
    getHealth: () => healthSnapshotFor(config, store, undefined),
    logger,
  });
  const { url } = await server.listen(options.host, parsePort(options.port));
  process.stdout.write(`Serving ${resolve(config.output)} at ${url} (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  await store.close();
  return 0;
}

/** Parses `host:port`, `:port`, `port` or nothing (127.0.0.1:8080). */
export function parseListenAddress(value: string | undefined): { host: string; port: number } {
  if (!value) return { host: DEFAULT_HOST, port: DEFAULT_PORT };
  const match = /^(?:\[?([^\]]*?)\]?:)?(\d+)$/.exec(value.trim());
  if (!match) throw new UsageError(`invalid listen address "${value}"`, 'Expected host:port, e.g. 127.0.0.1:8080.');
  return { host: match[1] || DEFAULT_HOST, port: parsePort(match[2] ?? '') };
}

/** The /healthz document from the store's health records. */
export async function healthSnapshotFor(config: AppConfig, store: ItemStore, lastCompletedAt: Date | undefined, startedAt?: Date): Promise<HealthSnapshot> {
  const sources = await Promise.all(config.sources.map(async (source) => (await store.getHealth(source.id)) ?? initialHealth(source.id)));
  const newestRun = sources.reduce<Date | undefined>((newest, health) => {
    const at = health.lastRunAt ? new Date(health.lastRunAt) : undefined;
    return at && (!newest || at > newest) ? at : newest;
  }, undefined);
  const longestIntervalMs = Math.max(...config.sources.map((source) => describeSchedule(source.schedule).maxIntervalMs ?? source.intervalMs));
  return buildHealthSnapshot({ sources, lastCompletedAt: lastCompletedAt ?? newestRun, longestIntervalMs, now: new Date(), startedAt });
}

// --- Internal helpers ---

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`invalid port "${value}"`, 'Expected a number from 0 to 65535.');
  return port;
}
