/** `render:`, `renderTimeout:`, `waitFor:` and `browser:` in the config, and `check`'s warning when Chromium is missing. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../../src/config/index.js';

const FILE = 'feedwright.yaml';
const none = () => false;
const all = () => true;

describe('render settings', () => {
  it('resolves render, renderTimeout and waitFor per source, with defaults, and leaves fetch sources alone', () => {
    const { config } = parseConfigText(
      [
        'defaults:',
        '  render: auto',
        '  renderTimeout: 10s',
        'browser:',
        '  maxPages: 3',
        '  idleClose: 2m',
        'sources:',
        '  - id: a',
        '    url: https://a.example/list/',
        '    items: ul.list li',
        '  - id: b',
        '    url: https://b.example/list/',
        '    render: browser',
        '    waitFor: "#news li"',
        '    renderTimeout: 45s',
        '  - id: c',
        '    url: https://c.example/list/',
        '    render: fetch',
      ].join('\n'),
      FILE,
      all,
    );
    const [a, b, c] = config.sources;
    expect(a?.render).toEqual({ mode: 'auto', timeoutMs: 10_000, waitFor: 'ul.list li' });
    expect(b?.render).toEqual({ mode: 'browser', timeoutMs: 45_000, waitFor: '#news li' });
    expect(c?.render).toBeUndefined();
    expect(config.browser).toEqual({ executablePath: undefined, maxPages: 3, idleCloseMs: 120_000, maxRequests: 300 });
  });

  it('warns at config time when a source needs Chromium and none is found, naming the install command', () => {
    const { warnings } = parseConfigText(
      'sources:\n  - id: a\n    url: https://a.example/\n    render: browser\n',
      FILE,
      none,
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ field: 'sources[0].render', line: 4, severity: 'warning' });
    expect(warnings[0]?.message).toMatch(/no Chromium found.*render: browser.*will fail.*\(a\).*apt-get install chromium/);
    const fine = parseConfigText('sources:\n  - id: a\n    url: https://a.example/\n    render: browser\n', FILE, all);
    expect(fine.warnings).toEqual([]);
    const plain = parseConfigText('sources:\n  - id: a\n    url: https://a.example/\n', FILE, none);
    expect(plain.warnings).toEqual([]);
  });

  it('rejects an unknown render mode and an invalid waitFor selector, with their lines', () => {
    let error: unknown;
    try {
      parseConfigText(
        'sources:\n  - id: a\n    url: https://a.example/\n    render: chrome\n    waitFor: "ul >> li["\n',
        FILE,
        all,
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => `${p.line} ${p.field}: ${p.message}`);
    expect(problems.join('\n')).toMatch(/4 sources\[0\]\.render: expected fetch, browser or auto/);
  });

  it('warns that waitFor does nothing without a browser', () => {
    const { warnings } = parseConfigText(
      'sources:\n  - id: a\n    url: https://a.example/\n    waitFor: ul li\n',
      FILE,
      all,
    );
    expect(warnings.map((w) => w.message)).toEqual(['waitFor only applies with `render: browser` or `render: auto`']);
  });
});
