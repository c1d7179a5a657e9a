/**
 * relu, PyTorch semantics: `y = (x < 0) ? +0 : x` (docs/evaluation-order.md). No arithmetic, so
 * no profile dependence: −0 stays −0 (−0 < 0 is false), NaN stays NaN, and every value that is
 * not a negative number is passed through bit for bit (NaN payloads included).
 * Any rank is accepted (shape [] is a scalar).
 */
import type { OpOptions, Tensor } from '../../reference/tensor.ts';
import { checkTensor, profileOf } from '../../reference/validate.ts';

export function relu(x: Tensor, options?: OpOptions): Tensor {
  profileOf(options);
  const shape = (x as Partial<Tensor> | null)?.shape;
  checkTensor(x, 'x', Array.isArray(shape) ? shape.length : 1);
  const out = new Float32Array(x.data.length);
  // On bits, so NaN payloads survive: negative means sign set, magnitude in (0, +Inf].
  const src = new Int32Array(x.data.buffer, x.data.byteOffset, x.data.length);
  const dst = new Int32Array(out.buffer);
  // Branch-free (random signs would mispredict a branch half the time): keep is all ones unless
  // the sign is set (sign = −1) and the magnitude is neither 0 (isZero = −1) nor NaN (isNaN = −1).
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    const mag = b & 0x7fffffff;
    const isZero = (mag - 1) >> 31;
    const isNaN = (0x7f800000 - mag) >> 31;
    dst[i] = b & (~(b >> 31) | isZero | isNaN);
  }
  return { shape: [...x.shape], data: out };
}
