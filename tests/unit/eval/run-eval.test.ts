/**
 * `npm run eval` on a small corpus folder written by the test: its exit code says whether the issue 13
 * targets are met (0), missed (1) or the folder holds no pages (2), and it prints per-page and total lines.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const made: string[] = [];

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const ROWS = Array.from({ length: 8 }, (_, i) => ({
  title: `关于开展第${i + 1}批生态环境监测数据质量检查的通知`,
  link: `https://www.example.gov.cn/tzgg/2024${String(i + 10)}.html`,
  date_raw: `2024-05-${String(20 - i).padStart(2, '0')}`,
  date: `2024-05-${String(20 - i).padStart(2, '0')}`,
}));

function listPage(): string {
  const nav = ['首页', '机构', '政务', '服务', '互动'].map((t, i) => `<li><a href="/c${i}/">${t}</a></li>`).join('');
  const rows = ROWS.map((r) => `<li><a href="${r.link}">${r.title}</a><span class="date">${r.date_raw}</span></li>`);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title></head><body><ul class="nav">${nav}</ul><div class="main"><ul class="news">${rows.join('')}</ul></div></body></html>`;
}

function articlePage(): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta property="article:published_time" content="2024-05-20T09:30:00+08:00"><title>t</title></head><body><h1>标题</h1><p>正文</p></body></html>`;
}

/** Writes a corpus folder; `wrong` makes the gold disagree with the pages (missed rows, another day). */
function writeCorpus(wrong: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-eval-'));
  made.push(dir);
  const list = join(dir, 'lists', 'gov-notices');
  mkdirSync(list, { recursive: true });
  writeFileSync(join(list, 'page.html'), listPage());
  const extra = wrong
    ? [0, 1, 2].map((i) => ({
        title: `不在页面上的第${i}条`,
        link: `https://www.example.gov.cn/x/${i}.html`,
        date_raw: null,
        date: null,
      }))
    : [];
  writeFileSync(
    join(list, 'gold.json'),
    JSON.stringify({
      id: 'gov-notices',
      base_url: 'https://www.example.gov.cn/tzgg/',
      language: 'zh',
      site: 'example.gov.cn',
      selector: { item: 'ul.news li', title: 'a', link: 'a', date: 'span.date' },
      items: [...ROWS, ...extra],
    }),
  );
  const article = join(dir, 'articles', 'gov-article');
  mkdirSync(article, { recursive: true });
  writeFileSync(join(article, 'page.html'), articlePage());
  writeFileSync(
    join(article, 'gold.json'),
    JSON.stringify({
      id: 'gov-article',
      url: 'https://www.example.gov.cn/a/1.html',
      language: 'zh',
      published: { date: wrong ? '2024-05-19' : '2024-05-20', zone: 'Asia/Shanghai' },
    }),
  );
  return dir;
}

function runEval(dir: string, ...options: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'eval/run-eval.ts'), dir, ...options], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run eval', () => {
  it('exits 0 and prints per-page and total figures when every target is met', () => {
    const { status, stdout } = runEval(writeCorpus(false));
    expect(stdout).toMatch(/^gov-notices\s+8\s+8\s+8\s+1\.000\s+1\.000\s+1\.000\/8/m);
    expect(stdout).toMatch(/^TOTAL \(micro\)\s+8\s+8\s+8 /m);
    expect(stdout).toMatch(/TOTAL 1\/1 same day = 1\.000/);
    expect(stdout).toContain('== cost');
    expect(stdout).toContain('eval: every total meets its target');
    expect(status).toBe(0);
  }, 90_000);

  it('exits 1 and names each missed target', () => {
    const { status, stdout } = runEval(writeCorpus(true));
    expect(stdout).toMatch(/selector mode \(gold selectors\): recall 0\.727 < 0\.99/);
    expect(stdout).toMatch(/automatic list mode \(no selectors\): micro recall 0\.727 < 0\.95/);
    expect(stdout).toMatch(/1 page\(s\) under 0\.8 on precision or recall: gov-notices/);
    expect(stdout).toMatch(/detail-date mode: same-day accuracy 0\.000 < 0\.93/);
    expect(status).toBe(1);
  }, 90_000);

  it('with --variants, scores automatic mode on each page dressed differently, without judging it', () => {
    const { status, stdout } = runEval(writeCorpus(false), '--quiet', '--variants');
    expect(stdout).toContain('== automatic list mode on page variants');
    for (const variant of ['hashed-classes', 'minified', 'upper-case-tags', 'boxes-added', 'gbk-undeclared'])
      expect(stdout).toMatch(new RegExp(`^${variant}\\s+8\\s+8\\s+8 `, 'm'));
    expect(status).toBe(0);
  }, 90_000);

  it('exits 2 for a folder without corpus pages', () => {
    const empty = mkdtempSync(join(tmpdir(), 'feedwright-eval-empty-'));
    made.push(empty);
    const { status, stderr } = runEval(empty);
    expect(stderr).toContain('no pages in');
    expect(status).toBe(2);
  }, 90_000);
});
