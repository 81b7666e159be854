/** The starting config shipped for users must load, and its documented pinyin rule must do what it says. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';

const root = new URL('../../../', import.meta.url);

describe('config/feedwright.yaml', () => {
  it('loads without errors or warnings', async () => {
    const { config, warnings } = await loadConfig(new URL('config/feedwright.yaml', root).pathname);
    expect(warnings).toEqual([]);
    expect(config.sources.length).toBeGreaterThanOrEqual(4);
    expect(config.feeds.map((feed) => feed.id)).toContain('air');
  });

  it('documents a replace rule that strips converter pinyin from real Traditional text', async () => {
    const { config } = await loadConfig(new URL('config/feedwright.yaml', root).pathname);
    const source = config.sources.find((candidate) => candidate.replace.length > 0)!;
    const rule = source.replace[0]!;
    const sample = await readFile(new URL('tests/unit/extract/data/pinyin-annotated.txt', root), 'utf8');
    const cleaned = sample.replace(new RegExp(rule.pattern, rule.flags), rule.replacement);
    expect(cleaned).toContain('國家發展改革委等部門關于印發《電解鋁行業節能降碳專項行動計劃》');
    expect(cleaned).not.toMatch(/[\u3400-\u9fff]\((fā|yè|tài|huán)\)/u);
    expect(
      '附件(pdf) 目錄(2019年本) 各縣(市、區)'.replace(new RegExp(rule.pattern, rule.flags), rule.replacement),
    ).toBe('附件(pdf) 目錄(2019年本) 各縣(市、區)');
  });

  it('loads the demo config', async () => {
    const { config } = await loadConfig(new URL('config/demo.yaml', root).pathname);
    expect(config.sources.map((source) => source.id)).toEqual([
      'mee-news',
      'province-notices',
      'tw-moenv-news',
      'clean-air-bulletin',
    ]);
  });
});
