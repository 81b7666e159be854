/** A server rendering from the store keeps answering with what it rendered last while the store is away. */
import { describe, expect, it } from 'vitest';
import { createRenderedCache, type DocumentRenderer } from '../../../src/serve/rendered-cache.js';

function flakyRenderer(): DocumentRenderer & { down: boolean; renders: number } {
  const renderer = {
    down: false,
    renders: 0,
    async version(name: string) {
      if (renderer.down) throw new Error('store: no answer within 3000 ms');
      return name === 'a.rss.xml' ? 'v1' : undefined;
    },
    async render(name: string) {
      renderer.renders += 1;
      return {
        version: 'v1',
        lastModified: new Date('2026-11-30T10:00:00Z'),
        documents: [{ name, body: '<rss>one</rss>' }],
      };
    },
  };
  return renderer;
}

describe('rendered cache during a store outage', () => {
  it('serves the last rendered version of a document while the version cannot be read', async () => {
    const renderer = flakyRenderer();
    const cache = createRenderedCache(renderer, 1 << 20);
    const before = await cache.load('a.rss.xml');
    expect(before?.body.toString()).toBe('<rss>one</rss>');
    renderer.down = true;
    const during = await cache.load('a.rss.xml');
    expect(during).toBe(before);
    expect(renderer.renders).toBe(1);
  });

  it('still fails for a document this node never rendered', async () => {
    const renderer = flakyRenderer();
    const cache = createRenderedCache(renderer, 1 << 20);
    renderer.down = true;
    await expect(cache.load('a.rss.xml')).rejects.toThrow('no answer');
  });
});
