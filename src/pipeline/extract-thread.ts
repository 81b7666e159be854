/**
 * The module an extraction thread loads (extract-pool.ts names it): the worker from the one-file
 * bundle the build writes (extract-worker-bundle.ts), or from its modules (extract-worker.ts) when
 * there is none or it is stale. A bundle that cannot be loaded (a build cut short leaves half a file)
 * is passed over for the modules, which were compiled before it was written. Compiled code only: run
 * through tsx, the pool's threads load extract-worker.ts itself.
 */
import { loadExtractWorkerBundle, type ExtractWorkerBundle } from './extract-worker-bundle.js';

const extractInWorker: ExtractWorkerBundle['default'] =
  loadBundledWorker() ?? (await import('./extract-worker.js')).default;

/** piscina calls the default export once per task. */
export default extractInWorker;

function loadBundledWorker(): ExtractWorkerBundle['default'] | undefined {
  try {
    return loadExtractWorkerBundle()?.exports.default;
  } catch (error) {
    process.stderr.write(
      `feedwright: an extraction thread cannot load its bundle (${(error as Error).message}); running the compiled modules instead. ` +
        '`npm run build` writes it again.\n',
    );
    return undefined;
  }
}
