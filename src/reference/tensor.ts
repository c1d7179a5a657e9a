/**
 * The tensor type every op takes and returns, and the arithmetic profiles a reference can be
 * evaluated under. Row-major; 4-D tensors are NCHW.
 */
import { InputRangeError } from '../errors.ts';

/**
 * Largest tensor, in elements, that the reference takes or makes and that `refsim check` reads
 * (1 GiB of float32). Every op computes its output's element count from its validated parameters
 * and rejects a larger one before allocating anything.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 30;
/** MAX_TENSOR_ELEMENTS as a power of two, for messages. */
export const MAX_TENSOR_ELEMENTS_TEXT = '2^30';
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** 'strict': every multiply and add rounded separately. 'fma': each multiply-add `acc ⊕ (a ⊗ b)` is one exactly rounded fused operation. */
export type Profile = 'strict' | 'fma';
export const PROFILES: readonly Profile[] = ['strict', 'fma'];

/** The optional last argument of every CNN op. */
export interface OpOptions {
  profile?: Profile;
}

/** Number of elements of a shape (1 for a scalar shape []). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Makes a tensor, copying `data` into a Float32Array (zeros when omitted). The shape must be
 * non-negative safe integers of at most MAX_TENSOR_ELEMENTS elements in all, and `data` (when
 * given) must hold exactly that many values; else an InputRangeError before anything is allocated.
 */
export function tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor {
  if (!Array.isArray(shape)) throw new InputRangeError('shape', 'an array of dims', shape);
  shape.forEach((d, i) => {
    if (!Number.isSafeInteger(d) || d < 0) throw new InputRangeError(`shape[${i}]`, 'an integer ≥ 0', d);
  });
  const n = numel(shape);
  if (n > MAX_TENSOR_ELEMENTS) throw new InputRangeError('shape', `at most ${MAX_TENSOR_ELEMENTS} (${MAX_TENSOR_ELEMENTS_TEXT}) elements in all`, shape);
  if (data !== undefined && (typeof data !== 'object' || data === null || data.length !== n)) {
    throw new InputRangeError('data.length', `${n} (the product of shape [${shape.join(', ')}])`, (data as { length?: unknown } | null)?.length ?? data);
  }
  const out = new Float32Array(n);
  if (data !== undefined) out.set(data);
  return { shape: [...shape], data: out };
}
