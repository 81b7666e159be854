/**
 * Turns what the YAML parser reports into config problems that point at the mistake: an unclosed
 * quote where it opens (the parser notices only at the end of the file), and an alias bomb (aliases
 * nested so they expand to millions of nodes) as a config error at its first alias, not a crash.
 */
import type { Document, LineCounter, YAMLError } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { yamlLibrary } from './read-config-text.js';

/** The parser's syntax errors as problems, each at the line and column where the mistake starts. */
export function describeSyntaxErrors(doc: Document, text: string, lines: LineCounter, file: string): ConfigProblem[] {
  return doc.errors.map((error): ConfigProblem => {
    const detail = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    const opening = error.code === 'MISSING_CHAR' ? findUnclosedQuote(text, error) : undefined;
    if (opening !== undefined) {
      const { line, col } = lines.linePos(opening);
      const message = `YAML syntax: the quoted string opened here is never closed (${detail})`;
      return { file, line, column: col, field: '', message, severity: 'error' };
    }
    const pos = error.linePos?.[0];
    return { file, line: pos?.line, column: pos?.col, field: '', message: `YAML syntax: ${detail}`, severity: 'error' };
  });
}

/** The document as plain data; throws ConfigError when its aliases expand past the parser's limit. */
export function readPlainData(doc: Document, lines: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (cause) {
    // toJS throws a ReferenceError only for aliases (one naming no anchor, or too many expansions).
    if (!(cause instanceof ReferenceError)) throw cause;
    const unresolved = findUnresolvedAlias(doc);
    const at = unresolved?.offset ?? firstAliasOffset(doc);
    const position = at === undefined ? undefined : lines.linePos(at);
    const message = unresolved
      ? `YAML alias *${unresolved.name} refers to no anchor &${unresolved.name} defined before it`
      : `YAML aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias expansions, as in an alias bomb)`;
    const problem: ConfigProblem = {
      file,
      line: position?.line,
      column: position?.col,
      field: '',
      message,
      severity: 'error',
    };
    throw new ConfigError('CONFIG_PARSE', file, [problem], {
      cause,
      hint: unresolved
        ? `Define the anchor (&${unresolved.name}) before the alias, or write the value out.`
        : 'A config needs no deeply nested aliases (*name); write the values out or use fewer aliases.',
    });
  }
}

// --- Internal helpers ---

/** The yaml package's own default: a real config stays far below it, a bomb exceeds it at once. */
const MAX_ALIAS_COUNT = 100;

/** Where the quoted scalar that runs up to the error starts (the parser reports its end). */
function findUnclosedQuote(text: string, error: YAMLError): number | undefined {
  const end = error.pos[0];
  let found: number | undefined;
  const search = (node: unknown): void => {
    if (found !== undefined || typeof node !== 'object' || node === null) return;
    const token = node as { type?: unknown; offset?: unknown; source?: unknown };
    if (typeof token.type === 'string' && token.type.endsWith('quoted-scalar') && typeof token.offset === 'number') {
      const length = typeof token.source === 'string' ? token.source.length : 0;
      if (token.offset < end && token.offset + length >= end) found = token.offset;
      return;
    }
    for (const value of Object.values(node)) search(value);
  };
  for (const token of new (yamlLibrary().Parser)().parse(text)) search(token);
  return found;
}

function findUnresolvedAlias(doc: Document): { name: string; offset?: number } | undefined {
  const { isAlias, visit } = yamlLibrary();
  let found: { name: string; offset?: number } | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (!isAlias(node) || node.resolve(doc) !== undefined) return undefined;
      found = { name: node.source, offset: node.range?.[0] };
      return visit.BREAK;
    },
  });
  return found;
}

function firstAliasOffset(doc: Document): number | undefined {
  const { isAlias, visit } = yamlLibrary();
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) offset = node.range[0];
      return visit.BREAK;
    },
  });
  return offset;
}
