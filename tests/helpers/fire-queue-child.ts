/**
 * A worker process for the fire-queue tests: joins the queue of namespace argv[2], queues one fire
 * of source `killed` (slot argv[4]) and runs it by printing `start killed` and then hanging, so the
 * test can SIGKILL it mid-run.
 */
import { pino } from 'pino';
import { openFireQueue } from '../../src/schedule/fire-queue.js';

const namespace = process.argv[2] ?? 'missing';
const lockMs = Number(process.argv[3] ?? 2000);
const queue = await openFireQueue({
  url: 'redis://127.0.0.1:6379',
  namespace,
  concurrency: 1,
  lockMs,
  logger: pino({ level: 'silent' }),
  runSource: async (sourceId) => {
    process.stdout.write(`start ${sourceId}\n`);
    return new Promise(() => undefined);
  },
});
await queue.enqueue({ sourceId: 'killed', fireAt: new Date(Number(process.argv[4])), slotMs: 60_000, delayMs: 0 });
process.stdout.write('queued\n');
