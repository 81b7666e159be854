/** cli/main.ts is a module like any other: importing it parses no arguments and sets no exit code. */
import { describe, expect, it } from 'vitest';

describe('cli/main', () => {
  it('does nothing on import and builds the program on request', async () => {
    const before = process.exitCode;
    const listeners = process.listenerCount('unhandledRejection');
    const { buildProgram } = await import('../../../src/cli/main.js');
    expect(process.exitCode).toBe(before);
    expect(process.listenerCount('unhandledRejection')).toBe(listeners);
    expect(buildProgram().commands.map((command) => command.name())).toContain('start');
  });
});
