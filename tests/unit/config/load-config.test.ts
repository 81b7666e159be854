import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem, parseConfigText } from '../../../src/config/index.js';

const FILE = 'config/test.yaml';

function problemsOf(text: string): string[] {
  try {
    parseConfigText(text, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const minimal = `sources:\n  - id: mee\n    url: https://www.mee.gov.cn/ywdt/\n    items: ul li\n`;

describe('loading a valid config', () => {
  it('resolves defaults into every source', () => {
    const { config, warnings } = parseConfigText(
      `defaults:\n  timezone: Asia/Taipei\n  minDelay: 2s\n  maxSize: 2MB\n  headers: { Accept-Language: zh-CN }\n${minimal}    headers: { X-Extra: "1" }\n    date: [span.date, "time@datetime"]\n`,
      FILE,
    );
    expect(warnings).toEqual([]);
    const source = config.sources[0]!;
    expect(source.timezone).toBe('Asia/Taipei');
    expect(source.schedule).toBe('*/30 * * * *');
    expect(source.intervalMs).toBe(30 * 60_000);
    expect(source.fetch.minHostDelayMs).toBe(2_000);
    expect(source.fetch.maxBytes).toBe(2 * 1_048_576);
    expect(source.fetch.headers).toEqual({ 'Accept-Language': 'zh-CN', 'X-Extra': '1' });
    expect(source.fetch.userAgent).toMatch(/^feedwright\/\d+\.\d+\.\d+ /);
    expect(source.selectors.items).toBe('ul li');
    // Parsed once here into {css, attr}; extraction trusts this form.
    expect(source.selectors.date).toEqual([
      { raw: 'span.date', css: 'span.date' },
      { raw: 'time@datetime', css: 'time', attr: 'datetime' },
    ]);
    expect(source.name).toBe('mee');
    expect(config.store).toBe('sqlite://data/feedwright.sqlite');
    expect(config.output).toBe('output');
  });

  it('measures irregular schedules by their shortest gap', () => {
    const { config } = parseConfigText(`${minimal}    schedule: "0 9,17 * * *"\n`, FILE);
    expect(config.sources[0]!.intervalMs).toBe(8 * 3_600_000);
  });

  it('accepts canonical zone names and the aliases and links luxon knows', () => {
    // Asia/Taipei is in ICU's list of canonical names; UTC, Asia/Kolkata and US/Eastern are not (Node 20's
    // ICU lists Asia/Calcutta), and are still valid zones.
    for (const zone of ['Asia/Taipei', 'Asia/Calcutta', 'UTC', 'Asia/Kolkata', 'US/Eastern', 'Etc/GMT-8']) {
      const { config } = parseConfigText(`defaults:\n  timezone: ${zone}\n${minimal}`, FILE);
      expect(config.sources[0]!.timezone).toBe(zone);
    }
  });

  it('accepts JSON, which is YAML too', () => {
    const { config } = parseConfigText(
      JSON.stringify({ sources: [{ id: 'a', url: 'https://example.org/' }] }),
      'config/x.json',
    );
    expect(config.sources[0]!.id).toBe('a');
  });
});

describe('rejecting a broken config names file, line, column and field', () => {
  it.each([
    [
      'an unknown field (typo)',
      `${minimal}    titel: a\n`,
      'config/test.yaml:5:5 sources[0].titel: unknown field "titel" (did you mean `title`? See `feedwright schema`)',
    ],
    [
      'unknown fields at other levels, each with the known field nearest to it',
      `defaults:\n  timeZone: Asia/Shanghai\n  minDealy: 2s\n${minimal}`,
      'config/test.yaml:2:3 defaults.timeZone: unknown fields "timeZone", "minDealy" (did you mean `timezone` for "timeZone", `minDelay` for "minDealy"? See `feedwright schema`)',
    ],
    [
      'an unknown field of a nested mapping',
      `${minimal}    detail:\n      feilds: [date]\n`,
      'config/test.yaml:6:7 sources[0].detail.feilds: unknown field "feilds" (did you mean `fields`?',
    ],
    [
      'an unknown field like no known one',
      `${minimal}    selectors: x\n`,
      'config/test.yaml:5:5 sources[0].selectors: unknown field "selectors" (check the spelling; see `feedwright schema`)',
    ],
    ['a missing url', 'sources:\n  - id: a\n', 'config/test.yaml:2:5 sources[0].url:'],
    [
      'a non-http url',
      'sources:\n  - id: a\n    url: ftp://example.org/\n',
      'config/test.yaml:3:5 sources[0].url: expected an absolute http(s) URL',
    ],
    [
      'a bad cron expression',
      `${minimal}    schedule: "*/30 * * *"\n`,
      'config/test.yaml:5:5 sources[0].schedule: invalid cron expression',
    ],
    [
      'an unknown time zone',
      `${minimal}    timezone: Asia/Shangai\n`,
      'config/test.yaml:5:5 sources[0].timezone: unknown time zone "Asia/Shangai"',
    ],
    [
      'an unknown charset',
      `${minimal}    encoding: gbkk\n`,
      'config/test.yaml:5:5 sources[0].encoding: unknown charset "gbkk"; expected a label such as gbk',
    ],
    [
      'a charset browsers refuse (UTF-7)',
      `${minimal}    encoding: utf-7\n`,
      'config/test.yaml:5:5 sources[0].encoding: unknown charset "utf-7"',
    ],
    [
      'a broken CSS selector',
      `${minimal}    date: "span["\n`,
      'config/test.yaml:5:5 sources[0].date: invalid CSS selector',
    ],
    [
      'a broken CSS selector before an attribute, in a list of fallbacks',
      `${minimal}    link: [a@href, "a[href@href"]\n`,
      'config/test.yaml:5:20 sources[0].link[1]: invalid CSS selector "a[href@href"',
    ],
    [
      'a regex that does not compile',
      `${minimal}    replace:\n      - pattern: "(["\n`,
      'config/test.yaml:6:9 sources[0].replace[0].pattern: regular expression /([/gu does not compile',
    ],
    [
      'a duplicate id',
      `${minimal}  - id: mee\n    url: https://example.org/\n`,
      'config/test.yaml:5:5 sources[1].id: duplicate id "mee"',
    ],
    [
      'a topic feed naming an unknown source',
      `${minimal}feeds:\n  - id: air\n    title: Air\n    sources: [mee, nope]\n`,
      'config/test.yaml:8:20 feeds[0].sources[1]: unknown source "nope"',
    ],
    ['a bad duration', `${minimal}    timeout: soon\n`, 'config/test.yaml:5:5 sources[0].timeout: expected a duration'],
    ['a bad store URL', `store: postgres://x\n${minimal}`, 'config/test.yaml:1:1 store: expected a store URL'],
    ['YAML syntax', 'sources:\n  - id: a\n   url: [\n', 'config/test.yaml:'],
    ['no sources', 'site:\n  title: x\n', 'sources:'],
  ])('%s', (_name, text, expected) => {
    expect(problemsOf(text).join('\n')).toContain(expected);
  });

  it('lists every problem at once, schema and cross-field alike', () => {
    const problems = problemsOf(
      `defaults:\n  timezone: Mars/Base\nsources:\n  - id: a\n    url: https://example.org/\n    itemz: li\n  - id: b\n    url: https://example.org/\n    schedule: nope\nfeeds:\n  - id: t\n    title: T\n    sources: [zz]\n`,
    );
    expect(problems).toHaveLength(4);
    expect(problems.map((p) => p.split(' ')[1])).toEqual([
      'defaults.timezone:',
      'sources[0].itemz:',
      'sources[1].schedule:',
      'feeds[0].sources[0]:',
    ]);
  });

  it('reports a missing file with a hint', async () => {
    const { loadConfig } = await import('../../../src/config/index.js');
    await expect(loadConfig('does/not/exist.yaml')).rejects.toMatchObject({
      code: 'CONFIG_NOT_FOUND',
      hint: expect.stringContaining('-c FILE'),
    });
  });
});

describe('likely mistakes', () => {
  it('warns once per host fetched more than once a minute on average, not for seven sections every 30 minutes', () => {
    const source = (id: string, url: string, schedule: string) =>
      `  - id: ${id}\n    url: ${url}\n    schedule: "${schedule}"\n`;
    const busy = ['a', 'b', 'c'].map((id) => source(id, `https://www.mee.gov.cn/${id}/`, '*/2 * * * *')).join('');
    const polite = ['1', '2', '3', '4', '5', '6', '7']
      .map((n) => source(`s${n}`, `https://sthj.example.gov.cn/${n}/`, '*/30 * * * *'))
      .join('');
    const { warnings } = parseConfigText(`sources:\n${busy}${polite}`, FILE);
    expect(warnings.map(formatProblem)).toEqual([
      expect.stringContaining(
        'config/test.yaml:4:5 sources[0].schedule: www.mee.gov.cn would be fetched about 1.5 times a minute on average by 3 source(s) (a, b, c)',
      ),
    ]);
    const atLimit = parseConfigText(`sources:\n${source('x', 'https://e.example/', '* * * * *')}`, FILE);
    expect(atLimit.warnings).toEqual([]);
  });
});

describe('the committed JSON Schema', () => {
  it('matches the validation schema (regenerate with `feedwright schema > config/feedwright.schema.json`)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { buildConfigJsonSchema } = await import('../../../src/config/index.js');
    const committed = JSON.parse(
      await readFile(new URL('../../../config/feedwright.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(committed).toEqual(buildConfigJsonSchema());
  });
});
