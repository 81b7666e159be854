import { isAscii, isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody, type DecodeHints } from '../../../src/fetch/index.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url));

const ZH =
  '生态环境部印发《关于进一步加强重金属污染防控的意见》 2019-08-27。关于开展全国生态环境执法大练兵活动的通知 2019-08-26';
const ZH_TW =
  '香港特別行政區政府環境保護署發佈新聞公報：嘅啲空氣質素健康指數今日處於低至中水平，市民毋須採取特別措施。';
const JA = '環境省は本日、気候変動に関する新しい報告書を公表しました。詳細は以下のとおりです。';
const KO = '환경부는 오늘 미세먼지 저감을 위한 새로운 대책을 발표했습니다. 자세한 내용은 아래와 같습니다.';
const FR = 'Le ministère publie la stratégie nationale « qualité de l’air » : données, évaluations et échéances clés.';

const html = (body: string, head = ''): string =>
  `<!DOCTYPE html><html><head>${head}<title>t</title></head><body><p>${body}</p></body></html>`;
const hints = (overrides: Partial<DecodeHints> = {}): DecodeHints => ({ xml: false, ...overrides });

describe('decodeBody', () => {
  it.each([
    // [case, text, encode as, hints, expected charset]
    ['GBK declared in the header', html(ZH), 'gbk', hints({ contentTypeCharset: 'GBK' }), 'gb18030'],
    ['GB2312 declared in <meta charset>', html(ZH, '<meta charset="gb2312">'), 'gbk', hints(), 'gb18030'],
    [
      'GBK declared by http-equiv',
      html(ZH, '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'),
      'gbk',
      hints(),
      'gb18030',
    ],
    ['GBK without any declaration', html(ZH), 'gbk', hints(), 'gb18030'],
    [
      'GB18030 four-byte characters, declared',
      html(`㐀𠀀 ${ZH}`),
      'gb18030',
      hints({ contentTypeCharset: 'gb18030' }),
      'gb18030',
    ],
    ['GB18030 four-byte characters, undeclared', html(`㐀𠀀 ${ZH}`), 'gb18030', hints(), 'gb18030'],
    [
      'Big5 with an HKSCS character, declared big5',
      html(ZH_TW),
      'big5-hkscs',
      hints({ contentTypeCharset: 'big5' }),
      'big5-hkscs',
    ],
    ['Big5 with an HKSCS character, undeclared', html(ZH_TW), 'big5-hkscs', hints(), 'big5-hkscs'],
    ['Shift_JIS declared in <meta>', html(JA, '<meta charset="Shift_JIS">'), 'shift_jis', hints(), 'shift_jis'],
    ['Shift_JIS undeclared', html(JA), 'shift_jis', hints(), 'shift_jis'],
    ['EUC-KR declared', html(KO), 'euc-kr', hints({ contentTypeCharset: 'euc-kr' }), 'euc-kr'],
    [
      'windows-1252 declared as ISO-8859-1',
      html(FR),
      'windows-1252',
      hints({ contentTypeCharset: 'iso-8859-1' }),
      'windows-1252',
    ],
    [
      'ISO-8859-2 declared',
      html('Žluťoučký kůň úpěl ďábelské ódy'),
      'iso-8859-2',
      hints({ contentTypeCharset: 'ISO-8859-2' }),
      'iso-8859-2',
    ],
    ['UTF-8 undeclared', html(ZH), 'utf-8', hints(), 'utf-8'],
    ['pure ASCII undeclared', html('hello'), 'utf-8', hints(), 'utf-8'],
  ])('decodes %s', (_name, text, encoding, given, charset) => {
    const decoded = decodeBody(iconv.encode(text, encoding), given);
    expect(decoded.text).toBe(text);
    expect(decoded.charset).toBe(charset);
    expect(decoded.warnings).toEqual([]);
  });

  it('prefers the BOM over a contradicting header', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(html(ZH))]);
    const decoded = decodeBody(bytes, hints({ contentTypeCharset: 'gbk' }));
    expect(decoded).toMatchObject({ text: html(ZH), charset: 'utf-8' });
  });

  it('decodes UTF-16 with a BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(html(ZH), 'utf-16le')]);
    expect(decodeBody(bytes, hints())).toMatchObject({ text: html(ZH), charset: 'utf-16le' });
  });

  it('honours the XML declaration of a feed, and ignores it for the <meta> prescan of HTML', () => {
    const feed = `<?xml version="1.0" encoding="GB2312"?><rss version="2.0"><channel><title>${ZH}</title></channel></rss>`;
    expect(decodeBody(iconv.encode(feed, 'gbk'), hints({ xml: true }))).toMatchObject({
      text: feed,
      charset: 'gb18030',
      warnings: [],
    });
  });

  it('lets the header win over <meta> when both decode cleanly', () => {
    const text = html('plain ascii', '<meta charset="gbk">');
    expect(decodeBody(Buffer.from(text), hints({ contentTypeCharset: 'windows-1252' })).charset).toBe('windows-1252');
  });

  it('switches to GB18030 when the header says UTF-8 but the bytes are GBK, naming both', () => {
    const decoded = decodeBody(iconv.encode(html(ZH), 'gbk'), hints({ contentTypeCharset: 'utf-8' }));
    expect(decoded.text).toBe(html(ZH));
    expect(decoded.charset).toBe('gb18030');
    expect(decoded.warnings).toEqual([
      {
        code: 'charset-switched',
        message: expect.stringMatching(
          /Content-Type header declares utf-8 but .* decode cleanly as gb18030; decoded as gb18030/,
        ),
      },
    ]);
  });

  it('switches to the <meta> charset when the header is wrong', () => {
    const text = html(ZH_TW, '<meta charset="big5">');
    const decoded = decodeBody(iconv.encode(text, 'big5-hkscs'), hints({ contentTypeCharset: 'utf-8' }));
    expect(decoded).toMatchObject({ text, charset: 'big5-hkscs' });
    expect(decoded.warnings[0]?.message).toMatch(/declares utf-8 .* big5-hkscs/);
  });

  it('switches to UTF-8 when a GBK declaration meets UTF-8 bytes (typical mojibake)', () => {
    const text = html(ZH, '<meta charset="gbk">');
    const decoded = decodeBody(Buffer.from(text), hints());
    expect(decoded).toMatchObject({ text, charset: 'utf-8' });
    expect(decoded.warnings[0]?.message).toMatch(/<meta> tag declares gb18030 but the bytes are valid UTF-8/);
  });

  it('switches to UTF-8 when an ISO-8859-1 header meets UTF-8 bytes', () => {
    const decoded = decodeBody(Buffer.from(html(FR)), hints({ contentTypeCharset: 'iso-8859-1' }));
    expect(decoded).toMatchObject({ text: html(FR), charset: 'utf-8' });
    expect(decoded.warnings).toHaveLength(1);
  });

  it('switches to GB18030 when a windows-1252 header meets GBK bytes', () => {
    const decoded = decodeBody(iconv.encode(html(ZH), 'gbk'), hints({ contentTypeCharset: 'windows-1252' }));
    expect(decoded).toMatchObject({ text: html(ZH), charset: 'gb18030' });
    expect(decoded.warnings[0]?.message).toMatch(/declares windows-1252 .* gb18030/);
  });

  it('keeps UTF-8 with a warning when only a stray byte is broken', () => {
    const good = Buffer.from(html(ZH.repeat(20)));
    const at = good.indexOf('<p>');
    const bytes = Buffer.concat([good.subarray(0, at), Buffer.from([0xff]), good.subarray(at)]);
    const decoded = decodeBody(bytes, hints({ contentTypeCharset: 'utf-8' }));
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.text).toContain(ZH);
    expect(decoded.warnings).toEqual([
      {
        code: 'charset-undecodable',
        message: 'charset: 1 undecodable byte sequences as utf-8 (declared by the Content-Type header)',
      },
    ]);
  });

  it('uses a forced encoding even against the header', () => {
    const decoded = decodeBody(
      iconv.encode(html(ZH_TW), 'big5-hkscs'),
      hints({ contentTypeCharset: 'utf-8', forcedCharset: 'BIG5' }),
    );
    expect(decoded).toMatchObject({ text: html(ZH_TW), charset: 'big5-hkscs', warnings: [] });
  });

  it('warns about unknown labels and falls back to detection', () => {
    const decoded = decodeBody(
      iconv.encode(html(ZH), 'gbk'),
      hints({ contentTypeCharset: 'x-klingon', forcedCharset: 'nope' }),
    );
    expect(decoded.charset).toBe('gb18030');
    expect(decoded.warnings).toEqual([
      {
        code: 'charset-unknown',
        message: 'charset: unknown encoding "nope" in the source\'s settings; detecting instead',
      },
      { code: 'charset-unknown', message: 'charset: unknown charset "x-klingon" in the Content-Type header; ignored' },
    ]);
  });

  it('ignores a <meta charset> inside a comment', () => {
    const text = html(ZH, '<!-- <meta charset="iso-8859-1"> --><meta charset="gbk">');
    expect(decodeBody(iconv.encode(text, 'gbk'), hints()).charset).toBe('gb18030');
  });

  it('decodes every two-byte GBK code like iconv-lite, except PUA codes that GB18030-2005 maps to real characters', () => {
    const codes: number[][] = [];
    for (let lead = 0x81; lead <= 0xfe; lead += 1)
      for (let trail = 0x40; trail <= 0xfe; trail += 1) if (trail !== 0x7f) codes.push([lead, trail]);
    const bytes = Buffer.from(codes.flatMap((pair) => [...pair, 0x0a]));
    const ours = decodeBody(bytes, hints({ contentTypeCharset: 'gbk' })).text.split('\n');
    const reference = iconv.decode(bytes, 'gb18030').split('\n');
    expect(ours).toHaveLength(reference.length);
    const differences = ours.map((char, i) => [char, reference[i] ?? ''] as const).filter(([a, b]) => a !== b);
    const isPrivateUse = (char: string): boolean => /^[\uE000-\uF8FF]$/.test(char);
    expect(differences.length).toBeLessThanOrEqual(24);
    for (const [mine, theirs] of differences) {
      expect(isPrivateUse(theirs)).toBe(true);
      expect(isPrivateUse(mine) || mine === '\uFFFD').toBe(false);
    }
  });

  it.each([
    ['the Content-Type header', hints({ contentTypeCharset: 'UTF-7' }), ''],
    ['a <meta charset>', hints(), '<meta charset="utf-7">'],
    ['the Content-Type header, as iconv-lite spells it', hints({ contentTypeCharset: 'utf_7' }), ''],
    ['the Content-Type header, IMAP flavour', hints({ contentTypeCharset: 'utf-7-imap' }), ''],
  ])('never decodes UTF-7 declared in %s (browsers do not): its bytes stay text', (_, given, head) => {
    const bytes = Buffer.from(html('+ADw-script+AD4-alert(1)+ADw-/script+AD4-', head), 'ascii');
    const decoded = decodeBody(bytes, given);
    expect(decoded.text).toContain('+ADw-script+AD4-');
    expect(decoded.text).not.toContain('<script>');
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.warnings.map((warning) => warning.code)).toEqual(['charset-unknown']);
  });

  it.each(['base64', 'hex', 'utf-32', 'UTF-32LE', 'ucs-4'])('ignores the non-web charset label %s', (label) => {
    const text = html(ZH);
    const decoded = decodeBody(Buffer.from(text, 'utf8'), hints({ contentTypeCharset: label }));
    expect(decoded.text).toBe(text);
    expect(decoded.warnings[0]?.message).toContain(`unknown charset "${label}"`);
  });

  describe('UTF-8 bodies large enough for the ICU detour', () => {
    const utf8 = hints({ contentTypeCharset: 'utf-8' });
    const big = (text: string): string => html(Array.from({ length: 80 }, () => text).join('<br>'));

    it.each([
      ['Chinese', ZH],
      ['traditional Chinese and Korean', `${ZH_TW} ${KO}`],
      ['astral characters (CJK Extension B, emoji, a ZWJ sequence)', `𠀀𠮷 ${ZH} 😀 👩‍👩‍👧 ㈱`],
      ['combining marks and a noncharacter', `e\u0301 ﷐ \uFFFF ${FR}`],
    ])('decodes %s as V8 does', (_, text) => {
      const bytes = Buffer.from(big(text), 'utf8');
      expect(bytes.length).toBeGreaterThan(8_192);
      expect(decodeBody(bytes, utf8).text).toBe(big(text));
    });

    it.each([
      ['a stray continuation byte', [0x80]],
      ['a truncated three-byte sequence', [0xe7, 0x94]],
      ['an overlong encoding', [0xc0, 0xaf]],
      ['an encoded surrogate', [0xed, 0xa0, 0x80]],
      ['a byte that is never UTF-8', [0xff]],
    ])('keeps the replacement characters of invalid UTF-8 with %s', (_, bad) => {
      const half = Buffer.from(big(ZH), 'utf8');
      const bytes = Buffer.concat([half, Buffer.from(bad), half]);
      expect(decodeBody(bytes, utf8).text).toBe(bytes.toString('utf8'));
    });

    it('decodes every UTF-8 fixture page as V8 does', () => {
      const pages = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.html'))
        .map((name) => readFileSync(join(FIXTURES, name)))
        .filter((bytes) => isUtf8(bytes) && !isAscii(bytes));
      expect(pages.length).toBeGreaterThan(5);
      for (const bytes of pages) expect(decodeBody(bytes, utf8).text).toBe(bytes.toString('utf8'));
    });
  });
});
