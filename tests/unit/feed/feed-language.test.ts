import { describe, expect, it } from 'vitest';
import { feedLanguage } from '../../../src/feed/index.js';

describe('feedLanguage', () => {
  it.each([
    ['zh-Hant-TW', 't2s', 'zh-Hans'],
    ['zh-TW', 't2s', 'zh-Hans'],
    [undefined, 't2s', 'zh-Hans'],
    ['zh-CN', 's2t', 'zh-Hant'],
    ['zh', 's2t', 'zh-Hant'],
    ['en', 't2s', 'en'],
    ['zh-Hant-TW', undefined, 'zh-Hant-TW'],
    [undefined, undefined, undefined],
  ] as const)('declares %s converted with %s as %s', (language, convert, expected) => {
    expect(feedLanguage(language, convert)).toBe(expected);
  });
});
