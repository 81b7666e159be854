/**
 * The quick config reader (js-yaml) must read what the located one (`yaml`) reads, and hand
 * anything it might read differently to the located path by returning undefined.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readPlainQuickly } from '../../../src/config/read-config-text.js';
import { parseConfigText } from '../../../src/config/index.js';

const SAME = [
  'site:\n  title: 环境 · 要闻\n  url: https://feeds.example.org/\nstore: "sqlite://data/x.sqlite"\n',
  "sources:\n  - id: a # comment\n    url: 'https://x.example/list?a=1&b=2'\n    items: ul > li:nth-child(2n+1)\n    link: a@href\n",
  'defaults:\n  maxItems: 50\n  retries: 0\n  minDelay: 1.5s\n  robots: ignore\n  render: off\n  flag: yes\n  on: no\n',
  'numbers: [0, -1, +2, 1e3, 0x1F, 0o17, 010, .5, 1.0, .inf, -.Inf, .nan, 1_000, 12:30]\n',
  'nulls: [~, null, Null, ""]\nbools: [true, True, FALSE, false]\ndates: [2024-01-01, 2019/8/27]\n',
  'block: |\n  line one\n  line two\nfolded: >-\n  folded\n  text\nquoted: "tab\\there \\u4e2d"\n',
  '{"sources": [{"id": "j", "url": "http://j.example/"}], "feeds": []}\n',
  'feeds:\n  - id: air\n    include: [大气, "PM2.5", /重污染.*天气/i]\n    sources: all\n',
  '',
  '# only a comment\n',
];

describe('readPlainQuickly', () => {
  it('reads plain YAML exactly as the yaml package does', () => {
    for (const text of SAME) expect(readPlainQuickly(text), text).toEqual(parse(text) ?? {});
  });

  it('leaves to the located path what it might read differently or cannot read', () => {
    const located = [
      'a: &x [1, 2]\nb: *x\n', // an alias repeating a list
      '%YAML 1.1\n---\nflag: yes\n', // a directive
      'a: 1\na: 2\n', // a duplicate key
      'a: "never closed\n', // a syntax error
      'a: 1\n---\nb: 2\n', // two documents
      'a: !custom 1\n', // a tag js-yaml does not know
    ];
    for (const text of located) expect(readPlainQuickly(text), text).toBeUndefined();
  });
});

describe('parseConfigText on the quick path', () => {
  it('resolves a config without problems as the located path did, and still reports problems with their lines', () => {
    const text =
      'site:\n  title: t\n  url: http://127.0.0.1:8080/\nsources:\n  - id: a\n    url: http://a.example/\n    items: ul li\n';
    const { config, warnings } = parseConfigText(text, 'f.yaml');
    expect(warnings).toEqual([]);
    expect(config.sources.map((source) => [source.id, source.url])).toEqual([['a', 'http://a.example/']]);
    expect(() => parseConfigText(`${text}    items2: x\n`, 'f.yaml')).toThrow(/f\.yaml:8/);
  });
});
