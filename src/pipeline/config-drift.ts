/**
 * Config drift between workers sharing a store: each worker publishes a hash of its config (on a
 * heartbeat); a live worker whose hash differs from another's is reported, because two workers
 * running different rules make items flip between their versions.
 */
import { createHash } from 'node:crypto';
import type { AppConfig } from '../model.js';
import type { ItemStore } from '../store/index.js';

/** One worker as it announced itself. */
export interface WorkerAnnouncement {
  worker: string;
  configHash: string;
  /** Config file the worker loaded (for the operator). */
  file: string;
  at: string;
}

/** Hash of what decides a worker's behaviour: the resolved config without where it was read from. */
export function hashConfig(config: AppConfig): string {
  const { file: _file, ...rest } = config;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 12);
}

/** Records this worker's announcement; workers not heard from for `liveMs` are dropped. Returns the live workers. */
export async function announceWorker(
  store: ItemStore,
  me: WorkerAnnouncement,
  liveMs: number,
  now: Date,
): Promise<WorkerAnnouncement[]> {
  // Read-modify-write on one shared record: a lost update heals on the next heartbeat.
  const known = await readLiveWorkers(store, liveMs, now);
  const next = [...known.filter((entry) => entry.worker !== me.worker), me].sort((a, b) =>
    a.worker.localeCompare(b.worker),
  );
  await store.writeWorkerAnnouncements(next, liveMs * 2);
  return next;
}

/** Workers heard from within `liveMs`. */
export async function readLiveWorkers(store: ItemStore, liveMs: number, now: Date): Promise<WorkerAnnouncement[]> {
  const raw = await store.readWorkerAnnouncements();
  const all = Array.isArray(raw) ? raw.filter(isAnnouncement) : [];
  return all.filter((entry) => now.getTime() - Date.parse(entry.at) <= liveMs);
}

/** One warning per worker whose config differs from the most common one (or from `mine`, when given). */
export function describeDrift(workers: readonly WorkerAnnouncement[], mine?: string): string[] {
  const hashes = new Set(workers.map((entry) => entry.configHash));
  if (hashes.size <= 1 && (mine === undefined || hashes.has(mine) || hashes.size === 0)) return [];
  const reference = mine ?? mostCommon(workers.map((entry) => entry.configHash));
  return workers
    .filter((entry) => entry.configHash !== reference)
    .map(
      (entry) =>
        `worker ${entry.worker} runs a different config (${entry.file}, hash ${entry.configHash}; expected ${reference}): make every worker load the same config`,
    );
}

// --- Internal helpers ---

function isAnnouncement(value: unknown): value is WorkerAnnouncement {
  const entry = value as Partial<WorkerAnnouncement> | null;
  return (
    typeof entry?.worker === 'string' &&
    typeof entry.configHash === 'string' &&
    typeof entry.file === 'string' &&
    typeof entry.at === 'string'
  );
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
}
