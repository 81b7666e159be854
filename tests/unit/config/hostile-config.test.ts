/**
 * Configs an audit wrote to break `check`: each must be refused (or accepted) with a message that
 * names the file, line, column and field and says what is wrong, never a crash or a wrong reason.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem, parseConfigText } from '../../../src/config/index.js';

const FILE = 'config/test.yaml';
const minimal = `sources:\n  - id: mee\n    url: https://www.mee.gov.cn/ywdt/\n    items: ul li\n`;
const topic = (include: string) =>
  `${minimal}feeds:\n  - id: air\n    title: Air\n    sources: all\n    include: [${include}]\n`;

function rejection(text: string): ConfigError {
  try {
    parseConfigText(text, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const problemsOf = (text: string) => rejection(text).problems.map(formatProblem).join('\n');

describe('user regexes must run in the linear-time engine', () => {
  it('accepts a catastrophic-for-backtracking pattern, which the engine runs in linear time', () => {
    expect(parseConfigText(topic("'/^(a+)+$/'"), FILE).warnings).toEqual([]);
    expect(parseConfigText(`${minimal}    replace:\n      - pattern: "^(a+)+$"\n`, FILE).warnings).toEqual([]);
  });

  it('refuses a lookbehind in a topic include, at its line and column, and says why', () => {
    expect(problemsOf(topic("'/(?<=大)气/u'"))).toContain(
      'config/test.yaml:9:15 feeds[0].include[0]: regular expression /(?<=大)气/u cannot be used: lookbehind (?<=…) needs backtracking',
    );
  });

  it('refuses a backreference and a lookahead in replace rules', () => {
    const text = `${minimal}    replace:\n      - pattern: "(a)\\\\1"\n      - pattern: "x(?!y)"\n`;
    const problems = problemsOf(text);
    expect(problems).toContain(
      'config/test.yaml:6:9 sources[0].replace[0].pattern: regular expression /(a)\\1/gu cannot be used: backreference \\1',
    );
    expect(problems).toContain(
      'config/test.yaml:7:9 sources[0].replace[1].pattern: regular expression /x(?!y)/gu cannot be used: lookahead',
    );
  });

  it('still reports a pattern that is not a regex at all', () => {
    expect(problemsOf(topic("'/([/'"))).toContain('feeds[0].include[0]: regular expression /([/ does not compile');
  });
});

describe('YAML that attacks or confuses the parser', () => {
  it('reports an alias bomb at its first alias as a config error', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
      const previous = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const error = rejection(`${levels.join('\n')}\n${minimal}`);
    expect(error.code).toBe('CONFIG_PARSE');
    expect(error.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^config\/test\.yaml:2:\d+ \(top level\): YAML aliases expand to too much data/),
    ]);
  });

  it('reports an alias naming no anchor as that, not as a bomb or a crash', () => {
    const error = rejection(`${minimal}    name: *nowhere\n`);
    expect(error.problems.map(formatProblem)).toEqual([
      'config/test.yaml:5:11 (top level): YAML alias *nowhere refers to no anchor &nowhere defined before it',
    ]);
  });

  it('still accepts a few ordinary aliases', () => {
    expect(
      parseConfigText(
        `sources:\n  - id: a\n    url: https://example.org/\n    items: &li ul li\n  - id: b\n    url: https://example.org/b\n    items: *li\n`,
        FILE,
      ).config.sources[1]!.selectors.items,
    ).toBe('ul li');
  });

  it('reports an unclosed quote where it opens, not at the end of the file', () => {
    const text = `${minimal}    title: "a.title\n    link: a@href\n  - id: b\n    url: https://example.org/b\n`;
    expect(problemsOf(text)).toContain(
      'config/test.yaml:5:12 (top level): YAML syntax: the quoted string opened here is never closed',
    );
  });
});

describe('wrong values name the expected type', () => {
  it('`maxItems: fifty` expects a number instead of calling the field missing', () => {
    const problems = problemsOf(`defaults:\n  maxItems: fifty\n${minimal}`);
    expect(problems).toContain(
      'config/test.yaml:2:3 defaults.maxItems: expected a number of feed items (a whole number), got "fifty"',
    );
    expect(problems).not.toContain('missing');
  });

  it('a field really missing is still called missing', () => {
    expect(problemsOf('sources:\n  - id: a\n')).toContain('sources[0].url: missing required field');
  });

  it.each([
    ['*/61 * * * *', 'minute: step "*/61" must be a whole number from 1 to 59'],
    ['0 */24 * * *', 'hour: step "*/24" must be a whole number from 1 to 23'],
    ['*/90 * * * * *', 'second: step "*/90"'],
    ['0 0 */40 * *', 'day of month: step "*/40"'],
    ['0 0 1 1-12/13 *', 'month: step "1-12/13"'],
  ])('refuses the out-of-range cron step in "%s"', (schedule, reason) => {
    expect(problemsOf(`${minimal}    schedule: "${schedule}"\n`)).toContain(
      `config/test.yaml:5:5 sources[0].schedule: invalid cron expression "${schedule}" (${reason}`,
    );
  });

  it.each(['*/59 * * * *', '*/2 * * * * *', '0 9-17/2 * * 1-5', '*/7 * * * *'])(
    'accepts the cron steps in "%s"',
    (schedule) => {
      expect(parseConfigText(`${minimal}    schedule: "${schedule}"\n`, FILE).config.sources[0]!.schedule).toBe(
        schedule,
      );
    },
  );
});
