/**
 * `start`'s start-up pass: the config's `worker.initialRun` decides unless a flag is given. commander
 * gives a lone `--no-initial-run` the default `true`, which used to override `initialRun: false` in
 * every config (the scale-out scenario's workers ran a pass at start-up that spilled into its first slot).
 */
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/main.js';

async function startOptions(args: string[]): Promise<Record<string, unknown>> {
  const program = buildProgram();
  const start = program.commands.find((command) => command.name() === 'start')!;
  let seen: Record<string, unknown> = {};
  // The real action would start a worker: take the options it would be handed instead.
  start.action((opts: Record<string, unknown>) => void (seen = opts));
  await program.parseAsync(['start', ...args], { from: 'user' });
  return seen;
}

describe('feedwright start: initial run', () => {
  it('leaves the start-up pass to worker.initialRun when no flag is given', async () => {
    const opts = await startOptions([]);
    expect(opts.initialRun).toBeUndefined();
  });

  it('lets --no-initial-run and --initial-run override the config', async () => {
    expect((await startOptions(['--no-initial-run'])).initialRun).toBe(false);
    expect((await startOptions(['--initial-run'])).initialRun).toBe(true);
  });
});
