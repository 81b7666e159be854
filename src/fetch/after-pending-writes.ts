/**
 * Lets requests that are waiting to be written go out before a fetch does its CPU-heavy part
 * (hashing and decoding a page, then whatever the caller does with it).
 *
 * undici writes a request on a kept-alive socket only from the event loop's check phase: it
 * first lets unsolicited bytes on the idle socket surface (GHSA-35p6-xmwp-9g52), and a socket
 * whose response has just ended is taken up again one check phase before that. When a response
 * completes, its slot goes to the next source at once, but that source's request then waits for
 * everything else the loop does first. Decoding pages in the same turn delayed each next request
 * by 1–3 ms in `bench/fetch.bench.ts` (global limit 16, 20 ms latency), about 10 % of the pass.
 * Waiting two check phases puts the heavy work behind those writes, whatever order the promise
 * continuations ran in; a result is ready one loop turn (well under a millisecond) later.
 */
export function afterPendingWrites(): Promise<void> {
  return new Promise((resolve) => setImmediate(nextTurn, resolve));
}

// --- Internal helpers ---

function nextTurn(resolve: () => void): void {
  setImmediate(resolve);
}
