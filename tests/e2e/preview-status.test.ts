/** `preview` tries selectors on a live (local) page without writing anything; `status` and `check` report. */
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveBytes, startTestServer, type TestServer } from '../helpers/http-server.js';
import { runCli } from '../helpers/run-cli.js';

let server: TestServer;
let dir: string;

beforeAll(async () => {
  const gbk = await readFile(new URL('../../demo/site/hbt/tzgg.html', import.meta.url));
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/tzgg/': serveBytes(gbk, { 'content-type': 'text/html' }),
    '/notices/': serveBytes(gbk, { 'content-type': 'text/html' }),
    '/gone/': serveBytes('<h1>Not here</h1>', { 'content-type': 'text/html' }, 404),
  });
  dir = await mkdtemp(join(tmpdir(), 'feedwright-preview-'));
  await writeFile(
    join(dir, 'feedwright.yaml'),
    [
      'store: sqlite://data/p.sqlite',
      'output: out',
      'defaults:',
      '  retries: 0',
      'sources:',
      '  - id: province',
      `    url: ${server.origin}/tzgg/`,
      '    items: table.tzgg tr',
      '    title: td.bt a',
      '    date: td.sj',
      '  - id: gone',
      `    url: ${server.origin}/gone/`,
      '    items: li',
    ].join('\n'),
  );
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('feedwright preview', () => {
  it('shows the items of a URL with selectors given on the command line, and a YAML snippet, writing nothing', async () => {
    const result = await runCli(dir, [
      'preview',
      `${server.origin}/tzgg/`,
      '--items',
      'table.tzgg tr',
      '--title',
      'td.bt a',
      '--date',
      'td.sj',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('6 item(s)');
    expect(result.stdout).toMatch(/charset: gb/i);
    expect(result.stdout).toMatch(/2026-11-26\s+关于印发《某省2026-2027年秋冬季大气污染综合治理攻坚方案》/);
    expect(result.stdout).toContain(`${server.origin}/tzgg/202611/t20261126_88123.html`);
    expect(result.stdout).toMatch(/items: table\.tzgg tr/);
    await expect(access(join(dir, 'out'))).rejects.toThrow();
    await expect(access(join(dir, 'data'))).rejects.toThrow();
  });

  it('proposes snippets with unique readable ids and the page title as name, which check accepts together', async () => {
    const first = await runCli(dir, ['preview', `${server.origin}/tzgg/`, '--items', 'table.tzgg tr']);
    const second = await runCli(dir, ['preview', `${server.origin}/notices/`, '--items', 'table.tzgg tr']);
    for (const result of [first, second]) expect(result.code, result.stderr).toBe(0);
    expect(first.stdout).toContain('- id: 127.0.0.1-tzgg');
    expect(second.stdout).toContain('- id: 127.0.0.1-notices');
    const snippet = (stdout: string) => stdout.slice(stdout.indexOf('  - id:')).trimEnd();
    expect(snippet(first.stdout)).toMatch(/^ {4}name: .*通知公告/m);
    await writeFile(join(dir, 'pasted.yaml'), `sources:\n${snippet(first.stdout)}\n${snippet(second.stdout)}\n`);
    const check = await runCli(dir, ['check', '-c', 'pasted.yaml']);
    expect(check.stdout + check.stderr).not.toMatch(/duplicate id/);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('previews a configured source by id and prints JSON on request', async () => {
    const result = await runCli(dir, ['preview', 'province', '--json', '-c', 'feedwright.yaml']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { items: Array<{ title: string }>; mode: string };
    expect(parsed.mode).toBe('selectors');
    expect(parsed.items).toHaveLength(6);
  });

  it('rejects an unknown source id as a usage error (exit 2) naming the known ones', async () => {
    const preview = await runCli(dir, ['preview', 'nope', '-c', 'feedwright.yaml']);
    expect(preview.code).toBe(2);
    expect(preview.stderr).toContain('preview: no source "nope" in feedwright.yaml');
    expect(preview.stderr).toContain('hint: Give a source id (province, gone) or a URL.');
    const run = await runCli(dir, ['run', '-c', 'feedwright.yaml', '--source', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('run: unknown source "nope"');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace for a usage error
  });

  it('explains a failing page with the source id and a hint', async () => {
    const result = await runCli(dir, ['preview', 'gone', '-c', 'feedwright.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/source "gone".*404/);
    expect(result.stderr).toMatch(/hint: /);
  });
});

describe('feedwright status and check', () => {
  it('lists each source health after a run, and exits 1 while a source fails', async () => {
    await runCli(dir, ['run', '-c', 'feedwright.yaml']);
    const table = await runCli(dir, ['status', '-c', 'feedwright.yaml']);
    expect(table.stdout).toMatch(/province\s+ok/);
    expect(table.stdout).toMatch(/gone\s+failing/);
    expect(table.code).toBe(1);
    const json = await runCli(dir, ['status', '--json', '-c', 'feedwright.yaml']);
    const healths = JSON.parse(json.stdout) as Array<{
      sourceId: string;
      consecutiveFailures: number;
      lastError?: { code: string };
    }>;
    expect(healths.find((h) => h.sourceId === 'gone')).toMatchObject({
      consecutiveFailures: 1,
      lastError: { code: 'FETCH_HTTP_STATUS' },
    });
  });

  it('check lists every problem of a broken config with file, line and field, exit 2', async () => {
    await writeFile(
      join(dir, 'broken.yaml'),
      'defaults:\n  timezone: Asia/Pekin\nsources:\n  - id: a\n    url: nope\n  - id: b\n    url: https://example.org/\n    itmes: li\n',
    );
    const result = await runCli(dir, ['check', '-c', 'broken.yaml']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('broken.yaml:2:3 defaults.timezone: unknown time zone "Asia/Pekin"');
    expect(result.stdout).toContain('broken.yaml:5:5 sources[0].url: expected an absolute http(s) URL');
    expect(result.stdout).toContain('broken.yaml:8:5 sources[1].itmes: unknown field "itmes"');
    const ok = await runCli(dir, ['check', '-c', 'feedwright.yaml']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('OK — 2 source(s)');
  });
});
