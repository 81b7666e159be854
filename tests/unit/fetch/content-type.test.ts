import { describe, expect, it } from 'vitest';
import { judgeContentType, parseContentType, sniffMediaType } from '../../../src/fetch/content-type.js';

describe('parseContentType', () => {
  it('reads the essence and the charset', () => {
    expect(parseContentType('Text/HTML; Charset="GB2312"')).toEqual({ essence: 'text/html', charset: 'GB2312' });
    expect(parseContentType('application/rss+xml')).toEqual({ essence: 'application/rss+xml', charset: undefined });
    expect(parseContentType('')).toBeUndefined();
    expect(parseContentType(undefined)).toBeUndefined();
  });
});

describe('judgeContentType', () => {
  it.each([
    ['text/html', 'page', 'accept'],
    ['application/xhtml+xml', 'detail', 'accept'],
    ['application/atom+xml', 'page', 'accept'],
    ['application/atom+xml', 'detail', 'reject'],
    ['application/feed+json', 'page', 'accept'],
    ['application/json', 'detail', 'reject'],
    ['text/plain', 'page', 'sniff'],
    ['application/octet-stream', 'detail', 'sniff'],
    ['image/png', 'page', 'reject'],
    ['application/pdf', 'page', 'reject'],
    ['image/svg+xml', 'page', 'reject'],
  ] as const)('%s for a %s → %s', (type, purpose, verdict) => {
    expect(judgeContentType(parseContentType(type), purpose)).toBe(verdict);
  });

  it('sniffs when there is no Content-Type', () => {
    expect(judgeContentType(undefined, 'page')).toBe('sniff');
  });
});

describe('sniffMediaType', () => {
  it.each([
    ['\uFEFF  <!DOCTYPE html><html>', 'page', 'text/html'],
    ['<html lang="zh">', 'detail', 'text/html'],
    ['<div class="list">', 'page', 'text/html'],
    ['<?xml version="1.0"?><rss>', 'page', 'application/xml'],
    ['<?xml version="1.0"?><!DOCTYPE html><html>', 'detail', 'application/xhtml+xml'],
    ['<rss version="2.0">', 'page', 'application/xml'],
    ['{"version":"https://jsonfeed.org/version/1.1"}', 'page', 'application/json'],
    ['{"version":"https://jsonfeed.org/version/1.1"}', 'detail', undefined],
    ['%PDF-1.7', 'page', undefined],
    ['plain words', 'page', undefined],
  ] as const)('%j for a %s → %s', (text, purpose, expected) => {
    expect(sniffMediaType(Buffer.from(text), purpose)).toBe(expected);
  });

  it('recognises JSON only when no type was declared', () => {
    const json = Buffer.from('{"version":"https://jsonfeed.org/version/1.1","items":[]}');
    expect(sniffMediaType(json, 'page', 'text/plain')).toBeUndefined();
    expect(sniffMediaType(Buffer.from('<html><body>x</body></html>'), 'page', 'text/plain')).toBe('text/html');
  });
});
