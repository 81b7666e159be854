/** `feedwright status`: per-source health from the store, as a table or JSON. */
import { DateTime } from 'luxon';
import { isUnhealthy } from '../health/health-rules.js';
import { describeDrift, readAllHealth, readLiveWorkers } from '../pipeline/index.js';
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
  const { config } = await loadConfigForCommand(options, { warnings: false });
  const store = await openItemStore(config.store, { logger: createCommandLogger(options) });
  let healths: SourceHealth[];
  let zones: Map<string, string>;
  let drift: string[];
  try {
    healths = await readAllHealth(
      store,
      config.sources.map((source) => source.id),
    );
    // Workers sharing this store announce their config hash every 30 s; differing ones are reported.
    drift = describeDrift(await readLiveWorkers(store, 90_000, new Date()));
    zones = new Map(config.sources.map((source) => [source.id, source.timezone]));
  } finally {
    await store.close();
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(healths, null, 2)}\n`);
  } else {
    const rows = [['SOURCE', 'STATUS', 'LAST RUN', 'LAST SUCCESS', 'FOUND', 'FAILURES', 'LAST ERROR']];
    for (const health of healths) {
      // Times in the source's own zone, as its feeds write them.
      const zone = zones.get(health.sourceId) ?? 'UTC';
      const state =
        health.status === 'failing' && health.failingSince
          ? `failing since ${shortTime(health.failingSince, zone)}`
          : health.status;
      // Which path served the last run, when it was not a plain fetch (the browser, or its earned cookies).
      const status = health.servedBy && health.servedBy !== 'fetch' ? `${state} (${health.servedBy})` : state;
      rows.push([
        health.sourceId,
        status,
        shortTime(health.lastRunAt, zone),
        shortTime(health.lastSuccessAt, zone),
        String(health.lastFound),
        String(health.consecutiveFailures),
        truncateToWidth(health.degradedReason ?? health.lastError?.message ?? health.attention ?? '', 80),
      ]);
    }
    process.stdout.write(`${formatTable(rows)}\n`);
  }
  for (const warning of drift) process.stderr.write(`warning: ${warning}\n`);
  return healths.some(isUnhealthy) ? 1 : 0;
}

// --- Internal helpers ---

/** `2026-11-30 18:44 +08:00`: minutes and the zone's offset. */
function shortTime(iso: string | undefined, zone: string): string {
  if (!iso) return '-';
  const local = DateTime.fromISO(iso, { zone });
  return local.isValid ? local.toFormat('yyyy-MM-dd HH:mm ZZ') : iso;
}
