/** `feedwright serve`: serves a config's output folder, with /healthz and /metrics. */
import { resolve } from 'node:path';
import { readAllHealth } from '../pipeline/index.js';
import { createFeedServer, createHealthReader } from '../serve/index.js';
import { openItemStore } from '../store/index.js';
import { parsePort } from './listen-address.js';
import { createCommandLogger, loadConfigForCommand, type GlobalOptions } from './services.js';

/** Options of `serve`. */
export interface ServeOptions extends GlobalOptions {
  host: string;
  port: string;
}

/** Serves until SIGINT/SIGTERM; resolves with the exit code. */
export async function serveCommand(options: ServeOptions): Promise<number> {
  const { config } = await loadConfigForCommand(options, { warnings: false });
  const logger = createCommandLogger(options);
  const store = await openItemStore(config.store, { logger });
  const server = createFeedServer({
    outputDir: resolve(config.output),
    // A standalone server has no worker of its own: the newest run recorded in the store stands for it.
    getHealth: createHealthReader({ sources: () => config.sources, readHealth: (ids) => readAllHealth(store, ids) }),
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
