/**
 * Validates config text with the zod schema, and reports every problem once with file, line and
 * field. A file without problems is read by js-yaml and needs no positions; the `yaml` package, which
 * keeps them, reads it only when there is a problem to point at (read-config-text.ts).
 */
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import type { ExecutableProbe } from './check-browser.js';
import { checkSemantics, type SemanticProblem } from './check-semantics.js';
import { ConfigError, formatFieldPath, type ConfigProblem } from './config-error.js';
import type { LoadedConfig } from './load-config.js';
import { locateField } from './locate-field.js';
import { readPlainQuickly, yamlLibrary } from './read-config-text.js';
import { describeSyntaxErrors, readPlainData } from './yaml-problems.js';
import { resolveConfig } from './resolve-config.js';
import { suggestField } from './suggest-field.js';
import { configSchema, defaultsSchema, sourceSchema, topicFeedSchema, type RawConfig } from './schema.js';

/** Validates config text as if read from `file` (used by loadConfig and tests; `isExecutable` probes for Chromium). */
export function parseConfigText(text: string, file: string, isExecutable?: ExecutableProbe): LoadedConfig {
  const plain = readPlainQuickly(text);
  if (plain !== undefined) {
    const parsed = configSchema.safeParse(plain);
    if (parsed.success && checkSemantics(parsed.data, isExecutable).length === 0)
      return { config: resolveConfig(parsed.data, file), warnings: [] };
  }
  // Something to report (a warning too) or text only `yaml` may read: again, with positions.
  return parseWithLocations(text, file, isExecutable);
}

// --- Internal helpers ---

/** Parses with `yaml`, keeping each node's position, and reports every problem at its line and column. */
function parseWithLocations(text: string, file: string, isExecutable?: ExecutableProbe): LoadedConfig {
  const { LineCounter, parseDocument } = yamlLibrary();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const syntax = describeSyntaxErrors(doc, text, lines, file);
  if (syntax.length > 0) throw new ConfigError('CONFIG_PARSE', file, syntax);

  const input = readPlainData(doc, lines, file);
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    // Report the cross-field problems of the entries that are valid too, so one `check` lists everything.
    const partial = parseValidParts(input);
    const semantic = partial
      ? checkSemantics(partial, isExecutable).map((problem) => semanticProblem(problem, doc, lines, file))
      : [];
    const schema = parsed.error.issues.map((issue) => schemaProblem(issue, input, doc, lines, file));
    throw new ConfigError('CONFIG_INVALID', file, sortProblems([...schema, ...semantic]));
  }
  const semantic = checkSemantics(parsed.data, isExecutable).map((problem) => semanticProblem(problem, doc, lines, file));
  if (semantic.some((problem) => problem.severity === 'error'))
    throw new ConfigError('CONFIG_INVALID', file, sortProblems(semantic));
  return { config: resolveConfig(parsed.data, file), warnings: semantic };
}

/**
 * The config with every invalid source or feed replaced by an inert placeholder (keeping indexes,
 * so problem paths still point at the right entry); undefined when even the top level is unusable.
 */
function parseValidParts(input: unknown): RawConfig | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const record = input as Record<string, unknown>;
  const placeholder = (raw: unknown, index: number) => ({
    id:
      typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : `\u0000invalid-${index}`,
  });
  const sources = (Array.isArray(record.sources) ? record.sources : []).map((raw: unknown, index: number) => {
    const result = sourceSchema.safeParse(raw);
    return result.success ? result.data : { ...placeholder(raw, index), url: 'http://invalid.invalid/' };
  });
  const feeds = (Array.isArray(record.feeds) ? record.feeds : []).map((raw: unknown, index: number) => {
    const result = topicFeedSchema.safeParse(raw);
    return result.success
      ? result.data
      : {
          ...placeholder(raw, index),
          title: '',
          sources: 'all' as const,
          include: [],
          exclude: [],
          match: ['title' as const],
        };
  });
  const defaults = defaultsSchema.safeParse(record.defaults ?? {});
  const base = configSchema.safeParse({ sources: [{ id: 'x', url: 'http://x.invalid/' }] });
  if (!base.success) return undefined;
  return { ...base.data, defaults: defaults.success ? defaults.data : {}, sources, feeds };
}

function semanticProblem(problem: SemanticProblem, doc: Document, lines: LineCounter, file: string): ConfigProblem {
  return {
    file,
    ...locateField(doc, lines, problem.path),
    field: formatFieldPath(problem.path),
    message: problem.message,
    severity: problem.severity,
  };
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function schemaProblem(
  issue: z.core.$ZodIssue,
  input: unknown,
  doc: Document,
  lines: LineCounter,
  file: string,
): ConfigProblem {
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const suggestions = issue.keys
      .map((key) => [key, suggestField(configSchema, path, key)] as const)
      .filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
    const hint =
      suggestions.length > 0
        ? `did you mean ${suggestions.map(([key, field]) => `\`${field}\`${issue.keys.length > 1 ? ` for "${key}"` : ''}`).join(', ')}? See`
        : 'check the spelling; see';
    message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')} (${hint} \`feedwright schema\`)`;
    // Point at the unknown key itself rather than its parent.
    const location = locateField(doc, lines, [...path, issue.keys[0] ?? '']);
    return { file, ...location, field: formatFieldPath([...path, issue.keys[0] ?? '']), message, severity: 'error' };
  }
  if (issue.code === 'invalid_type') {
    // zod leaves `issue.input` out, so whether the field is there is read from the parsed file.
    const given = valueAt(input, path);
    message = given.present ? `${message}, got ${describeValue(given.value)}` : `missing required field: ${message}`;
  }
  return { file, ...locateField(doc, lines, path), field: formatFieldPath(path), message, severity: 'error' };
}

/** The value at `path` in the parsed file, and whether the last key is there at all. */
function valueAt(input: unknown, path: ReadonlyArray<string | number>): { present: boolean; value?: unknown } {
  let node: unknown = input;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return { present: false };
    node = (node as Record<string | number, unknown>)[key];
  }
  return { present: node !== undefined, value: node };
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return String(value);
}
