#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build` or on install); falls back to the
// TypeScript sources through tsx in a development checkout that has not been built.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// undici parses HTTP with llhttp compiled to WebAssembly on the first request. V8's optimising
// compile of it briefly took ~35 MB of memory and ~60 ms of CPU (peak RSS 98 -> 64 MB for one request);
// its baseline (Liftoff) code parses a 100 KB response in well under a millisecond, a small part of a page's cost.
// Set before anything compiles WebAssembly, so it applies to every module this process compiles.
setFlagsFromString('--liftoff-only');

const compiled = new URL('../dist/cli/bin.js', import.meta.url);
if (existsSync(fileURLToPath(compiled))) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/bin.ts', import.meta.url).href);
}
