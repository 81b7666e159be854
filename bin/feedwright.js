#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build` or on install); falls back to the
// TypeScript sources through tsx in a development checkout that has not been built.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { CLI_V8_FLAGS } from './v8-flags.js';

// Set before anything compiles (WebAssembly included), so they apply to every module this process compiles.
for (const flag of CLI_V8_FLAGS) setFlagsFromString(flag);

const compiled = new URL('../dist/cli/bin.js', import.meta.url);
if (existsSync(fileURLToPath(compiled))) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/bin.ts', import.meta.url).href);
}
