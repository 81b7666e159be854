import { describe, expect, it } from 'vitest';
import { isLoopbackName, isPublicAddress, literalAddress } from '../../../src/fetch/address-scope.js';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '0.0.0.0',
    '10.1.2.3',
    '100.64.0.1',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '192.0.2.10',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    'fc00::1',
    'fd00:ec2::254',
    'fe80::1',
    'ff02::1',
    '2001:db8::1',
    '64:ff9b::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:c0a8:0101::1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '64:ff9b::808:808',
    '2002:0808:0808::1',
  ])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('is false for anything that is not an address', () => {
    expect(isPublicAddress('example.com')).toBe(false);
    expect(isPublicAddress('')).toBe(false);
  });
});

describe('literalAddress', () => {
  it('reads the address of a URL hostname, with IPv6 brackets removed', () => {
    expect(literalAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(literalAddress('[::1]')).toBe('::1');
    expect(literalAddress('example.com')).toBeUndefined();
  });

  it('sees the forms WHATWG URL parsing normalises to an address', () => {
    for (const url of ['http://0x7f.1/', 'http://2130706433/', 'http://127.1/', 'http://0177.0.0.1/'])
      expect(literalAddress(new URL(url).hostname)).toBe('127.0.0.1');
    expect(literalAddress(new URL('http://[0:0:0:0:0:ffff:a9fe:a9fe]/').hostname)).toBe('::ffff:a9fe:a9fe');
  });
});

describe('isLoopbackName', () => {
  it('knows localhost and its subdomains, in any case and with a final dot', () => {
    expect(isLoopbackName('localhost')).toBe(true);
    expect(isLoopbackName('LOCALHOST.')).toBe(true);
    expect(isLoopbackName('admin.localhost')).toBe(true);
    expect(isLoopbackName('localhost.example.com')).toBe(false);
  });
});
