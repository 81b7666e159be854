import { describe, expect, it } from 'vitest';
import { createHostGate } from '../../../src/fetch/host-gate.js';

/** A clock whose sleeps advance time instantly and are recorded. */
function fakeClock(): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  sleeps: number[];
  advance: (ms: number) => void;
} {
  let time = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
    advance: (ms) => void (time += ms),
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createHostGate', () => {
  it('spaces request starts to one host by the minimum delay', async () => {
    const clock = fakeClock();
    const gate = createHostGate(16, clock);
    const limits = { perHostConcurrency: 1, minHostDelayMs: 1_000 };
    const starts: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const release = await gate.acquire('a.example', limits);
      starts.push(clock.now());
      release();
    }
    expect(starts.map((t) => t - (starts[0] as number))).toEqual([0, 1_000, 2_000]);
    // Another host is not held back.
    await gate.acquire('b.example', limits);
    expect(clock.sleeps).toEqual([1_000, 1_000]);
  });

  it('counts the next turn from the write when a request reached the connection late', async () => {
    const clock = fakeClock();
    const gate = createHostGate(16, clock);
    const limits = { perHostConcurrency: 2, minHostDelayMs: 1_000 };
    const first = await gate.acquire('a.example', limits);
    // A connection to open, a starved process: written 650 ms after its turn.
    clock.advance(650);
    first.written();
    first();
    const second = await gate.acquire('a.example', limits);
    expect(clock.sleeps).toEqual([1_000]);
    // A write on time (or once the turn is over) moves nothing.
    second.written();
    second();
    second.written();
    await gate.acquire('a.example', limits);
    expect(clock.sleeps).toEqual([1_000, 1_000]);
  });

  it('tells how long until a host’s next turn (for a pass that starts another host meanwhile)', async () => {
    const clock = fakeClock();
    const gate = createHostGate(16, clock);
    expect(gate.turnIn('a.example')).toBe(0);
    const release = await gate.acquire('a.example', { perHostConcurrency: 2, minHostDelayMs: 1_000 });
    expect(gate.turnIn('a.example')).toBe(1_000);
    expect(gate.turnIn('b.example')).toBe(0);
    clock.advance(400);
    expect(gate.turnIn('a.example')).toBe(600);
    release();
    clock.advance(600);
    expect(gate.turnIn('a.example')).toBe(0);
  });

  it('holds requests beyond the per-host limit until a slot is released', async () => {
    const clock = fakeClock();
    const gate = createHostGate(16, clock);
    const limits = { perHostConcurrency: 2, minHostDelayMs: 0 };
    const first = await gate.acquire('a.example', limits);
    await gate.acquire('a.example', limits);
    let thirdIn = false;
    const third = gate.acquire('a.example', limits).then((release) => {
      thirdIn = true;
      return release;
    });
    await flush();
    expect(thirdIn).toBe(false);
    first();
    await third;
    expect(thirdIn).toBe(true);
  });

  it('grants the first acquisition at once and holds the second until the first is released', async () => {
    const gate = createHostGate(1, fakeClock());
    const limits = { perHostConcurrency: 1, minHostDelayMs: 0 };
    const first = await gate.acquire('a.example', limits);
    let secondIn = false;
    const second = gate.acquire('a.example', limits).then((release) => ((secondIn = true), release));
    await flush();
    expect(secondIn).toBe(false);
    first();
    expect(typeof (await second)).toBe('function');
  });

  it('holds requests beyond the global limit, across hosts', async () => {
    const clock = fakeClock();
    const gate = createHostGate(2, clock);
    const limits = { perHostConcurrency: 5, minHostDelayMs: 0 };
    const a = await gate.acquire('a.example', limits);
    await gate.acquire('b.example', limits);
    let cIn = false;
    const c = gate.acquire('c.example', limits).then(() => (cIn = true));
    await flush();
    expect(cIn).toBe(false);
    a();
    a(); // releasing twice is harmless
    await c;
    expect(cIn).toBe(true);
  });

  it('defers a host until the given time', async () => {
    const clock = fakeClock();
    const gate = createHostGate(16, clock);
    gate.defer('a.example', clock.now() + 30_000);
    await gate.acquire('a.example', { perHostConcurrency: 2, minHostDelayMs: 0 });
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('forgets idle hosts once their spacing has passed', async () => {
    const clock = fakeClock();
    const gate = createHostGate(16, clock);
    const release = await gate.acquire('a.example', { perHostConcurrency: 2, minHostDelayMs: 0 });
    release();
    expect(gate.size()).toBe(0);
    const again = await gate.acquire('a.example', { perHostConcurrency: 2, minHostDelayMs: 5_000 });
    again();
    expect(gate.size()).toBe(1);
  });

  it('spaces the next turn from a start later than planned (a wait for a global slot), not from the plan', async () => {
    const clock = fakeClock();
    const gate = createHostGate(1, clock);
    const limits = { perHostConcurrency: 1, minHostDelayMs: 600 };
    const other = await gate.acquire('b.example', limits);
    // a's turn comes at once, but its request can only leave when b's exchange (1 s) frees the global slot.
    const late = gate.acquire('a.example', limits);
    await flush();
    clock.advance(1_000);
    other();
    (await late)();
    const lateAt = clock.now();
    (await gate.acquire('a.example', limits))();
    // The old gate spaced from the planned turn, 1 s ago: the next request went out at once (0 ms).
    expect(clock.now() - lateAt).toBe(600);
  });

  it('sleeps out a wait that ends early, so the spacing is never short', async () => {
    const clock = fakeClock();
    // Each wait ends 5 ms early (a timer measured on a stale loop clock), at least 1 ms later.
    const early = { now: clock.now, sleep: (ms: number) => clock.sleep(Math.max(1, ms - 5)) };
    const gate = createHostGate(16, early);
    const limits = { perHostConcurrency: 1, minHostDelayMs: 600 };
    (await gate.acquire('a.example', limits))();
    const firstAt = clock.now();
    (await gate.acquire('a.example', limits))();
    expect(clock.now() - firstAt).toBeGreaterThanOrEqual(600);
  });

  it('spaces the next turn from when a request sent later went out (sent()), not from its grant', async () => {
    const clock = fakeClock();
    const gate = createHostGate(16, clock);
    const limits = { perHostConcurrency: 1, minHostDelayMs: 600 };
    const browser = await gate.acquire('a.example', limits, { sendsLater: true });
    // The browser's request leaves 300 ms after the turn (playwright-core's round trip under load).
    clock.advance(300);
    browser.sent?.();
    const sentAt = clock.now();
    browser();
    (await gate.acquire('a.example', limits))();
    // The old gate let the next request go 600 ms after the grant: 300 ms after the browser's.
    expect(clock.now() - sentAt).toBe(600);
  });

  it('holds a host’s other turn until a request sent later has gone out, then spaces from it', async () => {
    const clock = fakeClock();
    const gate = createHostGate(16, clock);
    const limits = { perHostConcurrency: 2, minHostDelayMs: 600 };
    const browser = await gate.acquire('a.example', limits, { sendsLater: true });
    let nextIn = false;
    const next = gate.acquire('a.example', limits).then((release) => ((nextIn = true), release));
    await flush();
    // Its reserved turn (600 ms after the grant) has come, but the browser has not sent yet.
    expect(clock.now() - 1_000_000).toBe(600);
    expect(nextIn).toBe(false);
    clock.advance(100);
    browser.sent?.();
    const sentAt = clock.now();
    (await next)();
    expect(clock.now() - sentAt).toBe(600);
    browser();
    // A turn ended without sent() counts as sent when it ends: the host is not left waiting.
    const unused = await gate.acquire('a.example', limits, { sendsLater: true });
    unused();
    const endedAt = clock.now();
    (await gate.acquire('a.example', limits))();
    expect(clock.now() - endedAt).toBe(600);
  });
});
