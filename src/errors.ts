/**
 * Typed errors. Every error the simulator raises on purpose is a RefsimError (or a RangeError
 * subclass for bad input), so the CLI can print it as one clear line and exit non-zero instead
 * of dumping a stack trace.
 */

/** Base class of the simulator's deliberate failures. `code` is stable and machine-readable. */
export class RefsimError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A parameter outside its allowed domain. It is a RangeError (as callers of a numeric API expect)
 * that also names the parameter and the allowed range.
 */
export class InputRangeError extends RangeError {
  readonly code = 'E_INPUT_RANGE';
  readonly param: string;
  readonly allowed: string;
  readonly got: unknown;
  constructor(param: string, allowed: string, got: unknown) {
    super(`${param} must be ${allowed}; got ${describeValue(got)}`);
    this.name = 'InputRangeError';
    this.param = param;
    this.allowed = allowed;
    this.got = got;
  }
}

/** A short, safe rendering of an offending value for error messages. */
export function describeValue(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `[${v.slice(0, 8).map(describeValue).join(', ')}${v.length > 8 ? ', ...' : ''}]`;
  return Object.prototype.toString.call(v);
}

/** True for errors that should be shown to a CLI user as a message, not a crash. */
export function isUserFacingError(e: unknown): e is RefsimError | InputRangeError {
  return e instanceof RefsimError || e instanceof InputRangeError;
}
