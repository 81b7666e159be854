/**
 * The origins of the scale-out test and scenario: one HTTP server per host on its own loopback
 * address (127.0.0.<host+1>), each serving `/s<host>-<n>/` list pages whose newest item changes every
 * slot (the two before it stay on the page), a robots.txt that disallows `/private/`, and 404
 * elsewhere. Every request is recorded as a hit (host, path, time, client port), so a test can count
 * fetches per page per slot and measure spacing per host. The slow source answers after 3 s while
 * a slow-request hook is set (a test kills the worker that sent it).
 *
 * The servers run in a child process (slot-origins-child.mjs) that does nothing else, so each request
 * is timed when it reaches the site, not when the test process, busy or stalled under load, gets to it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

/** One request as the origin saw it. */
export interface OriginHit {
  host: number;
  path: string;
  at: number;
  remotePort: number;
}

export interface SlotOriginOptions {
  hosts: number;
  slotMs: number;
  /** Source id whose page is answered late while `slowHook()` returns a hook. */
  slowSource: string;
  /** Receives every hit, in arrival order. */
  hits: OriginHit[];
  /** The hook for a request of the slow source, read at each request (undefined: answer at once). */
  slowHook: () => ((hit: OriginHit) => void) | undefined;
}

/** The running origins. */
export interface SlotOrigins {
  /** Each host's port (host `h` listens on 127.0.0.<h+1>). */
  ports: number[];
  /** Stops the servers (their process). */
  close(): Promise<void>;
}

/** How long the slow source's answer is held while the hook is set. */
const SLOW_ANSWER_MS = 3_000;

/** Starts the origins, listening on 127.0.0.1 … 127.0.0.<hosts> (ephemeral ports). */
export async function startSlotOrigins(options: SlotOriginOptions): Promise<SlotOrigins> {
  const script = fileURLToPath(new URL('./slot-origins-child.mjs', import.meta.url));
  const settings = { hosts: options.hosts, slotMs: options.slotMs, slowSource: options.slowSource };
  const child = fork(script, [JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  raisePriority(child);
  const ports = await new Promise<number[]>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the origins exited with ${code} before listening`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') return resolve(message.ports);
      options.hits.push(message.hit);
      if (message.id === undefined) return;
      const hook = options.slowHook();
      hook?.(message.hit);
      child.send({ type: 'answer', id: message.id, delayMs: hook ? SLOW_ANSWER_MS : 0 });
    });
  });
  child.removeAllListeners('exit');
  return { ports, close: () => stop(child) };
}

// --- Internal helpers ---

/**
 * The origins are the test's clock for the spacing between requests: a request is timed when their
 * event loop reads it. Under `npm test` (workers, servers, other test files and the type check on two
 * cores) a robots.txt request and the page request after it on the same connection, spaced 1 s by
 * the workers, were timed 423 ms apart: the first was read at least 577 ms later than the second.
 * Scheduled ahead of the rest, the origins read each request as it arrives. Needs root (CI runs as root); elsewhere
 * the priority stays as it was and the test's lag tolerance is what remains.
 */
function raisePriority(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    setPriority(child.pid, ORIGINS_PRIORITY);
  } catch {
    // Not permitted for this user: the origins keep the default priority.
  }
}

/** nice value of the origins' process (lower runs first; 0 is the default). */
const ORIGINS_PRIORITY = -10;

type ChildMessage = { type: 'ready'; ports: number[] } | { type: 'hit'; hit: OriginHit; id?: number };

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
