/**
 * Reads the config text into plain data, two ways. The `yaml` package keeps each node's line and
 * column, which every problem message needs, but reading a 200-source config with it in a fresh
 * process costs ~0.2 s of CPU (35–40 ms to import, 120–170 ms to parse: its lexer and composer
 * still run unoptimised that early), a third of `check`'s and a worker's start-up. js-yaml reads
 * the same text in 25–40 ms and imports in 7 ms, but knows no positions. So a config is read with
 * js-yaml first; `yaml` is loaded only when there is something to point at (loadConfig's located
 * path) or text js-yaml might read differently from it.
 */
import { createRequire } from 'node:module';
import { CORE_SCHEMA, load } from 'js-yaml';

/** The `yaml` package's API (parseDocument, LineCounter, visit…). */
export type YamlLibrary = typeof import('yaml');

/**
 * The config as plain data read by js-yaml with the YAML 1.2 core schema (what `yaml` uses by
 * default), or undefined when the text needs the located path: js-yaml refuses it (a syntax
 * error, a duplicate key, several documents), it has a `%` directive (`%YAML 1.1` changes how `yaml`
 * reads booleans and merge keys), or an alias repeats a mapping or list (`yaml` bounds alias expansion).
 */
export function readPlainQuickly(text: string): unknown {
  if (/^%/m.test(text)) return undefined;
  let data: unknown;
  try {
    data = load(text, { schema: CORE_SCHEMA });
  } catch {
    // The located path reports it, with the line and column `yaml` gives.
    return undefined;
  }
  if (repeatsContainer(data)) return undefined;
  return data ?? {};
}

/** Loads `yaml` synchronously on first use (its CommonJS build is the one an import loads in Node too). */
export function yamlLibrary(): YamlLibrary {
  return (library ??= createRequire(import.meta.url)('yaml') as YamlLibrary);
}

// --- Internal helpers ---

let library: YamlLibrary | undefined;

/** Whether one object or array is reached twice: js-yaml shares an aliased node instead of copying it. */
function repeatsContainer(root: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (seen.has(node)) return true;
    seen.add(node);
    for (const value of Object.values(node)) stack.push(value);
  }
  return false;
}
