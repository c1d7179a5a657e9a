/**
 * The tensor type every op takes and returns, and the arithmetic profiles a reference can be
 * evaluated under. Row-major; 4-D tensors are NCHW.
 */
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

/** Makes a tensor, copying `data` into a Float32Array (zeros when omitted). */
export function tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor {
  const out = new Float32Array(numel(shape));
  if (data !== undefined) out.set(data);
  return { shape: [...shape], data: out };
}
