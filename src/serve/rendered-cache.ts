/**
 * Shared mode: documents rendered from the store on request instead of read from output/. Each
 * request reads the document's version key (a cheap, batched stamp read, or none within the reader's
 * reuse window); a known key is answered from memory, an unknown one is rendered once (concurrent
 * requests for it wait for the same render), in the format asked for (the OPML and the index page
 * together). Compressed copies are made once per version.
 * While the store does not answer, a document rendered before is served as it was (stale, not an error).
 */
import { findContentType } from './content-type.js';
import { encodeBody, toCachedFile, type CachedFile, type Encoding, type FileCache } from './file-cache.js';
import { ByteBoundedLru } from './byte-bounded-lru.js';

/** Where rendered documents come from (the pipeline's site reader, wired in by the caller). */
export interface DocumentRenderer {
  /** The version key of a document, or undefined when there is no such document. */
  version(name: string): Promise<string | undefined>;
  /** Renders the document (and any siblings rendered with it) at their current version. */
  render(
    name: string,
  ): Promise<{ version: string; lastModified: Date; documents: Array<{ name: string; body: string }> } | undefined>;
}

/** Creates a document cache over a renderer, holding at most `maxBytes` of bodies (least recently used evicted first). */
export function createRenderedCache(renderer: DocumentRenderer, maxBytes: number): FileCache {
  const entries = new ByteBoundedLru<Entry>(maxBytes);
  const rendering = new Map<string, Promise<void>>();

  async function renderOnce(name: string, version: string): Promise<void> {
    const key = `${version}\n${name}`;
    let pending = rendering.get(key);
    if (!pending) {
      pending = (async () => {
        const rendered = await renderer.render(name);
        if (!rendered) return;
        for (const document of rendered.documents) {
          const info = findContentType(document.name);
          if (!info) continue;
          const file = toCachedFile(
            document.name,
            info,
            Buffer.from(document.body, 'utf8'),
            rendered.lastModified.getTime(),
          );
          entries.remember(document.name, {
            version: rendered.version,
            file,
            bytes: file.body.length,
            encoded: new Map(),
          });
        }
      })().finally(() => rendering.delete(key));
      rendering.set(key, pending);
    }
    await pending;
  }

  return {
    async load(name) {
      let version: string | undefined;
      try {
        version = await renderer.version(name);
      } catch (error) {
        // The store is away (a Redis outage): readers get the last version rendered here rather
        // than an error; a document never rendered on this node still fails.
        const stale = entries.peek(name);
        if (stale) return stale.file;
        throw error;
      }
      if (version === undefined) return void entries.forget(name);
      const hit = entries.peek(name);
      if (hit?.version === version) {
        entries.touch(name);
        return hit.file;
      }
      await renderOnce(name, version);
      return entries.peek(name)?.file;
    },
    async encode(file, encoding) {
      if (!file.compressible) return undefined;
      const entry = entries.peek(file.name);
      if (!entry || entry.file !== file) return encodeBody(file.body, encoding);
      let pending = entry.encoded.get(encoding);
      if (!pending) {
        pending = encodeBody(file.body, encoding).then((buffer) => {
          if (buffer) entries.grow(file.name, entry, buffer.length);
          return buffer;
        });
        entry.encoded.set(encoding, pending);
        pending.catch(() => entry.encoded.delete(encoding));
      }
      return pending;
    },
  };
}

// --- Internal helpers ---

interface Entry {
  version: string;
  file: CachedFile;
  bytes: number;
  encoded: Map<Encoding, Promise<Buffer | undefined>>;
}
