/**
 * What the site files (topic feeds, `feeds.opml`, `index.html`) are built from, as one digest, and
 * the digest of the last site this process wrote. A pass in which every page was unchanged leaves
 * the digest as it was, and the rebuild then reads no history and renders nothing: reading and
 * rendering 1,000 histories was a third of such a pass's CPU.
 *
 * The digest covers the config (sources, topic feeds, site block) and, per source, its history
 * stamp (moves whenever the store writes the history), its page facts, the part of its health the
 * index page shows, and the check time the index page shows — everything the site is rendered from.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { shownHealth } from '../feed/index.js';
import type { AppConfig, SiteConfig, SourceConfig } from '../model.js';
import type { ItemStore, SourceState } from '../store/index.js';
import { initialHealth } from './source-health.js';

/** One source as the site rebuild reads it: its state and the check time the index page shows. */
export interface SiteSource {
  source: SourceConfig;
  state: SourceState;
  checkedAt?: Date;
}

/** The digest of everything the site files are rendered from. */
export function digestSiteInputs(config: AppConfig, site: SiteConfig, sources: readonly SiteSource[]): string {
  const perSource = sources.map(({ source, state, checkedAt }) => [
    state.historyStamp ?? null,
    state.page,
    shownHealth(state.health ?? initialHealth(source.id)),
    checkedAt?.getTime() ?? null,
  ]);
  return createHash('sha256')
    .update(configDigest(config))
    .update(JSON.stringify([site, perSource]))
    .digest('base64url');
}

/**
 * Whether this process last wrote the site in `outputDir` from inputs with this digest, through
 * this store, and the files are still the ones it wrote (same size and modification time: a file
 * removed or replaced by anyone else is written again).
 */
export async function isSiteCurrent(store: ItemStore, outputDir: string, digest: string): Promise<boolean> {
  const written = lastWritten.get(store)?.get(outputDir);
  if (written === undefined || written.digest !== digest) return false;
  const now = await statFiles(outputDir, [...written.files.keys()]);
  return [...written.files].every(([name, stamp]) => now.get(name) === stamp);
}

/** Remembers that the site files `names` in `outputDir` now hold the site built from inputs with this digest. */
export async function rememberSiteWritten(
  store: ItemStore,
  outputDir: string,
  digest: string,
  names: readonly string[],
): Promise<void> {
  const files = await statFiles(outputDir, names);
  let byDir = lastWritten.get(store);
  if (byDir === undefined) {
    byDir = new Map();
    lastWritten.set(store, byDir);
  }
  byDir.set(outputDir, { digest, files });
}

/** Forgets what was written to `outputDir` (a rebuild that failed partway). */
export function forgetSiteWritten(store: ItemStore, outputDir: string): void {
  lastWritten.get(store)?.delete(outputDir);
}

// --- Internal helpers ---

/** The last site written per store and output folder, with each file's size and modification time. */
const lastWritten = new WeakMap<ItemStore, Map<string, { digest: string; files: Map<string, string> }>>();

/** A config is immutable once parsed (a reload makes a new one): its digest is computed once. */
const configDigests = new WeakMap<AppConfig, string>();

function configDigest(config: AppConfig): string {
  let digest = configDigests.get(config);
  if (digest === undefined) {
    digest = createHash('sha256')
      .update(JSON.stringify({ sources: config.sources, feeds: config.feeds, site: config.site }))
      .digest('base64url');
    configDigests.set(config, digest);
  }
  return digest;
}

/** Each file's size and modification time (`missing` when it is gone). */
async function statFiles(outputDir: string, names: readonly string[]): Promise<Map<string, string>> {
  const stamps = await Promise.all(
    names.map(async (name) => {
      try {
        const info = await stat(join(outputDir, name));
        return `${info.size}:${info.mtimeMs}`;
      } catch {
        return 'missing';
      }
    }),
  );
  return new Map(names.map((name, i) => [name, stamps[i] ?? 'missing']));
}
