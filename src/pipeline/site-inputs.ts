/**
 * What the site files (topic feeds, `feeds.opml`, `index.html`) are built from, as one digest, and
 * the digest of the last site written to an output folder (recorded in the store). A pass in which every page was unchanged leaves
 * the digest as it was, and the rebuild then reads no history and renders nothing: reading and
 * rendering 1,000 histories was a third of such a pass's CPU.
 *
 * The digest covers feedwright's version, the config (sources, topic feeds, site block) and, per source, its history
 * stamp (moves whenever the store writes the history), its page facts, the part of its health the
 * index page shows, and the check time the index page shows — everything the site is rendered from.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { VERSION } from '../defaults/version.js';
import { shownHealth } from '../feed/index.js';
import type { AppConfig, SiteConfig, SourceConfig } from '../model.js';
import type { ItemStore, SiteState } from '../store/index.js';
import { initialHealth } from './source-health.js';

/** One source as the site rebuild reads it: its state and the check time the index page shows. */
export interface SiteSource {
  source: SourceConfig;
  state: SiteState;
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
    .update(VERSION) // another version may render the same inputs differently
    .update(configDigest(config))
    .update(JSON.stringify([site, perSource]))
    .digest('base64url');
}

/**
 * Whether the site in `outputDir` was last written, as the store records, from inputs with this digest,
 * and the files are still the ones written then (same size, modification time and inode: a file
 * removed or replaced by anyone else is written again). The record is in the store, not in this
 * process: each `run` is a new process, and it would otherwise rebuild the whole site every time.
 */
export async function isSiteCurrent(store: ItemStore, outputDir: string, digest: string): Promise<boolean> {
  const written = parseWrittenSite(await store.readWrittenSite(placeOf(outputDir)));
  if (written === undefined || written.digest !== digest) return false;
  const names = Object.keys(written.files);
  const now = await statFiles(outputDir, names);
  return names.every((name) => now.get(name) === written.files[name]);
}

/** Records that the site files `names` in `outputDir` now hold the site built from inputs with this digest. */
export async function rememberSiteWritten(
  store: ItemStore,
  outputDir: string,
  digest: string,
  names: readonly string[],
): Promise<void> {
  const files = await statFiles(outputDir, names);
  const record: WrittenSite = { digest, files: Object.fromEntries(files) };
  await store.writeWrittenSite(placeOf(outputDir), record);
}

/** Forgets what was written to `outputDir` (a rebuild is under way, and may fail partway). */
export async function forgetSiteWritten(store: ItemStore, outputDir: string): Promise<void> {
  await store.writeWrittenSite(placeOf(outputDir), undefined);
}

// --- Internal helpers ---

/** The site last written to an output folder: the digest of its inputs and each file's stamp. */
interface WrittenSite {
  digest: string;
  files: Record<string, string>;
}

/**
 * Where the site is written, as a key for its record: the machine and the folder's absolute path.
 * Workers on other machines sharing a Redis store write their own output folders.
 */
function placeOf(outputDir: string): string {
  return `${hostname()}:${resolve(outputDir)}`;
}

/** The record read back, when it has its shape (anything else counts as none: the site is rebuilt). */
function parseWrittenSite(value: unknown): WrittenSite | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { digest, files } = value as Record<string, unknown>;
  if (typeof digest !== 'string' || typeof files !== 'object' || files === null || Array.isArray(files))
    return undefined;
  const stamps = Object.values(files);
  return stamps.every((stamp) => typeof stamp === 'string')
    ? { digest, files: files as Record<string, string> }
    : undefined;
}

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

/** Each file's size, modification time and inode (`missing` when it is gone). */
async function statFiles(outputDir: string, names: readonly string[]): Promise<Map<string, string>> {
  const stamps = await Promise.all(
    names.map(async (name) => {
      try {
        const info = await stat(join(outputDir, name));
        return `${info.size}:${info.mtimeMs}:${info.ino}`;
      } catch {
        return 'missing';
      }
    }),
  );
  return new Map(names.map((name, i) => [name, stamps[i] ?? 'missing']));
}
