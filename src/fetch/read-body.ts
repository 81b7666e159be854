/**
 * Reads a response body under a byte cap and a whole-body deadline, aborting the transfer (not
 * just the parse) when either is exceeded, then undoes Content-Encoding (gzip, deflate, br).
 */
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { brotliDecompress, brotliDecompressSync, gunzip, gunzipSync, inflate, inflateRaw, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';
import { FetchFailureSignal } from './fetch-error.js';

/** Limits for one body. */
export interface BodyLimits {
  /** Cap on bytes received and on bytes after decompression. */
  maxBytes: number;
  /** Time allowed for the whole body, from the response headers on. */
  deadlineMs: number;
}

/** A body as received and as decoded. */
export interface ReadBodyResult {
  /** The body after Content-Encoding was undone. */
  bytes: Buffer;
  /** Bytes that came over the wire. */
  wireBytes: number;
}

/** Reads and decompresses a body; throws FetchFailureSignal (too-large, body-deadline, content-encoding). */
export async function readBody(body: Readable, contentEncoding: string | undefined, limits: BodyLimits): Promise<ReadBodyResult> {
  const raw = await collectBody(body, limits);
  const bytes = await decompressBody(raw, contentEncoding, limits.maxBytes);
  return { bytes, wireBytes: raw.length };
}

/** Encodings feedwright can undo, for the Accept-Encoding header. */
export const ACCEPTED_ENCODINGS = 'gzip, deflate, br';

// --- Internal helpers ---

/** Bodies below this size are inflated synchronously: the thread-pool round trip costs more than the work. */
const SYNC_DECOMPRESS_BYTES = 256 * 1024;

type Inflate = (bytes: Buffer, options: ZlibOptions) => Promise<Buffer>;

/** The sync and async flavours of one decompressor. */
function pickInflate(sync: (bytes: Buffer, options: ZlibOptions) => Buffer, async: (bytes: Buffer, options: ZlibOptions, done: (error: Error | null, result: Buffer) => void) => void): Inflate {
  const asyncPromise = promisify<Buffer, ZlibOptions, Buffer>(async);
  return (bytes, options) => (bytes.length < SYNC_DECOMPRESS_BYTES ? Promise.resolve().then(() => sync(bytes, options)) : asyncPromise(bytes, options));
}

const INFLATERS = {
  gzip: pickInflate(gunzipSync, gunzip),
  deflate: pickInflate(inflateSync, inflate),
  deflateRaw: pickInflate(inflateRawSync, inflateRaw),
  br: pickInflate(brotliDecompressSync, brotliDecompress),
};

async function collectBody(body: Readable, limits: BodyLimits): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  // undici's bodyTimeout is an idle timeout; a body that trickles forever needs a deadline of its own.
  const timer = setTimeout(() => body.destroy(new FetchFailureSignal({ kind: 'body-deadline', timeoutMs: limits.deadlineMs })), limits.deadlineMs);
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      total += buffer.length;
      if (total > limits.maxBytes) {
        const signal = new FetchFailureSignal({ kind: 'too-large', limitBytes: limits.maxBytes });
        body.destroy(signal);
        throw signal;
      }
      chunks.push(buffer);
    }
  } finally {
    clearTimeout(timer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

async function decompressBody(raw: Buffer, header: string | undefined, maxBytes: number): Promise<Buffer> {
  const encodings = (header ?? '').split(',').map((token) => token.trim().toLowerCase()).filter((token) => token && token !== 'identity');
  let bytes = raw;
  // Encodings are listed in the order they were applied, so undo them from the last one.
  for (const encoding of encodings.reverse()) {
    if (bytes.length === 0) return bytes;
    bytes = await decompressOnce(bytes, encoding, maxBytes);
  }
  return bytes;
}

async function decompressOnce(bytes: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  const options: ZlibOptions = { maxOutputLength: maxBytes };
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return await INFLATERS.gzip(bytes, options);
    if (encoding === 'br') return await INFLATERS.br(bytes, options);
    // RFC 9110 says zlib-wrapped, but many servers send raw deflate: the zlib header tells them apart.
    if (encoding === 'deflate') return await (hasZlibHeader(bytes) ? INFLATERS.deflate : INFLATERS.deflateRaw)(bytes, options);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new FetchFailureSignal({ kind: 'too-large', limitBytes: maxBytes, decoded: true });
    }
    throw new FetchFailureSignal({ kind: 'content-encoding', encoding, detail: (error as Error).message });
  }
  throw new FetchFailureSignal({ kind: 'content-encoding', encoding, detail: 'not supported' });
}

function hasZlibHeader(bytes: Buffer): boolean {
  const first = bytes[0] ?? 0;
  const second = bytes[1] ?? 0;
  return (first & 0x0f) === 8 && ((first << 8) | second) % 31 === 0;
}
