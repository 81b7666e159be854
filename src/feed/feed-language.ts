/** The language a feed declares, once its text may have been converted between Chinese scripts. */
import type { ChineseConversion } from '../model.js';

/**
 * The feed's language tag: `language` as declared (config, page or site), except that text
 * converted with `t2s` is Simplified Chinese (`zh-Hans`) and with `s2t` Traditional (`zh-Hant`),
 * whatever the page declared (a Big5 page's `zh-Hant-TW` no longer describes the converted text).
 * A non-Chinese declared language is kept: conversion leaves such text unchanged.
 */
export function feedLanguage(language: string | undefined, convert: ChineseConversion | undefined): string | undefined {
  if (convert === undefined) return language;
  if (language !== undefined && !/^zh(?:-|$)/i.test(language.trim())) return language;
  return convert === 't2s' ? 'zh-Hans' : 'zh-Hant';
}
