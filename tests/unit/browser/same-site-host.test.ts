import { describe, expect, it } from 'vitest';
import { isSameSiteHost } from '../../../src/browser/same-site-host.js';

describe('isSameSiteHost (where a server redirect of the page may lead)', () => {
  it.each([
    ['www.mee.gov.cn', 'www.mee.gov.cn'],
    ['www.mee.gov.cn', 'mee.gov.cn'],
    ['mee.gov.cn', 'www.mee.gov.cn'],
    ['www.mee.gov.cn', 'waf.mee.gov.cn'],
    ['mee.gov.cn', 'a.b.mee.gov.cn'],
    ['Example.ORG.', 'example.org'],
    ['127.0.0.1', '127.0.0.1'],
  ])('%s → %s stays on the site', (source, target) => {
    expect(isSameSiteHost(source, target)).toBe(true);
  });

  it.each([
    ['www.mee.gov.cn', 'gov.cn'],
    ['news.mee.gov.cn', 'mee.gov.cn'],
    ['www.mee.gov.cn', 'www.mof.gov.cn'],
    ['mee.gov.cn', 'evilmee.gov.cn'],
    ['127.0.0.1', 'localhost'],
    ['www.com', 'com'],
    ['example.org', ''],
  ])('%s → %s leaves it', (source, target) => {
    expect(isSameSiteHost(source, target)).toBe(false);
  });
});
