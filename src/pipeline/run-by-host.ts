/**
 * The order of a pass: sources are taken by host, not in config order. A host's sources must be
 * spaced by its `minDelay` (the fetcher's gate enforces it), so a pass that took them in config
 * order, N at a time, filled its slots with sources queued behind the same host's delay while other
 * hosts sat idle: 300 sources on 60 hosts with the default 1 s delay took 56 s instead of ~5 s.
 * Here a slot only goes to a host whose next turn has come, the host with the most sources left
 * first (round-robin among equals), so a pass takes about the busiest host's sources × its delay.
 */

/** Clock and timer, injectable for tests. */
export interface TurnClock {
  now: () => number;
  /** Calls `fn` after `ms`; returns a function that cancels the timer. */
  setTimer: (ms: number, fn: () => void) => () => void;
}

/** One unit of work for {@link runByHost}. */
export interface HostTask<T> {
  item: T;
  /** The key the fetcher spaces requests by (URL host, with port). */
  host: string;
  /** Spacing after this task's start before the next task of the same host may start. */
  minDelayMs: number;
  /** How many tasks of this host may run at once. */
  perHost: number;
}

/** Options for {@link runByHost}. */
export interface RunByHostOptions {
  /**
   * Milliseconds until the fetcher would let a request to this host start (its own spacing also
   * counts robots.txt and detail-page requests the pass does not see); 0 when now.
   */
  turnIn?: (host: string) => number;
  clock?: TurnClock;
}

/** Runs `fn` over the tasks with at most `limit` in flight, spacing each host's tasks; results keep input order. */
export async function runByHost<T, R>(
  tasks: ReadonlyArray<HostTask<T>>,
  limit: number,
  fn: (item: T) => Promise<R>,
  options: RunByHostOptions = {},
): Promise<R[]> {
  const clock = options.clock ?? REAL_CLOCK;
  const turnIn = options.turnIn ?? (() => 0);
  const results = new Array<R>(tasks.length);
  const hosts = groupByHost(tasks);
  let running = 0;
  let left = tasks.length;
  let wake: (() => void) | undefined;
  const failures: unknown[] = [];

  const start = (host: HostQueue<T>, now: number): void => {
    const next = host.queue.shift() as QueuedTask<T>;
    host.running += 1;
    host.nextAt = now + Math.max(0, next.task.minDelayMs);
    running += 1;
    void fn(next.task.item)
      .then(
        (result) => void (results[next.index] = result),
        (error: unknown) => void failures.push(error),
      )
      .finally(() => {
        host.running -= 1;
        running -= 1;
        left -= 1;
        wake?.();
      });
  };

  while (left > 0 && failures.length === 0) {
    const now = clock.now();
    const ready = running < Math.max(1, limit) ? pickHost(hosts, now, turnIn) : undefined;
    if (ready) {
      start(ready, now);
      continue;
    }
    // Nothing may start now: wait for a task to finish or the earliest host turn, whichever is first.
    const waitMs = running < Math.max(1, limit) ? earliestTurn(hosts, now) : undefined;
    let cancelTimer: (() => void) | undefined;
    await new Promise<void>((resolve) => {
      wake = resolve;
      if (waitMs !== undefined) cancelTimer = clock.setTimer(waitMs, resolve);
    });
    cancelTimer?.();
    wake = undefined;
  }
  if (failures.length > 0) throw failures[0];
  return results;
}

// --- Internal helpers ---

interface QueuedTask<T> {
  task: HostTask<T>;
  index: number;
}

interface HostQueue<T> {
  queue: Array<QueuedTask<T>>;
  running: number;
  /** When this host's next task may start (epoch ms on the clock). */
  nextAt: number;
  /** Position in config order of the host's first source, for ties. */
  order: number;
}

const REAL_CLOCK: TurnClock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

function groupByHost<T>(tasks: ReadonlyArray<HostTask<T>>): Array<HostQueue<T>> {
  const byHost = new Map<string, HostQueue<T>>();
  tasks.forEach((task, index) => {
    let host = byHost.get(task.host);
    if (!host) {
      host = { queue: [], running: 0, nextAt: 0, order: byHost.size };
      byHost.set(task.host, host);
    }
    host.queue.push({ task, index });
  });
  return [...byHost.values()];
}

/**
 * The host to start next: its turn has come and it has a free slot; most tasks left first, then the one
 * that waited longest. The fetcher is asked about the chosen host only (asking every host on every
 * start was most of this function's cost with 50 hosts): one with requests booked further ahead gets
 * its later turn, and the choice is made again among the rest.
 */
function pickHost<T>(
  hosts: Array<HostQueue<T>>,
  now: number,
  turnIn: (host: string) => number,
): HostQueue<T> | undefined {
  for (;;) {
    const best = bestReadyHost(hosts, now);
    if (!best) return undefined;
    const wait = turnIn((best.queue[0] as QueuedTask<T>).task.host);
    if (wait <= 0) return best;
    best.nextAt = now + wait; // the fetcher has requests of this host booked further ahead
  }
}

/** The ready host (turn come, a free slot) with the most tasks left, then the one that waited longest. */
function bestReadyHost<T>(hosts: Array<HostQueue<T>>, now: number): HostQueue<T> | undefined {
  let best: HostQueue<T> | undefined;
  for (const host of hosts) {
    const head = host.queue[0];
    if (!head || host.nextAt > now || host.running >= Math.max(1, head.task.perHost)) continue;
    if (
      !best ||
      host.queue.length > best.queue.length ||
      (host.queue.length === best.queue.length && host.nextAt < best.nextAt)
    )
      best = host;
  }
  return best;
}

/** Milliseconds until the earliest host with work and a free slot gets its turn; undefined when none can start by time alone. */
function earliestTurn<T>(hosts: Array<HostQueue<T>>, now: number): number | undefined {
  let earliest: number | undefined;
  for (const host of hosts) {
    const head = host.queue[0];
    if (!head || host.running >= Math.max(1, head.task.perHost)) continue;
    earliest = Math.min(earliest ?? Infinity, host.nextAt);
  }
  return earliest === undefined ? undefined : Math.max(0, earliest - now);
}
