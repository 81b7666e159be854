/**
 * Politeness gate: a global limit on requests in flight, a per-host limit, a minimum spacing
 * between request starts to one host, and host-wide pauses (Retry-After, backoff).
 * Waiting for a host never holds a global slot, so one slow host cannot starve the others.
 *
 * Spacing counts from when each request really went out, not from the turn the gate planned: a turn
 * can be handed out late (an oversleep on a busy machine, a wait for a global slot) and a request can
 * leave well after its turn (the browser's, behind playwright-core's round trip to Chromium).
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

/**
 * A granted turn. Call it when the exchange is over (frees the host and global slots; calling again
 * is harmless).
 */
export interface HostTurn {
  (): void;
  /**
   * For a turn acquired with `sendsLater`: the request has gone out (or, when the send cannot be
   * seen, its answer has arrived), so the host's next turn counts from now. Until then the host's
   * other turns wait; ending the turn without it counts as sent at that moment. A no-op otherwise.
   */
  sent(): void;
  /**
   * The request was written to the connection now: when that is later than the turn's start (a
   * connection to open, a process starved of CPU), the host's next turn counts from now.
   */
  written(): void;
}

/** How the turn's request is sent. */
export interface TurnOptions {
  /**
   * Another client sends the request some time after the turn is granted (the headless browser,
   * behind playwright-core's round trip): the start is recorded again by `sent()`. Without it the
   * request goes out as the turn is granted.
   */
  sendsLater?: boolean;
}

/** Gives out permission to send one request; call the returned turn when the exchange is over. */
export interface HostGate {
  /** Waits for a host slot, the host's turn and a global slot; resolves with the turn that frees them. */
  acquire(host: string, limits: HostLimits, options?: TurnOptions): Promise<HostTurn>;
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
      state = { slots: new FifoSemaphore(), nextStartAt: 0, lastStartAt: -Infinity, unsent: 0, onSent: [] };
      hosts.set(host, state);
    }
    return state;
  };

  const forgetIfIdle = (host: string, state: HostState): void => {
    if (state.slots.isIdle() && state.nextStartAt <= clock.now()) hosts.delete(host);
  };

  /**
   * What a turn must still wait for before it starts: an earlier turn of the host whose request is
   * not out yet, or the rest of `delayMs` since the last start (a timer can fire a little early, and a
   * start can be later than its reservation). Undefined when nothing: the turn goes on synchronously.
   */
  const lastStartWait = (state: HostState, delayMs: number): Promise<void> | undefined => {
    if (delayMs <= 0) return undefined;
    if (state.unsent > 0) return new Promise<void>((resolve) => state.onSent.push(resolve));
    const left = state.lastStartAt + delayMs - clock.now();
    return left > 0 ? clock.sleep(left) : undefined;
  };

  const turnFor = (host: string, state: HostState, delayMs: number, sendsLater: boolean): HostTurn =>
    createTurn(
      sendsLater,
      () => {
        recordStart(state, delayMs, clock.now());
        state.unsent -= 1;
        if (state.unsent === 0) for (const wake of state.onSent.splice(0)) wake();
      },
      () => {
        global.release();
        state.slots.release();
        forgetIfIdle(host, state);
      },
      () => recordStart(state, delayMs, clock.now()),
    );

  return {
    async acquire(host, limits, options = {}) {
      const state = stateOf(host);
      const sendsLater = options.sendsLater === true;
      const delayMs = Math.max(0, limits.minHostDelayMs);
      if (!state.slots.tryAcquire(Math.max(1, limits.perHostConcurrency))) await state.slots.wait();
      // The turn is reserved once the host slot is held, so queued requests keep their spacing.
      const pause = reserveTurn(state, delayMs, clock.now());
      if (pause > 0) await clock.sleep(pause);
      // The reservation assumed every earlier turn started on time; the starts recorded say when they did.
      for (let wait = lastStartWait(state, delayMs); wait; wait = lastStartWait(state, delayMs)) await wait;
      if (sendsLater) state.unsent += 1;
      if (!global.tryAcquire(Math.max(1, globalLimit))) await global.wait();
      // The turn starts now, however late: the next one is spaced from here (and again from sent()).
      recordStart(state, delayMs, clock.now());
      return turnFor(host, state, delayMs, sendsLater);
    },
    defer(host, untilMs) {
      const state = stateOf(host);
      state.nextStartAt = Math.max(state.nextStartAt, untilMs);
    },
    turnIn: (host) => Math.max(0, (hosts.get(host)?.nextStartAt ?? 0) - clock.now()),
    size: () => hosts.size,
  };
}

/**
 * A turn whose `onSent` runs once, when its request is known to have gone out (at once unless
 * `sendsLater`; at the latest when the turn ends), and whose `onEnd` runs once, when it ends. The
 * local gate and the shared one (shared-politeness.ts) build their turns with it.
 */
export function createTurn(
  sendsLater: boolean,
  onSent: () => void,
  onEnd: () => void,
  onWritten: () => void,
): HostTurn {
  let sent = !sendsLater;
  let ended = false;
  const markSent = (): void => {
    if (sent) return;
    sent = true;
    onSent();
  };
  return Object.assign(
    () => {
      if (ended) return;
      ended = true;
      markSent();
      onEnd();
    },
    {
      sent: markSent,
      written: () => {
        if (!ended) onWritten();
      },
    },
  );
}

// --- Internal helpers ---

interface HostState {
  slots: FifoSemaphore;
  /** Earliest start time of the next request to this host. */
  nextStartAt: number;
  /** When the host's latest request went out (or a time no earlier than that). */
  lastStartAt: number;
  /** Turns past their start check whose request (sent later) is not yet known to have gone out. */
  unsent: number;
  /** Turns waiting for `unsent` to reach 0. */
  onSent: Array<() => void>;
}

/** Reserves the next start time for this host; returns how long to wait for it. Reservations keep requests spaced. */
function reserveTurn(state: HostState, minDelayMs: number, now: number): number {
  const startAt = Math.max(now, state.nextStartAt);
  state.nextStartAt = startAt + minDelayMs;
  return startAt - now;
}

/** A request to the host went out at `at` (or no earlier): the next one waits `minDelayMs` from then. */
function recordStart(state: HostState, minDelayMs: number, at: number): void {
  state.lastStartAt = Math.max(state.lastStartAt, at);
  state.nextStartAt = Math.max(state.nextStartAt, at + minDelayMs);
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
