/**
 * Detection's second chance on a parse5 tree is taken only when htmlparser2's tree nests an element
 * whose end tag HTML implies inside another of its kind (the fault parse5 repairs): a page without
 * one is not parsed twice.
 */
import { load } from 'cheerio/slim';
import { Document, Element, Text } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { hasNestedImpliedEnds } from '../../../src/extract/html/implied-ends.js';

const nested = (html: string) =>
  hasNestedImpliedEnds(
    load(html, { xml: { xmlMode: false } })
      .root()
      .toArray(),
  );

describe('hasNestedImpliedEnds', () => {
  it('finds an unclosed li, p, td or dd that swallowed the next one', () => {
    expect(nested('<ul><li><a href="/1">one<li><a href="/2">two</a></ul>')).toBe(true);
    expect(nested('<p><span>one<p>two</span>')).toBe(true);
    expect(nested('<table><tr><td><b>one<th>two</b></td></tr></table>')).toBe(true);
    expect(nested('<dl><dt><i>term<dd>definition</i></dl>')).toBe(true);
  });

  it('finds none in well-formed lists, sibling rows or text', () => {
    expect(nested('<ul><li><a href="/1">one</a></li><li><a href="/2">two</a></li></ul>')).toBe(false);
    expect(nested('<ul><li>one<li>two<li>three</ul>')).toBe(false);
    expect(nested(`<p>${'Lorem ipsum dolor sit amet. '.repeat(1000)}</p><p>second</p>`)).toBe(false);
    expect(nested('<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>')).toBe(false);
  });

  it('counts a nested list inside a row (a menu with sub-menus) as nesting', () => {
    expect(nested('<ul><li>menu<ul><li>sub</li></ul></li></ul>')).toBe(true);
  });

  it('walks 100,000 nested divs without recursion', () => {
    // Built by hand: htmlparser2 alone takes seconds over such a page (extraction caps nesting first).
    let inner: Element = new Element('p', {}, [new Text('text')]);
    for (let depth = 0; depth < 100_000; depth += 1) inner = new Element('div', {}, [inner]);
    expect(hasNestedImpliedEnds([new Document([inner])])).toBe(false);
    expect(hasNestedImpliedEnds([new Document([new Element('p', {}, [inner])])])).toBe(true);
  });
});
