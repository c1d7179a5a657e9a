/**
 * The block's stage checks, shared by its reference and its canonical form: the 3×3 depthwise
 * kernel, and each stage's errors renamed to the block's parameters. Not part of the public
 * reference (src/reference/index.ts exports ./reference.ts only).
 */
import { InputRangeError } from '../../errors.ts';
import type { DepthwiseSeparableBlockParams } from './reference.ts';

/** The block's depthwise kernel is 3×3. */
export function checkBlockKernel(params: DepthwiseSeparableBlockParams): void {
  const kernel = params.dwWeight?.shape;
  if (!Array.isArray(kernel) || kernel[2] !== 3 || kernel[3] !== 3) {
    throw new InputRangeError('params.dwWeight.shape', '[C·m, 1, 3, 3] (a 3×3 depthwise kernel)', kernel);
  }
}

/** Runs one stage, renaming the stage's parameter names in its InputRangeError to the block's (weight → params.pwWeight). */
export function stage<T>(names: Record<string, string>, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof InputRangeError)) throw e;
    const [head = '', ...rest] = e.param.split(/(?=[.[])/);
    const mapped = names[head];
    if (mapped === undefined) throw e;
    throw new InputRangeError(mapped + rest.join(''), e.allowed, e.got);
  }
}
