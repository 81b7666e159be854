import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isLaunchedByNpm, listenForStop } from '../../../src/cli/listen-for-stop.js';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('listenForStop', () => {
  it('stops when the launcher (npm) is gone: the parent pid changes', async () => {
    let parent = 4242;
    const stop = listenForStop({ watchParent: true, pollMs: 500, parentPid: () => parent });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(stop.signal.aborted).toBe(false);
    parent = 1;
    await vi.advanceTimersByTimeAsync(500);
    expect(await stop.stopped).toBe('parent-exited');
    expect(stop.signal.aborted).toBe(true);
    expect(stop.received()).toBe('parent-exited');
  });

  it('does not watch the parent of a worker npm did not launch', async () => {
    let parent = 4242;
    const stop = listenForStop({ watchParent: false, parentPid: () => parent });
    parent = 1;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stop.received()).toBeUndefined();
    process.emit('SIGTERM', 'SIGTERM');
    expect(await stop.stopped).toBe('SIGTERM');
  });

  it('recognises npm exec and npm run by npm_command', () => {
    expect(isLaunchedByNpm({ npm_command: 'exec' })).toBe(true);
    expect(isLaunchedByNpm({ npm_command: 'run-script' })).toBe(true);
    expect(isLaunchedByNpm({})).toBe(false);
  });
});
