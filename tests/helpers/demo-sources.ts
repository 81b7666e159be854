/**
 * The `sources:` entries of the demo site's two pages as the end-to-end tests serve them: the UTF-8
 * ministry list (`/ywdt/`, demo/site/ywdt/index.html) and the GBK provincial table (`/tzgg/`,
 * demo/site/hbt/tzgg.html, charset declared only in its <meta>), with their selectors.
 */
export function demoSourceYaml(origin: string): string[] {
  return [
    '  - id: mee',
    '    name: 生态环境部 要闻',
    `    url: ${origin}/ywdt/`,
    '    items: ul.list > li',
    '    title: a',
    '    link: a@href',
    '    date: span.date',
    '  - id: province',
    `    url: ${origin}/tzgg/`,
    '    items: table.tzgg tr',
    '    title: td.bt a',
    '    date: td.sj',
  ];
}
