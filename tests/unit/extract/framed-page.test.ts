/** A page whose list is in a frame: automatic mode names the framed pages instead of a bare "no list". */
import { describe, expect, it } from 'vitest';
import { ExtractError, extractItems } from '../../../src/extract/index.js';
import { plainExtractOptions } from '../../helpers/extract-options.js';

const OPTIONS = plainExtractOptions('framed', new Date('2026-11-30T12:00:00+08:00'));
const URL_ = 'https://www.example.gov.cn/col/col1229/index.html';

function failure(body: string): ExtractError {
  try {
    extractItems({ body, contentType: 'text/html', url: URL_ }, OPTIONS);
  } catch (error) {
    if (error instanceof ExtractError) return error;
    throw error;
  }
  throw new Error('expected no list');
}

describe('a page that frames its list', () => {
  it('names the framed page, same-site ones first, players left out', () => {
    const body = `<html><body><div class="head"><a href="/">首页</a></div>
<iframe src="https://player.example.com/embed/9"></iframe>
<iframe src="https://weather.example.net/widget.html"></iframe>
<iframe src="list.jsp?columnid=1229&amp;page=1" width="100%" height="800"></iframe></body></html>`;
    const error = failure(body);
    expect(error.code).toBe('EXTRACT_NO_CONTAINER');
    expect(error.message).toContain('it shows 2 other pages in a frame');
    expect(error.message).toContain(
      'https://www.example.gov.cn/col/col1229/list.jsp?columnid=1229&page=1, https://weather.example.net/widget.html',
    );
    expect(error.message).not.toContain('player.example.com');
    expect(error.hint).toContain("set this source's `url:` to the one holding it");
  });

  it('names the pages of a frameset', () => {
    const body = `<html><frameset rows="80,*"><frame src="/top.html"><frame src="/tzgg/list.html"></frameset></html>`;
    const error = failure(body);
    expect(error.message).toContain('https://www.example.gov.cn/top.html, https://www.example.gov.cn/tzgg/list.html');
  });

  it('says nothing of frames when the page has none', () => {
    const error = failure('<html><body><p>暂无内容</p></body></html>');
    expect(error.message).toContain('automatic list detection found no list');
  });
});
