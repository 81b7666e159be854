import { describe, expect, it } from 'vitest';
import { fingerprintItem, normalizeTitle } from '../../../src/store/index.js';

describe('fingerprintItem', () => {
  it.each([
    [
      'the canonical link, whatever the title or source',
      { title: 'a', link: 'https://x/1?utm_source=z', canonicalLink: 'https://x/1' },
      's1',
      { title: 'b', link: 'https://x/1', canonicalLink: 'https://x/1' },
      's2',
      true,
    ],
    [
      'a link without canonical form, ignoring the fragment',
      { title: 'a', link: 'https://x/1#top' },
      's',
      { title: 'a', link: 'https://x/1' },
      's',
      true,
    ],
    ['different links', { title: 'a', link: 'https://x/1' }, 's', { title: 'a', link: 'https://x/2' }, 's', false],
    ['a normalised title within one source', { title: 'Ｈｅｌｌｏ   World' }, 's', { title: 'hello world' }, 's', true],
    ['a title in another source', { title: 'hello' }, 's1', { title: 'hello' }, 's2', false],
    [
      'the source guid before the title',
      { title: 'old', sourceGuid: 'g-1' },
      's',
      { title: 'new', sourceGuid: 'g-1' },
      's',
      true,
    ],
  ])('identifies by %s', (_name, a, sa, b, sb, same) => {
    expect(fingerprintItem(sa, a) === fingerprintItem(sb, b)).toBe(same);
  });

  it('is 32 hex characters', () => {
    expect(fingerprintItem('s', { title: 'x' })).toMatch(/^[0-9a-f]{32}$/);
  });

  it('normalises titles with NFKC, folded whitespace and case folding', () => {
    expect(normalizeTitle('  ＡＢＣ\t\n  Def　ghi ')).toBe('abc def ghi');
  });
});
