/**
 * What stops the worker: SIGINT, SIGTERM, or — when npm launched it — the end of its launcher.
 *
 * `npx feedwright start` runs the worker under `npm exec`, which runs `sh -c feedwright …`. npm
 * forwards SIGTERM to that shell, and dash dies of it without passing it on: the worker would be
 * left running, reparented. So under npm the worker also watches its parent process, and stops
 * gracefully (as on SIGTERM) when the parent is gone. A worker started any other way (systemd,
 * a container, nohup) is not tied to its parent.
 */

/** The reason the worker stops: a signal's name, or `parent-exited`. */
export type StopReason = NodeJS.Signals | 'parent-exited';

/** Stop requests as a promise and as an abort signal for waits that must end at once. */
export interface StopListener {
  signal: AbortSignal;
  stopped: Promise<StopReason>;
  received(): StopReason | undefined;
}

/** Options for {@link listenForStop}; the defaults read the real process. */
export interface StopListenerOptions {
  /** Watch the parent process (default: when npm launched this process). */
  watchParent?: boolean;
  /** How often the parent is checked; default 500 ms. */
  pollMs?: number;
  parentPid?: () => number;
}

/** Listens for SIGINT/SIGTERM (and the launcher's end under npm) until the first one comes. */
export function listenForStop(options: StopListenerOptions = {}): StopListener {
  const controller = new AbortController();
  const parentPid = options.parentPid ?? (() => process.ppid);
  const watchParent = options.watchParent ?? isLaunchedByNpm(process.env);
  let received: StopReason | undefined;
  let poll: NodeJS.Timeout | undefined;
  const stopped = new Promise<StopReason>((resolve) => {
    const stop = (reason: StopReason): void => {
      if (received) return;
      received = reason;
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      clearInterval(poll);
      controller.abort();
      resolve(reason);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (watchParent) {
      const parent = parentPid();
      poll = setInterval(() => {
        if (parentPid() !== parent) stop('parent-exited');
      }, options.pollMs ?? 500);
      // The watch alone never keeps the process alive.
      poll.unref();
    }
  });
  return { signal: controller.signal, stopped, received: () => received };
}

/** npm (7+) sets npm_command for `npm exec`/`npx` and `npm run`/`npm start`. */
export function isLaunchedByNpm(env: NodeJS.ProcessEnv): boolean {
  return typeof env.npm_command === 'string' && env.npm_command !== '';
}
