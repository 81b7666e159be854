/** Runs the real `feedwright` CLI from the TypeScript sources in a child process. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';

const CLI = new URL('../../src/cli/bin.ts', import.meta.url).pathname;
/** tsx's loader by absolute URL: the child's working directory (a temp dir) has no node_modules. */
const TSX = import.meta.resolve('tsx');

/** The argv that runs `feedwright ...args` (for wrappers such as `script`, which give it a terminal). */
export function cliCommand(args: string[]): string[] {
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
    execFile(process.execPath, ['--import', TSX, CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `feedwright ...args` without waiting (for signals and kills). */
export function spawnCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}
