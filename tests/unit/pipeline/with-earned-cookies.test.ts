import { describe, expect, it } from 'vitest';
import { defaultFetchPolicy } from '../../../src/fetch/index.js';
import type { EarnedCookie } from '../../../src/model.js';
import { withEarnedCookies } from '../../../src/pipeline/earned-cookies.js';

function earned(name: string): EarnedCookie {
  return { name, value: 'v', domain: 'example.org', path: '/', httpOnly: false, secure: false };
}

describe('withEarnedCookies', () => {
  it('hands the earned cookies to the fetch stage whole (it matches them per URL); own cookies win a name clash', () => {
    const policy = { ...defaultFetchPolicy(), cookies: { lang: 'zh' } };
    const merged = withEarnedCookies(policy, [earned('lang'), earned('constructor'), earned('__jsl_clearance_s')]);
    expect(merged.cookies).toEqual({ lang: 'zh' });
    expect(merged.earnedCookies?.map((c) => c.name)).toEqual(['constructor', '__jsl_clearance_s']);
    expect(withEarnedCookies(policy, undefined)).toBe(policy);
  });
});
