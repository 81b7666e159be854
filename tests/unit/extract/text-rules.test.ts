import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileTextRules } from '../../../src/extract/text/text-rules.js';

/** The rule documented for config/feedwright.yaml: a CJK character followed by tone-marked pinyin in parentheses. */
const PINYIN_RULE = {
  field: 'title' as const,
  pattern: '([\\u3400-\\u9fff\\uf900-\\ufaff])[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)[)）]',
  flags: 'g',
  replacement: '$1',
};

/** A real page text from a Simplified→Traditional converter that annotates ambiguous characters with pinyin. */
const SAMPLE = readFileSync(new URL('./data/pinyin-annotated.txt', import.meta.url), 'utf8');

describe('replace rules: pinyin annotations from converted Traditional pages', () => {
  const { rules } = compileTextRules([PINYIN_RULE]);
  const cleaned = rules.apply('title', SAMPLE);

  it('removes every pinyin annotation after a Chinese character in the real sample', () => {
    expect(SAMPLE.match(/[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)/g)?.length).toBe(163);
    expect(cleaned).not.toMatch(/[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)/);
    expect(cleaned.split('\n')[0]).toBe('國家發展改革委等部門關于印發《電解鋁行業節能降碳專項行動計劃》的');
    expect(cleaned).toContain('生態環境部:關于解除北京市豐臺區污水處理設施管理所等單位掛牌督辦的通知2019-08-27');
  });

  it('keeps parentheses that are not pinyin', () => {
    expect(cleaned).toContain('目錄(2019年本)');
    expect(cleaned).toContain('各縣(市、區)');
    const { rules: r } = compileTextRules([PINYIN_RULE]);
    expect(r.apply('title', '附件(pdf) 2019年(第3期) 行(xíng)动（dòng）')).toBe('附件(pdf) 2019年(第3期) 行动');
  });

  it('leaves other fields alone and applies conversion after replacing', () => {
    const { rules: both } = compileTextRules([PINYIN_RULE], 't2s');
    expect(both.apply('title', '國家發(fā)展改革委')).toBe('国家发展改革委');
    expect(both.apply('summary', '國家發(fā)展改革委')).toBe('国家发(fā)展改革委');
  });
});

describe('Chinese conversion', () => {
  it('converts Simplified to Traditional with phrase awareness', () => {
    const { rules } = compileTextRules([], 's2t');
    expect(rules.apply('title', '生态环境部印发技术指南 头发')).toBe('生態環境部印發技術指南 頭髮');
  });

  it('converts Traditional (including Taiwan variants) to Simplified', () => {
    const { rules } = compileTextRules([], 't2s');
    expect(rules.apply('author', '環境部 臺灣 裡面')).toBe('环境部 台湾 里面');
  });
});

describe('replace rules run in linear time', () => {
  it('a catastrophic pattern on 40 `a` and a `!` returns at once (it backtracked for hours before)', () => {
    const { rules, bad } = compileTextRules([{ field: 'title', pattern: '^(a+)+$', flags: 'gu', replacement: 'x' }]);
    expect(bad).toEqual([]);
    const title = `${'a'.repeat(40)}!`;
    expect(rules.apply('title', title)).toBe(title);
    expect(rules.apply('title', 'a'.repeat(40))).toBe('x');
  });

  it('keeps $1 and $<name> replacements', () => {
    const { rules } = compileTextRules([
      { field: 'title', pattern: '(?<year>\\d{4})-(\\d\\d)', flags: 'g', replacement: '$2/$<year>' },
    ]);
    expect(rules.apply('title', '2019-08 and 2020-01')).toBe('08/2019 and 01/2020');
  });

  it('skips a rule the engine cannot run and says why', () => {
    const { bad } = compileTextRules([{ field: 'title', pattern: '(?<=国)家', flags: 'gu', replacement: '' }]);
    expect(bad[0]?.reason).toMatch(/lookbehind/);
  });
});
