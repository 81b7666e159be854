import { describe, expect, it } from 'vitest';
import { cookieHeaderFor, domainApplies, matchingCookies, pathMatches } from '../../../src/fetch/match-cookies.js';
import type { EarnedCookie } from '../../../src/model.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');

function cookie(name: string, extra: Partial<EarnedCookie> = {}): EarnedCookie {
  return {
    name,
    value: `${name}-v`,
    domain: 'www.example.gov.cn',
    path: '/',
    httpOnly: false,
    secure: false,
    ...extra,
  };
}

describe('earned cookies: which go with a request (RFC 6265 §5.4)', () => {
  it('sends a host-only cookie to exactly its host, a domain cookie to the domain and its subdomains', () => {
    expect(domainApplies('www.example.gov.cn', 'www.example.gov.cn')).toBe(true);
    expect(domainApplies('www.example.gov.cn', 'sub.www.example.gov.cn')).toBe(false);
    expect(domainApplies('example.gov.cn', 'www.example.gov.cn')).toBe(false);
    expect(domainApplies('.example.gov.cn', 'example.gov.cn')).toBe(true);
    expect(domainApplies('.example.gov.cn', 'www.example.gov.cn')).toBe(true);
    expect(domainApplies('.example.gov.cn', 'a.b.example.gov.cn')).toBe(true);
    expect(domainApplies('.example.gov.cn', 'badexample.gov.cn')).toBe(false);
    expect(domainApplies('.example.gov.cn', 'example.gov.cn.evil.org')).toBe(false);
    expect(domainApplies('.EXAMPLE.gov.cn', 'www.example.gov.cn')).toBe(true);
  });

  it('never matches an IP address by suffix', () => {
    expect(domainApplies('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(domainApplies('.0.0.1', '127.0.0.1')).toBe(false);
    expect(domainApplies('.', 'example.org')).toBe(false);
  });

  it('matches paths by directory prefix', () => {
    expect(pathMatches('/', '/')).toBe(true);
    expect(pathMatches('/tzgg/list.html', '/')).toBe(true);
    expect(pathMatches('/tzgg/list.html', '/tzgg')).toBe(true);
    expect(pathMatches('/tzgg/list.html', '/tzgg/')).toBe(true);
    expect(pathMatches('/tzgg', '/tzgg')).toBe(true);
    expect(pathMatches('/tzggxx/list.html', '/tzgg')).toBe(false);
    expect(pathMatches('/', '/tzgg')).toBe(false);
  });

  it('sends Secure cookies over https only and drops expired ones, keeping session cookies', () => {
    const cookies = [
      cookie('secure', { secure: true }),
      cookie('expired', { expires: NOW / 1000 - 1 }),
      cookie('live', { expires: NOW / 1000 + 3600 }),
      cookie('session'),
    ];
    const names = (url: string) => matchingCookies(cookies, new URL(url), NOW).map((c) => c.name);
    expect(names('http://www.example.gov.cn/list/')).toEqual(['live', 'session']);
    expect(names('https://www.example.gov.cn/list/')).toEqual(['secure', 'live', 'session']);
  });

  it('writes the header with longer paths first, and nothing for another host', () => {
    const cookies = [
      cookie('root'),
      cookie('deep', { path: '/tzgg/2026' }),
      cookie('mid', { path: '/tzgg/' }),
      cookie('wide', { domain: '.example.gov.cn' }),
    ];
    expect(cookieHeaderFor(cookies, new URL('http://www.example.gov.cn/tzgg/2026/a.html'), NOW)).toBe(
      'deep=deep-v; mid=mid-v; root=root-v; wide=wide-v',
    );
    expect(cookieHeaderFor(cookies, new URL('http://static.example.gov.cn/tzgg/'), NOW)).toBe('wide=wide-v');
    expect(cookieHeaderFor(cookies, new URL('http://www.other.gov.cn/'), NOW)).toBe('');
  });
});
