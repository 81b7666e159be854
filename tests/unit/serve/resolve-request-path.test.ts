import { describe, expect, it } from 'vitest';
import { resolveRequestPath } from '../../../src/serve/resolve-request-path.js';

describe('resolveRequestPath', () => {
  it.each([
    ['/', 'index.html'],
    ['/air.rss.xml', 'air.rss.xml'],
    ['/air.rss.xml?utm_source=x#top', 'air.rss.xml'],
    ['/%E7%8E%AF%E5%A2%83.atom.xml', '环境.atom.xml'],
    ['/mee_news-2.feed.json', 'mee_news-2.feed.json'],
  ])('maps %s to the file %s', (target, name) => {
    expect(resolveRequestPath(target)).toEqual({ kind: 'file', name });
  });

  it.each([
    ['/healthz', 'healthz'],
    ['/metrics?x', 'metrics'],
  ])('maps %s to the %s route', (target, route) => {
    expect(resolveRequestPath(target)).toEqual({ kind: 'route', route });
  });

  it.each([
    ['/../secret', 400],
    ['/%2e%2e/secret', 400],
    ['/.%2E/secret', 400],
    ['/a%2fb', 400],
    ['/a%5cb', 400],
    ['/a\\b', 400],
    ['/a%00.xml', 400],
    ['//etc/passwd', 400],
    ['http://host/air.rss.xml', 400],
    ['*', 400],
    ['/%zz', 400],
    ['/sub/file.xml', 404],
    ['/.gitkeep', 404],
    ['/-rf', 404],
    [`/${'a'.repeat(256)}`, 404],
  ])('refuses %s with %i', (target, status) => {
    expect(resolveRequestPath(target)).toMatchObject({ kind: 'refused', status });
  });
});
