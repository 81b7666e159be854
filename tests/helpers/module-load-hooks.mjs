// Module logging for tests/e2e/lazy-loading.test.ts: appends the URL of every module the process loads
// to the file in MODULE_LOG. Imported with `--import` in the child: it registers the loader hook below
// (ESM imports, and the CommonJS files an import reaches) and, in the main thread, wraps the
// CommonJS loader, which loader hooks do not see on Node 20 for `createRequire(…)(name)` calls (how
// the config checks load cheerio-select and `yaml`, and linear-regex re2js, on first use).
import { appendFileSync } from 'node:fs';
import Module, { isBuiltin, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

export async function load(url, context, nextLoad) {
  if (process.env.MODULE_LOG) appendFileSync(process.env.MODULE_LOG, `${url}\n`);
  return nextLoad(url, context);
}

if (isMainThread && process.env.MODULE_LOG && !globalThis.__moduleLogInstalled) {
  globalThis.__moduleLogInstalled = true;
  register(import.meta.url);
  const original = Module._load;
  Module._load = function (request, parent, isMain) {
    if (!isBuiltin(request)) {
      try {
        const file = Module._resolveFilename(request, parent, isMain);
        appendFileSync(process.env.MODULE_LOG, `${pathToFileURL(file).href}\n`);
      } catch {
        // Left to the real loader, which throws its own error.
      }
    }
    return original.apply(this, arguments);
  };
}
