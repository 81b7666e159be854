/** The `feedwright` executable's entry: process-level handlers, then main() (main.ts itself does nothing on import). */
import { main } from './main.js';

process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `fatal: unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`,
  );
  process.exit(1);
});

await main(process.argv);
