/**
 * The build rewrites each bundle as ASCII only (scripts/ascii-bundle.ts), so the CLI reads it as
 * one-byte text: the escapes must mean what the characters meant, in regular expressions above all.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAsciiOnly } from '../../../scripts/ascii-bundle.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function bundleFile(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-ascii-'));
  dirs.push(dir);
  const file = join(dir, 'bundle.cjs');
  writeFileSync(file, source);
  return file;
}

describe('writeAsciiOnly', () => {
  it('escapes what esbuild leaves in regular expressions and comments, and they match as before', () => {
    const source = [
      '// 2019年8月27日 下午2时30分',
      'exports.date = /(\\d{4})年(\\d{1,2})月/;',
      'exports.unit = /^(?:小[时時]|[一二两兩三]十)$/u;',
      'exports.emoji = /^[😀-😂]$/u;',
      'exports.slash = /\\\\年/;',
      'exports.text = "通知公告";',
      '',
    ].join('\n');
    const file = bundleFile(source);
    writeAsciiOnly(file);
    const bytes = readFileSync(file);
    expect(isAscii(bytes)).toBe(true);
    const load = createRequire(import.meta.url);
    const escaped = load(file) as Record<string, RegExp | string>;
    const date = escaped.date as RegExp;
    expect(date.exec('生态环境部 2019年8月27日')?.slice(1)).toEqual(['2019', '8']);
    expect((escaped.unit as RegExp).test('小時')).toBe(true);
    expect((escaped.unit as RegExp).test('兩十')).toBe(true);
    expect((escaped.unit as RegExp).test('小')).toBe(false);
    expect((escaped.emoji as RegExp).test('😁')).toBe(true);
    expect((escaped.emoji as RegExp).test('😃')).toBe(false);
    expect((escaped.slash as RegExp).test('\\年')).toBe(true);
    expect(escaped.text).toBe('通知公告');
  });

  it('refuses a character escaped by a backslash, whose meaning an escape would change', () => {
    const file = bundleFile('exports.re = /\\年/;\n');
    expect(() => writeAsciiOnly(file)).toThrow(/bundle\.cjs: a backslash before a non-ASCII character at offset 14/);
    expect(readFileSync(file, 'utf8')).toBe('exports.re = /\\年/;\n');
  });
});
