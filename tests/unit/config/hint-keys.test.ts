/**
 * Every config key a hint tells the operator to change must exist: a hint naming `maxBytes` when the
 * config calls it `maxSize` sends the operator to write a field that `check` then rejects.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { buildConfigJsonSchema } from '../../../src/config/json-schema.js';

const srcDir = new URL('../../../src/', import.meta.url).pathname;

describe('hints name real config keys', () => {
  const keys = schemaKeys(buildConfigJsonSchema());
  const hints = collectHintTexts(srcDir);

  it('finds the hints in the source (the scan itself works)', () => {
    expect(hints.length).toBeGreaterThan(40);
    expect(keys).toContain('maxSize');
    expect(keys).toContain('connectTimeout');
  });

  it('every camelCase word or `key` in a hint is a field of the config schema', () => {
    const unknown = hints.flatMap(({ file, text }) =>
      namedKeys(text)
        .filter((key) => !keys.has(key))
        .map((key) => `${file}: "${key}" in "${text.slice(0, 70)}"`),
    );
    expect(unknown).toEqual([]);
  });

  it('recognises the names the audit found', () => {
    expect(namedKeys('raise headersTimeoutMs or `maxBytes`, see `robots: ignore` and `feedwright check`')).toEqual([
      'headersTimeoutMs',
      'maxBytes',
      'robots',
    ]);
  });
});

// --- Internal helpers ---

/** Config keys a text names: camelCase words, and `key` or `key: value` in backticks. */
function namedKeys(text: string): string[] {
  const camel = text.match(/\b[a-z]+[A-Z][A-Za-z]*\b/g) ?? [];
  const quoted = [...text.matchAll(/`([A-Za-z][A-Za-z0-9]*)(?::[^`]*)?`/g)].map((match) => match[1]!);
  return [...new Set([...camel, ...quoted])].filter((word) => !NOT_KEYS.has(word));
}

/** Words in backticks that are values or commands, not keys. */
const NOT_KEYS = new Set(['all', 'obey', 'ignore', 'auto', 'html', 'feed']);

/** Every property name anywhere in the JSON Schema. */
function schemaKeys(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const entry of schema) schemaKeys(entry, out);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties' && typeof value === 'object' && value !== null)
        for (const name of Object.keys(value)) out.add(name);
      schemaKeys(value, out);
    }
  }
  return out;
}

/** String pieces inside `hint:` properties, `*hint*` variables, `hint = …` and functions named `*hint*`. */
function collectHintTexts(dir: string): Array<{ file: string; text: string }> {
  const found: Array<{ file: string; text: string }> = [];
  for (const file of listSources(dir)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node, inHint: boolean): void => {
      const hint = inHint || isHintNode(node);
      if (hint && isStringPiece(node)) found.push({ file: file.slice(dir.length), text: node.text });
      ts.forEachChild(node, (child) => visit(child, hint));
    };
    visit(source, false);
  }
  return found;
}

function isHintNode(node: ts.Node): boolean {
  if (ts.isPropertyAssignment(node) || ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node)) {
    return node.name !== undefined && /hint/i.test(node.name.getText());
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    return /hint$/i.test(node.left.getText());
  return false;
}

function isStringPiece(
  node: ts.Node,
): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateLiteralLikeNode {
  return (
    ts.isStringLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTemplateHead(node) ||
    ts.isTemplateMiddle(node) ||
    ts.isTemplateTail(node)
  );
}

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}
