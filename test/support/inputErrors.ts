/** Assertions for the typed bad-input errors of src/errors.ts. */
import { InputRangeError } from '../../src/errors.ts';

/** Runs `fn`, requiring an InputRangeError whose param equals `param` (or starts with it, for 'x.shape' vs 'x.shape[2]'). */
export function expectInputRangeError(fn: () => unknown, param: string, context = ''): InputRangeError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof InputRangeError)) {
    throw new Error(`${context}: expected InputRangeError for ${param}, got ${thrown === undefined ? 'no error' : String(thrown)}`);
  }
  if (thrown.param !== param && !thrown.param.startsWith(`${param}[`) && !thrown.param.startsWith(`${param}.`)) {
    throw new Error(`${context}: expected the error to name ${param}, it names ${thrown.param}: ${thrown.message}`);
  }
  if (!thrown.message.includes(thrown.param) || thrown.allowed.length === 0) throw new Error(`${context}: unclear message ${thrown.message}`);
  return thrown;
}
