/**
 * Politeness gate: a global limit on requests in flight, a per-host limit, a minimum spacing
 * between request starts to one host, and host-wide pauses (Retry-After, backoff).
 * Waiting for a host never holds a global slot, so one slow host cannot starve the others.
 */

/** Clock and sleep, injectable for tests. */
export interface GateClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Limits for one acquisition, taken from the request's policy. */
export interface HostLimits {
  perHostConcurrency: number;
  minHostDelayMs: number;
}

/** Gives out permission to send one request; call the returned function when the exchange is over. */
export interface HostGate {
  acquire(host: string, limits: HostLimits): Promise<() => void>;
  /** Makes the next request to `host` start no earlier than `untilMs` (epoch ms on the gate's clock). */
  defer(host: string, untilMs: number): void;
  /** Hosts currently tracked (for tests: idle hosts are forgotten). */
  size(): number;
}

/** Creates a gate with a global concurrency limit. */
export function createHostGate(globalLimit: number, clock: GateClock): HostGate {
  const global = new FifoSemaphore();
  const hosts = new Map<string, HostState>();

  const stateOf = (host: string): HostState => {
    let state = hosts.get(host);
    if (!state) {
      state = { slots: new FifoSemaphore(), nextStartAt: 0 };
      hosts.set(host, state);
    }
    return state;
  };

  const forgetIfIdle = (host: string, state: HostState): void => {
    if (state.slots.isIdle() && state.nextStartAt <= clock.now()) hosts.delete(host);
  };

  return {
    async acquire(host, limits) {
      const state = stateOf(host);
      await state.slots.acquire(Math.max(1, limits.perHostConcurrency));
      await waitForTurn(state, limits.minHostDelayMs, clock);
      await global.acquire(Math.max(1, globalLimit));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        global.release();
        state.slots.release();
        forgetIfIdle(host, state);
      };
    },
    defer(host, untilMs) {
      const state = stateOf(host);
      state.nextStartAt = Math.max(state.nextStartAt, untilMs);
    },
    size: () => hosts.size,
  };
}

// --- Internal helpers ---

interface HostState {
  slots: FifoSemaphore;
  /** Earliest start time of the next request to this host. */
  nextStartAt: number;
}

/** Reserves the next start time for this host and sleeps until it; reservations keep requests spaced. */
async function waitForTurn(state: HostState, minDelayMs: number, clock: GateClock): Promise<void> {
  const now = clock.now();
  const startAt = Math.max(now, state.nextStartAt);
  state.nextStartAt = startAt + Math.max(0, minDelayMs);
  if (startAt > now) await clock.sleep(startAt - now);
}

/** A counting semaphore that serves waiters first come, first served; the limit is read on each acquire. */
class FifoSemaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  async acquire(limit: number): Promise<void> {
    if (this.active < limit && this.waiters.length === 0) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    // Hand the slot straight to the next waiter, so `active` does not change.
    if (next) next();
    else this.active -= 1;
  }

  isIdle(): boolean {
    return this.active === 0 && this.waiters.length === 0;
  }
}
