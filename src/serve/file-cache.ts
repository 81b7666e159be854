/**
 * In-memory cache of the published files: body, validators and compressed variants, keyed by
 * mtime + size (+ inode) so a rewrite (the feed stage renames a temp file over the old one) is seen
 * on the next request, and each version is compressed once — never per request.
 */
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import { findContentType, type ContentTypeInfo } from './content-type.js';
import { ByteBoundedLru } from './byte-bounded-lru.js';

/** A content coding the server can send. */
export type Encoding = 'br' | 'gzip';

/** One version of one published file. */
export interface CachedFile {
  name: string;
  contentType: string;
  compressible: boolean;
  body: Buffer;
  /** The strong validator of this version in each coding: the identity body's hash, `-br` / `-gz` appended for compressed ones. */
  etags: Record<Encoding | 'identity', string>;
  lastModified: string;
  /** mtime in whole seconds, as HTTP dates carry it. */
  lastModifiedMs: number;
}

/** Loads published files through the cache. */
export interface FileCache {
  /** Returns the current version of a file in the folder, or undefined when there is no such regular file. */
  load(name: string): Promise<CachedFile | undefined>;
  /** Returns the body in a coding (compressed once per version), or undefined when compressing does not pay off. */
  encode(file: CachedFile, encoding: Encoding): Promise<Buffer | undefined>;
}

/** Creates a cache over `dir` holding at most `maxBytes` of bodies (least recently used evicted first). */
export function createFileCache(dir: string, maxBytes: number): FileCache {
  const entries = new ByteBoundedLru<Entry>(maxBytes);

  return {
    async load(name) {
      const info = findContentType(name);
      if (!info) return undefined;
      const path = join(dir, name);
      const stats = await statRegularFile(path);
      if (!stats) return void entries.forget(name);
      const hit = entries.peek(name);
      if (hit && hit.mtimeMs === stats.mtimeMs && hit.size === stats.size && hit.ino === stats.ino) {
        entries.touch(name);
        return hit.file;
      }
      const entry = await readEntry(path, name, info.type, info.compressible);
      if (!entry) return void entries.forget(name);
      entries.remember(name, entry);
      return entry.file;
    },
    async encode(file, encoding) {
      const entry = entries.peek(file.name);
      if (!file.compressible || file.body.length < MIN_COMPRESS_BYTES) return undefined;
      if (!entry || entry.file !== file) return shrink(await compress(file.body, encoding), file.body);
      let pending = entry.encoded.get(encoding);
      if (!pending) {
        pending = compress(file.body, encoding).then((buffer) => {
          // Count the compressed copy only while this version is still the cached one.
          entries.grow(file.name, entry, buffer.length);
          return buffer;
        });
        entry.encoded.set(encoding, pending);
        pending.catch(() => entry.encoded.delete(encoding));
      }
      return shrink(await pending, file.body);
    },
  };
}

// --- Internal helpers ---

/** Below this, headers outweigh what compression saves. */
const MIN_COMPRESS_BYTES = 512;

interface Entry {
  file: CachedFile;
  mtimeMs: number;
  size: number;
  ino: number;
  bytes: number;
  encoded: Map<Encoding, Promise<Buffer>>;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

async function statRegularFile(path: string): Promise<{ mtimeMs: number; size: number; ino: number } | undefined> {
  try {
    const stats = await lstat(path);
    // Symlinks and folders are never served: output/ holds plain files written by the feed stage.
    return stats.isFile() ? stats : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Reads through one file handle so the body and its stat belong to the same version, even during a rename. */
async function readEntry(
  path: string,
  name: string,
  contentType: string,
  compressible: boolean,
): Promise<Entry | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ELOOP') return undefined;
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return undefined;
    const body = await handle.readFile();
    const file = toCachedFile(name, { type: contentType, compressible }, body, stats.mtimeMs);
    return { file, mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino, bytes: body.length, encoded: new Map() };
  } finally {
    await handle.close();
  }
}

/** One version of a document with its validators: strong ETags from the body's hash, so equal bodies get equal tags on every node. */
export function toCachedFile(name: string, info: ContentTypeInfo, body: Buffer, modifiedMs: number): CachedFile {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  const lastModifiedMs = Math.floor(modifiedMs / 1000) * 1000;
  return {
    name,
    contentType: info.type,
    compressible: info.compressible,
    body,
    etags: { identity: `"${hash}"`, br: `"${hash}-br"`, gzip: `"${hash}-gz"` },
    lastModified: new Date(lastModifiedMs).toUTCString(),
    lastModifiedMs,
  };
}

/** Compresses a body in a coding; undefined when it is too small or compressing does not shrink it. */
export async function encodeBody(body: Buffer, encoding: Encoding): Promise<Buffer | undefined> {
  if (body.length < MIN_COMPRESS_BYTES) return undefined;
  return shrink(await compress(body, encoding), body);
}

function compress(body: Buffer, encoding: Encoding): Promise<Buffer> {
  // Levels for a document compressed on the request that first asks for it (shared mode renders on
  // a miss): measured on a 45 KB text, gzip 9 cost 2.0 ms for 0.05 % less than gzip 6 (1.6 ms), and
  // brotli quality 9 cost 18 ms (11 costs ~10x that) for 0.7 % less than quality 5 (1.6 ms).
  if (encoding === 'gzip') return gzipAsync(body, { level: 6 });
  return brotliAsync(body, {
    params: {
      [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
      [zlibConstants.BROTLI_PARAM_QUALITY]: 5,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

function shrink(encoded: Buffer, body: Buffer): Buffer | undefined {
  return encoded.length < body.length ? encoded : undefined;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
