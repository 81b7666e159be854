/**
 * Runs the real `feedwright` CLI from the sources in a child process: the copy transpiled once per
 * run by tests/global-setup.ts, or through tsx when there is none (a run without that setup).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { inject } from 'vitest';

const CLI = new URL('../../src/cli/bin.ts', import.meta.url).pathname;
/** tsx's loader by absolute URL: the child's working directory (a temp dir) has no node_modules. */
const TSX = import.meta.resolve('tsx');
const TRANSPILED = inject('testCli');

/** The argv that runs `feedwright ...args` (for wrappers such as `script`, which give it a terminal). */
export function cliCommand(args: string[]): string[] {
  if (TRANSPILED && existsSync(TRANSPILED)) return [process.execPath, TRANSPILED, ...args];
  return [process.execPath, '--import', TSX, CLI, ...args];
}

/** What a finished CLI run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `feedwright ...args` in `cwd` and waits for it. */
export function runCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const [node, ...argv] = cliCommand(args);
    execFile(node as string, argv, { cwd, env: { ...process.env, NO_COLOR: '1', ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `feedwright ...args` without waiting (for signals and kills). */
export function spawnCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const [node, ...argv] = cliCommand(args);
  return spawn(node as string, argv, {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
