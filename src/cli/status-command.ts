/** `feedwright status`: per-source health from the store, as a table or JSON. */
import { isUnhealthy, readAllHealth } from '../pipeline/index.js';
import type { SourceHealth } from '../model.js';
import { openItemStore } from '../store/index.js';
import { formatTable, truncateToWidth } from './format-table.js';
import { createCommandLogger, loadConfigForCommand, type GlobalOptions } from './services.js';

/** Options of `status`. */
export interface StatusOptions extends GlobalOptions {
  json?: boolean;
}

/** Prints every source's health; returns 1 when any source is failing or degraded. */
export async function statusCommand(options: StatusOptions): Promise<number> {
  const { config } = await loadConfigForCommand(options);
  const store = await openItemStore(config.store, { logger: createCommandLogger(options) });
  let healths: SourceHealth[];
  try {
    healths = await readAllHealth(store, config.sources.map((source) => source.id));
  } finally {
    await store.close();
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(healths, null, 2)}\n`);
  } else {
    const rows = [['SOURCE', 'STATUS', 'LAST RUN', 'LAST SUCCESS', 'FOUND', 'FAILURES', 'LAST ERROR']];
    for (const health of healths) {
      const status = health.status === 'failing' && health.failingSince ? `failing since ${shortTime(health.failingSince)}` : health.status;
      rows.push([
        health.sourceId,
        status,
        shortTime(health.lastRunAt),
        shortTime(health.lastSuccessAt),
        String(health.lastFound),
        String(health.consecutiveFailures),
        truncateToWidth(health.degradedReason ?? health.lastError?.message ?? '', 80),
      ]);
    }
    process.stdout.write(`${formatTable(rows)}\n`);
  }
  return healths.some(isUnhealthy) ? 1 : 0;
}

// --- Internal helpers ---

function shortTime(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').slice(0, 16) + 'Z' : '-';
}
