// Loader hooks for tests/e2e/lazy-loading.test.ts: appends the URL of every module the process loads
// (ESM imports and the CommonJS files they require through createRequire) to the file in MODULE_LOG.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (process.env.MODULE_LOG) appendFileSync(process.env.MODULE_LOG, `${url}\n`);
  return nextLoad(url, context);
}
