/**
 * Options that cannot take effect are errors, not silently ignored: an option given together with
 * one that makes it unused (`diff --no-shrink --fixtures-dir D`, `explore --seed` without
 * `--sample`), or two that contradict each other (`explore --paths … --threads`).
 */
import type { Command } from 'commander';
import { RefsimError } from '../errors.ts';

/** A usage error found after parsing (exit 2). */
export class UsageError extends RefsimError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** Whether the user gave option `key` (commander's camelCase name) on the command line, as opposed to its default. */
export function given(cmd: Command, key: string): boolean {
  return cmd.getOptionValueSource(key) === 'cli';
}

/** `flag` (option `key`) was given but has no effect because of `why`. */
export function rejectUnused(cmd: Command, key: string, flag: string, why: string): void {
  if (given(cmd, key)) throw new UsageError(`${flag} has no effect ${why}; leave it out`);
}

/** Options `a` and `b` (each [key, flag]) were both given but contradict each other. */
export function rejectTogether(cmd: Command, a: readonly [string, string], b: readonly [string, string], why: string): void {
  if (given(cmd, a[0]) && given(cmd, b[0])) throw new UsageError(`${a[1]} and ${b[1]} cannot be used together: ${why}`);
}
