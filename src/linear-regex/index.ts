/** User-written regular expressions, run in a linear-time engine. */
export { compileLinearRegex, splitSlashPattern, UnsupportedPatternError, type LinearRegex } from './linear-regex.js';
