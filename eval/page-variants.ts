/**
 * Variants of the corpus's list pages, for scoring automatic mode on the same rows in other clothes:
 * the failure kinds pages nobody here wrote bring, rather than the pages themselves. Each variant
 * keeps the rows (titles, links, dates) and changes what a site's toolchain or template changes.
 */
import iconv from 'iconv-lite';
import { decodeBody } from '../src/fetch/index.js';

/** One way to dress a page differently. */
export interface PageVariant {
  name: string;
  description: string;
  /** The page's HTML in the variant's form, as text the extractor reads. */
  transform(html: string): string;
}

/** The variants `npm run eval -- --variants` scores. */
export const PAGE_VARIANTS: readonly PageVariant[] = [
  {
    name: 'hashed-classes',
    description: 'every class and id renamed to a meaningless token (CSS modules, styled components)',
    transform: renameClasses,
  },
  {
    name: 'minified',
    description: 'no whitespace between tags (minified HTML)',
    transform: (html) => html.replace(/>\s+</g, '><'),
  },
  {
    name: 'upper-case-tags',
    description: 'tag names in upper case (old editors)',
    transform: (html) =>
      html.replace(
        /<(\/?)([a-zA-Z][a-zA-Z0-9]*)/g,
        (_m, slash: string, tag: string) => `<${slash}${tag.toUpperCase()}`,
      ),
  },
  {
    name: 'boxes-added',
    description: 'a friend-links box of 31 sites, a dated ranking of 10 long headlines and a select menu added',
    transform: (html) => addBoxes(html),
  },
  {
    name: 'gbk-undeclared',
    description: 'GB18030 bytes with every charset declaration removed, decoded as the fetcher does',
    transform: (html) => {
      const bytes = iconv.encode(html.replace(/<meta[^>]+charset[^>]*>/gi, ''), 'gb18030');
      return decodeBody(bytes, { xml: false }).text;
    },
  },
];

// --- Internal helpers ---

function renameClasses(html: string): string {
  const names = new Map<string, string>();
  const token = (name: string) => {
    let renamed = names.get(name);
    if (!renamed) {
      renamed = `_${(names.size * 7919 + 4099).toString(36)}`;
      names.set(name, renamed);
    }
    return renamed;
  };
  return html.replace(
    /\s(class|id)\s*=\s*"([^"]*)"/gi,
    (_m, attribute: string, value: string) =>
      ` ${attribute}="${value.split(/\s+/).filter(Boolean).map(token).join(' ')}"`,
  );
}

const PROVINCES = [
  '北京市',
  '天津市',
  '河北省',
  '山西省',
  '内蒙古',
  '辽宁省',
  '吉林省',
  '黑龙江',
  '上海市',
  '江苏省',
  '浙江省',
  '安徽省',
  '福建省',
  '江西省',
  '山东省',
  '河南省',
  '湖北省',
  '湖南省',
  '广东省',
  '广西',
  '海南省',
  '重庆市',
  '四川省',
  '贵州省',
  '云南省',
  '西藏',
  '陕西省',
  '甘肃省',
  '青海省',
  '宁夏',
  '新疆',
];

function addBoxes(html: string): string {
  const friends = `<div class="yqlj"><h3>友情链接</h3><ul>${PROVINCES.map((name, i) => `<li><a href="http://www.gov${i}.example.cn/">${name}人民政府网站</a></li>`).join('')}</ul></div>`;
  const ranking = `<div class="hot"><h3>热点排行</h3><ul>${Array.from({ length: 10 }, (_, i) => `<li><a href="/hot/2024/${i + 1}.html">热点新闻第${i + 1}条：关于进一步加强生态环境保护工作的若干意见解读</a><span>2024-11-${10 + i}</span></li>`).join('')}</ul></div>`;
  const select = `<select onchange="window.open(this.value)"><option>部门网站</option>${PROVINCES.map((name, i) => `<option value="http://d${i}.example.cn/">${name}生态环境厅</option>`).join('')}</select>`;
  const boxes = friends + ranking + select;
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${boxes}</body>`) : html + boxes;
}
