/**
 * Stopping the worker however it is launched: `node bin/feedwright.js start` (the tsx fallback of
 * an unbuilt checkout, in-process: no child process) and `npx feedwright start` (npm exec with the
 * project's .npmrc, and with dash as npm's script shell). SIGTERM to the launched process stops the
 * worker within its shutdown timeout, waits for the run in flight, and leaves no process behind.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/http-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NPX = join(dirname(process.execPath), 'npx');
const SHUTDOWN_TIMEOUT_MS = 8_000;
const PAGE =
  '<html><head><meta charset="utf-8"></head><body><ul class="list"><li><a href="/n/1.html">通知一</a></li></ul></body></html>';

let server: TestServer;
let dir: string;
const children: ChildProcess[] = [];
let slowInFlight = 0;
let slowCompleted = 0;

beforeAll(async () => {
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/slow/': async (_req, res) => {
      slowInFlight += 1;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      slowInFlight -= 1;
      slowCompleted += 1;
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'feedwright-stopping-'));
  // An unbuilt checkout: the bin, the sources and the dependencies, no dist/ (the tsx fallback).
  const checkout = join(dir, 'checkout');
  mkdirSync(checkout, { recursive: true });
  cpSync(join(ROOT, 'bin'), join(checkout, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(checkout, 'package.json'));
  symlinkSync(join(ROOT, 'src'), join(checkout, 'src'));
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'));
});

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // A worker a failed case left behind, found by this run's own config folder.
  for (const left of processesNaming(dir)) process.kill(left.pid, 'SIGKILL');
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A config whose path is unique to the test, so its processes can be found by their arguments. */
function writeConfig(name: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      'store: memory://',
      `output: ${join(dir, `out-${name}`)}`,
      'worker:',
      '  jitter: 0ms',
      `  shutdownTimeout: ${SHUTDOWN_TIMEOUT_MS}ms`,
      'defaults:',
      '  schedule: "* * * * * *"',
      '  minDelay: 0ms',
      '  retries: 0',
      'sources:',
      '  - id: slow',
      `    url: ${server.origin}/slow/`,
      '    items: ul.list > li',
    ].join('\n'),
  );
  return file;
}

function launch(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; stderr: () => string } {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout!.resume();
  return { child, stderr: () => stderr };
}

/** Every process whose command line names `marker`, with its parent. */
function processesNaming(marker: string): Array<{ pid: number; ppid: number; args: string }> {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && match[3]!.includes(marker))
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3]! }));
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Starts the worker, waits for a run in flight, sends SIGTERM to the launched process; returns what happened. */
async function stopWhileRunning(launched: { child: ChildProcess; stderr: () => string }, config: string) {
  await until(() => launched.stderr().includes('worker started'), 90_000, 'the worker to start');
  await until(() => slowInFlight > 0, 10_000, 'a run in flight');
  const completedBefore = slowCompleted;
  const tree = processesNaming(config);
  const sentAt = Date.now();
  launched.child.kill('SIGTERM');
  const exit = await exitOf(launched.child);
  const exitedAfterMs = Date.now() - sentAt;
  // Whatever the launcher did, the worker itself must be gone within the shutdown timeout.
  await until(() => processesNaming(config).length === 0, SHUTDOWN_TIMEOUT_MS + 2_000, 'no process left').catch(
    () => undefined,
  );
  return { exit, exitedAfterMs, tree, left: processesNaming(config), completedBefore, stoppedAt: Date.now() - sentAt };
}

describe('stopping `feedwright start`', () => {
  it('node bin/feedwright.js start (tsx fallback): one process, SIGTERM waits for the run, exit 0, nothing left', async () => {
    const config = writeConfig('node-bin');
    const launched = launch(process.execPath, [join(dir, 'checkout/bin/feedwright.js'), 'start', '-c', config], dir);
    const result = await stopWhileRunning(launched, config);
    // In-process: the launched node is the worker, with no child process of its own.
    expect(result.tree.map((p) => p.pid)).toEqual([launched.child.pid]);
    expect(result.exit).toEqual({ code: 0, signal: null });
    expect(result.exitedAfterMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(slowCompleted).toBeGreaterThan(result.completedBefore);
    expect(result.left).toEqual([]);
    expect(launched.stderr()).toContain('worker stopped');
  }, 120_000);

  it('npx feedwright start: the signal reaches the worker through npm, exit 0, nothing left', async () => {
    const config = writeConfig('npx-bash');
    const launched = launch(NPX, ['--yes', '--ignore-scripts', 'feedwright', 'start', '-c', config], ROOT);
    const result = await stopWhileRunning(launched, config);
    // npm exec, then the worker itself (bash execs it): no shell in between to swallow the signal.
    expect(result.tree.some((p) => p.ppid === launched.child.pid && /node .*feedwright/.test(p.args))).toBe(true);
    expect(result.exit).toEqual({ code: 0, signal: null });
    expect(result.exitedAfterMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(result.left).toEqual([]);
    expect(launched.stderr()).toContain('SIGTERM received: stopping the schedule');
    expect(launched.stderr()).toContain('worker stopped');
  }, 120_000);

  it('npx with dash as the script shell: npm dies of the signal, but the worker stops by itself, nothing left', async () => {
    const config = writeConfig('npx-sh');
    const launched = launch(
      NPX,
      ['--yes', '--ignore-scripts', '--script-shell=/bin/sh', 'feedwright', 'start', '-c', config],
      ROOT,
    );
    const result = await stopWhileRunning(launched, config);
    // npm exec → sh -c feedwright … → node: the shell dies of the SIGTERM npm forwards.
    expect(result.tree.some((p) => p.ppid === launched.child.pid && /^(\/bin\/)?sh -c/.test(p.args))).toBe(true);
    // npm itself ends with the signal (143 in a shell's terms).
    expect(result.exit.code === 143 || result.exit.signal === 'SIGTERM').toBe(true);
    expect(result.left).toEqual([]);
    expect(result.stoppedAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 2_000);
    // The worker outlives npm, so its last lines can still be in the pipe when its process is gone.
    await until(() => launched.stderr().includes('worker stopped'), 5_000, "the worker's last log line").catch(
      () => undefined,
    );
    expect(launched.stderr()).toContain('the npm process that launched the worker is gone');
    expect(launched.stderr()).toContain('worker stopped');
  }, 120_000);
});
