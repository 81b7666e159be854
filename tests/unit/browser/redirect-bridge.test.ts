import { describe, expect, it } from 'vitest';
import { isRedirectBridge, redirectBridge } from '../../../src/browser/redirect-bridge.js';

describe('redirectBridge (a server redirect handed to the browser as its own navigation)', () => {
  it('carries the Set-Cookie headers of the redirect and nothing else of it', () => {
    const bridge = redirectBridge('https://example.org/list/', {
      location: '/list/',
      'set-cookie': 'a=1; Path=/\nb=2; Path=/',
      'content-security-policy': "script-src 'none'",
    });
    expect(bridge.status).toBe(200);
    expect(bridge.headers).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'set-cookie': 'a=1; Path=/\nb=2; Path=/',
    });
    expect(bridge.body).toContain('location.replace("https://example.org/list/")');
    expect(bridge.body).toContain('<meta name="referrer" content="no-referrer">');
    expect(isRedirectBridge(bridge.body)).toBe(true);
    expect(isRedirectBridge('<html><body><ul class="list"></ul></body></html>')).toBe(false);
  });

  it('keeps a target containing </script> inside the string literal', () => {
    const bridge = redirectBridge('https://example.org/a?q=</script><script>alert(1)</script>', {});
    expect(bridge.body.match(/<\/script>/g)).toHaveLength(1);
    expect(bridge.body).toContain('\\u003c/script>');
  });
});
