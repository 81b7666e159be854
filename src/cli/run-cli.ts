/** What the executable runs: process-level handlers, then main() (main.ts itself does nothing on import). */
import { main } from './main.js';

/** Installs the handler for unhandled rejections and runs the program on `argv`. */
export async function runCli(argv: string[]): Promise<void> {
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(
      `fatal: unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`,
    );
    process.exit(1);
  });
  await main(argv);
}
