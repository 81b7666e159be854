/**
 * Page inflation shared by the extraction benchmarks: grows a fixture page past 100 KB the way real
 * list pages are big — extra list rows (copies with distinct links) plus realistic noise (mega menus,
 * side rankings, inline scripts and JSON, SVG sprites, hidden templates, CSS).
 */
import { load } from 'cheerio';
import { createRandom } from '../tests/helpers/seeded-random.js';

/** Smallest size an inflated page reaches. */
export const MIN_PAGE_BYTES = 100 * 1024;

/** Adds list rows (copies with distinct links) and page noise until the page is over `minBytes`. */
export function inflatePage(html: string, itemsSelector: string, variant: number, minBytes = MIN_PAGE_BYTES): string {
  const $ = load(html);
  const blocks = $(itemsSelector);
  const copies = 1 + variant;
  const originals = blocks.toArray();
  for (let copy = 1; copy <= copies; copy += 1) {
    const last = $(originals.at(-1));
    for (const block of [...originals].reverse()) {
      const clone = $(block).clone();
      clone
        .find('a[href]')
        .add(clone.filter('a[href]'))
        .each((_, a) => {
          const href = $(a).attr('href') ?? '';
          if (!href.startsWith('javascript')) $(a).attr('href', `${href}${href.includes('?') ? '&' : '?'}copy=${copy}`);
        });
      last.after(clone);
    }
  }
  let noise = 0;
  while (Buffer.byteLength($.html()) < minBytes) {
    $('body').append(noiseBlock(variant * 100 + noise));
    $('head').append(`<style>${'.c' + noise}{}${cssNoise(noise)}</style>`);
    noise += 1;
  }
  return $.html();
}

// --- Internal helpers ---

function noiseBlock(seed: number): string {
  const random = createRandom(seed + 1);
  const words = [
    '生态环境',
    '政务公开',
    '办事服务',
    '互动交流',
    '政策解读',
    '新闻发布',
    '专题专栏',
    '信息公开',
    '数据发布',
    '监测预警',
    '行政许可',
    '执法监督',
  ];
  const word = () => words[Math.floor(random() * words.length)] ?? '';
  const menu = Array.from(
    { length: 60 },
    (_, i) =>
      `<li class="mega-item"><a href="/col/col${seed}${i}/index.html" title="${word()}">${word()}</a><ul class="sub">${Array.from({ length: 3 }, (_, j) => `<li><a href="/col/col${seed}${i}${j}/">${word()}${j}</a></li>`).join('')}</ul></li>`,
  ).join('');
  const side = Array.from(
    { length: 25 },
    (_, i) =>
      `<li><span class="num">${i + 1}</span><a href="/zt/${seed}/${i}.html" target="_blank">${word()}${word()}工作情况通报</a></li>`,
  ).join('');
  const json = JSON.stringify(
    Array.from({ length: 40 }, (_, i) => ({
      id: seed * 1000 + i,
      name: word(),
      url: `/api/${seed}/${i}`,
      ts: 1566873600 + i,
    })),
  );
  const svg = Array.from(
    { length: 12 },
    (_, i) =>
      `<symbol id="i${seed}-${i}" viewBox="0 0 24 24"><path d="M${i} 2L${20 - i} 12L${i} 22Z" fill="currentColor"/></symbol>`,
  ).join('');
  return `<!-- noise block ${seed} -->
<div class="mega-menu hide" id="mega${seed}"><ul class="mega-list">${menu}</ul></div>
<div class="side-rank"><h3>${word()}排行</h3><ol class="rank">${side}</ol></div>
<script type="application/json" id="data${seed}">${json}</script>
<script>window.__state${seed} = ${json}; document.getElementById("mega${seed}").className += " ready";</script>
<svg style="display:none" xmlns="http://www.w3.org/2000/svg">${svg}</svg>
<template id="tpl${seed}"><div class="card"><a href="{{url}}">{{title}}</a><span>{{date}}</span></div></template>
<input type="hidden" name="token${seed}" value="${seed.toString(36).repeat(20)}">`;
}

function cssNoise(seed: number): string {
  return Array.from(
    { length: 40 },
    (_, i) =>
      `.n${seed}-${i}{margin:${i}px;padding:${i % 7}px;color:#${((seed * 7919 + i * 104729) % 0xffffff).toString(16).padStart(6, '0')}}`,
  ).join('');
}
