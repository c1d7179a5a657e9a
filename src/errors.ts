/**
 * Typed errors. Every error the simulator raises on purpose is a RefsimError (or a RangeError
 * subclass for bad input), so the CLI can print it as one clear line and exit non-zero instead
 * of dumping a stack trace.
 */

/** Base class of the simulator's deliberate failures. `code` is stable and machine-readable. */
export class RefsimError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(textOf(message));
    this.name = new.target.name;
    this.code = textOf(code);
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
    super(`${textOf(param)} must be ${textOf(allowed)}; got ${describeValue(got)}`);
    this.name = 'InputRangeError';
    this.param = textOf(param);
    this.allowed = textOf(allowed);
    this.got = got;
  }
}

/** A string as is; anything else (a JavaScript caller's mistake) described, never a throw from the error itself. */
function textOf(v: unknown): string {
  return typeof v === 'string' ? v : describeValue(v);
}

/**
 * An options argument: undefined is {}, anything but a plain object (null, a number, an array) is
 * an InputRangeError naming `param`.
 */
export function optionsObject<T extends object>(v: T | null | undefined, param = 'options'): T {
  if (v === undefined) return {} as T;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputRangeError(param, 'an options object', v);
  return v;
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
