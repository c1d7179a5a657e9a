/**
 * Error bound of relu: no arithmetic, so 0 (the computed value is the exact relu of the input);
 * |x| where a subnormal x may be flushed; Infinity for a non-finite input (no finite bound on
 * |computed − exact| exists there; the checker compares such elements by value).
 */
import type { Tensor } from '../../reference/tensor.ts';
import { checkTensor } from '../../reference/validate.ts';
import { type BoundOptions, arithModel, isSubnormal } from '../../reference/bounds/common.ts';

export function reluBound(x: Tensor, options?: BoundOptions): Float64Array {
  const rank = Array.isArray((x as Partial<Tensor> | null)?.shape) ? x.shape.length : 1;
  checkTensor(x, 'x', Math.max(rank, 1));
  const flush = arithModel(options).flush;
  const xd = x.data;
  const out = new Float64Array(xd.length);
  for (let i = 0; i < xd.length; i++) {
    const v = xd[i]!;
    if (!Number.isFinite(v)) out[i] = Infinity;
    else if (flush && isSubnormal(v)) out[i] = Math.abs(v);
  }
  return out;
}
