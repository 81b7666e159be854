/**
 * runVendorBundle reads every bundle and code cache into one reused buffer and decodes the bundle
 * inside its CommonJS wrapper in one go: each bundle must still run as the module it is (its own
 * exports, text and line numbers), whatever was read before or after it, ASCII or UTF-8.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVendorBundle, writeVendorCodeCache } from '../../../src/vendor/vendor-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'feedwright-vendor-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bundleFile(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

describe('runVendorBundle', () => {
  it('runs a bundle as a CommonJS module, with the line numbers of its file', () => {
    const path = bundleFile(
      'lines.cjs',
      ['exports.name = __filename;', 'exports.fail = () => {', "  throw new Error('line 3');", '};', ''].join('\n'),
    );
    const run = runVendorBundle<{ name: string; fail: () => void }>(path);
    expect(run?.exports.name).toBe(path);
    expect(run?.origin).toBe('bundle');
    let stack = '';
    try {
      run?.exports.fail();
    } catch (error) {
      stack = (error as Error).stack ?? '';
    }
    expect(stack).toContain(`${path}:3:`);
  });

  it('keeps each bundle its text when a larger one and code caches are read after it into the same buffer', () => {
    const small = bundleFile('small.cjs', "module.exports = { text: 'small bundle, ASCII only' };\n");
    // Not ASCII (an older build's bundle): decoded as UTF-8, wrapper included.
    const large = bundleFile(
      'large.cjs',
      `module.exports = { text: '生态环境部印发《通知》 ${'x'.repeat(300_000)}', tail: '完' };\n`,
    );
    const first = runVendorBundle<{ text: string }>(small);
    const second = runVendorBundle<{ text: string; tail: string }>(large);
    if (!second) throw new Error('no bundle');
    writeVendorCodeCache(large, second);
    const again = runVendorBundle<{ text: string; tail: string }>(large);
    expect(first?.exports.text).toBe('small bundle, ASCII only');
    expect(second.exports.text.startsWith('生态环境部印发《通知》 xxx')).toBe(true);
    expect(second.exports.text).toHaveLength(12 + 300_000);
    expect(again?.exports.tail).toBe('完');
    expect(again?.origin).toBe('bundle, code cache');
    expect(runVendorBundle<{ text: string }>(small)?.exports.text).toBe('small bundle, ASCII only');
  });

  it('gives undefined when there is no bundle', () => {
    expect(runVendorBundle(join(dir, 'missing.cjs'))).toBeUndefined();
  });
});
