/**
 * The config checks settle plain selectors (tags, classes, ids, attributes, combinators) with css-what
 * alone and compile every other one with cheerio-select: a config must get the verdict cheerio's own
 * engine gives, selector by selector, whichever way it was reached.
 */
import { select } from 'cheerio-select';
import { Document } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../../src/config/index.js';

const SELECTORS = [
  // plain: settled without the engine
  'ul li',
  'ul.list li',
  'div#main > ul > li',
  'h2 + p',
  'h2 ~ p',
  '*',
  'ul > *',
  'a[href]',
  'a[href^="/news"]',
  'a[href$=".html" i]',
  'a[href*=detail]',
  'div[lang|=zh]',
  'li[class~=item]',
  'a[href!=x]',
  'td, th',
  '.a.b.c',
  'table.list tr td:nth-child(2)',
  // not plain: the engine decides
  'li:first-child',
  'li:nth-child(2n+1)',
  'li:nth-child(foo)',
  'li:eq(1)',
  'li:first',
  'li:not(.ad)',
  'li:has(a)',
  'li:contains(公告)',
  'li:hover',
  'li:unknown-pseudo',
  'p::before',
  'ns|a',
  '*|a',
  'a || b',
  '> li',
  'li >',
  'ul > > li',
  'span[',
  'a[href',
  'a[href=]',
  'li,',
  ',li',
  'ul li)',
  '#',
  '.',
  'li:first-child(2)',
  'li:nth-child',
  ':scope > li',
];

describe('selector verdicts', () => {
  it.each(SELECTORS)('%s: the config check agrees with cheerio-select', (css) => {
    const expected = engineVerdict(css);
    const got = configVerdict(css);
    if (expected === '') expect(got).toBe('');
    else expect(got).toBe(`invalid CSS selector "${css}" (${expected})`);
  });

  it('reports a selector verdict, cached per distinct text, at every field that holds it', () => {
    const config = [
      'sources:',
      ...Array.from({ length: 3 }, (_, i) =>
        [
          `  - id: s${i}`,
          `    url: https://example.org/${i}`,
          '    items: "li:bad"',
          '    date: "li:bad"',
        ].join('\n'),
      ),
      '',
    ].join('\n');
    const messages = problemsOf(config);
    expect(messages).toHaveLength(6);
    expect(new Set(messages).size).toBe(1);
  });
});

// --- Internal helpers ---

function engineVerdict(css: string): string {
  try {
    select(css, new Document([]));
    return '';
  } catch (cause) {
    return (cause as Error).message;
  }
}

function configVerdict(css: string): string {
  const messages = problemsOf(
    `sources:\n  - id: s\n    url: https://example.org/\n    items: ${JSON.stringify(css)}\n`,
  ).filter((message) => message.includes('CSS selector'));
  return messages.length === 0 ? '' : (messages[0]!.match(/invalid CSS selector .*$/)?.[0] ?? messages[0]!);
}

function problemsOf(text: string): string[] {
  try {
    parseConfigText(text, 'config/test.yaml');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.message);
    throw error;
  }
}
