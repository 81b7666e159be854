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
  /** Waits for a host slot, the host's turn and a global slot; resolves with the function that frees them. */
  acquire(host: string, limits: HostLimits): Promise<() => void>;
  /** Makes the next request to `host` start no earlier than `untilMs` (epoch ms on the gate's clock). */
  defer(host: string, untilMs: number): void;
  /** Milliseconds until a request to `host` could start by its spacing (0 when it could start now). */
  turnIn(host: string): number;
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

  const releaserFor = (host: string, state: HostState): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      global.release();
      state.slots.release();
      forgetIfIdle(host, state);
    };
  };

  return {
    async acquire(host, limits) {
      const state = stateOf(host);
      if (!state.slots.tryAcquire(Math.max(1, limits.perHostConcurrency))) await state.slots.wait();
      // The turn is reserved once the host slot is held, so queued requests keep their spacing.
      const pause = reserveTurn(state, limits.minHostDelayMs, clock.now());
      if (pause > 0) await clock.sleep(pause);
      if (!global.tryAcquire(Math.max(1, globalLimit))) await global.wait();
      return releaserFor(host, state);
    },
    defer(host, untilMs) {
      const state = stateOf(host);
      state.nextStartAt = Math.max(state.nextStartAt, untilMs);
    },
    turnIn: (host) => Math.max(0, (hosts.get(host)?.nextStartAt ?? 0) - clock.now()),
    size: () => hosts.size,
  };
}

// --- Internal helpers ---

interface HostState {
  slots: FifoSemaphore;
  /** Earliest start time of the next request to this host. */
  nextStartAt: number;
}

/** Reserves the next start time for this host; returns how long to wait for it. Reservations keep requests spaced. */
function reserveTurn(state: HostState, minDelayMs: number, now: number): number {
  const startAt = Math.max(now, state.nextStartAt);
  state.nextStartAt = startAt + Math.max(0, minDelayMs);
  return startAt - now;
}

/** A counting semaphore that serves waiters first come, first served; the limit is read on each acquire. */
class FifoSemaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  /** Takes a slot if one is free and nobody is queued; false means call wait(). */
  tryAcquire(limit: number): boolean {
    if (this.active >= limit || this.waiters.length > 0) return false;
    this.active += 1;
    return true;
  }

  /** Queues for the next released slot. */
  wait(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
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
