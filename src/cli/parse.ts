/** Parsing option values: the one integer parser of every command. */
import { InputRangeError } from '../errors.ts';

/**
 * `text` as an integer in [min, max]: decimal digits with an optional sign and surrounding spaces,
 * `_` allowed between digits (1_000_000). Anything else (1e3, 0x10, 2.5, an empty string) or a value
 * outside the range is an InputRangeError naming `param` and the range.
 */
export function parseInteger(param: string, text: string, min: number, max: number): number {
  const digits = typeof text === 'string' && /^\s*-?\d(_?\d)*\s*$/.test(text) ? text.replace(/_/g, '') : '';
  const v = digits === '' ? NaN : Number(digits);
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new InputRangeError(param, `an integer in [${min}, ${max}]`, text);
  return v;
}

/** parseInteger as commander's option parser: `.option('--cases <n>', '…', integerOption('--cases', 1, 100), 10)`. */
export function integerOption(param: string, min: number, max: number): (text: string) => number {
  return (text) => parseInteger(param, text, min, max);
}
