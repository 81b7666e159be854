/** Collects extraction warnings, capping repeats of one code so a broken layout cannot flood the log. */
import type { ExtractWarning, ExtractWarningCode } from '../model.js';

/** Most warnings kept per code; further ones are counted in one summary warning. */
const MAX_WARNINGS_PER_CODE = 10;

/** An append-only list of warnings with a per-code cap. */
export class WarningCollector {
  private readonly kept: ExtractWarning[] = [];
  private readonly counts = new Map<ExtractWarningCode, number>();

  /** Records one warning (dropped beyond the per-code cap, but still counted). */
  add(code: ExtractWarningCode, message: string, text?: string): void {
    const count = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, count);
    if (count <= MAX_WARNINGS_PER_CODE)
      this.kept.push(text === undefined ? { code, message } : { code, message, text });
  }

  /** The warnings, with one summary per code that went over the cap. */
  list(): ExtractWarning[] {
    const overflow: ExtractWarning[] = [];
    for (const [code, count] of this.counts) {
      if (count > MAX_WARNINGS_PER_CODE) {
        overflow.push({ code, message: `${count - MAX_WARNINGS_PER_CODE} more "${code}" warnings not listed` });
      }
    }
    return [...this.kept, ...overflow];
  }
}
