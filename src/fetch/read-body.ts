/**
 * Undoes Content-Encoding (gzip, deflate, br) under the byte cap. Small bodies are inflated
 * synchronously (the thread-pool round trip costs more than the work); a gzip body is inflated
 * into one buffer sized from its trailer, so the output is neither grown chunk by chunk nor
 * copied once more at the end.
 */
import { promisify } from 'node:util';
import {
  brotliDecompress,
  brotliDecompressSync,
  constants as zlibConstants,
  gunzip,
  gunzipSync,
  inflate,
  inflateRaw,
  inflateRawSync,
  inflateSync,
  type ZlibOptions,
} from 'node:zlib';
import { FetchFailureSignal } from './fetch-error.js';

/** Encodings feedwright can undo, for the Accept-Encoding header. */
export const ACCEPTED_ENCODINGS = 'gzip, deflate, br';

/**
 * Decompresses a body as its Content-Encoding header says (synchronously for small bodies);
 * throws or rejects with FetchFailureSignal (too-large, content-encoding).
 */
export function decompressBody(raw: Buffer, header: string | undefined, maxBytes: number): Buffer | Promise<Buffer> {
  if (header === undefined || header === '' || header === 'identity') return raw;
  const encodings = header
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token && token !== 'identity');
  if (raw.length >= SYNC_DECOMPRESS_BYTES) return decompressInThreadPool(raw, encodings, maxBytes);
  let bytes = raw;
  // Encodings are listed in the order they were applied, so undo them from the last one.
  for (let i = encodings.length - 1; i >= 0 && bytes.length > 0; i -= 1) {
    const encoding = encodings[i] as string;
    try {
      bytes = pickDecompressor(encoding, bytes).sync(bytes, optionsFor(encoding, bytes, maxBytes));
    } catch (error) {
      throw toSignal(error, encoding, maxBytes);
    }
  }
  return bytes;
}

/**
 * The start of a body whose end may be missing (an error page read only in part), decoded as far
 * as it goes: for recognising what answered, never for content. Undefined when it cannot be decoded.
 */
export function peekDecompressed(head: Buffer, header: string | undefined, maxBytes: number): Buffer | undefined {
  const encoding = header?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return head;
  const options = {
    maxOutputLength: maxBytes,
    finishFlush: encoding === 'br' ? zlibConstants.BROTLI_OPERATION_FLUSH : zlibConstants.Z_SYNC_FLUSH,
  };
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(head, options);
    if (encoding === 'br') return brotliDecompressSync(head, options);
    if (encoding === 'deflate') return hasZlibHeader(head) ? inflateSync(head, options) : inflateRawSync(head, options);
  } catch {
    // A corrupt or unusual error page is simply not recognised.
  }
  return undefined;
}

// --- Internal helpers ---

/** Bodies below this size are inflated synchronously. */
const SYNC_DECOMPRESS_BYTES = 256 * 1024;
/** zlib's smallest output chunk. */
const MIN_CHUNK_BYTES = 64;
/** Deflate cannot expand data by more than about 1032:1, so a trailer claiming more is a lie. */
const MAX_DEFLATE_RATIO = 1032;

interface Decompressor {
  sync: (bytes: Buffer, options: ZlibOptions) => Buffer;
  async: (bytes: Buffer, options: ZlibOptions) => Promise<Buffer>;
}

const DECOMPRESSORS = {
  gzip: { sync: gunzipSync, async: promisify<Buffer, ZlibOptions, Buffer>(gunzip) },
  deflate: { sync: inflateSync, async: promisify<Buffer, ZlibOptions, Buffer>(inflate) },
  deflateRaw: { sync: inflateRawSync, async: promisify<Buffer, ZlibOptions, Buffer>(inflateRaw) },
  br: { sync: brotliDecompressSync, async: promisify<Buffer, ZlibOptions, Buffer>(brotliDecompress) },
} satisfies Record<string, Decompressor>;

async function decompressInThreadPool(raw: Buffer, encodings: string[], maxBytes: number): Promise<Buffer> {
  let bytes = raw;
  for (let i = encodings.length - 1; i >= 0 && bytes.length > 0; i -= 1) {
    const encoding = encodings[i] as string;
    try {
      bytes = await pickDecompressor(encoding, bytes).async(bytes, optionsFor(encoding, bytes, maxBytes));
    } catch (error) {
      throw toSignal(error, encoding, maxBytes);
    }
  }
  return bytes;
}

function pickDecompressor(encoding: string, bytes: Buffer): Decompressor {
  if (encoding === 'gzip' || encoding === 'x-gzip') return DECOMPRESSORS.gzip;
  if (encoding === 'br') return DECOMPRESSORS.br;
  // RFC 9110 says zlib-wrapped, but many servers send raw deflate: the zlib header tells them apart.
  if (encoding === 'deflate') return hasZlibHeader(bytes) ? DECOMPRESSORS.deflate : DECOMPRESSORS.deflateRaw;
  throw new FetchFailureSignal({ kind: 'content-encoding', encoding, detail: 'not supported' });
}

/**
 * The output cap, and for gzip an output chunk one byte larger than the size its trailer
 * announces (ISIZE, the size modulo 2^32 of the last member): the whole body then inflates into
 * one buffer. A wrong trailer only costs extra chunks, and the chunk is bounded by the cap and
 * by what the compressed size can expand to.
 */
function optionsFor(encoding: string, bytes: Buffer, maxBytes: number): ZlibOptions {
  if ((encoding !== 'gzip' && encoding !== 'x-gzip') || bytes.length < 18) return { maxOutputLength: maxBytes };
  const announced = bytes.readUInt32LE(bytes.length - 4);
  const chunkSize = Math.max(MIN_CHUNK_BYTES, Math.min(announced + 1, maxBytes + 1, bytes.length * MAX_DEFLATE_RATIO));
  return { maxOutputLength: maxBytes, chunkSize };
}

function toSignal(error: unknown, encoding: string, maxBytes: number): FetchFailureSignal {
  if (error instanceof FetchFailureSignal) return error;
  if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
    return new FetchFailureSignal({ kind: 'too-large', limitBytes: maxBytes, decoded: true });
  }
  return new FetchFailureSignal({ kind: 'content-encoding', encoding, detail: (error as Error).message });
}

function hasZlibHeader(bytes: Buffer): boolean {
  const first = bytes[0] ?? 0;
  const second = bytes[1] ?? 0;
  return (first & 0x0f) === 8 && ((first << 8) | second) % 31 === 0;
}
