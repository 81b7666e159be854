/** runByHost on a virtual clock: hosts spaced by their delay, slots never wasted waiting, order kept. */
import { describe, expect, it } from 'vitest';
import { runByHost, type HostTask, type TurnClock } from '../../../src/pipeline/run-by-host.js';

describe('runByHost', () => {
  it('interleaves hosts so the pass takes the busiest host’s turns, not the sum of waits', async () => {
    // Config order puts all of host a first, as a user listing one site's channels would.
    const hosts = ['a', 'a', 'a', 'a', 'b', 'b', 'c'];
    const clock = createVirtualClock();
    const starts: Array<{ host: string; at: number }> = [];
    const tasks = hosts.map((host, index): HostTask<number> => ({ item: index, host, minDelayMs: 1_000, perHost: 2 }));
    const run = runByHost(
      tasks,
      2,
      async (index) => {
        starts.push({ host: hosts[index] as string, at: clock.now() });
        await clock.sleep(50);
        return index * 10;
      },
      { clock },
    );
    const results = await clock.drive(run);
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60]);
    const at = (host: string) => starts.filter((start) => start.host === host).map((start) => start.at);
    expect(at('a')).toEqual([0, 1_000, 2_000, 3_000]);
    expect(at('b')).toEqual([0, 1_000]);
    expect(at('c')).toEqual([50]);
    // In config order with 2 slots the fetcher would have spaced a's four sources first: c started after 3 s.
    expect(Math.max(...starts.map((start) => start.at))).toBe(3_000);
  });

  it('never runs more than `limit` tasks or more than a host’s own limit at once', async () => {
    const clock = createVirtualClock();
    let running = 0;
    let peak = 0;
    const perHost = new Map<string, number>();
    let peakPerHost = 0;
    const tasks = Array.from({ length: 30 }, (_, i): HostTask<string> => ({
      item: `h${i % 5}`,
      host: `h${i % 5}`,
      minDelayMs: 0,
      perHost: 2,
    }));
    await clock.drive(
      runByHost(
        tasks,
        4,
        async (host) => {
          running += 1;
          perHost.set(host, (perHost.get(host) ?? 0) + 1);
          peak = Math.max(peak, running);
          peakPerHost = Math.max(peakPerHost, perHost.get(host) ?? 0);
          await clock.sleep(100);
          running -= 1;
          perHost.set(host, (perHost.get(host) ?? 0) - 1);
        },
        { clock },
      ),
    );
    expect(peak).toBe(4);
    expect(peakPerHost).toBeLessThanOrEqual(2);
  });

  it('spaces a host by each started task’s own delay', async () => {
    const clock = createVirtualClock();
    const starts: number[] = [];
    const tasks: Array<HostTask<number>> = [
      { item: 0, host: 'a', minDelayMs: 5_000, perHost: 1 },
      { item: 1, host: 'a', minDelayMs: 0, perHost: 1 },
      { item: 2, host: 'a', minDelayMs: 0, perHost: 1 },
    ];
    await clock.drive(runByHost(tasks, 8, async () => void starts.push(clock.now()), { clock }));
    expect(starts).toEqual([0, 5_000, 5_000]);
  });

  it('asks the fetcher about the chosen host only, and chooses again when that host is booked further ahead', async () => {
    const clock = createVirtualClock();
    const asked: string[] = [];
    // Host b has a robots.txt request booked for the next 500 ms; the others are free.
    const turnIn = (host: string) => {
      asked.push(host);
      return host === 'b' ? Math.max(0, 500 - clock.now()) : 0;
    };
    const starts: Array<{ host: string; at: number }> = [];
    const hosts = ['b', 'b', 'b', 'a', 'c', 'd', 'e'];
    const tasks = hosts.map((host, index): HostTask<number> => ({ item: index, host, minDelayMs: 0, perHost: 1 }));
    await clock.drive(
      runByHost(tasks, 1, async (index) => void starts.push({ host: hosts[index] as string, at: clock.now() }), {
        clock,
        turnIn,
      }),
    );
    expect(starts.filter((start) => start.host === 'b').map((start) => start.at)).toEqual([500, 500, 500]);
    expect(starts.map((start) => start.host).slice(0, 4)).toEqual(['a', 'c', 'd', 'e']);
    // One question per start, and one more each time b was chosen before its turn.
    expect(asked.length).toBeLessThanOrEqual(hosts.length + 4);
  });

  it('rejects with the first error once the tasks in flight are done', async () => {
    const clock = createVirtualClock();
    const tasks = [0, 1, 2].map((item): HostTask<number> => ({ item, host: `h${item}`, minDelayMs: 0, perHost: 1 }));
    const run = runByHost(
      tasks,
      1,
      async (item) => {
        if (item === 1) throw new Error('boom');
        return item;
      },
      { clock },
    );
    await expect(clock.drive(run)).rejects.toThrow('boom');
  });
});

// --- Internal helpers ---

/** A clock whose time moves only when every pending promise has settled, to the next timer. */
function createVirtualClock(): TurnClock & { sleep(ms: number): Promise<void>; drive<T>(run: Promise<T>): Promise<T> } {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  const setTimer = (ms: number, fn: () => void) => {
    const timer = { at: now + ms, fn };
    timers.push(timer);
    return () => void (timers = timers.filter((entry) => entry !== timer));
  };
  return {
    now: () => now,
    setTimer,
    sleep: (ms) => new Promise<void>((resolve) => void setTimer(ms, resolve)),
    async drive<T>(run: Promise<T>): Promise<T> {
      let settled = false;
      const watched = run.finally(() => void (settled = true));
      watched.catch(() => undefined);
      for (let step = 0; step < 10_000 && !settled; step++) {
        await new Promise((resolve) => setImmediate(resolve));
        if (settled) break;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next) continue;
        now = Math.max(now, next.at);
        next.fn();
      }
      return watched;
    },
  };
}
