/**
 * Per-source text rules: `replace:` (regex → replacement on one field) and `convert:` (Simplified ⇄
 * Traditional with OpenCC data). Replace rules run first, on the text as the page wrote it, so patterns
 * match what the operator sees; conversion runs after. Patterns run in the linear-time engine
 * (`linear-regex/`): page text is hostile input, and a backtracking pattern on it could freeze the process.
 */
import { describeError } from '../../errors.js';
import { createRequire } from 'node:module';
import type * as OpenCCModule from 'opencc-js';
import { compileLinearRegex, type LinearRegex } from '../../linear-regex/index.js';
import type { ChineseConversion, ReplaceRule, RuleField } from '../../model.js';

/** Rules compiled once per extraction. */
export interface TextRules {
  apply(field: RuleField, text: string): string;
}

/** A replace rule whose pattern is not a valid regex, or needs backtracking the linear-time engine cannot do. */
export interface BadRule {
  rule: ReplaceRule;
  reason: string;
}

/** Compiles replace rules and the conversion; invalid patterns are returned in `bad` and skipped. */
export function compileTextRules(
  replace: ReplaceRule[],
  convert?: ChineseConversion,
): { rules: TextRules; bad: BadRule[] } {
  const compiled: Array<{ field: RuleField; re: LinearRegex; replacement: string }> = [];
  const bad: BadRule[] = [];
  for (const rule of replace) {
    try {
      compiled.push({
        field: rule.field,
        re: compileLinearRegex(rule.pattern, rule.flags),
        replacement: rule.replacement,
      });
    } catch (error) {
      bad.push({ rule, reason: describeError(error) });
    }
  }
  const converter = convert ? getConverter(convert) : undefined;
  return {
    bad,
    rules: {
      apply(field, text) {
        let out = text;
        for (const rule of compiled) if (rule.field === field) out = rule.re.replace(out, rule.replacement);
        return converter ? converter(out) : out;
      },
    },
  };
}

// --- Internal helpers ---

const converters = new Map<ChineseConversion, (text: string) => string>();
const requireModule = createRequire(import.meta.url);
let openCC: typeof OpenCCModule | undefined;

/** Builds a converter on first use (loading the dictionaries takes ~20 ms) and keeps it for later runs. */
function getConverter(kind: ChineseConversion): (text: string) => string {
  let converter = converters.get(kind);
  if (!converter) {
    // `tw` as the Traditional side also folds Taiwan-specific variant characters (裡 → 里).
    // opencc-js and its dictionaries are loaded only by sources that use `convert:`.
    const OpenCC = (openCC ??= requireModule('opencc-js') as typeof OpenCCModule);
    const built =
      kind === 't2s' ? OpenCC.Converter({ from: 'tw', to: 'cn' }) : OpenCC.Converter({ from: 'cn', to: 't' });
    converter = (text: string) => built(text);
    converters.set(kind, converter);
  }
  return converter;
}
