/** Long inputs that would expose catastrophic regex backtracking in parseDate (shared by its test and its benchmark). */
export const ADVERSARIAL_DATE_INPUTS: readonly string[] = [
  '2019-'.repeat(2000),
  ' '.repeat(10_000) + 'x',
  '1'.repeat(5000),
  '年月日'.repeat(3000),
  `${'8月'.repeat(3000)}27日`,
];
